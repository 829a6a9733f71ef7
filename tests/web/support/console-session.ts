/**
 * Driving a console app in process as a browser would: log in through the form (its double-submit
 * CSRF cookie), then GET and POST with the session cookie, the CSRF header and the console's Origin.
 */
import { expect } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const HOST = 'console.test:3300';
export const ORIGIN = `http://${HOST}`;

export interface Session {
  cookie: string;
  csrf: string;
}

/** The JSON body of a refused request. */
export interface Problem {
  message: string;
}

export function cookieOf(res: LightMyRequestResponse, name: string): string | undefined {
  const set = res.headers['set-cookie'];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  const line = list.find((c) => c.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0];
}

export function consoleClient(app: () => FastifyInstance) {
  const login = async (username: string, password: string): Promise<Session> => {
    const form = await app().inject({ method: 'GET', url: '/login', headers: { host: HOST } });
    const loginCsrf = cookieOf(form, 'lotqa_login_csrf')!;
    const res = await app().inject({
      method: 'POST',
      url: '/login',
      headers: { host: HOST, origin: ORIGIN, cookie: `lotqa_login_csrf=${loginCsrf}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: loginCsrf, username, password, next: '/' }).toString(),
    });
    expect(res.statusCode, res.body).toBe(303);
    const cookie = `lotqa_session=${cookieOf(res, 'lotqa_session')!}`;
    const session = await app().inject({ method: 'GET', url: '/api/session', headers: { host: HOST, cookie } });
    return { cookie, csrf: session.json<{ csrf: string }>().csrf };
  };
  const get = (url: string, s?: Session | null, headers: Record<string, string> = {}) =>
    app().inject({ method: 'GET', url, headers: { host: HOST, ...(s ? { cookie: s.cookie } : {}), ...headers } });
  /** POSTs `body` (JSON unless a Buffer, which goes as application/octet-stream). */
  const post = (url: string, body: unknown, s?: Session | null, headers: Record<string, string> = {}) =>
    app().inject({
      method: 'POST',
      url,
      headers: {
        host: HOST,
        origin: ORIGIN,
        'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json',
        ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
        ...headers,
      },
      payload: Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  return { login, get, post };
}
