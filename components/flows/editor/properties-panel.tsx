"use client";
// The right-hand panel: the selected node's fields, drawn from its declaration in lib/ivr/nodes
// (*.fields.ts), with the engine's defaults shown.
import { type DraftNode, type FieldDecl, issueText, NODE_EDITORS, NODE_LABEL_MAX, nodeSpec, OPTION_LABEL_MAX, type Prompt } from "@/lib/ivr";
import { Field, NumberField, TextField } from "./fields";
import { PromptUpload, type ReadyAsset } from "./prompt-upload";
import { TimingFields } from "./timing-fields";

export interface EditorRefs {
  teams: { id: string; name: string }[];
  flows: { id: string; name: string }[];
  assets: { id: string; name: string; status: string }[];
}

type Cfg = Record<string, unknown>;
/** An upload from prompt field `key` is ready: the editor selects it (the node may have changed meanwhile). */
export type AssetReady = (key: string, asset: ReadyAsset) => void;

/** Text to speech or a library file; "Upload audio…" adds a file without leaving the editor. */
function PromptField({
  label,
  prompt,
  onChange,
  onUploaded,
  assets,
  optional,
}: {
  label: string;
  prompt: Prompt | null | undefined;
  onChange: (p: Prompt | null) => void;
  onUploaded: (asset: ReadyAsset) => void;
  assets: EditorRefs["assets"];
  optional?: boolean;
}) {
  const mode = prompt?.assetId ? "asset" : prompt ? "tts" : "none";
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 dark:border-slate-700 p-2">
      <legend className="px-1 text-xs font-medium text-slate-700 dark:text-slate-200">{label}</legend>
      <select
        aria-label={`${label} source`}
        className="input"
        value={mode}
        onChange={(e) => onChange(e.target.value === "none" ? null : e.target.value === "asset" ? { assetId: assets[0]?.id ?? null } : { text: "" })}
      >
        {optional && <option value="none">No audio</option>}
        <option value="tts">Text to speech</option>
        <option value="asset">Audio file</option>
      </select>
      {mode === "tts" && (
        <textarea
          aria-label={`${label} text`}
          className="input min-h-16"
          value={prompt?.text ?? ""}
          placeholder="What the caller hears"
          onChange={(e) => onChange({ text: e.target.value })}
        />
      )}
      {mode === "asset" &&
        (assets.length ? (
          <select aria-label={`${label} audio file`} className="input" value={prompt?.assetId ?? ""} onChange={(e) => onChange({ assetId: e.target.value })}>
            {/* A file deleted from the library: say so, rather than show the first file as if chosen. */}
            {prompt?.assetId && !assets.some((a) => a.id === prompt.assetId) && (
              <option value={prompt.assetId} disabled>
                Missing audio file — choose another
              </option>
            )}
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.status !== "ready" ? ` (${a.status})` : ""}
              </option>
            ))}
          </select>
        ) : (
          <p className="text-xs text-slate-500 dark:text-slate-400">No audio files yet: upload one here, or use text to speech.</p>
        ))}
      <PromptUpload label={label} onReady={onUploaded} />
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
          <select
            aria-label={`Option ${i + 1} key`}
            className="input w-16"
            value={o.digit}
            onChange={(e) => onChange(options.map((x, j) => (j === i ? { ...x, digit: e.target.value } : x)))}
          >
            {keys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
          <input
            aria-label={`Option ${i + 1} label`}
            className="input"
            value={o.label}
            placeholder="Label"
            maxLength={OPTION_LABEL_MAX}
            onChange={(e) => onChange(options.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))}
          />
          <button type="button" aria-label={`Remove option ${i + 1}`} className="btn-secondary" onClick={() => onChange(options.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn-secondary"
        onClick={() => onChange([...options, { digit: keys.find((k) => !options.some((o) => o.digit === k)) ?? "0", label: "" }])}
      >
        Add option
      </button>
    </fieldset>
  );
}

function headersText(value: unknown): string {
  return Object.entries((value as Record<string, string>) ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}

function parseHeaders(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l.includes(":"))
      .map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]),
  );
}

