import { describe, expect, it } from "vitest";
import { offerSchema, type Offer } from "../../lib/agents/contract";
import { initialPanelState, type PanelEvent, type PanelState, phaseOf, reduce, ringingOffers } from "../../components/call-panel/reducer";
import { endedText } from "../../components/call-panel/format";
import { createPanelStore } from "../../components/call-panel/store";

const T0 = Date.parse("2026-03-02T10:00:00Z");

function offer(n: number): Offer {
  return offerSchema.parse({
    transferId: `tr_${n}`,
    callId: `call_${n}`,
    team: { id: "team_sales", name: "Sales" },
    caller: { phone: `551198765432${n}`, name: `Caller ${n}` },
    waitingSince: new Date(T0 - 5_000).toISOString(),
    path: [{ nodeId: "menu", nodeType: "menu", label: "Main menu", handle: "digit:1", digits: "1" }],
    variables: { order: "1234" },
  });
}

/** Runs events through the reducer, one second apart. */
function run(events: PanelEvent[], from: PanelState = { ...initialPanelState, availability: "available" }) {
  return events.reduce((s, e, i) => reduce(s, e, T0 + i * 1000), from);
}

const ringing = run([{ type: "transfer.offered", offer: offer(1) }]);
const inCall = run(
  [
    { type: "accept_started", transferId: "tr_1" },
    { type: "accept_succeeded", transferId: "tr_1", callId: "call_1" },
    { type: "call.updated", callId: "call_1", status: "in_call" },
  ],
  ringing,
);

