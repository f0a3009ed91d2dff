// ≥ 1,000 malformed or mutated, correctly signed webhook bodies: never a 5xx, never a half-written call.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { connectPayload, type Line, newCallId, permissionReplyPayload, sampleOffer, statusPayload, terminatePayload } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";

const SECRET = "fuzz-app-secret";
const TOKEN = "EAAG-fuzz-token";
let line: Line;
let accountId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Fuzz Org" });
  line = { phoneNumberId: "777000777000777", displayPhone: "15550007777" };
  const account = await createAccount(db, org.id, { ...line, appSecret: SECRET, accessToken: TOKEN });
  accountId = account.id;
  await createFlow(db, org.id, { accountId });
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
});
afterAll(() => db.$disconnect());

type J = unknown;
const weird: J[] = [
  null,
  0,
  -1,
  1e308,
  "",
  "\u0000",
  "x".repeat(5000),
  [],
  {},
  [[[]]],
  { a: { b: { c: null } } },
  true,
  "CONNECT",
  "Terminate",
  "wacid.\u0000",
  "\ud800",
  "x\udc00y",
];

function paths(v: J, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== "object") return [prefix];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [prefix, ...keys.flatMap((k) => paths((v as Record<string, J>)[k as string], [...prefix, k]))];
}

function mutate(v: J, path: (string | number)[], op: number, value: J): J {
  if (path.length === 0) return op % 3 === 0 ? undefined : value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, J> & J[];
  if (rest.length === 0 && op % 3 === 0) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head!];
  } else {
    copy[head!] = mutate(copy[head!], rest, op, value);
  }
  return copy;
}

const base = () => {
  const callId = newCallId();
  const from = "5511900000000";
  return [
    connectPayload(line, { callId, from, sdp: sampleOffer() }),
    terminatePayload(line, { callId, from, duration: 3 }),
    statusPayload(line, { callId, to: from, status: "ACCEPTED" }),
    permissionReplyPayload(line, { from, accept: true }),
  ];
};

describe("webhook fuzz", () => {
  it("answers 200/400 to 1,000 signed malformed bodies and leaves nothing half-done", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(3),
        fc.array(fc.tuple(fc.nat(1000), fc.nat(11), fc.constantFrom(...weird)), { minLength: 1, maxLength: 4 }),
        fc.nat(5),
        async (which, mutations, rawMode) => {
          let body: J = base()[which];
          for (const [p, op, value] of mutations) {
            const all = paths(body);
            body = mutate(body, all[p % all.length]!, op, value);
          }
          let text = JSON.stringify(body) ?? "";
          if (rawMode === 0) text = text.slice(0, Math.floor(text.length / 2)); // truncated
          if (rawMode === 1) text = text.replace(/"/, "'"); // not JSON
          const raw = Buffer.from(text);
          const r = await receiveWebhook(raw, signBody(raw, SECRET));
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          expect([200, 400, 401]).toContain(r.status);
          await r.process();
        },
      ),
      { numRuns: 1000 },
    );
    // Every persisted event was processed (or stored with its parse error), and no call is left
    // ringing without an owner: each was assigned, rejected or closed.
    expect(await db.webhookEvent.count({ where: { accountId, processedAt: null } })).toBe(0);
    expect(await db.call.count({ where: { accountId, status: "ringing", gatewayId: null } })).toBe(0);
    expect(statuses.get(200)).toBeGreaterThan(100);
    expect(statuses.get(400)).toBeGreaterThan(100);
  }, 120_000);
});
