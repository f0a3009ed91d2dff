// Runs an external tool (ffmpeg, ffprobe, espeak-ng, piper) with a deadline: a tool that hangs on a
// bad file is killed, and the error says which tool and how long it was given.
import { execFile } from "node:child_process";

export class ToolTimeoutError extends Error {
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`${tool} did not finish within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped`);
    this.name = "ToolTimeoutError";
  }
}

export interface RunToolOptions {
  timeoutMs: number;
  /** Written to the tool's stdin, which is then closed. */
  input?: string;
  maxBufferBytes?: number;
}

export function runTool(tool: string, args: string[], opts: RunToolOptions): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      tool,
      args,
      { timeout: opts.timeoutMs, killSignal: "SIGKILL", maxBuffer: opts.maxBufferBytes ?? 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.killed && e.signal === "SIGKILL") return reject(new ToolTimeoutError(tool, opts.timeoutMs));
        reject(Object.assign(err, { stderr }));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
