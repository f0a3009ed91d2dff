// The gateway's UDP ports: each answering peer gets its own port(s) from [udp_port_min,
// udp_port_max], handed out here instead of by werift's scan, so concurrent answers never race for
// one port and a full range is known before a call is taken, not found out by a caller's silence.

import fs from "node:fs";

/**
 * Peers a call may hold at once: the caller's and, after a transfer, the agent's. Every call
 * reserves both when it is taken, so a transfer never fails for want of a port; a wider port
 * range buys the capacity back (ports are cheap, a caller stranded on hold is not).
 */
export const PEERS_PER_CALL = 2;

/**
 * werift only takes a port range (min < max) and binds the first free port in it. A peer is given
 * its block [p, p + k] (k = ports per peer): the block's ports are its own and free, so werift
 * binds them with one test bind each; p + k is only a fallback for a port some other process
 * squats on. The top port of the range is kept back as the fallback of the last block.
 */
export class PortPool {
  private readonly free: number[] = [];
  private readonly taken = new Set<number>();
  /** How many peers the range holds. */
  readonly size: number;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly portsPerPeer = 1,
  ) {
    // Least recently released first: a port just given up may still receive the old call's packets.
    for (let p = min; p + portsPerPeer <= max; p += portsPerPeer) this.free.push(p);
    this.size = this.free.length;
  }

  get available(): number {
    return this.free.length;
  }

  get inUse(): number {
    return this.taken.size;
  }

  /** The first port of a block for one peer, or null when every block is in use. */
  take(): number | null {
    const port = this.free.shift();
    if (port === undefined) return null;
    this.taken.add(port);
    return port;
  }

  /** The range to give werift for a block from `take()`. */
  rangeFor(port: number): [number, number] {
    return [port, port + this.portsPerPeer];
  }

  /** Idempotent: a block is released once, however many times its peer reports closing. */
  release(port: number): void {
    if (!this.taken.delete(port)) return;
    this.free.push(port);
  }
}

/** Calls a gateway takes: the configured capacity, but never more than its ports hold. */
export function callCapacity(configured: number, pool: PortPool): number {
  return Math.min(configured, Math.floor(pool.size / PEERS_PER_CALL));
}

/**
 * The part of [min, max] that the kernel may also hand out as ephemeral ports (net.ipv4.ip_local_port_range,
 * less ip_local_reserved_ports): any UDP socket on the host bound to port 0 can land there and take a
 * port a call was given. Null when there is no overlap or the files cannot be read (not Linux).
 */
export function ephemeralOverlap(
  min: number,
  max: number,
  read = (f: string) => fs.readFileSync(f, "utf8"),
): { from: number; to: number; ephemeral: string } | null {
  let range: string;
  let reserved: string;
  try {
    range = read("/proc/sys/net/ipv4/ip_local_port_range").trim();
    reserved = read("/proc/sys/net/ipv4/ip_local_reserved_ports").trim();
  } catch {
    return null;
  }
  const [lo, hi] = range.split(/\s+/).map(Number) as [number, number];
  const isReserved = (port: number) =>
    reserved.split(",").some((part) => {
      const [a, b] = part.split("-").map(Number);
      return a !== undefined && port >= a && port <= (b ?? a);
    });
  let from = -1;
  let to = -1;
  for (let port = Math.max(min, lo); port <= Math.min(max, hi); port++) {
    if (isReserved(port)) continue;
    if (from < 0) from = port;
    to = port;
  }
  return from < 0 ? null : { from, to, ephemeral: `${lo}-${hi}` };
}
