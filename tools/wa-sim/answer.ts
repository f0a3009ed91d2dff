// `npm run wa-sim:answer -- --to 5511987654321 [--mode answer|reject|never] [--after 2] [--grant]`
// The WhatsApp user an agent calls from the demo: waits for the business's `connect` to this number
// on the running simulator, rings, then answers (and talks, a 440 Hz tone), rejects, or lets it ring.
// `--grant` first grants call permission (the simulator's `call_permissions` and the reply webhook).
import { db } from "../../lib/db";
import { demoAccount } from "./demo-account";
import { SimulatedCallee } from "./callee";
import type { RecordedRequest } from "./fake-graph";
import { cliArgs } from "./cli-args";
import { tonePackets } from "./tone";

const USAGE = `Usage: npm run wa-sim:answer -- [options]
Waits for an agent's call from the running demo to this WhatsApp user, rings, then answers it.
  --to 5511987654321          the number the agent calls
  --mode answer|reject|never  answer (and talk, a 440 Hz tone), decline, or let it ring (default: answer)
  --after 2                   seconds it rings before answering or declining
  --grant                     first allow calls from the business (the reply to a permission request)
  --wait 600                  give up if no call comes within this many seconds
  --max 600                   hang up after this many seconds of talking if the agent has not
  --web http://localhost:3000, --sim http://127.0.0.1:4590, --phone-number-id ID
  -h, --help                  this text`;
const values = cliArgs(
  {
    options: {
      to: { type: "string", default: "5511987654321" },
      mode: { type: "string", default: "answer" },
      after: { type: "string", default: "2" },
      grant: { type: "boolean", default: false },
      web: { type: "string", default: "http://localhost:3000" },
      sim: { type: "string", default: "http://127.0.0.1:4590" },
      "phone-number-id": { type: "string" },
      wait: { type: "string", default: "600" },
      max: { type: "string", default: "600" },
      help: { type: "boolean", short: "h", default: false },
    },
  },
  USAGE,
);
if (!["answer", "reject", "never"].includes(values.mode)) {
  process.stderr.write(`--mode must be answer, reject or never (got "${values.mode}")\n\n${USAGE}\n`);
  process.exit(2);
}
for (const key of ["after", "wait", "max"] as const) {
  if (!(Number(values[key]) >= 0)) {
    process.stderr.write(`--${key} must be a number of seconds (got "${values[key]}")\n\n${USAGE}\n`);
    process.exit(2);
  }
}
const out = (s: string) => process.stdout.write(`${s}\n`);
/** A call placed this recently (before this started) still rings at the contact: it is picked up. */
const RECENT_CALL_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const account = await demoAccount(values["phone-number-id"]);
const sim = async (path: string, body?: unknown) =>
  fetch(`${values.sim}${path}`, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {});
const callee = new SimulatedCallee({
  line: account.line,
  appSecret: account.appSecret,
  waId: values.to,
  deliver: async (raw, signature) => {
    const res = await fetch(`${values.web}/api/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: new Uint8Array(raw),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  },
  connects: async (to) => (await (await sim(`/_sim/requests?action=connect&to=${encodeURIComponent(to)}`)).json()) as RecordedRequest[],
  setPermission: (userWaId, status) => sim("/_sim/permissions", { userWaId, status }),
});

if (values.grant) {
  await callee.replyToPermissionRequest(true, { expiresAt: Math.floor(Date.now() / 1000) + 7 * 86400 });
  out(`+${values.to} granted call permission for 7 days.`);
}
// A call the agent placed a moment before this started, and still ringing, is answered too.
const ended = new Set(((await (await sim("/_sim/requests?action=terminate")).json()) as RecordedRequest[]).map((r) => r.callId));
await callee.ignoreEarlierCalls((r) => Date.now() - r.at < RECENT_CALL_MS && !ended.has(r.callId));
out(`Waiting for a call to +${values.to} (mode: ${values.mode}) …`);
try {
  await callee.waitForCall(Number(values.wait) * 1000);
} catch {
  process.stderr.write(
    `No call reached +${values.to} within ${values.wait} s. Start this first, then press Call on the contact's page in the demo (or use --wait for longer).\n`,
  );
  await db.$disconnect();
  process.exit(1);
}
out("Ringing.");
/** Polls the simulator until the business terminates this call (or `ms` pass); true when it did. */
async function businessEnded(ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const reqs = (await (await sim(`/_sim/requests?call_id=${encodeURIComponent(callee.callId)}`)).json()) as RecordedRequest[];
    if (reqs.some((r) => r.action === "terminate")) return true;
    await sleep(500);
  }
  return false;
}
if (values.mode === "never") {
  out("Letting it ring (the business ends it after outgoing_ring_timeout_secs) …");
  const rangSince = Date.now();
  const ended = await businessEnded(Number(values.max) * 1000);
  out(
    ended
      ? `The business ended the call after ${Math.round((Date.now() - rangSince) / 1000)} s of ringing.`
      : `Still ringing after --max ${values.max} s; leaving.`,
  );
  await db.$disconnect();
  process.exit(0);
}
await sleep(Number(values.after) * 1000);
if (values.mode === "reject") {
  await callee.reject();
  out("Declined.");
  process.exit(0);
}
await callee.answer();
callee.talk(tonePackets(440, 1));
out("Answered; talking (a 440 Hz tone). Ctrl-C hangs up.");
process.once("SIGINT", () => void callee.hangUp().then(() => process.exit(0)));
if (await businessEnded(Number(values.max) * 1000)) {
  out(`The business ended the call; heard ${callee.audio().length} audio packets (ringback is the business's, not heard here).`);
} else {
  out(`Hanging up after --max ${values.max} s; heard ${callee.audio().length} audio packets.`);
  await callee.hangUp();
}
await callee.close();
await db.$disconnect();
process.exit(0);
