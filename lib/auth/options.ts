// next-auth configuration: email + password (scrypt), JWT sessions carrying user, org and role.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { authSecret } from "../config";
import { signOutAgent } from "../agents/availability";
import { hangUpOnSignOut } from "../agents/call-control";
import { db } from "../db";
import { safeCallbackPath } from "./callback-url";
import { assertSignInAllowed, checkPassword, clientAddress, recordSignInFailure, recordSignInSuccess } from "./sign-in-guard";

const credentials = z.object({ email: z.email().transform((e) => e.toLowerCase()), password: z.string().min(1) });

async function firstMembership(userId: string, orgId?: string) {
  return db.membership.findFirst({
    where: { userId, ...(orgId ? { orgId } : {}) },
    orderBy: { createdAt: "asc" },
    select: { orgId: true, role: true },
  });
}

/** How long a sign-in lasts. */
export const SESSION_MAX_AGE_SECS = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECS },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Throwing shows the message on the login form (next-auth passes it as the error).
      async authorize(raw, req) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const address = clientAddress(req?.headers);
        await assertSignInAllowed(email, address);
        const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
        if (!(await checkPassword(password, user?.passwordHash)) || !user) {
          await recordSignInFailure(email, address);
          return null;
        }
        await recordSignInSuccess(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  events: {
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : undefined;
      if (userId) await Promise.all([signOutAgent(userId), hangUpOnSignOut(userId)]);
    },
  },
  callbacks: {
    // Only paths on this site: `?callbackUrl=https://evil.example` or `//evil.example` lands on /calls.
    async redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, new URL(baseUrl).origin)}`;
    },
    async jwt({ token, user, trigger, session }) {
      if (user) {
        token.sub = user.id;
        token.orgId = (await firstMembership(user.id))?.orgId;
        token.signedInAt = Date.now();
      }
      // Org switcher: only to an org the user belongs to.
      if (trigger === "update" && token.sub && typeof session?.orgId === "string") {
        const m = await firstMembership(token.sub, session.orgId);
        if (m) token.orgId = m.orgId;
      }
      return token;
    },
    async session({ session, token }) {
      session.userId = token.sub ?? "";
      session.orgId = typeof token.orgId === "string" ? token.orgId : undefined;
      session.signedInAt = typeof token.signedInAt === "number" ? token.signedInAt : 0;
      return session;
    },
  },
};
