// The call panel's one state machine (idle → ringing → connecting → in call ↔ on hold → wrap-up;
// for a call the agent places: idle → dialing → in call …), as a pure function of (state, event,
// now). Server events and the agent's actions are the only inputs.
import type { AgentCallState, AgentStatus, LiveCall, Offer } from "@/lib/agents/contract";
import { callerLabel } from "./format";
import type { SavedCall } from "./saved-call";

/** `dialing`: an outgoing call the contact has not answered yet (the agent hears ringback). */
export type CallPhase = "dialing" | "connecting" | "in_call" | "on_hold" | "wrap_up";
export type PanelPhase = "idle" | "ringing" | CallPhase;
export type EndedBy = "client" | "agent" | "system";

export interface ActiveCall {
  /** Empty while an outgoing call is being placed. */
  callId: string;
  /** The transfer the agent took; null for a call the agent placed. */
  transferId: string | null;
  direction: "incoming" | "outgoing";
  phase: CallPhase;
  /** When the call first reached in_call (ms since epoch); the timer counts from here. */
  startedAt: number | null;
  caller: Offer["caller"];
  team: Offer["team"];
  muted: boolean;
  /** Connecting again to a call this agent was already on (a reloaded page, another window). */
  rejoining: boolean;
  /** A hold, resume or hang-up the server has not answered yet (Hold and Resume wait; Hang up only for itself). */
  pending: "hold" | "resume" | "hangup" | null;
  /**
   * Set in wrap_up. `source: "media"`: the browser saw the audio die before the server said why;
   * `"away"`: it ended while this page was reloading (the wrap-up is brought back, not seen live).
   */
  ended: { by: EndedBy | null; reason: string | null; source: "server" | "media" | "away" } | null;
}

export interface PanelState {
  /** Null until the server has said (the toggle stays disabled so a click cannot race the first read). */
  availability: AgentStatus | null;
  /** Offers ringing for this agent, oldest first. The one being accepted stays here until the claim succeeds. */
  offers: Offer[];
  activeCall: ActiveCall | null;
  notes: string;
  error: string | null;
  /** A passing confirmation (notes saved), with the call it is about; cleared by the next call or a dismiss. */
  notice: { message: string; callId: string } | null;
  notificationsMuted: boolean;
  /** This agent's call, still connected in another window: the panel offers to move it here. */
  elsewhere: LiveCall | null;
  /** The `elsewhere` call's window closed (it said so as it went): this page takes the call over unless another does. */
  carrierLeft: string | null;
}

