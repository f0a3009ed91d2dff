import Link from "next/link";
import { ApiForm } from "@/components/api-form";
import { orNotFound, versionPageContext, when } from "@/components/flows/version-page";
import { PageHeader } from "@/components/page-header";
import { listVersions } from "@/lib/flows/versions";

export const metadata = { title: "Flow versions" };

export default async function VersionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { orgId, id, timeZone } = await versionPageContext(params);
  const { flow, versions } = await orNotFound(listVersions(orgId, id));
  return (
    <>
      <PageHeader title={`Versions of ${flow.name}`} description="Every publish is a numbered version. View one, compare two, or publish an older one again.">
        <Link href={`/flows/${id}`} className="btn-secondary">
          Back to the editor
        </Link>
      </PageHeader>
      {versions.length > 1 && (
        <form action={`/flows/${id}/versions/compare`} className="card mb-6 flex flex-wrap items-end gap-3 py-4 text-sm">
          <label>
            <span className="mb-1 block font-medium">Compare</span>
            <select name="from" defaultValue={versions[1]!.number} className="input">
              {versions.map((v) => (
                <option key={v.number} value={v.number}>
                  v{v.number}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="mb-1 block font-medium">with</span>
            <select name="to" defaultValue={versions[0]!.number} className="input">
              {versions.map((v) => (
                <option key={v.number} value={v.number}>
                  v{v.number}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn-secondary">
            Compare
          </button>
        </form>
      )}
      <div className="card p-0">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Published versions, newest first</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-700 dark:text-slate-400">
            <tr>
              <th className="px-4 py-2">Version</th>
              <th className="px-4 py-2">Published</th>
              <th className="px-4 py-2">By</th>
              <th className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {versions.map((v, i) => (
              <tr key={v.number} data-testid={`version-${v.number}`}>
                <td className="px-4 py-2 font-medium">
                  v{v.number}
                  {v.current && (
                    <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-700 dark:bg-brand-700/20 dark:text-brand-500">live</span>
                  )}
                </td>
                <td className="px-4 py-2">{when(v.publishedAt, timeZone)}</td>
                <td className="px-4 py-2">{v.author ?? "—"}</td>
                <td className="flex flex-wrap justify-end gap-2 px-4 py-2">
                  <Link href={`/flows/${id}/versions/${v.number}`} className="btn-secondary" aria-label={`View version ${v.number}`}>
                    View
                  </Link>
                  {versions[i + 1] && (
                    <Link
                      href={`/flows/${id}/versions/compare?from=${versions[i + 1]!.number}&to=${v.number}`}
                      className="btn-secondary"
                      aria-label={`Compare version ${v.number} with version ${versions[i + 1]!.number}`}
                    >
                      Changes
                    </Link>
                  )}
                  {!v.current && (
                    <ApiForm
                      action={`/api/flows/${id}/versions/${v.number}/rollback`}
                      confirm={`Publish version ${v.number} again as version ${flow.version + 1}? Calls starting from now run it, and the editor's draft becomes this version.`}
                      successMessage={`Version ${v.number} is live again as version ${flow.version + 1}.`}
                    >
                      <button type="submit" className="btn-secondary" aria-label={`Roll back to version ${v.number}`}>
                        Roll back
                      </button>
                    </ApiForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {versions.length === 0 && (
          <p className="px-4 py-6 text-center text-sm text-slate-500 dark:text-slate-400">Not published yet: publish from the editor to create version 1.</p>
        )}
      </div>
    </>
  );
}
