/** Limits of POST /v1/reports (contract §1). */
export const MAX_WIRE_BYTES = 32 * 1024 * 1024;
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;
export const MAX_JSON_DEPTH = 64;
/** the envelope's fields other than `report` (manifest, scope, tool, …), as JSON text */
export const MAX_ENVELOPE_FIELDS_BYTES = 2 * 1024 * 1024;
/** how far X-Bulwark-Timestamp may be from the server clock */
export const TIMESTAMP_TOLERANCE_S = 300;
/** how long a nonce is remembered per key (twice the timestamp tolerance, so a replay always meets it) */
export const NONCE_TTL_S = 600;
