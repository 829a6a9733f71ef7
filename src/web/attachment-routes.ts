/**
 * @module Files attached to a held lot's review (an 8D report, a photo, a spreadsheet): uploaded by an
 * engineer as the raw request body (`application/octet-stream`, the name in `?name=`), kept in the store
 * by SHA-256, listed on the lot page with who, when, size and hash, and served back only as a download.
 *
 * An attachment is the uploader's bytes, never the console's page: it is always sent with
 * `Content-Disposition: attachment`, `nosniff`, a sandboxing CSP, and a media type chosen by the console
 * from the sanitised name's extension out of a short list (PDF, images, spreadsheets, text) — anything
 * else, HTML and SVG included, is `application/octet-stream`, so no browser renders it as a page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AttachmentRecord, Store } from '../store/store.js';
import type { LotOverview } from '../queries/index.js';
import type { AccountRole } from '../domain/e-signature.js';
import type { ApiRouteDoc } from './openapi.js';
import { html, seg, type SafeHtml } from './html.js';
import type { Principal } from './web-security.js';

/** What a route module gets from the console app: its store, its way to declare API routes, its errors. */
export interface ConsoleRouteKit {
  readonly app: FastifyInstance;
  readonly store: Store;
  /** Registers a JSON API route, validated by its schemas and listed in /api/docs. */
  api<P, Q, B>(
    doc: Omit<ApiRouteDoc, 'role'> & { role: AccountRole },
    handler: (request: FastifyRequest<{ Params: P; Querystring: Q; Body: B }>) => Promise<unknown>,
  ): void;
  /** Lists a route registered directly on `app` (a download) in /api/docs. */
  document(doc: ApiRouteDoc): void;
  /** An error answered with this HTTP status and message. */
  httpError(status: number, message: string): Error;
  /** The lot's overview, or a 404. */
  overviewOf(lot: string): Promise<LotOverview>;
  sendHtml(reply: FastifyReply, text: string): FastifyReply;
}

/** 20 MB unless `LOTQA_ATTACHMENT_MAX_MB` or the console option says otherwise. */
export const DEFAULT_ATTACHMENT_LIMIT = 20 * 1024 * 1024;

export function attachmentLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.LOTQA_ATTACHMENT_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : DEFAULT_ATTACHMENT_LIMIT;
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  csv: 'text/csv',
  txt: 'text/plain',
  log: 'text/plain',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
};

/** The media type the console serves a file name as: from the short list above, else octet-stream (HTML, SVG, XML, scripts, anything unknown). */
export function safeMediaType(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  return (ext && MEDIA_TYPES[ext]) ?? 'application/octet-stream';
}

/**
 * A file name safe to show, store and send in a header: the last path component, NFC, letters (any
 * script), digits and `. _ - ( ) +` and spaces kept, everything else `_`, no leading dot, at most 120
 * characters (the extension kept). Empty → "attachment".
 */
export function sanitiseFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[^\p{L}\p{N}._\-()+ ]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (name.length > 120) {
    const ext = /\.[\p{L}\p{N}]{1,8}$/u.exec(name)?.[0] ?? '';
    name = name.slice(0, 120 - ext.length) + ext;
  }
  return name || 'attachment';
}

