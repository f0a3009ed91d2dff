// `npx tsx scripts/make-builtin-prompts.ts` — renders the built-in messages (lib/audio/prompt-audio.ts)
// to public/audio/prompts/<name>.ogg with the same TTS pipeline the workers use (Piper when
// configured, else espeak-ng). The outputs are committed: the gateway plays them and never synthesizes.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BUILT_IN_PROMPTS, BUILT_IN_PROMPTS_DIR } from "../lib/audio/prompt-audio";
import { synthesize } from "../lib/audio/tts";

const out = path.resolve(import.meta.dirname, "..", BUILT_IN_PROMPTS_DIR);
await fs.mkdir(out, { recursive: true });
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "ringflow-builtin-"));
try {
  for (const [name, text] of Object.entries(BUILT_IN_PROMPTS)) {
    const file = await synthesize(text, { audioDir: tmp });
    await fs.copyFile(file, path.join(out, `${name}.ogg`));
    process.stdout.write(`${name}.ogg  “${text}”\n`);
  }
} finally {
  await fs.rm(tmp, { recursive: true, force: true });
}
