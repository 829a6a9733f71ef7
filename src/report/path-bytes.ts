/**
 * @module A chart's path operators written straight into a byte buffer. A 10,000-unit engineering report
 * writes about a million path coordinates; as template strings they cost V8's shortest float-to-string
 * conversion each, a string per operator and the garbage of both — most of the chart drawing time.
 * Here a coordinate is rounded to 0.01 pt (far below what a printer or screen resolves) and its digits
 * are written as bytes, the same characters `String(Math.round(v * 100) / 100)` gives.
 */

const ZERO = 48;
const SPACE = 32;
const DOT = 46;
const NEWLINE = 10;

/**
 * A buffer a finished path handed back, for the next path to write into: a report builds some 1,100
 * paths one after the other, and a fresh 16–64 KiB buffer each (outside Node's small-buffer pool) was
 * external memory for the garbage collector to account and free.
 */
let spare: Buffer | null = null;

export class PathBytes {
  private buf: Buffer;
  private len = 0;

  constructor(capacity = 1 << 14) {
    if (spare !== null && spare.length >= capacity) {
      this.buf = spare;
      spare = null;
    } else this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Nothing written yet. */
  get empty(): boolean {
    return this.len === 0;
  }

  /** A coordinate and a space: `String(Math.round(v * 100) / 100)`, built from integers. */
  num(v: number): this {
    this.reserve(32);
    const n = Math.round(v * 100);
    if (!(n >= 0 && n < 1e9)) {
      // Negative, huge or not finite (a limit far off the plot): the general conversion.
      const s = String(Math.round(v * 100) / 100);
      for (let k = 0; k < s.length; k++) this.buf[this.len++] = s.charCodeAt(k) & 0xff;
      this.buf[this.len++] = SPACE;
      return this;
    }
    const i = Math.floor(n / 100);
    const f = n - i * 100;
    this.int(i);
    if (f !== 0) {
      this.buf[this.len++] = DOT;
      if (f % 10 === 0) this.buf[this.len++] = ZERO + f / 10;
      else {
        this.buf[this.len++] = ZERO + Math.floor(f / 10);
        this.buf[this.len++] = ZERO + (f % 10);
      }
    }
    this.buf[this.len++] = SPACE;
    return this;
  }

  /** A path operator (`m`, `l`), then a line end (`'\n'`) or a space (`' '`). */
  op(code: 'm' | 'l', end: '\n' | ' '): this {
    this.reserve(2);
    this.buf[this.len++] = code.charCodeAt(0);
    this.buf[this.len++] = end === '\n' ? NEWLINE : SPACE;
    return this;
  }

  /** The bytes written (a copy: the buffer can be reused). */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }

  /** The bytes written (a copy), handing the buffer on to the next PathBytes; this one starts empty. */
  finish(): Buffer {
    const out = this.bytes();
    if (spare === null || spare.length < this.buf.length) spare = this.buf;
    this.buf = Buffer.alloc(0);
    this.len = 0;
    return out;
  }

  private int(i: number): void {
    if (i < 10) {
      this.buf[this.len++] = ZERO + i;
      return;
    }
    let digits = 0;
    for (let k = i; k > 0; k = Math.floor(k / 10)) digits++;
    let pos = this.len + digits;
    this.len = pos;
    for (let k = i; k > 0; k = Math.floor(k / 10)) this.buf[--pos] = ZERO + (k % 10);
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
