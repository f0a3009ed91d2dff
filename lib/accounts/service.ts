// WhatsApp Business numbers of an organisation. Secrets are sealed here and never leave the server.
import type { z } from "zod";
import { seal, unseal } from "../crypto";
import { db, uniqueViolation } from "../db";
import { AppError, notFound } from "../errors";
import type { accountCreateInput, accountUpdateInput } from "./schema";

/** What browsers may see of an account: no secrets. */
export const publicAccountSelect = {
  id: true,
  name: true,
  phoneNumberId: true,
  displayPhone: true,
  wabaId: true,
  verifyToken: true,
  missedCallText: true,
  createdAt: true,
} as const;

export function listAccounts(orgId: string) {
  return db.whatsAppAccount.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: publicAccountSelect });
}

const VERIFY_TOKEN_TAKEN = "This verify token is already used by another WhatsApp number; choose a different one";

/** A unique index refused the write: say which field, as a 409 (never a 500). */
function duplicate(err: unknown): never {
  const index = uniqueViolation(err);
  if (index === null) throw err;
  if (/verify_?token/i.test(index)) throw new AppError("conflict", VERIFY_TOKEN_TAKEN, { field: "verifyToken" });
  throw new AppError("conflict", "This phone number ID is already connected to an organisation", { field: "phoneNumberId" });
}

/**
 * Meta's verification GET carries only the token, so it must name one account: a token another
 * number (of any organisation) already uses is refused. The unique index on verify_token settles
 * the race of two requests passing this check at once (see duplicate()).
 */
async function assertVerifyTokenFree(verifyToken: string | undefined, exceptId?: string) {
  if (!verifyToken) return;
  const other = await db.whatsAppAccount.findFirst({ where: { verifyToken, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
  if (other) throw new AppError("conflict", VERIFY_TOKEN_TAKEN, { field: "verifyToken" });
}

export async function createAccount(orgId: string, input: z.infer<typeof accountCreateInput>) {
  const { accessToken, appSecret, ...rest } = input;
  await assertVerifyTokenFree(rest.verifyToken);
  return db.whatsAppAccount
    .create({
      data: { ...rest, orgId, accessTokenEnc: seal(accessToken), appSecretEnc: seal(appSecret) },
      select: publicAccountSelect,
    })
    .catch(duplicate);
}

export async function updateAccount(orgId: string, id: string, input: z.infer<typeof accountUpdateInput>) {
  const existing = await db.whatsAppAccount.findFirst({ where: { id, orgId }, select: { id: true } });
  if (!existing) throw notFound("WhatsApp account");
  const { accessToken, appSecret, ...rest } = input;
  await assertVerifyTokenFree(rest.verifyToken, id);
  return db.whatsAppAccount
    .update({
      where: { id },
      data: {
        ...rest,
        ...(accessToken ? { accessTokenEnc: seal(accessToken) } : {}),
        ...(appSecret ? { appSecretEnc: seal(appSecret) } : {}),
      },
      select: publicAccountSelect,
    })
    .catch(duplicate);
}

export async function deleteAccount(orgId: string, id: string) {
  const { count } = await db.whatsAppAccount.deleteMany({ where: { id, orgId } });
  if (!count) throw notFound("WhatsApp account");
}

/** Server-side only: decrypted credentials for Graph API calls and webhook signatures. */
export async function accountSecrets(accountId: string) {
  const row = await db.whatsAppAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { accessTokenEnc: true, appSecretEnc: true },
  });
  return { accessToken: unseal(row.accessTokenEnc), appSecret: unseal(row.appSecretEnc) };
}
