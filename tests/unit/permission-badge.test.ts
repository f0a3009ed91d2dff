// A contact's call permission as lists and the contact page show it: a grant whose end has passed
// reads as expired (the stored state stays "granted" until WhatsApp is asked again).
import { describe, expect, it } from "vitest";
import { permissionText, shownPermission } from "../../components/contacts/permission-badge";

const now = Date.parse("2026-11-29T12:00:00Z");

describe("call permission in words", () => {
  it("says a grant whose end has passed expired, and when", () => {
    expect(shownPermission("granted", "2026-11-28T09:30:00Z", now)).toBe("expired");
    expect(permissionText("granted", "2026-11-28T09:30:00Z", "UTC", now)).toBe("Call permission expired on 28 Nov 2026, 09:30");
  });

  it("keeps a grant that still runs, or one with no end, as granted", () => {
    expect(shownPermission("granted", "2026-12-05T09:30:00Z", now)).toBe("granted");
    expect(permissionText("granted", "2026-12-05T09:30:00Z", "America/Sao_Paulo", now)).toBe("Call permission granted until 5 Dec 2026, 06:30");
    expect(shownPermission("granted", null, now)).toBe("granted");
    expect(permissionText("granted", null, "UTC", now)).toBe("Call permission granted");
  });

  it("leaves the other states as stored, whatever their old expiry", () => {
    expect(shownPermission("denied", "2026-11-01T00:00:00Z", now)).toBe("denied");
    expect(shownPermission("requested", "2026-11-01T00:00:00Z", now)).toBe("requested");
    expect(permissionText("unknown", null, "UTC", now)).toBe("No call permission yet");
  });
});
