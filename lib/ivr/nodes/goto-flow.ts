// Continues in another flow at its entry node; variables carry over.
import { z } from "zod";
import { defineNode } from "./node";

export const gotoFlowConfig = z.strictObject({ flowId: z.string().default("") });

export const gotoFlow = defineNode<z.infer<typeof gotoFlowConfig>>({
  type: "goto_flow",
  title: "Go to flow",
  configSchema: gotoFlowConfig,
  terminal: true,
  handles: () => [],
  requiredHandles: () => [],
  check(c, ctx) {
    if (!c.flowId) return [{ severity: "error", message: "Choose the flow to go to" }];
    if (ctx.flowIds && !ctx.flowIds.has(c.flowId)) return [{ severity: "error", message: "The chosen flow no longer exists" }];
    if (c.flowId === ctx.currentFlowId) {
      return [{ severity: "warning", message: "Goes back to the start of this same flow; the loop guard will end endless loops" }];
    }
    return [];
  },
  summary: (c) => (c.flowId ? "to another flow" : "no flow chosen"),
  enter: (rt) => ({ kind: "goto", flowId: rt.config.flowId }),
});
