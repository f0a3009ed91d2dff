// Which audio a prompt plays, shared by the publish path (web) and the media gateway. TTS text is
// rendered ahead of calls by the workers into an audio asset keyed by a content hash; the
// built-in goodbyes and the "not available" fallback ship pre-rendered under public/audio/prompts
// (scripts/make-builtin-prompts.ts). Nothing here synthesizes.
import { createHash } from "node:crypto";
import { DEFAULT_ERROR_TEXT, DEFAULT_NO_AGENT_TEXT, type DraftDocument, type Prompt } from "../ivr/document";

/** The voice TTS assets are recorded under (the workers pick Piper or espeak-ng by config). */
export const TTS_VOICE = "default";

export function ttsContentHash(text: string): string {
  return createHash("sha256").update(`${TTS_VOICE}\n${text}`).digest("hex");
}

/** Pre-rendered messages by file name (public/audio/prompts/<name>.ogg). */
export const BUILT_IN_PROMPTS = {
  "error-goodbye": DEFAULT_ERROR_TEXT,
  "no-agents": DEFAULT_NO_AGENT_TEXT,
  /** Played instead of a prompt whose audio is missing at call time. */
  unavailable: "Sorry, this message is not available right now.",
} as const;
export type BuiltInPrompt = keyof typeof BUILT_IN_PROMPTS;
export const BUILT_IN_PROMPTS_DIR = "public/audio/prompts";

export function builtInPromptFor(text: string): BuiltInPrompt | null {
  const t = text.trim();
  return (Object.keys(BUILT_IN_PROMPTS) as BuiltInPrompt[]).find((k) => BUILT_IN_PROMPTS[k] === t) ?? null;
}

export const isPromptKey = (key: string) => /prompt$/i.test(key);

function mapConfig(config: Record<string, unknown>, fn: (p: Prompt) => Prompt): Record<string, unknown> {
  let out = config;
  for (const [key, value] of Object.entries(config)) {
    if (isPromptKey(key) && value && typeof value === "object") {
      const next = fn(value as Prompt);
      if (next !== value) out = { ...out, [key]: next };
    }
  }
  return out;
}

/** A copy of the document with `fn` applied to every prompt (node configs and flow settings). */
export function mapPrompts<D extends DraftDocument>(doc: D, fn: (p: Prompt) => Prompt): D {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => ({ ...n, config: mapConfig(n.config, fn) })),
    settings: mapConfig(doc.settings as Record<string, unknown>, fn) as D["settings"],
  };
}

/** Every distinct TTS text the document speaks that is neither an uploaded asset nor a built-in. */
export function textsToRender(doc: DraftDocument): string[] {
  const texts = new Set<string>();
  mapPrompts(doc, (p) => {
    const t = p.text?.trim();
    if (!p.assetId && t && !builtInPromptFor(t)) texts.add(t);
    return p;
  });
  return [...texts];
}
