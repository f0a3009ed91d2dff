import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let admin: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audio-web-"));

beforeAll(async () => {
  const org = await createOrg(db, { name: "Audio Web Org" });
  const user = await createUser(db, org.id, { role: "admin", password: "audio-pass-123" });
  admin = await signIn(user.email, "audio-pass-123");
});
afterAll(() => db.$disconnect());

async function waitFor(id: string) {
  let asset: { status: string; playbackUrl: string | null; error: string | null } | undefined;
  await expect
    .poll(
      async () => {
        const list = (await (await api(admin, "/api/audio")).json()) as { id: string; status: string; playbackUrl: string | null; error: string | null }[];
        asset = list.find((a) => a.id === id);
        return asset?.status;
      },
      { timeout: 30_000, interval: 300 },
    )
    .not.toBe("pending");
  return asset!;
}

async function uploadFile(file: string, contentType: string) {
  const started = await (
    await api(admin, "/api/audio/uploads", { method: "POST", json: { name: path.basename(file), contentType, size: fs.statSync(file).size } })
  ).json();
  const put = await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: fs.readFileSync(file) });
  expect(put.status).toBe(200);
  expect((await api(admin, `/api/audio/${started.asset.id}/uploaded`, { method: "POST" })).status).toBe(200);
  return started.asset.id as string;
}

describe("audio library over HTTP with the workers process", () => {
  it("turns TTS text into a playable Opus prompt and reuses it for the same text", async () => {
    const res = await api(admin, "/api/audio/tts", { method: "POST", json: { name: "Welcome", text: "Welcome to the audio test." } });
    const created = await res.json();
    const asset = await waitFor(created.id);
    expect(asset.status).toBe("ready");
    const audio = await fetch(asset.playbackUrl!);
    expect(audio.headers.get("content-type")).toBe("audio/ogg");
    expect(readOggOpus(Buffer.from(await audio.arrayBuffer())).packets.length).toBeGreaterThan(25);
    const again = await (await api(admin, "/api/audio/tts", { method: "POST", json: { name: "Same", text: "Welcome to the audio test." } })).json();
    expect(again).toMatchObject({ id: created.id, reused: true });
  });

  it("uploads a WAV through a signed URL and transcodes it; a corrupt file fails with a reason", async () => {
    const wav = path.join(dir, "hold.wav");
    execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=330:duration=2", wav]);
    expect((await waitFor(await uploadFile(wav, "audio/wav"))).status).toBe("ready");
    const junk = path.join(dir, "junk.mp3");
    fs.writeFileSync(junk, "definitely not audio ".repeat(50));
    const failed = await waitFor(await uploadFile(junk, "audio/mpeg"));
    expect(failed).toMatchObject({ status: "failed", error: "This is not an audio file ffmpeg can read (corrupt or unsupported format)" });
  });

  it("refuses tampered links and oversized uploads", async () => {
    const started = await (await api(admin, "/api/audio/uploads", { method: "POST", json: { name: "x", contentType: "audio/wav", size: 10 } })).json();
    const tampered = started.upload.url.replace(/sig=[^&]+/, "sig=forged");
    expect((await fetch(tampered, { method: "PUT", body: "x" })).status).toBe(403);
    const big = await api(admin, "/api/audio/uploads", { method: "POST", json: { name: "big", contentType: "audio/wav", size: 900 * 1_048_576 } });
    expect(big.status).toBe(400);
    expect((await big.json()).error.message).toMatch(/the limit is 25 MB/);
  });
});
