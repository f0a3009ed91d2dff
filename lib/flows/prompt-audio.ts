// Prompts are ready before calls: publishing renders every TTS prompt of the flow through the
// workers' TTS job (one audio asset per text, reused by content hash) and publishes only once all
// of them are ready, pointing each prompt at its asset. Saving a draft starts the renders in the
// background, so by the time the author publishes the audio is usually there already.
//
// Our choice over a "preparing audio…" published state: a published version is always one callers
// can hear in full. A publish that outlasts the wait is refused with 409 ("still preparing audio")
// while the renders carry on, and publishing again moments later succeeds.
import { createTtsAsset } from "../audio/service";
import { mapPrompts, textsToRender, ttsContentHash } from "../audio/prompt-audio";
import { db } from "../db";
import { AppError } from "../errors";
import type { DraftDocument, FlowDocument } from "../ivr";
import { logger } from "../log";

/** How long a publish waits for the workers (espeak-ng renders a sentence in well under a second). */
export const PUBLISH_AUDIO_WAIT_MS = 20_000;
const POLL_MS = 100;

type AssetState = { id: string; status: string; error: string | null };

const shortName = (text: string) => `Prompt: ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;

/** Finds or creates (and enqueues) the TTS asset of every text; returns them by text. */
export async function requestPromptAudio(orgId: string, doc: DraftDocument): Promise<Map<string, AssetState>> {
  const texts = textsToRender(doc);
  const assets = new Map<string, AssetState>();
  for (const text of texts) {
    const asset = await createTtsAsset(orgId, { name: shortName(text), text }, true);
    assets.set(text, { id: asset.id, status: asset.status, error: asset.error ?? null });
  }
  return assets;
}

/** How long queueing the renders may take (Redis down must not hang the editor). */
const QUEUE_WAIT_MS = 2_000;

/** `work`, or "late" once `ms` have passed (the work carries on; its failure is logged, never unhandled). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  work.catch((err) => logger.warn({ err }, "queueing prompt renders failed"));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the renders for a saved draft; a problem here never fails or holds up the save. */
export async function renderDraftPrompts(orgId: string, doc: DraftDocument): Promise<void> {
  try {
    if ((await within(requestPromptAudio(orgId, doc), QUEUE_WAIT_MS)) === "late")
      logger.warn({ orgId }, "queueing the draft's prompts is slow; saved without waiting");
  } catch {
    // logged by within()
  }
}

async function current(orgId: string, ids: string[]): Promise<AssetState[]> {
  return db.audioAsset.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, status: true, error: true } });
}

/**
 * Renders the document's TTS prompts and waits until every one is ready; returns the document with
 * each such prompt pointing at its asset (the text stays, for the path and the editor).
 */
export async function withReadyPromptAudio(orgId: string, doc: FlowDocument, waitMs = PUBLISH_AUDIO_WAIT_MS): Promise<FlowDocument> {
  const assets = await within(requestPromptAudio(orgId, doc), QUEUE_WAIT_MS + waitMs);
  if (assets === "late")
    throw new AppError("upstream_failed", "The audio queue is not answering, so the prompts cannot be prepared; try publishing again shortly.");
  const deadline = Date.now() + waitMs;
  let states = [...assets.values()];
  for (;;) {
    const failed = [...assets].find(([, a]) => states.find((s) => s.id === a.id)?.status === "failed");
    if (failed) {
      const reason = states.find((s) => s.id === failed[1].id)?.error ?? "unknown error";
      throw new AppError("validation_failed", `The audio for “${failed[0].slice(0, 80)}” could not be made (${reason}). Change the text or try again.`);
    }
    const pending = states.filter((s) => s.status !== "ready");
    if (pending.length === 0) break;
    if (Date.now() >= deadline) {
      throw new AppError("conflict", `Still preparing audio for ${pending.length} prompt(s); publish again in a moment.`, { preparing: pending.length });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    states = await current(
      orgId,
      [...assets.values()].map((a) => a.id),
    );
  }
  return mapPrompts(doc, (p) => {
    const text = p.text?.trim();
    const asset = !p.assetId && text ? assets.get(text) : undefined;
    return asset ? { ...p, assetId: asset.id } : p;
  });
}

/** The ready TTS asset for `text` in the organisation, if the workers have rendered it. */
export async function readyTtsAsset(orgId: string, text: string) {
  return db.audioAsset.findFirst({
    where: { orgId, kind: "tts", contentHash: ttsContentHash(text.trim()), status: "ready" },
    select: { id: true, storageKey: true },
    orderBy: { createdAt: "desc" },
  });
}
