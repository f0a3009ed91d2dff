import { NextResponse } from "next/server";
import { passwordChangeInput } from "@/lib/account/schema";
import { changePassword } from "@/lib/account/service";
import { withOrg } from "@/lib/api/handler";
import { renewSessionCookie } from "@/lib/auth/reissue";
import { clientAddress } from "@/lib/auth/sign-in-guard";

// Every other session of the account is signed out; this browser's is renewed and stays.
export const POST = withOrg({ input: passwordChangeInput }, async ({ userId, input, req }) => {
  const { changedAt } = await changePassword(userId, input, clientAddress(Object.fromEntries(req.headers)));
  const res = NextResponse.json({ changed: true, stillSignedIn: true });
  if (await renewSessionCookie(res, changedAt.getTime())) return res;
  return NextResponse.json({ changed: true, stillSignedIn: false });
});
