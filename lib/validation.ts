// Parses input with a zod schema; failures become one AppError naming each field.
import { type ZodType, z } from "zod";
import { AppError } from "./errors";

export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const message = result.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    throw new AppError("validation_failed", message, z.flattenError(result.error as z.ZodError<unknown>));
  }
  return result.data;
}
