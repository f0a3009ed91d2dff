// The call card docks over the bottom-right of the page. While it is there, the page gets room below
// its content as tall as the card, so the rows under it can be scrolled out from beneath it.
import { type RefObject, useEffect } from "react";

export function useDockRoom(card: RefObject<HTMLElement | null>, open: boolean) {
  useEffect(() => {
    const el = card.current;
    if (!open || !el) return;
    const root = document.documentElement;
    const measure = () => root.style.setProperty("--call-dock-height", `${Math.ceil(el.getBoundingClientRect().height)}px`);
    measure();
    root.dataset.callDock = "open";
    const watch = new ResizeObserver(measure);
    watch.observe(el);
    return () => {
      watch.disconnect();
      delete root.dataset.callDock;
      root.style.removeProperty("--call-dock-height");
    };
  }, [card, open]);
}
