// How a Call button anywhere on a page reaches the one call panel (in the sidebar): a window event
// the panel listens for, so the call goes through the panel's store like every other call.
import type { PlaceRequest } from "./controller";

export const PLACE_CALL_EVENT = "ringflow:place-call";

export function requestCall(req: PlaceRequest) {
  window.dispatchEvent(new CustomEvent<PlaceRequest>(PLACE_CALL_EVENT, { detail: req }));
}

export function onCallRequest(fn: (req: PlaceRequest) => void): () => void {
  const listener = (e: Event) => fn((e as CustomEvent<PlaceRequest>).detail);
  window.addEventListener(PLACE_CALL_EVENT, listener);
  return () => window.removeEventListener(PLACE_CALL_EVENT, listener);
}
