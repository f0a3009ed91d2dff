import { StatusPage } from "@/components/status-page";

// Rendered (with HTTP 403) wherever an admin page calls forbidden(); see lib/auth/pages.ts.
export default function Forbidden() {
  return (
    <StatusPage code={403} title="Admins only" backHref="/calls" backLabel="Back to calls">
      This section is for organisation admins (the live board also for team supervisors). Ask an admin if you need access.
    </StatusPage>
  );
}
