"use client";
// One ringing offer: who is calling, for which team, how long they have waited, what they did in the IVR.
import type { Offer } from "@/lib/agents/contract";
import { callerLabel, clock, pathSummary, variableEntries } from "./format";
import { PhoneIcon } from "./icons";

export function RingingCard({
  offer,
  now,
  canAccept,
  onAccept,
  onDecline,
}: {
  offer: Offer;
  now: number;
  canAccept: boolean;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const steps = pathSummary(offer.path);
  const vars = variableEntries(offer.variables);
  const waited = now - Date.parse(offer.waitingSince);
  return (
    <section
      aria-label={`Incoming call from ${callerLabel(offer.caller)}`}
      data-testid="ringing-card"
      data-transfer-id={offer.transferId}
      className="space-y-2 rounded-lg border border-brand-500/40 bg-brand-50/60 p-3"
    >
      <div className="flex items-start gap-2">
        <span className="mt-0.5 animate-pulse text-brand-600">
          <PhoneIcon />
        </span>
        <div className="min-w-0 flex-1">
          <p className="truncate font-semibold text-slate-900">{callerLabel(offer.caller)}</p>
          {offer.caller.name && <p className="truncate font-mono text-xs text-slate-600">+{offer.caller.phone}</p>}
        </div>
        <span className="shrink-0 text-right text-xs text-slate-600">
          <span className="block font-medium text-slate-700">{offer.team.name}</span>
          <span className="font-mono tabular-nums">
            <span className="sr-only">Waiting </span>
            {Number.isFinite(waited) ? clock(waited) : ""}
          </span>
        </span>
      </div>
      {steps.length > 0 && (
        <ol aria-label="IVR path" className="flex flex-wrap gap-x-1 text-xs text-slate-600">
          {steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the path is an append-only log; a node can appear twice
            <li key={`${offer.path[i]?.nodeId}-${i}`}>
              {i > 0 && (
                <span aria-hidden="true" className="mr-1 text-slate-400">
                  →
                </span>
              )}
              {s}
            </li>
          ))}
        </ol>
      )}
      {vars.length > 0 && (
        <dl aria-label="Variables" className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
          {vars.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium text-slate-500">{k}:</dt>
              <dd className="truncate text-slate-800" title={v}>
                {v}
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className="flex gap-2 pt-1">
        <button
          type="button"
          onClick={onAccept}
          disabled={!canAccept}
          title={canAccept ? undefined : "Finish your current call first"}
          className="inline-flex flex-1 items-center justify-center gap-1.5 rounded-md bg-green-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-green-700 disabled:opacity-50"
        >
          <PhoneIcon />
          Accept
        </button>
        <button type="button" onClick={onDecline} className="btn-secondary flex-1">
          Decline
        </button>
      </div>
    </section>
  );
}
