/**
 * @module `lotqa schedule show|set|remove|run` — the scheduled sign-off.
 */
import type { Command } from 'commander';
import { commandConfig, printLine, withProducerQueues } from '../../queue/cli-support.js';
import {
  getSignOffSchedule,
  removeSignOffSchedule,
  runSignOffNow,
  upsertSignOffSchedule,
  type SignOffSchedule,
} from '../../queue/sign-off-schedule.js';

const describe = (s: SignOffSchedule | null): string =>
  s
    ? `sign-off runs at '${s.pattern}' (${s.tz}); next: ${s.next ? new Date(s.next).toISOString() : 'unknown'}`
    : 'no sign-off schedule (a sign-off worker creates it from the configuration when it starts)';

export function registerScheduleCommand(program: Command): void {
  const schedule = program.command('schedule').description('Show or change when complete lots are signed off automatically');
  schedule
    .command('show')
    .description('Show the sign-off schedule')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd);
      printLine(describe(await withProducerQueues(config, (q) => getSignOffSchedule(q.signOff))));
    });
  schedule
    .command('set')
    .description("Set the sign-off schedule (cron with seconds: '0 30 6 * * *' is 06:30:00 every day)")
    .option('--pattern <cron>', 'cron pattern with seconds (default: config schedule.pattern)')
    .option('--tz <zone>', 'IANA time zone (default: config schedule.tz)')
    .action(async (opts: { pattern?: string; tz?: string }, cmd: Command) => {
      const config = commandConfig(cmd);
      const s = await withProducerQueues(config, (q) =>
        upsertSignOffSchedule(q.signOff, { pattern: opts.pattern ?? config.schedule.pattern, tz: opts.tz ?? config.schedule.tz }),
      );
      printLine(describe(s));
    });
  schedule
    .command('remove')
    .description('Stop signing off automatically')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd);
      const removed = await withProducerQueues(config, (q) => removeSignOffSchedule(q.signOff));
      printLine(removed ? 'sign-off schedule removed' : 'there was no sign-off schedule');
    });
  schedule
    .command('run')
    .description('Run a sign-off now (the workers sign off every complete lot not yet decided)')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd);
      const id = await withProducerQueues(config, (q) => runSignOffNow(q.signOff));
      printLine(`sign-off queued (job ${id})`);
    });
}
