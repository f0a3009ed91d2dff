// Intervals that keep time in a background tab. Chrome throttles a hidden page's timers to once a
// minute after a few minutes, which would let a 20 s heartbeat slip past the server's 60 s
// staleness limit; timers inside a dedicated worker are not throttled that way.

/** Calls `fn` every `ms`; returns a function that stops it. Falls back to setInterval without workers. */
export function every(ms: number, fn: () => void): () => void {
  let worker: Worker | null = null;
  let url: string | null = null;
  try {
    url = URL.createObjectURL(new Blob([`setInterval(() => postMessage(0), ${Math.max(1, Math.floor(ms))});`], { type: "text/javascript" }));
    worker = new Worker(url);
    worker.onmessage = () => fn();
  } catch {
    if (url) URL.revokeObjectURL(url);
    worker = null;
    url = null;
  }
  if (!worker) {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  }
  const w = worker;
  return () => {
    w.terminate();
    if (url) URL.revokeObjectURL(url);
  };
}
