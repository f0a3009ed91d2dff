// Registry of node modules by type.
import type { NodeType } from "../document";
import { gather } from "./gather";
import { gotoFlow } from "./goto-flow";
import { greeting } from "./greeting";
import { hangup } from "./hangup";
import { httpCallback } from "./http-callback";
import { menu } from "./menu";
import type { NodeSpec } from "./node";
import { timing } from "./timing";
import { transfer } from "./transfer";

export const NODE_SPECS: Record<NodeType, NodeSpec<never>> = {
  greeting,
  menu,
  gather,
  http_callback: httpCallback,
  transfer,
  goto_flow: gotoFlow,
  timing,
  hangup,
} as unknown as Record<NodeType, NodeSpec<never>>;

export function nodeSpec(type: NodeType): NodeSpec<unknown> {
  return NODE_SPECS[type] as unknown as NodeSpec<unknown>;
}

export type { NodeSpec } from "./node";
