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
      help: "After this many timeouts or wrong keys the call takes “Too many tries”",
    },
  ],
  defaults: () => ({ prompt: { text: "" }, timeoutSecs: 10, maxRetries: 3, interruptible: true, options: [{ digit: "1", label: "" }] }),
};