describe("call panel state machine", () => {
  it("rings when an offer arrives and stops when it is withdrawn", () => {
    expect(phaseOf(initialPanelState)).toBe("idle");
    expect(phaseOf(ringing)).toBe("ringing");
    expect(ringing.offers.map((o) => o.transferId)).toEqual(["tr_1"]);
    const gone = reduce(ringing, { type: "transfer.withdrawn", transferId: "tr_1" }, T0);
    expect(phaseOf(gone)).toBe("idle");
    expect(gone.offers).toEqual([]);
  });

  it("treats a duplicate offered event (realtime and a poll, or a redelivery) as one offer", () => {
    const twice = run([
      { type: "transfer.offered", offer: offer(1) },
      { type: "transfer.offered", offer: offer(1) },
    ]);
    expect(twice.offers).toHaveLength(1);
    expect(reduce(twice, { type: "transfer.offered", offer: offer(1) }, T0)).toBe(twice);
    const both = reduce(twice, { type: "transfer.offered", offer: offer(2) }, T0);
    expect(both.offers.map((o) => o.transferId)).toEqual(["tr_1", "tr_2"]);
  });

  it("goes connecting → in call on accept, and starts the timer when the call is live", () => {
    const connecting = reduce(ringing, { type: "accept_started", transferId: "tr_1" }, T0);
    expect(phaseOf(connecting)).toBe("connecting");
    expect(connecting.activeCall).toMatchObject({ callId: "call_1", caller: { name: "Caller 1" }, team: { name: "Sales" }, muted: false, startedAt: null });
    expect(ringingOffers(connecting)).toEqual([]);
    expect(phaseOf(inCall)).toBe("in_call");
    expect(inCall.activeCall?.startedAt).toBe(T0 + 2000);
    expect(inCall.offers).toEqual([]);
  });

  it("reaches in call from connected audio alone when no realtime event comes", () => {
    const s = run(
      [{ type: "accept_started", transferId: "tr_1" }, { type: "accept_succeeded", transferId: "tr_1", callId: "call_1" }, { type: "media_connected" }],
      ringing,
    );
    expect(phaseOf(s)).toBe("in_call");
  });

  it("removes an offer someone else took, but keeps it ringing when this browser failed before claiming", () => {
    const started = reduce(ringing, { type: "accept_started", transferId: "tr_1" }, T0);
    const taken = reduce(started, { type: "accept_failed", transferId: "tr_1", taken: true, message: null }, T0);
    expect(phaseOf(taken)).toBe("idle");
    expect(taken.error).toBeNull();
    const micDenied = reduce(started, { type: "accept_failed", transferId: "tr_1", taken: false, message: "Microphone access was denied" }, T0);
    expect(phaseOf(micDenied)).toBe("ringing");
    expect(micDenied.error).toBe("Microphone access was denied");
  });

  it("does not start a second call while one is active", () => {
    const withSecond = reduce(inCall, { type: "transfer.offered", offer: offer(2) }, T0);
    expect(reduce(withSecond, { type: "accept_started", transferId: "tr_2" }, T0)).toBe(withSecond);
  });

  it("moves between hold and resume and keeps the timer running", () => {
    const held = reduce(inCall, { type: "call.updated", callId: "call_1", status: "on_hold" }, T0 + 10_000);
    expect(phaseOf(held)).toBe("on_hold");
    const resumed = reduce(held, { type: "call.updated", callId: "call_1", status: "in_call" }, T0 + 20_000);
    expect(phaseOf(resumed)).toBe("in_call");
    expect(resumed.activeCall?.startedAt).toBe(inCall.activeCall?.startedAt);
  });

  it("ignores updates for other calls", () => {
    expect(reduce(inCall, { type: "call.updated", callId: "someone-elses", status: "ended", endedBy: "client" }, T0)).toBe(inCall);
  });

  it("mutes and unmutes the microphone flag", () => {
    const muted = reduce(inCall, { type: "mute_set", muted: true }, T0);
    expect(muted.activeCall?.muted).toBe(true);
    expect(reduce(muted, { type: "mute_set", muted: false }, T0).activeCall?.muted).toBe(false);
  });

  it("goes to wrap-up when the call ends, saying who ended it", () => {
    const ended = reduce(inCall, { type: "call.updated", callId: "call_1", status: "ended", endedBy: "client" }, T0);
    expect(phaseOf(ended)).toBe("wrap_up");
    expect(ended.activeCall?.ended).toMatchObject({ by: "client" });
    // A late duplicate (route reply after the realtime event) changes nothing.
    expect(reduce(ended, { type: "call.updated", callId: "call_1", status: "ended", endedBy: "agent" }, T0)).toBe(ended);
    expect(reduce(ended, { type: "call.updated", callId: "call_1", status: "in_call" }, T0)).toBe(ended);
  });

  it("lets the server say why after the browser saw the audio die", () => {
    const lost = reduce(inCall, { type: "media_failed", state: "failed" }, T0);
    expect(phaseOf(lost)).toBe("wrap_up");
    expect(lost.error).toMatch(/audio connection failed/);
    const told = reduce(lost, { type: "call.updated", callId: "call_1", status: "ended", endedBy: "client" }, T0);
    expect(told.activeCall?.ended).toMatchObject({ by: "client", source: "server" });
  });

  it("returns to idle once notes are saved", () => {
    const ended = reduce(inCall, { type: "call.updated", callId: "call_1", status: "ended", endedBy: "agent" }, T0);
    const typed = reduce(ended, { type: "notes_changed", notes: "Wants a refund" }, T0);
    expect(typed.notes).toBe("Wants a refund");
    const done = reduce(typed, { type: "notes_saved", saved: true }, T0);
    expect(phaseOf(done)).toBe("idle");
    expect(done.activeCall).toBeNull();
    expect(done.notes).toBe("");
    // The agent is told the notes went somewhere, and where.
    expect(done.notice).toEqual({ message: expect.stringMatching(/^Notes saved to the call with /), callId: "call_1" });
    expect(reduce(done, { type: "notice_dismissed" }, T0).notice).toBeNull();
    // The next call clears it.
    const next = reduce(reduce(done, { type: "transfer.offered", offer: offer(2) }, T0), { type: "accept_started", transferId: offer(2).transferId }, T0);
    expect(next.notice).toBeNull();
  });

  it("confirms nothing when the wrap-up ends without notes", () => {
    const ended = reduce(inCall, { type: "call.updated", callId: "call_1", status: "ended", endedBy: "agent" }, T0);
    const done = reduce(ended, { type: "notes_saved", saved: false }, T0);
    expect(phaseOf(done)).toBe("idle");
    expect(done.notice).toBeNull();
  });

  it("never rings the accepted call again when a late poll still lists it", () => {
    const stale = reduce(inCall, { type: "offers_loaded", offers: [offer(1)] }, T0);
    expect(stale.offers).toEqual([]);
    expect(phaseOf(stale)).toBe("in_call");
  });

  it("stops ringing when the agent leaves available", () => {
    const away = reduce(ringing, { type: "status_loaded", status: "away" }, T0);
    expect(away.availability).toBe("away");
    expect(phaseOf(away)).toBe("idle");
  });

  it("notifies subscribers through the store only when state changes", () => {
    const store = createPanelStore(initialPanelState, () => T0);
    let calls = 0;
    store.subscribe(() => calls++);
    store.handle({ type: "transfer.withdrawn", transferId: "nothing" });
    expect(calls).toBe(0);
    store.handle({ type: "status_loaded", status: "available" });
    store.handle({ type: "transfer.offered", offer: offer(1) });
    expect(calls).toBe(2);
    expect(phaseOf(store.getState())).toBe("ringing");
  });

  describe("a call the agent places", () => {
    const contact = { phone: "5521987654321", name: "Bruno Lima" };
    const dialing = run([
      { type: "place_started", contact },
      { type: "place_succeeded", callId: "out_1" },
    ]);

    it("dials (ringback) through the agent's own media connecting, and is in call only when the contact answers", () => {
      expect(phaseOf(dialing)).toBe("dialing");
      expect(dialing.activeCall).toMatchObject({ callId: "out_1", direction: "outgoing", transferId: null, caller: contact, startedAt: null });
      const stillDialing = run([{ type: "media_connected" }, { type: "call.updated", callId: "out_1", status: "connecting" }], dialing);
      expect(phaseOf(stillDialing)).toBe("dialing");
      const answered = reduce(stillDialing, { type: "call.updated", callId: "out_1", status: "in_call" }, T0 + 9_000);
      expect(phaseOf(answered)).toBe("in_call");
      expect(answered.activeCall?.startedAt).toBe(T0 + 9_000);
    });

    it("shows why when the call cannot be placed, and goes back to idle", () => {
      const refused = run([
        { type: "place_started", contact },
        { type: "place_failed", message: "The daily limit … (#138012)" },
      ]);
      expect(phaseOf(refused)).toBe("idle");
      expect(refused.error).toBe("The daily limit … (#138012)");
    });

    it("wraps up with the contact's own reason when they decline, then returns to idle", () => {
      const declined = reduce(
        dialing,
        { type: "call.updated", callId: "out_1", status: "ended", endedBy: "client", reason: "The contact did not take the call" },
        T0,
      );
      expect(phaseOf(declined)).toBe("wrap_up");
      expect(declined.activeCall?.ended).toMatchObject({ by: "client", reason: "The contact did not take the call" });
      expect(phaseOf(reduce(declined, { type: "wrap_up_done" }, T0))).toBe("idle");
    });

    it("is not started over another call", () => {
      expect(reduce(inCall, { type: "place_started", contact }, T0)).toBe(inCall);
    });
  });
});

