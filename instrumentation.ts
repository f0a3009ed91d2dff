// Runs once when the web server starts: a production server without its secrets refuses to start
// (Next.js would otherwise keep serving, answering every request with a 500). The check lives in a
// module imported only under the Node.js runtime, so the Edge build never sees its process calls.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { refuseToStartWithoutSecrets } = await import("./lib/config/startup-check");
    refuseToStartWithoutSecrets();
  }
}
