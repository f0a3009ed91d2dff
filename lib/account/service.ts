// A person's own account (not an organisation's business): the name their colleagues see and their
// password. Changing the password signs out every other session of the account (lib/auth/session.ts
// compares each session's sign-in time with `passwordChangedAt`); wrong current passwords count
// against the same limits as failed sign-ins.
import { assertSignInAllowed, checkPassword, recordSignInFailure, recordSignInSuccess, SignInThrottled } from "../auth/sign-in-guard";
import { hashPassword } from "../crypto/password";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import type { PasswordChangeInput, ProfileInput } from "./schema";

export async function renameSelf(userId: string, input: ProfileInput): Promise<{ id: string; name: string }> {
  const updated = await db.user.updateMany({ where: { id: userId }, data: { name: input.name } });
  if (updated.count === 0) throw notFound("Account");
  return { id: userId, name: input.name };
}

const wrongPassword = () =>
  new AppError("validation_failed", "currentPassword: The current password is not right", {
    formErrors: [],
    fieldErrors: { currentPassword: ["The current password is not right"] },
  });

/** Returns when the password changed: sessions signed in before then are signed out. */
export async function changePassword(userId: string, input: PasswordChangeInput, address: string): Promise<{ changedAt: Date }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user) throw notFound("Account");
  try {
    await assertSignInAllowed(user.email, address);
  } catch (err) {
    if (err instanceof SignInThrottled) throw new AppError("rate_limited", err.message);
    throw err;
  }
  if (!(await checkPassword(input.currentPassword, user.passwordHash))) {
    await recordSignInFailure(user.email, address);
    throw wrongPassword();
  }
  // Only if nobody changed it meanwhile (two tabs): the hash just checked is still the one stored.
  const changed = await setPassword(userId, input.newPassword, user.passwordHash);
  if (!changed) throw new AppError("conflict", "Your password was just changed elsewhere; sign in again with the new one");
  return changed;
}

/**
 * Stores a new password (when given, only over the hash `ifHash`), signs out every session signed in
 * before now and clears the account's failed sign-ins (someone locked out by a forgotten password
 * gets in with the new one at once). Null when the account is gone or its hash moved meanwhile.
 */
export async function setPassword(userId: string, password: string, ifHash?: string): Promise<{ changedAt: Date } | null> {
  const passwordHash = await hashPassword(password);
  const changedAt = new Date();
  const updated = await db.user.updateManyAndReturn({
    where: { id: userId, ...(ifHash ? { passwordHash: ifHash } : {}) },
    data: { passwordHash, passwordChangedAt: changedAt },
    select: { email: true },
  });
  if (!updated[0]) return null;
  await recordSignInSuccess(updated[0].email);
  return { changedAt };
}
