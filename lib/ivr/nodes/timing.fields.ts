import type { NodeEditorSpec } from "./fields";

const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export const timingEditor: NodeEditorSpec = {
  fields: [{ key: "schedule", label: "Business hours", kind: "schedule" }],
  defaults: () => ({
    timezone: "Europe/London",
    schedule: Object.fromEntries(weekdays.map((d, i) => [d, { enabled: i < 5, start: "09:00", end: "17:00" }])),
    overrides: [],
  }),
};
