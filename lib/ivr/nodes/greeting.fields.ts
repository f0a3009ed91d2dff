import type { NodeEditorSpec } from "./fields";

export const greetingEditor: NodeEditorSpec = {
  fields: [
    { key: "prompt", label: "Prompt", kind: "prompt" },
    { key: "interruptible", label: "Interruptible (a key skips the rest)", kind: "checkbox" },
  ],
  defaults: () => ({ prompt: { text: "" }, interruptible: true }),
};
