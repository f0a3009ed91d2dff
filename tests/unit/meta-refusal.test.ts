import { describe, expect, it } from "vitest";
import { GraphApiError } from "../../lib/whatsapp/graph-client";
import { describeRefusal, refusalOf } from "../../lib/whatsapp/meta-refusal";

describe("Meta's refusals in plain words", () => {
  it("says what a known limit means, with its code", () => {
    expect(describeRefusal(138012, "Business initiated calls limit reached").sentence).toBe(
      "The daily limit of business-initiated calls to this contact is reached; try again tomorrow (#138012)",
    );
    expect(refusalOf(new GraphApiError("No approved call permission", 138006, 400)).sentence).toBe(
      "This contact has not given permission to be called (#138006)",
    );
  });

  it("keeps Meta's own words for codes it does not know, and plain errors as they are", () => {
    expect(refusalOf(new GraphApiError("Something new", 138099, 400, "more detail")).sentence).toBe("WhatsApp refused: Something new — more detail (#138099)");
    expect(refusalOf(new GraphApiError("WhatsApp's servers did not answer within 10 s", null, null))).toEqual({
      code: null,
      metaMessage: "WhatsApp's servers did not answer within 10 s",
      sentence: "WhatsApp's servers did not answer within 10 s",
    });
  });
});
