import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../lib/config";
import { validateFlow } from "../../../lib/ivr";
import { AddressPolicy, literalUrlProblem, parseAllowEntry } from "../../../lib/net/address-policy";
import { blockedReason, formatIp, parseIp } from "../../../lib/net/ip";

const reason = (text: string) => {
  const ip = parseIp(text);
  if (!ip) throw new Error(`did not parse: ${text}`);
  return blockedReason(ip);
};
const literal = (url: string, allow: string[] = []) => literalUrlProblem(new URL(url), new AddressPolicy(allow));

describe("IP parsing", () => {
  it("reads every IPv4 spelling the URL standard and inet_aton accept", () => {
    for (const text of ["127.0.0.1", "0x7f000001", "2130706433", "127.1", "0177.0.0.1", "0x7f.0.0.1", "127.0.1", "017700000001", "127.0.0.1."]) {
      expect(formatIp(parseIp(text)!), text).toBe("127.0.0.1");
    }
    for (const bad of ["256.0.0.1", "1.2.3.4.5", "08.0.0.1", "1..2", "4294967296", "abc", ""]) expect(parseIp(bad), bad).toBeNull();
  });

  it("reads IPv6 with brackets, zones, :: and a dotted IPv4 tail", () => {
    expect(formatIp(parseIp("[::1]")!)).toBe("::1");
    expect(formatIp(parseIp("fe80::1%eth0")!)).toBe("fe80::1");
    expect(formatIp(parseIp("::ffff:127.0.0.1")!)).toBe("::ffff:7f00:1");
    expect(formatIp(parseIp("0:0:0:0:0:ffff:7f00:1")!)).toBe("::ffff:7f00:1");
    for (const bad of [":::1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::1.2.3", "::ffff:0x7f.1"]) expect(parseIp(bad), bad).toBeNull();
  });
});

describe("blocked ranges", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["127.255.255.254", /loopback/],
    ["0x7f000001", /loopback/],
    ["2130706433", /loopback/],
    ["127.1", /loopback/],
    ["0177.0.0.1", /loopback/],
    ["::1", /loopback/],
    ["10.1.2.3", /private/],
    ["172.16.0.1", /private/],
    ["172.31.255.255", /private/],
    ["192.168.1.1", /private/],
    ["fc00::1", /private/],
    ["fd12:3456::1", /private/],
    ["169.254.169.254", /link-local.*metadata/],
    ["169.254.0.1", /link-local/],
    ["fe80::1", /link-local/],
    ["febf::1", /link-local/],
    ["0.0.0.0", /this network/],
    ["0.1.2.3", /this network/],
    ["::", /unspecified/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.127.255.255", /carrier-grade NAT/],
    ["224.0.0.1", /multicast/],
    ["239.255.255.250", /multicast/],
    ["ff02::1", /multicast/],
    ["255.255.255.255", /broadcast/],
    ["::ffff:127.0.0.1", /loopback/],
    ["::ffff:7f00:1", /loopback/],
    ["::ffff:169.254.169.254", /metadata/],
    ["::ffff:10.0.0.1", /private/],
    ["::ffff:0:10.0.0.1", /private/],
    ["64:ff9b::127.0.0.1", /loopback/],
    ["2002:7f00:1::", /loopback/],
    ["::127.0.0.1", /IPv4-compatible/],
  ])("%s is refused", (text, why) => {
    expect(reason(text)).toMatch(why);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.169.0.1",
    "169.255.0.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "2002:808:808::",
  ])("%s (public) is allowed", (text) => {
    expect(reason(text)).toBeNull();
  });
});

