// The words the editor shows for a node's outputs. The raw handle (`digit:1`, `max_retries`) stays
// the document's truth and is shown as the tooltip; this is presentation only.
import type { NodeType } from "../document";

const BY_HANDLE: Record<string, string> = {
  timeout: "No input",
  max_retries: "Too many tries",
  in_hours: "Open",
  out_of_hours: "Closed",
  "http:2xx": "Request succeeded",
  "http:error": "Request failed",
  no_answer: "No agent answered",
};

/** What `default` means differs per node: the next step, a key no option uses, digits collected… */
const DEFAULT_BY_TYPE: Partial<Record<NodeType, string>> = {
  greeting: "Next",
  menu: "Any other key",
  gather: "Digits entered",
  http_callback: "Any other result",
};

export function handleLabel(type: NodeType, config: Record<string, unknown>, handle: string): string {
  if (handle.startsWith("digit:")) {
    const key = handle.slice("digit:".length);
    const options = Array.isArray(config.options) ? (config.options as { digit?: unknown; label?: unknown }[]) : [];
    const label = options.find((o) => o.digit === key)?.label;
    return typeof label === "string" && label.trim() ? `Pressed ${key} · ${label.trim()}` : `Pressed ${key}`;
  }
  if (handle === "default") return DEFAULT_BY_TYPE[type] ?? "Next";
  return BY_HANDLE[handle] ?? handle;
}
