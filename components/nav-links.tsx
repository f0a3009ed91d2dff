"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

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
  // Narrower than md the links fold behind a Menu button, which says where you are; a link closes it.
  // Open only on the page it was opened on: following a link folds it again.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const links = LINKS.filter((l) => isAdmin || (!l.adminOnly && (!("supervisor" in l) || isSupervisor)));
  const isHere = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const current = pathname === "/profile" ? { label: "Name and password" } : links.find((l) => isHere(l.href));
  return (
    <nav className="flex flex-col gap-1 p-3" aria-label="Main">
      <button
        type="button"
        className="btn-secondary justify-between md:hidden"
        aria-expanded={open}
        aria-controls="main-nav-links"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        <span>Menu{current ? ` · ${current.label}` : ""}</span>
        <span aria-hidden="true">{open ? "▲" : "▼"}</span>
      </button>
      <div id="main-nav-links" className={`${open ? "flex" : "hidden"} flex-col gap-1 md:flex`}>
        {links.map((l) => {
          const active = isHere(l.href);
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
      </div>
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