describe("hanging up an outgoing call being placed", () => {
  const contact = offer(1).caller;
  it("closes the card at once, and a late reply or failure of the placement changes nothing", () => {
    const placing = reduce(initialPanelState, { type: "place_started", contact }, T0);
    expect(phaseOf(placing)).toBe("dialing");
    const cancelled = reduce(placing, { type: "place_cancelled" }, T0);
    expect(phaseOf(cancelled)).toBe("idle");
    expect(reduce(cancelled, { type: "place_succeeded", callId: "late" }, T0)).toBe(cancelled);
    expect(reduce(cancelled, { type: "place_failed", message: "WhatsApp's servers could not be reached (fetch failed)" }, T0).error).toBeNull();
  });

  it("is a normal hang up once the server has given the call its id", () => {
    const placed = reduce(reduce(initialPanelState, { type: "place_started", contact }, T0), { type: "place_succeeded", callId: "c1" }, T0);
    expect(reduce(placed, { type: "place_cancelled" }, T0)).toBe(placed);
  });
});

describe("hold, resume and hang up in flight", () => {
  it("waits for the server's answer before taking another hold or resume, but never holds back a hang-up", () => {
    const holding = reduce(inCall, { type: "control_started", action: "hold" }, T0);
    expect(holding.activeCall?.pending).toBe("hold");
    expect(reduce(holding, { type: "control_started", action: "resume" }, T0)).toBe(holding);
    const hangingUp = reduce(holding, { type: "control_started", action: "hangup" }, T0);
    expect(hangingUp.activeCall?.pending).toBe("hangup");
    // The hold's late answer does not clear the hang-up's wait.
    expect(reduce(hangingUp, { type: "control_finished", action: "hold" }, T0).activeCall?.pending).toBe("hangup");
    const held = reduce(reduce(holding, { type: "call.updated", callId: "call_1", status: "on_hold" }, T0), { type: "control_finished", action: "hold" }, T0);
    expect(held.activeCall).toMatchObject({ phase: "on_hold", pending: null });
    // A refused hold (an error) frees the buttons again.
    expect(reduce(holding, { type: "control_finished", action: "hold" }, T0).activeCall).toMatchObject({ phase: "in_call", pending: null });
  });
});

