import { ApiForm } from "@/components/api-form";
import { AudioLibrary } from "@/components/audio-library";
import { PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { getCallingSettings, listReadyAudio } from "@/lib/org/calling";

export default async function CallingSettingsPage() {
  const { orgId } = await pageOrg("admin");
  const [settings, audio] = await Promise.all([getCallingSettings(orgId), listReadyAudio(orgId)]);
  return (
    <>
      <PageHeader title="Organization › Calling" description={`Calling settings for ${settings.name}.`} />
      <ApiForm action="/api/org/calling" method="PUT" successMessage="Calling settings saved." className="card max-w-xl space-y-5">
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="callingEnabled" defaultChecked={settings.callingEnabled} className="mt-1 size-4" />
          <span>
            <span className="block font-medium">Calling enabled</span>
            <span className="text-slate-500">When off, incoming WhatsApp calls are rejected and logged as rejected.</span>
          </span>
        </label>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Hold music</span>
          <select name="holdMusicAssetId" data-nullable defaultValue={settings.holdMusicAssetId ?? ""} className="input">
            <option value="">Default hold music</option>
            {audio.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <span className="mt-1 block text-slate-500">
            {audio.length === 0 ? "Add audio in the library below to use your own hold music." : "Played while callers wait for an agent."}
          </span>
        </label>
        <button type="submit" className="btn-primary">
          Save
        </button>
      </ApiForm>
      <AudioLibrary />
    </>
  );
}
