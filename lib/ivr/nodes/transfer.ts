// Hands the caller to a team of agents; the host rings them and reports accept/timeout.
import { z } from "zod";
import { defineNode } from "./node";

export const transferConfig = z.strictObject({ teamId: z.string().default("") });

export const transfer = defineNode<z.infer<typeof transferConfig>>({
  type: "transfer",
  title: "Transfer to team",
  configSchema: transferConfig,
  terminal: true,
  handles: () => [],
  requiredHandles: () => [],
  check(c, ctx) {
    if (!c.teamId) return [{ severity: "error", message: "Choose the team to transfer to" }];
    if (ctx.teamIds && !ctx.teamIds.has(c.teamId)) return [{ severity: "error", message: "The chosen team no longer exists" }];
    return [];
  },
  summary: (c) => (c.teamId ? "to team" : "no team chosen"),
  enter: (rt) => ({ kind: "transfer", teamId: rt.config.teamId }),
});
