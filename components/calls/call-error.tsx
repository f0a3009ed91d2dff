import { parseCallError } from "@/lib/calls/meta-error";

/** Call.error: Meta's 1380xx code on its own, then its text; our own reasons as plain text. */
export function CallError({ error }: { error: string | null }) {
  const e = parseCallError(error);
  if (!e) return null;
  return (
    <div role="alert" className="card mb-4 border-red-200 dark:border-red-900 bg-red-50 dark:bg-red-950/40 p-4 text-sm text-red-800">
      {e.code ? (
        <>
          <p className="font-medium">
            WhatsApp (Meta) error <span className="font-mono">{e.code}</span>
          </p>
          <p>{e.text}</p>
        </>
      ) : (
        <p>{e.text}</p>
      )}
    </div>
  );
}
