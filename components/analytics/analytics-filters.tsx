"use client";
// The analytics filter: a plain GET form (every filter lands in the URL); empty fields are dropped.
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";

type Option = { id: string; name: string };
export interface AnalyticsFilterValues {
  from: string;
  to: string;
  account?: string;
  flow?: string;
  team?: string;
  grain: string;
}

const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300";
const input = "input py-1.5 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";

function Select({ name, text, value, options }: { name: string; text: string; value?: string; options: Option[] }) {
  return (
    <label className={label}>
      {text}
      <select name={name} defaultValue={value ?? ""} className={input}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AnalyticsFilters(props: { values: AnalyticsFilterValues; accounts: Option[]; flows: Option[]; teams: Option[] }) {
  const router = useRouter();
  const v = props.values;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const sp = new URLSearchParams();
    for (const [k, val] of new FormData(e.currentTarget)) if (typeof val === "string" && val.trim()) sp.set(k, val.trim());
    router.push(sp.size ? `/analytics?${sp}` : "/analytics");
  };
  return (
    <form
      key={JSON.stringify(v)}
      method="get"
      action="/analytics"
      onSubmit={onSubmit}
      aria-label="Filter analytics"
      className="card mb-4 p-4 dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <label className={label}>
          From
          <input name="from" type="date" defaultValue={v.from} className={input} />
        </label>
        <label className={label}>
          To
          <input name="to" type="date" defaultValue={v.to} className={input} />
        </label>
        <Select name="account" text="WhatsApp number" value={v.account} options={props.accounts} />
        <Select name="flow" text="IVR flow" value={v.flow} options={props.flows} />
        <Select name="team" text="Team" value={v.team} options={props.teams} />
        <label className={label}>
          Calls per
          <select name="grain" defaultValue={v.grain} className={input}>
            <option value="day">Day</option>
            <option value="hour">Hour</option>
          </select>
        </label>
      </div>
      <div className="mt-3 flex items-center gap-3">
        <button type="submit" className="btn-primary py-1.5">
          Apply filters
        </button>
        <a href="/analytics" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
          Last 30 days
        </a>
      </div>
    </form>
  );
}
