"use client";
// On an older page of the call log the rows stay put; new calls only raise this notice.
import Link from "next/link";
import { useEffect, useState } from "react";
import { channels, events } from "@/lib/agents/contract";
import { onChannelEvent, type RealtimeConfig } from "../realtime/client";

export function NewCallsNotice({ realtime, orgId, newestHref }: { realtime: RealtimeConfig | null; orgId: string; newestHref: string }) {
  const [fresh, setFresh] = useState(false);
  useEffect(() => {
    if (!realtime) return;
    return onChannelEvent(realtime, channels.org(orgId), events.callChanged, () => setFresh(true));
  }, [realtime, orgId]);
  if (!fresh) return null;
  return (
    <p role="status" className="mb-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-800">
      New calls have come in.{" "}
      <Link href={newestHref} className="font-medium underline">
        Go to the newest
      </Link>
    </p>
  );
}
