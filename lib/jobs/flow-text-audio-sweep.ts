// Scheduled (hourly, see workers/main.ts): deletes audio rendered from flows' prompt text that no flow
// plays any more (lib/audio/flow-text-sweep.ts).
import { z } from "zod";
import { sweepFlowTextAudio } from "../audio/flow-text-sweep";
import { defineJob } from "./job";

export const FLOW_TEXT_AUDIO_SWEEP_EVERY_MS = 60 * 60 * 1000;

export const flowTextAudioSweepJob = defineJob({
  name: "audio.flow-text-sweep",
  schema: z.object({}).passthrough(),
  attempts: 3,
  backoffMs: 60_000,
  async handle(_input, { log }) {
    const deleted = await sweepFlowTextAudio();
    if (deleted) log?.info({ deleted }, "deleted audio rendered from prompt text no flow plays any more");
  },
});
