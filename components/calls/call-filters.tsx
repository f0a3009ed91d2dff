"use client";
// The call-log filter form. It is a plain GET form (works without JavaScript, every filter lands
// in the URL); with JavaScript it drops empty fields so shared links stay short.
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { STATUS_TEXT } from "@/lib/calls/present-row";

type Option = { id: string; name: string };

export interface CallFilterValues {
  q?: string;
  status?: string;
  direction?: string;
  account?: string;
  flow?: string;
  agent?: string;
  team?: string;
  from?: string;
  to?: string;
}

// The filter's order: outcomes first, then the live states; words as the log shows them.
const STATUSES: [string, string][] = [
  ["completed", STATUS_TEXT.completed],
  ["missed", STATUS_TEXT.missed],
  ["no_agent_answered", "No agent answered"],
  ["rejected", STATUS_TEXT.rejected],
  ["failed", STATUS_TEXT.failed],
  ["ringing", STATUS_TEXT.ringing],
  ["answered", STATUS_TEXT.answered],
  ["transferring", STATUS_TEXT.transferring],
  ["on_hold", STATUS_TEXT.on_hold],
  ["initiating", STATUS_TEXT.initiating],
];

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
      {label}
      <select name={name} defaultValue={value ?? ""} className="input py-1.5">
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

const pairs = (xs: Option[]): [string, string][] => xs.map((x) => [x.id, x.name]);

export function CallFilters(props: { values: CallFilterValues; accounts: Option[]; flows: Option[]; agents: Option[]; teams: Option[] }) {
  const router = useRouter();
  const v = props.values;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const sp = new URLSearchParams();
    for (const [k, val] of new FormData(e.currentTarget)) if (typeof val === "string" && val.trim()) sp.set(k, val.trim());
    router.push(sp.size ? `/calls?${sp}` : "/calls");
  };
  // Keyed by the current values so back/forward (new URL, same component) shows that URL's filters.
  return (
    <form key={JSON.stringify(v)} method="get" action="/calls" onSubmit={onSubmit} aria-label="Filter calls" className="card mb-4 p-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-5">
        <label className="col-span-2 flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Search
          <input name="q" type="search" defaultValue={v.q ?? ""} placeholder="Phone number or contact name (start of it)" className="input py-1.5" />
        </label>
        <Select name="status" label="Status" value={v.status} options={STATUSES} />
        <Select
          name="direction"
          label="Direction"
          value={v.direction}
          options={[
            ["incoming", "Incoming"],
            ["outgoing", "Outgoing"],
          ]}
        />
        <Select name="account" label="WhatsApp number" value={v.account} options={pairs(props.accounts)} />
        <Select name="flow" label="IVR flow" value={v.flow} options={pairs(props.flows)} />
        <Select name="agent" label="Agent" value={v.agent} options={pairs(props.agents)} />
        <Select name="team" label="Team" value={v.team} options={pairs(props.teams)} />
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          From
          <input name="from" type="date" defaultValue={v.from ?? ""} className="input py-1.5" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          To
          <input name="to" type="date" defaultValue={v.to ?? ""} className="input py-1.5" />
        </label>
      </div>
      <div className="mt-3 flex items-center gap-3">
        <button type="submit" className="btn-primary py-1.5">
          Apply filters
        </button>
        <a href="/calls" className="text-sm text-slate-600 dark:text-slate-300 hover:underline">
          Clear
        </a>
      </div>
    </form>
  );
}
