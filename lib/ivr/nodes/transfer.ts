// Hands the caller to a team of agents; the host rings them and reports accept/timeout. When nobody
// accepts (or nobody is available), the optional `no_answer` output continues the flow; without
// it the caller hears the flow's "no agent" goodbye.
import { z } from "zod";
import { defineNode } from "./node";

export const transferConfig = z.strictObject({
  teamId: z.string().default(""),
  /** When no agent of the team is available at all, take `no_answer` at once instead of holding. */
  skipWhenNoAgents: z.boolean().default(true),
});

export const transfer = defineNode<z.infer<typeof transferConfig>>({
  type: "transfer",
  title: "Transfer to team",
  configSchema: transferConfig,
  terminal: false,
  handles: () => ["no_answer"],
  requiredHandles: () => [],
  check(c, ctx) {
    if (!c.teamId) return [{ severity: "error", message: "Choose the team to transfer to" }];
    if (ctx.teamIds && !ctx.teamIds.has(c.teamId)) return [{ severity: "error", message: "The chosen team no longer exists" }];
    return [];
  },
  summary: (c) => (c.teamId ? "to team" : "no team chosen"),
  enter: (rt) => ({ kind: "transfer", teamId: rt.config.teamId, skipWhenNoAgents: rt.config.skipWhenNoAgents }),
});
