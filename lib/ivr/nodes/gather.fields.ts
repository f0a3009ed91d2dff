import type { NodeEditorSpec } from "./fields";

export const gatherEditor: NodeEditorSpec = {
  fields: [
    { key: "prompt", label: "Prompt", kind: "prompt" },
    { key: "maxDigits", label: "Max digits", kind: "number", min: 1, max: 64 },
    {
      key: "terminator",
      label: "Terminator",
      kind: "select",
      options: [
        { value: "#", label: "#" },
        { value: "*", label: "*" },
        { value: "", label: "none" },
      ],
    },
    { key: "storeAs", label: "Store as variable", kind: "text", help: "Use it later as {{name}}" },
    { key: "timeoutSecs", label: "Timeout (seconds)", kind: "number", min: 1, max: 120 },
    {
      key: "maxRetries",
      label: "Max retries",
      kind: "number",
      min: 0,
      max: 10,
      help: "Tries the caller gets after the first one when no digits come; then the call takes “Too many tries”",
    },
  ],
  defaults: () => ({ prompt: { text: "" }, maxDigits: 10, terminator: "#", storeAs: "digits", timeoutSecs: 10, interDigitTimeoutSecs: 5, maxRetries: 3 }),
};
