// `npm run wa-sim:call -- [--digits 2,1234#] [--from 5511987654321] [--web http://localhost:3000] [--no-talk]`
// Places a simulated WhatsApp call to the demo number through the running system: a signed
// webhook to the web app, real media with the gateway, digits pressed after each prompt; then it
// "talks" (a 440 Hz tone) and stays on the line until the business ends the call (or --max secs).
import { db } from "../../lib/db";
import { handleText, shownSteps } from "../../lib/calls/path-words";
import { endedByText, noAgentAnswered } from "../../lib/calls/present";
import { STATUS_TEXT } from "../../lib/calls/present-row";
import { demoAccount } from "./demo-account";
import { SimulatedCaller } from "./caller";
import { tonePackets } from "./tone";
import { cliArgs } from "./cli-args";
import type { RecordedRequest } from "./fake-graph";

const USAGE = `Usage: npm run wa-sim:call -- [options]
Places a simulated WhatsApp call to the demo number through the running demo.
  --digits 2,1234#       digit groups to press, one group after each prompt (default: none)
  --wait 4               seconds before each digit group
  --from 5511987654321   the caller's number
  --name "Maria Lima"    the caller's WhatsApp profile name (default: "Caller" and the number's last 4 digits)
  --no-talk              stay silent instead of talking (a 440 Hz tone) once the digits are pressed
  --max 600              hang up after this many seconds if the business has not
  --web http://localhost:3000, --sim http://127.0.0.1:4590, --phone-number-id ID
  -h, --help             this text`;
const out = (s: string) => process.stdout.write(`${s}\n`);

const values = cliArgs(
  {
    options: {
      digits: { type: "string", default: "" },
      from: { type: "string", default: "5511987654321" },
      name: { type: "string" },
      web: { type: "string", default: "http://localhost:3000" },
      sim: { type: "string", default: "http://127.0.0.1:4590" },
      "phone-number-id": { type: "string" },
      wait: { type: "string", default: "4" },
      "no-talk": { type: "boolean", default: false },
      max: { type: "string", default: "600" },
      help: { type: "boolean", short: "h", default: false },
    },
  },
  USAGE,
);

const account = await demoAccount(values["phone-number-id"]);
const caller = new SimulatedCaller({
  line: account.line,
  appSecret: account.appSecret,
  from: values.from,
  // Callers from different numbers read differently in Contacts and Callbacks.
  name: values.name?.trim() || `Caller ${values.from.slice(-4)}`,
  deliver: async (raw, signature) => {
    const res = await fetch(`${values.web}/api/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: new Uint8Array(raw),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  },
  graphRequests: async (callId) => (await (await fetch(`${values.sim}/_sim/requests?call_id=${encodeURIComponent(callId)}`)).json()) as RecordedRequest[],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
out(`Calling +${account.line.displayPhone} from +${values.from} …`);
await caller.dial();
out("Connected. Listening…");
for (const group of values.digits.split(",").filter(Boolean)) {
  await sleep(Number(values.wait) * 1000);
  out(`Pressing ${group}`);
  await caller.press(group);
}
if (!values["no-talk"]) {
  caller.talk(tonePackets(440, 1));
  out("Talking (a 440 Hz tone) and staying on the line until the business hangs up; Ctrl-C hangs up.");
}
// Ctrl-C hangs up, and the call is still summed up below.
let interrupted = false;
process.once("SIGINT", () => {
  interrupted = true;
});
const maxSecs = Number(values.max);
const deadline = Date.now() + maxSecs * 1000;
let ended = false;
let lastStatus = "";
while (!ended && !interrupted && Date.now() < deadline) {
  await sleep(500);
  const reqs = (await (await fetch(`${values.sim}/_sim/requests?call_id=${encodeURIComponent(caller.callId)}`)).json()) as RecordedRequest[];
  ended = reqs.some((r) => r.action === "terminate");
  const now = await db.call.findFirst({ where: { waCallId: caller.callId }, select: { status: true, agent: { select: { name: true } } } });
  const phase = now?.status === "answered" && now.agent ? "in call" : now?.status.replace("_", " ");
  const status = now ? `${phase}${now.agent ? ` with ${now.agent.name}` : ""}` : "";
  if (status && status !== lastStatus) out(`  call is ${status}`);
  lastStatus = status;
}
if (interrupted) {
  out("Hanging up (Ctrl-C).");
  await caller.hangUp();
} else if (!ended) {
  out(`Still connected after ${maxSecs} s; hanging up.`);
  await caller.hangUp();
} else await caller.close();
out(`Heard ${caller.audio().length} audio packets (${(caller.audio().length * 0.02).toFixed(1)} s: prompts, hold music and the agent).`);
// The call log in the words its page uses; the gateway closes the row a moment after the hang-up.
const loggedCall = () => db.call.findFirst({ where: { waCallId: caller.callId }, include: { steps: { orderBy: { seq: "asc" } } } });
let call = await loggedCall();
for (let waited = 0; call && !call.endedAt && waited < 5_000; waited += 250) {
  await sleep(250);
  call = await loggedCall();
}
for (const s of shownSteps(call?.steps ?? [])) out(`  → ${s.label || s.nodeId} (${s.nodeType}): ${handleText(s)}`);
if (!call) out("The call log has no row for this call.");
else {
  const noAgent = noAgentAnswered({ ...call, agent: call.agentId });
  out(`Call log: ${STATUS_TEXT[call.status]}${noAgent ? " (no agent answered)" : ""} · ${endedByText(call)}`);
}
await db.$disconnect();
process.exit(0);
