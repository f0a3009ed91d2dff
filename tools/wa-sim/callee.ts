// A simulated WhatsApp user the business calls: finds the `connect` the gateway sent to its number
// on the fake Graph API, rings, then answers with a real SDP answer (ICE-lite werift peer), rejects,
// or never answers; and can grant or deny a call-permission request.
import { waitConnected, waitGathered } from "../../lib/media/webrtc";
import type { RecordedRequest } from "./fake-graph";
import { answerPayload, permissionReplyPayload, statusPayload, terminatePayload } from "./payloads";
import { type PhoneOptions, SimulatedPhone, sleep } from "./phone";

export interface CalleeOptions extends PhoneOptions {
  /** The user's WhatsApp id (the number the business calls). */
  waId: string;
  /** Successful `connect` requests to `waId` the fake Graph API has seen, oldest first. */
  connects: (waId: string) => Promise<RecordedRequest[]>;
  /** Tells the fake Graph API what `call_permissions` should now answer for this user. */
  setPermission?: (waId: string, status: string) => Promise<unknown>;
}

export type Pickup = { answer: true; afterMs?: number } | { reject: true; afterMs?: number; thenTerminate?: boolean } | { never: true };

export class SimulatedCallee extends SimulatedPhone {
  /** WhatsApp's id for the call being handled. */
  callId = "";
  /** Our call id, sent by the business as biz_opaque_callback_data. */
  opaque: string | undefined;
  private offer = "";
  private readonly seen = new Set<string>();
  answeredAt = 0;

  constructor(private readonly opts: CalleeOptions) {
    super(opts);
  }

  /**
   * Calls placed to this user before now are not picked up (a callee started mid-demo), except
   * those `keep` says are still worth answering (placed a moment ago and still ringing).
   */
  async ignoreEarlierCalls(keep: (r: RecordedRequest) => boolean = () => false): Promise<void> {
    for (const r of await this.opts.connects(this.opts.waId)) if (r.callId && !keep(r)) this.seen.add(r.callId);
  }

  /** Waits for the next `connect` to this user and rings (the RINGING status webhook). */
  async waitForCall(timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const req = (await this.opts.connects(this.opts.waId)).find((r) => r.status === 200 && r.callId && !this.seen.has(r.callId));
      if (req?.callId) {
        this.seen.add(req.callId);
        this.callId = req.callId;
        this.opaque = typeof req.body?.biz_opaque_callback_data === "string" ? req.body.biz_opaque_callback_data : undefined;
        this.offer = String((req.body?.session as { sdp?: string } | undefined)?.sdp ?? "");
        await this.status("RINGING");
        return req.callId;
      }
      if (Date.now() > deadline) throw new Error(`no call reached ${this.opts.waId}`);
      await sleep(50);
    }
  }

  private status(status: "RINGING" | "ACCEPTED" | "REJECTED") {
    return this.send(statusPayload(this.opts.line, { callId: this.callId, to: this.opts.waId, status, opaque: this.opaque }));
  }

  /** Picks up: a real answer to the business's offer, then waits for media to connect. */
  async answer(timeoutMs = 15_000): Promise<void> {
    const pc = this.newPeer();
    await pc.setRemoteDescription({ type: "offer", sdp: this.offer });
    const transceiver = pc.getTransceivers()[0];
    if (!transceiver) throw new Error("the business's offer has no audio");
    transceiver.setDirection("sendrecv");
    await pc.setLocalDescription(await pc.createAnswer());
    await waitGathered(pc, 3_000);
    this.answeredAt = Date.now();
    await this.send(answerPayload(this.opts.line, { callId: this.callId, to: this.opts.waId, sdp: pc.localDescription!.sdp, opaque: this.opaque }));
    await this.status("ACCEPTED");
    await waitConnected(pc, timeoutMs);
    this.mediaUp();
  }

  /** Declines the ringing call (Meta may send the terminate webhook right behind the status). */
  async reject(thenTerminate = false): Promise<void> {
    await this.status("REJECTED");
    if (thenTerminate) await this.hangUp();
  }

  /** Waits for a call and handles it as told (answer or reject after a delay, or let it ring). */
  async pickUp(how: Pickup, timeoutMs = 20_000): Promise<string> {
    const id = await this.waitForCall(timeoutMs);
    if ("never" in how) return id;
    await sleep(how.afterMs ?? 0);
    if ("answer" in how) await this.answer();
    else await this.reject(how.thenTerminate);
    return id;
  }

  /** The user hangs up: the terminate webhook, and the media stops. */
  async hangUp(): Promise<void> {
    const end = Math.floor(Date.now() / 1000);
    const start = Math.floor((this.answeredAt || Date.now()) / 1000);
    await this.send(
      terminatePayload(this.opts.line, {
        callId: this.callId,
        from: this.opts.waId,
        startTime: start,
        endTime: end,
        duration: end - start,
        businessInitiated: true,
      }),
    );
    await this.close();
  }

  /** Answers the business's call-permission request. */
  async replyToPermissionRequest(accept: boolean, opts: { permanent?: boolean; expiresAt?: number } = {}): Promise<void> {
    await this.opts.setPermission?.(this.opts.waId, accept ? "granted" : "no_permission");
    await this.send(permissionReplyPayload(this.opts.line, { from: this.opts.waId, accept, ...opts }));
  }
}
