// The shape of config.toml. Every key has its default here; config.example.toml documents them.
import { z } from "zod";
import { parseAllowEntry } from "../net/address-policy";

const port = z.number().int().min(1).max(65535);

const iceServer = z.strictObject({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      port: port.default(3000),
      log_level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      base_url: z.url().default("http://localhost:3000"),
      /** Signs session cookies (next-auth). */
      auth_secret: z.string().min(16).optional(),
      /** 32 bytes as 64 hex chars or base64; encrypts access tokens and app secrets at rest. */
      encryption_key: z.string().min(32).optional(),
      /** Bearer secret for scheduled routes such as /api/cron/reap-gateways. */
      cron_secret: z.string().min(16).optional(),
    })
    .prefault({}),
  database: z
    .strictObject({
      url: z.string().min(1).default("postgresql://postgres@127.0.0.1:5432/ringflow"),
      /**
       * The statements every call runs (lib/db/sql) as named prepared statements, parsed and planned
       * once per connection. Off for a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode).
       */
      prepared_statements: z.boolean().default(true),
    })
    .prefault({}),
  redis: z.strictObject({ url: z.string().min(1).default("redis://127.0.0.1:6379") }).prefault({}),
  calling: z
    .strictObject({
      audio_dir: z.string().min(1).default("./data/audio"),
      hold_music_file: z.string().min(1).default("./public/audio/hold-music.ogg"),
      ringback_file: z.string().min(1).default("./public/audio/ringback.ogg"),
      max_call_duration: z.number().int().positive().default(3600),
      /**
       * A call ends when nothing has arrived from the caller for this long (WhatsApp sends audio all
       * through a call, silence included): a caller gone without a terminate webhook must not hold a
       * port and a capacity slot until max_call_duration. 0 turns the check off.
       */
      media_timeout_secs: z.number().int().min(0).default(30),
      transfer_timeout_secs: z.number().int().positive().default(120),
      /**
       * An agent's browser that sends nothing (or stays disconnected) for this long has left: the call
       * ends. Also how long the agent has to come back from a reload or another window (rejoin).
       */
      agent_lost_secs: z.number().int().positive().default(10),
      /** How long an outgoing (business-initiated) call rings before it ends as unanswered. */
      outgoing_ring_timeout_secs: z.number().int().positive().default(45),
      recording_enabled: z.boolean().default(false),
      /** Per-direction recording files until upload; the workers process must see the same directory. */
      recordings_dir: z.string().min(1).default("./data/recordings"),
      udp_port_min: port.default(10000),
      udp_port_max: port.default(10100),
      public_ip: z.string().optional(),
      /**
       * The DTLS-SRTP protection profiles we offer (as DTLS client, to WhatsApp) or pick from (as DTLS
       * server, for browsers), in order of preference. AES_CM_128_HMAC_SHA1_80 alone costs the gateway
       * less garbage collection per packet (see the README's gateway-capacity runs); WhatsApp, as DTLS
       * server, picks by its own preference among those offered.
       */
      srtp_profiles: z
        .array(z.enum(["AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"]))
        .min(1, "name at least one SRTP profile")
        .refine((list) => new Set(list).size === list.length, "each SRTP profile once")
        .default(["AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"]),
      /** The local IPv4 address media sockets bind to and advertise (see config.example.toml). */
      bind_address: z.ipv4().optional(),
      relay_only: z.boolean().default(false),
      ice_servers: z.array(iceServer).default([]),
    })
    .prefault({})
    .refine((c) => c.udp_port_min <= c.udp_port_max, {
      message: "udp_port_min must not be greater than udp_port_max",
      path: ["udp_port_min"],
    }),
  gateway: z
    .strictObject({
      /** Defaults to <hostname>-<pid>. */
      id: z.string().min(1).optional(),
      capacity: z.number().int().positive().default(200),
      shutdown_grace_secs: z.number().int().min(0).default(30),
      answer_timeout_secs: z.number().int().positive().default(20),
      /** Gateway processes `npm run gateway` starts on this machine; defaults to one per core. */
      processes: z.number().int().min(1).max(64).optional(),
      /** Memory for decoded prompts per gateway process; least recently used prompts are dropped beyond it. */
      prompt_cache_mb: z.number().positive().max(4096).default(64),
      /** /metrics, /healthz and /readyz; 0 turns the endpoint off. `npm run gateway` gives process i port + i - 1. */
      metrics_port: z.number().int().min(0).max(65535).default(9464),
      metrics_host: z.string().min(1).default("127.0.0.1"),
      /**
       * A gateway whose event loop runs this late (p90 over 1 s, two seconds in a row) takes no new calls until
       * it is back under half of it: callers are rejected at once instead of getting silence; 0 turns it off.
       */
      overload_loop_delay_ms: z.number().int().min(0).max(10_000).default(50),
      /**
       * A call is answered (pre_accept) or rejected within this long of its webhook: a web tier or gateway
       * that fell behind sheds the calls it could only answer late, and the caller hears at once. The web
       * tier hands no call over past half of it, the gateway answers none past 80% of it (its reject needs
       * the rest); see lib/gateway/setup-deadline.ts. 0 turns it off.
       */
      setup_deadline_ms: z.number().int().min(0).max(60_000).default(1000),
      /**
       * The most calls the gateway sets up at once (assigned, not yet answered). Beyond it the web tier
       * rejects new calls at once: setups past what the cores can do only make every setup late. With a
       * setup deadline the gateway lowers it while setups reach pre_accept late, and grows it back
       * (lib/gateway/setup-budget.ts). 0 = no limit.
       */
      setup_budget: z.number().int().min(0).max(100_000).default(30),
      /**
       * The gateway process's nice value (-20 … 19; lower goes first): media ahead of batch work on a shared
       * host. Raising it needs root, CAP_SYS_NICE or systemd's Nice=; without it the gateway logs and runs on.
       */
      nice: z.number().int().min(-20).max(19).default(-10),
    })
    .prefault({}),
  workers: z
    .strictObject({
      concurrency: z.number().int().min(1).max(32).default(2),
      /** Recording upload retries: first delay, doubling up to the cap, for this many hours in all. */
      recording_retry_secs: z.number().positive().default(10),
      recording_retry_max_secs: z.number().positive().default(300),
      recording_retry_hours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(48),
      /** /metrics, /healthz and /readyz; 0 turns the endpoint off. */
      metrics_port: z.number().int().min(0).max(65535).default(9475),
      metrics_host: z.string().min(1).default("127.0.0.1"),
    })
    .prefault({}),
  storage: z
    .strictObject({
      s3_bucket: z.string().optional(),
      s3_region: z.string().default("us-east-1"),
      s3_key: z.string().optional(),
      s3_secret: z.string().optional(),
      s3_endpoint: z.url().optional(),
      s3_force_path_style: z.boolean().default(false),
      /** Largest audio upload accepted, in MB. */
      max_upload_mb: z.number().positive().max(500).default(25),
      /** How long a recording playback/download URL stays valid, in seconds. */
      recording_url_expiry_secs: z.number().int().min(30).max(604_800).default(900),
    })
    .prefault({}),
  tts: z
    .strictObject({
      piper_binary: z.string().optional(),
      piper_model: z.string().optional(),
      opusenc_binary: z.string().default("opusenc"),
    })
    .prefault({}),
  whatsapp: z
    .strictObject({
      graph_api_base: z.url().default("https://graph.facebook.com"),
      graph_api_version: z
        .string()
        .regex(/^v\d+\.\d+$/, "must look like v23.0")
        .default("v23.0"),
      /** Days webhook events are kept (dedupe and debugging); an hourly job deletes older ones. */
      webhook_retention_days: z.number().int().min(1).max(3650).default(30),
    })
    .prefault({}),
  http_callbacks: z
    .strictObject({
      /**
       * Internal destinations (loopback, private, link-local …) IVR HTTP callbacks may call:
       * host names, addresses or networks, each with an optional :port. Public addresses need no entry.
       */
      allow: z
        .array(
          z.string().superRefine((text, ctx) => {
            const entry = parseAllowEntry(text);
            if (typeof entry === "string") ctx.addIssue({ code: "custom", message: entry });
          }),
        )
        .default([]),
    })
    .prefault({}),
  pusher: z
    .strictObject({
      app_id: z.string().optional(),
      key: z.string().optional(),
      secret: z.string().optional(),
      host: z.string().optional(),
      port: port.optional(),
      /** Where browsers reach that server when it differs from where the web tier does (containers, proxies). */
      public_host: z.string().optional(),
      public_port: port.optional(),
      use_tls: z.boolean().default(true),
      cluster: z.string().default("mt1"),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
