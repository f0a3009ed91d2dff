import type { NodeEditorSpec } from "./fields";

export const menuEditor: NodeEditorSpec = {
  fields: [
    { key: "prompt", label: "Prompt", kind: "prompt" },
    { key: "options", label: "Options", kind: "menu-options" },
    { key: "timeoutSecs", label: "Timeout (seconds)", kind: "number", min: 1, max: 120 },
    {
      key: "maxRetries",
      label: "Max retries",
      kind: "number",
      min: 0,
      max: 10,
      // The first try does not count: 3 means four tries in all (lib/ivr/nodes/node.ts `retry`).
      help: "Tries the caller gets after the first one, on a timeout or a wrong key; then the call takes “Too many tries”",
    },
  ],
  defaults: () => ({ prompt: { text: "" }, timeoutSecs: 10, maxRetries: 3, interruptible: true, options: [{ digit: "1", label: "" }] }),
};
