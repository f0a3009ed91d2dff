// RFC 4733 telephone-event: one digit per event, identified by its RTP timestamp, so repeated
// end packets, a lost first packet or reordering never produce a digit twice.
const EVENTS = "0123456789*#";

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return { event: payload[0]!, end: (payload[1]! & 0x80) !== 0, volume: payload[1]! & 0x3f, duration: payload.readUInt16BE(2) };
}

export function encodeTelephoneEvent(e: TelephoneEvent): Buffer {
  const b = Buffer.alloc(4);
  b[0] = e.event;
  b[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  b.writeUInt16BE(e.duration, 2);
  return b;
}

export const digitToEvent = (digit: string) => EVENTS.indexOf(digit);

export class DtmfDetector {
  private readonly seen: number[] = [];

  /** Returns the digit when this packet is the first seen of a new event; otherwise null. */
  push(timestamp: number, payload: Buffer): string | null {
    const e = parseTelephoneEvent(payload);
    if (!e || e.event >= EVENTS.length) return null;
    if (this.seen.includes(timestamp)) return null;
    this.seen.push(timestamp);
    if (this.seen.length > 64) this.seen.shift();
    return EVENTS[e.event]!;
  }
}
