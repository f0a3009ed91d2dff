import type { z } from "zod";
import { withOrg } from "@/lib/api/handler";
import { deleteAsset, deletability, renameAsset, renameInput } from "@/lib/audio/manage";

type P = { id: string };
export const PATCH = withOrg<z.infer<typeof renameInput>, P>({ role: "admin", input: renameInput }, ({ orgId, params, input }) =>
  renameAsset(orgId, params.id, input),
);
export const DELETE = withOrg<undefined, P>({ role: "admin" }, async ({ orgId, params }) => {
  await deleteAsset(orgId, params.id);
  return { ok: true };
});
/** Whether the file can be deleted now (no flow or hold music plays it), and why not. */
export const GET = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => deletability(orgId, params.id));
