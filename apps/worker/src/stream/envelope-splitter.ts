const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
/** member names longer than this are never the ones looked for */
const MAX_KEY = 32;

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/**
 * Splits the JSON of an upload envelope as its bytes arrive: each element of `report.<listKey>` (trivy k8s's
 * `Resources`) is handed over as its own JSON text, and everything else is kept as the "skeleton" (the
 * document with that list emptied). A report of any size is then read one element at a time with the native
 * JSON.parse, which is several times faster than a token-by-token streaming parser and keeps only one element
 * in memory. The scanner tracks strings, escapes and nesting only; the JSON itself is checked by JSON.parse
 * of each element and of the skeleton (the API validated the whole document when it was accepted).
 */
export class EnvelopeSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private recording = false;
  private keyBytes: number[] = [];
  private lastString = "";
  private readonly keys: string[] = [];
  private readonly isObject: boolean[] = [];
  private streamDepth = -1;
  private element: Buffer[] = [];
  private readonly skeleton: Buffer[] = [];
  /** elements handed over so far */
  count = 0;

  constructor(
    private readonly listKey: string | null,
    private readonly onElement: (json: Buffer, index: number) => void,
  ) {}

  write(buf: Buffer): void {
    const n = buf.length;
    let seg = this.streamDepth < 0 ? 0 : -1; // start of the skeleton bytes in this chunk
    let el = this.streamDepth < 0 ? -1 : 0; // start of the current element's bytes in this chunk
    for (let i = 0; i < n; i++) {
      const c = buf[i] as number;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.recording) this.lastString = Buffer.from(this.keyBytes).toString("utf8");
        } else if (this.recording && this.keyBytes.length <= MAX_KEY) this.keyBytes.push(c);
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.recording = this.depth === 1 || this.depth === 2;
        if (this.recording) this.keyBytes = [];
      } else if (c === COLON) {
        if (this.depth <= 2) this.keys[this.depth] = this.lastString;
      } else if (c === LBRACE || c === LBRACKET) {
        if (c === LBRACKET && this.startsList()) {
          this.depth++;
          this.streamDepth = this.depth;
          this.skeleton.push(buf.subarray(seg, i + 1));
          seg = -1;
          el = i + 1;
          continue;
        }
        this.depth++;
        if (this.depth <= 2) this.isObject[this.depth] = c === LBRACE;
      } else if (c === RBRACE || c === RBRACKET) {
        if (this.depth === this.streamDepth) {
          this.emit(buf.subarray(el, i));
          this.streamDepth = -1;
          el = -1;
          seg = i;
        }
        this.depth--;
      } else if (c === COMMA && this.depth === this.streamDepth) {
        this.emit(buf.subarray(el, i));
        el = i + 1;
      }
    }
    if (seg >= 0) this.skeleton.push(buf.subarray(seg));
    if (el >= 0) this.element.push(buf.subarray(el));
  }

  private startsList(): boolean {
    return (
      this.listKey !== null &&
      this.streamDepth < 0 &&
      this.depth === 2 &&
      this.isObject[1] === true &&
      this.isObject[2] === true &&
      this.keys[1] === "report" &&
      this.keys[2] === this.listKey
    );
  }

  private emit(last: Buffer): void {
    this.element.push(last);
    const json = this.element.length === 1 ? last : Buffer.concat(this.element);
    this.element = [];
    // `[]` and whitespace are no element; anything else is (JSON.parse judges it)
    if (isBlank(json)) return;
    this.onElement(json, this.count++);
  }

  /** The document without the handed-over elements, once every byte was written. */
  end(): string {
    if (this.streamDepth >= 0 || this.inString || this.depth !== 0)
      throw new SyntaxError("the JSON document ends in the middle of a value");
    return Buffer.concat(this.skeleton).toString("utf8");
  }
}
