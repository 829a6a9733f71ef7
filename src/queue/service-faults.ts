/**
 * @module Which service faults a worker waits out and which ones need a person. A network cut, a
 * restarting PostgreSQL or Redis heals on its own: the worker retries. A refused login, an unknown
 * database or host does not: retrying forever only hides it, so the worker stops with exit code 2 and
 * says what to fix.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';

/** Redis refused the login: wrong password or user, or a password the server wants and did not get. */
export class RedisLoginError extends LotqaError {
  override name = 'RedisLoginError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, {
      exitCode: ExitCode.configOrService,
      hint: 'put the right user and password in REDIS_URL (redis://user:password@host:6379)',
      ...options,
    });
  }
}

/** Error codes of the network and of PostgreSQL that a restart, failover or reconnect can heal. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or recovering
]);

/** Messages of the node drivers for a connection that went away under them. */
const TRANSIENT_MESSAGES =
  /Connection terminated|connection is closed|Client has encountered a connection error|ECONNRESET|socket hang up/i;

/** The codes of an error and of the errors it wraps (`cause`), outermost first. */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** True when waiting and trying again can help: the service is down, restarting, or the network cut. */
export function isTransientServiceError(err: unknown): boolean {
  if (codesOf(err).some((c) => TRANSIENT_CODES.has(c))) return true;
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (TRANSIENT_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** True for Redis replies that mean the login was refused (retrying with the same password cannot help). */
export function isRedisLoginRefused(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /^(WRONGPASS|NOAUTH|NOPERM)\b/.test(message) || /invalid username-password pair|Authentication required/i.test(message);
}
