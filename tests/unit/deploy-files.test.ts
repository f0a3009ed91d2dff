// The deployment files as an operator uses them: docker-compose.yml validates (with the example env
// file, and refuses to start without secrets), has a service per process, commits no secret value
// and publishes no database port; the Dockerfile has a target per process; vercel.json schedules the
// reaper; systemd units start each process.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface ComposeService {
  image?: string;
  build?: { target?: string };
  ports?: unknown[];
  environment?: Record<string, string>;
  read_only?: boolean;
}

/** `docker compose config` resolved with the given env file, as JSON (docker-compose prints YAML; its own Python reads it). */
function composeConfig(envFile: string): { services: Record<string, ComposeService> } {
  const yaml = execFileSync("docker-compose", ["--env-file", envFile, "config"], { cwd: root, encoding: "utf8" });
  const json = execFileSync("/usr/bin/python3", ["-c", "import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin)))"], {
    input: yaml,
    encoding: "utf8",
  });
  return JSON.parse(json);
}

describe("docker-compose.yml", () => {
  it("validates with the example env file and has a service per process", () => {
    const { services } = composeConfig(".env.example");
    expect(Object.keys(services).sort()).toEqual(["create-bucket", "gateway", "migrate", "minio", "postgres", "pusher", "redis", "web", "workers"]);
    expect(services.web?.build?.target).toBe("web");
    expect(services.gateway?.build?.target).toBe("gateway");
    expect(services.workers?.build?.target).toBe("workers");
    expect(services.web?.read_only).toBe(true);
  });

  it("refuses to start without the secrets, naming the missing one", () => {
    const empty = path.join(fs.mkdtempSync(path.join(root, "tmp-compose-")), "empty.env");
    fs.writeFileSync(empty, "");
    try {
      const r = spawnSync("docker-compose", ["--env-file", empty, "config", "-q"], { cwd: root, encoding: "utf8" });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/set [A-Z_]+ in \.env/);
    } finally {
      fs.rmSync(path.dirname(empty), { recursive: true, force: true });
    }
  });

  it("commits no secret value and publishes no database, Redis or MinIO port", () => {
    const text = read("docker-compose.yml");
    const secretLines = text.split("\n").filter((l) => /^\s*[A-Z_]*(SECRET|PASSWORD|_KEY)[A-Z_]*:/.test(l));
    expect(secretLines.length).toBeGreaterThan(5);
    for (const l of secretLines) expect(l, l).toMatch(/:\s*\$\{[A-Z_]+(:\?[^}]*)?\}\s*$/);
    const { services } = composeConfig(".env.example");
    for (const name of ["postgres", "redis", "minio"]) expect(services[name]?.ports, name).toBeUndefined();
    expect(services.gateway?.ports?.length).toBeGreaterThan(0);
    // The example env file holds placeholders only.
    for (const [, key, value] of read(".env.example").matchAll(/^([A-Z_]*(?:SECRET|PASSWORD|KEY)[A-Z_]*)=(.*)$/gm)) expect(value, key).toMatch(/^replace-me/);
  });

  it("mounts a valid config whose UDP range is the one the gateway publishes", () => {
    const cfg = parseConfig(read("deploy/docker/config.toml"));
    const { services } = composeConfig(".env.example");
    const published = ((services.gateway?.ports ?? []) as { protocol: string; published: number; target: number }[]).filter((p) => p.protocol === "udp");
    expect(published.every((p) => p.published === p.target)).toBe(true);
    const ports = published.map((p) => p.target);
    expect([Math.min(...ports), Math.max(...ports), ports.length]).toEqual([
      cfg.calling.udp_port_min,
      cfg.calling.udp_port_max,
      cfg.calling.udp_port_max - cfg.calling.udp_port_min + 1,
    ]);
    expect(cfg.pusher.public_host).toBeTruthy();
  });
});

describe("Dockerfile, vercel.json and systemd units", () => {
  it("has one target per process and never seeds demo data", () => {
    const docker = read("Dockerfile");
    for (const target of ["web", "gateway", "workers", "tools"]) expect(docker).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, "m"));
    expect(docker).not.toMatch(/db:seed|scripts\/seed/);
  });

  it("schedules the reaper on Vercel", () => {
    const vercel = JSON.parse(read("vercel.json"));
    expect(vercel.crons).toContainEqual(expect.objectContaining({ path: "/api/cron/reap-gateways" }));
    expect(fs.existsSync(path.join(root, "app/api/cron/reap-gateways/route.ts"))).toBe(true);
  });

  it("ships a systemd unit per VM process", () => {
    for (const unit of ["ringflow-gateway", "ringflow-workers", "ringflow-web"]) {
      const text = read(`deploy/systemd/${unit}.service`);
      expect(text).toMatch(/^ExecStart=/m);
      expect(text).toMatch(/^Restart=/m);
      expect(text).toMatch(/^EnvironmentFile=/m);
    }
  });
});
