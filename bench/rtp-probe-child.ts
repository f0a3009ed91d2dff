// One werift answerer in its own process, for benchmarks that need a direct pair whose two ends do not
// share an event loop (as a real caller and agent never do). Driven over the fork IPC channel:
//   { type: "answer", offer }       → { type: "answer", sdp }
//   { type: "talk", dir, stream }   starts a Talker on this process's own 20 ms clock
//   { type: "report" }              → { type: "report", heard, sentAt } and exits
// Times go back on the machine-wide monotonic clock (process.hrtime, ms) so that the parent can put
// them on its own performance.now() scale (see monotonicOffsetMs in rtp-probe.ts).
import { whatsappCodecs } from "../lib/media/webrtc";
import { MediaClock } from "../media-gateway/media/clock";
import { monotonicOffsetMs, ProbePeer, Talker } from "./rtp-probe";

type Message = { type: "answer"; offer: string } | { type: "talk"; dir: number; stream: number } | { type: "report" };

const reply = (m: unknown) => process.send?.(m);
let peer: ProbePeer | null = null;
let talker: Talker | null = null;
let clock: MediaClock | null = null;

process.on("message", (m: Message) => {
  void handle(m).catch((err: Error) => {
    reply({ type: "error", message: err.message });
    process.exit(1);
  });
});
// The parent going away ends this process too.
process.on("disconnect", () => process.exit(0));

async function handle(m: Message) {
  if (m.type === "answer") {
    peer = new ProbePeer({ codecs: whatsappCodecs() }, "answer");
    reply({ type: "answer", sdp: await peer.answer(m.offer) });
  } else if (m.type === "talk") {
    if (!peer) throw new Error("talk before answer");
    clock = new MediaClock(20);
    talker = new Talker(peer, m.dir, m.stream, clock);
  } else if (m.type === "report") {
    talker?.stop();
    clock?.stop();
    const offset = monotonicOffsetMs();
    reply({
      type: "report",
      heard: (peer?.heard ?? []).flatMap((h) => (h.tag ? [{ at: h.at + offset, tag: h.tag, payloadType: h.payloadType }] : [])),
      sentAt: (talker?.sentAt ?? []).map((t) => t + offset),
    });
    await peer?.close();
    process.exit(0);
  }
}
