import { isRealDateTime } from "@bulwark/schema";
import { z } from "zod";
import { validationError } from "../validation.js";
import { hasNul } from "./hygiene.js";

/**
 * Opaque keyset cursors: base64url of a JSON tuple of the last row's sort key. Timestamps travel as
 * microsecond-precision text from Postgres (a JS Date would drop the microseconds and skip or repeat rows).
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

export function decodeCursor<T extends z.ZodType>(raw: string, schema: T): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  // a forged cursor could carry text Postgres cannot hold (NUL) into the keyset comparison
  if (!parsed.success || hasNul(parsed.data)) {
    throw validationError([
      { location: "query.cursor", message: "malformed cursor (pass nextCursor back as given)" },
    ]);
  }
  return parsed.data;
}

/** Postgres timestamptz rendered by `to_char(… at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`. */
export const cursorTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .refine(isRealDateTime);
