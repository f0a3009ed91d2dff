// How a new offer gets the agent's attention: a short two-tone beep made with WebAudio (no audio
// file) and a browser notification when the agent has allowed them.
import type { Offer } from "@/lib/agents/contract";

let context: AudioContext | null = null;

/**
 * Browsers only let a page make sound after a user gesture; call this from one (e.g. choosing
 * "Available") so later beeps can play. Also asks for notification permission once.
 */
export function primeAlerts() {
  try {
    context ??= new AudioContext();
    void context.resume().catch(() => {});
  } catch {
    context = null;
  }
  if (typeof Notification !== "undefined" && Notification.permission === "default") {
    void Notification.requestPermission().catch(() => {});
  }
}

function beep() {
  if (context?.state !== "running") return;
  const start = context.currentTime;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    const t = start + i * 0.22;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
    osc.connect(gain).connect(context.destination);
    osc.start(t);
    osc.stop(t + 0.2);
  }
}

function notify(offer: Offer) {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  try {
    const who = offer.caller.name ? `${offer.caller.name} (${offer.caller.phone})` : offer.caller.phone;
    const n = new Notification(`Incoming call for ${offer.team.name}`, { body: who, tag: `ringflow-offer-${offer.transferId}` });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the beep and the card remain.
  }
}

export function alertOffer(offer: Offer) {
  beep();
  notify(offer);
}
