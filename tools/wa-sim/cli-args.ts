// The simulator's command-line tools parse their flags one way: `-h/--help` (which each declares)
// prints the usage, and an unknown or malformed flag says what was wrong, then the usage, and exits 2
// (never a stack trace).
import { type ParseArgsConfig, parseArgs } from "node:util";

export function cliArgs<const T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>>["values"] {
  let values: ReturnType<typeof parseArgs<T>>["values"];
  try {
    values = parseArgs(config).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
  if ((values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return values;
}
