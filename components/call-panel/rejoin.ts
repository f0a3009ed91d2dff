// A page that opens while its agent is on a call (a reload, another window) connects to it again:
// on load it rejoins the live call (muted as this tab had it), or reopens the wrap-up of the call this
// tab was on if that ended meanwhile; "Move the call here" takes a call over from another window.
import type { LiveCall } from "@/lib/agents/contract";
import { agentApi, PanelApiError } from "./api";
import { callerLabel } from "./format";
import { AgentLeg, type LegState } from "./media";
import type { PanelEvent, PanelState } from "./reducer";
import type { SavedCall } from "./saved-call";

/** What a rejoin needs from the panel's controller. */
export interface RejoinHost {
  /** This page's name in the rejoin, so the `call.moved` it causes is not taken for leaving it. */
  readonly window: string;
  state(): PanelState;
  handle(event: PanelEvent): void;
  stopped(): boolean;
  /** Makes `leg` the panel's media leg, or drops the panel's leg (null). */
  adopt(leg: AgentLeg | null): void;
  isCurrent(leg: AgentLeg): boolean;
  legState(leg: AgentLeg | undefined, state: LegState): void;
  setMuted(muted: boolean): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * On load: the agent's live call is rejoined; else the call this tab was on gets its wrap-up back.
 * `reloaded`: the call this tab was connected to as it unloaded a moment ago, taken back by force.
 */
export async function restoreCall(host: RejoinHost, saved: SavedCall | null, reloaded: string | null) {
  let live: LiveCall | null;
  try {
    live = await agentApi.liveCall();
  } catch {
    return; // Nothing known to rejoin; the rest of the panel works as usual.
  }
  if (host.stopped() || host.state().activeCall) return;
  if (live) await rejoin(host, live, { force: reloaded === live.callId, muted: saved?.call.callId === live.callId && saved.call.muted });
  else if (saved) host.handle({ type: "wrap_up_restored", call: saved.call, notes: saved.notes });
}

/**
 * Connects this page to `call`. Without `force` (on load) nothing shows until the server answers, so a
 * call connected in another window appears as that note at once, not as a card that turns into it.
 */
export async function rejoin(host: RejoinHost, call: LiveCall, opts: { force: boolean; muted?: boolean }) {
  const { callId } = call;
  if (opts.force) host.handle({ type: "rejoin_started", call });
  let leg: AgentLeg | undefined;
  try {
    const opened = await AgentLeg.open((s) => host.legState(leg, s));
    leg = opened.leg;
    const reply = await agentApi.rejoin(callId, { sdp: opened.offerSdp, force: opts.force, window: host.window });
    const now = host.state().activeCall;
    if (host.stopped() || (opts.force ? now?.callId !== callId || !now.rejoining : now !== null)) {
      leg.close();
      return;
    }
    if (!opts.force) host.handle({ type: "rejoin_started", call });
    host.adopt(leg);
    host.handle({ type: "rejoin_succeeded", callId, status: reply.status, startedAt: reply.bridgedAt === null ? null : Date.parse(reply.bridgedAt) });
    if (opts.muted) host.setMuted(true);
    await leg.answer(reply.sdp);
  } catch (err) {
    leg?.close();
    if (leg && host.isCurrent(leg)) {
      host.adopt(null);
      host.handle({ type: "media_failed", state: "failed" });
      host.handle({ type: "error_shown", message: `Could not connect the call audio: ${messageOf(err)}` });
      return;
    }
    const inUse = err instanceof PanelApiError && err.code === "in_use";
    const ended = err instanceof PanelApiError && err.code === "conflict";
    const who = callerLabel(call.caller);
    const message = inUse
      ? null
      : ended
        ? `Your call with ${who} ended before this page could rejoin it.`
        : `Could not rejoin your call with ${who}: ${messageOf(err)}`;
    host.handle({ type: "rejoin_failed", callId, message, inUse: inUse ? call : null });
  }
}
