// An IVR path step in words for the call timeline: the handle the call left by ("pressed 1",
// "timed out", "HTTP 200"), plus what the step recorded (digits, variables, HTTP result, time).
// Handle names come from lib/ivr/nodes/*.ts; HTTP status is only on record when the node stores
// its response in a variable (storeResponseAs), so otherwise we say "HTTP 2xx" / "HTTP error".
import { END_REASONS } from "./present";

export interface StepRecord {
  nodeType: string;
  handle: string | null;
  digits: string | null;
  variables: unknown;
  enteredAt: Date;
  leftAt: Date | null;
}

/**
 * The steps a path shows: a transfer nobody took is one step (its result), not its hand-off and
 * then its result under the same name twice.
 */
export function shownSteps<S extends { nodeId: string; nodeType: string; handle: string | null }>(steps: S[]): S[] {
  return steps.filter((s, i) => !(s.nodeType === "transfer" && s.handle === null && steps[i + 1]?.nodeId === s.nodeId));
}

interface HttpResponseVar {
  ok: boolean;
  status: number | null;
  error: string | null;
}

const isHttpResponse = (v: unknown): v is HttpResponseVar =>
  typeof v === "object" && v !== null && "ok" in v && "status" in v && typeof (v as { ok: unknown }).ok === "boolean";

function variablesOf(s: StepRecord): Record<string, unknown> {
  return s.variables && typeof s.variables === "object" && !Array.isArray(s.variables) ? (s.variables as Record<string, unknown>) : {};
}

/** The HTTP result an http_callback step stored, if it stored one. */
export function httpResult(s: StepRecord): HttpResponseVar | null {
  if (s.nodeType !== "http_callback") return null;
  return Object.values(variablesOf(s)).find(isHttpResponse) ?? null;
}

/** Why nobody took a transfer, in words, for its no-answer step (the `transfer_result` it set); else null. */
function transferNotTakenWords(s: StepRecord): string | null {
  const result = s.handle === "no_answer" ? variablesOf(s).transfer_result : undefined;
  return (typeof result === "string" && END_REASONS[result]) || null;
}

export function handleText(s: StepRecord): string {
  const h = s.handle;
  if (h === "error") {
    const error = variablesOf(s).error;
    return `failed: ${typeof error === "string" ? error : "flow error"}`;
  }
  const http = httpResult(s);
  if (h === "http:2xx") return http?.status ? `HTTP ${http.status}` : "HTTP 2xx";
  if (h === "http:error") return http?.status ? `HTTP ${http.status} (error)` : http?.error ? `HTTP error: ${http.error}` : "HTTP error";
  const whyNotTaken = transferNotTakenWords(s);
  if (whyNotTaken) return `no agent answered: ${whyNotTaken}`;
  if (h === "default" && http) {
    if (http.ok) return `HTTP ${http.status}`;
    return http.status ? `HTTP ${http.status} (error)` : `HTTP error${http.error ? `: ${http.error}` : ""}`;
  }
  return handleWords(s.nodeType, h, s.digits);
}

/**
 * The handle a step left its node by, in words, from what every view of a path has: the node's type
 * (null where it is not kept, as in the exits rollup), the handle and the digits. handleText() adds
 * what only a stored step has (the error, the HTTP status).
 */
export function handleWords(nodeType: string | null, h: string | null, digits?: string | null): string {
  if (h?.startsWith("digit:")) return `pressed ${h.slice(6)}`;
  switch (h) {
    case "error":
      return "failed";
    case "timeout":
      return nodeType === "gather" ? "timed out (no digits entered)" : "timed out (no key pressed)";
    case "max_retries":
      return "gave up after too many tries";
    case "invalid":
      return "pressed a key that is not an option";
    case "in_hours":
      return "within business hours";
    case "out_of_hours":
      return "outside business hours";
    case "http:2xx":
      return "HTTP 2xx";
    case "http:error":
      return "HTTP error";
    case "no_answer":
      return "no agent answered";
    case "caller_hangup":
      return "the caller hung up";
    case "default":
      switch (nodeType) {
        case "greeting":
          return "played";
        case "gather":
          return digits ? `entered ${digits}` : "entered digits";
        case "menu":
          return digits ? `pressed ${digits} (not an option)` : "pressed a key that is not an option";
        case "http_callback":
          return "called the API";
        default:
          return "continued";
      }
    case null:
      switch (nodeType) {
        case "hangup":
          return "hung up";
        case "transfer":
          return "transferred to the team";
        case "goto_flow":
          return "went to another flow";
        default:
          return "call ended here";
      }
    default:
      return h;
  }
}

/** Variables the step set, as "name = value" (the HTTP response reads as its status). */
export function variablesText(s: StepRecord): string[] {
  return (
    Object.entries(variablesOf(s))
      // Said in words by handleText(): the error, and why nobody took a transfer.
      .filter(([k]) => k !== "error" && !(k === "transfer_result" && transferNotTakenWords(s)))
      .map(([k, v]) => {
        if (isHttpResponse(v)) return `${k} = HTTP ${v.status ?? "no response"}`;
        const text = typeof v === "string" ? v : JSON.stringify(v);
        return `${k} = ${text.length > 80 ? `${text.slice(0, 77)}…` : text}`;
      })
  );
}

/** How long the step took, in ms; for an HTTP callback this is the API's round trip plus a little engine time. */
export function stepMillis(s: StepRecord): number | null {
  return s.leftAt ? Math.max(0, s.leftAt.getTime() - s.enteredAt.getTime()) : null;
}
