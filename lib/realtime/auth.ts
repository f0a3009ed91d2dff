// Who may subscribe to which realtime channel: a user to their own private-user channel, an org
// member to their org's private and presence channels. Signs with the configured Pusher app.
import { z } from "zod";
import { channels } from "../agents/contract";
import { db } from "../db";
import { AppError } from "../errors";
import { pusher } from "./index";

const SOCKET_ID = /^\d+\.\d+$/;

/** What pusher-js posts to /api/pusher/auth (form-encoded; JSON accepted too). */
export const channelAuthInput = z.object({
  socket_id: z.string().regex(SOCKET_ID, "must look like 123.456"),
  channel_name: z.string().min(1).max(200),
});
export type ChannelAuthInput = z.infer<typeof channelAuthInput>;

/** The reply pusher-js expects: `auth`, plus `channel_data` on presence channels. */
export interface ChannelAuthorization {
  auth: string;
  channel_data?: string;
}

export interface ChannelAuthRequest {
  socketId: string;
  channel: string;
  userId: string;
  /** The organisation of the caller's session (membership already checked). */
  orgId: string;
  userName: string;
}

function allowed({ channel, userId, orgId }: ChannelAuthRequest): boolean {
  return channel === channels.user(userId) || channel === channels.org(orgId) || channel === channels.presence(orgId);
}

/** Signs a subscription, or throws forbidden for any channel this user may not join. */
export function authorizeChannel(req: ChannelAuthRequest): ChannelAuthorization {
  const client = pusher();
  if (!client) throw new AppError("not_found", "Realtime is not configured");
  if (!SOCKET_ID.test(req.socketId)) throw new AppError("validation_failed", "socket_id must look like 123.456");
  if (!allowed(req)) throw new AppError("forbidden", "You cannot subscribe to this channel");
  if (req.channel === channels.presence(req.orgId)) {
    return client.authorizeChannel(req.socketId, req.channel, { user_id: req.userId, user_info: { name: req.userName } });
  }
  const { auth } = client.authorizeChannel(req.socketId, req.channel);
  return { auth };
}

/** authorizeChannel for a signed-in session; looks up the display name for presence channels. */
export async function authorizeSessionChannel(session: { userId: string; orgId: string }, input: ChannelAuthInput): Promise<ChannelAuthorization> {
  let userName = "";
  if (input.channel_name === channels.presence(session.orgId)) {
    const user = await db.user.findUnique({ where: { id: session.userId }, select: { name: true } });
    userName = user?.name ?? "";
  }
  return authorizeChannel({ ...session, socketId: input.socket_id, channel: input.channel_name, userName });
}
