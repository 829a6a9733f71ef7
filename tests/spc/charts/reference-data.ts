/** Loaders for the published reference data sets in tests/fixtures/reference (see README-spc-charts.md there). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/reference/', import.meta.url));

/** Rows of a comma-separated file with a header line; `#` lines are comments. */
export function readCsv(name: string): Record<string, string>[] {
  const lines = readFileSync(dir + name, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = (lines[0] ?? '').split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** qcc pistonrings as 40 subgroups of 5 (first 25 = Phase I). */
export function pistonrings(): { phase1: number[][]; phase2: number[][] } {
  const groups = new Map<number, number[]>();
  for (const r of readCsv('qcc-pistonrings.csv')) {
    const s = Number(r.sample);
    const g = groups.get(s) ?? [];
    g.push(Number(r.diameter));
    groups.set(s, g);
  }
  const all = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
  return { phase1: all.slice(0, 25), phase2: all.slice(25) };
}

export function orangejuice(): { D: number[]; size: number[]; trial: boolean[] } {
  const rows = readCsv('qcc-orangejuice.csv');
  return { D: rows.map((r) => Number(r.D)), size: rows.map((r) => Number(r.size)), trial: rows.map((r) => r.trial === 'TRUE') };
}

export function circuit(): { x: number[]; size: number[]; trial: boolean[] } {
  const rows = readCsv('qcc-circuit.csv');
  return { x: rows.map((r) => Number(r.x)), size: rows.map((r) => Number(r.size)), trial: rows.map((r) => r.trial === 'TRUE') };
}

interface MontgomeryData {
  flowWidthPhase1: { subgroups: number[][] };
  flowWidthPhase2: { subgroups: number[][] };
  mortgageCostPhase1: { values: number[] };
  mortgageCostPhase2: { values: number[] };
  table91: { values: number[] };
}

export function montgomery(): MontgomeryData {
  return JSON.parse(readFileSync(dir + 'montgomery-spc-charts.json', 'utf8')) as MontgomeryData;
}
