// Waiting for a web server started by a test or a bench to answer /api/health.
import type { ChildProcess } from "node:child_process";

/**
 * Polls `${url}/api/health` until it answers 2xx. Gives up at `deadline` (epoch ms), or at once when
 * `server` (the process serving `url`) has exited; `detail` (e.g. the first error in its log) is added
 * to the error.
 */
export async function waitForHealth(url: string, deadline: number, server?: ChildProcess, detail: () => string = () => ""): Promise<void> {
  let last = "no answer yet";
  for (;;) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      // fetch() says only "fetch failed"; the reason (ECONNREFUSED…) is in its cause.
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      last = `${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`;
    }
    const exited = server !== undefined && (server.exitCode !== null || server.signalCode !== null);
    if (exited || Date.now() > deadline) {
      const why = exited ? `the web server exited (${server.exitCode ?? server.signalCode})` : "the web server did not become healthy in time";
      const more = detail();
      throw new Error(`${why}; last answer: ${last}${more ? `\n${more}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
