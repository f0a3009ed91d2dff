// The call panel's reducer when a page rejoins its call (a reload, another window), and when the call
// is connected in, moved to or left by another window.
import { describe, expect, it } from "vitest";
import { endedText } from "../../components/call-panel/format";
import { initialPanelState, phaseOf, reduce } from "../../components/call-panel/reducer";
import { inCall, ringing, run, T0 } from "./call-panel-fixtures";

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
