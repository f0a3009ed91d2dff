import { LoginForm } from "@/components/login-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const { callbackUrl } = await searchParams;
  // Only a path on this site is ever followed after sign-in (see lib/auth/callback-url.ts).
  const target = safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : null);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">Ringflow</h1>
        <p className="mb-6 text-sm text-slate-500 dark:text-slate-400">Sign in to your organisation</p>
        <LoginForm callbackUrl={target.startsWith("/login") ? "/calls" : target} />
      </div>
    </main>
  );
}
