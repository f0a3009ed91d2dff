// Plays a prompt, then continues. Interruptible: a digit skips the rest and is kept as type-ahead
// for the next node. Not interruptible: digits pressed while it plays are ignored (the menu's
// `interruptible: false` behaves the same way).
import { z } from "zod";
import { promptSchema } from "../document";
import { defineNode } from "./node";
import { promptSummary, requirePrompt } from "./prompt-check";

export const greetingConfig = z.strictObject({
  prompt: promptSchema.default({}),
  interruptible: z.boolean().default(true),
});

export const greeting = defineNode<z.infer<typeof greetingConfig>>({
  type: "greeting",
  title: "Greeting",
  configSchema: greetingConfig,
  terminal: false,
  handles: () => ["default"],
  requiredHandles: () => ["default"],
  check: (c) => requirePrompt(c.prompt, "greeting"),
  summary: (c) => promptSummary(c.prompt),
  enter(rt) {
    rt.play(rt.config.prompt, rt.config.interruptible);
    return undefined;
  },
  onEvent(rt, event) {
    if (event.type === "playback_done") return { kind: "next", handle: "default" };
    if (event.type === "digit" && rt.config.interruptible) {
      rt.stopPlayback();
      rt.bufferDigit(event.digit);
      return { kind: "next", handle: "default" };
    }
    return undefined;
  },
});
