// Property: any valid flow, under any sequence of caller/host events, never throws and always
// reaches a hangup or a transfer within the step limit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeSpec, parseExecutable, SimulatedCall } from "../../../lib/ivr";

const MIDDLE = ["greeting", "menu", "gather", "http_callback", "timing"] as const;
const LAST = ["hangup", "transfer", "goto_flow"] as const;
const prompt = { text: "Prompt" };
const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, { enabled: true, start: "08:00", end: "18:00" }]));

function configFor(type: string, rnd: number): Record<string, unknown> {
  switch (type) {
    case "greeting":
      return { prompt, interruptible: rnd % 2 === 0 };
    case "menu":
      return { prompt, timeoutSecs: 1 + (rnd % 5), maxRetries: rnd % 4, options: [{ digit: "1" }, { digit: String(2 + (rnd % 7)) }] };
    case "gather":
      return { prompt, maxDigits: 1 + (rnd % 6), terminator: rnd % 3 ? "#" : "", timeoutSecs: 2, maxRetries: rnd % 3 };
    case "http_callback":
      return { url: "https://x.test/{{digits}}", storeResponseAs: "r" };
    case "timing":
      return { timezone: "Europe/Berlin", schedule: week };
    case "transfer":
      return { teamId: "team" };
    case "goto_flow":
      return { flowId: "other" };
    default:
      return rnd % 2 ? { prompt } : {};
  }
}

const docArb = fc
  .record({
    middle: fc.array(fc.tuple(fc.constantFrom(...MIDDLE), fc.nat(1000)), { minLength: 1, maxLength: 10 }),
    last: fc.constantFrom(...LAST),
    targets: fc.array(fc.nat(100), { minLength: 80, maxLength: 80 }),
    maxSteps: fc.integer({ min: 5, max: 60 }),
  })
  .map(({ middle, last, targets, maxSteps }) => {
    const nodes = [
      ...middle.map(([type, rnd], i) => ({ id: `n${i}`, type, config: configFor(type, rnd) })),
      { id: "end", type: last, config: configFor(last, 0) },
    ];
    const edges: { id: string; source: string; sourceHandle: string; target: string }[] = [];
    let t = 0;
    nodes.forEach((n, i) => {
      const spec = nodeSpec(n.type as never);
      if (spec.terminal || i === nodes.length - 1) return;
      const config = spec.configSchema.parse(n.config);
      spec.handles(config).forEach((handle, h) => {
        // The first handle keeps the chain reachable; the others go anywhere (loops included).
        const target = h === 0 ? nodes[i + 1]!.id : nodes[(targets[t++ % targets.length] ?? 0) % nodes.length]!.id;
        edges.push({ id: `e${edges.length}`, source: n.id, sourceHandle: handle, target });
      });
    });
    return parseExecutable({ entryNodeId: "n0", nodes, edges, settings: { maxSteps } });
  });

const eventArb = fc.oneof(
  fc.constant({ kind: "finish" as const }),
  fc.record({ kind: fc.constant("press" as const), key: fc.constantFrom(..."0123456789*#x") }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 15_000 }) }),
  fc.record({ kind: fc.constant("http" as const), status: fc.constantFrom(200, 201, 404, 500, undefined) }),
  fc.constant({ kind: "transfer_timeout" as const }),
  fc.constant({ kind: "hangup" as const }),
);

type FuzzEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function drive(call: SimulatedCall, e: FuzzEvent) {
  switch (e.kind) {
    case "finish":
      if (call.playing) call.finishPrompt();
      break;
    case "press":
      call.press(e.key);
      break;
    case "advance":
      call.advance(e.ms);
      break;
    case "http":
      if (call.pendingRequest) call.respond(e.status ? { status: e.status, body: "{}" } : { error: "ECONNREFUSED" });
      break;
    case "transfer_timeout":
      call.transferTimeout();
      break;
    case "hangup":
      call.callerHangsUp();
      break;
  }
}

/** The host keeps doing what it would (prompts end, timers fire, requests answer) until the call settles. */
function settle(call: SimulatedCall): number {
  for (let i = 0; i < 5_000; i++) {
    if (call.ended || call.state.phase === "transferring" || call.state.phase === "connected") return i;
    if (call.state.phase === "awaiting_flow") call.loadFlow("other", null);
    else if (call.playing) call.finishPrompt();
    else if (call.pendingRequest) call.respond({ status: 200 });
    else if (call.timers.size) call.advance(60_000);
    else throw new Error(`stuck in ${call.state.phase} at ${call.currentNodeId}`);
  }
  throw new Error("did not settle");
}

describe("engine properties", () => {
  it("always ends in hangup or transfer, within the step limit, without throwing", () => {
    fc.assert(
      fc.property(docArb, fc.array(eventArb, { maxLength: 60 }), (doc, events) => {
        const call = new SimulatedCall(doc);
        call.start();
        for (const e of events) drive(call, e);
        settle(call);
        expect(call.state.steps).toBeLessThanOrEqual(doc.settings.maxSteps + 1);
        if (call.ended) expect(call.state.outcome?.kind).toBe("hangup");
        expect(call.path.every((p, i) => p.seq === i + 1)).toBe(true);
        // Nothing is left running once the call is over.
        if (call.ended) expect(call.timers.size + (call.playing ? 1 : 0)).toBe(0);
      }),
      { numRuns: 400 },
    );
  });
});
