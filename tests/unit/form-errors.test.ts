// A 422 from parseInput becomes plain-word messages per field, and the form-level message never
// lists field codes.
import { describe, expect, it } from "vitest";
import { fieldErrorsOf, formErrorOf } from "../../components/forms/field-errors";
import { accountCreateInput } from "../../lib/accounts/schema";
import type { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";

function apiBody(input: unknown) {
  try {
    parseInput(accountCreateInput, input);
  } catch (err) {
    const e = err as AppError;
    return { error: { code: e.code, message: e.message, details: e.details } } as Parameters<typeof fieldErrorsOf>[0];
  }
  throw new Error("expected a 422");
}

describe("form error mapping", () => {
  it("maps the route's 422 details to fields in plain words", () => {
    const body = apiBody({
      name: "",
      phoneNumberId: "12",
      displayPhone: "+44 20 7946 0000",
      wabaId: "123456",
      accessToken: "x".repeat(20),
      appSecret: "y".repeat(10),
      verifyToken: "z".repeat(10),
    });
    expect(fieldErrorsOf(body)).toEqual({ name: "Name is required", phoneNumberId: "Phone number ID must be 5–20 digits" });
    expect(formErrorOf(body, 422, true)).toBe("Please correct the marked fields.");
    expect(formErrorOf(body, 422, false)).not.toMatch(/phoneNumberId|name:/);
  });

  it("strips the path parseInput puts in front of a stored-text problem", () => {
    const body = apiBody({ name: "bad\u0000name" });
    expect(fieldErrorsOf(body).name).toBe("Must not contain NUL characters");
  });
});
