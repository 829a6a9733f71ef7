/**
 * @module A page's content stream written into large byte blocks. pdfkit turns every drawing operator
 * (`re`, `f`, `S`, `q`, a colour, a text object) into its own little Uint8Array, copied character by
 * character, and keeps them all in a list until the document ends: a 10,000-unit engineering report makes
 * hundreds of thousands of them, each living long enough to be copied by every young-generation garbage
 * collection on the way — a third of the report's time in a fresh process was the collector. Here the
 * same bytes go into 64 KiB blocks as they come; whoever reads the stream's chunk list (pdfkit when the
 * document ends, the page deflate of pdf-document.ts) gets the blocks, in order: the same bytes.
 */

/** pdfkit's PDFReference as far as a page's content is written (internals, typed loosely on purpose). */
interface PdfkitStream {
  buffer: Uint8Array[] | Uint8Array;
  compress: boolean;
  uncompressedLength: number;
  data: { Length?: number; Filter?: string };
  write(chunk: string | Uint8Array): void;
}

const BLOCK = 64 * 1024;

/**
 * Make `stream` keep what is written to it in blocks. Bytes written before (pdfkit writes the page's
 * transform before anyone can see the page) stay first. Returns false, leaving the stream as it is, when
 * it is not the pdfkit stream this expects.
 */
export function packPageContent(stream: PdfkitStream): boolean {
  if (!Array.isArray(stream.buffer) || typeof stream.write !== 'function' || typeof stream.uncompressedLength !== 'number') return false;
  let done: Uint8Array[] | Uint8Array = stream.buffer;
  let block = Buffer.allocUnsafe(BLOCK);
  let used = 0;
  /** The filled part of the current block joins the list (a view: the block itself is not reused). */
  const flush = (): void => {
    if (used === 0) return;
    if (!Array.isArray(done)) done = [done];
    done.push(block.subarray(0, used));
    block = block.subarray(used);
    used = 0;
    if (block.length < 256) block = Buffer.allocUnsafe(BLOCK);
  };
  Object.defineProperty(stream, 'buffer', {
    configurable: true,
    enumerable: true,
    // pdfkit reads the list to concatenate it when the page ends, then replaces it (concatenated, then []).
    get(): Uint8Array[] | Uint8Array {
      flush();
      return done;
    },
    set(value: Uint8Array[] | Uint8Array) {
      flush();
      done = value;
    },
  });
  stream.write = function write(chunk: string | Uint8Array): void {
    // pdfkit: a string operator gets a line end and becomes one byte per UTF-16 unit (its low byte, as
    // latin1 writes it).
    const length = typeof chunk === 'string' ? chunk.length + 1 : chunk.length;
    if (used + length > block.length) {
      flush();
      if (length > block.length) block = Buffer.allocUnsafe(Math.max(BLOCK, length));
    }
    if (typeof chunk === 'string') {
      used += block.write(chunk, used, 'latin1');
      block[used++] = 10;
    } else {
      block.set(chunk, used);
      used += length;
    }
    this.uncompressedLength += length;
    this.data.Length = (this.data.Length ?? 0) + length;
    if (this.compress) this.data.Filter = 'FlateDecode';
  };
  return true;
}