describe("rejoining a call after a reload", () => {
  const live = {
    callId: "call_9",
    direction: "incoming" as const,
    status: "on_hold" as const,
    caller: { phone: "5511900000009", name: "Rui" },
    team: { id: "t", name: "Support" },
  };
  const idle = { ...initialPanelState, availability: "available" as const };

  it("shows the call reconnecting, then in the state and time the gateway gives", () => {
    const started = run([{ type: "rejoin_started", call: live }], idle);
    expect(started.activeCall).toMatchObject({ callId: "call_9", phase: "connecting", rejoining: true, team: { name: "Support" }, transferId: null });
    const back = reduce(started, { type: "rejoin_succeeded", callId: "call_9", status: "on_hold", startedAt: T0 - 60_000 }, T0);
    expect(back.activeCall).toMatchObject({ phase: "on_hold", startedAt: T0 - 60_000, rejoining: false });
    // A call the agent placed has no team: the card says what it is; still ringing, it has no clock yet.
    const placed = run([{ type: "rejoin_started", call: { ...live, direction: "outgoing", status: "dialing", team: null } }], idle);
    expect(placed.activeCall?.team.name).toBe("Outgoing call");
    const ringingAgain = reduce(placed, { type: "rejoin_succeeded", callId: "call_9", status: "dialing", startedAt: null }, T0);
    expect(ringingAgain.activeCall).toMatchObject({ phase: "dialing", startedAt: null, rejoining: false });
    expect(reduce(ringingAgain, { type: "call.updated", callId: "call_9", status: "in_call" }, T0).activeCall).toMatchObject({
      phase: "in_call",
      startedAt: T0,
    });
  });

  it("offers to move a call connected in another window, and forgets it once that call ends", () => {
    const started = run([{ type: "rejoin_started", call: live }], idle);
    const elsewhere = reduce(started, { type: "rejoin_failed", callId: "call_9", message: null, inUse: live }, T0);
    expect(elsewhere).toMatchObject({ activeCall: null, error: null, elsewhere: live });
    expect(phaseOf(elsewhere)).toBe("idle");
    expect(reduce(elsewhere, { type: "call.updated", callId: "call_9", status: "ended", endedBy: "client" }, T0).elsewhere).toBeNull();
    expect(reduce(elsewhere, { type: "elsewhere_dismissed" }, T0).elsewhere).toBeNull();
    // Moving it here clears the offer.
    expect(reduce(elsewhere, { type: "rejoin_started", call: live }, T0).elsewhere).toBeNull();
  });

  it("marks the call whose window closed, until another page takes it or this one tries", () => {
    const elsewhere = run(
      [
        { type: "rejoin_started", call: live },
        { type: "rejoin_failed", callId: "call_9", message: null, inUse: live },
      ],
      idle,
    );
    // Only about the call shown as elsewhere.
    expect(reduce(elsewhere, { type: "carrier_left", callId: "call_2" }, T0)).toBe(elsewhere);
    expect(reduce(idle, { type: "carrier_left", callId: "call_9" }, T0)).toBe(idle);
    const left = reduce(elsewhere, { type: "carrier_left", callId: "call_9" }, T0);
    expect(left).toMatchObject({ carrierLeft: "call_9", elsewhere: live });
    // The closed window was reloaded and rejoined the call (or another window moved it there).
    expect(reduce(left, { type: "call.moved", callId: "call_9", window: "w3" }, T0)).toMatchObject({ carrierLeft: null, elsewhere: live });
    // The closed window was a reload: its new page says so as it starts, and the call stays with it.
    expect(reduce(left, { type: "carrier_back", callId: "call_9" }, T0)).toMatchObject({ carrierLeft: null, elsewhere: live });
    expect(reduce(left, { type: "carrier_back", callId: "call_2" }, T0)).toBe(left);
    // This page's own attempt: taken over, or still in use by a page that came back first.
    expect(reduce(left, { type: "rejoin_started", call: live }, T0).carrierLeft).toBeNull();
    expect(reduce(left, { type: "rejoin_failed", callId: "call_9", message: null, inUse: live }, T0)).toMatchObject({ carrierLeft: null, elsewhere: live });
  });

  it("lets a call go when the agent moves it to another window, and offers to move it back", () => {
    const moved = reduce(inCall, { type: "call.moved", callId: "call_1", window: "w2" }, T0);
    expect(moved).toMatchObject({ activeCall: null, elsewhere: { callId: "call_1", status: "in_call", team: { name: "Sales" } } });
    // Its audio may have died first: that wrap-up was the move, not the end of the call.
    const guessed = reduce(inCall, { type: "media_failed", state: "closed" }, T0);
    expect(reduce(guessed, { type: "call.moved", callId: "call_1", window: "w2" }, T0).elsewhere?.callId).toBe("call_1");
    // A call the server ended stays in wrap-up; another call, or one this page is rejoining, is not touched.
    const ended = reduce(inCall, { type: "call.updated", callId: "call_1", status: "ended", endedBy: "client" }, T0);
    expect(reduce(ended, { type: "call.moved", callId: "call_1", window: "w2" }, T0)).toBe(ended);
    expect(reduce(inCall, { type: "call.moved", callId: "call_2", window: "w2" }, T0)).toBe(inCall);
    const rejoining = run([{ type: "rejoin_started", call: live }], idle);
    expect(reduce(rejoining, { type: "call.moved", callId: "call_9", window: "w2" }, T0)).toBe(rejoining);
    // An outgoing call still ringing moves too, and is offered back as ringing.
    const dialing = run(
      [
        { type: "place_started", contact: { phone: "5511900000001", name: null } },
        { type: "place_succeeded", callId: "call_7" },
      ],
      idle,
    );
    expect(reduce(dialing, { type: "call.moved", callId: "call_7", window: "w2" }, T0).elsewhere).toMatchObject({
      callId: "call_7",
      status: "dialing",
      team: null,
    });
  });

  it("on load, shows a call connected in another window as that note at once (no card first)", () => {
    const note = reduce(idle, { type: "rejoin_failed", callId: "call_9", message: null, inUse: live }, T0);
    expect(note).toMatchObject({ activeCall: null, elsewhere: live });
    // Once it ends there, this window says so (once) and drops the note.
    const ended = reduce(note, { type: "call.updated", callId: "call_9", status: "ended", endedBy: "client" }, T0);
    expect(ended).toMatchObject({ elsewhere: null, notice: { message: "Your call with Rui ended.", callId: "call_9" } });
  });

  it("stops ringing in a window when the agent answers the offer in another one", () => {
    const moved = reduce(ringing, { type: "call.moved", callId: "call_1", window: "w2" }, T0);
    expect(moved.offers).toEqual([]);
    expect(moved.elsewhere).toMatchObject({ callId: "call_1", direction: "incoming", status: "in_call", team: { name: "Sales" } });
    expect(phaseOf(moved)).toBe("idle");
  });

  it("brings back the wrap-up of the call this tab was on, notes included", () => {
    const saved = {
      callId: "call_9",
      direction: "incoming" as const,
      caller: live.caller,
      team: live.team,
      phase: "in_call" as const,
      muted: false,
      startedAt: T0 - 90_000,
      ended: null,
    };
    const back = reduce(idle, { type: "wrap_up_restored", call: saved, notes: "Wants a refund" }, T0);
    expect(back).toMatchObject({ notes: "Wants a refund", activeCall: { phase: "wrap_up", callId: "call_9", startedAt: T0 - 90_000 } });
    expect(endedText(back.activeCall!.ended)).toBe("The call ended while this page was reloading");
    // A wrap-up that was already on the page keeps what the server said.
    const wrapped = { ...saved, phase: "wrap_up" as const, ended: { by: "agent" as const, reason: null, source: "server" as const } };
    expect(endedText(reduce(idle, { type: "wrap_up_restored", call: wrapped, notes: "" }, T0).activeCall!.ended)).toBe("You hung up");
    expect(reduce(inCall, { type: "wrap_up_restored", call: saved, notes: "x" }, T0)).toBe(inCall);
  });

  it("says why a rejoin failed, and never replaces a call already on the panel", () => {
    const failed = run(
      [
        { type: "rejoin_started", call: live },
        { type: "rejoin_failed", callId: "call_9", message: "Your call with Rui ended before this page could rejoin it.", inUse: null },
      ],
      idle,
    );
    expect(failed).toMatchObject({ activeCall: null, error: "Your call with Rui ended before this page could rejoin it." });
    expect(reduce(inCall, { type: "rejoin_started", call: live }, T0)).toBe(inCall);
    expect(reduce(inCall, { type: "rejoin_failed", callId: "call_1", message: "x", inUse: null }, T0)).toBe(inCall);
  });
});

describe("errors", () => {
  it("drops an earlier call's error when a new call rings on an idle panel, not during a call", () => {
    const failed = reduce(initialPanelState, { type: "error_shown", message: "No media gateway is available" }, T0);
    expect(failed.error).toBe("No media gateway is available");
    expect(reduce(failed, { type: "transfer.offered", offer: offer(1) }, T0).error).toBeNull();
    const busy = {
      ...reduce(reduce(failed, { type: "transfer.offered", offer: offer(1) }, T0), { type: "accept_started", transferId: offer(1).transferId }, T0),
      error: "Could not hold",
    };
    expect(reduce(busy, { type: "transfer.offered", offer: offer(2) }, T0).error).toBe("Could not hold");
  });
});

describe("endedText", () => {
  it("calls the WhatsApp user the contact on an outgoing call, where the agent was the caller", () => {
    expect(endedText({ by: "client", reason: null, source: "server" }, "incoming")).toBe("Caller hung up");
    expect(endedText({ by: "client", reason: null, source: "server" }, "outgoing")).toBe("The contact hung up");
    expect(endedText({ by: "agent", reason: null, source: "server" }, "outgoing")).toBe("You hung up");
  });
});
