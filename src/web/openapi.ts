/**
 * @module The OpenAPI 3.1 document of the console's API, built from the same route table and TypeBox
 * schemas that validate the requests (so the document is the code, not a copy of it).
 */
import type { TSchema } from '@sinclair/typebox';
import { LOTQA_VERSION } from '../version.js';

export interface ApiRouteDoc {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly summary: string;
  readonly role: string;
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  readonly response?: TSchema;
}

/** JSON Schema without TypeBox's symbol keys (JSON.stringify drops them). */
const plain = (s: TSchema): unknown => JSON.parse(JSON.stringify(s));

function parameters(where: 'path' | 'query', schema: TSchema | undefined): unknown[] {
  if (!schema) return [];
  const props = (plain(schema) as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {};
  const required = new Set((plain(schema) as { required?: string[] }).required ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}

export function openApiDocument(routes: readonly ApiRouteDoc[]): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z][A-Za-z0-9]*)/g, '{$1}');
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      description: `Needs the ${r.role} role (a session cookie, or \`Authorization: Bearer <API token>\`).${r.method === 'POST' ? ' With a session cookie: the `x-csrf-token` header and a same-origin Origin.' : ''}`,
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(r.body) } } } } : {}),
      responses: {
        '200': { description: 'OK', ...(r.response ? { content: { 'application/json': { schema: plain(r.response) } } } : {}) },
        '400': { description: 'bad input (the message names the field)' },
        '401': { description: 'no session or token' },
        '403': { description: 'wrong role, CSRF or origin refused, or signature refused' },
        '404': { description: 'no such lot, unit or chart' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'lotqa console API', version: LOTQA_VERSION },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'lotqa_session' }, token: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}
