import { hasPrompt, type Prompt } from "../document";
import type { NodeIssue } from "./node";

export function requirePrompt(prompt: Prompt | null | undefined, what = "prompt"): NodeIssue[] {
  return hasPrompt(prompt) ? [] : [{ severity: "error", message: `Choose an audio file or type TTS text for the ${what}` }];
}

export function promptSummary(prompt: Prompt | null | undefined): string {
  if (prompt?.text?.trim()) return `“${prompt.text.trim().slice(0, 60)}${prompt.text.trim().length > 60 ? "…" : ""}”`;
  if (prompt?.assetId) return "audio file";
  return "no prompt";
}
