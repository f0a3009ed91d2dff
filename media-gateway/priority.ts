// The gateway's scheduling priority. A forwarded packet waits for this process to be scheduled, so on a
// host shared with batch work (web builds, the workers' ffmpeg) media goes first, as telephony servers do.
import os from "node:os";
import type { Logger } from "pino";

/**
 * Sets this process's nice value (`[gateway] nice`); without the right to raise it (root, CAP_SYS_NICE,
 * or systemd's Nice= already applied) it says so and runs on at the priority it has. Returns the value in force.
 */
export function applyNice(nice: number, log: Logger): number {
  const before = os.getPriority();
  if (before === nice) return nice;
  try {
    os.setPriority(nice);
  } catch (err) {
    log.warn(
      { nice, inForce: before, err: (err as Error).message },
      "could not set the gateway's scheduling priority ([gateway] nice needs root, CAP_SYS_NICE or systemd Nice=); media may wait behind other work",
    );
  }
  return os.getPriority();
}
