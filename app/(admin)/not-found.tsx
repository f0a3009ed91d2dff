import { StatusPage } from "@/components/status-page";

export default function AdminNotFound() {
  return (
    <StatusPage code={404} title="Page not found" backHref="/calls" backLabel="Back to calls">
      There is nothing at this address. Check the link, or pick a section from the sidebar.
    </StatusPage>
  );
}
