import Link from "next/link";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="card max-w-md text-center">
        <p className="text-sm font-semibold text-red-600">403</p>
        <h1 className="mt-1 text-xl font-semibold">Admins only</h1>
        <p className="mt-2 text-sm text-slate-600">This section is for organisation admins. Ask an admin if you need access.</p>
        <Link href="/calls" className="btn-secondary mt-4">
          Back to calls
        </Link>
      </div>
    </main>
  );
}
