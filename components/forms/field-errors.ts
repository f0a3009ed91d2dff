// Turns the API's 422 `details` (zod's flattened errors) into plain-word messages per field.
// parseInput's own messages may start with the field's path ("name: …"); people never see that.

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } };
}

function stripPath(message: string, field: string): string {
  const plain = message.startsWith(field) && /^[\w.]+: /.test(message) ? message.replace(/^[\w.]+: /, "") : message;
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

export function fieldErrorsOf(body: ApiErrorBody | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(body?.error?.details?.fieldErrors ?? {})) {
    if (messages?.[0]) out[field] = stripPath(messages[0], field);
  }
  return out;
}

/** The message for the whole form: never a list of field codes. */
export function formErrorOf(body: ApiErrorBody | null, status: number, fieldsShown: boolean): string {
  if (fieldsShown) return "Please correct the marked fields.";
  const form = body?.error?.details?.formErrors?.[0];
  const message = form ?? body?.error?.message;
  if (!message) return `Something went wrong (HTTP ${status}). Please try again.`;
  return message.replace(/(^|; )[\w.]+: /g, "$1");
}
