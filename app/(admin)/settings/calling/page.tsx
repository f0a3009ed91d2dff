import { ApiForm } from "@/components/api-form";
import { FormField } from "@/components/forms/form-field";
import { AudioLibrary } from "@/components/audio-library";
import { PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { getCallingSettings, listReadyAudio, RETENTION_MAX_DAYS, timeZones } from "@/lib/org/calling";

export const metadata = { title: "Calling settings" };

const TURN_OFF = "Turn calling off for the whole organisation? Every incoming WhatsApp call will be rejected until calling is turned back on.";

export default async function CallingSettingsPage() {
  const { orgId } = await pageOrg("admin");
  const [settings, audio] = await Promise.all([getCallingSettings(orgId), listReadyAudio(orgId)]);
  return (
    <>
      <PageHeader title="Organization › Calling" description={`Calling settings for ${settings.name}.`} />
      <ApiForm
        action="/api/org/calling"
        method="PUT"
        schema="callingSettings"
        successMessage="Calling settings saved."
        confirmIf={settings.callingEnabled ? { field: "callingEnabled", equals: false, message: TURN_OFF } : undefined}
        className="card max-w-xl space-y-5"
      >
        <FormField
          name="callingEnabled"
          type="checkbox"
          label="Calling enabled"
          defaultChecked={settings.callingEnabled}
          help="When off, incoming WhatsApp calls are rejected and logged as rejected."
        />
        <FormField
          name="holdMusicAssetId"
          type="select"
          nullable
          label="Hold music"
          defaultValue={settings.holdMusicAssetId ?? ""}
          options={[{ value: "", label: "Default hold music" }, ...audio.map((a) => ({ value: a.id, label: a.name }))]}
          help={audio.length === 0 ? "Add audio in the library below to use your own hold music." : "Played while callers wait for an agent."}
        />
        <fieldset className="space-y-4 border-t border-slate-200 pt-4 dark:border-slate-700">
          <legend className="sr-only">Call recording</legend>
          <FormField
            name="recordingEnabled"
            type="checkbox"
            label="Record calls with agents"
            defaultChecked={settings.recordingEnabled}
            help={
              <>
                Records the part of each call where an agent is connected (time on hold is silence), as one stereo file: the caller on the left, the agent on
                the right. The IVR part is not recorded. Also needs recording switched on for the server (
                <code className="text-xs">[calling] recording_enabled</code> in config.toml).
              </>
            }
          />
          {!settings.serverRecordingEnabled && (
            <p
              role="note"
              className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
            >
              Recording is switched off on this server (<code className="text-xs">[calling] recording_enabled = false</code>), so no call is recorded whatever
              this setting says. Ask whoever runs Ringflow to turn it on.
            </p>
          )}
          <FormField
            name="recordingRetentionDays"
            label="Keep recordings for (days)"
            inputMode="numeric"
            nullable
            defaultValue={settings.recordingRetentionDays?.toString() ?? ""}
            placeholder="Forever"
            className="[&_input]:w-40"
            help={`1 to ${RETENTION_MAX_DAYS} days; leave blank to keep recordings forever. Older recordings are deleted from storage (checked hourly) and the call log shows them as expired.`}
          />
        </fieldset>
        <FormField
          name="timeZone"
          type="select"
          label="Time zone"
          defaultValue={settings.timeZone}
          options={timeZones().map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
          help="Call logs show times in this zone."
          className="border-t border-slate-200 pt-4 dark:border-slate-700"
        />
        <button type="submit" className="btn-primary">
          Save
        </button>
      </ApiForm>
      <AudioLibrary />
    </>
  );
}
