// Meta's calling refusals as sentences a person can act on, always with the 1380xx code, so an
// agent sees why a call or a permission request did not go out.
import { GraphApiError } from "./graph-client";

const SENTENCES: Record<number, string> = {
  138000: "WhatsApp could not place this call",
  138002: "This number has reached its limit of calls at the same time; try again when a call ends",
  138003: "WhatsApp already has a call in progress with this contact",
  138006: "This contact has not given permission to be called",
  138009: "The daily limit of call-permission requests to this contact is reached; try again tomorrow",
  138012: "The daily limit of business-initiated calls to this contact is reached; try again tomorrow",
  138013: "The limit of call-permission requests to this contact is reached for now",
  138021: "WhatsApp received no audio from us and ended the call",
};

export interface Refusal {
  /** Meta's code (1380xx), or null when the failure was not Meta's answer. */
  code: number | null;
  /** The plain sentence, ending with the code: "… (#138012)". */
  sentence: string;
  /** What Meta said, verbatim. */
  metaMessage: string;
}

export function describeRefusal(code: number | null, metaMessage: string): Refusal {
  const known = code !== null ? SENTENCES[code] : undefined;
  const base = known ?? (code !== null ? `WhatsApp refused: ${metaMessage}` : metaMessage);
  return { code, metaMessage, sentence: code !== null ? `${base} (#${code})` : base };
}

export function refusalOf(err: unknown): Refusal {
  if (err instanceof GraphApiError) return describeRefusal(err.code, err.details ? `${err.message} — ${err.details}` : err.message);
  return describeRefusal(null, (err as Error).message);
}
