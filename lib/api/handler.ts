// Thin route handlers: auth + org scoping + zod input + one error shape, in one wrapper.
import { NextResponse } from "next/server";
import type { ZodType } from "zod";
import { type OrgContext, requireOrg } from "../auth/session";
import type { Role } from "../db";
import { AppError, notFound } from "../errors";
import { logger } from "../log";
import { isSafeParam, parseInput } from "../validation";

export function errorResponse(err: unknown): NextResponse {
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, details: err.details } }, { status: err.status });
  }
  if (clientWentAway(err)) {
    // A closed tab or a lost connection while its request body was still arriving: nothing of ours
    // failed, and nobody reads this reply.
    logger.info({ code: (err as NodeJS.ErrnoException).code }, "the client went away before its request was read");
    return NextResponse.json({ error: { code: "bad_request", message: "The request was cut off before it arrived" } }, { status: 400 });
  }
  logger.error({ err }, "unhandled error in route handler");
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side" } }, { status: 500 });
}

/** Node's error for a request whose connection closed while its body was being read. */
function clientWentAway(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | null;
  return e instanceof Error && e.message === "aborted" && (e.code === "ECONNRESET" || e.code === "ABORT_ERR");
}

// What a route's `[param]` names, by the path segment before it (for "Team was not found").
const PARAM_NOUNS: Record<string, string> = {
  accounts: "WhatsApp account",
  audio: "Audio file",
  callbacks: "Callback task",
  calls: "Call",
  contacts: "Contact",
  flows: "Flow",
  members: "Team member",
  people: "Person",
  teams: "Team",
  transfers: "Transfer",
};

/**
 * Route params are decoded from the URL, so `/api/teams/%00` arrives as "\u0000": an id no record can
 * have, which PostgreSQL would refuse with a 500. Any param with control characters, invalid Unicode
 * or an absurd length is answered 404 before the handler runs.
 */
function checkParams(params: unknown, req: Request): void {
  if (!params || typeof params !== "object") return;
  for (const value of Object.values(params as Record<string, unknown>)) {
    const parts = Array.isArray(value) ? value : [value];
    if (parts.every((p) => typeof p !== "string" || isSafeParam(p))) continue;
    const segments = new URL(req.url).pathname.split("/").filter(Boolean);
    const index = segments.findIndex((s) => !isSafeParam(safeDecode(s)));
    const noun = index > 0 ? PARAM_NOUNS[segments[index - 1]!] : undefined;
    throw noun ? notFound(noun) : new AppError("not_found", "Nothing was found at this address");
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return "\u0000";
  }
}

interface RouteArgs<P> {
  params: Promise<P>;
}

/** Wraps a route handler that acts inside the caller's organisation. */
export function withOrg<T, P = Record<string, string>>(
  opts: { role?: Role; input?: ZodType<T> },
  fn: (ctx: OrgContext & { input: T; params: P; req: Request }) => Promise<unknown>,
) {
  return async (req: Request, args: RouteArgs<P>) => {
    try {
      const ctx = await requireOrg(opts.role ?? "agent");
      const params = await args.params;
      checkParams(params, req);
      let input = undefined as T;
      if (opts.input) {
        const raw =
          req.method === "GET" || req.method === "DELETE"
            ? Object.fromEntries(new URL(req.url).searchParams)
            : await req.json().catch(() => {
                throw new AppError("bad_request", "Request body must be JSON");
              });
        input = parseInput(opts.input, raw);
      }
      const result = await fn({ ...ctx, input, params, req });
      return result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
