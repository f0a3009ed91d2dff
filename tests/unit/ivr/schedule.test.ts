// Business hours: overnight and split ranges, old one-range days, overrides, across DST in two zones.
import { describe, expect, it } from "vitest";
import { isOpen, scheduleSchema, validateFlow } from "../../../lib/ivr";
import { bye, draft } from "./build";

const everyDay = (day: object) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, day]));
const open = (config: object, iso: string) => isOpen(scheduleSchema.parse(config), Date.parse(iso));

const overnight = { enabled: true, ranges: [{ start: "22:00", end: "06:00" }] };
const split = {
  enabled: true,
  ranges: [
    { start: "09:00", end: "12:30" },
    { start: "13:30", end: "18:00" },
  ],
};

describe("business hours", () => {
  it("still reads days written as one { enabled, start, end } range", () => {
    const s = scheduleSchema.parse({ timezone: "UTC", schedule: { mon: { enabled: true, start: "08:00", end: "24:00" } } });
    expect(s.schedule.mon).toEqual({ enabled: true, ranges: [{ start: "08:00", end: "24:00" }] });
    expect(s.schedule.tue.enabled).toBe(false);
    expect(isOpen(s, Date.parse("2026-01-05T23:59:00Z"))).toBe(true);
    // An old day with a closing time before the opening time now means an overnight range.
    const old = scheduleSchema.parse({ timezone: "UTC", schedule: { mon: { enabled: true, start: "18:00", end: "09:00" } } });
    expect(isOpen(old, Date.parse("2026-01-06T08:00:00Z"))).toBe(true);
  });

  it("splits a day into several ranges", () => {
    const cfg = { timezone: "UTC", schedule: everyDay(split) };
    expect(open(cfg, "2026-01-05T08:59:00Z")).toBe(false);
    expect(open(cfg, "2026-01-05T09:00:00Z")).toBe(true);
    expect(open(cfg, "2026-01-05T12:29:00Z")).toBe(true);
    expect(open(cfg, "2026-01-05T12:30:00Z")).toBe(false); // lunch
    expect(open(cfg, "2026-01-05T13:30:00Z")).toBe(true);
    expect(open(cfg, "2026-01-05T18:00:00Z")).toBe(false);
  });

  it("runs an overnight range into the next morning, by the day it opens on", () => {
    // Open Friday night only: Friday 22:00 → Saturday 06:00.
    const cfg = { timezone: "UTC", schedule: { fri: overnight } };
    expect(open(cfg, "2026-01-09T21:59:00Z")).toBe(false);
    expect(open(cfg, "2026-01-09T23:00:00Z")).toBe(true); // Fri
    expect(open(cfg, "2026-01-10T05:59:00Z")).toBe(true); // Sat, closed all day itself
    expect(open(cfg, "2026-01-10T06:00:00Z")).toBe(false);
    expect(open(cfg, "2026-01-10T23:00:00Z")).toBe(false); // Sat night is not open
    expect(open(cfg, "2026-01-09T03:00:00Z")).toBe(false); // Thu night was not open
  });

  it("lets an override replace only the ranges that open on its date", () => {
    const cfg = { timezone: "UTC", schedule: everyDay(overnight), overrides: [{ date: "2026-12-25", closed: true }] };
    expect(open(cfg, "2026-12-25T03:00:00Z")).toBe(true); // Christmas Eve's night shift
    expect(open(cfg, "2026-12-25T23:00:00Z")).toBe(false); // no night shift opening on Christmas
    expect(open(cfg, "2026-12-26T03:00:00Z")).toBe(false);
    const special = { ...cfg, overrides: [{ date: "2026-12-31", closed: false, start: "20:00", end: "02:00" }] };
    expect(open(special, "2026-12-31T20:30:00Z")).toBe(true);
    expect(open(special, "2027-01-01T01:30:00Z")).toBe(true);
    expect(open(special, "2027-01-01T02:00:00Z")).toBe(false);
  });

  describe("across DST changes", () => {
    // Europe/London: BST starts 2026-03-29 01:00 UTC, ends 2026-10-25 01:00 UTC.
    const london = (day: object) => ({ timezone: "Europe/London", schedule: everyDay(day) });
    // America/New_York: EDT starts 2026-03-08 07:00 UTC, ends 2026-11-01 06:00 UTC.
    const newYork = (day: object) => ({ timezone: "America/New_York", schedule: everyDay(day) });

    it("keeps overnight ranges on local wall-clock time in London", () => {
      // Saturday 28 March 22:00 GMT → Sunday 06:00 BST is only 7 hours long.
      expect(open(london(overnight), "2026-03-28T21:59:00Z")).toBe(false);
      expect(open(london(overnight), "2026-03-28T22:00:00Z")).toBe(true);
      expect(open(london(overnight), "2026-03-29T04:59:00Z")).toBe(true); // 05:59 BST
      expect(open(london(overnight), "2026-03-29T05:00:00Z")).toBe(false); // 06:00 BST
      // Saturday 24 October 22:00 BST (21:00 UTC) → Sunday 06:00 GMT is 9 hours long.
      expect(open(london(overnight), "2026-10-24T20:59:00Z")).toBe(false);
      expect(open(london(overnight), "2026-10-24T21:00:00Z")).toBe(true);
      expect(open(london(overnight), "2026-10-25T05:59:00Z")).toBe(true); // 05:59 GMT
      expect(open(london(overnight), "2026-10-25T06:00:00Z")).toBe(false);
    });

    it("keeps overnight ranges on local wall-clock time in New York", () => {
      // Saturday 7 March 22:00 EST (03:00 UTC Sun) → Sunday 06:00 EDT (10:00 UTC).
      expect(open(newYork(overnight), "2026-03-08T02:59:00Z")).toBe(false);
      expect(open(newYork(overnight), "2026-03-08T03:00:00Z")).toBe(true);
      expect(open(newYork(overnight), "2026-03-08T07:30:00Z")).toBe(true); // 03:30 EDT, just after the jump
      expect(open(newYork(overnight), "2026-03-08T09:59:00Z")).toBe(true);
      expect(open(newYork(overnight), "2026-03-08T10:00:00Z")).toBe(false);
      // Saturday 31 October 22:00 EDT (02:00 UTC) → Sunday 06:00 EST (11:00 UTC).
      expect(open(newYork(overnight), "2026-11-01T01:59:00Z")).toBe(false);
      expect(open(newYork(overnight), "2026-11-01T06:30:00Z")).toBe(true); // 01:30 EST, the repeated hour
      expect(open(newYork(overnight), "2026-11-01T10:59:00Z")).toBe(true);
      expect(open(newYork(overnight), "2026-11-01T11:00:00Z")).toBe(false);
    });

    it("keeps split ranges on local time on both sides of the change", () => {
      // London, Friday 27 March (GMT) and Monday 30 March (BST): 12:45 local is lunch both days.
      expect(open(london(split), "2026-03-27T12:45:00Z")).toBe(false);
      expect(open(london(split), "2026-03-27T13:45:00Z")).toBe(true);
      expect(open(london(split), "2026-03-30T11:45:00Z")).toBe(false); // 12:45 BST
      expect(open(london(split), "2026-03-30T12:45:00Z")).toBe(true); // 13:45 BST
      // New York, Friday 30 October (EDT) and Monday 2 November (EST).
      expect(open(newYork(split), "2026-10-30T16:45:00Z")).toBe(false); // 12:45 EDT
      expect(open(newYork(split), "2026-10-30T17:45:00Z")).toBe(true); // 13:45 EDT
      expect(open(newYork(split), "2026-11-02T17:45:00Z")).toBe(false); // 12:45 EST
      expect(open(newYork(split), "2026-11-02T18:45:00Z")).toBe(true); // 13:45 EST
      expect(open(newYork(split), "2026-11-02T22:59:00Z")).toBe(true); // 17:59 EST
      expect(open(newYork(split), "2026-11-02T23:00:00Z")).toBe(false);
    });
  });

  it("rejects ranges that are empty or overlap, on open days only", () => {
    const issues = (schedule: object) =>
      validateFlow(
        draft(
          [["h", "timing", { timezone: "UTC", schedule }], bye],
          [
            ["h", "in_hours", "bye"],
            ["h", "out_of_hours", "bye"],
          ],
        ),
      ).issues.map((i) => i.message);
    expect(issues({ mon: { enabled: true, ranges: [{ start: "09:00", end: "09:00" }] } })[0]).toMatch(
      /schedule\.mon\.ranges\.0\.end closing time must differ from opening time/,
    );
    expect(
      issues({
        mon: {
          enabled: true,
          ranges: [
            { start: "09:00", end: "13:00" },
            { start: "12:00", end: "18:00" },
          ],
        },
      })[0],
    ).toMatch(/schedule\.mon\.ranges opening ranges overlap/);
    expect(
      issues({
        mon: {
          enabled: true,
          ranges: [
            { start: "22:00", end: "06:00" },
            { start: "05:00", end: "07:00" },
          ],
        },
      }),
    ).toEqual([]); // 05:00 today ≠ 05:00 tomorrow
    expect(issues({ mon: { enabled: true, ranges: [] } })[0]).toMatch(/add an opening range or close the day/);
    expect(issues({ mon: { enabled: false, ranges: [{ start: "09:00", end: "09:00" }] } })).toEqual([]);
  });
});
