// Public surface of the IVR module, shared by the media gateway, the editor and the CLI.
export * from "./document";
export { createSession, type SessionOptions, step } from "./engine";
export { NODE_SPECS, nodeSpec } from "./nodes";
export { handleLabel } from "./nodes/handle-labels";
export { type FieldDecl, fieldLabel, NODE_EDITORS, type NodeEditorSpec } from "./nodes/editor-fields";
export { isOpen, localTime, scheduleSchema } from "./schedule";
export { interpolate, templateVariables } from "./template";
export type * from "./types";
export { FlowInvalidError, issueText, parseExecutable, unusableAudioMessage, type ValidationIssue, type ValidationResult, validateFlow } from "./validate";
export { SimulatedCall, type SimulatedRequest } from "./simulator";
