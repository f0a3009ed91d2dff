// Thin route handlers: auth + org scoping + zod input + one error shape, in one wrapper.
import { NextResponse } from "next/server";
import type { ZodType } from "zod";
import { type OrgContext, requireOrg } from "../auth/session";
import type { Role } from "../db";
import { AppError } from "../errors";
import { logger } from "../log";
import { parseInput } from "../validation";

export function errorResponse(err: unknown): NextResponse {
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, details: err.details } }, { status: err.status });
  }
  logger.error({ err }, "unhandled error in route handler");
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side" } }, { status: 500 });
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
      const result = await fn({ ...ctx, input, params: await args.params, req });
      return result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
