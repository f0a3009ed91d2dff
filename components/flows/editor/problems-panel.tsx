"use client";
// The validation list under the canvas (never on top of it): click a problem to go to its node.
import { useState } from "react";
import { issueText, type ValidationIssue } from "@/lib/ivr";

export function ProblemsPanel({ issues, onFocus }: { issues: ValidationIssue[]; onFocus: (nodeId: string) => void }) {
  const [open, setOpen] = useState(true);
  const errors = issues.filter((i) => i.severity === "error").length;
  const warnings = issues.length - errors;
  return (
    <section aria-label="Problems" className="shrink-0 border-t border-slate-200 bg-white text-xs dark:border-slate-700 dark:bg-slate-900">
      <div className="flex items-center gap-2 px-4 py-1.5">
        <p className={`font-semibold ${errors ? "text-red-700 dark:text-red-300" : ""}`}>
          {errors ? `${errors} ${errors === 1 ? "error" : "errors"}` : "No errors"}
          {warnings ? `, ${warnings} ${warnings === 1 ? "warning" : "warnings"}` : ""}
        </p>
        {issues.length > 0 && (
          <button type="button" className="ml-auto text-slate-600 hover:underline dark:text-slate-300" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? "Hide list" : "Show list"}
          </button>
        )}
      </div>
      {open && issues.length > 0 && (
        <ul className="max-h-20 overflow-y-auto px-4 pb-2">
          {issues.map((i) => (
            <li key={`${i.code}-${i.nodeId}-${i.edgeId}-${i.message}`}>
              <button
                type="button"
                className={`text-left hover:underline ${i.severity === "error" ? "text-red-700 dark:text-red-300" : "text-amber-700 dark:text-amber-300"}`}
                onClick={() => i.nodeId && onFocus(i.nodeId)}
              >
                {issueText(i)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
