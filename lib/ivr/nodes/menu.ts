// DTMF menu: a digit picks an option; timeouts and unknown digits retry, then max_retries.
//
// `interruptible: false` means the caller hears the whole prompt, as with the greeting: digits
// pressed while it plays are ignored (not kept as type-ahead), and type-ahead from earlier nodes is
// dropped on entry. Once the prompt has ended, the menu listens as usual until its timeout.
import { z } from "zod";
import { OPTION_LABEL_MAX, promptSchema } from "../document";
import { defineNode, type NodeRuntime, type Outcome } from "./node";
import { requirePrompt } from "./prompt-check";

const digit = z.string().regex(/^[0-9*#]$/, "must be one key: 0–9, * or #");

export const menuConfig = z.strictObject({
  prompt: promptSchema.default({}),
  timeoutSecs: z.number().int().min(1).max(120).default(10),
  maxRetries: z.number().int().min(0).max(10).default(3),
  interruptible: z.boolean().default(true),
  options: z
    .array(z.strictObject({ digit, label: z.string().max(OPTION_LABEL_MAX).default("") }))
    .max(12)
    .default([]),
});
type MenuConfig = z.infer<typeof menuConfig>;

function replay(rt: NodeRuntime<MenuConfig>): Outcome {
  rt.play(rt.config.prompt, rt.config.interruptible);
  return undefined;
}

function choose(rt: NodeRuntime<MenuConfig>, d: string): Outcome {
  if (rt.config.options.some((o) => o.digit === d)) return { kind: "next", handle: `digit:${d}`, digits: d };
  // The key goes on the step, so the call log says which one it was.
  return rt.retry("default", rt.config.maxRetries, () => replay(rt), d);
}

export const menu = defineNode<MenuConfig>({
  type: "menu",
  title: "Menu",
  configSchema: menuConfig,
  terminal: false,
  handles: (c) => [...c.options.map((o) => `digit:${o.digit}`), "timeout", "max_retries", "default"],
  // timeout/default replay the prompt when not connected; options and max_retries must lead somewhere.
  requiredHandles: (c) => [...c.options.map((o) => `digit:${o.digit}`), "max_retries"],
  check(c) {
    const issues = requirePrompt(c.prompt, "menu");
    if (c.options.length === 0) issues.push({ severity: "error", message: "Add at least one option (a key callers can press)" });
    const seen = new Set<string>();
    for (const o of c.options) {
      if (seen.has(o.digit)) issues.push({ severity: "error", message: `Key ${o.digit} is used by more than one option` });
      seen.add(o.digit);
    }
    return issues;
  },
  summary: (c) => c.options.map((o) => `${o.digit}: ${o.label || "…"}`).join(" · ") || "no options",
  enter(rt) {
    if (!rt.config.interruptible) {
      rt.clearTypeahead();
      return replay(rt);
    }
    const ahead = rt.takeDigit();
    return ahead === undefined ? replay(rt) : choose(rt, ahead);
  },
  onEvent(rt, event) {
    switch (event.type) {
      case "playback_done":
        rt.setTimer(rt.config.timeoutSecs);
        return undefined;
      case "digit":
        if (rt.playing && !rt.config.interruptible) return undefined;
        rt.stopPlayback();
        rt.cancelTimer();
        return choose(rt, event.digit);
      case "timer_fired":
        return rt.retry("timeout", rt.config.maxRetries, () => replay(rt));
      default:
        return undefined;
    }
  },
});
