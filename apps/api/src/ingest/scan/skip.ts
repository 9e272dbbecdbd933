import {
  AFTER_VALUE,
  ARR_FIRST,
  COLON,
  depthError,
  ESCAPE,
  isEscape,
  isHex,
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
  STRING,
  syntaxError,
  UNICODE,
  VALUE,
} from "./grammar.js";

/**
 * The fast path of the scanner: a subtree nothing inside of which is tracked (most of a report) is validated
 * with local state only, no hooks and no allocations, and may span chunks. `depth` > 0 while inside one.
 */
export class Skipper {
  depth = 0;
  private readonly types: Uint8Array;
  private state = VALUE;
  private key = false;
  private numState = 0;
  private hexLeft = 0;
  private literal: Buffer = Buffer.alloc(0);
  private literalPos = 0;

  constructor(private readonly maxDepth: number) {
    this.types = new Uint8Array(maxDepth + 2);
  }

  /** Enter a subtree whose opening bracket was just read. */
  begin(array: boolean): void {
    this.depth = 1;
    this.types[0] = array ? 1 : 0;
    this.state = array ? ARR_FIRST : OBJ_FIRST;
  }

  /**
   * Validate from `i`; returns the index after the subtree's closing bracket (depth back to 0) or `n` when the
   * chunk ends inside it. `offset` is the absolute offset of the chunk, `base` the tracked depth above.
   */
  run(buf: Uint8Array, i: number, n: number, offset: number, base: number): number {
    let st = this.state;
    let d = this.depth;
    const types = this.types;
    const max = this.maxDepth;
    try {
      while (i < n) {
        let c = buf[i] as number;
        if (st === STRING) {
          while (c !== 0x22 && c !== 0x5c && c >= 0x20) {
            if (++i >= n) return n;
            c = buf[i] as number;
          }
          if (c < 0x20) throw syntaxError(c, offset + i);
          i++;
          if (c === 0x5c) st = ESCAPE;
          else st = this.key ? COLON : AFTER_VALUE;
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
              this.key = false;
            } else if (c === 0x7b || c === 0x5b) {
              if (base + d + 1 > max) throw depthError(max);
              types[d++] = c === 0x5b ? 1 : 0;
              st = c === 0x5b ? ARR_FIRST : OBJ_FIRST;
            } else if (c === 0x5d && st === ARR_FIRST) {
              if (--d === 0) return i + 1;
              st = AFTER_VALUE;
            } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
              st = NUMBER;
              this.numState = numberStart(c);
            } else {
              const lit = literalOf(c);
              if (!lit) throw syntaxError(c, offset + i);
              this.literal = lit;
              this.literalPos = 1;
              st = LITERAL;
            }
            i++;
            break;
          case AFTER_VALUE:
            if (c === 0x2c) st = types[d - 1] === 1 ? VALUE : KEY;
            else if (c === (types[d - 1] === 1 ? 0x5d : 0x7d)) {
              if (--d === 0) return i + 1;
            } else throw syntaxError(c, offset + i);
            i++;
            break;
          case OBJ_FIRST:
          case KEY:
            if (c === 0x22) {
              st = STRING;
              this.key = true;
            } else if (c === 0x7d && st === OBJ_FIRST) {
              if (--d === 0) return i + 1;
              st = AFTER_VALUE;
            } else throw syntaxError(c, offset + i);
            i++;
            break;
          case COLON:
            if (c !== 0x3a) throw syntaxError(c, offset + i);
            st = VALUE;
            i++;
            break;
          case ESCAPE:
            if (c === 0x75) {
              st = UNICODE;
              this.hexLeft = 4;
            } else if (isEscape(c)) st = STRING;
            else throw syntaxError(c, offset + i);
            i++;
            break;
          case UNICODE:
            if (!isHex(c)) throw syntaxError(c, offset + i);
            if (--this.hexLeft === 0) st = STRING;
            i++;
            break;
          case NUMBER: {
            const next = numberStep(this.numState, c);
            if (next === N_BAD) throw syntaxError(c, offset + i);
            if (next === N_ENDED) {
              if (!numberComplete(this.numState)) throw syntaxError(c, offset + i);
              st = AFTER_VALUE; // reprocess this byte
            } else {
              this.numState = next;
              i++;
            }
            break;
          }
          case LITERAL:
            if (c !== this.literal[this.literalPos]) throw syntaxError(c, offset + i);
            i++;
            if (++this.literalPos === this.literal.length) st = AFTER_VALUE;
            break;
          default:
            throw syntaxError(c, offset + i);
        }
      }
      return n;
    } finally {
      this.state = st;
      this.depth = d;
    }
  }
}
