// Shared by the versions pages: the org, the flow id checked, and "not found" for a bad id/number.
import { notFound } from "next/navigation";
import { pageOrg } from "@/lib/auth/pages";
import { orgTimeZone } from "@/lib/calls/list-query";
import { formatWithZone } from "@/lib/calls/time-zone";
import { AppError } from "@/lib/errors";
import { isSafeParam } from "@/lib/validation";

export async function versionPageContext(params: Promise<{ id: string }>) {
  const { orgId } = await pageOrg("admin");
  const { id } = await params;
  if (!isSafeParam(id)) notFound();
  return { orgId, id, timeZone: await orgTimeZone(orgId) };
}

/** Runs a lib call, turning its not_found into the page's 404. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

/** When a version was published, in the organisation's time zone, as the flows list says it. */
export const when = (iso: string, timeZone: string) => formatWithZone(new Date(iso), timeZone);
