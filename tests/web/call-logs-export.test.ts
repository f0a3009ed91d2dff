// The CSV export streams: 10,000 rows go out in keyset batches as the reader takes them, so the
// server never holds the whole file.
//
// How the test tells streaming from buffering: it reads the first bytes, stops reading, changes the
// OLDEST call (the last CSV row, in the export's last batch), then reads the rest. A handler that
// built the whole CSV (or queried every batch) before or while sending would have read that row
// before the change and show the old value; a streaming handler queries the last batch only when
// the reader gets there, after the change. Rows are made ~2 KB each (a long system-ended reason)
// so the 20 MB file is far larger than what the kernel's socket buffers and the client can hold
// while the reader is paused; the last batch cannot have been fetched early by buffering alone.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createOrg, createUser } from "../../lib/seed/factories";
import { signIn, WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const ROWS = 10_000;
const REASON = `Ended by a long system reason ${"x".repeat(1900)}`;
let admin: string;
let oldestId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Export org" });
  const user = await createUser(db, org.id, { role: "admin", password: "export-pass-123" });
  const account = await createAccount(db, org.id, { name: "Export line" });
  const t0 = Date.UTC(2026, 9, 1);
  for (let from = 0; from < ROWS; from += 2000) {
    await db.call.createMany({
      data: Array.from({ length: 2000 }, (_, k) => {
        const i = from + k;
        return {
          id: `exp${String(i).padStart(6, "0")}`,
          orgId: org.id,
          accountId: account.id,
          waCallId: `wacid.export.${i}`,
          direction: "incoming" as const,
          status: "failed" as const,
          callerPhone: `5511${String(i).padStart(9, "0")}`,
          startedAt: new Date(t0 + i * 60_000),
          endedAt: new Date(t0 + i * 60_000 + 5000),
          durationSecs: 0,
          disconnectedBy: "system" as const,
          error: REASON,
        };
      }),
    });
  }
  oldestId = "exp000000";
  admin = await signIn(user.email, "export-pass-123");
}, 120_000);
afterAll(() => db.$disconnect());

describe("call-log CSV export at 10,000 rows", () => {
  it("streams: rows are read from the database as the download proceeds", async () => {
    // node:http rather than fetch: a paused IncomingMessage stops reading the socket, so the
    // server's writes back up (fetch's body keeps reading into memory while we wait).
    const { res, body } = await new Promise<{ res: http.IncomingMessage; body: AsyncIterableIterator<Buffer> }>((resolve, reject) => {
      const req = http.get(`${WEB_URL}/api/calls/export`, { headers: { cookie: admin } }, (r) => resolve({ res: r, body: r[Symbol.asyncIterator]() }));
      req.on("error", reject);
    });
    expect(res.statusCode).toBe(200);
    const first = await body.next();
    let text = (first.value as Buffer).toString("utf8");
    expect(text.startsWith("\uFEFFStarted (UTC),")).toBe(true);
    // Paused reader: let the server fill whatever buffers it can, then change the last row.
    await new Promise((r) => setTimeout(r, 1500));
    await db.call.update({ where: { id: oldestId }, data: { callerPhone: "999000111222" } });
    const chunks: Buffer[] = [first.value as Buffer];
    for (let next = await body.next(); !next.done; next = await body.next()) chunks.push(next.value as Buffer);
    const all = Buffer.concat(chunks);
    text = all.toString("utf8");
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(ROWS + 1);
    expect(all.byteLength).toBeGreaterThan(ROWS * 1900);
    const last = lines.at(-1)!;
    expect(last.endsWith(oldestId)).toBe(true);
    expect(last).toContain(",999000111222,");
    // Newest first, each row once.
    expect(lines[1]!.endsWith(`exp${String(ROWS - 1).padStart(6, "0")}`)).toBe(true);
    expect(new Set(lines.slice(1).map((l) => l.slice(l.lastIndexOf(",") + 1))).size).toBe(ROWS);
  }, 60_000);
});
