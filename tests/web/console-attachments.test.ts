/**
 * Files attached to a held lot's review, through the console's API in process: who may attach (engineer
 * and up), bad input, a file over the limit (413 saying the limit, sent whole or chunked over real HTTP),
 * the upload's raw body in the OpenAPI document, an unknown lot or hash (404), CSRF and
 * Origin; the file kept by SHA-256, listed with who/when/size/hash, audited, and served back only as a
 * download with a safe media type (HTML and SVG as octet-stream, never rendered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { issueApiToken } from '../../src/pipeline/accounts.js';
import { sanitiseFileName, safeMediaType } from '../../src/web/attachment-routes.js';
import { consoleClient, HOST, type Problem, type Session } from './support/console-session.js';
import { openConsoleTestbed, type ConsoleTestbed } from './support/console-testbed.js';

let bed: ConsoleTestbed<'vic' | 'eve' | 'rita'>;
const { get, post } = consoleClient(() => bed.app);
let viewer: Session;
let engineer: Session;
let approver: Session;
let engineerToken: string;
const LIMIT = 64 * 1024;

interface OpenApiOperation {
  parameters: { in: string; name: string }[];
  requestBody: { description: string; content: Record<string, unknown>; 'x-lotqa-max-bytes': number };
  responses: Record<string, { description: string }>;
}

interface AttachmentJson {
  sha256: string;
  name: string;
  mediaType: string;
  bytes: number;
  uploadedBy: string;
  uploadedAt: string;
}

beforeAll(async () => {
  bed = await openConsoleTestbed({
    name: 'attach',
    people: { vic: 'viewer', eve: 'engineer', rita: 'approver' },
    console: { maxAttachmentBytes: LIMIT },
    prepare: async (store) => {
      engineerToken = await issueApiToken(store, 'eve', 'MES');
    },
  });
  ({ vic: viewer, eve: engineer, rita: approver } = bed.as);
}, 120_000);
afterAll(() => bed.close());

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n8D report D1-D8\n'), Buffer.alloc(3000, 7)]);
const PDF_SHA = createHash('sha256').update(PDF).digest('hex');

describe('POST /api/lots/{lot}/attachments', () => {
  it('attaches a file for an engineer: stored by SHA-256, listed, audited', async () => {
    const res = await post('/api/lots/SHIFT/attachments?name=' + encodeURIComponent('C:\\reports\\8D <NCR-118>.pdf'), PDF, engineer);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json<AttachmentJson>();
    expect(a).toMatchObject({
      sha256: PDF_SHA,
      name: '8D _NCR-118_.pdf',
      mediaType: 'application/pdf',
      bytes: PDF.length,
      uploadedBy: 'eve',
    });
    const list = (await get('/api/lots/SHIFT/attachments', viewer)).json<AttachmentJson[]>();
    expect(list.map((x) => [x.name, x.sha256, x.bytes, x.uploadedBy])).toEqual([['8D _NCR-118_.pdf', PDF_SHA, PDF.length, 'eve']]);
    const trail = (await get('/api/lots/SHIFT/audit', viewer)).json<{ events: { kind: string; actor: string; payload: unknown }[] }>();
    expect(trail.events.filter((e) => e.kind === 'attachment-added')).toEqual([
      expect.objectContaining({
        actor: 'eve',
        payload: { name: '8D _NCR-118_.pdf', sha256: PDF_SHA, bytes: PDF.length, mediaType: 'application/pdf' },
      }),
    ]);
    // The lot page lists it with who, size and hash, and offers the form to an engineer, not to a viewer.
    const page = (await get('/lots/SHIFT', engineer)).body;
    expect(page).toContain('8D _NCR-118_.pdf');
    expect(page).toContain(PDF_SHA.slice(0, 16));
    expect(page).toContain('id="attach-form"');
    expect((await get('/lots/SHIFT', viewer)).body).not.toContain('id="attach-form"');
  });

  it('takes an API token (no CSRF needed) and the same bytes again are the same hash', async () => {
    const res = await post('/api/lots/CLEAN/attachments?name=again.pdf', PDF, null, { authorization: `Bearer ${engineerToken}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AttachmentJson>().sha256).toBe(PDF_SHA);
  });

  it('refuses without a session (401), for a viewer (403), and a cookie POST without CSRF or from elsewhere (403)', async () => {
    const url = '/api/lots/SHIFT/attachments?name=x.pdf';
    expect((await post(url, PDF)).statusCode).toBe(401);
    const wrongRole = await post(url, PDF, viewer);
    expect([wrongRole.statusCode, wrongRole.json<Problem>().message]).toEqual([403, 'this needs the engineer role; vic is viewer']);
    const noCsrf = await post(url, PDF, null, { cookie: engineer.cookie });
    expect([noCsrf.statusCode, noCsrf.json<Problem>().message]).toEqual([403, 'refused: missing or wrong CSRF token']);
    const elsewhere = await post(url, PDF, engineer, { origin: 'http://evil.example' });
    expect(elsewhere.statusCode).toBe(403);
    expect(approver.csrf).toBeTruthy();
  });

  it('refuses bad input with a 400 that says what is wrong', async () => {
    const noName = await post('/api/lots/SHIFT/attachments', PDF, engineer);
    expect([noName.statusCode, noName.json<Problem>().message]).toEqual([400, expect.stringMatching(/name/)]);
    const empty = await post('/api/lots/SHIFT/attachments?name=e.pdf', Buffer.alloc(0), engineer);
    expect([empty.statusCode, empty.json<Problem>().message]).toEqual([400, expect.stringMatching(/empty file is not attached/)]);
    const asJson = await post('/api/lots/SHIFT/attachments?name=e.pdf', { not: 'a file' }, engineer);
    expect([asJson.statusCode, asJson.json<Problem>().message]).toEqual([400, expect.stringMatching(/application\/octet-stream/)]);
  });

  it('refuses a file over the limit with a 413 naming the limit', async () => {
    const big = await post('/api/lots/SHIFT/attachments?name=big.bin', Buffer.alloc(LIMIT + 1, 1), engineer);
    expect(big.statusCode).toBe(413);
    expect(big.json<Problem>().message).toBe(
      'the file is 0.1 MB: attachments are limited to 0.1 MB (LOTQA_ATTACHMENT_MAX_MB); attach a smaller file or a link',
    );
    expect((await get('/api/lots/SHIFT/attachments', viewer)).json<AttachmentJson[]>()).toHaveLength(1);
  });

  it('refuses a chunked upload (no Content-Length) once it passes the limit: 413 with the message, over real HTTP', async () => {
    const address = await bed.app.listen({ host: '127.0.0.1', port: 0 });
    const chunk = Buffer.alloc(16 * 1024, 2);
    const chunks = Math.ceil((LIMIT * 2) / chunk.length); // twice the limit, 16 kB at a time
    const answer = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = request(
        `${address}/api/lots/SHIFT/attachments?name=stream.bin`,
        {
          method: 'POST',
          headers: { host: HOST, 'content-type': 'application/octet-stream', authorization: `Bearer ${engineerToken}` },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < chunks; i++) req.write(chunk);
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-length']).toBeDefined(); // the answer is whole, not cut off
    expect((JSON.parse(answer.body) as Problem).message).toBe(
      'the file is larger than 0.1 MB: attachments are limited to 0.1 MB (LOTQA_ATTACHMENT_MAX_MB); attach a smaller file or a link',
    );
    expect((await get('/api/lots/SHIFT/attachments', viewer)).json<AttachmentJson[]>().map((a) => a.name)).not.toContain('stream.bin');
  });

  it('answers 404 for an unknown lot', async () => {
    const res = await post('/api/lots/NOPE/attachments?name=x.pdf', PDF, engineer);
    expect([res.statusCode, res.json<Problem>().message]).toEqual([404, "unknown lot 'NOPE'"]);
    expect((await get('/api/lots/NOPE/attachments', viewer)).statusCode).toBe(404);
  });
});

describe('GET /api/lots/{lot}/attachments/{sha256}', () => {
  it('serves the bytes as a download, never inline', async () => {
    const res = await get(`/api/lots/SHIFT/attachments/${PDF_SHA.toUpperCase()}`, viewer);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="8D _NCR-118_.pdf"; filename*=UTF-8''8D%20_NCR-118_.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it('sends HTML and SVG as application/octet-stream', async () => {
    for (const [name, body] of [
      ['report.html', '<script>alert(1)</script>'],
      ['chart.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
    ] as const) {
      const up = await post(`/api/lots/SHIFT/attachments?name=${name}`, Buffer.from(body), engineer);
      expect(up.json<AttachmentJson>().mediaType).toBe('application/octet-stream');
      const down = await get(`/api/lots/SHIFT/attachments/${up.json<AttachmentJson>().sha256}`, viewer);
      expect(down.headers['content-type']).toBe('application/octet-stream');
      expect(down.headers['content-disposition']).toMatch(/^attachment; /);
    }
  });

  it('401 without a session; 400 for a malformed hash; 404 for a hash the lot has not', async () => {
    expect((await get(`/api/lots/SHIFT/attachments/${PDF_SHA}`)).statusCode).toBe(401);
    const bad = await get('/api/lots/SHIFT/attachments/nothex', viewer);
    expect([bad.statusCode, bad.json<Problem>().message]).toEqual([400, expect.stringMatching(/sha256/)]);
    const other = await get(`/api/lots/SHIFT/attachments/${'0'.repeat(64)}`, viewer);
    expect([other.statusCode, other.json<Problem>().message]).toEqual([404, `lot SHIFT has no attachment ${'0'.repeat(64)}`]);
  });

  it('is in the OpenAPI document, the upload with its raw body: media type, size limit, headers and the 413', async () => {
    const doc = (await get('/api/docs', viewer)).json<{ paths: Record<string, Record<string, OpenApiOperation>> }>();
    expect(Object.keys(doc.paths['/api/lots/{lot}/attachments']!).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/api/lots/{lot}/attachments/{sha256}']).toHaveProperty('get');
    const upload = doc.paths['/api/lots/{lot}/attachments']!.post!;
    expect(upload.requestBody.content).toEqual({
      'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream', maxLength: LIMIT } },
    });
    expect(upload.requestBody['x-lotqa-max-bytes']).toBe(LIMIT);
    expect(upload.requestBody.description).toMatch(/at most 65536 bytes; sent with Content-Length or chunked/);
    expect(upload.parameters.map((p) => [p.in, p.name])).toEqual([
      ['path', 'lot'],
      ['query', 'name'],
      ['header', 'Content-Length'],
    ]);
    expect(upload.responses['413']!.description).toMatch(/larger than 65536 bytes/);
    // The certificate check takes a PDF the same way.
    const verify = doc.paths['/api/verify']!.post!;
    expect(Object.keys(verify.requestBody.content)).toEqual(['application/pdf']);
    expect(verify.requestBody['x-lotqa-max-bytes']).toBe(50_000_000);
  });
});

describe('file names and media types', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\qe\\8D.pdf', '8D.pdf'],
    ['.htaccess', 'htaccess'],
    ['a\u0000b\u202Ec.pdf', 'a_b_c.pdf'],
    ['Prüfbericht Los 7.xlsx', 'Prüfbericht Los 7.xlsx'],
    ['', 'attachment'],
    [`${'x'.repeat(200)}.pdf`, `${'x'.repeat(116)}.pdf`],
  ])('%j → %j', (raw, safe) => expect(sanitiseFileName(raw)).toBe(safe));
  it.each([
    ['a.PDF', 'application/pdf'],
    ['a.jpeg', 'image/jpeg'],
    ['a.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['a.html', 'application/octet-stream'],
    ['a.svg', 'application/octet-stream'],
    ['a', 'application/octet-stream'],
  ])('%s is served as %s', (name, type) => expect(safeMediaType(name)).toBe(type));
});
