// Resolves the signed-in user's current organisation and role, fresh from the database. A session that
// signed in before its account's password last changed counts as signed out.
import { getServerSession } from "next-auth";
import { AppError } from "../errors";
import { db, type Role } from "../db";
import { authOptions } from "./options";

export interface OrgContext {
  userId: string;
  orgId: string;
  role: Role;
}

export async function currentOrg(): Promise<OrgContext | null> {
  const session = await getServerSession(authOptions);
  if (!session?.userId || !session.orgId) return null;
  const membership = await db.membership.findUnique({
    where: { orgId_userId: { orgId: session.orgId, userId: session.userId } },
    select: { role: true, user: { select: { passwordChangedAt: true } } },
  });
  if (!membership) return null;
  // The password changed after this session signed in (elsewhere, or by a thief): it is over.
  const changedAt = membership.user.passwordChangedAt?.getTime();
  if (changedAt !== undefined && (session.signedInAt ?? 0) < changedAt) return null;
  return { userId: session.userId, orgId: session.orgId, role: membership.role };
}

/** Throws unless signed in to an org with at least `role` (admin > agent). */
export async function requireOrg(role: Role = "agent"): Promise<OrgContext> {
  const ctx = await currentOrg();
  if (!ctx) throw new AppError("unauthenticated", "Sign in to continue");
  if (role === "admin" && ctx.role !== "admin") throw new AppError("forbidden", "Only organisation admins can do this");
  return ctx;
}
