import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlow, deleteFlow, publishFlow, saveDraft, updateFlowSettings } from "../../lib/flows/editor-service";
import { AppError } from "../../lib/errors";
import { closeQueues } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { storage } from "../../lib/storage";
import { createAccount, createOrg, createTeam } from "../../lib/seed/factories";
import { sampleFlowDocument } from "../../lib/seed/sample-flow";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let accountId: string;
let teamId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Flows Org" })).id;
  accountId = (await createAccount(db, orgId)).id;
  teamId = (await createTeam(db, orgId, "Support")).id;
});
// Publishing waits for the flow's TTS prompts, which the workers render.
const worker = startWorker({ concurrency: 2, log: pino({ level: "silent" }), storage: storage() });
afterAll(async () => {
  await worker.close();
  await closeQueues();
  await db.$disconnect();
});

const settings = (name: string, isCallStart = false) => ({ name, description: undefined, accountId, active: true, isCallStart });

/**
 * Publishes as an author does: again after "Still preparing audio…; publish again in a moment" (409),
 * which a loaded machine gives when the prompts' renders queue behind other test files' renders.
 */
async function publishWhenReady(flowId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await publishFlow(orgId, flowId);
    } catch (err) {
      if (attempt < 3 && err instanceof AppError && err.code === "conflict") continue;
      throw err;
    }
  }
}

describe("flow list and editor service", () => {
  it("keeps one call-start flow per number and says which one it turned off", async () => {
    const a = await createFlow(orgId, settings("A", true));
    const b = await createFlow(orgId, settings("B", true));
    expect(a.turnedOff).toEqual([]);
    expect(b.turnedOff).toEqual(["A"]);
    const again = await updateFlowSettings(orgId, a.id, settings("A", true));
    expect(again.turnedOff).toEqual(["B"]);
    expect(await db.ivrFlow.count({ where: { accountId, isCallStart: true } })).toBe(1);
  });

  it("saves an invalid draft with its problems but refuses to publish it", async () => {
    const flow = await createFlow(orgId, settings("Draft"));
    const saved = await saveDraft(orgId, flow.id, { entryNodeId: "t", nodes: [{ id: "t", type: "transfer", config: {} }] });
    expect(saved.issues.map((i) => i.message)).toContain("Transfer to team node: Choose the team to transfer to");
    await expect(publishFlow(orgId, flow.id)).rejects.toThrow("Fix 1 error(s) before publishing");
    expect((await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id } })).publishedDocument).toBeNull();
    await saveDraft(orgId, flow.id, sampleFlowDocument(teamId));
    expect(await publishWhenReady(flow.id)).toMatchObject({ version: 1 });
    expect(await publishWhenReady(flow.id)).toMatchObject({ version: 2 });
  }, 90_000);

  it("refuses to delete a flow another flow goes to, naming it", async () => {
    const target = await createFlow(orgId, settings("Target"));
    const jumper = await createFlow(orgId, settings("Jumper"));
    await saveDraft(orgId, jumper.id, { entryNodeId: "j", nodes: [{ id: "j", type: "goto_flow", config: { flowId: target.id } }] });
    await expect(deleteFlow(orgId, target.id)).rejects.toThrow("This flow cannot be deleted: “Jumper” goes to it.");
    await deleteFlow(orgId, jumper.id);
    await deleteFlow(orgId, target.id);
    expect(await db.ivrFlow.count({ where: { id: { in: [target.id, jumper.id] } } })).toBe(0);
  });

  it("never touches another organisation's flows", async () => {
    const other = await createOrg(db, { name: "Other" });
    const flow = await createFlow(orgId, settings("Mine"));
    await expect(saveDraft(other.id, flow.id, {})).rejects.toThrow("Flow was not found");
    await expect(deleteFlow(other.id, flow.id)).rejects.toThrow("Flow was not found");
  });
});
