// `npm run seed:calls -- [count] [database-url]`: a call log at scale (default 1M calls) for the
// benchmark and for trying the Calls page on a big organisation. Rows are generated inside
// PostgreSQL (INSERT … SELECT generate_series, one statement per batch for calls, transfers and
// IVR steps together), so 1M calls with ~6M path steps take minutes, not hours.
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import pg from "pg";

export interface SeededCallLog {
  orgId: string;
  adminEmail: string;
  agentIds: string[];
  teamIds: string[];
  /** teamMembers[i] are the user ids of teamIds[i]. */
  teamMembers: string[][];
  accountIds: string[];
  flowIds: string[];
  contacts: number;
}

const FIRST = [
  "Maria",
  "João",
  "Ana",
  "Pedro",
  "Lucas",
  "Julia",
  "Carlos",
  "Fernanda",
  "Rafael",
  "Beatriz",
  "Ahmed",
  "Fatima",
  "Wei",
  "Mei",
  "Priya",
  "Arjun",
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Sofia",
  "Mateo",
  "Chloe",
  "Ethan",
  "Amara",
  "Kwame",
  "Yuki",
  "Hiro",
  "Elena",
  "Ivan",
  "Zara",
  "Omar",
  "Lena",
  "Felix",
  "Nora",
  "Hugo",
  "Ines",
  "Tiago",
  "Rosa",
  "Diego",
];
const LAST = [
  "Silva",
  "Santos",
  "Oliveira",
  "Souza",
  "Costa",
  "Pereira",
  "Almeida",
  "Ferreira",
  "Gomes",
  "Martins",
  "Khan",
  "Patel",
  "Wang",
  "Li",
  "Smith",
  "Johnson",
  "Brown",
  "García",
  "Müller",
  "Rossi",
  "Dubois",
  "Nakamura",
  "Okafor",
  "Mensah",
  "Kowalski",
  "Novak",
  "Jensen",
  "Larsen",
  "O'Brien",
  "Murphy",
  "Cohen",
  "Haddad",
  "Nguyen",
  "Tran",
  "Kim",
  "Park",
  "Lopez",
  "Diaz",
  "Reyes",
  "Cruz",
];
const TEAMS = ["Sales", "Support", "Billing", "Returns", "VIP", "Night shift"];
const ACCOUNTS = ["Main line", "Support line", "Sales line"];
const ERRORS = [
  "(#138006) No approved call permission from the user",
  "(#138002) Concurrent calls limit reached",
  "(#131042) Business eligibility payment issue",
  "(#138000) Calling is not enabled for this phone number",
];

