// Collects digits until the terminator, maxDigits, or the inter-digit timeout; stores them.
import { z } from "zod";
import { promptSchema } from "../document";
import { defineNode, type NodeRuntime, type Outcome } from "./node";
import { requirePrompt } from "./prompt-check";

export const gatherConfig = z.strictObject({
  prompt: promptSchema.default({}),
  maxDigits: z.number().int().min(1).max(64).default(10),
  terminator: z.enum(["#", "*", ""]).default("#"),
  storeAs: z
    .string()
    .regex(/^[A-Za-z_]\w{0,39}$/, "must be a variable name (letters, digits, _)")
    .default("digits"),
  timeoutSecs: z.number().int().min(1).max(120).default(10),
  interDigitTimeoutSecs: z.number().int().min(1).max(60).default(5),
  maxRetries: z.number().int().min(0).max(10).default(3),
});
type GatherConfig = z.infer<typeof gatherConfig>;

const collected = (rt: NodeRuntime<GatherConfig>) => String(rt.local.digits ?? "");

function replay(rt: NodeRuntime<GatherConfig>): Outcome {
  rt.local.digits = "";
  rt.play(rt.config.prompt, true);
  return undefined;
}

function finish(rt: NodeRuntime<GatherConfig>): Outcome {
  const digits = collected(rt);
  if (!digits) return rt.retry("timeout", rt.config.maxRetries, () => replay(rt));
  return { kind: "next", handle: "default", digits, vars: { [rt.config.storeAs]: digits } };
}

/** Adds one key; returns an outcome when the input is complete. */
function press(rt: NodeRuntime<GatherConfig>, key: string): Outcome | "more" {
  if (rt.config.terminator && key === rt.config.terminator) return finish(rt);
  rt.local.digits = collected(rt) + key;
  return collected(rt).length >= rt.config.maxDigits ? finish(rt) : "more";
}

export const gather = defineNode<GatherConfig>({
  type: "gather",
  title: "Gather digits",
  configSchema: gatherConfig,
  terminal: false,
  handles: () => ["default", "timeout", "max_retries"],
  requiredHandles: () => ["default", "max_retries"],
  sets: (c) => [c.storeAs],
  check: (c) => requirePrompt(c.prompt, "gather prompt"),
  summary: (c) => `up to ${c.maxDigits} digits${c.terminator ? `, end with ${c.terminator}` : ""} → {{${c.storeAs}}}`,
  enter(rt) {
    rt.local.digits = "";
    for (let key = rt.takeDigit(); key !== undefined; key = rt.takeDigit()) {
      const r = press(rt, key);
      if (r !== "more") return r;
    }
    if (collected(rt)) {
      rt.setTimer(rt.config.interDigitTimeoutSecs);
      return undefined;
    }
    rt.play(rt.config.prompt, true);
    return undefined;
  },
  onEvent(rt, event) {
    switch (event.type) {
      case "playback_done":
        rt.setTimer(rt.config.timeoutSecs);
        return undefined;
      case "digit": {
        rt.stopPlayback();
        rt.cancelTimer();
        const r = press(rt, event.digit);
        if (r !== "more") return r;
        rt.setTimer(rt.config.interDigitTimeoutSecs);
        return undefined;
      }
      case "timer_fired":
        return finish(rt);
      default:
        return undefined;
    }
  },
});
