// Who rings for a transfer: an agent whose own outgoing call is still ringing, or who accepted a call
// that is still connecting, is busy; the live board counts them so too and says who is dialling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setAgentStatus } from "../../lib/agents/availability";
import { openTransfer } from "../../lib/agents/transfers";
import { boardState } from "../../lib/board/state";
import { createAccount, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let accountId: string;
let sales: string;
const agents: Record<"ana" | "ben" | "cleo", string> = { ana: "", ben: "", cleo: "" };
let n = 0;

function call(data: { direction: "incoming" | "outgoing"; status: "ringing" | "transferring"; agentId?: string }) {
  n += 1;
  return db.call.create({
    data: { orgId, accountId, waCallId: `wacid.busy.${orgId}.${n}`, callerPhone: `55119770000${n}`, ...data },
    select: { id: true },
  });
}

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Busy agents" })).id;
  accountId = (await createAccount(db, orgId)).id;
  agents.ana = (await createUser(db, orgId, { name: "Ana Dialling" })).id;
  agents.ben = (await createUser(db, orgId, { name: "Ben Connecting" })).id;
  agents.cleo = (await createUser(db, orgId, { name: "Cleo Free" })).id;
  sales = (await createTeam(db, orgId, "Sales", Object.values(agents))).id;
  for (const id of Object.values(agents)) await setAgentStatus(orgId, id, "available");
});
afterAll(() => db.$disconnect());

describe("busy agents", () => {
  it("does not ring an agent placing a call or connecting to one, and the board counts them busy", async () => {
    // Ana's outgoing call rings at the contact; Ben accepted a caller whose leg is still connecting.
    const dialling = await call({ direction: "outgoing", status: "ringing", agentId: agents.ana });
    await call({ direction: "incoming", status: "transferring", agentId: agents.ben });
    const caller = await call({ direction: "incoming", status: "ringing" });

    const { offeredTo } = await openTransfer({ orgId, callId: caller.id, teamId: sales, nodeId: "to-sales", variables: {} });
    expect(offeredTo).toEqual([agents.cleo]);

    const board = await boardState(orgId);
    expect(board.teams.find((t) => t.id === sales)?.available).toBe(1);
    expect(board.agents.find((a) => a.id === agents.ana)?.callId).toBe(dialling.id);
    expect(board.calls.find((c) => c.id === dialling.id)?.phase).toEqual({ kind: "connecting", agent: "Ana Dialling" });

    // Once Ana's call is over, she rings again.
    await db.call.update({ where: { id: dialling.id }, data: { status: "missed", endedAt: new Date() } });
    const next = await call({ direction: "incoming", status: "ringing" });
    const again = await openTransfer({ orgId, callId: next.id, teamId: sales, nodeId: "to-sales", variables: {} });
    expect(again.offeredTo.sort()).toEqual([agents.ana, agents.cleo].sort());
  });
});