/** One declared field; `set` patches the node's config. */
function DeclaredField({ f, c, set, refs, onAssetReady }: { f: FieldDecl; c: Cfg; set: (patch: Cfg) => void; refs: EditorRefs; onAssetReady: AssetReady }) {
  const value = c[f.key];
  switch (f.kind) {
    case "text":
      return <TextField label={f.label} value={value} placeholder={f.placeholder} hint={f.help} onChange={(v) => set({ [f.key]: v })} />;
    case "textarea":
      return (
        <Field label={f.label} hint={f.help}>
          <textarea
            className={`input min-h-16 ${f.mono ? "font-mono" : ""}`}
            value={String(value ?? "")}
            placeholder={f.placeholder}
            onChange={(e) => set({ [f.key]: e.target.value })}
          />
        </Field>
      );
    case "number":
      return <NumberField label={f.label} value={value} min={f.min} max={f.max} hint={f.help} onChange={(v) => set({ [f.key]: v })} />;
    case "checkbox":
      return (
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={value !== false} onChange={(e) => set({ [f.key]: e.target.checked })} /> {f.label}
        </label>
      );
    case "select":
      return (
        <Field label={f.label} hint={f.help}>
          <select className="input" value={String(value ?? f.options[0]?.value ?? "")} onChange={(e) => set({ [f.key]: e.target.value })}>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      );
    case "prompt":
      return (
        <PromptField
          label={f.label}
          prompt={value as Prompt | null}
          optional={f.optional}
          assets={refs.assets}
          onChange={(prompt) => set({ [f.key]: prompt })}
          onUploaded={(asset) => onAssetReady(f.key, asset)}
        />
      );
    case "menu-options":
      return <MenuOptions options={(value as { digit: string; label: string }[]) ?? []} onChange={(options) => set({ [f.key]: options })} />;
    case "headers":
      return (
        <Field label={f.label} hint={f.help}>
          <textarea className="input min-h-12" value={headersText(value)} onChange={(e) => set({ [f.key]: parseHeaders(e.target.value) })} />
        </Field>
      );
    case "team":
    case "flow": {
      const list = f.kind === "team" ? refs.teams : refs.flows;
      return (
        <Field label={f.label} hint={f.help}>
          <select className="input" value={String(value ?? "")} onChange={(e) => set({ [f.key]: e.target.value })}>
            <option value="">Choose a {f.kind}…</option>
            {list.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
      );
    }
    case "schedule":
      return <TimingFields config={c} onChange={set} />;
  }
}

export function PropertiesPanel({
  node,
  refs,
  isEntry,
  issues,
  onChange,
  onAssetReady,
  onSetEntry,
  onDelete,
}: {
  node: DraftNode;
  refs: EditorRefs;
  isEntry: boolean;
  issues: { severity: string; message: string }[];
  onChange: (patch: Partial<DraftNode>) => void;
  onAssetReady: AssetReady;
  onSetEntry: () => void;
  onDelete: () => void;
}) {
  const c = node.config as Cfg;
  const set = (patch: Cfg) => onChange({ config: { ...c, ...patch } });
  return (
    <aside
      aria-label="Node properties"
      className="w-80 shrink-0 space-y-3 overflow-y-auto border-l border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">{nodeSpec(node.type).title}</h2>
        <div className="flex gap-1">
          {!isEntry && (
            <button type="button" className="btn-secondary" onClick={onSetEntry}>
              Set as entry
            </button>
          )}
          <button type="button" className="btn-danger" onClick={onDelete}>
            Delete
          </button>
        </div>
      </div>
      {issues.map((i) => (
        <p key={i.message} className={`text-xs ${i.severity === "error" ? "text-red-700 dark:text-red-300" : "text-amber-700 dark:text-amber-300"}`}>
          {issueText(i)}
        </p>
      ))}
      <TextField label="Label" value={node.label} maxLength={NODE_LABEL_MAX} onChange={(label) => onChange({ label })} />
      {NODE_EDITORS[node.type].fields.map((f) => (
        <DeclaredField key={f.key} f={f} c={c} set={set} refs={refs} onAssetReady={onAssetReady} />
      ))}
    </aside>
  );
}
