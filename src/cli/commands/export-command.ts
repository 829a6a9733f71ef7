/**
 * @module `lotqa export <lot>` — a lot's readings for JMP, Minitab or Excel (long or wide CSV, or XLSX).
 */
import { Option, type Command } from 'commander';
import { configOf, withStore } from '../cli-context.js';
import type { ExportFormat } from '../../pipeline/export-readings.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Export every reading of a lot (serial, attempt, station, time, corner, lane, value, unit, censoring, file, line)')
    .argument('<lot>', 'lot id')
    .addOption(new Option('--format <format>', 'long or wide CSV, or an Excel workbook').choices(['long', 'wide', 'xlsx']).default('long'))
    .option('--parameters <ids>', 'only these parameters (comma-separated ids)', (v: string) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .addOption(new Option('--attempt <which>', "every attempt, or each unit's final one").choices(['all', 'final']).default('all'))
    .option('--out <file>', 'write to this file (CSV: default standard output; xlsx: required)')
    .action(
      async (lot: string, flags: { format: ExportFormat; parameters?: string[]; attempt: 'all' | 'final'; out?: string }, cmd: Command) => {
        const { exportReadings } = await import('../../pipeline/export-readings.js');
        const summary = await withStore(configOf(cmd), (store) =>
          exportReadings(store, lot, { format: flags.format, parameters: flags.parameters, attempts: flags.attempt, out: flags.out }),
        );
        if (flags.out !== undefined)
          process.stderr.write(`lot ${summary.lot}: ${summary.readings} readings of ${summary.runs} test runs written to ${flags.out}\n`);
      },
    );
}
