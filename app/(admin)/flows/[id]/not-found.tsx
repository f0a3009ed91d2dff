import { StatusPage } from "@/components/status-page";

export default function FlowNotFound() {
  return (
    <StatusPage code={404} title="Flow not found" backHref="/flows" backLabel="Back to IVR flows">
      This flow does not exist in this organisation. It may have been deleted, or the link belongs to another organisation.
    </StatusPage>
  );
}