/** The SQL for one batch of calls g ∈ [$1, $2], with their transfers and path steps. */
const BATCH_SQL = `
WITH src AS MATERIALIZED (
  SELECT g, r.*,
    'c' || substr(md5($3 || g::text), 1, 24) AS id,
    -- Skewed towards recent dates (call volume grows) and towards repeat callers.
    now() - interval '730 days' * power(r.r1, 1.25) AS started_at,
    floor(power(r.r2, 1.6) * $4)::int AS contact_no,
    CASE WHEN r.r3 < 0.85 THEN 'incoming' ELSE 'outgoing' END AS direction,
    floor(r.r4 * r.r4 * 3)::int AS account_no,
    floor(r.r5 * r.r5 * 6)::int AS team_no,
    floor(r.r6 * 7)::int AS member_no
  FROM generate_series($1::int, $2::int) g,
  LATERAL (SELECT random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8, random() r9
           WHERE g IS NOT NULL) r
), calls_src AS MATERIALIZED (
  SELECT s.*,
    CASE WHEN s.direction = 'incoming' THEN
      CASE WHEN s.r7 < 0.74 THEN 'completed' WHEN s.r7 < 0.90 THEN 'missed' WHEN s.r7 < 0.95 THEN 'failed' ELSE 'rejected' END
    ELSE
      CASE WHEN s.r7 < 0.60 THEN 'completed' WHEN s.r7 < 0.85 THEN 'missed' WHEN s.r7 < 0.95 THEN 'failed' ELSE 'rejected' END
    END AS status,
    (s.direction = 'incoming' AND s.r7 < 0.90 AND s.r8 < 0.55) AS transferred,
    20 + floor(s.r9 * s.r9 * 900)::int AS talk_secs
  FROM src s
), rows AS MATERIALIZED (
  SELECT c.*,
    CASE WHEN c.status = 'completed' AND (c.transferred OR c.direction = 'outgoing')
      THEN ($7::text[])[1 + (c.team_no + 6 * c.member_no) % cardinality($7::text[])] END AS agent_id,
    CASE WHEN c.direction = 'incoming' THEN ($6::text[])[1 + c.account_no] END AS flow_id
  FROM calls_src c
), ins_calls AS (
  INSERT INTO calls (id, org_id, account_id, wa_call_id, direction, status, contact_id, caller_phone, flow_id, agent_id,
                     started_at, answered_at, ended_at, duration_secs, disconnected_by, error, team_ids)
  SELECT r.id, $8, ($5::text[])[1 + r.account_no], 'wacid.seed.' || $3 || '.' || r.g, r.direction::"CallDirection", r.status::"CallStatus",
    CASE WHEN r.contact_no % 20 = 19 THEN NULL ELSE 'ct' || $3 || r.contact_no END,
    (ARRAY['55','1','44','91','52','34','49','234','62','27'])[1 + r.contact_no % 10] || '9' || lpad(((r.contact_no::bigint * 7919) % 1000000000)::text, 9, '0'),
    r.flow_id, r.agent_id, r.started_at,
    CASE WHEN r.status = 'completed' THEN r.started_at + interval '3 seconds' + (CASE WHEN r.transferred THEN interval '40 seconds' ELSE interval '0' END) END,
    r.started_at + interval '3 seconds' + make_interval(secs => CASE WHEN r.status = 'completed' THEN r.talk_secs + (CASE WHEN r.transferred THEN 40 ELSE 0 END) ELSE floor(r.r9 * 40)::int END),
    CASE WHEN r.status = 'completed' THEN r.talk_secs + (CASE WHEN r.transferred THEN 40 ELSE 0 END) ELSE 0 END,
    (CASE WHEN r.status IN ('failed', 'rejected') THEN 'system' WHEN r.status = 'missed' THEN 'client'
          WHEN r.r8 < 0.58 THEN 'client' WHEN r.r8 < 0.95 THEN 'agent' ELSE 'system' END)::"DisconnectedBy",
    CASE WHEN r.status = 'failed' THEN (ARRAY[${ERRORS.map((e) => `'${e}'`).join(",")}])[1 + floor(r.r9 * ${ERRORS.length})::int]
         WHEN r.status = 'rejected' THEN 'Calling is disabled for this organisation'
         WHEN r.status = 'missed' AND NOT r.transferred THEN 'Caller hung up before the call was answered' END,
    -- The teams of the call's transfers (below), as lib/agents/transfers keeps them.
    CASE WHEN r.transferred THEN ARRAY[($9::text[])[1 + r.team_no]] ELSE ARRAY[]::text[] END
  FROM rows r
  RETURNING 1
), ins_transfers AS (
  INSERT INTO call_transfers (id, call_id, team_id, status, accepted_by_id, created_at, accepted_at, ended_at, end_reason, node_id, offered_to)
  SELECT 't' || substr(md5($3 || r.g::text), 1, 24), r.id, ($9::text[])[1 + r.team_no],
    (CASE WHEN r.status = 'completed' THEN 'accepted' WHEN r.r9 < 0.5 THEN 'timed_out' ELSE 'cancelled' END)::"TransferStatus",
    r.agent_id, r.started_at + interval '25 seconds',
    CASE WHEN r.status = 'completed' THEN r.started_at + interval '43 seconds' END,
    CASE WHEN r.status = 'completed' THEN NULL ELSE r.started_at + interval '60 seconds' END,
    CASE WHEN r.status = 'completed' THEN NULL WHEN r.r9 < 0.5 THEN 'timeout' ELSE 'caller_hung_up' END,
    'to-team', CASE WHEN r.agent_id IS NULL THEN ARRAY[]::text[] ELSE ARRAY[r.agent_id] END
  FROM rows r WHERE r.transferred
  RETURNING 1
)
INSERT INTO call_steps (id, call_id, seq, flow_id, node_id, node_type, label, handle, digits, variables, entered_at, left_at)
SELECT 's' || substr(md5($3 || r.g::text || '.' || st.seq), 1, 24), r.id, st.seq, r.flow_id, st.node_id, st.node_type, st.label,
  CASE WHEN st.seq = 8 AND NOT r.transferred THEN NULL ELSE st.handle END,
  st.digits, st.variables::jsonb,
  r.started_at + make_interval(secs => 1 + st.seq * 3), r.started_at + make_interval(secs => 4 + st.seq * 3)
FROM rows r
CROSS JOIN LATERAL (VALUES
  (1, 'welcome', 'greeting', 'Welcome', 'default', NULL, NULL),
  (2, 'hours', 'timing', 'Business hours', CASE WHEN r.r8 < 0.9 THEN 'in_hours' ELSE 'out_of_hours' END, NULL, NULL),
  (3, 'main-menu', 'menu', 'Main menu', 'digit:' || (1 + floor(r.r5 * 3))::int, (1 + floor(r.r5 * 3))::int::text, NULL),
  (4, 'order', 'gather', 'Order number', 'default', lpad((floor(r.r6 * 1000000))::int::text, 6, '0'), '{"order_number":"' || lpad((floor(r.r6 * 1000000))::int::text, 6, '0') || '"}'),
  (5, 'crm', 'http_callback', 'Look up order', CASE WHEN r.r9 < 0.93 THEN 'http:2xx' ELSE 'http:error' END, NULL,
     CASE WHEN r.r9 < 0.93 THEN '{"crm":{"ok":true,"status":200,"body":{"vip":false},"error":null}}' ELSE '{"crm":{"ok":false,"status":503,"body":null,"error":null}}' END),
  (6, 'status-menu', 'menu', 'Order status menu', 'digit:1', '1', NULL),
  (7, 'announce', 'greeting', 'Status announcement', 'default', NULL, NULL),
  (8, CASE WHEN r.transferred THEN 'to-team' ELSE 'bye' END, CASE WHEN r.transferred THEN 'transfer' ELSE 'hangup' END,
      CASE WHEN r.transferred THEN 'Transfer to team' ELSE 'Goodbye' END, CASE WHEN r.status = 'completed' THEN NULL ELSE 'no_answer' END, NULL, NULL)
) AS st(seq, node_id, node_type, label, handle, digits, variables)
WHERE r.direction = 'incoming' AND r.status IN ('completed', 'missed')`;

