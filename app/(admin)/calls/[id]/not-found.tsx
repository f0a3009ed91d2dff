import Link from "next/link";

// An unknown call and a call this member may not see read the same (no hint that it exists).
export default function CallNotFound() {
  return (
    <div className="card mx-auto mt-10 max-w-md text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold">Call not found</h1>
      <p className="mt-2 text-sm text-slate-600">This call does not exist, or it is not one you can see. Agents see the calls they took and calls transferred to their teams.</p>
      <Link href="/calls" className="btn-secondary mt-4">
        Back to calls
      </Link>
    </div>
  );
}
