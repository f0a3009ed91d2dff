import type { NodeEditorSpec } from "./fields";

export const httpCallbackEditor: NodeEditorSpec = {
  fields: [
    { key: "url", label: "URL", kind: "text", placeholder: "https://api.example.com/lookup?phone={{caller_phone}}" },
    {
      key: "method",
      label: "Method",
      kind: "select",
      options: [
        { value: "POST", label: "POST" },
        { value: "GET", label: "GET" },
      ],
    },
    { key: "headers", label: "Headers", kind: "headers", help: "One per line: Name: value" },
    { key: "bodyTemplate", label: "Body template", kind: "textarea", mono: true, help: "{{caller_phone}}, {{call_id}} and stored variables" },
    { key: "timeoutSecs", label: "Timeout (seconds)", kind: "number", min: 1, max: 30 },
    { key: "storeResponseAs", label: "Store response as", kind: "text", help: "e.g. customer → {{customer.body.name}}" },
  ],
  defaults: () => ({ url: "", method: "POST", headers: {}, bodyTemplate: "", timeoutSecs: 10, storeResponseAs: "" }),
};
