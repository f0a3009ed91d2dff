// Which RTP payload types an SDP gives the codecs we use; the gateway maps packets by them, and the
// accept route refuses an agent's offer without Opus before the transfer is claimed.

/** The payload type an SDP uses for Opus (111 for WhatsApp and Chromium). */
export function opusPayloadType(sdp: string): number | null {
  const m = sdp.match(/^a=rtpmap:(\d+) opus\/48000/im);
  return m ? Number(m[1]) : null;
}

/** The payload type the offer uses for telephone-event/8000 (WhatsApp uses 126). */
export function telephoneEventPayloadType(sdp: string): number | null {
  const m = sdp.match(/^a=rtpmap:(\d+) telephone-event\/8000/im);
  return m ? Number(m[1]) : null;
}
