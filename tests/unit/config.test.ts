import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../lib/config";

describe("config", () => {
  it("fills every documented default from an empty file", () => {
    const c = parseConfig("");
    expect(c.calling.max_call_duration).toBe(3600);
    expect(c.calling.transfer_timeout_secs).toBe(120);
    expect(c.calling.udp_port_min).toBe(10000);
    expect(c.calling.udp_port_max).toBe(10100);
    expect(c.whatsapp.graph_api_base).toBe("https://graph.facebook.com");
    expect(c.calling.ice_servers).toEqual([]);
  });

  it("reads ice servers and storage keys", () => {
    const c = parseConfig(`
[calling]
udp_port_min = 20000
udp_port_max = 20010
[[calling.ice_servers]]
urls = "turn:turn.example.com:3478"
username = "u"
credential = "p"
[storage]
s3_bucket = "rec"
s3_force_path_style = true
`);
    expect(c.calling.ice_servers[0]?.username).toBe("u");
    expect(c.storage.s3_force_path_style).toBe(true);
  });

  it("names the key and the problem when a value has the wrong type", () => {
    expect(() => parseConfig(`[calling]\nmax_call_duration = "long"`)).toThrow(/calling\.max_call_duration/);
  });

  it("names unknown keys instead of ignoring typos", () => {
    expect(() => parseConfig(`[calling]\nmax_call_duraton = 10`)).toThrow(/max_call_duraton/);
  });

  it("rejects an inverted UDP port range naming the key", () => {
    expect(() => parseConfig(`[calling]\nudp_port_min = 300\nudp_port_max = 200`)).toThrow(/calling\.udp_port_min/);
  });

  it("reports TOML syntax errors as ConfigError", () => {
    expect(() => parseConfig(`[calling\n`)).toThrow(ConfigError);
  });

  it("lets environment variables override secrets and URLs", () => {
    const c = parseConfig(`[database]\nurl = "postgresql://file"`, {
      DATABASE_URL: "postgresql://env",
      ENCRYPTION_KEY: "k".repeat(40),
      PORT: "4000",
    });
    expect(c.database.url).toBe("postgresql://env");
    expect(c.server.encryption_key).toBe("k".repeat(40));
    expect(c.server.port).toBe(4000);
  });
});
