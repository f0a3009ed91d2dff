// The call log over HTTP against the production build: every filter, combinations, keyset paging
// both ways, search, what agents may see (list, detail, export, recording) and recording playback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storage } from "../../lib/storage";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";
import { type CallLogFixture, localDay, type ModelCall, newestFirst, PASSWORD, seedCallLog, visibleTo } from "./call-logs.fixture";

let f: CallLogFixture;
let admin: string;
let agent1: string;
let loner: string;
const N = 300;

beforeAll(async () => {
  f = await seedCallLog(db, N, "web");
  [admin, agent1, loner] = await Promise.all([signIn(f.admin.email, PASSWORD), signIn(f.agent1.email, PASSWORD), signIn(f.loner.email, PASSWORD)]);
});
afterAll(() => db.$disconnect());

interface Page {
  calls: { id: string; status: string; contact: { name: string | null; phone: string }; endedBy: string }[];
  total: { value: number; exact: boolean };
  newer: string | null;
  older: string | null;
}

async function page(cookie: string, params: Record<string, string>): Promise<Page> {
  const res = await api(cookie, `/api/calls?${new URLSearchParams(params)}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

/** Every id the filter matches, following "older" cursors; fails on a repeated id. */
async function allIds(cookie: string, params: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let p = await page(cookie, { ...params, limit: "50" });
  for (let guard = 0; ; guard++) {
    ids.push(...p.calls.map((c) => c.id));
    if (!p.older || guard > 50) break;
    p = await page(cookie, { ...params, limit: "50", after: p.older });
  }
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
}

const expectIds = (calls: ModelCall[]) => newestFirst(calls).map((c) => c.id);

describe("call log filters (JSON API, same schema as the page)", () => {
  it("each filter alone returns exactly the matching calls, newest first", async () => {
    const [a1, a2] = f.accounts;
    const cases: [Record<string, string>, (c: ModelCall) => boolean][] = [
      [{ status: "missed" }, (c) => c.status === "missed"],
      // Reads "Completed" with "No agent answered" beside it: waited for a team, nobody took it.
      [{ status: "no_agent_answered" }, (c) => c.status === "completed" && c.teamId !== null && c.agentId === null],
      [{ direction: "outgoing" }, (c) => c.direction === "outgoing"],
      [{ account: a2 }, (c) => c.accountId === a2],
      [{ account: a1 }, (c) => c.accountId === a1],
      [{ flow: f.flows[0] }, (c) => c.flowId === f.flows[0]],
      [{ agent: f.agent1.id }, (c) => c.agentId === f.agent1.id],
      [{ team: f.teams[1] }, (c) => c.teamId === f.teams[1]],
    ];
    for (const [params, match] of cases) {
      const expected = expectIds(f.calls.filter(match));
      expect(expected.length, JSON.stringify(params)).toBeGreaterThan(5);
      expect(await allIds(admin, params), JSON.stringify(params)).toEqual(expected);
    }
  });

  it("date range uses the organisation's days (São Paulo), not UTC", async () => {
    // The newest call starts 2026-11-20 02:30 UTC = 2026-11-19 23:30 in São Paulo.
    const day = "2026-11-19";
    const expected = expectIds(f.calls.filter((c) => localDay(c.startedAt) === day));
    expect(expected).toContain(newestFirst(f.calls)[0]!.id);
    expect(await allIds(admin, { from: day, to: day })).toEqual(expected);
    expect(await allIds(admin, { from: "2026-11-20" })).toEqual([]);
    const range = expectIds(f.calls.filter((c) => localDay(c.startedAt) >= "2026-11-14" && localDay(c.startedAt) <= "2026-11-16"));
    expect(range.length).toBeGreaterThan(20);
    expect(await allIds(admin, { from: "2026-11-14", to: "2026-11-16" })).toEqual(range);
  });

  it("combined filters intersect", async () => {
    const params = { status: "completed", direction: "incoming", account: f.accounts[0], team: f.teams[1] };
    const expected = expectIds(
      f.calls.filter((c) => c.status === "completed" && c.direction === "incoming" && c.accountId === f.accounts[0] && c.teamId === f.teams[1]),
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(await allIds(admin, params)).toEqual(expected);
    const p = await page(admin, { ...params, from: "2026-11-10", to: "2026-11-19" });
    expect(p.calls.map((c) => c.id)).toEqual(
      expected.filter((id) => {
        const d = localDay(f.calls.find((c) => c.id === id)!.startedAt);
        return d >= "2026-11-10" && d <= "2026-11-19";
      }),
    );
  });

  it("refuses a bad filter value with a 422 naming the field", async () => {
    const res = await api(admin, "/api/calls?status=sleeping");
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("status");
  });

  it("the total is exact here and the ended-by column is in words", async () => {
    const p = await page(admin, {});
    expect(p.total).toEqual({ value: N, exact: true });
    expect((await page(admin, { status: "failed" })).total).toEqual({ value: N / 4, exact: true });
    const words = new Set(p.calls.map((c) => c.endedBy));
    expect(words).toContain("Caller hung up");
    expect(words).toContain("Agent hung up");
    expect([...words].some((w) => w.startsWith("Ended by the system: (#138006)"))).toBe(true);
  });
});

describe("keyset paging", () => {
  it("older then newer walks every call once, in order, with no gaps", async () => {
    const expected = expectIds(f.calls);
    const pages: string[][] = [];
    let p = await page(admin, {});
    expect(p.newer).toBeNull();
    for (;;) {
      pages.push(p.calls.map((c) => c.id));
      if (!p.older) break;
      p = await page(admin, { after: p.older });
    }
    expect(pages.flat()).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(N / 50));
    // And back up with "newer" from the last page: the same pages in reverse.
    const back: string[][] = [pages.at(-1)!];
    while (p.newer) {
      p = await page(admin, { before: p.newer });
      back.unshift(p.calls.map((c) => c.id));
    }
    expect(back).toEqual(pages);
  });

  it("the page links carry the filters and a cursor, never an offset", async () => {
    const html = await (await api(admin, `/calls?account=${f.accounts[0]}&direction=incoming`)).text();
    const older = /href="(\/calls\?[^"]*after=[^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(older).toBeDefined();
    const u = new URL(older!, "http://x");
    expect(u.searchParams.get("account")).toBe(f.accounts[0]);
    expect(u.searchParams.get("direction")).toBe("incoming");
    expect([...u.searchParams.keys()].some((k) => /offset|page|skip/i.test(k))).toBe(false);
    const next = await (await api(admin, older!)).text();
    const firstIds = [...html.matchAll(/data-call-id="([^"]+)"/g)].map((m) => m[1]);
    const nextIds = [...next.matchAll(/data-call-id="([^"]+)"/g)].map((m) => m[1]);
    const expected = expectIds(f.calls.filter((c) => c.accountId === f.accounts[0] && c.direction === "incoming"));
    expect(expected.length).toBeGreaterThan(50);
    expect([...firstIds, ...nextIds]).toEqual(expected.slice(0, firstIds.length + nextIds.length));
    expect(next).toContain("Newer");
    expect(next).toContain("Export CSV");
  });
});

describe("search", () => {
  it("finds calls by the start of the phone number, typed any way", async () => {
    const target = f.calls.find((c) => c.i === 19)!;
    const formatted = `+${target.phone.slice(0, 2)} ${target.phone.slice(2, 6)}-${target.phone.slice(6)}`;
    expect(await allIds(admin, { q: formatted })).toEqual(expectIds(f.calls.filter((c) => c.phone === target.phone)));
    expect(await allIds(admin, { q: "4477009" })).toEqual(expectIds(f.calls.filter((c) => c.phone.startsWith("4477009"))));
  });

  it("finds calls by the start of the contact's name, in any case", async () => {
    const maria = expectIds(f.calls.filter((c) => c.contactName === "Maria Silva"));
    expect(await allIds(admin, { q: "maria" })).toEqual(maria);
    expect(await allIds(admin, { q: "MARIA S" })).toEqual(maria);
    expect(await allIds(admin, { q: "Mari" })).toEqual(expectIds(f.calls.filter((c) => c.contactName?.startsWith("Mari"))));
    expect(await allIds(admin, { q: "joão" })).toEqual(expectIds(f.calls.filter((c) => c.contactName === "João Souza")));
    expect(await allIds(admin, { q: "nobody-like-this" })).toEqual([]);
  });
});

describe("what agents see", () => {
  it("an agent lists only the calls they took and their team's transfers", async () => {
    const mine = visibleTo(f, f.agent1.id);
    expect(mine.length).toBeGreaterThan(20);
    expect(mine.length).toBeLessThan(N / 2);
    expect(await allIds(agent1, {})).toEqual(expectIds(mine));
    expect(await allIds(agent1, { status: "missed" })).toEqual(expectIds(mine.filter((c) => c.status === "missed")));
    expect((await page(loner, {})).calls).toEqual([]);
    const html = await (await api(agent1, "/calls")).text();
    const hidden = f.calls.find((c) => !mine.includes(c))!;
    expect(html).not.toContain(hidden.id);
  });

  it("an invisible call's detail page is a proper 404 page", async () => {
    const hidden = f.calls.find((c) => !visibleTo(f, f.agent1.id).includes(c))!;
    const res = await api(agent1, `/calls/${hidden.id}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Call not found");
    expect(html).toContain("Back to calls");
    const own = visibleTo(f, f.agent1.id)[0]!;
    expect((await api(agent1, `/calls/${own.id}`)).status).toBe(200);
    expect((await api(admin, "/calls/does-not-exist")).status).toBe(404);
  });

  it("an agent's export holds only their calls", async () => {
    const res = await api(agent1, "/api/calls/export");
    expect(res.status).toBe(200);
    const ids = (await res.text())
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(",").at(-1));
    expect(ids).toEqual(expectIds(visibleTo(f, f.agent1.id)));
  });
});

