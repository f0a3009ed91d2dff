// `npm run ivr:sim -- flow.json [--at 2026-01-05T10:00:00Z] [--fake-http] [--caller 15550001234]`
// Runs a flow document from a file. Type digits (e.g. 1 or 1234#) and Enter to press them; an empty
// line lets the current prompt finish (or waits for the next timeout); `wait N` advances N seconds;
// `hangup` hangs up. goto_flow loads <flowId>.json from the same folder. Prints the IVR path.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { SimulatedCall, validateFlow } from "../lib/ivr";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--") && !/^\d{4}-/.test(a) && !/^\+?\d+$/.test(a));
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!file) {
  process.stderr.write("usage: npm run ivr:sim -- flow.json [--at ISO-time] [--fake-http] [--caller PHONE]\n");
  process.exit(2);
}

function load(p: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(p, "utf8"));
  } catch (err) {
    process.stderr.write(`Cannot read ${p}: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

const result = validateFlow(load(file));
for (const issue of result.issues) {
  process.stdout.write(`${issue.severity === "error" ? "✗" : "!"} ${issue.message}\n`);
}
if (!result.document) {
  process.stdout.write("The flow has errors and cannot run.\n");
  process.exit(1);
}

const at = opt("--at");
const call = new SimulatedCall(result.document, {
  now: at ? Date.parse(at) : Date.now(),
  callerPhone: opt("--caller") ?? "15550001234",
  flowId: path.basename(file, ".json"),
});
const fakeHttp = args.includes("--fake-http");
const out = (line: string) => process.stdout.write(`${line}\n`);
let shownSteps = 0;
let shownPrompts = 0;

function report() {
  for (const s of call.path.slice(shownSteps)) {
    out(`  → ${s.label || s.nodeId} (${s.nodeType}) ${s.handle ?? "end"}${s.digits ? ` [${s.digits}]` : ""}${s.error ? ` — ${s.error}` : ""}`);
  }
  shownSteps = call.path.length;
  for (const p of call.prompts.slice(shownPrompts)) out(`  ♪ ${p.text?.trim() ? `“${p.text.trim()}”` : `audio ${p.assetId}`}`);
  shownPrompts = call.prompts.length;
}

async function hostWork() {
  for (;;) {
    report();
    if (call.pendingRequest) {
      const req = call.pendingRequest;
      out(`  ⇄ ${req.method} ${req.url}${req.missingVariables.length ? ` (unset: ${req.missingVariables.join(", ")})` : ""}`);
      if (fakeHttp) call.respond({ status: 200, body: "{}" });
      else {
        // The node's timeout is the engine's timer: a host that has not answered by then lets the
        // simulated clock reach it, and the engine takes the error path as on a real call.
        const startedAt = Date.now();
        try {
          const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
          const body = await res.text();
          call.advance(Math.min(Date.now() - startedAt, req.timeoutMs - 1));
          if (call.pendingRequest) call.respond({ status: res.status, body });
        } catch (err) {
          const e = err as Error;
          if (e.name === "TimeoutError") call.advance(req.timeoutMs);
          else call.respond({ error: e.message });
        }
      }
      continue;
    }
    if (call.gotoFlowId) {
      const id = call.gotoFlowId;
      const p = path.join(path.dirname(file!), `${id}.json`);
      call.loadFlow(id, fs.existsSync(p) ? load(p) : null);
      continue;
    }
    if (call.state.phase === "transferring") out(`  ☎ transfer to team ${call.transferTeamId} (simulation ends here)`);
    return;
  }
}

function finished(): boolean {
  return call.ended || call.state.phase === "transferring" || call.state.phase === "connected";
}

async function handle(line: string) {
  const input = line.trim();
  if (input === "hangup") call.callerHangsUp();
  else if (input.startsWith("wait")) call.advance(Number(input.split(/\s+/)[1] ?? "1") * 1000);
  else if (input === "") {
    if (call.playing) call.finishPrompt();
    else if (call.timers.size) call.advance(Math.min(...call.timers.values()) - call.now);
  } else if (/^[0-9*#]+$/.test(input)) call.press(input);
  else out("  ? type digits, an empty line, `wait N` or `hangup`");
  await hostWork();
}

call.start();
await hostWork();
const rl = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of rl) {
  if (finished()) break;
  await handle(line);
}
// Input ended: let prompts finish so the path shows where the call would go.
for (let i = 0; i < 200 && call.playing && !finished(); i++) await handle("");
report();
out(
  finished()
    ? `Call ended: ${call.hangup ? `${call.hangup.reason} (${call.hangup.disconnectedBy})` : call.state.phase}`
    : "Input ended; the call is still waiting.",
);
rl.close();
