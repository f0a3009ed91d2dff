import { describe, expect, it } from "vitest";
import { initialPanelState, phaseOf, reduce, ringingOffers } from "../../components/call-panel/reducer";
import { endedText } from "../../components/call-panel/format";
import { createPanelStore } from "../../components/call-panel/store";
import { inCall, offer, ringing, run, T0 } from "./call-panel-fixtures";

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

  it("lets a passing remark expire, but not an error that replaced it", () => {
    const remark = "Finish your current call before placing another";
    const shown = reduce(inCall, { type: "error_shown", message: remark }, T0);
    expect(reduce(shown, { type: "error_expired", message: remark }, T0).error).toBeNull();
    const replaced = reduce(shown, { type: "error_shown", message: "Could not hold" }, T0);
    expect(reduce(replaced, { type: "error_expired", message: remark }, T0).error).toBe("Could not hold");
  });
});

describe("endedText", () => {
  it("calls the WhatsApp user the contact on an outgoing call, where the agent was the caller", () => {
    expect(endedText({ by: "client", reason: null, source: "server" }, "incoming")).toBe("Caller hung up");
    expect(endedText({ by: "client", reason: null, source: "server" }, "outgoing")).toBe("The contact hung up");
    expect(endedText({ by: "agent", reason: null, source: "server" }, "outgoing")).toBe("You hung up");
  });
});
