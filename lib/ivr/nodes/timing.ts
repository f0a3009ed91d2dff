// Business hours: in_hours / out_of_hours by the node's IANA time zone, weekly schedule and overrides.
import type { z } from "zod";
import { isOpen, rangesLabel, scheduleSchema } from "../schedule";
import { defineNode } from "./node";

export const timingConfig = scheduleSchema;
type TimingConfig = z.infer<typeof timingConfig>;

export const timing = defineNode<TimingConfig>({
  type: "timing",
  title: "Business hours",
  configSchema: timingConfig,
  terminal: false,
  handles: () => ["in_hours", "out_of_hours"],
  requiredHandles: () => ["in_hours", "out_of_hours"],
  summary(c) {
    const open = Object.entries(c.schedule).filter(([, d]) => d.enabled);
    return `${c.timezone} · ${open.length ? open.map(([k, d]) => `${k} ${rangesLabel(d.ranges)}`)[0] : "always closed"}${open.length > 1 ? ` +${open.length - 1}` : ""}`;
  },
  enter(rt) {
    return { kind: "next", handle: isOpen(rt.config, rt.now) ? "in_hours" : "out_of_hours" };
  },
});
