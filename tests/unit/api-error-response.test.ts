// How a route handler's failure is answered: our AppErrors as themselves, a client that went away
// mid-request as a cut-off request (not our 500, not an error in the log), anything else as a 500.
import { describe, expect, it } from "vitest";
import { errorResponse } from "../../lib/api/handler";
import { AppError } from "../../lib/errors";

/** What Node's HTTP server gives a body reader when the connection closes first (abortIncoming). */
function connectionReset(): Error {
  return Object.assign(new Error("aborted"), { code: "ECONNRESET" });
}

describe("errorResponse", () => {
  it("answers a request cut off by the client as such, not as our failure", async () => {
    const res = errorResponse(connectionReset());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "bad_request", message: "The request was cut off before it arrived" } });
  });

  it("keeps AppErrors and answers anything else with a 500", async () => {
    expect(errorResponse(new AppError("not_found", "Team was not found")).status).toBe(404);
    const other = errorResponse(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    expect(other.status).toBe(500);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe("internal");
  });
});