export type PanelEvent =
  // From the server: route replies and realtime events.
  | { type: "status_loaded"; status: AgentStatus }
  | { type: "offers_loaded"; offers: Offer[] }
  | { type: "transfer.offered"; offer: Offer }
  | { type: "transfer.withdrawn"; transferId: string }
  | { type: "call.updated"; callId: string; status: AgentCallState; endedBy?: EndedBy; reason?: string }
  | { type: "accept_succeeded"; transferId: string; callId: string }
  /** `taken`: someone else won the claim, so the offer goes away; otherwise it keeps ringing. */
  | { type: "accept_failed"; transferId: string; taken: boolean; message: string | null }
  | { type: "declined"; transferId: string }
  /** Placing an outgoing call: the route answered with the call, or refused (Meta's sentence). */
  | { type: "place_succeeded"; callId: string }
  /** `message` null: the Call button that asked shows the refusal itself, next to it. */
  | { type: "place_failed"; message: string | null }
  /** Hang up pressed before the server answered the placement: the card goes at once. */
  | { type: "place_cancelled" }
  /** The agent's own call found on load (a reloaded page) or moved here from another window. */
  | { type: "rejoin_started"; call: LiveCall }
  | { type: "rejoin_succeeded"; callId: string; status: LiveCall["status"]; startedAt: number | null }
  /** `inUse`: the call is connected in another window and stays there until moved. */
  | { type: "rejoin_failed"; callId: string; message: string | null; inUse: LiveCall | null }
  | { type: "elsewhere_dismissed" }
  /** A reloaded page brings back the wrap-up of its call (ended before or while it reloaded), notes included. */
  | { type: "wrap_up_restored"; call: SavedCall["call"]; notes: string }
  /** The call was rejoined from another page (`window`): this one lets it go (the controller drops its own). */
  | { type: "call.moved"; callId: string; window: string }
  /** From another window of this agent's, as it closed while connected to `callId`. */
  | { type: "carrier_left"; callId: string }
  /** …and from that window reloaded: the call stays with it. */
  | { type: "carrier_back"; callId: string }
  /** The wrap-up is over; `saved`: the agent's notes were stored on the call. */
  | { type: "notes_saved"; saved: boolean }
  // From the browser's media.
  | { type: "media_connected" }
  | { type: "media_failed"; state: string }
  // The agent's own actions.
  | { type: "accept_started"; transferId: string }
  | { type: "place_started"; contact: Offer["caller"] }
  | { type: "mute_set"; muted: boolean }
  | { type: "control_started"; action: "hold" | "resume" | "hangup" }
  /** The server answered (or refused) this hold, resume or hang-up. */
  | { type: "control_finished"; action: "hold" | "resume" | "hangup" }
  | { type: "notes_changed"; notes: string }
  | { type: "wrap_up_done" }
  | { type: "notifications_muted_set"; muted: boolean }
  | { type: "error_shown"; message: string }
  /** A passing remark's time is up: it goes unless another error replaced it meanwhile. */
  | { type: "error_expired"; message: string }
  | { type: "error_dismissed" }
  | { type: "notice_dismissed" };

export const initialPanelState: PanelState = {
  availability: null,
  offers: [],
  activeCall: null,
  notes: "",
  error: null,
  notice: null,
  notificationsMuted: false,
  elsewhere: null,
  carrierLeft: null,
};

export function phaseOf(state: PanelState): PanelPhase {
  if (state.activeCall) return state.activeCall.phase;
  return state.offers.length ? "ringing" : "idle";
}

/** Offers to show as ringing cards (the one being accepted is shown as the call instead). */
export function ringingOffers(state: PanelState): Offer[] {
  const taking = state.activeCall?.transferId;
  return taking ? state.offers.filter((o) => o.transferId !== taking) : state.offers;
}

/** What the card says in place of a team for a call the agent placed. */
const OUTGOING_TEAM = { id: "", name: "Outgoing call" };

/** A call starts on the panel: what the last one left (error, notice, notes) goes with it. */
function withNewCall(
  state: PanelState,
  call: Pick<ActiveCall, "callId" | "transferId" | "direction" | "phase" | "caller" | "team"> & { rejoining?: boolean },
): PanelState {
  const activeCall: ActiveCall = { startedAt: null, muted: false, rejoining: false, pending: null, ended: null, ...call };
  return { ...state, error: null, notice: null, notes: "", activeCall };
}

const withoutOffer = (offers: Offer[], transferId: string) => offers.filter((o) => o.transferId !== transferId);

function callStatus(state: PanelState, e: Extract<PanelEvent, { type: "call.updated" }>, now: number): PanelState {
  // The call shown as connected in another window ended there: said here too, once.
  if (e.status === "ended" && state.elsewhere?.callId === e.callId) {
    const notice = { message: `Your call with ${callerLabel(state.elsewhere.caller)} ended.`, callId: e.callId };
    state = { ...state, elsewhere: null, notice };
  }
  const call = state.activeCall;
  if (!call || call.callId !== e.callId) return state;
  if (call.phase === "wrap_up") {
    // The server's word on who ended the call replaces what the browser guessed from its media.
    if (e.status !== "ended" || call.ended?.source !== "media") return state;
    return { ...state, activeCall: { ...call, ended: { by: e.endedBy ?? null, reason: e.reason ?? null, source: "server" } } };
  }
  // The agent's own browser connecting is not the contact answering: an outgoing call dials on.
  if (call.phase === "dialing" && e.status === "connecting") return state;
  if (e.status === "ended") {
    return { ...state, activeCall: { ...call, phase: "wrap_up", muted: false, ended: { by: e.endedBy ?? null, reason: e.reason ?? null, source: "server" } } };
  }
  if (call.phase === e.status) return state;
  const startedAt = e.status === "in_call" ? (call.startedAt ?? now) : call.startedAt;
  return { ...state, activeCall: { ...call, phase: e.status, startedAt } };
}

