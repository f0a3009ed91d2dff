// What the editor's properties panel shows for a node: its fields, declared next to the node
// module (`<type>.fields.ts`), and the config a new node starts with. The panel renders these
// declarations instead of switching on node type, so a new node type touches this folder only.
export type FieldKind =
  | { kind: "text"; placeholder?: string; mono?: boolean }
  | { kind: "textarea"; placeholder?: string; mono?: boolean }
  | { kind: "number"; min: number; max: number }
  | { kind: "checkbox" }
  | { kind: "select"; options: { value: string; label: string }[] }
  /** A prompt: text to speech or an audio file from the library (optional: "No audio"). */
  | { kind: "prompt"; optional?: boolean }
  | { kind: "menu-options" }
  /** HTTP headers, one `Name: value` per line. */
  | { kind: "headers" }
  | { kind: "team" }
  | { kind: "flow" }
  /** Business hours: time zone, weekly schedule and dated overrides (its own component). */
  | { kind: "schedule" };

export type FieldDecl = { key: string; label: string; help?: string } & FieldKind;

export interface NodeEditorSpec {
  fields: FieldDecl[];
  /** The config a node dropped on the canvas starts with. */
  defaults: () => Record<string, unknown>;
}
