// The web server's start-up check (instrumentation.ts): without its production secrets it exits,
// where Next.js would keep serving and answer every request with a 500. Node.js only.
import { assertProductionSecrets } from "./index";

export function refuseToStartWithoutSecrets() {
  try {
    assertProductionSecrets();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
