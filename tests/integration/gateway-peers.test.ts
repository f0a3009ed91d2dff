// The gateway's answering peers over loopback UDP: one port per peer from the gateway's pool, only
// the advertised address bound, the process's DTLS certificate in every answer (a new one after
// rotation, without disturbing peers already up), another port when one is held by another process,
// and a refusal at once when the ports run out.
import dgram from "node:dgram";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MediaStreamTrack, RTCPeerConnection } from "werift";
import { parseConfig } from "../../lib/config";
import { CertificateRotation } from "../../media-gateway/call/dtls-certificate";
import { waitConnected, waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { answerOffer, hostAddress, NoFreePortError, sharePeerResources } from "../../media-gateway/call/peer";
import { PortPool } from "../../media-gateway/call/port-pool";
import { heldUdpPorts } from "../helpers/free-port";

const MIN = 10620;
const MAX = 10623;
const calling = parseConfig(`[calling]\nudp_port_min = ${MIN}\nudp_port_max = ${MAX}\n`).calling;
const certificates = new CertificateRotation();
let pool: PortPool;
const open: RTCPeerConnection[] = [];

/** A WhatsApp-like offer: ICE-lite, host candidates on the machine's address and 127.0.0.1. */
async function whatsappOffer() {
  const pc = new RTCPeerConnection({ iceLite: true, codecs: whatsappCodecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
  open.push(pc);
  pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
  await pc.setLocalDescription(await pc.createOffer());
  await waitGathered(pc, 3_000);
  return pc;
}

async function answer() {
  const caller = await whatsappOffer();
  const answered = await answerOffer(caller.localDescription!.sdp, calling, () => {});
  open.push(answered.pc);
  return { caller, ...answered };
}

const heldPorts = () => heldUdpPorts(MIN, MAX);

const candidates = (sdp: string) => sdp.split(/\r?\n/).filter((l) => l.startsWith("a=candidate:"));
const fingerprint = (sdp: string) => sdp.match(/^a=fingerprint:sha-256 (\S+)/m)?.[1];

beforeAll(async () => {
  await certificates.start();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((pc) => pc.close()));
  sharePeerResources({});
});

afterAll(() => certificates.stop());

describe("an answering peer on a gateway", () => {
  it("binds one port, advertises only 127.0.0.1 without a public IP, and gives the port back when closed", async () => {
    pool = new PortPool(MIN, MAX);
    sharePeerResources({ ports: pool, certificate: () => certificates.current });
    const { caller, pc, answer: sdp } = await answer();
    expect(candidates(sdp)).toHaveLength(1);
    expect(candidates(sdp)[0]).toMatch(new RegExp(` udp \\d+ 127\\.0\\.0\\.1 ${MIN} typ host`));
    expect(await heldPorts()).toEqual([MIN]);
    expect(pool.inUse).toBe(1);

    await caller.setRemoteDescription({ type: "answer", sdp });
    await waitConnected(pc, 10_000);
    await pc.close();
    expect(pool.inUse).toBe(0);
    expect(await heldPorts()).toEqual([]);
  });

  it("with a public IP, binds one port on the address the machine reaches it from and advertises the public IP", async () => {
    pool = new PortPool(MIN, MAX);
    sharePeerResources({ ports: pool, certificate: () => certificates.current });
    const natted = parseConfig(`[calling]\nudp_port_min = ${MIN}\nudp_port_max = ${MAX}\npublic_ip = "203.0.113.7"\n`).calling;
    const caller = await whatsappOffer();
    const { pc, answer: sdp } = await answerOffer(caller.localDescription!.sdp, natted, () => {});
    open.push(pc);
    expect(candidates(sdp)).toHaveLength(1);
    expect(candidates(sdp)[0]).toMatch(new RegExp(` udp \\d+ 203\\.0\\.113\\.7 ${MIN} typ host`));
    expect(await heldPorts()).toEqual([MIN]);
    const local = await hostAddress(natted);
    expect(local).not.toBe("127.0.0.1");
    expect(await hostAddress(parseConfig(`[calling]\npublic_ip = "${local}"\n`).calling)).toBe(local);
  });

  it("puts the gateway's certificate in every answer, and a rotated one only in answers made after", async () => {
    pool = new PortPool(MIN, MAX);
    sharePeerResources({ ports: pool, certificate: () => certificates.current });
    const first = await answer();
    const second = await answer();
    const before = certificates.current!.getFingerprints()[0]!.value;
    expect(fingerprint(first.answer)).toBe(before);
    expect(fingerprint(second.answer)).toBe(before);

    await first.caller.setRemoteDescription({ type: "answer", sdp: first.answer });
    await waitConnected(first.pc, 10_000);
    await certificates.rotate();
    const third = await answer();
    expect(fingerprint(third.answer)).not.toBe(before);
    expect(fingerprint(third.answer)).toBe(certificates.current!.getFingerprints()[0]!.value);
    await third.caller.setRemoteDescription({ type: "answer", sdp: third.answer });
    await waitConnected(third.pc, 10_000);
    expect(first.pc.connectionState).toBe("connected");
  });

  it("answers on the pool's next port when another process holds the one it was given", async () => {
    pool = new PortPool(MIN, MAX);
    sharePeerResources({ ports: pool, certificate: () => certificates.current });
    // The first block's port and its fallback are held, as a caller's ephemeral socket might.
    const squatters = await Promise.all(
      [MIN, MIN + 1].map(async (port) => {
        const socket = dgram.createSocket("udp4");
        await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", () => resolve()));
        return socket;
      }),
    );
    try {
      const answered = await answer();
      expect(candidates(answered.answer)).toHaveLength(1);
      expect(candidates(answered.answer)[0]).toContain(` ${MIN + 2} typ host`);
      expect(pool.inUse).toBe(1);
    } finally {
      for (const s of squatters) s.close();
    }
  });

  it("refuses at once when every port is taken, and answers again once one is free", async () => {
    pool = new PortPool(MIN, MAX);
    sharePeerResources({ ports: pool, certificate: () => certificates.current });
    const peers = [await answer(), await answer(), await answer()];
    expect(pool.available).toBe(0);
    const started = performance.now();
    const caller = await whatsappOffer();
    await expect(answerOffer(caller.localDescription!.sdp, calling, () => {})).rejects.toThrow(NoFreePortError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await heldPorts()).sort()).toEqual([MIN, MIN + 1, MIN + 2]);

    await peers[1]!.pc.close();
    const again = await answer();
    expect(candidates(again.answer)[0]).toContain(` ${MIN + 1} typ host`);
  });

  it("offers the SRTP profiles [calling] srtp_profiles lists: werift's AEAD_AES_128_GCM first by default, AES_CM alone when configured", async () => {
    const profile = (pc: RTCPeerConnection) =>
      (pc.getTransceivers()[0]!.dtlsTransport as unknown as { srtp?: { config: { profile: number } } }).srtp?.config.profile;
    const connect = async (cfg: typeof calling) => {
      const caller = await whatsappOffer();
      const { pc, answer: sdp } = await answerOffer(caller.localDescription!.sdp, cfg, () => {});
      open.push(pc);
      await caller.setRemoteDescription({ type: "answer", sdp });
      await Promise.all([waitConnected(pc, 10_000), waitConnected(caller, 10_000)]);
      return [profile(pc), profile(caller)];
    };
    // The caller, as werift's DTLS server, prefers AEAD_AES_128_GCM (7) and picks it when offered.
    expect(await connect(calling)).toEqual([7, 7]);
    const cmOnly = parseConfig(`[calling]\nudp_port_min = ${MIN}\nudp_port_max = ${MAX}\nsrtp_profiles = ["AES_CM_128_HMAC_SHA1_80"]\n`).calling;
    expect(await connect(cmOnly)).toEqual([1, 1]);
    expect(() => parseConfig(`[calling]\nsrtp_profiles = []\n`)).toThrow(/at least one SRTP profile/);
  });
});
