// Guards for server-rendered pages: unauthenticated → /login, wrong role → /forbidden.
import { redirect } from "next/navigation";
import type { Role } from "../db";
import { type OrgContext, currentOrg } from "./session";

export async function pageOrg(role: Role = "agent"): Promise<OrgContext> {
  const ctx = await currentOrg();
  if (!ctx) redirect("/login");
  if (role === "admin" && ctx.role !== "admin") redirect("/forbidden");
  return ctx;
}
