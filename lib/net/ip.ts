// IP address parsing and the ranges an outgoing request must not reach (loopback, private,
// link-local/metadata, …). Pure: the flow editor runs it in the browser, the gateway on resolved addresses.

/** 4 bytes (IPv4) or 16 bytes (IPv6). */
export type IpBytes = Uint8Array;

/**
 * IPv4 the way inet_aton and the URL standard read it: 1–4 parts, each decimal, 0x-hex or
 * 0-octal, the last part filling the remaining bytes (`127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`).
 */
export function parseIPv4(text: string): IpBytes | null {
  const parts = text.split(".");
  if (parts.length > 1 && parts.at(-1) === "") parts.pop(); // one trailing dot, as URLs allow
  if (parts.length === 0 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : Number.parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = Number.parseInt(p, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isSafeInteger(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  const bytes = new Uint8Array(4);
  nums.forEach((n, i) => {
    bytes[i] = n;
  });
  for (let i = 3, rest = last; i >= nums.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/** IPv6 with optional brackets, zone id and a trailing dotted IPv4 (`::ffff:127.0.0.1`). */
export function parseIPv6(text: string): IpBytes | null {
  let s = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  s = s.replace(/%.*$/, "");
  if (!s.includes(":")) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[][] = [head, tail].map((list) => {
    const out: number[] = [];
    list.forEach((g, i) => {
      const isLast = i === list.length - 1;
      if (isLast && g.includes(".") && (list === tail || halves.length === 1)) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(g) ? parseIPv4(g) : null;
        if (!v4) out.push(Number.NaN);
        else out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else out.push(/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN);
    });
    return out;
  });
  const [h, t] = words as [number[], number[]];
  if ([...h, ...t].some(Number.isNaN)) return null;
  const missing = 8 - h.length - t.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...h, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...t];
  const bytes = new Uint8Array(16);
  all.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

export function parseIp(text: string): IpBytes | null {
  return parseIPv6(text) ?? parseIPv4(text);
}

export function formatIp(ip: IpBytes): string {
  if (ip.length === 4) return ip.join(".");
  const words = Array.from({ length: 8 }, (_, i) => ((ip[2 * i]! << 8) | ip[2 * i + 1]!).toString(16));
  return words.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`) compares as the IPv4 address it is. */
export function unmapped(ip: IpBytes): IpBytes {
  return ip.length === 16 && prefixMatches(ip, MAPPED, 96) ? ip.slice(12) : ip;
}

function prefixMatches(ip: IpBytes, prefix: IpBytes, bits: number): boolean {
  if (ip.length !== prefix.length) return false;
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[i / 8]! & mask) !== (prefix[i / 8]! & mask)) return false;
  }
  return true;
}

export interface Cidr {
  ip: IpBytes;
  bits: number;
}

export function inCidr(ip: IpBytes, range: Cidr): boolean {
  const net = unmapped(range.ip);
  const bits = net.length === 4 && range.ip.length === 16 ? Math.max(0, range.bits - 96) : range.bits;
  return prefixMatches(unmapped(ip), net, bits);
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const [addr, bitsText, extra] = text.split("/");
  if (extra !== undefined || !addr) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.length * 8;
  if (bitsText === undefined) return { ip, bits: max };
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) return null;
  return { ip, bits: Number(bitsText) };
}

const cidr = (text: string) => parseCidr(text)!;
const MAPPED = cidr("::ffff:0:0").ip;
const TRANSLATED = cidr("::ffff:0:0:0").ip;
const NAT64 = cidr("64:ff9b::").ip;
const SIX_TO_FOUR = cidr("2002::").ip;

const V4_RANGES: [Cidr, string][] = [
  [cidr("0.0.0.0/8"), "a “this network” address"],
  [cidr("10.0.0.0/8"), "a private address"],
  [cidr("100.64.0.0/10"), "a carrier-grade NAT address"],
  [cidr("127.0.0.0/8"), "a loopback address"],
  [cidr("169.254.0.0/16"), "a link-local address (cloud metadata lives there)"],
  [cidr("172.16.0.0/12"), "a private address"],
  [cidr("192.0.0.0/24"), "a reserved protocol address"],
  [cidr("192.168.0.0/16"), "a private address"],
  [cidr("198.18.0.0/15"), "a reserved benchmarking address"],
  [cidr("224.0.0.0/4"), "a multicast address"],
  [cidr("240.0.0.0/4"), "a reserved or broadcast address"],
];

const V6_RANGES: [Cidr, string][] = [
  [cidr("::/128"), "the unspecified address"],
  [cidr("::1/128"), "a loopback address"],
  [cidr("::/96"), "an IPv4-compatible address (deprecated)"],
  [cidr("64:ff9b:1::/48"), "a local NAT64 address"],
  [cidr("100::/64"), "a discard-only address"],
  [cidr("2001::/32"), "a Teredo tunnel address"],
  [cidr("fc00::/7"), "a private (unique local) address"],
  [cidr("fe80::/10"), "a link-local address"],
  [cidr("fec0::/10"), "a site-local address"],
  [cidr("ff00::/8"), "a multicast address"],
];

/** IPv6 forms that carry an IPv4 address the packets really go to. */
function embeddedIPv4(ip: IpBytes): IpBytes | null {
  if (prefixMatches(ip, MAPPED, 96) || prefixMatches(ip, TRANSLATED, 96) || prefixMatches(ip, NAT64, 96)) return ip.slice(12);
  if (prefixMatches(ip, SIX_TO_FOUR, 16)) return ip.slice(2, 6);
  return null;
}

/** Why an address must not be called by default, or null when it is a public address. */
export function blockedReason(ip: IpBytes): string | null {
  if (ip.length === 4) return V4_RANGES.find(([range]) => prefixMatches(ip, range.ip, range.bits))?.[1] ?? null;
  const v4 = embeddedIPv4(ip);
  if (v4) return blockedReason(v4);
  return V6_RANGES.find(([range]) => prefixMatches(ip, range.ip, range.bits))?.[1] ?? null;
}
