"use client";
// Places an outgoing call through the call panel (which shows ringing, the call and the wrap-up).
import { requestCall } from "@/components/call-panel/place-call";
import { PhoneIcon } from "@/components/call-panel/icons";

export function CallButton({
  contactId,
  accountId,
  contact,
  callbackTaskId,
  label = "Call",
  disabled,
}: {
  contactId: string;
  accountId: string;
  contact: { phone: string; name: string | null };
  callbackTaskId?: string;
  label?: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={() => requestCall({ contactId, accountId, callbackTaskId, contact })}
      className="inline-flex items-center gap-1.5 rounded-md bg-green-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-green-700 disabled:opacity-50"
    >
      <PhoneIcon />
      {label}
    </button>
  );
}
