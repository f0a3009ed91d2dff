// The wait histogram's percentile and the analytics filter defaults (pure code, no database).
import { describe, expect, it } from "vitest";
import { resolveFilters } from "../../lib/analytics/filters";
import { bucketUpper, percentile } from "../../lib/analytics/histogram";

describe("wait histogram", () => {
  it("reads the nearest-rank percentile to the upper edge of its bucket", () => {
    // 1-second buckets: 10 calls waited 0–1 s, 5 waited 7–8 s, 5 waited 30–31 s.
    const h = new Map([
      [0, 10],
      [7, 5],
      [30, 5],
    ]);
    expect(percentile(h, 0.5)).toBe(1);
    expect(percentile(h, 0.75)).toBe(8);
    expect(percentile(h, 0.9)).toBe(31);
    expect(percentile(new Map(), 0.9)).toBeNull();
  });

  it("widens buckets past two and ten minutes", () => {
    expect([bucketUpper(0), bucketUpper(119), bucketUpper(120), bucketUpper(595), bucketUpper(600), bucketUpper(1800)]).toEqual([1, 120, 125, 600, 630, 1800]);
  });
});

describe("analytics filters", () => {
  const now = new Date("2026-11-27T02:00:00Z"); // 26 Nov, 23:00 in São Paulo

  it("defaults to the last 30 local days, per day", () => {
    expect(resolveFilters({}, "America/Sao_Paulo", now)).toMatchObject({ from: "2026-10-28", to: "2026-11-26", grain: "day" });
    expect(resolveFilters({}, "UTC", now)).toMatchObject({ from: "2026-10-29", to: "2026-11-27" });
  });

  it("shows hours for ranges up to three days, and caps ranges at 800 days", () => {
    expect(resolveFilters({ from: "2026-11-25", to: "2026-11-27" }, "UTC", now).grain).toBe("hour");
    expect(resolveFilters({ from: "2026-11-24", to: "2026-11-27" }, "UTC", now).grain).toBe("day");
    expect(resolveFilters({ from: "2020-01-01", to: "2026-11-27" }, "UTC", now).from).toBe("2024-09-19");
  });
});
