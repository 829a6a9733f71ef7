/**
 * @module Writes a lot's outputs to its report folder `reports/<lot>/`: lot-result.json, units.csv,
 * signals.csv, the engineering report and, for an ACCEPT, the Certificate of Conformance (signed with the
 * company's certificate when one is configured), plus PNG previews of the PDFs when poppler's
 * `pdftoppm` is installed. Documents they replace move to `reports/<lot>/superseded/`; every file is
 * written atomically (report-folder.ts). The only I/O of the report stage; the renderers are pure.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join, resolve, relative, isAbsolute, sep } from 'node:path';
import type { LotResult } from '../domain/lot-result.js';
import type { CertificateContext, DecisionRecord } from '../domain/decision.js';
import { isPlaceholderCompany, renderCertificate, type CertificateOptions } from './coc-pdf.js';
import { renderEngineeringReport } from './engineering-pdf.js';
import { writeUnitResultsCsv } from './unit-results-csv.js';
import { writeLotResultJson } from './lot-result-json.js';
import { writeSignalsCsv } from './signal-table.js';
import { safeFileName } from './text-safety.js';
import { sha256Hex } from './result-hash.js';
import { signPdf, type SigningCredential } from './certificate-signing.js';
import { SUPERSEDED_DIR, updateLotFolder, type FolderDocument } from './report-folder.js';

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
  /** The company's signing credential; without one the CoC is an unsigned draft. */
  readonly signing?: SigningCredential | null;
  /**
   * A watermarked DRAFT certificate (never an issued one), e.g. while the company is not configured.
   * @defaultValue false
   */
  readonly draft?: boolean;
  /**
   * Times each part of the write (`lot-result.json`, `units.csv`, `signals.csv`, `certificate`,
   * `certificate signature`, `engineering report`, `folder write`), e.g. the pipeline's `LOTQA_TIMINGS`
   * lines. @defaultValue runs each part untimed
   */
  readonly timed?: PhaseTimer;
  /**
   * The result's canonical JSON (UTF-8) and its SHA-256, when the caller has them (the evaluation just
   * stored): written as lot-result.json as they are instead of serialising the result again.
   */
  readonly canonicalResult?: { readonly bytes: Uint8Array; readonly sha256: string };
}

/** Runs one named part of a larger piece of work, timing it as the caller wishes. */
export type PhaseTimer = <T>(part: string, work: () => Promise<T> | T) => Promise<T>;

const untimed: PhaseTimer = async (_part, work) => work();

export interface WrittenReports {
  readonly dir: string;
  readonly json: string;
  readonly csv: string;
  readonly signalsCsv: string;
  readonly coc: string | null;
  /** How the certificate was issued, when one was written. */
  readonly cocStatus: 'signed' | 'unsigned' | 'draft' | null;
  /** Why no certificate was written, when none was. */
  readonly cocSkipped: string | null;
  readonly engineering: string | null;
  /** Files this write moved to `superseded/`. */
  readonly superseded: readonly string[];
  readonly previews: readonly string[];
  readonly previewSkipped: string | null;
}

/** `<outDir>/<safe lot>`, guaranteed inside outDir whatever the lot name. */
export function lotReportDir(outDir: string, lot: string): string {
  const base = resolve(outDir);
  const dir = join(base, safeFileName(lot));
  const rel = relative(base, dir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new Error(`Refusing to write reports outside ${base} for lot "${lot}".`);
  }
  return dir;
}

/** Revision a document name carries (`engineering-L1-r3.pdf` → 3), or null. */
function revisionOfName(name: string): number | null {
  const m = /-r(\d+)(?:-DRAFT)?\.pdf$/.exec(name);
  return m ? Number(m[1]) : null;
}

