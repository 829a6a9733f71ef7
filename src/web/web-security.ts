/**
 * @module The console's defences, in one place: sessions in httpOnly SameSite=Strict cookies, a CSRF
 * token per session (sent back in a header or form field on every state-changing request), Host and
 * Origin checks (DNS rebinding, cross-site posts), a login rate limit, security headers, and API tokens
 * for machines (Bearer; no cookie, so no CSRF). Sessions live in the server's memory: restarting the
 * console logs everyone out, which is the safe failure.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast, type AccountRole } from '../domain/e-signature.js';
import type { AccountRecord } from '../store/store.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { SeparationOfDutiesError } from '../pipeline/separation-of-duties.js';

/** A signature refused for who is signing (wrong password or role, inactive account, separation of duties): 403. */
export function isSignatureRefusal(err: unknown): err is LotqaError {
  return err instanceof SeparationOfDutiesError || (err instanceof LotqaError && err.name === 'AccountError');
}

export const SESSION_COOKIE = 'lotqa_session';
export const LOGIN_CSRF_COOKIE = 'lotqa_login_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Who is asking: a logged-in person (cookie) or a machine (API token). */
export interface Principal {
  readonly username: string;
  readonly fullName: string;
  readonly role: AccountRole;
  readonly via: 'session' | 'token';
  /** The session's CSRF token (sessions only). */
  readonly csrf: string | null;
}

interface Session {
  readonly username: string;
  readonly fullName: string;
  readonly role: AccountRole;
  readonly csrf: string;
  expires: number;
}

export interface SessionOptions {
  /** Idle time after which a session ends. @defaultValue 8 hours (one shift) */
  readonly idleMs?: number;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #idleMs: number;

  constructor(options: SessionOptions = {}) {
    this.#idleMs = options.idleMs ?? 8 * 3600_000;
  }

  create(account: Pick<AccountRecord, 'username' | 'fullName' | 'role'>): { id: string; csrf: string } {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    this.#sessions.set(id, {
      username: account.username,
      fullName: account.fullName,
      role: account.role,
      csrf,
      expires: Date.now() + this.#idleMs,
    });
    return { id, csrf };
  }

  get(id: string | undefined): Principal | null {
    if (!id) return null;
    const s = this.#sessions.get(id);
    if (!s) return null;
    if (s.expires < Date.now()) {
      this.#sessions.delete(id);
      return null;
    }
    s.expires = Date.now() + this.#idleMs;
    return { username: s.username, fullName: s.fullName, role: s.role, via: 'session', csrf: s.csrf };
  }

  destroy(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }
}

/** Failed logins per (client address, account): 5 in 15 minutes, then refused until the window passes. */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  #recent(key: string): number[] {
    const now = Date.now();
    const list = (this.#failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.#failures.set(key, list);
    return list;
  }
  /** Seconds until another try is allowed, or 0. */
  retryAfter(key: string): number {
    const list = this.#recent(key);
    if (list.length < this.max) return 0;
    return Math.ceil((list[0]! + this.windowMs - Date.now()) / 1000);
  }
  fail(key: string): void {
    this.#recent(key).push(Date.now());
  }
  succeed(key: string): void {
    this.#failures.delete(key);
  }
}

/** Cookies of a request (a tiny parser: lotqa sets only simple token values). */
export function cookiesOf(request: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    try {
      out.set(k, decodeURIComponent(v));
    } catch {
      /* a malformed cookie is ignored, never an error page */
    }
  }
  return out;
}

export function setCookie(reply: FastifyReply, name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number }): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  const prior = reply.getHeader('set-cookie');
  const list = prior === undefined ? [] : Array.isArray(prior) ? prior.map(String) : [String(prior)];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

export function sameSecret(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The Host header must name this console (a DNS-rebinding page reaches a loopback port under its own
 * host name); `allowed` are host[:port] values, lower case.
 */
export function hostAllowed(request: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  const host = (request.headers.host ?? '').toLowerCase();
  return allowed.has(host);
}

/**
 * A state-changing request made with a cookie must come from a page of this console: its Origin (or,
 * when a browser sends none, its Referer) must be this host. Fail closed: neither header → refused.
 */
export function originAllowed(request: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin ?? request.headers.referer;
  if (typeof origin !== 'string' || origin === 'null') return false;
  try {
    return allowed.has(new URL(origin).host.toLowerCase());
  } catch {
    return false;
  }
}

/** Security headers on every response. Scripts only from this console; nothing inline; no framing. */
export function securityHeaders(reply: FastifyReply, tls: boolean, inlineStyles = false): void {
  // bull-board's React UI sets inline styles; scripts stay 'self' only everywhere.
  reply.header(
    'content-security-policy',
    `default-src 'none'; script-src 'self'; style-src 'self'${inlineStyles ? " 'unsafe-inline'" : ''}; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (tls) reply.header('strict-transport-security', 'max-age=31536000');
}

export function hasRole(principal: Principal | null, needed: AccountRole): boolean {
  return principal !== null && roleAtLeast(principal.role, needed);
}

/** True when listening on `host` reaches only this machine. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}
