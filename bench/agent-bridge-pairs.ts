// Direct werift pairs that never touch the gateway, the yardsticks of bench/agent-bridge.ts, and the
// one-way latency of tagged packets.
import { waitConnected, whatsappCodecs } from "../lib/media/webrtc";
import { MediaClock } from "../media-gateway/media/clock";
import { DIR_TO_AGENT, DIR_TO_CALLER } from "./agent-bridge-call";
import { root } from "./agent-bridge-config";
import { sleep } from "./harness";
import { ProbePeer, RemoteAnswerer, Talker } from "./rtp-probe";

/** One-way latencies (ms) of tagged packets from `talker` heard by `receiver` after `from`. */
export function oneWay(talker: Pick<Talker, "dir" | "stream" | "sentAt">, receiver: Pick<ProbePeer, "heard">, from: number, to: number): number[] {
  const lat: number[] = [];
  for (const h of receiver.heard) {
    if (!h.tag || h.tag.dir !== talker.dir || h.tag.stream !== talker.stream) continue;
    const sent = talker.sentAt[h.tag.counter];
    if (sent !== undefined && sent >= from && sent <= to) lat.push(h.at - sent);
  }
  return lat;
}

/**
 * A direct werift pair in this process (caller-like ICE-lite offerer ↔ answerer), talking both ways on
 * its own clock started half a tick after the shared one, so it sees the same machine load as the
 * bridged calls without contending for the same tick.
 */
export async function directPair(clock: MediaClock, stream: number) {
  const a = new ProbePeer({ iceLite: true, codecs: whatsappCodecs() }, "offer");
  const b = new ProbePeer({ codecs: whatsappCodecs() }, "answer");
  await a.setAnswer(await b.answer(await a.offer()));
  await Promise.all([waitConnected(a.pc, 10_000), waitConnected(b.pc, 10_000)]);
  await new Promise<void>((r) => {
    const off = clock.subscribe(() => {
      off();
      r();
    });
  });
  await sleep(10);
  const own = new MediaClock(20);
  const ta = new Talker(a, DIR_TO_AGENT, stream, own);
  const tb = new Talker(b, DIR_TO_CALLER, stream, own);
  return {
    a,
    b,
    ta,
    tb,
    async close() {
      ta.stop();
      tb.stop();
      own.stop();
      await Promise.all([a.close(), b.close()]);
    },
  };
}

/**
 * The same direct pair with its answerer in a child process: one loopback hop between two event loops,
 * which is what a caller talking straight to an agent would cost at the least. The bridge's own share
 * is what the gateway path takes beyond this.
 */
export async function crossProcessPair(stream: number) {
  const remote = new RemoteAnswerer(root);
  try {
    const a = new ProbePeer({ iceLite: true, codecs: whatsappCodecs() }, "offer");
    await a.setAnswer(await remote.answer(await a.offer()));
    await waitConnected(a.pc, 10_000);
    remote.talk(DIR_TO_CALLER, stream);
    const own = new MediaClock(20);
    await sleep(5);
    const ta = new Talker(a, DIR_TO_AGENT, stream, own);
    return {
      ta,
      a,
      /** Ends both sides; the child's arrivals and send times on this process's clock. */
      async finish() {
        ta.stop();
        own.stop();
        const report = await remote.report();
        await a.close();
        return { b: { heard: report.heard }, tb: { dir: DIR_TO_CALLER, stream, sentAt: report.sentAt } };
      },
    };
  } catch (err) {
    remote.kill();
    throw err;
  }
}
