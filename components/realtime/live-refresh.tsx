"use client";
// Re-renders the server page when the organisation's realtime channel reports a change (call-log
// rows, agent availability), and after the channel was subscribed again (events published while it was
// not are lost). Refreshes are coalesced so a burst of events costs one re-render.
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { channels } from "@/lib/agents/contract";
import { onChannelEvent, type RealtimeConfig } from "./client";

export function LiveRefresh({ realtime, orgId, events }: { realtime: RealtimeConfig | null; orgId: string; events: string[] }) {
  const router = useRouter();
  const eventKey = events.join(",");
  useEffect(() => {
    if (!realtime) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 250);
    };
    const offs = eventKey.split(",").map((e) => onChannelEvent(realtime, channels.org(orgId), e, refresh, refresh));
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [realtime, orgId, eventKey, router]);
  return null;
}
