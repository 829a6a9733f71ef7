/**
 * @module Page content deflated while the document is still being drawn. Each page's content goes, as it
 * is written, to a zlib deflate stream of its own, which compresses in libuv's thread pool while the main
 * thread draws the next pages; when the document is finished only what was written last (the footers, a
 * page drawn last) is left to compress. The bytes are those of deflating the page's whole content at once
 * (what pdfkit, or the one-shot deflate, writes): zlib's output does not depend on how its input was
 * split when nothing is flushed before the end. Before, a 10,000-unit engineering report's ~9 MB of chart
 * paths were all deflated at the end, the main thread waiting.
 */
import { createDeflate, deflate, type Deflate } from 'node:zlib';
import { promisify } from 'node:util';
import { LotqaError } from '../errors/lotqa-error.js';

const deflateAsync = promisify(deflate);

/** The stream object pdfkit keeps per page's content (internals, typed loosely on purpose). */
export interface PdfkitContentStream {
  compress: boolean;
  buffer: Uint8Array[] | Uint8Array;
  data: { Filter?: string };
}

/** A buffered pdfkit page as far as its content is concerned. */
export interface PdfkitPage {
  readonly content: PdfkitContentStream;
  readonly markings?: unknown[];
}

/** Output buffer of a page's deflate stream. */
const OUTPUT_CHUNK = 128 * 1024;

interface Running {
  readonly zlib: Deflate;
  readonly out: Buffer[];
  readonly ended: Promise<void>;
}

export class PageDeflater {
  private readonly running = new Map<PdfkitContentStream, Running>();

  constructor(private readonly level: number) {}

  /**
   * Hand what each page's content holds so far to the page's deflate stream (opened on first use), leaving
   * the content empty for what is written next. Pages pdfkit will not compress are left alone, and so is a
   * page with tagged-content markings (pdfkit closes them in the stream at its end: finish() leaves such a
   * page to pdfkit as a whole).
   */
  feed(pages: readonly PdfkitPage[]): void {
    for (const page of pages) {
      const content = page.content;
      if (!content.compress || (page.markings?.length ?? 0) > 0 || !Array.isArray(content.buffer)) continue;
      const chunks = content.buffer;
      if (chunks.length === 0) continue;
      const run = this.running.get(content) ?? this.open(content);
      // One write: the pool compresses it in one go, while a second write would wait for the main thread
      // (busy drawing) to take the first one's output.
      run.zlib.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      content.buffer = [];
    }
  }

  /**
   * After the last write to any page: give every page's content stream its deflated bytes as they are (a
   * stream whose buffer is already flate-encoded, Filter set and compress off, pdfkit writes verbatim).
   * Pages not fed before are deflated now, several at once in the pool.
   */
  async finish(pages: readonly PdfkitPage[]): Promise<void> {
    await Promise.all(pages.map(async (page) => this.finishPage(page)));
  }

  private async finishPage(page: PdfkitPage): Promise<void> {
    const content = page.content;
    const run = this.running.get(content);
    if (run === undefined) {
      // Tagged-PDF markings would append to the stream at end(): leave such a page to pdfkit.
      if (!content.compress || (page.markings?.length ?? 0) > 0) return;
      const rest = content.buffer;
      if (!Array.isArray(rest) || rest.length === 0) return;
      done(content, await deflateAsync(Buffer.concat(rest), { level: this.level }));
      return;
    }
    this.running.delete(content);
    if ((page.markings?.length ?? 0) > 0)
      throw new LotqaError(
        'internal: a report page whose content was deflated while it was drawn has tagged-content markings, which pdfkit would append to the deflated stream',
      );
    const rest = content.buffer;
    for (const chunk of Array.isArray(rest) ? rest : [rest]) run.zlib.write(chunk);
    run.zlib.end();
    await run.ended;
    done(content, Buffer.concat(run.out));
  }

  private open(content: PdfkitContentStream): Running {
    // Output room for a whole page's compressed content in one piece (pages of chart paths deflate to
    // some 10–60 KiB), for the same reason.
    const zlib = createDeflate({ level: this.level, chunkSize: OUTPUT_CHUNK });
    const out: Buffer[] = [];
    zlib.on('data', (chunk: Buffer) => out.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      zlib.once('end', resolve);
      zlib.once('error', reject);
    });
    // A failure is reported by finish(); until then it must not be an unhandled rejection.
    ended.catch(() => undefined);
    const run = { zlib, out, ended };
    this.running.set(content, run);
    return run;
  }
}

/** The content stream's bytes, already deflated: pdfkit writes them as they are. */
function done(content: PdfkitContentStream, packed: Buffer): void {
  content.buffer = [packed];
  content.compress = false;
  content.data.Filter = 'FlateDecode';
}
