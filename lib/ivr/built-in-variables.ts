// Variables every call has from its start (lib/ivr/engine.ts sets them); a module of its own so the
// browser's call panel can read it without the IVR engine.
export const BUILT_IN_VARIABLES: ReadonlySet<string> = new Set(["caller_phone", "call_id"]);
