"use client";
// Settings › IVR Flows: the table, Add Flow dialog, duplicate/delete/export/import.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { apiCall } from "../api-client";
import { layoutImported } from "./editor/auto-layout";

export interface FlowRow {
  id: string;
  name: string;
  active: boolean;
  isCallStart: boolean;
  version: number;
  /** When it was last published, in the organisation's time zone (as the versions page says it). */
  publishedAt: string | null;
  /** A draft saved since the last publish: what callers hear is not what the editor shows. */
  unpublished: boolean;
  account: { id: string; name: string } | null;
}

const call = apiCall;

export function FlowList({ flows, accounts }: { flows: FlowRow[]; accounts: { id: string; name: string }[] }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function run(fn: () => Promise<string | null>) {
    setError(null);
    setNotice(null);
    try {
      setNotice(await fn());
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    await run(async () => {
      const flow = await call("/api/flows", "POST", {
        name: f.get("name"),
        description: f.get("description"),
        accountId: f.get("accountId") || null,
        active: f.get("active") === "on",
        isCallStart: f.get("isCallStart") === "on",
      });
      dialog.current?.close();
      router.push(`/flows/${flow.id}`);
      return flow.turnedOff.length ? `“${flow.name}” is now the call-start flow; turned off for ${flow.turnedOff.join(", ")}.` : null;
    });
  }

  async function onImport(file: File) {
    await run(async () => {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not a JSON file`);
      }
      const flow = await call("/api/flows/import", "POST", { name: file.name.replace(/\.json$/i, ""), document: layoutImported(document) });
      return `Imported “${flow.name}” as a draft.`;
    });
  }

  return (
    <div>
      <div className="mb-4 flex gap-2">
        <button type="button" className="btn-primary" onClick={() => dialog.current?.showModal()}>
          Add Flow
        </button>
        <label className="btn-secondary cursor-pointer">
          Import JSON
          <input type="file" accept="application/json,.json" className="hidden" onChange={(e) => e.target.files?.[0] && onImport(e.target.files[0])} />
        </label>
      </div>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-600">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="mb-3 text-sm text-brand-700 dark:text-brand-500">
          {notice}
        </p>
      )}
      {flows.length === 0 ? (
        <div className="card text-center text-sm text-slate-500 dark:text-slate-400">No flows yet. Add one to design what callers hear.</div>
      ) : (
        <table className="card w-full p-0 text-left text-sm">
          <thead className="text-slate-500 dark:text-slate-400">
            <tr>
              <th className="p-3">Name</th>
              <th className="p-3">WhatsApp account</th>
              <th className="p-3">Active</th>
              <th className="p-3">Call start</th>
              <th className="p-3">Last published</th>
              <th className="p-3">Version</th>
              <th className="p-3" />
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="max-w-xs p-3 font-medium break-words">
                  <Link className="text-brand-700 dark:text-brand-500 hover:underline" href={`/flows/${f.id}`}>
                    {f.name}
                  </Link>
                </td>
                <td className="p-3">{f.account?.name ?? "—"}</td>
                <td className="p-3">{f.active ? "Yes" : "No"}</td>
                <td className="p-3">{f.isCallStart ? "Yes" : "No"}</td>
                <td className="p-3">{f.publishedAt ?? "never"}</td>
                <td className="p-3">
                  {f.version ? `v${f.version}` : "draft"}
                  {f.version > 0 && f.unpublished && (
                    <span className="mt-0.5 block text-xs whitespace-nowrap text-amber-700 dark:text-amber-300">Draft not published</span>
                  )}
                </td>
                <td className="space-x-2 p-3 text-right whitespace-nowrap">
                  <a
                    className="btn-secondary"
                    href={`/api/flows/${f.id}`}
                    download={`${f.name}.json`}
                    onClick={async (e) => {
                      e.preventDefault();
                      const flow = await call(`/api/flows/${f.id}`, "GET");
                      const url = URL.createObjectURL(new Blob([JSON.stringify(flow.draftDocument, null, 2)], { type: "application/json" }));
                      Object.assign(document.createElement("a"), { href: url, download: `${f.name}.json` }).click();
                      URL.revokeObjectURL(url);
                    }}
                  >
                    Export
                  </a>
                  <button
                    type="button"
                    className="btn-secondary"
                    onClick={() => run(async () => `Duplicated as “${(await call(`/api/flows/${f.id}/duplicate`, "POST")).name}”.`)}
                  >
                    Duplicate
                  </button>
                  <button
                    type="button"
                    className="btn-danger"
                    onClick={() =>
                      window.confirm(`Delete ${f.name}?`) &&
                      run(async () => {
                        await call(`/api/flows/${f.id}`, "DELETE");
                        return `Deleted “${f.name}”.`;
                      })
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dialog ref={dialog} aria-label="Add Flow" className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
        <form onSubmit={onCreate} className="space-y-4 p-6">
          <h2 className="text-lg font-semibold">Add Flow</h2>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Name</span>
            <input name="name" required maxLength={80} className="input" />
          </label>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Description</span>
            <input name="description" maxLength={500} className="input" />
          </label>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">WhatsApp account</span>
            <select name="accountId" className="input">
              <option value="">None</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="active" defaultChecked /> Active
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="isCallStart" /> Call Start (answers incoming calls on this number; turns it off for the number’s other flows)
          </label>
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn-primary">
              Create and open editor
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
