import { forbidden } from "next/navigation";
import { pageOrg } from "@/lib/auth/pages";

export const metadata = { title: "Not allowed" };

// Where a member lands after asking for an admin page: the admin layout around a real 403.
export default async function ForbiddenPage() {
  await pageOrg();
  forbidden();
}
