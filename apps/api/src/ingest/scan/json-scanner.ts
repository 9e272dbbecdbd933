/**
 * A validating, streaming JSON scanner for the ingestion envelope. It reads the body in chunks, never builds
 * the document, and keeps only what admission needs:
 * - the grammar is checked completely (a body the worker could not JSON.parse is refused now, with 400);
 * - nesting deeper than `maxDepth` is refused (413) before anything walks the document;
 * - the envelope's members other than `report` are kept as raw JSON text (bounded) for zod validation;
 * - the type of `report` (object or array);
 * - for Kubernetes Lists inside `report` (`items`, nested Lists, a bare array of objects): the byte ranges of
 *   every value under a Secret's `data` / `stringData` and of its last-applied-configuration annotation, so
 *   that they can be blanked before the payload is stored (a mesh-config upload never stores Secret values).
 * Memory: the open containers (≤ maxDepth frames), the envelope members (≤ maxEnvelopeBytes) and the Secret
 * ranges found, whatever the size of the report.
 */

export class ScanError extends Error {
  constructor(
    readonly kind: "syntax" | "depth" | "envelope",
    message: string,
  ) {
    super(message);
    this.name = "ScanError";
  }
}

// states
const VALUE = 0; // a value must start here
const AFTER_VALUE = 1; // `,` or a closing bracket (or the end at depth 0)
const OBJ_FIRST = 2; // after `{`: a key or `}`
const KEY = 3; // after `,` in an object: a key
const COLON = 4;
const ARR_FIRST = 5; // after `[`: a value or `]`
const STRING = 6;
const ESCAPE = 7;
const UNICODE = 8; // \uXXXX, `hexLeft` digits to go
const NUMBER = 9; // inside a number; `numState` says where
const LITERAL = 10; // inside true/false/null
const END = 11;

// number sub-states
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_E = 5;
const N_ESIGN = 6;
const N_EXP = 7;

// frame roles
const R_NONE = 0;
const R_ENVELOPE = 1;
const R_REPORT = 2; // the report object: its `items` is a List
const R_ITEMS = 3; // an array whose object elements are Kubernetes objects
const R_ITEM = 4; // a Kubernetes object of a List
const R_METADATA = 5; // an item's metadata
const R_SECRET_VALUES = 6; // an item's data / stringData: every member value is a candidate
const R_ANNOTATIONS = 7; // an item's annotations: the last-applied-configuration value is a candidate

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const MAX_KEY_BYTES = 256;
const EMPTY_STRING_LEN = 2; // `""`

interface Frame {
  array: boolean;
  role: number;
  /** the key being read or whose value is being read (frames that track keys only) */
  key: string | null;
  /** R_ITEM: the object's `kind`; candidate ranges committed when it is a Secret */
  kind: string | null;
  candidates: number[] | null;
  /** the owning R_ITEM frame (for data/annotations frames) */
  item: Frame | null;
  /** a member value whose range is wanted started here (absolute offset), or -1 */
  pendingStart: number;
  /** envelope members: the value's raw bytes are being captured */
  capturing: boolean;
}

const LITERALS = [Buffer.from("true"), Buffer.from("false"), Buffer.from("null")];

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

export interface ScanOptions {
  maxDepth: number;
  /** bound on the captured envelope members (everything but `report`) */
  maxEnvelopeBytes: number;
}

export interface ScanSummary {
  /** raw JSON text of each top-level member but `report` (the last one of a repeated key, as JSON.parse) */
  members: Map<string, Buffer>;
  reportType: "object" | "array" | "other" | null;
  /** [start, end) pairs of values to blank: Secret data / stringData values and last-applied annotations */
  secretRanges: number[];
  bytes: number;
}

export class JsonScanner {
  private state = VALUE;
  private cur: Uint8Array = new Uint8Array(0);
  private stack: Frame[] = [];
  private offset = 0; // bytes before the current chunk
  private numState = N_MINUS;
  private hexLeft = 0;
  private literal: Buffer = LITERALS[0] as Buffer;
  private literalPos = 0;
  /** string being collected (a tracked key or an item's kind), null when the string is not needed */
  private strParts: Buffer[] | null = null;
  private strLen = 0;
  private strIsKey = false;
  /** envelope member capture */
  private captureParts: Buffer[] = [];
  private captureStart = -1; // offset in the current chunk where capture resumes, -1 when not capturing
  private captureKey: string | null = null;
  private captured = 0;
  private readonly summary: ScanSummary = {
    members: new Map(),
    reportType: null,
    secretRanges: [],
    bytes: 0,
  };

