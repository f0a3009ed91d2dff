// The gateway as one ES module of our own code (packages stay imports from node_modules), built by
// esbuild in about 0.1 s. A process of it is ready in about 1.4 s instead of 2.4 s under tsx's
// loader (every module resolved and transformed through its hooks thread, slower still on a loaded
// machine): how soon `npm run gateway` has a crashed child back, and what each test's gateway costs.
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
/** Inside the repository, so the bundle's package imports resolve to its node_modules. */
const OUT = path.join(root, "node_modules/.cache/ringflow/gateway.mjs");

let built: Promise<string> | undefined;

/**
 * Builds media-gateway/main.ts into the bundle once per process (the sources may have changed since
 * the last run) and returns its path. Written to a temporary file and renamed, so processes building
 * at the same time never run a half-written bundle. Run it with `--enable-source-maps`: stack traces
 * then name the TypeScript sources.
 */
export function gatewayBundle(): Promise<string> {
  built ??= (async () => {
    const result = await build({
      entryPoints: [path.join(root, "media-gateway/main.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      sourcemap: "inline",
      write: false,
      logLevel: "silent",
    });
    const tmp = `${OUT}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(tmp, result.outputFiles[0]!.contents);
    fs.renameSync(tmp, OUT);
    return OUT;
  })();
  return built;
}

/**
 * Node arguments that run the gateway: the bundle, or the TypeScript source under tsx when asked
 * (CPU profiles then name its files) or when the bundle cannot be written (a read-only install).
 */
export async function gatewayEntry(fromSource = false): Promise<string[]> {
  const source = ["--import", "tsx", path.join(root, "media-gateway/main.ts")];
  if (fromSource) return source;
  try {
    return ["--enable-source-maps", await gatewayBundle()];
  } catch (err) {
    // Imported here: lib/log reads the config when loaded, and a bench importing this module writes
    // its own config file (CONFIG_FILE) only after its imports.
    const { logger } = await import("../lib/log");
    logger.warn({ err }, "could not build the gateway bundle; running the gateway from source under tsx (slower to start)");
    return source;
  }
}
