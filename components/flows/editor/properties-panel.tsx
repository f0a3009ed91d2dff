"use client";
// The right-hand panel: every field of the selected node, with the engine's defaults shown.
import type { DraftNode, Prompt } from "@/lib/ivr";
import { Field, NumberField, TextField } from "./fields";
import { TimingFields } from "./timing-fields";

export interface EditorRefs {
  teams: { id: string; name: string }[];
  flows: { id: string; name: string }[];
  assets: { id: string; name: string; status: string }[];
}

type Cfg = Record<string, unknown>;

function PromptField({ label, prompt, onChange, assets, optional }: { label: string; prompt: Prompt | null | undefined; onChange: (p: Prompt | null) => void; assets: EditorRefs["assets"]; optional?: boolean }) {
  const mode = prompt?.assetId ? "asset" : prompt ? "tts" : "none";
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 dark:border-slate-700 p-2">
      <legend className="px-1 text-xs font-medium text-slate-700 dark:text-slate-200">{label}</legend>
      <select aria-label={`${label} source`} className="input" value={mode} onChange={(e) => onChange(e.target.value === "none" ? null : e.target.value === "asset" ? { assetId: assets[0]?.id ?? null } : { text: "" })}>
        {optional && <option value="none">No audio</option>}
        <option value="tts">Text to speech</option>
        <option value="asset">Audio file</option>
      </select>
      {mode === "tts" && (
        <textarea aria-label={`${label} text`} className="input min-h-16" value={prompt?.text ?? ""} placeholder="What the caller hears" onChange={(e) => onChange({ text: e.target.value })} />
      )}
      {mode === "asset" &&
        (assets.length ? (
          <select aria-label={`${label} audio file`} className="input" value={prompt?.assetId ?? ""} onChange={(e) => onChange({ assetId: e.target.value })}>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>{a.name}{a.status !== "ready" ? ` (${a.status})` : ""}</option>
            ))}
          </select>
        ) : (
          <p className="text-xs text-slate-500 dark:text-slate-400">No audio files yet: upload them in Organization › Calling › Audio library, or use text to speech.</p>
        ))}
    </fieldset>
  );
}

