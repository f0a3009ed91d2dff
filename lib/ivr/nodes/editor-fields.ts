// Registry of the node editor declarations by type (see fields.ts).
import type { NodeType } from "../document";
import type { NodeEditorSpec } from "./fields";
import { gatherEditor } from "./gather.fields";
import { gotoFlowEditor } from "./goto-flow.fields";
import { greetingEditor } from "./greeting.fields";
import { hangupEditor } from "./hangup.fields";
import { httpCallbackEditor } from "./http-callback.fields";
import { menuEditor } from "./menu.fields";
import { timingEditor } from "./timing.fields";
import { transferEditor } from "./transfer.fields";

export const NODE_EDITORS: Record<NodeType, NodeEditorSpec> = {
  greeting: greetingEditor,
  menu: menuEditor,
  gather: gatherEditor,
  http_callback: httpCallbackEditor,
  transfer: transferEditor,
  goto_flow: gotoFlowEditor,
  timing: timingEditor,
  hangup: hangupEditor,
};

export type { FieldDecl, NodeEditorSpec } from "./fields";

/** A config key in the words the properties panel labels it with ("teamId" → "team"); other keys as they are. */
export function fieldLabel(type: NodeType, key: string): string {
  const label = NODE_EDITORS[type]?.fields.find((f) => f.key === key)?.label;
  return label ? label[0]!.toLowerCase() + label.slice(1) : key;
}
