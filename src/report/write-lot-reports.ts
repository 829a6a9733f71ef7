/**
 * @module Writes a lot's outputs to `reports/<lot>/r<rev>/`: lot-result.json, units.csv, the CoC (ACCEPT
 * only) and the engineering report, plus PNG previews of the PDFs when poppler's `pdftoppm` is installed.
 * The only I/O of the report stage; the renderers are pure.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, resolve, relative, isAbsolute, sep } from 'node:path';
import type { LotResult } from '../domain/lot-result.js';
import type { CertificateContext, DecisionRecord } from '../domain/decision.js';
import { renderCertificate, type CertificateOptions } from './coc-pdf.js';
import { renderEngineeringReport } from './engineering-pdf.js';
import { writeUnitResultsCsv } from './unit-results-csv.js';
import { writeLotResultJson } from './lot-result-json.js';
import { safeFileName } from './text-safety.js';
import { sha256Hex } from './result-hash.js';

const run = promisify(execFile);

export interface WriteLotReportsInput {
  readonly result: LotResult;
  readonly decision: DecisionRecord | null;
  /** Needed for the certificate; without it no CoC is written. */
  readonly context?: CertificateContext | null;
  /** @defaultValue 'reports' */
  readonly outDir?: string;
  /** Write the CoC (only when the decision is ACCEPT). @defaultValue true */
  readonly coc?: boolean;
  /** @defaultValue true */
  readonly engineering?: boolean;
  /** PNG pages next to each PDF (`<name>-<page>.png`, 60 dpi) when pdftoppm exists. @defaultValue false */
  readonly preview?: boolean;
  readonly certificateOptions?: CertificateOptions;
}

export interface WrittenReports {
  readonly dir: string;
  readonly json: string;
  readonly csv: string;
  readonly coc: string | null;
  /** Why no certificate was written, when none was. */
  readonly cocSkipped: string | null;
  readonly engineering: string | null;
  readonly previews: readonly string[];
  readonly previewSkipped: string | null;
}

/** `<outDir>/<safe lot>/r<rev>`, guaranteed inside outDir whatever the lot name. */
export function lotReportDir(outDir: string, lot: string, revision: number): string {
  const base = resolve(outDir);
  const dir = join(base, safeFileName(lot), `r${Math.trunc(revision)}`);
  const rel = relative(base, dir);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new Error(`Refusing to write reports outside ${base} for lot "${lot}".`);
  }
  return dir;
}

export async function writeLotReports(input: WriteLotReportsInput): Promise<WrittenReports> {
  const { result, decision } = input;
  const dir = lotReportDir(input.outDir ?? 'reports', result.lot, result.revision);
  await mkdir(dir, { recursive: true });
  const stem = `${safeFileName(result.lot)}-r${result.revision}`;
  const json = join(dir, 'lot-result.json');
  const csv = join(dir, 'units.csv');
  const canonical = writeLotResultJson(result);
  // The JSON written is the canonical form, so its SHA-256 is the result hash: computed once, used by both PDFs.
  const hash = sha256Hex(canonical);
  // Files are written in the background while the next output is rendered (the 25 MB JSON and the PDFs
  // go to disk on libuv's threads, the rendering stays on this one); all are awaited before returning.
  const writes: Promise<void>[] = [];
  const write = (path: string, data: string | Uint8Array): void => {
    const pending = writeFile(path, data);
    // Handled by Promise.all below; this keeps a failure during a later render from counting as unhandled.
    pending.catch(() => undefined);
    writes.push(pending);
  };
  write(json, canonical);
  write(csv, writeUnitResultsCsv(result));

  let coc: string | null = null;
  let cocSkipped: string | null = null;
  if (input.coc ?? true) {
    if (!decision) cocSkipped = 'the lot is not decided';
    else if (decision.disposition !== 'ACCEPT') cocSkipped = `the lot is ${decision.disposition}: no certificate`;
    else if (!input.context) cocSkipped = 'no certificate context (company, customer) given';
    else {
      coc = join(dir, `coc-${stem}.pdf`);
      write(coc, await renderCertificate(result, decision, input.context, { ...input.certificateOptions, resultSha256: hash }));
    }
  } else cocSkipped = 'not requested';

  let engineering: string | null = null;
  if (input.engineering ?? true) {
    engineering = join(dir, `engineering-${stem}.pdf`);
    write(engineering, await renderEngineeringReport(result, decision, { resultSha256: hash }));
  }
  await Promise.all(writes);

  const previews: string[] = [];
  let previewSkipped: string | null = null;
  if (input.preview) {
    const tool = await findPdftoppm();
    if (!tool) previewSkipped = 'pdftoppm not found (install poppler-utils for PNG previews)';
    else {
      for (const pdf of [coc, engineering]) {
        if (!pdf) continue;
        const prefix = pdf.replace(/\.pdf$/, '');
        await run(tool, ['-png', '-r', '60', pdf, prefix]);
        previews.push(`${prefix}-*.png`);
      }
    }
  }
  return { dir, json, csv, coc, cocSkipped, engineering, previews, previewSkipped };
}

async function findPdftoppm(): Promise<string | null> {
  try {
    const { stdout } = await run('which', ['pdftoppm']);
    const p = stdout.trim();
    return p.length > 0 ? p : null;
  } catch {
    return null;
  }
}
