/**
 * @module Redis connections for the two roles BullMQ distinguishes (see its "Going to production" guide):
 * workers wait for Redis forever (`maxRetriesPerRequest: null`, offline queue on), so a Redis restart only
 * pauses them; producers (`submit`, `close-lot`, `watch`) fail fast (`enableOfflineQueue: false`) so a person
 * or script gets a clear error instead of a hang.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { isRedisLoginRefused, RedisLoginError } from './service-faults.js';

export class RedisUrlError extends LotqaError {
  override name = 'RedisUrlError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, {
      exitCode: ExitCode.configOrService,
      hint: 'set REDIS_URL (or redisUrl in lotqa.config.json) to redis://host:6379',
      ...options,
    });
  }
}

export class RedisUnavailableError extends LotqaError {
  override name = 'RedisUnavailableError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, hint: 'start Redis, or check REDIS_URL', ...options });
  }
}

/**
 * Reads `redis://[user][:password]@host:port/db` or `rediss://…` (TLS) into ioredis options. The password
 * and user are URL-decoded; `rediss:` turns TLS on with the host as SNI name.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUrlError(`REDIS_URL "${url}" is not a URL: use redis://host:6379, redis://:password@host:6379/0 or rediss://… for TLS`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new RedisUrlError(`REDIS_URL "${u.protocol}//${u.host}" has an unsupported scheme: use redis:// or rediss:// (TLS)`);
  }
  const options: RedisOptions = { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379 };
  if (u.username) options.username = decodeURIComponent(u.username);
  if (u.password) options.password = decodeURIComponent(u.password);
  const db = u.pathname.replace(/^\//, '');
  if (db) {
    const n = Number(db);
    if (!Number.isInteger(n) || n < 0) throw new RedisUrlError(`REDIS_URL database "${db}" must be a whole number (redis://host:6379/0)`);
    options.db = n;
  }
  if (u.protocol === 'rediss:') options.tls = { servername: options.host! };
  return options;
}

/**
 * The ioredis connection as BullMQ's `connection` option: one place where queues, workers and flows get
 * their connection (BullMQ 6 types it against the ioredis 6 lotqa uses; an earlier pairing needed a cast).
 */
export function bullConnection(connection: Redis): ConnectionOptions {
  return connection;
}

/** The address without credentials, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/** A connection for Workers and QueueEvents: blocks and retries until Redis is back. */
export function createWorkerConnection(url: string): Redis {
  return new Redis({ ...redisOptionsFromUrl(url), maxRetriesPerRequest: null, connectionName: 'lotqa-worker' });
}

/**
 * A connection for producers: commands fail at once while Redis is unreachable. Waits for the first
 * connect (up to `timeoutMs`) and throws {@link RedisUnavailableError} with the address when it fails.
 */
export async function connectProducer(url: string, timeoutMs = 3000): Promise<Redis> {
  const conn = new Redis({
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    connectionName: 'lotqa-producer',
  });
  // Reported by the connect() rejection below. A refused login shows only here: connect() then rejects
  // with "Connection is closed".
  let refusedLogin: Error | null = null;
  conn.on('error', (err: Error) => {
    if (isRedisLoginRefused(err)) refusedLogin = err;
  });
  try {
    await conn.connect();
  } catch (err) {
    conn.disconnect();
    if (refusedLogin !== null || isRedisLoginRefused(err))
      throw new RedisLoginError(`Redis at ${redactRedisUrl(url)} refused the login: ${(refusedLogin ?? (err as Error)).message}`);
    throw new RedisUnavailableError(
      `cannot reach Redis at ${redactRedisUrl(url)} (${(err as Error).message}): start Redis or set REDIS_URL (redis://[:password@]host:port, rediss:// for TLS)`,
      { cause: err },
    );
  }
  return conn;
}

/**
 * BullMQ loses jobs silently when Redis evicts keys: only `noeviction` is safe. Returns a warning text
 * when the policy is anything else (or cannot be read, e.g. CONFIG is disabled on a managed Redis).
 */
export async function evictionPolicyWarning(conn: Redis): Promise<string | null> {
  try {
    const reply = await conn.call('CONFIG', 'GET', 'maxmemory-policy');
    const policy = Array.isArray(reply)
      ? String(reply[1])
      : reply && typeof reply === 'object'
        ? String(Object.values(reply)[0])
        : String(reply);
    return policy === 'noeviction'
      ? null
      : `Redis maxmemory-policy is "${policy}": set it to "noeviction", otherwise Redis may evict queue keys and jobs are lost`;
  } catch (err) {
    return `could not read Redis maxmemory-policy (${(err as Error).message}); make sure it is "noeviction"`;
  }
}
