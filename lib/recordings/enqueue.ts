// Hands a recording to the finalise job; the job id is the recording id, so repeats are no-ops.
import { recordingFinaliseJob } from "../jobs/recording-finalise";
import { enqueue, queueFor } from "../jobs/registry";

export async function enqueueFinalise(recordingId: string) {
  // A job that ran out of attempts while its recording is still "processing" gets another round.
  const existing = await queueFor("recordings").getJob(recordingId);
  if (existing && (await existing.isFailed())) {
    await existing.retry("failed");
    return existing;
  }
  return enqueue(recordingFinaliseJob, { recordingId }, recordingId);
}
