"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/calls", label: "Calls", adminOnly: false },
  { href: "/contacts", label: "Contacts", adminOnly: false },
  { href: "/callbacks", label: "Callbacks", adminOnly: false },
  { href: "/board", label: "Board", adminOnly: false, supervisor: true },
  { href: "/analytics", label: "Analytics", adminOnly: true },
  { href: "/flows", label: "IVR Flows", adminOnly: true },
  { href: "/teams", label: "Teams", adminOnly: true },
  { href: "/people", label: "People", adminOnly: true },
  { href: "/accounts", label: "WhatsApp Accounts", adminOnly: true },
  { href: "/settings/calling", label: "Organization › Calling", adminOnly: true },
];

export function NavLinks({ isAdmin, isSupervisor = false }: { isAdmin: boolean; isSupervisor?: boolean }) {
  const pathname = usePathname();
  return (
    <nav className="flex flex-col gap-1 p-3" aria-label="Main">
      {LINKS.filter((l) => isAdmin || (!l.adminOnly && (!("supervisor" in l) || isSupervisor))).map((l) => {
        const active = pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 dark:bg-brand-700/20 text-brand-700 dark:text-brand-500" : "text-slate-600 dark:text-slate-300 hover:bg-slate-100 dark:hover:bg-slate-800"}`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}

/** The account box's link to /profile, marked as the current page there like the main links. */
export function ProfileLink() {
  const active = usePathname() === "/profile";
  return (
    <Link
      href="/profile"
      aria-current={active ? "page" : undefined}
      className={`mb-2 block underline ${active ? "font-medium text-brand-700 dark:text-brand-500" : "text-slate-700 hover:text-brand-700 dark:text-slate-200 dark:hover:text-white"}`}
    >
      Name and password
    </Link>
  );
}
