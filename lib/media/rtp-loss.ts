// Counts RTP packets received and lost on one stream from the 16-bit sequence numbers: a jump
// forward of n counts n - 1 lost; a packet that arrives late (behind the highest seen) is a
// reorder, not a new loss, and wrap-around at 65535 is handled. Duplicates count as received.
export class RtpLossCounter {
  private highest: number | null = null;
  received = 0;
  lost = 0;

  /** Records one packet; returns how many packets this one shows as newly lost. */
  push(sequenceNumber: number): number {
    this.received += 1;
    if (this.highest === null) {
      this.highest = sequenceNumber;
      return 0;
    }
    const delta = (sequenceNumber - this.highest + 0x10000) % 0x10000;
    // 0: duplicate; above half the space: an older packet arriving late.
    if (delta === 0 || delta >= 0x8000) return 0;
    this.highest = sequenceNumber;
    this.lost += delta - 1;
    return delta - 1;
  }
}