  // fast skip mode: an untracked subtree (most of a report), validated with local state only
  private fdepth = 0;
  private ftypes: Uint8Array;
  private fstate = VALUE;
  private fkey = false;

  constructor(private readonly opts: ScanOptions) {
    this.ftypes = new Uint8Array(opts.maxDepth + 2);
  }

  /**
   * Validate an untracked subtree from `i`; returns the index after its closing bracket (fdepth back to 0)
   * or `n` when the chunk ends inside it. Same grammar as the tracked path, without hooks or allocations.
   */
  private skip(buf: Uint8Array, i: number, n: number): number {
    let st = this.fstate;
    let d = this.fdepth;
    const types = this.ftypes;
    const base = this.stack.length;
    const max = this.opts.maxDepth;
    try {
      while (i < n) {
        let c = buf[i] as number;
        if (st === STRING) {
          while (c !== 0x22 && c !== 0x5c && c >= 0x20) {
            if (++i >= n) return n;
            c = buf[i] as number;
          }
          if (c < 0x20) throw this.syntax(c, this.offset + i);
          i++;
          if (c === 0x5c) st = ESCAPE;
          else st = this.fkey ? COLON : AFTER_VALUE;
          continue;
        }
        if (st <= ARR_FIRST && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) {
          i++;
          continue;
        }
        switch (st) {
          case VALUE:
          case ARR_FIRST:
            if (c === 0x22) {
              st = STRING;
              this.fkey = false;
            } else if (c === 0x7b || c === 0x5b) {
              if (base + d + 1 > max) throw new ScanError("depth", `JSON nested deeper than ${max} levels`);
              types[d++] = c === 0x5b ? 1 : 0;
              st = c === 0x5b ? ARR_FIRST : OBJ_FIRST;
            } else if (c === 0x5d && st === ARR_FIRST) {
              if (--d === 0) return i + 1;
              st = AFTER_VALUE;
            } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
              st = NUMBER;
              this.numState = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
            } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
              this.literal = (c === 0x74 ? LITERALS[0] : c === 0x66 ? LITERALS[1] : LITERALS[2]) as Buffer;
              this.literalPos = 1;
              st = LITERAL;
            } else throw this.syntax(c, this.offset + i);
            i++;
            break;
          case AFTER_VALUE:
            if (c === 0x2c) st = types[d - 1] === 1 ? VALUE : KEY;
            else if (c === (types[d - 1] === 1 ? 0x5d : 0x7d)) {
              if (--d === 0) return i + 1;
            } else throw this.syntax(c, this.offset + i);
            i++;
            break;
          case OBJ_FIRST:
          case KEY:
            if (c === 0x22) {
              st = STRING;
              this.fkey = true;
            } else if (c === 0x7d && st === OBJ_FIRST) {
              if (--d === 0) return i + 1;
              st = AFTER_VALUE;
            } else throw this.syntax(c, this.offset + i);
            i++;
            break;
          case COLON:
            if (c !== 0x3a) throw this.syntax(c, this.offset + i);
            st = VALUE;
            i++;
            break;
          case ESCAPE:
            if (c === 0x75) {
              st = UNICODE;
              this.hexLeft = 4;
            } else if (
              c === 0x22 ||
              c === 0x5c ||
              c === 0x2f ||
              c === 0x62 ||
              c === 0x66 ||
              c === 0x6e ||
              c === 0x72 ||
              c === 0x74
            ) {
              st = STRING;
            } else throw this.syntax(c, this.offset + i);
            i++;
            break;
          case UNICODE:
            if (!isHex(c)) throw this.syntax(c, this.offset + i);
            if (--this.hexLeft === 0) st = STRING;
            i++;
            break;
          case NUMBER:
            if (this.number(c, this.offset + i)) i++;
            else {
              const ns = this.numState;
              if (ns === N_MINUS || ns === N_DOT || ns === N_E || ns === N_ESIGN)
                throw this.syntax(c, this.offset + i);
              st = AFTER_VALUE; // reprocess this byte
            }
            break;
          case LITERAL:
            if (c !== this.literal[this.literalPos]) throw this.syntax(c, this.offset + i);
            i++;
            if (++this.literalPos === this.literal.length) st = AFTER_VALUE;
            break;
          default:
            throw this.syntax(c, this.offset + i);
        }
      }
      return n;
    } finally {
      this.fstate = st;
      this.fdepth = d;
    }
  }

  private syntax(c: number | null, at: number): ScanError {
    const what = c === null ? "end of input" : `byte 0x${c.toString(16).padStart(2, "0")}`;
    return new ScanError("syntax", `unexpected ${what} at offset ${at}`);
  }

  /** Feed the next chunk of the (decompressed) body. */
  write(buf: Uint8Array): void {
    this.cur = buf;
    const n = buf.length;
    let i = 0;
    if (this.captureStart === -2) this.captureStart = 0; // capture continues from the chunk start
    while (i < n) {
      if (this.fdepth > 0) {
        i = this.skip(buf, i, n);
        if (this.fdepth === 0) this.valueEnded(this.offset + i);
        continue;
      }
      const state = this.state;
      if (state === STRING) {
        // fast path: most of a report is string content
        const start = i;
        let c = 0;
        while (i < n) {
          c = buf[i] as number;
          if (c === 0x22 || c === 0x5c || c < 0x20) break;
          i++;
        }
        if (this.strParts && i > start) this.collect(buf, start, i);
        if (i >= n) break;
        if (c < 0x20) throw this.syntax(c, this.offset + i);
        if (c === 0x5c) {
          if (this.strParts) this.collect(buf, i, i + 1);
          this.state = ESCAPE;
          i++;
          continue;
        }
        // closing quote
        i++;
        this.endString(this.offset + i);
        continue;
      }
      const c = buf[i] as number;
      switch (state) {
        case ESCAPE: {
          if (this.strParts) this.collect(buf, i, i + 1);
          if (c === 0x75) {
            this.state = UNICODE;
            this.hexLeft = 4;
          } else if (
            c === 0x22 ||
            c === 0x5c ||
            c === 0x2f ||
            c === 0x62 ||
            c === 0x66 ||
            c === 0x6e ||
            c === 0x72 ||
            c === 0x74
          ) {
            this.state = STRING;
          } else throw this.syntax(c, this.offset + i);
          i++;
          break;
        }
        case UNICODE: {
          if (!isHex(c)) throw this.syntax(c, this.offset + i);
          if (this.strParts) this.collect(buf, i, i + 1);
          if (--this.hexLeft === 0) this.state = STRING;
          i++;
          break;
        }
        case NUMBER: {
          if (this.number(c, this.offset + i)) i++;
          else this.endScalar(this.offset + i); // reprocess this byte after the number
          break;
        }
        case LITERAL: {
          if (c !== this.literal[this.literalPos]) throw this.syntax(c, this.offset + i);
          i++;
          if (++this.literalPos === this.literal.length) this.endScalar(this.offset + i);
          break;
        }
        default: {
          if (isWs(c)) {
            i++;
            break;
          }
          this.structural(c, i);
          i++;
        }
      }
    }
    if (this.captureStart >= 0) {
      this.appendCapture(buf.subarray(this.captureStart, n));
      this.captureStart = -2;
    }
    this.offset += n;
  }

  /** The input ended: the document must be complete. */
  end(): ScanSummary {
    if (this.state !== END || this.fdepth > 0) throw this.syntax(null, this.offset);
    this.summary.bytes = this.offset;
    return this.summary;
  }

  private collect(buf: Uint8Array, from: number, to: number): void {
    const parts = this.strParts as Buffer[];
    this.strLen += to - from;
    if (this.strLen > MAX_KEY_BYTES) {
      this.strParts = null; // too long to be a key or a kind this scanner looks for
      this.strOverlong = true;
      return;
    }
    parts.push(Buffer.from(buf.subarray(from, to)));
  }

  private strOverlong = false;

  private decodeCollected(): string | null {
    if (this.strOverlong || !this.strParts) return null;
    try {
      return JSON.parse(`"${Buffer.concat(this.strParts).toString("utf8")}"`) as string;
    } catch {
      return null;
    }
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private structural(c: number, i: number): void {
    const at = this.offset + i;
    switch (this.state) {
      case VALUE:
      case ARR_FIRST: {
        if (this.state === ARR_FIRST && c === 0x5d) {
          this.close(true, at + 1);
          return;
        }
        this.startValue(c, i, at);
        return;
      }
      case OBJ_FIRST:
      case KEY: {
        if (this.state === OBJ_FIRST && c === 0x7d) {
          this.close(false, at + 1);
          return;
        }
        if (c !== 0x22) throw this.syntax(c, at);
        this.startString(true);
        return;
      }
      case COLON: {
        if (c !== 0x3a) throw this.syntax(c, at);
        this.state = VALUE;
        return;
      }
      case AFTER_VALUE: {
        const f = this.top();
        if (!f) throw this.syntax(c, at);
        if (c === 0x2c) {
          this.state = f.array ? VALUE : KEY;
          return;
        }
        if (c === (f.array ? 0x5d : 0x7d)) {
          this.close(f.array, at + 1);
          return;
        }
        throw this.syntax(c, at);
      }
      default:
        throw this.syntax(c, at);
    }
  }

  /** The role a value starting here takes, from its parent frame and key. */
  private childRole(container: "object" | "array" | "scalar", isString: boolean): number {
    const parent = this.top();
    if (!parent) return container === "object" ? R_ENVELOPE : R_NONE;
    switch (parent.role) {
      case R_ENVELOPE:
        if (parent.key === "report") {
          this.summary.reportType = container === "scalar" ? "other" : container;
          return container === "object" ? R_REPORT : container === "array" ? R_ITEMS : R_NONE;
        }
        return R_NONE;
      case R_REPORT:
        return parent.key === "items" && container === "array" ? R_ITEMS : R_NONE;
      case R_ITEMS:
        return container === "object" ? R_ITEM : R_NONE;
      case R_ITEM:
        if (container === "scalar" && isString && parent.key === "kind") return R_ITEM; // capture the kind
        if (container === "object" && (parent.key === "data" || parent.key === "stringData"))
          return R_SECRET_VALUES;
        if (container === "object" && parent.key === "metadata") return R_METADATA;
        if (container === "array" && parent.key === "items") return R_ITEMS;
        return R_NONE;
      case R_METADATA:
        return container === "object" && parent.key === "annotations" ? R_ANNOTATIONS : R_NONE;
      default:
        return R_NONE;
    }
  }

  private startValue(c: number, i: number, at: number): void {
    const parent = this.top();
    // a member value whose byte range is wanted (Secret values, last-applied annotation, envelope members)
    if (parent) {
      if (parent.role === R_SECRET_VALUES || (parent.role === R_ANNOTATIONS && parent.key === LAST_APPLIED)) {
        parent.pendingStart = at;
      } else if (parent.role === R_ENVELOPE && parent.key !== "report") {
        parent.capturing = true;
        this.captureKey = parent.key;
        this.captureParts = [];
        this.captureStart = i;
      }
    }
    if (this.stack.length === 0 && c !== 0x7b)
      throw new ScanError("syntax", "the body must be a JSON object (the envelope)");
    if (c === 0x7b || c === 0x5b) {
      const array = c === 0x5b;
      if (this.stack.length >= this.opts.maxDepth)
        throw new ScanError("depth", `JSON nested deeper than ${this.opts.maxDepth} levels`);
      const role = this.childRole(array ? "array" : "object", false);
      if (role === R_NONE) {
        // nothing inside is tracked: validate it in the fast skip mode
        this.fdepth = 1;
        this.ftypes[0] = array ? 1 : 0;
        this.fstate = array ? ARR_FIRST : OBJ_FIRST;
        return;
      }
      const item = role === R_ITEM ? null : role >= R_METADATA ? (parent?.item ?? parent ?? null) : null;
      const frame: Frame = {
        array,
        role,
        key: null,
        kind: null,
        candidates: role === R_ITEM ? [] : null,
        item,
        pendingStart: -1,
        capturing: false,
      };
      if (role === R_ITEM) frame.item = frame;
      this.stack.push(frame);
      this.state = array ? ARR_FIRST : OBJ_FIRST;
      return;
    }
    if (c === 0x22) {
      const role = this.childRole("scalar", true);
      this.startString(false, role === R_ITEM);
      return;
    }
    this.childRole("scalar", false);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.state = NUMBER;
      this.numState = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
      return;
    }
    const lit = c === 0x74 ? LITERALS[0] : c === 0x66 ? LITERALS[1] : c === 0x6e ? LITERALS[2] : undefined;
    if (!lit) throw this.syntax(c, at);
    this.literal = lit;
    this.literalPos = 1;
    this.state = LITERAL;
  }

  private startString(isKey: boolean, captureValue = false): void {
    const f = this.top();
    const wantKey = isKey && f !== undefined && f.role !== R_NONE && f.role !== R_SECRET_VALUES;
    this.strIsKey = isKey;
    this.strOverlong = false;
    this.strLen = 0;
    this.strParts = wantKey || captureValue ? [] : null;
    this.state = STRING;
  }

  private endString(endAt: number): void {
    const f = this.top();
    if (this.strIsKey) {
      if (f) f.key = this.strParts ? this.decodeCollected() : null;
      this.strParts = null;
      this.state = COLON;
      return;
    }
    if (this.strParts && f?.role === R_ITEM && f.key === "kind") f.kind = this.decodeCollected();
    this.strParts = null;
    this.endScalar(endAt);
  }

  private number(c: number, at: number): boolean {
    const digit = c >= 0x30 && c <= 0x39;
    switch (this.numState) {
      case N_MINUS:
        if (!digit) throw this.syntax(c, at);
        this.numState = c === 0x30 ? N_ZERO : N_INT;
        return true;
      case N_ZERO:
      case N_INT:
        if (digit && this.numState === N_INT) return true;
        if (c === 0x2e) {
          this.numState = N_DOT;
          return true;
        }
        if (c === 0x65 || c === 0x45) {
          this.numState = N_E;
          return true;
        }
        if (digit) throw this.syntax(c, at); // leading zero
        return false;
      case N_DOT:
        if (!digit) throw this.syntax(c, at);
        this.numState = N_FRAC;
        return true;
      case N_FRAC:
        if (digit) return true;
        if (c === 0x65 || c === 0x45) {
          this.numState = N_E;
          return true;
        }
        return false;
      case N_E:
        if (c === 0x2b || c === 0x2d) {
          this.numState = N_ESIGN;
          return true;
        }
        if (!digit) throw this.syntax(c, at);
        this.numState = N_EXP;
        return true;
      case N_ESIGN:
        if (!digit) throw this.syntax(c, at);
        this.numState = N_EXP;
        return true;
      default:
        return digit;
    }
  }

  /** A scalar value ended at `endAt` (exclusive): back to the parent frame. */
  private endScalar(endAt: number): void {
    if (this.state === NUMBER) {
      const ns = this.numState;
      if (ns === N_MINUS || ns === N_DOT || ns === N_E || ns === N_ESIGN) throw this.syntax(null, endAt);
    }
    this.valueEnded(endAt);
  }

  private close(array: boolean, endAt: number): void {
    const f = this.stack.pop() as Frame;
    if (f.array !== array) throw this.syntax(array ? 0x5d : 0x7d, endAt - 1);
    if (f.role === R_ITEM && f.kind === "Secret" && f.candidates && f.candidates.length > 0) {
      for (const x of f.candidates) this.summary.secretRanges.push(x);
    }
    if (this.stack.length === 0) {
      this.state = END;
      return;
    }
    this.valueEnded(endAt);
  }

  private valueEnded(endAt: number): void {
    const parent = this.top();
    this.state = AFTER_VALUE;
    if (!parent) return;
    if (parent.pendingStart >= 0) {
      const start = parent.pendingStart;
      parent.pendingStart = -1;
      // `""` is already blank: nothing to rewrite
      const blankAlready = endAt - start === EMPTY_STRING_LEN;
      if (!blankAlready && parent.item?.candidates) parent.item.candidates.push(start, endAt);
    }
    if (parent.capturing) {
      parent.capturing = false;
      this.finishCapture(endAt);
    }
  }

  private appendCapture(part: Uint8Array): void {
    this.captured += part.length;
    if (this.captured > this.opts.maxEnvelopeBytes) {
      throw new ScanError(
        "envelope",
        `the envelope's fields other than report exceed ${this.opts.maxEnvelopeBytes} bytes`,
      );
    }
    this.captureParts.push(Buffer.from(part));
  }

  private finishCapture(endAt: number): void {
    const endIdx = endAt - this.offset;
    if (this.captureStart >= 0 && endIdx > this.captureStart)
      this.appendCapture(this.cur.subarray(this.captureStart, endIdx));
    this.captureStart = -1;
    if (this.captureKey !== null) this.summary.members.set(this.captureKey, Buffer.concat(this.captureParts));
    this.captureParts = [];
    this.captureKey = null;
  }
}
