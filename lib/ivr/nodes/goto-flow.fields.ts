import type { NodeEditorSpec } from "./fields";

export const gotoFlowEditor: NodeEditorSpec = {
  fields: [{ key: "flowId", label: "Flow", kind: "flow" }],
  defaults: () => ({ flowId: "" }),
};