async function fixtures(client: pg.ClientBase, tag: string, passwordHash: string, contacts: number) {
  const id = (p: string, i: number | string = "") => `${p}${tag}${i}`;
  const orgId = id("org");
  await client.query(`INSERT INTO organizations (id, name, calling_enabled, time_zone) VALUES ($1, $2, true, 'America/Sao_Paulo')`, [
    orgId,
    `Call-log scale ${tag}`,
  ]);
  const adminEmail = `scale-admin-${tag}@example.test`;
  await client.query(`INSERT INTO users (id, email, password_hash, name) VALUES ($1, $2, $3, 'Scale Admin')`, [id("adm"), adminEmail, passwordHash]);
  await client.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, 'admin')`, [id("madm"), orgId, id("adm")]);
  const agentIds = Array.from({ length: 42 }, (_, i) => id("agt", i));
  await client.query(
    `INSERT INTO users (id, email, password_hash, name)
     SELECT u.id, 'scale-agent-' || u.n || '-' || $2 || '@example.test', $3, ($4::text[])[1 + u.n % 40] || ' ' || ($5::text[])[1 + (u.n * 7) % 40]
     FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n)`,
    [agentIds, tag, passwordHash, FIRST, LAST],
  );
  await client.query(`INSERT INTO memberships (id, org_id, user_id, role) SELECT 'm' || u, $1, u, 'agent' FROM unnest($2::text[]) u`, [orgId, agentIds]);
  const teamIds = TEAMS.map((_, i) => id("team", i));
  await client.query(`INSERT INTO teams (id, org_id, name) SELECT t.id, $1, t.name FROM unnest($2::text[], $3::text[]) AS t(id, name)`, [
    orgId,
    teamIds,
    TEAMS,
  ]);
  // Agent i is in team i % 6 (the seed picks a call's agent among those); every 7th is in a second team too.
  const teamMembers = teamIds.map((_, t) => agentIds.filter((_, a) => a % 6 === t || (a % 7 === 0 && (a + 1) % 6 === t)));
  const pairs = teamMembers.flatMap((members, t) => members.map((u) => [teamIds[t]!, u] as const));
  await client.query(`INSERT INTO team_members (id, team_id, user_id) SELECT 'tm' || p.t || p.u, p.t, p.u FROM unnest($1::text[], $2::text[]) AS p(t, u)`, [
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  ]);
  const accountIds = ACCOUNTS.map((_, i) => id("acct", i));
  await client.query(
    `INSERT INTO whatsapp_accounts (id, org_id, name, phone_number_id, display_phone, waba_id, access_token_enc, app_secret_enc, verify_token)
     SELECT a.id, $1, a.name, '9' || $3 || a.n, '1555000000' || a.n, 'waba' || $3, 'sealed-unused', 'sealed-unused', 'verify-' || a.id
     FROM unnest($2::text[], $4::text[]) WITH ORDINALITY AS a(id, name, n)`,
    [orgId, accountIds, tag, ACCOUNTS],
  );
  const flowIds = ACCOUNTS.map((_, i) => id("flow", i));
  await client.query(
    `INSERT INTO ivr_flows (id, org_id, account_id, name, active, is_call_start, draft_document, version, updated_at)
     SELECT f.id, $1, f.acct, f.name || ' IVR', true, true, '{"version":1,"entryNodeId":"welcome","nodes":[],"edges":[]}', 1, now()
     FROM unnest($2::text[], $3::text[], $4::text[]) AS f(id, acct, name)`,
    [orgId, flowIds, accountIds, ACCOUNTS],
  );
  await client.query(
    `INSERT INTO contacts (id, org_id, wa_id, name, updated_at)
     SELECT 'ct' || $2 || k, $1,
       (ARRAY['55','1','44','91','52','34','49','234','62','27'])[1 + k % 10] || '9' || lpad(((k::bigint * 7919) % 1000000000)::text, 9, '0'),
       CASE WHEN k % 7 = 6 THEN NULL ELSE ($3::text[])[1 + k % 40] || ' ' || ($4::text[])[1 + (k / 40) % 40] END, now()
     FROM generate_series(0, $5::int - 1) k`,
    [orgId, tag, FIRST, LAST, contacts],
  );
  return { orgId, adminEmail, agentIds, teamIds, teamMembers, accountIds, flowIds };
}

/** Seeds `count` calls into a new organisation in the database at `url`; `log` gets progress lines. */
export async function seedCalls(url: string, count: number, log: (line: string) => void = () => {}): Promise<SeededCallLog> {
  const { hashPassword } = await import("../lib/crypto/password");
  const tag = randomBytes(4).toString("hex");
  const contacts = Math.max(10, Math.round(count / 5));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const f = await fixtures(client, tag, await hashPassword("scale-pass-1234"), contacts);
    // Agents in team t are those with index ≡ t (mod 6): the SQL picks agent (team + 6·k) for a transferred call.
    const agentsByTeamOrder = f.agentIds;
    const batch = 25_000;
    const started = Date.now();
    for (let from = 1; from <= count; from += batch) {
      const to = Math.min(count, from + batch - 1);
      await client.query(BATCH_SQL, [from, to, tag, contacts, f.accountIds, f.flowIds, agentsByTeamOrder, f.orgId, f.teamIds]);
      const secs = (Date.now() - started) / 1000;
      log(`${to.toLocaleString("en")} / ${count.toLocaleString("en")} calls (${secs.toFixed(0)} s, ${Math.round(to / secs).toLocaleString("en")} calls/s)`);
    }
    log("ANALYZE …");
    await client.query("ANALYZE calls; ANALYZE call_steps; ANALYZE call_transfers; ANALYZE contacts");
    return { ...f, contacts };
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const count = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write("Usage: npm run seed:calls -- [count] [database-url]\n");
    process.exit(2);
  }
  const url = process.argv[3] ?? (await import("../lib/config")).config().database.url;
  const seeded = await seedCalls(url, count, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`Seeded ${count.toLocaleString("en")} calls into organisation ${seeded.orgId}. Sign in as ${seeded.adminEmail} / scale-pass-1234\n`);
}
