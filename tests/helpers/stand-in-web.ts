// The agent-leg routes without Next.js, for e2e rigs: a loopback HTTP server that calls the same
// lib functions the route handlers call, as one member of one organisation, with the same
// input schemas and `{ error: { code, message, details } }` replies.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { acceptTransfer, controlCall, liveCall, rejoinCall } from "../../lib/agents/call-control";
import { acceptInput, rejoinInput } from "../../lib/agents/contract";
import type { OrgContext } from "../../lib/auth/session";
import { placeCall, placeCallInput } from "../../lib/calls/outgoing";
import { requestPermission } from "../../lib/contacts/permission";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";

type Route = [RegExp, (ctx: OrgContext, m: RegExpExecArray, body: Record<string, unknown>) => Promise<unknown>];

const ROUTES: Route[] = [
  [/^\/api\/agent\/call$/, (ctx) => liveCall(ctx)],
  [
    /^\/api\/transfers\/([^/]+)\/accept$/,
    (ctx, m, body) => {
      const { sdp, window } = parseInput(acceptInput, body);
      return acceptTransfer(ctx, m[1]!, sdp, window);
    },
  ],
  [/^\/api\/calls\/([^/]+)\/(hold|resume|hangup)$/, (ctx, m) => controlCall(ctx, m[1]!, m[2] as "hold" | "resume" | "hangup")],
  [/^\/api\/calls\/([^/]+)\/rejoin$/, (ctx, m, body) => rejoinCall(ctx, m[1]!, parseInput(rejoinInput, body))],
  [/^\/api\/calls$/, (ctx, _m, body) => placeCall(ctx, parseInput(placeCallInput, body))],
  [/^\/api\/contacts\/([^/]+)\/permission-request$/, (ctx, m, body) => requestPermission(ctx, m[1]!, String(body.accountId))],
];

export class StandInWeb {
  private server: http.Server | null = null;
  url = "";

  constructor(private readonly member: () => OrgContext) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", async () => {
        const reply = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        try {
          const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
          for (const [pattern, handle] of ROUTES) {
            const m = pattern.exec(req.url ?? "");
            if (m) return reply(200, await handle(this.member(), m, body));
          }
          throw new AppError("not_found", req.url ?? "");
        } catch (err) {
          if (err instanceof AppError) return reply(err.status, { error: { code: err.code, message: err.message, details: err.details } });
          reply(500, { error: { code: "internal", message: (err as Error).message } });
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  close() {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
