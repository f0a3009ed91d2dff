// Runs once when the web server starts: a production server without its secrets refuses to start
// (Next.js would otherwise keep serving, answering every request with a 500).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertProductionSecrets } = await import("./lib/config");
  try {
    assertProductionSecrets();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
