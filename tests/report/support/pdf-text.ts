/**
 * Text of a PDF for assertions: poppler's `pdftotext -layout` when installed (keeps table columns on one
 * line), else pdfjs-dist 4 (legacy build, Node 20), one line per text item run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  if (hasTool('pdftotext')) {
    const dir = mkdtempSync(join(tmpdir(), 'lotqa-pdf-'));
    try {
      const file = join(dir, 'x.pdf');
      writeFileSync(file, pdf);
      const out = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return out.split('\f').slice(0, -1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

/** Attachments and outline titles through pdfjs-dist (what a PDF viewer sees). */
export async function pdfStructure(
  pdf: Uint8Array,
): Promise<{ attachments: Record<string, { filename: string; content: Uint8Array }>; outline: string[]; pages: number }> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const attachments = ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
  const titles: string[] = [];
  const walk = (items: { title: string; items: unknown[] }[] | null, depth: number): void => {
    for (const it of items ?? []) {
      titles.push(`${'  '.repeat(depth)}${it.title}`);
      walk(it.items as { title: string; items: unknown[] }[], depth + 1);
    }
  };
  walk(await doc.getOutline(), 0);
  const pages = doc.numPages;
  await doc.destroy();
  return { attachments, outline: titles, pages };
}