describe("allow-list entries", () => {
  it("parses hosts, addresses, networks and ports", () => {
    expect(parseAllowEntry("crm.internal:8443")).toMatchObject({ host: "crm.internal", port: 8443 });
    expect(parseAllowEntry("CRM.Internal.")).toMatchObject({ host: "crm.internal", port: undefined });
    expect(parseAllowEntry("*.corp.internal")).toMatchObject({ host: "*.corp.internal" });
    expect(parseAllowEntry("10.0.0.5")).toMatchObject({ net: { bits: 32 } });
    expect(parseAllowEntry("10.0.0.0/8:443")).toMatchObject({ net: { bits: 8 }, port: 443 });
    expect(parseAllowEntry("[fd00::5]:8080")).toMatchObject({ net: { bits: 128 }, port: 8080 });
    expect(parseAllowEntry("fd00::/8")).toMatchObject({ net: { bits: 8 } });
    for (const bad of ["crm.internal:0", "crm.internal:99999", "10.0.0.0/33", "http://crm", "a b", "crm:80:90x"]) {
      expect(typeof parseAllowEntry(bad), bad).toBe("string");
    }
  });

  it("lets listed internal destinations through, by address, network, name and port", () => {
    const policy = new AddressPolicy(["10.0.0.5", "192.168.0.0/16:8080", "crm.internal:8443", "*.corp.internal", "[fd00::7]"]);
    const ok = (hostname: string, port: number, address: string) => policy.check({ hostname, port, address: parseIp(address)! }).ok;
    expect(ok("10.0.0.5", 80, "10.0.0.5")).toBe(true);
    expect(ok("10.0.0.6", 80, "10.0.0.6")).toBe(false);
    expect(ok("192.168.3.4", 8080, "192.168.3.4")).toBe(true);
    expect(ok("192.168.3.4", 80, "192.168.3.4")).toBe(false);
    expect(ok("crm.internal", 8443, "10.9.9.9")).toBe(true);
    expect(ok("crm.internal", 443, "10.9.9.9")).toBe(false);
    expect(ok("api.corp.internal", 443, "172.16.1.1")).toBe(true);
    expect(ok("corp.internal.evil.example", 443, "172.16.1.1")).toBe(false);
    expect(ok("fd00::7", 443, "fd00::7")).toBe(true);
    expect(ok("::ffff:10.0.0.5", 80, "::ffff:10.0.0.5")).toBe(true); // the mapped form of a listed address
    expect(ok("example.com", 443, "93.184.215.14")).toBe(true); // public: no entry needed
  });

  it("explains a refusal and names the config key", () => {
    const verdict = new AddressPolicy().check({ hostname: "metadata.internal", port: 80, address: parseIp("169.254.169.254")! });
    expect(verdict).toEqual({
      ok: false,
      reason:
        "metadata.internal (169.254.169.254) is a link-local address (cloud metadata lives there); HTTP callbacks may call it only if an admin adds it to [http_callbacks] allow in config.toml",
    });
  });

  it("is validated when config.toml loads, naming the key", () => {
    expect(parseConfig('[http_callbacks]\nallow = ["127.0.0.1:3000", "crm.internal"]').http_callbacks.allow).toEqual(["127.0.0.1:3000", "crm.internal"]);
    expect(parseConfig("").http_callbacks.allow).toEqual([]);
    expect(() => parseConfig('[http_callbacks]\nallow = ["10.0.0.0/40"]')).toThrow(/http_callbacks\.allow\.0: “10\.0\.0\.0\/40”: not a valid address/);
  });
});

describe("literal URLs (publish time)", () => {
  it.each([
    "http://127.0.0.1/",
    "http://0x7f000001/",
    "http://2130706433:6379/",
    "http://127.1/",
    "http://0177.0.0.1/",
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0:3000/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://localhost:3000/",
    "http://api.localhost/",
  ])("refuses %s", (url) => {
    expect(literal(url)).toMatch(/\[http_callbacks\] allow/);
  });

  it("leaves names to call time and honours the allow-list", () => {
    expect(literal("https://crm.example.com/orders")).toBeNull();
    expect(literal("http://127.0.0.1:3000/api/health", ["127.0.0.1:3000"])).toBeNull();
    expect(literal("http://127.0.0.1:6379/", ["127.0.0.1:3000"])).toMatch(/loopback/);
    expect(literal("http://localhost:3000/", ["localhost:3000"])).toBeNull();
  });
});

describe("HTTP callback node validation", () => {
  const flow = (url: string) => ({
    version: 1,
    entryNodeId: "h",
    nodes: [
      { id: "h", type: "http_callback", label: "Lookup", position: { x: 0, y: 0 }, config: { url } },
      { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 100 }, config: {} },
    ],
    edges: [{ id: "e1", source: "h", sourceHandle: "default", target: "bye" }],
  });
  const errors = (url: string, allow?: string[]) =>
    validateFlow(flow(url), allow ? ({ httpCallbackAllow: allow } as object) : {})
      .issues.filter((i) => i.severity === "error")
      .map((i) => i.message);

  it("refuses literal internal addresses when publishing, with a clear message", () => {
    expect(errors("http://0x7f000001:6379/", [])).toEqual([
      "“Lookup”: 127.0.0.1 is a loopback address; HTTP callbacks may call it only if an admin adds it to [http_callbacks] allow in config.toml",
    ]);
    expect(errors("http://169.254.169.254/latest", [])[0]).toMatch(/metadata/);
    expect(errors("http://user:pw@api.example.com/", [])[0]).toMatch(/user name or password/);
  });

  it("accepts allow-listed, public and templated hosts (those are checked when called)", () => {
    expect(errors("http://127.0.0.1:3000/api/health", ["127.0.0.1:3000"])).toEqual([]);
    expect(errors("https://api.example.com/orders", [])).toEqual([]);
    expect(errors("http://{{crm_host}}/orders", [])).toEqual([]);
    expect(errors("http://10.0.0.{{n}}/", [])).toEqual([]);
  });

  it("leaves addresses to call time when no allow-list is passed (editor canvas, published re-checks)", () => {
    expect(errors("http://127.0.0.1:6379/")).toEqual([]);
  });
});
