import type { NodeEditorSpec } from "./fields";

export const hangupEditor: NodeEditorSpec = {
  fields: [{ key: "prompt", label: "Goodbye", kind: "prompt", optional: true }],
  defaults: () => ({ prompt: null }),
};
