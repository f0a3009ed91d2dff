import type { NodeEditorSpec } from "./fields";

export const transferEditor: NodeEditorSpec = {
  fields: [
    {
      key: "teamId",
      label: "Team",
      kind: "team",
      help: "Available agents of the team ring; the first to accept takes the call. Connect “No agent answered” for callers nobody takes (else they hear the flow's no-agent goodbye).",
    },
    { key: "skipWhenNoAgents", label: "Skip the wait when nobody in the team is available", kind: "checkbox" },
  ],
  defaults: () => ({ teamId: "", skipWhenNoAgents: true }),
};
