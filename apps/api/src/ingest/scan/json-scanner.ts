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

import {
  AFTER_VALUE,
  ARR_FIRST,
  COLON,
  depthError,
  END,
  ESCAPE,
  isEscape,
  isHex,
  isWs,
  KEY,
  LITERAL,
  literalOf,
  N_BAD,
  N_ENDED,
  NUMBER,
  numberComplete,
  numberStart,
  numberStep,
  OBJ_FIRST,
  ScanError,
  STRING,
  syntaxError,
  UNICODE,
  VALUE,
} from "./grammar.js";
import { Skipper } from "./skip.js";

export { ScanError } from "./grammar.js";

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
  private numState = 0;
  private hexLeft = 0;
  private literal: Buffer = Buffer.alloc(0);
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

  /** untracked subtrees (most of a report) are validated by the fast skipper */
  private readonly skipper: Skipper;

  constructor(private readonly opts: ScanOptions) {
    this.skipper = new Skipper(opts.maxDepth);
  }

  /** Feed the next chunk of the (decompressed) body. */
  write(buf: Uint8Array): void {
    this.cur = buf;
    const n = buf.length;
    let i = 0;
    if (this.captureStart === -2) this.captureStart = 0; // capture continues from the chunk start
    while (i < n) {
      if (this.skipper.depth > 0) {
        i = this.skipper.run(buf, i, n, this.offset, this.stack.length);
        if (this.skipper.depth === 0) this.valueEnded(this.offset + i);
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
        if (c < 0x20) throw syntaxError(c, this.offset + i);
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
          } else if (isEscape(c)) {
            this.state = STRING;
          } else throw syntaxError(c, this.offset + i);
          i++;
          break;
        }
        case UNICODE: {
          if (!isHex(c)) throw syntaxError(c, this.offset + i);
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
          if (c !== this.literal[this.literalPos]) throw syntaxError(c, this.offset + i);
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
    if (this.state !== END || this.skipper.depth > 0) throw syntaxError(null, this.offset);
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
        if (c !== 0x22) throw syntaxError(c, at);
        this.startString(true);
        return;
      }
      case COLON: {
        if (c !== 0x3a) throw syntaxError(c, at);
        this.state = VALUE;
        return;
      }
      case AFTER_VALUE: {
        const f = this.top();
        if (!f) throw syntaxError(c, at);
        if (c === 0x2c) {
          this.state = f.array ? VALUE : KEY;
          return;
        }
        if (c === (f.array ? 0x5d : 0x7d)) {
          this.close(f.array, at + 1);
          return;
        }
        throw syntaxError(c, at);
      }
      default:
        throw syntaxError(c, at);
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
      if (this.stack.length >= this.opts.maxDepth) throw depthError(this.opts.maxDepth);
      const role = this.childRole(array ? "array" : "object", false);
      if (role === R_NONE) {
        // nothing inside is tracked: validate it in the fast skip mode
        this.skipper.begin(array);
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
      this.numState = numberStart(c);
      return;
    }
    const lit = literalOf(c);
    if (!lit) throw syntaxError(c, at);
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

  /** One byte of a number: true when it belongs to it, false when the number ended before it. */
  private number(c: number, at: number): boolean {
    const next = numberStep(this.numState, c);
    if (next === N_BAD) throw syntaxError(c, at);
    if (next === N_ENDED) return false;
    this.numState = next;
    return true;
  }

  /** A scalar value ended at `endAt` (exclusive): back to the parent frame. */
  private endScalar(endAt: number): void {
    if (this.state === NUMBER && !numberComplete(this.numState)) throw syntaxError(null, endAt);
    this.valueEnded(endAt);
  }

  private close(array: boolean, endAt: number): void {
    const f = this.stack.pop() as Frame;
    if (f.array !== array) throw syntaxError(array ? 0x5d : 0x7d, endAt - 1);
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