/** `attachment; filename="ascii"; filename*=UTF-8''utf8` (RFC 6266): the download never renders inline. */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export const AttachmentQuery = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255, description: 'the file name (sanitised by the console)' }) },
  { additionalProperties: false },
);
const LotRef = Type.Object({ lot: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const AttachmentParams = Type.Object(
  {
    lot: Type.String({ minLength: 1, maxLength: 200 }),
    sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'the SHA-256 of the file, 64 hex digits' }),
  },
  { additionalProperties: false },
);
export const AttachmentResponse = Type.Object({
  lot: Type.String(),
  sha256: Type.String(),
  name: Type.String(),
  mediaType: Type.String(),
  bytes: Type.Integer(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String(),
});
type AttachmentJson = Static<typeof AttachmentResponse>;

const json = (a: AttachmentRecord): AttachmentJson => ({
  lot: a.lot,
  sha256: a.sha256,
  name: a.name,
  mediaType: a.mediaType,
  bytes: a.bytes,
  uploadedBy: a.uploadedBy,
  uploadedAt: a.uploadedAt,
});

/** Registers the upload, list and download routes. */
export function registerAttachmentRoutes(kit: ConsoleRouteKit, options: { maxBytes?: number | undefined } = {}): void {
  const { app, store } = kit;
  const limit = options.maxBytes ?? attachmentLimitFromEnv();
  const tooLarge = (what: string) =>
    kit.httpError(413, `${what}: attachments are limited to ${mb(limit)} (LOTQA_ATTACHMENT_MAX_MB); attach a smaller file or a link`);

  // The raw body, read up to the limit: a larger upload is refused with a 413 that says the limit (and
  // is not read to its end first when its Content-Length already says so).
  app.addContentTypeParser('application/octet-stream', (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return done(tooLarge(`the file is ${mb(declared)}`), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    payload.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        done(tooLarge(`the file is larger than ${mb(limit)}`), undefined);
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => {
      if (!failed) done(null, Buffer.concat(chunks));
    });
    payload.on('error', (err: Error) => {
      if (!failed) done(err, undefined);
    });
  });

  kit.api<Static<typeof LotRef>, Static<typeof AttachmentQuery>, unknown>(
    {
      method: 'POST',
      url: '/api/lots/:lot/attachments',
      summary: `Attach a file to the lot's review (body: the file, content-type application/octet-stream; at most ${mb(limit)}); stored by SHA-256, audited`,
      role: 'engineer',
      params: LotRef,
      query: AttachmentQuery,
      upload: {
        mediaType: 'application/octet-stream',
        maxBytes: limit,
        description: `The file to attach (its name in ?name=; the limit is LOTQA_ATTACHMENT_MAX_MB, here ${mb(limit)})`,
      },
      response: AttachmentResponse,
    },
    async (request) => {
      const o = await kit.overviewOf(request.params.lot);
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw kit.httpError(400, 'send the file as the body (content-type application/octet-stream); an empty file is not attached');
      if (body.length > limit) throw tooLarge(`the file is ${mb(body.length)}`);
      const name = sanitiseFileName(request.query.name);
      const a = await store.attachments.addAttachment({
        lot: o.lot,
        name,
        mediaType: safeMediaType(name),
        content: body,
        uploadedBy: request.principal!.username,
      });
      await store.appendAudit({
        lot: o.lot,
        kind: 'attachment-added',
        actor: a.uploadedBy,
        at: a.uploadedAt,
        payload: { name: a.name, sha256: a.sha256, bytes: a.bytes, mediaType: a.mediaType },
      });
      return json(a);
    },
  );
  kit.api<Static<typeof LotRef>, unknown, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot/attachments',
      summary: "The files attached to the lot's review, oldest first (who, when, size, SHA-256)",
      role: 'viewer',
      params: LotRef,
      response: Type.Array(AttachmentResponse),
    },
    async (request) => {
      const o = await kit.overviewOf(request.params.lot);
      return (await store.attachments.listAttachments(o.lot)).map(json);
    },
  );
  const download: ApiRouteDoc = {
    method: 'GET',
    url: '/api/lots/:lot/attachments/:sha256',
    summary: 'Download an attached file (always as an attachment, never rendered inline)',
    role: 'viewer',
    params: AttachmentParams,
  };
  kit.document(download);
  app.get<{ Params: Static<typeof AttachmentParams> }>(
    download.url,
    { config: { role: 'viewer' }, schema: { params: AttachmentParams } },
    async (request, reply) => {
      const o = await kit.overviewOf(request.params.lot);
      const found = await store.attachments.attachmentContent(o.lot, request.params.sha256);
      if (!found) throw kit.httpError(404, `lot ${o.lot} has no attachment ${request.params.sha256.toLowerCase()}`);
      return reply
        .type(safeMediaType(found.record.name))
        .header('content-disposition', attachmentDisposition(found.record.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(found.content);
    },
  );
}

const size = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The lot page's attachments panel: the list, and the upload form for engineers. */
export function attachmentsPanel(
  lot: string,
  attachments: readonly AttachmentRecord[],
  principal: Principal,
  canUpload: boolean,
): SafeHtml {
  return html`<section class="panel" id="attachments">
    <h2>Attachments</h2>
    ${
      attachments.length === 0
        ? html`<p>No file attached.</p>`
        : html`<table class="attachments">
            <tr>
              <th>File</th>
              <th>Attached by</th>
              <th>When</th>
              <th>Size</th>
              <th>SHA-256</th>
            </tr>
            ${attachments.map(
              (a) =>
                html`<tr>
                  <td><a href="/api/lots/${seg(lot)}/attachments/${a.sha256}" download="${a.name}">${a.name}</a></td>
                  <td>${a.uploadedBy}</td>
                  <td>${a.uploadedAt}</td>
                  <td class="n">${size(a.bytes)}</td>
                  <td><code title="${a.sha256}">${a.sha256.slice(0, 16)}…</code></td>
                </tr>`,
            )}
          </table>`
    }
    ${
      canUpload
        ? html`<form id="attach-form" data-lot="${lot}" data-csrf="${principal.csrf ?? ''}">
            <label>Attach a file (8D report, photo, spreadsheet) <input type="file" name="file" required /></label>
            <button type="submit">Attach</button>
            <p class="error" id="attach-error" role="alert" hidden></p>
          </form>`
        : ''
    }
  </section>`;
}
