// The panel's side effects: route calls, heartbeats, the fallback poll, realtime and the WebRTC leg.
// It feeds every outcome into the store as an event and never decides state on its own; the media
// leg follows the store (closed as soon as there is no live call).
import type { AgentStatus } from "@/lib/agents/contract";
import { alertOffer, primeAlerts } from "./alerts";
import { agentApi, PanelApiError } from "./api";
import { AgentLeg, type LegState } from "./media";
import { connectRealtime, type RealtimeConfig } from "./realtime";
import type { PanelEvent } from "./reducer";
import { type RejoinHost, rejoin, restoreCall } from "./rejoin";
import { leftConnected, markLeft, saveCall, savedCall } from "./saved-call";
import type { PanelStore } from "./store";
import { every } from "./ticker";

const HEARTBEAT_MS = 20_000;
const POLL_MS = 10_000;
const MUTE_KEY = "ringflow.callPanel.notificationsMuted";
/**
 * After the window carrying the call closes, how long its other windows wait before taking the call
 * over: a reload says it is back within this, and the first of several windows wins (each adds up to
 * a third more at random). At most a third of `[calling] agent_lost_secs`.
 */
const TAKE_OVER_MS = 3_000;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What the Call buttons (contact page, Callbacks list) ask the panel to place. */
export interface PlaceRequest {
  contactId: string;
  accountId: string;
  callbackTaskId?: string;
  contact: { phone: string; name: string | null };
  /**
   * Shows a refusal (Meta's sentence, a missing permission, no microphone) next to the button that
   * asked, instead of in the sidebar; `code` is the server's error code when there is one.
   */
  onRefused?: (message: string, code: string | null) => void;
}

export interface ControllerOptions {
  userId: string;
  orgId: string;
  realtime: RealtimeConfig | null;
  /** `[calling] agent_lost_secs` in ms: after that long without this agent's audio, the call ends. */
  rejoinWindowMs: number;
}

/** Another window of the agent's closed: this one heartbeats this long after (once that window's beacon has landed). */
const STILL_HERE_DELAY_MS = 1_000;
/** How long a passing remark (not a fault) stays on the panel. */
const REMARK_MS = 6_000;

