// Ends the call, after an optional goodbye.
import { z } from "zod";
import { promptSchema } from "../document";
import { defineNode } from "./node";
import { promptSummary } from "./prompt-check";

export const hangupConfig = z.strictObject({ prompt: promptSchema.nullish() });

export const hangup = defineNode<z.infer<typeof hangupConfig>>({
  type: "hangup",
  title: "Hang up",
  configSchema: hangupConfig,
  terminal: true,
  handles: () => [],
  requiredHandles: () => [],
  summary: (c) => (c.prompt ? promptSummary(c.prompt) : "no goodbye"),
  enter: (rt) => ({ kind: "hangup", prompt: rt.config.prompt }),
});
