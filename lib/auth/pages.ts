// Guards for server-rendered pages: unauthenticated → /login (back to the page afterwards), wrong
// role → /forbidden.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { PAGE_PATH_HEADER, sessionEndedLogin } from "./callback-url";
import type { Role } from "../db";
import { type OrgContext, currentOrg } from "./session";

export async function pageOrg(role: Role = "agent"): Promise<OrgContext> {
  const ctx = await currentOrg();
  // The proxy lets only requests with a session cookie this far: that session has ended.
  if (!ctx) redirect(sessionEndedLogin((await headers()).get(PAGE_PATH_HEADER)));
  if (role === "admin" && ctx.role !== "admin") redirect("/forbidden");
  return ctx;
}
