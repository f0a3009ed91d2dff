import { notFound } from "next/navigation";
import { pageOrg } from "@/lib/auth/pages";

export const metadata = { title: "Not found" };

// Unknown addresses of a signed-in member get the 404 inside the admin layout, not a bare page.
export default async function Missing() {
  await pageOrg();
  notFound();
}
