import { ApiForm } from "@/components/api-form";
import { AudioLibrary } from "@/components/audio-library";
import { PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { getCallingSettings, listReadyAudio, RETENTION_MAX_DAYS, timeZones } from "@/lib/org/calling";

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
            <span className="text-slate-500 dark:text-slate-400">When off, incoming WhatsApp calls are rejected and logged as rejected.</span>
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
          <span className="mt-1 block text-slate-500 dark:text-slate-400">
            {audio.length === 0 ? "Add audio in the library below to use your own hold music." : "Played while callers wait for an agent."}
          </span>
        </label>

        <fieldset className="space-y-4 border-t border-slate-200 dark:border-slate-700 pt-4">
          <legend className="sr-only">Call recording</legend>
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" name="recordingEnabled" defaultChecked={settings.recordingEnabled} className="mt-1 size-4" />
            <span>
              <span className="block font-medium">Record calls with agents</span>
              <span className="text-slate-500 dark:text-slate-400">
                Records the part of each call where an agent is connected (time on hold is silence), as one stereo file: the caller on the left, the
                agent on the right. The IVR part is not recorded. Also needs recording switched on for the server (
                <code className="text-xs">[calling] recording_enabled</code> in config.toml).
              </span>
            </span>
          </label>
          {!settings.serverRecordingEnabled && (
            <p role="note" className="rounded-md border border-amber-300 bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-sm text-amber-900">
              Recording is switched off on this server (<code className="text-xs">[calling] recording_enabled = false</code>), so no call is recorded
              whatever this setting says. Ask whoever runs Ringflow to turn it on.
            </p>
          )}
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Keep recordings for (days)</span>
            <input
              type="text"
              inputMode="numeric"
              name="recordingRetentionDays"
              data-nullable
              defaultValue={settings.recordingRetentionDays ?? ""}
              placeholder="Forever"
              className="input w-40"
              aria-describedby="retention-help"
            />
            <span id="retention-help" className="mt-1 block text-slate-500 dark:text-slate-400">
              1 to {RETENTION_MAX_DAYS} days; leave blank to keep recordings forever. Older recordings are deleted from storage (checked hourly) and
              the call log shows them as expired.
            </span>
          </label>
        </fieldset>

        <label className="block border-t border-slate-200 dark:border-slate-700 pt-4 text-sm">
          <span className="mb-1 block font-medium">Time zone</span>
          <select name="timeZone" defaultValue={settings.timeZone} className="input">
            {timeZones().map((z) => (
              <option key={z} value={z}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <span className="mt-1 block text-slate-500 dark:text-slate-400">Call logs show times in this zone.</span>
        </label>
        <button type="submit" className="btn-primary">
          Save
        </button>
      </ApiForm>
      <AudioLibrary />
    </>
  );
}
