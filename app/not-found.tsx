import { StatusPage } from "@/components/status-page";

export const metadata = { title: "Not found" };

// Addresses outside the admin sections (no session needed to say so).
export default function NotFound() {
  return (
    <main className="p-6">
      <StatusPage code={404} title="Page not found" backHref="/calls" backLabel="Go to calls">
        There is nothing at this address. Check the link and try again.
      </StatusPage>
    </main>
  );
}
