// Saving the draft and publishing it, with the message the editor shows about the document it was about.
import { type Dispatch, type MutableRefObject, useState } from "react";
import type { DraftDocument } from "@/lib/ivr";
import { apiCall } from "../../api-client";
import type { EditorAction, EditorState } from "./editor-state";

export type Message = { kind: "ok" | "error"; text: string; doc: DraftDocument };

export function useSavePublish(
  flowId: string,
  publishedVersion: number,
  /** The saved draft differs from the published version (as the page loaded). */
  savedUnpublished: boolean,
  stateRef: MutableRefObject<EditorState>,
  dispatch: Dispatch<EditorAction>,
) {
  const [version, setVersion] = useState(publishedVersion);
  const [unpublished, setUnpublished] = useState(savedUnpublished);
  const [message, setMessage] = useState<Message | null>(null);

  /** Saves the document as it is now; true when the server took it. */
  async function save() {
    const saving = stateRef.current.doc;
    try {
      const res = await apiCall(`/api/flows/${flowId}/draft`, "PUT", { document: saving });
      dispatch({ type: "saved", doc: saving });
      setUnpublished(res.unpublished === true);
      const errors = (res.issues as { severity: string }[]).filter((i) => i.severity === "error").length;
      setMessage({
        kind: "ok",
        text: errors ? `Draft saved with ${errors} ${errors === 1 ? "error" : "errors"} to fix before publishing.` : "Draft saved.",
        doc: saving,
      });
      return true;
    } catch (err) {
      setMessage({ kind: "error", text: (err as Error).message, doc: saving });
      return false;
    }
  }

  async function publish() {
    if (!(await save())) return;
    const published = stateRef.current.doc;
    try {
      const res = await apiCall(`/api/flows/${flowId}/publish`, "POST");
      setVersion(res.version);
      setUnpublished(false);
      setMessage({ kind: "ok", text: `Published version ${res.version}.`, doc: published });
    } catch (err) {
      // The draft was saved above: say so, so nobody thinks the changes went with the failed publish.
      setMessage({ kind: "error", text: `Draft saved, not published: ${(err as Error).message}`, doc: published });
    }
  }

  return { version, unpublished, message, save, publish };
}