function MenuOptions({ options, onChange }: { options: { digit: string; label: string }[]; onChange: (o: { digit: string; label: string }[]) => void }) {
  const keys = "123456789*0#".split("");
  return (
    <fieldset className="space-y-1">
      <legend className="text-xs font-medium text-slate-700 dark:text-slate-200">Options</legend>
      {options.map((o, i) => (
        <div key={`${i}-${o.digit}`} className="flex gap-1">
          <select aria-label={`Option ${i + 1} key`} className="input w-16" value={o.digit} onChange={(e) => onChange(options.map((x, j) => (j === i ? { ...x, digit: e.target.value } : x)))}>
            {keys.map((k) => <option key={k}>{k}</option>)}
          </select>
          <input aria-label={`Option ${i + 1} label`} className="input" value={o.label} placeholder="Label" onChange={(e) => onChange(options.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} />
          <button type="button" aria-label={`Remove option ${i + 1}`} className="btn-secondary" onClick={() => onChange(options.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <button type="button" className="btn-secondary" onClick={() => onChange([...options, { digit: keys.find((k) => !options.some((o) => o.digit === k)) ?? "0", label: "" }])}>
        Add option
      </button>
    </fieldset>
  );
}

export function PropertiesPanel({ node, refs, isEntry, issues, onChange, onSetEntry, onDelete }: {
  node: DraftNode;
  refs: EditorRefs;
  isEntry: boolean;
  issues: { severity: string; message: string }[];
  onChange: (patch: Partial<DraftNode>) => void;
  onSetEntry: () => void;
  onDelete: () => void;
}) {
  const c = node.config as Cfg;
  const set = (patch: Cfg) => onChange({ config: { ...c, ...patch } });
  return (
    <aside aria-label="Node properties" className="w-80 shrink-0 space-y-3 overflow-y-auto border-l border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-4">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">{node.type.replace("_", " ")}</h2>
        <div className="flex gap-1">
          {!isEntry && <button type="button" className="btn-secondary" onClick={onSetEntry}>Set as entry</button>}
          <button type="button" className="btn-danger" onClick={onDelete}>Delete</button>
        </div>
      </div>
      {issues.map((i) => (
        <p key={i.message} className={`text-xs ${i.severity === "error" ? "text-red-600" : "text-amber-600"}`}>{i.message}</p>
      ))}
      <TextField label="Label" value={node.label} onChange={(label) => onChange({ label })} />
      {["greeting", "menu", "gather", "hangup"].includes(node.type) && (
        <PromptField label={node.type === "hangup" ? "Goodbye" : "Prompt"} prompt={c.prompt as Prompt | null} optional={node.type === "hangup"} assets={refs.assets} onChange={(prompt) => set({ prompt })} />
      )}
      {node.type === "greeting" && (
        <label className="flex items-center gap-2 text-xs"><input type="checkbox" checked={c.interruptible !== false} onChange={(e) => set({ interruptible: e.target.checked })} /> Interruptible (a key skips the rest)</label>
      )}
      {node.type === "menu" && (
        <>
          <MenuOptions options={(c.options as { digit: string; label: string }[]) ?? []} onChange={(options) => set({ options })} />
          <NumberField label="Timeout (seconds)" value={c.timeoutSecs} min={1} max={120} onChange={(timeoutSecs) => set({ timeoutSecs })} />
          <NumberField label="Max retries" value={c.maxRetries} min={0} max={10} hint="After this many timeouts or wrong keys: max_retries" onChange={(maxRetries) => set({ maxRetries })} />
        </>
      )}
      {node.type === "gather" && (
        <>
          <NumberField label="Max digits" value={c.maxDigits} min={1} max={64} onChange={(maxDigits) => set({ maxDigits })} />
          <Field label="Terminator">
            <select className="input" value={String(c.terminator ?? "#")} onChange={(e) => set({ terminator: e.target.value })}>
              <option value="#">#</option><option value="*">*</option><option value="">none</option>
            </select>
          </Field>
          <TextField label="Store as variable" value={c.storeAs} hint="Use it later as {{name}}" onChange={(storeAs) => set({ storeAs })} />
          <NumberField label="Timeout (seconds)" value={c.timeoutSecs} min={1} max={120} onChange={(timeoutSecs) => set({ timeoutSecs })} />
          <NumberField label="Max retries" value={c.maxRetries} min={0} max={10} onChange={(maxRetries) => set({ maxRetries })} />
        </>
      )}
      {node.type === "http_callback" && (
        <>
          <TextField label="URL" value={c.url} placeholder="https://api.example.com/lookup?phone={{caller_phone}}" onChange={(url) => set({ url })} />
          <Field label="Method">
            <select className="input" value={String(c.method ?? "POST")} onChange={(e) => set({ method: e.target.value })}>
              <option>POST</option><option>GET</option>
            </select>
          </Field>
          <Field label="Headers" hint="One per line: Name: value">
            <textarea className="input min-h-12" value={Object.entries((c.headers as Record<string, string>) ?? {}).map(([k, v]) => `${k}: ${v}`).join("\n")}
              onChange={(e) => set({ headers: Object.fromEntries(e.target.value.split("\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()])) })} />
          </Field>
          <Field label="Body template" hint="{{caller_phone}}, {{call_id}} and stored variables">
            <textarea className="input min-h-16 font-mono" value={String(c.bodyTemplate ?? "")} onChange={(e) => set({ bodyTemplate: e.target.value })} />
          </Field>
          <NumberField label="Timeout (seconds)" value={c.timeoutSecs} min={1} max={30} onChange={(timeoutSecs) => set({ timeoutSecs })} />
          <TextField label="Store response as" value={c.storeResponseAs} hint="e.g. customer → {{customer.body.name}}" onChange={(storeResponseAs) => set({ storeResponseAs })} />
        </>
      )}
      {node.type === "transfer" && (
        <>
          <Field label="Team" hint="Available agents of the team ring; the first to accept takes the call. Connect “no_answer” for callers nobody takes (else they hear the flow's no-agent goodbye).">
            <select className="input" value={String(c.teamId ?? "")} onChange={(e) => set({ teamId: e.target.value })}>
              <option value="">Choose a team…</option>
              {refs.teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </select>
          </Field>
          <label className="flex items-center gap-2 text-xs"><input type="checkbox" checked={c.skipWhenNoAgents !== false} onChange={(e) => set({ skipWhenNoAgents: e.target.checked })} /> Skip the wait when nobody in the team is available</label>
        </>
      )}
      {node.type === "goto_flow" && (
        <Field label="Flow">
          <select className="input" value={String(c.flowId ?? "")} onChange={(e) => set({ flowId: e.target.value })}>
            <option value="">Choose a flow…</option>
            {refs.flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </Field>
      )}
      {node.type === "timing" && <TimingFields config={c} onChange={set} />}
    </aside>
  );
}