export function reduce(state: PanelState, event: PanelEvent, now: number): PanelState {
  const next = step(state, event, now);
  // Once the call is ours, its offer can no longer ring here, whatever a late poll says.
  const call = next.activeCall;
  if (call?.transferId && call.phase !== "connecting" && next.offers.some((o) => o.transferId === call.transferId)) {
    return { ...next, offers: withoutOffer(next.offers, call.transferId) };
  }
  return next;
}

function step(state: PanelState, event: PanelEvent, now: number): PanelState {
  const call = state.activeCall;
  switch (event.type) {
    case "status_loaded":
      // Agents only ring while available.
      return { ...state, availability: event.status, offers: event.status === "available" ? state.offers : [] };
    case "offers_loaded":
      return { ...state, offers: event.offers };
    case "transfer.offered":
      if (state.offers.some((o) => o.transferId === event.offer.transferId)) return state;
      if (call && call.transferId === event.offer.transferId) return state;
      // A new call ringing on an idle panel: an earlier call's error is not about it.
      return { ...state, offers: [...state.offers, event.offer], error: call ? state.error : null };
    case "transfer.withdrawn":
    case "declined":
      if (!state.offers.some((o) => o.transferId === event.transferId)) return state;
      return { ...state, offers: withoutOffer(state.offers, event.transferId) };
    case "accept_started": {
      const offer = state.offers.find((o) => o.transferId === event.transferId);
      if (call || !offer) return state;
      const { callId, transferId, caller, team } = offer;
      return withNewCall(state, { callId, transferId, direction: "incoming", phase: "connecting", caller, team });
    }
    case "rejoin_started": {
      if (call) return state;
      const { callId, direction, caller, team } = event.call;
      const next = withNewCall(state, { callId, transferId: null, direction, phase: "connecting", caller, team: team ?? OUTGOING_TEAM, rejoining: true });
      return { ...next, elsewhere: null, carrierLeft: null };
    }
    case "rejoin_succeeded":
      if (call?.callId !== event.callId || !call.rejoining || call.phase !== "connecting") return state;
      return { ...state, activeCall: { ...call, phase: event.status, startedAt: event.startedAt, rejoining: false } };
    case "rejoin_failed":
      // A rejoin on load shows nothing until it knows (no card that turns into a note): there may be no card.
      if (call && (call.callId !== event.callId || !call.rejoining)) return state;
      return { ...state, activeCall: null, error: event.message, elsewhere: event.inUse, carrierLeft: null };
    case "wrap_up_restored": {
      if (call) return state;
      const { callId, direction, caller, team, startedAt, ended } = event.call;
      const next = withNewCall(state, { callId, transferId: null, direction, phase: "wrap_up", caller, team });
      const activeCall = { ...next.activeCall!, startedAt, ended: ended ?? { by: null, reason: null, source: "away" as const } };
      return { ...next, activeCall, notes: event.notes };
    }
    case "call.moved": {
      // Another page took the call whose window closed (it reloaded and rejoined, or moved it there).
      if (state.carrierLeft === event.callId) state = { ...state, carrierLeft: null };
      // Still ringing here, and answered by this agent in another window: it stops ringing here.
      const offer = state.offers.find((o) => o.callId === event.callId);
      if (offer && call?.transferId !== offer.transferId) {
        const { callId, caller, team } = offer;
        return {
          ...state,
          offers: withoutOffer(state.offers, offer.transferId),
          elsewhere: { callId, direction: "incoming", status: "in_call", caller, team },
        };
      }
      // A call being accepted here is not one another page took; a wrap-up the server called stays.
      if (call?.callId !== event.callId || call.rejoining || call.phase === "connecting") return state;
      if (call.phase === "wrap_up" && call.ended?.source !== "media") return state;
      const status = call.phase === "wrap_up" ? "in_call" : call.phase;
      const elsewhere: LiveCall = {
        callId: call.callId,
        direction: call.direction,
        status,
        caller: call.caller,
        team: call.direction === "outgoing" ? null : call.team,
      };
      return { ...state, activeCall: null, notes: "", error: null, elsewhere };
    }
    case "elsewhere_dismissed":
      return state.elsewhere === null ? state : { ...state, elsewhere: null };
    case "carrier_left":
      return state.elsewhere?.callId === event.callId ? { ...state, carrierLeft: event.callId } : state;
    case "carrier_back":
      return state.carrierLeft === event.callId ? { ...state, carrierLeft: null } : state;
    case "place_started":
      if (call) return state;
      return withNewCall(state, { callId: "", transferId: null, direction: "outgoing", phase: "dialing", caller: event.contact, team: OUTGOING_TEAM });
    case "place_succeeded":
      if (call?.direction !== "outgoing" || call.callId) return state;
      return { ...state, activeCall: { ...call, callId: event.callId } };
    case "place_failed":
      if (call?.direction !== "outgoing" || call.phase !== "dialing") return state;
      return { ...state, activeCall: null, error: event.message };
    case "place_cancelled":
      if (call?.direction !== "outgoing" || call.callId) return state;
      return { ...state, activeCall: null };
    case "accept_succeeded":
      if (!call || call.transferId !== event.transferId) return state;
      return { ...state, offers: withoutOffer(state.offers, event.transferId), activeCall: { ...call, callId: event.callId } };
    case "accept_failed": {
      if (!call || call.transferId !== event.transferId || call.phase !== "connecting") return state;
      const offers = event.taken ? withoutOffer(state.offers, event.transferId) : state.offers;
      return { ...state, offers, activeCall: null, error: event.message };
    }
    case "call.updated":
      return callStatus(state, event, now);
    case "media_connected":
      // Polling-only deployments get no call.updated: connected audio is the sign the call is live.
      if (call?.phase !== "connecting") return state;
      return { ...state, activeCall: { ...call, phase: "in_call", startedAt: call.startedAt ?? now } };
    case "media_failed":
      if (!call || call.phase === "wrap_up") return state;
      return {
        ...state,
        error: `The audio connection ${event.state === "closed" ? "closed" : "failed"}`,
        activeCall: { ...call, phase: "wrap_up", muted: false, ended: { by: "system", reason: "the audio connection was lost", source: "media" } },
      };
    case "control_started":
      // Hang up is never held back by a hold or resume still on its way.
      if (!call || call.phase === "wrap_up" || call.pending === "hangup" || (call.pending && event.action !== "hangup")) return state;
      return { ...state, activeCall: { ...call, pending: event.action } };
    case "control_finished":
      if (!call || call.pending !== event.action) return state;
      return { ...state, activeCall: { ...call, pending: null } };
    case "mute_set":
      if (!call || call.phase === "wrap_up" || call.muted === event.muted) return state;
      return { ...state, activeCall: { ...call, muted: event.muted } };
    case "notes_changed":
      return { ...state, notes: event.notes };
    case "notes_saved":
    case "wrap_up_done": {
      if (call?.phase !== "wrap_up") return state;
      const notice =
        event.type === "notes_saved" && event.saved
          ? { message: `Notes saved to the call with ${callerLabel(call.caller)}.`, callId: call.callId }
          : state.notice;
      return { ...state, activeCall: null, notes: "", notice, offers: call.transferId ? withoutOffer(state.offers, call.transferId) : state.offers };
    }
    case "notifications_muted_set":
      return { ...state, notificationsMuted: event.muted };
    case "error_shown":
      return { ...state, error: event.message };
    case "error_dismissed":
      return state.error === null ? state : { ...state, error: null };
    case "error_expired":
      return state.error === event.message ? { ...state, error: null } : state;
    case "notice_dismissed":
      return state.notice === null ? state : { ...state, notice: null };
  }
}
