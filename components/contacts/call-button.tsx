"use client";
// Places an outgoing call through the call panel (which shows ringing, the call and the wrap-up). A
// refusal shows where the agent is looking: with `onRefused` the page shows it (the contact page has
// its own alert), else a line of its own at the end of the button's row, with the way to ask for permission.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { requestCall } from "@/components/call-panel/place-call";
import { PhoneIcon } from "@/components/call-panel/icons";

export function CallButton({
  contactId,
  accountId,
  contact,
  callbackTaskId,
  label = "Call",
  disabled,
  onRefused,
}: {
  contactId: string;
  accountId: string;
  contact: { phone: string; name: string | null };
  callbackTaskId?: string;
  label?: string;
  disabled?: boolean;
  onRefused?: (message: string) => void;
}) {
  const router = useRouter();
  const [refusal, setRefusal] = useState<{ message: string; needsPermission: boolean } | null>(null);
  const refused = (message: string, code: string | null) => {
    if (onRefused) onRefused(message);
    else setRefusal({ message, needsPermission: code === "permission_required" });
    // Placing the call asked Meta for the permission again: the page's badge shows what it said.
    router.refresh();
  };
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        onClick={() => {
          setRefusal(null);
          requestCall({ contactId, accountId, callbackTaskId, contact, onRefused: refused });
        }}
        className="inline-flex items-center gap-1.5 rounded-md bg-green-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-green-700 disabled:opacity-50"
      >
        <PhoneIcon />
        {label}
      </button>
      {refusal && (
        <p role="alert" data-testid="call-refused" className="order-last basis-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {refusal.message}
          {refusal.needsPermission && (
            <>
              {" "}
              <Link href={`/contacts/${contactId}`} className="font-medium underline">
                Open the contact to ask
              </Link>
            </>
          )}
        </p>
      )}
    </>
  );
}
