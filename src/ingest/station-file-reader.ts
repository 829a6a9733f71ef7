/**
 * @module The raw bytes of a station file → text, streamed in bounded memory. While reading it hashes
 * every byte (SHA-256, so the store can recognise a file it has seen), refuses binary content, honours
 * a UTF-8 or UTF-16 byte-order mark, and decodes strictly: an invalid UTF-8 sequence rejects the file
 * with the line it is on, instead of silently becoming U+FFFD inside a serial number.
 */
import { createHash, hash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { FileRejection } from './ingest-errors.js';

/** Encodings a profile may declare (besides the BOM-detected UTF-16). */
export type TextEncoding = 'utf-8' | 'windows-1252' | 'iso-8859-1';

const CHUNK_BYTES = 64 * 1024;
/**
 * Files up to this size are read in one go (one read, one decode, one string): per-unit station files
 * are a few kB, and for them the streaming machinery cost more than the parsing. Larger files are
 * streamed in CHUNK_BYTES pieces, so memory stays bounded whatever the file size.
 */
export const WHOLE_FILE_BYTES = 1024 * 1024;
/**
 * One read buffer per thread: every chunk is hashed and decoded (copied into a string) synchronously
 * right after its read, so no two readers ever hold it across an await. Grows to at most
 * WHOLE_FILE_BYTES + 1.
 */
let sharedBuffer = Buffer.allocUnsafe(CHUNK_BYTES);
/** Decoders of files read whole, per encoding (see StationFileReader#newDecoder). */
const wholeFileDecoders = new Map<string, TextDecoder>();
/** Share of control bytes (other than TAB, LF, CR, FF) in the first chunk above which a file is binary. */
const MAX_CONTROL_SHARE = 0.05;

/** Reads one station file once, front to back; `text()` may be consumed in several steps. */
export class StationFileReader {
  readonly #path: string;
  readonly #encoding: TextEncoding;
  /** The running hash of a file read in several chunks (made on the first chunk that is not the whole file). */
  #hash: Hash | null = null;
  /** The digest of a file read whole by its first read: one-shot, without a Hash object per file. */
  #digest: string | null = null;
  #fd: number | null = null;
  #openError: unknown = null;
  #bytes = 0;
  #done = false;
  #first = true;
  #decoder: TextDecoder | null = null;
  #lastChar = '';
  /** True once the whole file was read by the first read (a small file). */
  #whole = false;
  readonly #wholeLimit: number;

  /**
   * @param wholeFileBytes files up to this size are read whole; 0 streams every file (the tests use it
   *   to check both paths give the same outcome).
   */
  constructor(path: string, encoding: TextEncoding = 'utf-8', wholeFileBytes = WHOLE_FILE_BYTES) {
    this.#path = path;
    this.#encoding = encoding;
    this.#wholeLimit = wholeFileBytes;
    try {
      this.#fd = openSync(path, 'r');
    } catch (err) {
      this.#openError = err;
    }
  }

  /** Bytes read so far (all of them once `text()` has finished or `finish()` ran). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * True when the first chunk of `text()` held the whole file (files up to WHOLE_FILE_BYTES): the
   * caller may then parse that one string synchronously instead of streaming.
   */
  get readWhole(): boolean {
    return this.#whole;
  }

  /** True when the last character of the file is a line break (false for a file cut off mid-row). */
  get endsWithNewline(): boolean {
    return this.#lastChar === '\n' || this.#lastChar === '\r';
  }

  /**
   * Reads the next chunk with readSync (64 KiB at a time) and hashes it; the caller must use the
   * returned view before its next await. For the small per-unit files that dominate, a promise round
   * trip through the libuv thread pool per open/read/close cost more than the parsing itself; one
   * 64 KiB local read blocks the event loop for microseconds.
   */
  #readChunk(): Buffer | null {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what openSync threw in the constructor, unchanged
    if (this.#openError !== null) throw this.#openError;
    if (this.#done || this.#fd === null) return null;
    let want = CHUNK_BYTES;
    if (this.#first && this.#bytes === 0 && this.#wholeLimit > CHUNK_BYTES) {
      // A small file is read whole: ask for one byte more than its size, so a short read proves EOF. The
      // size is only asked for when the first CHUNK_BYTES do not prove it (most files are a few kB).
      want = Math.min(sharedBuffer.length, this.#wholeLimit);
      const bytesRead = readSync(this.#fd, sharedBuffer, 0, want, null);
      if (bytesRead < want) return this.#took(bytesRead, want);
      const size = fstatSync(this.#fd).size;
      if (size < this.#wholeLimit && size + 1 > want) {
        const bigger = Buffer.allocUnsafe(size + 1);
        sharedBuffer.copy(bigger, 0, 0, bytesRead);
        sharedBuffer = bigger;
        const more = readSync(this.#fd, sharedBuffer, bytesRead, size + 1 - bytesRead, null);
        return this.#took(bytesRead + more, size + 1);
      }
      return this.#took(bytesRead, bytesRead); // not all of it: streamed from here
    }
    if (this.#first && this.#bytes === 0) {
      // A small file is read whole: ask for one byte more than its size, so a short read proves EOF.
      const size = fstatSync(this.#fd).size;
      if (size < this.#wholeLimit) want = Math.max(CHUNK_BYTES, size + 1);
      if (sharedBuffer.length < want) sharedBuffer = Buffer.allocUnsafe(want);
    }
    return this.#took(readSync(this.#fd, sharedBuffer, 0, want, null), want);
  }

  /** The first `bytesRead` bytes of the shared buffer, hashed; `want` is what was asked for (less: the end). */
  #took(bytesRead: number, want: number): Buffer | null {
    if (bytesRead === 0) {
      this.close();
      return null;
    }
    const buf = sharedBuffer.subarray(0, bytesRead);
    const whole = this.#first && bytesRead < want && this.#wholeLimit > 0;
    if (whole && this.#bytes === 0) this.#digest = hash('sha256', buf, 'hex');
    else (this.#hash ??= createHash('sha256')).update(buf);
    this.#bytes += bytesRead;
    if (whole) {
      // Regular files return short reads only at the end: this was all of it.
      this.#whole = true;
      this.close();
    }
    return buf;
  }

  /**
   * The decoded text, chunk by chunk. Throws FileRejection ('empty-file', 'binary-content',
   * 'bad-encoding'); the caller may still call `finish()` afterwards to hash the rest.
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- callers iterate with for await; the reads are synchronous on purpose (see #readChunk)
  async *text(): AsyncGenerator<string, void, undefined> {
    for (;;) {
      const buf = this.#readChunk();
      if (buf === null) break;
      let body = buf;
      if (this.#first) {
        this.#first = false;
        body = this.#openDecoder(buf);
      }
      const text = this.#decode(body, !this.#whole);
      if (text.length > 0) {
        this.#lastChar = text[text.length - 1] ?? '';
        yield text;
      }
    }
    if (this.#first)
      throw new FileRejection(
        'empty-file',
        `${this.#path} is empty (0 bytes). Check that the station finished writing it, then submit it again.`,
      );
    const tail = this.#decode(Buffer.alloc(0), false);
    if (tail.length > 0) {
      this.#lastChar = tail[tail.length - 1] ?? '';
      yield tail;
    }
  }

  /** Reads whatever is left (so the hash covers the whole file) and returns the SHA-256 hex digest. */
  async finish(): Promise<string> {
    while (this.#readChunk() !== null) await Promise.resolve();
    this.close();
    return this.#digest ?? (this.#hash ?? createHash('sha256')).digest('hex');
  }

  /** Closes the file without reading further (on a crash path). */
  close(): void {
    this.#done = true;
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }

  /** Chooses the decoder from the BOM or the profile, after checking the first chunk is text. */
  #openDecoder(first: Buffer): Buffer {
    if (first[0] === 0xff && first[1] === 0xfe) {
      this.#decoder = this.#newDecoder('utf-16le');
      return first;
    }
    if (first[0] === 0xfe && first[1] === 0xff) {
      this.#decoder = this.#newDecoder('utf-16be');
      return first;
    }
    checkLooksLikeText(first, this.#path);
    this.#decoder = this.#newDecoder(this.#encoding);
    return first;
  }

  /**
   * A strict decoder; a file read whole shares one per encoding, since each of its decode calls is
   * complete (not streaming) and leaves the decoder with no state (a new TextDecoder per file showed in
   * profiles).
   */
  #newDecoder(encoding: string): TextDecoder {
    if (!this.#whole) return new TextDecoder(encoding, { fatal: true });
    let shared = wholeFileDecoders.get(encoding);
    if (shared === undefined) wholeFileDecoders.set(encoding, (shared = new TextDecoder(encoding, { fatal: true })));
    return shared;
  }

  #decode(buf: Buffer, stream: boolean): string {
    const decoder = this.#decoder;
    if (decoder === null) return '';
    try {
      return decoder.decode(buf, { stream });
    } catch {
      // A decoder that failed may keep state: the next file read whole gets a new one.
      for (const [encoding, shared] of wholeFileDecoders) if (shared === decoder) wholeFileDecoders.delete(encoding);
      throw new FileRejection(
        'bad-encoding',
        `${this.#path} is not valid ${decoder.encoding === 'utf-8' ? 'UTF-8' : decoder.encoding} (first bad byte sequence located later); re-export the file as UTF-8, or set "encoding" (e.g. "windows-1252") in the station profile.`,
      );
    }
  }
}

/** 1 for a control byte other than TAB, LF, CR, FF (and NUL, which checkLooksLikeText refuses first), else 0. */
const CONTROL_BYTE = Uint8Array.from({ length: 256 }, (_, b) =>
  (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f ? 1 : 0,
);

/** Rejects NUL bytes or many control characters: an image, a zip, or UTF-16 without its BOM. */
function checkLooksLikeText(first: Buffer, path: string): void {
  // The first NUL is found natively (Buffer#indexOf); the control bytes are counted through a table.
  const nul = first.indexOf(0);
  if (nul !== -1) {
    throw new FileRejection(
      'binary-content',
      `${path} contains NUL bytes (byte ${nul}): it is binary, or UTF-16 without a byte-order mark. Export the station data as a CSV text file (UTF-8).`,
    );
  }
  let control = 0;
  for (let i = 0; i < first.length; i++) control += CONTROL_BYTE[first[i]!]!;
  if (control / first.length > MAX_CONTROL_SHARE) {
    throw new FileRejection(
      'binary-content',
      `${path} does not look like text (${control} of its first ${first.length} bytes are control characters). Export the station data as a CSV text file.`,
    );
  }
}

/**
 * Finds the first invalid UTF-8 sequence of a file (WHATWG decoder rules), streaming: the 1-based
 * line it is on and its byte offset, or null when the file is valid UTF-8. Only used to explain a
 * 'bad-encoding' rejection, so it re-reads the file rather than slowing the normal path.
 */
export async function locateInvalidUtf8(path: string): Promise<{ readonly line: number; readonly offset: number } | null> {
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let line = 1;
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i] as number;
      if (needed === 0) {
        if (b <= 0x7f) {
          if (b === 0x0a) line++;
        } else if (b >= 0xc2 && b <= 0xdf) {
          needed = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3;
        } else {
          return { line, offset };
        }
        continue;
      }
      if (b < lower || b > upper) return { line, offset };
      lower = 0x80;
      upper = 0xbf;
      seen++;
      if (seen === needed) {
        needed = 0;
        seen = 0;
      }
    }
  }
  return needed > 0 ? { line, offset } : null;
}
