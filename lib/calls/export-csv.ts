// The call-log CSV export: the list's filter and visibility, streamed in keyset batches so a
// million rows never sit in memory. The stream pulls the next batch only when the reader has
// taken the previous one, so a slow download holds the database, not the server's RAM.
import { logger } from "../log";
import { csvRow } from "./csv";
import { type CallQuery, type CallRow, callBatches } from "./list-query";
import { endedByText, noAgentAnswered } from "./present";
import { DIRECTION_TEXT, STATUS_TEXT } from "./present-row";
import { csvTime } from "./time-zone";

export const EXPORT_BATCH = 1000;

const HEADER = [
  "Started",
  "Direction",
  "Status",
  "Contact",
  "Phone",
  "WhatsApp number",
  "IVR flow",
  "Agent",
  "Duration (s)",
  "Ended by",
  "Answered",
  "Ended",
  "Call ID",
];

function line(c: CallRow, tz: string): string {
  return csvRow([
    csvTime(c.startedAt, tz),
    DIRECTION_TEXT[c.direction],
    STATUS_TEXT[c.status],
    c.contact?.name,
    c.callerPhone,
    c.account.name,
    c.flow?.name,
    // As the call's page says it: a call transferred to a team that nobody took.
    c.agent?.name ?? (noAgentAnswered(c) ? "No agent answered" : null),
    c.durationSecs,
    endedByText(c),
    c.answeredAt ? csvTime(c.answeredAt, tz) : null,
    c.endedAt ? csvTime(c.endedAt, tz) : null,
    c.id,
  ]);
}

/** CSV bytes for every call `where` matches, newest first; times in `tz` (named in the header). */
export function callsCsvStream(where: CallQuery, tz: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<CallRow[]> | undefined;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A byte-order mark so Excel reads the names as UTF-8.
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(`\uFEFF${csvRow(HEADER.map((h, i) => (i === 0 ? `${h} (${tz})` : h)))}`));
          return;
        }
        batches ??= callBatches(where, EXPORT_BATCH);
        try {
          const next = await batches.next();
          if (next.done) {
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(next.value.map((c) => line(c, tz)).join("")));
        } catch (err) {
          logger.error({ err }, "call-log export failed mid-stream");
          controller.error(err);
        }
      },
      async cancel() {
        await batches?.return(undefined);
      },
    },
    // One batch queued ahead at most: the reader's pace sets the query pace.
    { highWaterMark: 1 },
  );
}
