// Runs once when the web server starts: a production server without its secrets refuses to start
// (Next.js would otherwise keep serving, answering every request with a 500). The check lives in a
// module imported only under the Node.js runtime, so the Edge build never sees its process calls. Then
// the server warms itself up (lib/config/warm-up.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { refuseToStartWithoutSecrets } = await import("./lib/config/startup-check");
    refuseToStartWithoutSecrets();
    // Not awaited: the server starts listening meanwhile, and the warm-up asks it for its first pages.
    const { warmUp } = await import("./lib/config/warm-up");
    void warmUp();
  }
}
