import { saveNotes } from "@/lib/agents/call-control";
import { notesInput } from "@/lib/agents/contract";
import { withOrg } from "@/lib/api/handler";

type P = { id: string };
export const POST = withOrg<{ notes: string }, P>({ input: notesInput }, (ctx) => saveNotes(ctx, ctx.params.id, ctx.input.notes));