export class CallPanelController {
  private stopped = false;
  private leg: AgentLeg | null = null;
  private timers: (() => void)[] = [];
  private cleanups: (() => void)[] = [];
  /** Bumped by every event that changes offers, so a poll that was in flight meanwhile is dropped. */
  private offerEpoch = 0;
  /** Bumped when the agent picks a status, so an older status read or heartbeat reply cannot undo it. */
  private statusEpoch = 0;
  /** Bumped by each placement and by hanging up on one still being placed: a late reply knows it is stale. */
  private placeEpoch = 0;
  /** This page, named in its rejoins: the `call.moved` a rejoin here causes is not about leaving it. */
  // Not crypto.randomUUID(): it exists only in secure contexts, and the panel also runs on plain http.
  private readonly window = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly store: PanelStore,
    private readonly opts: ControllerOptions,
  ) {}

  start() {
    // Read before the store is watched: watching saves the (still empty) panel over it.
    const saved = savedCall(this.opts.userId);
    try {
      if (localStorage.getItem(MUTE_KEY) === "1") this.store.handle({ type: "notifications_muted_set", muted: true });
    } catch {
      // Storage can be unavailable (privacy modes); the toggle still works for this page.
    }
    this.cleanups.push(this.watchStore());
    // This tab was connected to the call as it unloaded, a moment ago: a reload, which takes the call
    // back at once (its old leg may still count as in use for half a second).
    const reloaded = leftConnected(saved, this.opts.rejoinWindowMs) ? saved.call.callId : null;
    this.cleanups.push(this.watchWindows(reloaded));
    void this.loadStatus();
    void restoreCall(this.rejoinHost(), saved, reloaded);
    this.timers.push(every(HEARTBEAT_MS, () => void this.heartbeat()));
    this.timers.push(every(POLL_MS, () => void this.refreshOffers()));
    if (this.opts.realtime) {
      this.cleanups.push(
        connectRealtime(this.opts.realtime, this.opts, {
          onEvent: (e) => this.serverEvent(e),
          onConnected: () => void this.refreshOffers(),
        }),
      );
    }
  }

  stop() {
    this.stopped = true;
    for (const stopTimer of this.timers) stopTimer();
    for (const c of this.cleanups) c();
    this.timers = [];
    this.cleanups = [];
    this.leg?.close();
    this.leg = null;
  }

  private handle(event: PanelEvent) {
    if (!this.stopped) this.store.handle(event);
  }

  private serverEvent(event: PanelEvent) {
    if (event.type === "call.moved" && event.window === this.window) return;
    if (event.type === "transfer.offered" || event.type === "transfer.withdrawn") this.offerEpoch++;
    this.handle(event);
  }

  /** Closes the leg once the store says the call is over, and alerts on offers that just arrived. */
  private watchStore(): () => void {
    let seen = new Set(this.store.getState().offers.map((o) => o.transferId));
    return this.store.subscribe(() => {
      const s = this.store.getState();
      saveCall(this.opts.userId, s);
      if (this.leg && (!s.activeCall || s.activeCall.phase === "wrap_up")) {
        this.leg.close();
        this.leg = null;
      }
      const fresh = s.offers.filter((o) => !seen.has(o.transferId));
      seen = new Set(s.offers.map((o) => o.transferId));
      if (!s.notificationsMuted && !s.activeCall) for (const o of fresh) alertOffer(o);
    });
  }

  /**
   * This agent's windows (same browser) tell each other, over a BroadcastChannel, when one closes
   * while connected to a call; another window then takes the call over, so closing the window that had
   * it does not drop the caller when the agent has the panel open elsewhere.
   */
  private watchWindows(reloaded: string | null): () => void {
    if (typeof BroadcastChannel === "undefined") return () => {};
    const channel = new BroadcastChannel(`ringflow.callPanel.${this.opts.userId}`);
    // The other windows leave the call to this reload.
    if (reloaded) channel.postMessage({ type: "carrier_back", callId: reloaded });
    const onPageHide = () => {
      // The agent stops ringing within PAGE_LEFT_GRACE_MS unless a page of theirs heartbeats: a
      // reload does as it loads, and the other windows do when told (after the beacon has landed).
      const status = this.store.getState().availability;
      if (status && status !== "offline") {
        navigator.sendBeacon?.("/api/agent/page-left");
        channel.postMessage({ type: "page_left" });
      }
      const call = this.store.getState().activeCall;
      if (!this.leg || !call?.callId || call.phase === "wrap_up") return;
      markLeft();
      channel.postMessage({ type: "carrier_left", callId: call.callId });
    };
    let stillHere: ReturnType<typeof setTimeout> | undefined;
    // Back from the browser's back/forward cache: present again at once.
    const onPageShow = (e: PageTransitionEvent) => {
      if (e.persisted) void this.heartbeat();
    };
    channel.onmessage = (e: MessageEvent<{ type?: unknown; callId?: unknown }>) => {
      if (e.data?.type === "page_left") {
        clearTimeout(stillHere);
        stillHere = setTimeout(() => void this.heartbeat(), STILL_HERE_DELAY_MS);
        return;
      }
      if (typeof e.data?.callId !== "string") return;
      if (e.data.type === "carrier_left") this.carrierLeft(e.data.callId);
      else if (e.data.type === "carrier_back") this.handle({ type: "carrier_back", callId: e.data.callId });
    };
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      clearTimeout(stillHere);
      channel.close();
    };
  }

  /** The window connected to `callId` closed: unless another page takes the call meanwhile, this one does. */
  private carrierLeft(callId: string) {
    if (this.store.getState().elsewhere?.callId !== callId) return;
    this.handle({ type: "carrier_left", callId });
    const timer = setTimeout(
      () => {
        const s = this.store.getState();
        // Not forced: if a reloaded window is already sending the agent's audio, the call stays there.
        if (!this.stopped && !s.activeCall && s.carrierLeft === callId && s.elsewhere?.callId === callId)
          void rejoin(this.rejoinHost(), s.elsewhere, { force: false });
      },
      Math.min(TAKE_OVER_MS, this.opts.rejoinWindowMs / 3) * (1 + Math.random() / 3),
    );
    this.timers.push(() => clearTimeout(timer));
  }

  private async loadStatus() {
    const epoch = this.statusEpoch;
    try {
      const status = await agentApi.getStatus();
      if (epoch !== this.statusEpoch) return;
      this.handle({ type: "status_loaded", status });
      await this.heartbeat();
      await this.refreshOffers();
    } catch (err) {
      // Unknown status: offer the toggle anyway (a browser that does not heartbeat counts as offline).
      if (epoch === this.statusEpoch) this.handle({ type: "status_loaded", status: "offline" });
      this.handle({ type: "error_shown", message: `Could not load your call status: ${messageOf(err)}` });
    }
  }

  /** Re-posts the current status so the server keeps counting this browser as present. */
  private async heartbeat() {
    const status = this.store.getState().availability;
    if (!status || status === "offline" || this.stopped) return;
    const epoch = this.statusEpoch;
    try {
      const confirmed = await agentApi.setStatus(status);
      if (epoch === this.statusEpoch) this.handle({ type: "status_loaded", status: confirmed });
    } catch (err) {
      this.handle({ type: "error_shown", message: `Could not confirm your status — you may not receive calls (${messageOf(err)})` });
    }
  }

  async refreshOffers() {
    if (this.stopped || this.store.getState().availability !== "available") return;
    const epoch = this.offerEpoch;
    try {
      const offers = await agentApi.offers();
      // A realtime event or an action landed while this was in flight; the next poll catches up.
      if (epoch === this.offerEpoch) this.handle({ type: "offers_loaded", offers });
    } catch {
      // The next poll retries; realtime still delivers new offers meanwhile.
    }
  }

  async setAvailability(status: AgentStatus) {
    primeAlerts();
    const epoch = ++this.statusEpoch;
    try {
      const confirmed = await agentApi.setStatus(status);
      if (epoch !== this.statusEpoch) return;
      this.handle({ type: "status_loaded", status: confirmed });
      if (status === "available") await this.refreshOffers();
    } catch (err) {
      this.handle({ type: "error_shown", message: messageOf(err) });
    }
  }

  async accept(transferId: string) {
    const before = this.store.getState();
    if (before.activeCall || !before.offers.some((o) => o.transferId === transferId)) return;
    this.offerEpoch++;
    this.handle({ type: "accept_started", transferId });
    let leg: AgentLeg;
    let offerSdp: string;
    try {
      ({ leg, offerSdp } = await AgentLeg.open((s) => this.legState(leg, s)));
    } catch (err) {
      // No request was made: the offer keeps ringing here and for everyone else.
      this.handle({ type: "accept_failed", transferId, taken: false, message: messageOf(err) });
      return;
    }
    try {
      const reply = await agentApi.accept(transferId, offerSdp, this.window);
      if (this.stopped || this.store.getState().activeCall?.transferId !== transferId) {
        leg.close();
        return;
      }
      this.leg = leg;
      this.handle({ type: "accept_succeeded", transferId, callId: reply.callId });
      await leg.answer(reply.sdp);
    } catch (err) {
      leg.close();
      if (this.leg === leg) this.leg = null;
      this.offerEpoch++;
      if (err instanceof PanelApiError) {
        // Losing the race is no fault, but the card should not just vanish without a word.
        this.handle({ type: "accept_failed", transferId, taken: err.taken, message: err.message });
      } else {
        // The claim succeeded but the browser rejected the gateway's answer. The gateway sees this leg
        // never connect and rings the team again, so the caller is not dropped.
        this.handle({ type: "media_failed", state: "failed" });
        this.handle({ type: "error_shown", message: `Could not connect the call audio: ${messageOf(err)}` });
      }
    }
  }

  /** Places an outgoing call: the same leg as accepting, sent to POST /api/calls. */
  async place(req: PlaceRequest) {
    if (this.store.getState().activeCall) {
      // A remark about this moment, not a fault: it does not stay on through the call and its wrap-up.
      const message = "Finish your current call before placing another";
      this.handle({ type: "error_shown", message });
      setTimeout(() => this.handle({ type: "error_expired", message }), REMARK_MS);
      return;
    }
    this.handle({ type: "place_started", contact: req.contact });
    const epoch = ++this.placeEpoch;
    let leg: AgentLeg;
    let offerSdp: string;
    try {
      ({ leg, offerSdp } = await AgentLeg.open((s) => this.legState(leg, s)));
    } catch (err) {
      if (epoch === this.placeEpoch) this.refused(req, err);
      return;
    }
    try {
      const reply = await agentApi.place({ contactId: req.contactId, accountId: req.accountId, callbackTaskId: req.callbackTaskId, sdp: offerSdp });
      const now = this.store.getState().activeCall;
      if (this.stopped || epoch !== this.placeEpoch || now?.direction !== "outgoing" || now.callId) {
        // Hung up (or the panel went away) while the server was placing it: end it there too.
        leg.close();
        void agentApi.control(reply.callId, "hangup").catch(() => {});
        return;
      }
      this.leg = leg;
      this.handle({ type: "place_succeeded", callId: reply.callId });
      await leg.answer(reply.sdp);
    } catch (err) {
      leg.close();
      if (this.leg === leg) this.leg = null;
      // Nothing to report when the agent already hung up on it.
      if (epoch === this.placeEpoch) this.refused(req, err);
    }
  }

  /** Takes over the call shown as open in another window. */
  async moveHere() {
    const call = this.store.getState().elsewhere;
    if (call && !this.store.getState().activeCall) await rejoin(this.rejoinHost(), call, { force: true });
  }

  private rejoinHost(): RejoinHost {
    return {
      window: this.window,
      state: () => this.store.getState(),
      handle: (e) => this.handle(e),
      stopped: () => this.stopped,
      adopt: (leg) => {
        this.leg = leg;
      },
      isCurrent: (leg) => this.leg === leg,
      legState: (leg, state) => this.legState(leg, state),
      setMuted: (muted) => this.setMuted(muted),
    };
  }

  private refused(req: PlaceRequest, err: unknown) {
    req.onRefused?.(messageOf(err), err instanceof PanelApiError ? err.code : null);
    this.handle({ type: "place_failed", message: req.onRefused ? null : messageOf(err) });
  }

  private legState(leg: AgentLeg | undefined, state: LegState) {
    if (!leg || leg !== this.leg) return;
    this.handle(state === "connected" ? { type: "media_connected" } : { type: "media_failed", state });
  }

  async decline(transferId: string) {
    try {
      await agentApi.decline(transferId);
      this.offerEpoch++;
      this.handle({ type: "declined", transferId });
    } catch (err) {
      this.handle({ type: "error_shown", message: messageOf(err) });
    }
  }

  async control(action: "hold" | "resume" | "hangup") {
    const call = this.store.getState().activeCall;
    // Hang up on a call still being placed: the card goes now, and place() ends it once it has an id.
    if (action === "hangup" && call?.direction === "outgoing" && !call.callId) {
      this.placeEpoch++;
      this.handle({ type: "place_cancelled" });
      return;
    }
    if (!call?.callId || call.phase === "wrap_up" || call.pending === "hangup" || (call.pending && action !== "hangup")) return;
    this.handle({ type: "control_started", action });
    try {
      const status = await agentApi.control(call.callId, action);
      this.handle({ type: "call.updated", callId: call.callId, status, ...(action === "hangup" && status === "ended" ? { endedBy: "agent" as const } : {}) });
    } catch (err) {
      this.handle({ type: "error_shown", message: messageOf(err) });
    } finally {
      this.handle({ type: "control_finished", action });
    }
  }

  setMuted(muted: boolean) {
    if (!this.leg) return;
    this.leg.setMuted(muted);
    this.handle({ type: "mute_set", muted });
  }

  setNotificationsMuted(muted: boolean) {
    try {
      localStorage.setItem(MUTE_KEY, muted ? "1" : "0");
    } catch {
      // See start().
    }
    this.handle({ type: "notifications_muted_set", muted });
  }

  /** Saves the wrap-up notes (when there are any) and returns the panel to idle. */
  async finishWrapUp() {
    const { activeCall, notes } = this.store.getState();
    if (activeCall?.phase !== "wrap_up") return;
    try {
      const saved = notes.trim() !== "";
      if (saved) await agentApi.saveNotes(activeCall.callId, notes);
      this.handle({ type: "notes_saved", saved });
    } catch (err) {
      this.handle({ type: "error_shown", message: messageOf(err) });
    }
  }
}
