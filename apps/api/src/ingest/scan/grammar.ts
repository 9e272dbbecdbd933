/** The JSON grammar pieces shared by the tracked scanner (json-scanner.ts) and the fast skipper (skip.ts). */

export class ScanError extends Error {
  constructor(
    readonly kind: "syntax" | "depth" | "envelope",
    message: string,
  ) {
    super(message);
    this.name = "ScanError";
  }
}

export function syntaxError(c: number | null, at: number): ScanError {
  const what = c === null ? "end of input" : `byte 0x${c.toString(16).padStart(2, "0")}`;
  return new ScanError("syntax", `unexpected ${what} at offset ${at}`);
}

export function depthError(max: number): ScanError {
  return new ScanError("depth", `JSON nested deeper than ${max} levels`);
}

// states
export const VALUE = 0; // a value must start here
export const AFTER_VALUE = 1; // `,` or a closing bracket (or the end at depth 0)
export const OBJ_FIRST = 2; // after `{`: a key or `}`
export const KEY = 3; // after `,` in an object: a key
export const COLON = 4;
export const ARR_FIRST = 5; // after `[`: a value or `]`
export const STRING = 6;
export const ESCAPE = 7;
export const UNICODE = 8; // \uXXXX, `hexLeft` digits to go
export const NUMBER = 9; // inside a number
export const LITERAL = 10; // inside true/false/null
export const END = 11;

// number sub-states
export const N_MINUS = 0;
export const N_ZERO = 1;
export const N_INT = 2;
export const N_DOT = 3;
export const N_FRAC = 4;
export const N_E = 5;
export const N_ESIGN = 6;
export const N_EXP = 7;
/** numberStep: the byte is not part of the number (it ends before it) */
export const N_ENDED = -1;
/** numberStep: the byte makes the number invalid */
export const N_BAD = -2;

export const LITERALS = [Buffer.from("true"), Buffer.from("false"), Buffer.from("null")];

export function literalOf(c: number): Buffer | undefined {
  return c === 0x74 ? LITERALS[0] : c === 0x66 ? LITERALS[1] : c === 0x6e ? LITERALS[2] : undefined;
}

export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** A valid escape letter after a backslash (\u is handled apart). */
export function isEscape(c: number): boolean {
  return (
    c === 0x22 ||
    c === 0x5c ||
    c === 0x2f ||
    c === 0x62 ||
    c === 0x66 ||
    c === 0x6e ||
    c === 0x72 ||
    c === 0x74
  );
}

/** The state a number's first byte starts in. */
export function numberStart(c: number): number {
  return c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
}

/** Whether a number may end in this state (after digits, not after `-`, `.`, `e` or its sign). */
export function numberComplete(ns: number): boolean {
  return ns !== N_MINUS && ns !== N_DOT && ns !== N_E && ns !== N_ESIGN;
}

/** One byte of a number: the next sub-state, N_ENDED when the byte follows the number, N_BAD when invalid. */
export function numberStep(ns: number, c: number): number {
  const digit = c >= 0x30 && c <= 0x39;
  switch (ns) {
    case N_MINUS:
      return digit ? (c === 0x30 ? N_ZERO : N_INT) : N_BAD;
    case N_ZERO:
    case N_INT:
      if (digit) return ns === N_INT ? N_INT : N_BAD; // no leading zero
      if (c === 0x2e) return N_DOT;
      if (c === 0x65 || c === 0x45) return N_E;
      return N_ENDED;
    case N_DOT:
      return digit ? N_FRAC : N_BAD;
    case N_FRAC:
      if (digit) return N_FRAC;
      if (c === 0x65 || c === 0x45) return N_E;
      return N_ENDED;
    case N_E:
      if (c === 0x2b || c === 0x2d) return N_ESIGN;
      return digit ? N_EXP : N_BAD;
    case N_ESIGN:
      return digit ? N_EXP : N_BAD;
    default:
      return digit ? N_EXP : N_ENDED;
  }
}