describe("CSV export", () => {
  it("is the current filter as an attachment named with the date, times in the org's zone", async () => {
    const res = await api(admin, `/api/calls/export?status=failed&account=${f.accounts[1]}`);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Started (America/Sao_Paulo),Direction,Status,Contact,Phone,WhatsApp number,IVR flow,Agent,Duration (s),Ended by,Answered,Ended,Call ID",
    );
    const expected = newestFirst(f.calls.filter((c) => c.status === "failed" && c.accountId === f.accounts[1]));
    expect(lines.slice(1).map((l) => l.split(",").at(-1))).toEqual(expected.map((c) => c.id));
    // The newest call: 02:30 UTC is 23:30 the evening before in São Paulo.
    const newest = newestFirst(f.calls)[0]!;
    const all = await (await api(admin, "/api/calls/export")).text();
    expect(all).toContain(`2026-11-19 23:30:00,${newest.direction === "incoming" ? "Incoming" : "Outgoing"}`);
  });

  it("says “No agent answered” in the Agent column for a transferred call nobody took, as the call's page does", async () => {
    const header = "Started (America/Sao_Paulo),Direction,Status,Contact,Phone,WhatsApp number,IVR flow,Agent".split(",");
    const agentColumn = header.indexOf("Agent");
    const untaken = f.calls.find((c) => c.status === "completed" && c.teamId && !c.agentId)!;
    const neverTransferred = f.calls.find((c) => c.status === "completed" && !c.teamId && !c.agentId)!;
    const csv = await (await api(admin, "/api/calls/export")).text();
    const cells = (id: string) =>
      csv
        .split("\r\n")
        .find((l) => l.endsWith(id))!
        .split(",");
    expect(cells(untaken.id)[agentColumn]).toBe("No agent answered");
    expect(cells(neverTransferred.id)[agentColumn]).toBe("");
  });

  it("quotes commas and quotes, and keeps formulas from running in a spreadsheet", async () => {
    const call = f.calls.find((c) => c.i === 3)!;
    const contact = await db.contact.create({ data: { orgId: f.orgId, waId: "5500000000001", name: '=HYPERLINK("http://evil","Hi, there")' } });
    await db.call.update({ where: { id: call.id }, data: { contactId: contact.id, error: "-2+3 @SUM(1)" } });
    try {
      const csv = await (await api(admin, `/api/calls/export?q=${encodeURIComponent("=HYPER")}`)).text();
      const row = csv.split("\r\n").find((l) => l.endsWith(call.id))!;
      expect(row).toContain(`"'=HYPERLINK(""http://evil"",""Hi, there"")"`);
    } finally {
      await db.call.update({ where: { id: call.id }, data: { contactId: null, error: null } });
    }
  });
});

