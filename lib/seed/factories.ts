// Small factories shared by the demo seed and the tests. Each takes the client to use.
import { randomBytes } from "node:crypto";
import { seal } from "../crypto";
import { hashPassword } from "../crypto/password";
import type { PrismaClient, Role } from "../db";
import { sampleFlowDocument } from "./sample-flow";

const uniq = () => randomBytes(4).toString("hex");
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");

export function createOrg(db: PrismaClient, data: { name?: string; callingEnabled?: boolean } = {}) {
  return db.organization.create({ data: { name: data.name ?? `Org ${uniq()}`, callingEnabled: data.callingEnabled ?? true } });
}

export async function createUser(db: PrismaClient, orgId: string, data: { email?: string; name?: string; password?: string; role?: Role } = {}) {
  const user = await db.user.create({
    data: {
      email: (data.email ?? `user-${uniq()}@example.test`).toLowerCase(),
      name: data.name ?? "Test User",
      passwordHash: await hashPassword(data.password ?? "password123"),
    },
  });
  await db.membership.create({ data: { orgId, userId: user.id, role: data.role ?? "agent" } });
  return user;
}

export async function createTeam(db: PrismaClient, orgId: string, name = `Team ${uniq()}`, memberIds: string[] = []) {
  return db.team.create({
    data: { orgId, name, members: { create: memberIds.map((userId) => ({ userId })) } },
  });
}

export function createAccount(
  db: PrismaClient,
  orgId: string,
  data: { name?: string; phoneNumberId?: string; displayPhone?: string; accessToken?: string; appSecret?: string; verifyToken?: string } = {},
) {
  return db.whatsAppAccount.create({
    data: {
      orgId,
      name: data.name ?? "Main number",
      phoneNumberId: data.phoneNumberId ?? digits(15),
      displayPhone: data.displayPhone ?? `1555${digits(7)}`,
      wabaId: digits(15),
      accessTokenEnc: seal(data.accessToken ?? `EAAG${uniq()}${uniq()}`),
      appSecretEnc: seal(data.appSecret ?? `secret-${uniq()}`),
      verifyToken: data.verifyToken ?? `verify-${uniq()}`,
    },
  });
}

export function createFlow(
  db: PrismaClient,
  orgId: string,
  data: { accountId?: string; name?: string; teamId?: string; active?: boolean; isCallStart?: boolean; document?: object } = {},
) {
  const document = data.document ?? sampleFlowDocument(data.teamId ?? "no-team");
  return db.ivrFlow.create({
    data: {
      orgId,
      accountId: data.accountId,
      name: data.name ?? "Main menu",
      active: data.active ?? true,
      isCallStart: data.isCallStart ?? true,
      draftDocument: document,
      publishedDocument: document,
      version: 1,
      publishedAt: new Date(),
      versions: { create: { number: 1, document } },
    },
  });
}
