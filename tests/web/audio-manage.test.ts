// Audio library management: rename, replace the file (the asset and the flows using it stay), and
// delete, refused while a flow or the hold music uses the asset, naming who uses it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlow, createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let admin: string;
let orgId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Audio Manage Org" });
  orgId = org.id;
  const user = await createUser(db, org.id, { role: "admin", password: "audio-manage-123" });
  admin = await signIn(user.email, "audio-manage-123");
});
afterAll(() => db.$disconnect());

const asset = (name: string) => db.audioAsset.create({ data: { orgId, kind: "tts", name, sourceText: name, status: "ready" }, select: { id: true } });

describe("managing the audio library", () => {
  it("renames an asset, with a plain message for a blank name", async () => {
    const { id } = await asset("Old name");
    expect((await api(admin, `/api/audio/${id}`, { method: "PATCH", json: { name: "  New name " } })).status).toBe(200);
    expect((await db.audioAsset.findUniqueOrThrow({ where: { id } })).name).toBe("New name");
    const bad = await api(admin, `/api/audio/${id}`, { method: "PATCH", json: { name: " " } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details.fieldErrors.name).toEqual(["Name is required"]);
  });

  it("keeps names unique in any case: rename, speech and upload refuse a taken one, naming it", async () => {
    const { id } = await asset("Welcome message");
    const other = await asset("Goodbye message");
    const renamed = await api(admin, `/api/audio/${other.id}`, { method: "PATCH", json: { name: "welcome MESSAGE" } });
    expect(renamed.status).toBe(409);
    expect((await renamed.json()).error.message).toBe("The audio library already has “Welcome message”; choose another name");
    // Renaming to its own name in another case is fine.
    expect((await api(admin, `/api/audio/${id}`, { method: "PATCH", json: { name: "Welcome Message" } })).status).toBe(200);
    const speech = await api(admin, "/api/audio/tts", { method: "POST", json: { name: "Goodbye message", text: "Something else entirely." } });
    expect(speech.status).toBe(409);
    const upload = await api(admin, "/api/audio/uploads", { method: "POST", json: { name: " goodbye message ", contentType: "audio/ogg", size: 1000 } });
    expect(upload.status).toBe(409);
    expect(await db.audioAsset.count({ where: { orgId, name: { equals: "goodbye message", mode: "insensitive" } } })).toBe(1);
    // A render of a flow's prompt text is named from its text and does not take the name.
    await db.audioAsset.create({ data: { orgId, kind: "tts", name: "Press one", sourceText: "Press one", status: "ready", fromFlowText: true } });
    expect((await api(admin, `/api/audio/${other.id}`, { method: "PATCH", json: { name: "Press one" } })).status).toBe(200);
  });

  it("refuses to delete audio a flow or the hold music plays, naming them, and deletes it once unused", async () => {
    const { id } = await asset("Greeting audio");
    const doc = {
      version: 1,
      entryNodeId: "hi",
      nodes: [{ id: "hi", type: "greeting", label: "Hi", position: { x: 0, y: 0 }, config: { prompt: { assetId: id } } }],
      edges: [],
    };
    const flow = await createFlow(db, orgId, { name: "Sales line", document: doc, isCallStart: false });
    // The library asks first, so it can say why before asking "Delete …? This cannot be undone."
    expect(await (await api(admin, `/api/audio/${id}`)).json()).toEqual({
      canDelete: false,
      reason: "“Greeting audio” is used by “Sales line”. Choose other audio in that flow first.",
    });
    const refused = await api(admin, `/api/audio/${id}`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toBe("“Greeting audio” is used by “Sales line”. Choose other audio in that flow first.");

    await db.ivrFlow.delete({ where: { id: flow.id } });
    await db.organization.update({ where: { id: orgId }, data: { holdMusicAssetId: id } });
    const hold = await api(admin, `/api/audio/${id}`, { method: "DELETE" });
    expect(hold.status).toBe(409);
    expect((await hold.json()).error.message).toContain("hold music");

    await db.organization.update({ where: { id: orgId }, data: { holdMusicAssetId: null } });
    expect(await (await api(admin, `/api/audio/${id}`)).json()).toEqual({ canDelete: true, reason: null });
    expect((await api(admin, `/api/audio/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await api(admin, `/api/audio/${id}`)).status).toBe(404);
    expect(await db.audioAsset.count({ where: { id } })).toBe(0);
  });

  /** "Replace file" as the library does it: a sine tone of `secs` s, uploaded over the asset. */
  async function replaceWithTone(id: string, frequency: number, secs: number) {
    const wav = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audio-manage-")), "tone.wav");
    execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${frequency}:duration=${secs}`, wav]);
    const started = await (
      await api(admin, `/api/audio/${id}/replace`, { method: "POST", json: { contentType: "audio/wav", size: fs.statSync(wav).size } })
    ).json();
    expect((await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: fs.readFileSync(wav) })).status).toBe(200);
    expect((await api(admin, `/api/audio/${id}/uploaded`, { method: "POST" })).status).toBe(200);
  }

  it("leaves the asset as it was when a replacement is started but its file never arrives", async () => {
    const { id } = await asset("Opening hours");
    const started = await api(admin, `/api/audio/${id}/replace`, { method: "POST", json: { contentType: "audio/wav", size: 1000 } });
    expect(started.status).toBe(200);
    // The tab closed before the upload: nothing was lost, nothing is stuck "Processing…".
    const finished = await api(admin, `/api/audio/${id}/uploaded`, { method: "POST" });
    expect(finished.status).toBe(400);
    expect((await finished.json()).error.message).toBe("The file has not been uploaded yet");
    expect(await db.audioAsset.findUniqueOrThrow({ where: { id } })).toMatchObject({ kind: "tts", status: "ready", sourceText: "Opening hours" });
  });

  it("replaces a speech asset with an uploaded file, keeping its id", async () => {
    const { id } = await asset("Hold message");
    await replaceWithTone(id, 440, 1);
    await expect.poll(async () => (await db.audioAsset.findUniqueOrThrow({ where: { id } })).status, { timeout: 30_000, interval: 300 }).toBe("ready");
    const after = await db.audioAsset.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ kind: "upload", name: "Hold message", sourceText: null });
    expect(after.durationMs).toBeGreaterThan(900);

    // Replacing the uploaded file again: a second conversion of the same asset runs too (its first one,
    // finished, is kept under the same job id, which made BullMQ drop the new one: "Processing…" forever).
    await replaceWithTone(id, 880, 3);
    await expect
      .poll(async () => (await db.audioAsset.findUniqueOrThrow({ where: { id } })).durationMs, { timeout: 30_000, interval: 300 })
      .toBeGreaterThan(2_900);
    expect(await db.audioAsset.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ready", error: null });
  });

  it("keeps a speech asset as it was, text and file, when the file replacing it is not audio, and says so", async () => {
    const { id } = await db.audioAsset.create({
      data: { orgId, kind: "tts", name: "Closed message", sourceText: "We are closed.", status: "ready", storageKey: `orgs/${orgId}/audio/closed.ogg` },
      select: { id: true },
    });
    const junk = Buffer.from("not audio at all ".repeat(64));
    const started = await (await api(admin, `/api/audio/${id}/replace`, { method: "POST", json: { contentType: "audio/mpeg", size: junk.length } })).json();
    expect((await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: junk })).status).toBe(200);
    expect((await api(admin, `/api/audio/${id}/uploaded`, { method: "POST" })).status).toBe(200);
    await expect.poll(async () => (await db.audioAsset.findUniqueOrThrow({ where: { id } })).error, { timeout: 30_000, interval: 300 }).not.toBeNull();
    expect(await db.audioAsset.findUniqueOrThrow({ where: { id } })).toMatchObject({
      kind: "tts",
      sourceText: "We are closed.",
      status: "ready",
      storageKey: `orgs/${orgId}/audio/closed.ogg`,
      error: "The replacement file could not be used: This is not an audio file ffmpeg can read (corrupt or unsupported format). The previous audio is kept.",
    });
  });
});
