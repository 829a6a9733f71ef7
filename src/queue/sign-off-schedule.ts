/**
 * @module The scheduled sign-off: one BullMQ job scheduler (`lotqa-sign-off`) on the sign-off queue.
 * Upserting it again updates it in place — any number of workers or deploys may call it, there is never
 * a second scheduler.
 */
import { LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';
import type { Queue } from 'bullmq';
import { SIGN_OFF_SCHEDULER_ID, type SignOffJobData } from './job-ids.js';

export class ScheduleError extends LotqaError {
  override name = 'ScheduleError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { hint: 'see `lotqa schedule --help`', ...options });
  }
}

export interface SignOffSchedule {
  readonly id: string;
  readonly pattern: string;
  readonly tz: string;
  /** Epoch ms of the next run, when known. */
  readonly next: number | null;
}

/** Creates or updates the sign-off schedule (cron with seconds: `0 30 6 * * *` = 06:30:00 daily). */
export async function upsertSignOffSchedule(
  queue: Queue<SignOffJobData>,
  schedule: { pattern: string; tz: string },
): Promise<SignOffSchedule> {
  try {
    Intl.DateTimeFormat('en', { timeZone: schedule.tz });
  } catch {
    throw new ScheduleError(`unknown time zone "${schedule.tz}": use an IANA name such as UTC or Europe/Berlin`);
  }
  try {
    await queue.upsertJobScheduler(
      SIGN_OFF_SCHEDULER_ID,
      { pattern: schedule.pattern, tz: schedule.tz },
      { name: 'scheduled-sign-off', data: { kind: 'sign-off' } },
    );
  } catch (err) {
    throw new ScheduleError(
      `cannot schedule the sign-off with pattern "${schedule.pattern}": ${(err as Error).message}. Use cron with seconds, e.g. '0 30 6 * * *' for 06:30:00 daily`,
    );
  }
  const current = await getSignOffSchedule(queue);
  if (!current) throw new ScheduleError('the sign-off schedule was written but cannot be read back');
  return current;
}

/** The current sign-off schedule, or null when none is set. */
export async function getSignOffSchedule(queue: Queue<SignOffJobData>): Promise<SignOffSchedule | null> {
  const s = await queue.getJobScheduler(SIGN_OFF_SCHEDULER_ID);
  if (!s) return null;
  return { id: SIGN_OFF_SCHEDULER_ID, pattern: s.pattern ?? '', tz: s.tz ?? 'UTC', next: s.next ?? null };
}

/** Removes the schedule; true when there was one. */
export async function removeSignOffSchedule(queue: Queue<SignOffJobData>): Promise<boolean> {
  return queue.removeJobScheduler(SIGN_OFF_SCHEDULER_ID);
}

/** Runs a sign-off now (outside the schedule), e.g. after maintenance. */
export async function runSignOffNow(queue: Queue<SignOffJobData>): Promise<string | undefined> {
  return (await queue.add('manual-sign-off', { kind: 'sign-off' })).id;
}
