// One error type for the whole app; lib/api maps it to `{ error: { code, message } }`.
export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "taken"
  | "in_use"
  | "gateway_timeout"
  | "upstream_failed"
  | "permission_required"
  | "whatsapp_refused"
  | "rate_limited"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  taken: 409,
  in_use: 409,
  gateway_timeout: 504,
  upstream_failed: 502,
  permission_required: 409,
  whatsapp_refused: 409,
  rate_limited: 429,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`);
