import { handleText, httpResult, shownSteps, stepMillis, variablesText } from "@/lib/calls/path-words";

interface Step {
  seq: number;
  nodeType: string;
  label: string;
  nodeId: string;
  handle: string | null;
  digits: string | null;
  variables: unknown;
  enteredAt: Date;
  leftAt: Date | null;
}

const TYPE_TEXT: Record<string, string> = {
  greeting: "Greeting",
  menu: "Menu",
  gather: "Gather digits",
  http_callback: "HTTP callback",
  timing: "Business hours",
  transfer: "Transfer",
  goto_flow: "Go to flow",
  hangup: "Hang up",
  system: "System",
};

/**
 * The IVR path as a vertical timeline: node, the way out in words, digits, variables, timing. A transfer
 * nobody took is one step (its result), not its wait and then its result under the same name twice.
 */
export function IvrTimeline({
  steps: recorded,
  startedAt,
  current,
}: {
  steps: Step[];
  startedAt: Date;
  /** A live call's node now (steps are stored as the call leaves them): shown last, as where the caller is. */
  current?: { label: string; nodeType: string; since: string } | null;
}) {
  const steps = shownSteps(recorded);
  return (
    <ol className="card relative space-y-0 p-4" aria-label="IVR path">
      {steps.map((s, i) => {
        const ms = stepMillis(s);
        const http = httpResult(s);
        const failed = s.handle === "error" || s.handle === "http:error" || (http && !http.ok);
        const vars = variablesText(s);
        // A transfer's hand-off is where the call reached the team (the IVR leaves it as it enters).
        const reached = !s.leftAt || (s.nodeType === "transfer" && s.handle === null);
        return (
          <li key={s.seq} className="relative flex gap-3 pb-4 last:pb-0">
            {i < steps.length - 1 && <span className="absolute left-[7px] top-5 h-full w-px bg-slate-200" aria-hidden="true" />}
            <span
              className={`relative mt-1.5 h-3.5 w-3.5 shrink-0 rounded-full border-2 ${failed ? "border-red-500 bg-red-100" : "border-brand-500 bg-brand-50 dark:bg-brand-700/20"}`}
              aria-hidden="true"
            />
            <div className="min-w-0 flex-1 text-sm">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium">{s.label || s.nodeId}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">{TYPE_TEXT[s.nodeType] ?? s.nodeType.replace("_", " ")}</span>
                {/* A step the call never left (the last one), or a transfer's hand-off, says when it was reached. */}
                <span
                  className="ml-auto text-xs tabular-nums text-slate-400 dark:text-slate-500"
                  title={`When the call ${reached ? "reached" : "left"} this step, counted from the start of the call`}
                >
                  {reached ? "reached" : "left"} at {((((reached ? null : s.leftAt) ?? s.enteredAt).getTime() - startedAt.getTime()) / 1000).toFixed(1)} s
                </span>
              </div>
              <p className={failed ? "text-red-700 dark:text-red-300" : "text-slate-700 dark:text-slate-200"}>
                → {handleText(s)}
                {s.nodeType === "http_callback" && ms !== null && <span className="text-slate-500 dark:text-slate-400"> · took {ms} ms</span>}
              </p>
              {(s.digits || vars.length > 0) && (
                <p className="mt-0.5 flex flex-wrap gap-1 text-xs">
                  {s.digits && <span className="rounded bg-slate-100 dark:bg-slate-800 px-1.5 py-0.5 font-mono">digits {s.digits}</span>}
                  {vars.map((v) => (
                    <span key={v} className="rounded bg-slate-100 dark:bg-slate-800 px-1.5 py-0.5 font-mono">
                      {v}
                    </span>
                  ))}
                </p>
              )}
            </div>
          </li>
        );
      })}
      {current && (
        <li className="relative flex gap-3" data-testid="ivr-now">
          <span className="relative mt-1.5 h-3.5 w-3.5 shrink-0 animate-pulse rounded-full border-2 border-brand-500 bg-brand-500" aria-hidden="true" />
          <div className="min-w-0 flex-1 text-sm">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-medium">{current.label}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">{TYPE_TEXT[current.nodeType] ?? current.nodeType.replace("_", " ")}</span>
              <span
                className="ml-auto text-xs tabular-nums text-slate-400 dark:text-slate-500"
                title="When the call reached this step, counted from the start of the call"
              >
                reached at {((Date.parse(current.since) - startedAt.getTime()) / 1000).toFixed(1)} s
              </span>
            </div>
            <p className="font-medium text-brand-700 dark:text-brand-500">→ the caller is here now</p>
          </div>
        </li>
      )}
    </ol>
  );
}
