// Usage: npx tsx bench/cpu-profile-top.ts <file.cpuprofile> [rows=25] [inclusive=regex]
//
// Reads a V8 CPU profile (node --cpu-prof, e.g. a gateway run with BENCH_GATEWAY_NODE_ARGS) and
// prints where the time went: self time by function and by module (file, or package under
// node_modules), and the share of garbage collection, idle and program time. With a regex, also
// the inclusive time (the function and everything it called) of functions whose name matches.
import fs from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
const ROWS = Number(process.argv[3] ?? 25);
const INCLUSIVE = process.argv[4] ? new RegExp(process.argv[4]) : null;
if (!file) {
  process.stderr.write("Usage: npx tsx bench/cpu-profile-top.ts <file.cpuprofile> [rows=25]\n");
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** A module name: the package under node_modules, else the path from the repository root. */
function moduleOf(url: string): string {
  if (!url) return "(native / V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return url;
  const m = url.match(/\/(lib|media-gateway|tools|bench)\/.*/);
  return m ? m[0].slice(1) : url;
}

const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const { functionName, url, lineNumber } = n.callFrame;
  const mod = moduleOf(url);
  const fn = `${functionName || "(anonymous)"} ${mod}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byModule.set(mod, (byModule.get(mod) ?? 0) + us);
}

const out = (s = "") => process.stdout.write(`${s}\n`);
const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
function top(m: Map<string, number>) {
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, ROWS)) out(`${ms(us)} ${pct(us)}  ${k}`);
}
const special = (name: string) => byFunction.get(`${name} (native / V8)`) ?? 0;
out(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`);
out(`idle ${pct(special("(idle)"))}, garbage collection ${pct(special("(garbage collector)"))}, program ${pct(special("(program)"))}`);
out();
out("self time by function:");
top(byFunction);
out();
out("self time by module:");
top(byModule);

if (INCLUSIVE) {
  // Inclusive time: a sample counts once for every distinct matching function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => `${n.callFrame.functionName} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      if (!INCLUSIVE.test(n.callFrame.functionName)) continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  out();
  out(`inclusive time of functions matching ${INCLUSIVE}:`);
  top(inclusive);
}
