import { withOrg } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { authorizeSessionChannel, channelAuthInput } from "@/lib/realtime/auth";
import { parseInput } from "@/lib/validation";

/** pusher-js posts a form (socket_id, channel_name); headless clients may post JSON instead. */
async function readBody(req: Request): Promise<unknown> {
  if ((req.headers.get("content-type") ?? "").includes("application/json")) {
    return req.json().catch(() => {
      throw new AppError("bad_request", "Request body must be JSON");
    });
  }
  return Object.fromEntries(new URLSearchParams(await req.text()));
}

export const POST = withOrg({}, async ({ req, userId, orgId }) =>
  authorizeSessionChannel({ userId, orgId }, parseInput(channelAuthInput, await readBody(req))),
);
