import { LoginForm } from "@/components/login-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[]; ended?: string | string[] }> }) {
  const { callbackUrl, ended } = await searchParams;
  // Only a path on this site is ever followed after sign-in (see lib/auth/callback-url.ts).
  const target = safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : null);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">Ringflow</h1>
        <p className="mb-6 text-sm text-slate-500 dark:text-slate-400">Sign in to your organisation</p>
        {ended === "1" && (
          <p
            role="status"
            className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
          >
            You were signed out: your password was changed, or your access to the organisation ended. Sign in again to go on.
          </p>
        )}
        <LoginForm callbackUrl={target.startsWith("/login") ? "/calls" : target} />
      </div>
    </main>
  );
}
