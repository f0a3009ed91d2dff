// Writes this browser's session cookie anew, with the sign-in time moved to now: after the account's
// password changed, every session signed in before is over (lib/auth/session.ts) except the one that
// changed it. next-auth's own cookie names; the JWT is decoded and encoded with next-auth's helpers.
import { cookies } from "next/headers";
import type { NextResponse } from "next/server";
import { decode, encode } from "next-auth/jwt";
import { authSecret } from "../config";
import { SESSION_MAX_AGE_SECS } from "./options";

const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** Returns whether the cookie was renewed (false: no readable session cookie on the request). */
export async function renewSessionCookie(res: NextResponse, signedInAt: number): Promise<boolean> {
  const jar = await cookies();
  for (const name of COOKIE_NAMES) {
    const raw = jar.get(name)?.value;
    if (!raw) continue;
    const token = await decode({ token: raw, secret: authSecret() }).catch(() => null);
    if (!token) return false;
    const value = await encode({ token: { ...token, signedInAt }, secret: authSecret(), maxAge: SESSION_MAX_AGE_SECS });
    res.cookies.set(name, value, { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-"), maxAge: SESSION_MAX_AGE_SECS });
    return true;
  }
  return false;
}
