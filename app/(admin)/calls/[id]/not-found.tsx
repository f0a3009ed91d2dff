import { StatusPage } from "@/components/status-page";

// An unknown call and a call this member may not see read the same (no hint that it exists).
export default function CallNotFound() {
  return (
    <StatusPage code={404} title="Call not found" backHref="/calls" backLabel="Back to calls">
      This call does not exist, or it is not one you can see. Agents see the calls they took and calls transferred to their teams.
    </StatusPage>
  );
}
