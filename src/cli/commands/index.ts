/**
 * @module Every `lotqa` command. Each command module is imported only when that command runs (or for
 * `--help`), so `lotqa lots` does not pay for loading the PDF renderer and the queue client.
 */
import type { Command } from 'commander';

type Registrar = (program: Command) => void;

/** Command name → loader of the module that registers it, in the order `--help` lists them. */
const COMMANDS: readonly (readonly [readonly string[], () => Promise<Registrar>])[] = [
  [['demo'], async () => (await import('./demo-command.js')).registerDemoCommand],
  [['run'], async () => (await import('./run-command.js')).registerRunCommand],
  [['generate'], async () => (await import('./generate-command.js')).registerGenerateCommand],
  [['ingest'], async () => (await import('./ingest-command.js')).registerIngestCommand],
  [['baseline'], async () => (await import('./baseline-command.js')).registerBaselineCommand],
  [['sampling'], async () => (await import('./sampling-command.js')).registerSamplingCommand],
  [
    ['evaluate', 'decide', 'audit', 'report', 'verify', 'lots', 'quarantine'],
    async () => (await import('./lot-commands.js')).registerLotCommands,
  ],
  [
    ['lot'],
    async () => {
      const [set, correction] = await Promise.all([import('./lot-set-command.js'), import('./lot-void-move.js')]);
      return (program: Command) => {
        correction.registerLotCorrectionCommands(program);
        set.registerLotSetCommand(program);
      };
    },
  ],
  [['conflicts'], async () => (await import('./conflicts-command.js')).registerConflictsCommand],
  [['export'], async () => (await import('./export-command.js')).registerExportCommand],
  [['worker'], async () => (await import('./worker-command.js')).registerWorkerCommand],
  [['submit'], async () => (await import('./submit-command.js')).registerSubmitCommand],
  [['watch'], async () => (await import('./watch-command.js')).registerWatchCommand],
  [['close-lot'], async () => (await import('./close-lot-command.js')).registerCloseLotCommand],
  [['status'], async () => (await import('./status-command.js')).registerStatusCommand],
  [['schedule'], async () => (await import('./schedule-command.js')).registerScheduleCommand],
  [['dashboard'], async () => (await import('./dashboard-command.js')).registerDashboardCommand],
  [['serve'], async () => (await import('./serve-command.js')).registerServeCommand],
  [['account'], async () => (await import('./account-command.js')).registerAccountCommand],
];

export const COMMAND_NAMES: readonly string[] = COMMANDS.flatMap(([names]) => names);

/** Registers the module of `only` when it names a known command, else every command (help, typos). */
export async function registerCommands(program: Command, only?: string): Promise<void> {
  const chosen = COMMANDS.filter(([names]) => only !== undefined && names.includes(only));
  for (const [, load] of chosen.length > 0 ? chosen : COMMANDS) (await load())(program);
}
