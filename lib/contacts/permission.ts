// Call permission for business-initiated calls: asked of Meta before each call (the contact row
// keeps the last answer for the UI), requested with the interactive message, updated by replies.
import type { OrgContext } from "../auth/session";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { graphClientFor } from "../whatsapp/account-client";
import { refusalOf } from "../whatsapp/meta-refusal";

export const PERMISSION_REQUEST_TEXT = "We would like to call you on WhatsApp. May we?";

export type PermissionState = "unknown" | "requested" | "granted" | "denied";

export async function contactInOrg(orgId: string, contactId: string) {
  const contact = await db.contact.findFirst({
    where: { id: contactId, orgId },
    select: { id: true, waId: true, name: true, callPermission: true, permissionExpiresAt: true },
  });
  if (!contact) throw notFound("Contact");
  return contact;
}

export async function accountInOrg(orgId: string, accountId: string) {
  const account = await db.whatsAppAccount.findFirst({ where: { id: accountId, orgId }, select: { id: true, phoneNumberId: true } });
  if (!account) throw notFound("WhatsApp account");
  return account;
}

/**
 * Asks Meta whether we may call the contact now and stores the answer on the contact. A request
 * still unanswered stays "requested"; a denial stays "denied" until the user answers again.
 */
export async function lookupPermission(orgId: string, contactId: string, accountId: string): Promise<{ state: PermissionState; expiresAt: Date | null }> {
  const contact = await contactInOrg(orgId, contactId);
  await accountInOrg(orgId, accountId);
  let answer: { status: string; expirationTime?: number };
  try {
    answer = await (await graphClientFor(accountId)).callPermission(contact.waId);
  } catch (err) {
    throw new AppError("whatsapp_refused", `Could not check the contact's call permission: ${refusalOf(err).sentence}`, { metaCode: refusalOf(err).code });
  }
  const granted = answer.status === "granted" || answer.status === "temporary" || answer.status === "permanent";
  const state: PermissionState = granted ? "granted" : contact.callPermission === "granted" ? "unknown" : contact.callPermission;
  // Meta names the expiry of a temporary permission; without one, the expiry the user's reply gave stays.
  const expiresAt = granted ? (answer.expirationTime ? new Date(answer.expirationTime * 1000) : contact.permissionExpiresAt) : null;
  await db.contact.update({
    where: { id: contact.id },
    data: { callPermission: state, permissionExpiresAt: granted ? expiresAt : contact.permissionExpiresAt },
  });
  return { state, expiresAt };
}

/** Sends the interactive call-permission request; Meta's limits come back as plain sentences. */
export async function requestPermission(ctx: OrgContext, contactId: string, accountId: string): Promise<{ state: PermissionState }> {
  const contact = await contactInOrg(ctx.orgId, contactId);
  await accountInOrg(ctx.orgId, accountId);
  try {
    await (await graphClientFor(accountId)).sendPermissionRequest(contact.waId, PERMISSION_REQUEST_TEXT);
  } catch (err) {
    const r = refusalOf(err);
    await db.contactActivity.create({ data: { orgId: ctx.orgId, contactId, kind: "permission_request_failed", userId: ctx.userId, detail: r.sentence } });
    throw new AppError("whatsapp_refused", r.sentence, { metaCode: r.code, metaMessage: r.metaMessage });
  }
  await db.$transaction([
    db.contact.update({ where: { id: contact.id }, data: { callPermission: "requested" } }),
    db.contactActivity.create({ data: { orgId: ctx.orgId, contactId, kind: "permission_requested", userId: ctx.userId } }),
  ]);
  return { state: "requested" };
}
