// Which addresses HTTP callbacks may reach: any public address; internal ranges (see ip.ts) only
// when `[http_callbacks] allow` lists the host, address or network (optionally with a port).
// Pure, so the flow validation that runs in the browser shares it with the gateway.
import { type Cidr, blockedReason, formatIp, inCidr, type IpBytes, parseCidr, parseIp } from "./ip";

export interface AllowEntry {
  text: string;
  /** A host name (lower case, no trailing dot); `*.corp.internal` matches its subdomains. */
  host?: string;
  net?: Cidr;
  port?: number;
}

/** Parses one allow-list entry: `crm.internal`, `crm.internal:8443`, `10.0.0.5`, `10.0.0.0/8`, `[fd00::1]:8080`, `*.corp`. */
export function parseAllowEntry(text: string): AllowEntry | string {
  const t = text.trim();
  let hostPart = t;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracketed) {
    hostPart = bracketed[1]!;
    portText = bracketed[2];
  } else if ((t.match(/:/g) ?? []).length === 1) {
    [hostPart, portText] = t.split(":") as [string, string];
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) return `“${text}”: the port must be a number from 1 to 65535`;
  }
  const net = /^[0-9a-f.:/]+$/i.test(hostPart) && /[.:]/.test(hostPart) ? parseCidr(hostPart) : null;
  if (net) return { text, net, port };
  if (hostPart.includes("/")) return `“${text}”: not a valid address or network (like 10.0.0.0/8)`;
  const host = hostPart.toLowerCase().replace(/\.$/, "");
  if (!/^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host)) {
    return `“${text}”: expected a host name, an IP address or a network, with an optional :port`;
  }
  return { text, host, port };
}

export interface Destination {
  /** The URL's host name as written (lower case, IPv6 without brackets). */
  hostname: string;
  port: number;
  address: IpBytes;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export class AddressPolicy {
  readonly entries: AllowEntry[];

  constructor(allow: readonly string[] = []) {
    this.entries = allow.map((text) => {
      const entry = parseAllowEntry(text);
      if (typeof entry === "string") throw new Error(`http_callbacks.allow: ${entry}`);
      return entry;
    });
  }

  private listed(d: Destination): boolean {
    const host = d.hostname.toLowerCase().replace(/\.$/, "");
    return this.entries.some((e) => {
      if (e.port !== undefined && e.port !== d.port) return false;
      if (e.net) return inCidr(d.address, e.net);
      if (e.host?.startsWith("*.")) return host.endsWith(e.host.slice(1));
      return e.host === host;
    });
  }

  check(d: Destination): Verdict {
    const reason = blockedReason(d.address);
    if (!reason || this.listed(d)) return { ok: true };
    const shown = parseIp(d.hostname) ? d.hostname : `${d.hostname} (${formatIp(d.address)})`;
    return { ok: false, reason: `${shown} is ${reason}; HTTP callbacks may call it only if an admin adds it to [http_callbacks] allow in config.toml` };
  }
}

/** Default ports, as URLs leave them out. */
export function urlPort(u: URL): number {
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}

/** The URL's host without IPv6 brackets. */
export function urlHostname(u: URL): string {
  return u.hostname.replace(/^\[(.*)\]$/, "$1");
}

const LOOPBACK = [parseIp("127.0.0.1")!, parseIp("::1")!];

/**
 * What can be decided from the URL text alone (publish time): literal IPs in any spelling (the URL
 * parser normalises `0x7f000001`, `127.1` …) and `localhost` names. Other names are checked when called.
 */
export function literalUrlProblem(url: URL, policy: AddressPolicy): string | null {
  const hostname = urlHostname(url);
  const literal = /^[0-9.]+$|:/.test(hostname) ? parseIp(hostname) : null;
  const isLocalhost = hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "localhost.";
  const addresses = literal ? [literal] : isLocalhost ? LOOPBACK : [];
  for (const address of addresses) {
    const verdict = policy.check({ hostname, port: urlPort(url), address });
    if (!verdict.ok) return verdict.reason;
  }
  return null;
}
