// WebRTC pieces both sides of a call share: the codec sets we negotiate and the waits for ICE
// gathering and connection. The gateway, the simulated WhatsApp caller and script agents use them.
import { type RTCPeerConnection, RTCRtpCodecParameters } from "werift";

export function whatsappCodecs() {
  return {
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=20;useinbandfec=1" }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: 126 }),
    ],
  };
}

/** Browser agent legs: Opus, plus telephone-event at 48 kHz (Chromium pairs DTMF with Opus's clock). */
export function agentCodecs() {
  return {
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=10;useinbandfec=1" }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 48000, payloadType: 110 }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: 126 }),
    ],
  };
}

/** Waits until werift has gathered every candidate, so the answer needs no trickle. */
export async function waitGathered(pc: RTCPeerConnection, timeoutMs: number) {
  if (pc.iceGatheringState === "complete") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    pc.iceGatheringStateChange.subscribe((s) => {
      if (s === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

export function waitConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.connectionState === "connected") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ICE/DTLS did not connect within ${timeoutMs} ms`)), timeoutMs);
    pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") {
        clearTimeout(timer);
        resolve();
      } else if (s === "failed" || s === "closed") {
        clearTimeout(timer);
        reject(new Error(`Peer connection ${s} before media started`));
      }
    });
  });
}
