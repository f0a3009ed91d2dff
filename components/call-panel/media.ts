// The agent's WebRTC leg in the browser: microphone, one peer, a complete (non-trickle) offer,
// the gateway's answer, remote audio through a hidden <audio autoplay>, mute, and an idempotent close.

export const MIC_DENIED = "Microphone access was denied — allow it in the browser to take calls";
const ICE_GATHER_CAP_MS = 3_000;

/** The microphone as one audio stream, with the errors an agent can act on. */
export async function openMicrophone(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error("This browser cannot use a microphone here (it needs HTTPS)");
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
  } catch (err) {
    const name = (err as DOMException).name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") throw new Error(MIC_DENIED);
    if (name === "NotFoundError" || name === "DevicesNotFoundError") throw new Error("No microphone was found — connect one to take calls");
    if (name === "NotReadableError") throw new Error("The microphone is in use by another application");
    throw new Error(`Could not open the microphone: ${(err as Error).message}`);
  }
}

/** Resolves when ICE gathering completes, or after `capMs` with whatever candidates were found. */
function iceGathered(pc: RTCPeerConnection, capMs: number): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === "complete") done();
    };
    const timer = setTimeout(done, capMs);
    pc.addEventListener("icegatheringstatechange", check);
  });
}

export type LegState = "connected" | "failed" | "closed";

export class AgentLeg {
  private closed = false;
  private readonly audio: HTMLAudioElement;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly mic: MediaStream,
    onState: (state: LegState) => void,
  ) {
    this.audio = document.createElement("audio");
    this.audio.autoplay = true;
    this.audio.hidden = true;
    this.audio.dataset.testid = "call-panel-remote-audio";
    document.body.appendChild(this.audio);
    pc.ontrack = (e) => {
      this.audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      void this.audio.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (this.closed) return;
      const s = pc.connectionState;
      if (s === "connected" || s === "failed" || s === "closed") onState(s);
    };
  }

  /**
   * Opens the microphone and a peer, and gathers a complete offer to send to the accept route.
   * Throws with an agent-readable message (e.g. MIC_DENIED) before any request is made.
   */
  static async open(onState: (state: LegState) => void, iceServers: RTCIceServer[] = []): Promise<{ leg: AgentLeg; offerSdp: string }> {
    const mic = await openMicrophone();
    let leg: AgentLeg | undefined;
    try {
      const pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });
      leg = new AgentLeg(pc, mic, onState);
      for (const track of mic.getAudioTracks()) pc.addTrack(track, mic);
      await pc.setLocalDescription(await pc.createOffer());
      await iceGathered(pc, ICE_GATHER_CAP_MS);
      const sdp = pc.localDescription?.sdp;
      if (!sdp) throw new Error("The browser did not produce an audio offer");
      return { leg, offerSdp: sdp };
    } catch (err) {
      if (leg) leg.close();
      else for (const track of mic.getTracks()) track.stop();
      throw err;
    }
  }

  async answer(sdp: string): Promise<void> {
    if (this.closed) return;
    await this.pc.setRemoteDescription({ type: "answer", sdp });
  }

  setMuted(muted: boolean) {
    for (const track of this.mic.getAudioTracks()) track.enabled = !muted;
  }

  /** Stops the microphone, closes the peer and removes the audio element; safe to call twice. */
  close() {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.mic.getTracks()) track.stop();
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.audio.srcObject = null;
    this.audio.remove();
  }
}
