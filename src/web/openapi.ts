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
  /** A route whose body is a file's raw bytes (not JSON): its media type and size limit. */
  readonly upload?: UploadDoc;
  readonly response?: TSchema;
}

/** The raw-bytes request body of an upload route (an attachment, a certificate to verify). */
export interface UploadDoc {
  /** The Content-Type the route takes, e.g. application/octet-stream. */
  readonly mediaType: string;
  /** Largest body accepted; a larger one is refused with 413 (before it is read, when Content-Length says so). */
  readonly maxBytes: number;
  /** What the bytes are. */
  readonly description: string;
}

function uploadBody(u: UploadDoc): unknown {
  return {
    required: true,
    description: `${u.description}. The raw bytes as the body, Content-Type ${u.mediaType}, at most ${u.maxBytes} bytes; sent with Content-Length or chunked (Transfer-Encoding: chunked), a larger body is refused with 413.`,
    content: { [u.mediaType]: { schema: { type: 'string', contentMediaType: u.mediaType, maxLength: u.maxBytes } } },
    'x-lotqa-max-bytes': u.maxBytes,
  };
}

/** The request headers an upload is sent with (Content-Type itself is the requestBody's key). */
const UPLOAD_HEADERS = [
  {
    name: 'Content-Length',
    in: 'header',
    required: false,
    description:
      'the size of the body; over the limit, the upload is refused with 413 before it is read (absent: chunked, counted as read)',
    schema: { type: 'integer', minimum: 1 },
  },
];

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
      parameters: [...parameters('path', r.params), ...parameters('query', r.query), ...(r.upload ? UPLOAD_HEADERS : [])],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(r.body) } } } } : {}),
      ...(r.upload ? { requestBody: uploadBody(r.upload) } : {}),
      responses: {
        '200': { description: 'OK', ...(r.response ? { content: { 'application/json': { schema: plain(r.response) } } } : {}) },
        '400': { description: 'bad input (the message names the field)' },
        '401': { description: 'no session or token' },
        '403': { description: 'wrong role, CSRF or origin refused, or signature refused' },
        '404': { description: 'no such lot, unit or chart' },
        ...(r.upload ? { '413': { description: `the body is larger than ${r.upload.maxBytes} bytes (the message says the limit)` } } : {}),
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
