import type { ReactNode } from "react";
import { pageOrg } from "@/lib/auth/pages";

// Layout of the admin-only sections. The role check runs here, outside the page's loading skeleton
// (a Suspense boundary), so an agent is redirected to /forbidden with a real 307 before anything
// streams; a check inside a streamed page could only answer 200.
export default async function AdminOnlyLayout({ children }: { children: ReactNode }) {
  await pageOrg("admin");
  return children;
}