export async function writeLotReports(input: WriteLotReportsInput): Promise<WrittenReports> {
  const { result, decision } = input;
  const timed = input.timed ?? untimed;
  const lotDir = lotReportDir(input.outDir ?? 'reports', result.lot);
  // Documents of an older revision than the ones in the folder are history: they go to superseded/.
  const present = await readdir(lotDir).catch(() => [] as string[]);
  const newest = Math.max(0, ...present.map((n) => revisionOfName(n) ?? 0));
  const historical = newest > result.revision;
  const dir = historical ? join(lotDir, SUPERSEDED_DIR, `r${result.revision}`) : lotDir;

  const stem = `${safeFileName(result.lot)}-r${result.revision}`;
  const documents: FolderDocument[] = [];
  const { canonical, hash } = await timed('lot-result.json', () => {
    if (input.canonicalResult) return { canonical: input.canonicalResult.bytes, hash: input.canonicalResult.sha256 };
    const canonical = writeLotResultJson(result);
    // The JSON written is the canonical form, so its SHA-256 is the result hash: computed once, used by both PDFs.
    return { canonical, hash: sha256Hex(canonical) };
  });
  documents.push({ name: 'lot-result.json', data: canonical });
  documents.push({ name: 'units.csv', data: await timed('units.csv', () => writeUnitResultsCsv(result)) });
  documents.push({ name: 'signals.csv', data: await timed('signals.csv', () => writeSignalsCsv(result)) });

  let coc: string | null = null;
  let cocStatus: WrittenReports['cocStatus'] = null;
  let cocSkipped: string | null = null;
  const draft = input.draft === true;
  if (input.coc ?? true) {
    if (!decision) cocSkipped = 'the lot is not decided';
    else if (decision.disposition !== 'ACCEPT')
      cocSkipped = `the lot is ${decision.disposition} (a certificate is issued for an accepted lot only)`;
    else if (!input.context) cocSkipped = 'no certificate context (company, customer) given';
    else if (!draft && isPlaceholderCompany(input.context))
      cocSkipped = `the company is lotqa's placeholder "${input.context.company.name}": set company.name in lotqa.config.json, or pass --draft for a watermarked draft`;
    else {
      const signing = draft ? null : (input.signing ?? null);
      const context = input.context;
      const pdf = await timed('certificate', () =>
        renderCertificate(result, decision, context, {
          ...input.certificateOptions,
          resultSha256: hash,
          draft,
          signedBy: signing?.signerName ?? null,
        }),
      );
      const signed = signing
        ? await timed('certificate signature', () =>
            signPdf(pdf, signing, {
              reason: `Certificate of Conformance, lot ${result.lot} revision ${result.revision}`,
              signingTime: new Date(input.certificateOptions?.issuedAt ?? decision.decidedAt),
            }),
          )
        : pdf;
      const name = `coc-${stem}${draft ? '-DRAFT' : ''}.pdf`;
      documents.push({ name, data: signed });
      coc = join(dir, name);
      cocStatus = draft ? 'draft' : signing ? 'signed' : 'unsigned';
    }
  } else cocSkipped = 'not requested';

  let engineering: string | null = null;
  if (input.engineering ?? true) {
    const name = `engineering-${stem}.pdf`;
    documents.push({
      name,
      data: await timed('engineering report', () => renderEngineeringReport(result, decision, { resultSha256: hash })),
    });
    engineering = join(dir, name);
  }

  const issued = cocStatus !== null && cocStatus !== 'draft';
  const update = await timed('folder write', () =>
    updateLotFolder(dir, documents, (name) => {
      const rev = revisionOfName(name);
      if (rev !== null && rev !== result.revision) return true; // an earlier revision's document
      return issued && name === `coc-${stem}-DRAFT.pdf`; // a draft the issued certificate replaces
    }),
  );

  const previews: string[] = [];
  let previewSkipped: string | null = null;
  if (input.preview) {
    const tool = await findPdftoppm();
    if (!tool) previewSkipped = 'pdftoppm not found (install poppler-utils for PNG previews)';
    else {
      const pdfs = (await readdir(dir)).filter((n) => n.endsWith('.pdf')).map((n) => join(dir, n));
      for (const pdf of pdfs) {
        const prefix = pdf.replace(/\.pdf$/, '');
        await run(tool, ['-png', '-r', '60', pdf, prefix]);
        previews.push(`${prefix}-*.png`);
      }
    }
  }
  return {
    dir,
    json: join(dir, 'lot-result.json'),
    csv: join(dir, 'units.csv'),
    signalsCsv: join(dir, 'signals.csv'),
    coc,
    cocStatus,
    cocSkipped,
    engineering,
    superseded: update.superseded,
    previews,
    previewSkipped,
  };
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