describe("recording playback", () => {
  let recorded: ModelCall;
  const audio = Buffer.from("OggS fake bytes for the redirect test");
  beforeAll(async () => {
    recorded = visibleTo(f, f.agent1.id).find((c) => c.status === "completed")!;
    const key = `recordings/${f.orgId}/${recorded.id}.ogg`;
    await storage().put(key, audio, "audio/ogg");
    await db.recording.create({ data: { callId: recorded.id, storageKey: key, status: "ready", durationMs: 2000 } });
    const other = f.calls.find((c) => !visibleTo(f, f.agent1.id).includes(c) && c.status === "completed")!;
    await db.recording.create({ data: { callId: other.id, storageKey: key, status: "ready", durationMs: 2000 } });
  });

  it("redirects to a short-lived URL that serves the file, inline or as a download", async () => {
    const res = await api(agent1, `/api/calls/${recorded.id}/recording`);
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    const expires = Number(new URL(location).searchParams.get("expires"));
    expect(expires - Date.now() / 1000).toBeGreaterThan(880);
    expect(expires - Date.now() / 1000).toBeLessThan(920);
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toBeNull();
    expect(file.headers.get("accept-ranges")).toBe("bytes");
    expect(Buffer.from(await file.arrayBuffer())).toEqual(audio);
    // Byte ranges, as an audio element asks for them to show the length and to seek.
    const part = await fetch(location, { headers: { range: "bytes=5-9" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 5-9/${audio.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(audio.subarray(5, 10));
    const tail = await fetch(location, { headers: { range: "bytes=-4" } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(audio.subarray(-4));
    expect((await fetch(location, { headers: { range: `bytes=${audio.length}-` } })).status).toBe(416);
    const dl = await fetch((await api(agent1, `/api/calls/${recorded.id}/recording?download=1`)).headers.get("location")!);
    expect(dl.headers.get("content-disposition")).toMatch(/^attachment; filename="call-.+\.ogg"$/);
    expect(Buffer.from(await dl.arrayBuffer())).toEqual(audio);
  });

  it("404s for calls the member may not see and for calls without a ready recording", async () => {
    const hidden = await db.recording.findFirstOrThrow({ where: { call: { orgId: f.orgId }, NOT: { callId: recorded.id } }, select: { callId: true } });
    const res = await api(agent1, `/api/calls/${hidden.callId}/recording`);
    expect(res.status).toBe(404);
    expect(res.headers.get("location")).toBeNull();
    expect((await api(loner, `/api/calls/${recorded.id}/recording`)).status).toBe(404);
    const none = await api(admin, `/api/calls/${f.calls.find((c) => c.status === "missed")!.id}/recording`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe("This call has no recording ready to play");
    expect((await api(null, `/api/calls/${recorded.id}/recording`)).status).toBe(401);
  });
});
