/**
 * The signed certificate as a customer checks it offline: poppler's `pdfsig` (an independent
 * implementation, NSS underneath) must call the signature valid and the whole document signed; the lot
 * summary must be extractable with `pdfdetach`. The signing key is a throw-away PKCS#12 made here.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLotReports } from '../../src/report/write-lot-reports.js';
import { loadSigningCredential, readSigningCredential, type SigningCredential } from '../../src/report/certificate-signing.js';
import { PadesSigner } from '../../src/report/pades-signer.js';
import forge from 'node-forge';
import { createHash } from 'node:crypto';
import { readCertificateEvidence } from '../../src/report/certificate-evidence.js';
import { ConfigurationError } from '../../src/errors/lotqa-error.js';
import { loadConfig } from '../../src/config.js';
import { buildLotResult, decisionFor, FIXTURE_CONTEXT } from './support/lot-result-fixture.js';
import { throwawayP12 } from './support/throwaway-p12.js';
import { pdfPages } from './support/pdf-text.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-sign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pdfsig = (file: string): { code: number | null; out: string } => {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
};

describe('a signed Certificate of Conformance', () => {
  let credential: SigningCredential;
  let coc: string;
  let bytes: Buffer;
  const result = buildLotResult({ units: 40, parameters: 3 });

  beforeAll(async () => {
    const p12 = throwawayP12();
    const p12Path = join(dir, 'company.p12');
    writeFileSync(p12Path, p12.p12);
    credential = loadSigningCredential({ p12Path, location: 'Shenzhen plant 2' }, { LOTQA_SIGNING_P12_PASSWORD: p12.password })!;
    const w = await writeLotReports({
      result,
      decision: decisionFor(result),
      context: FIXTURE_CONTEXT,
      outDir: dir,
      engineering: false,
      signing: credential,
    });
    expect(w.cocStatus).toBe('signed');
    coc = w.coc!;
    bytes = readFileSync(coc);
  });

  it('is a valid PAdES signature in pdfsig, by the company certificate, over the whole document', () => {
    const { out } = pdfsig(coc);
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signer Certificate Common Name: Lumen Photonics Quality (TEST)');
    expect(out).toMatch(/Signing Time: Jun 12 2024 09:30:00/); // the decision time, not the clock
    expect(out).toContain('Signature Type: ETSI.CAdES.detached'); // PAdES, not the legacy adbe.pkcs7.detached
  });

  it('says on page 1 who signed it, and still carries its evidence', async () => {
    const p1 = (await pdfPages(bytes))[0]!;
    expect(p1).toContain('Digitally signed by Lumen Photonics Quality (TEST)');
    expect(p1).not.toContain('UNSIGNED DRAFT');
    const ev = readCertificateEvidence(bytes);
    expect(ev.lot).toBe(result.lot);
    expect(ev.issue?.status).toBe('signed');
  });

  it('lets a customer extract the lot summary with pdfdetach', () => {
    const list = execFileSync('pdfdetach', ['-list', coc], { encoding: 'utf8' });
    expect(list).toContain('lot-summary.json');
    expect(list).toContain('lotqa-evidence.json');
    const saved = join(dir, 'summary.json');
    execFileSync('pdfdetach', ['-savefile', 'lot-summary.json', '-o', saved, coc]);
    const summary = JSON.parse(readFileSync(saved, 'utf8')) as { lot: string; status: string; serials: unknown[] };
    expect(summary.lot).toBe(result.lot);
    expect(summary.status).toBe('signed');
    expect(summary.serials).toHaveLength(result.certification!.units);
  });

  it('is invalid in pdfsig once one byte of the signed content changes', () => {
    // The document's title in the info dictionary: inside the signed byte range, plain text.
    const i = bytes.toString('latin1').indexOf('Certificate of Conformance CoC-');
    expect(i).toBeGreaterThan(0);
    const tampered = Buffer.from(bytes);
    tampered[i] = tampered[i]! ^ 0x01;
    const file = join(dir, 'tampered.pdf');
    writeFileSync(file, tampered);
    const { out } = pdfsig(file);
    expect(out).not.toContain('Signature is Valid');
    expect(out).toMatch(/Signature is Invalid|Digest Mismatch/i);
  });

  it('is byte-identical when issued twice from the same decision', async () => {
    const again = await writeLotReports({
      result,
      decision: decisionFor(result),
      context: FIXTURE_CONTEXT,
      outDir: join(dir, 'again'),
      engineering: false,
      signing: credential,
    });
    expect(readFileSync(again.coc!).equals(bytes)).toBe(true);
  });

  it('needs the password from the environment or a secret file, never the configuration file', () => {
    const p12Path = join(dir, 'company.p12');
    expect(() => loadSigningCredential({ p12Path }, {})).toThrow(ConfigurationError);
    expect(() => loadSigningCredential({ p12Path }, { LOTQA_SIGNING_P12_PASSWORD: 'wrong' })).toThrow(
      /cannot open the signing certificate/,
    );
    const secret = join(dir, 'password.txt');
    writeFileSync(secret, `${throwawayP12().password}\n`);
    expect(loadSigningCredential({ p12Path, passwordFile: secret }, {})!.signerName).toBe('Lumen Photonics Quality (TEST)');
    const config = join(dir, 'lotqa.config.json');
    writeFileSync(config, JSON.stringify({ signing: { p12Path, password: 'in-the-file' } }));
    expect(() => loadConfig({ configPath: config, env: {} })).toThrow(/signing/);
    expect(loadConfig({ env: { LOTQA_SIGNING_P12: p12Path } }).signing?.p12Path).toBe(p12Path);
  });

  it('without a configured certificate is an unsigned draft, visibly', async () => {
    const w = await writeLotReports({
      result,
      decision: decisionFor(result),
      context: FIXTURE_CONTEXT,
      outDir: join(dir, 'unsigned'),
      engineering: false,
    });
    expect(w.cocStatus).toBe('unsigned');
    expect((await pdfPages(readFileSync(w.coc!)))[0]).toContain('UNSIGNED DRAFT');
    expect(pdfsig(w.coc!).out).toMatch(/does not contain any signatures/);
  });
});

describe('the PAdES signature container', () => {
  type Node = forge.asn1.Asn1;
  const kids = (n: Node): Node[] => n.value as Node[];
  const bytesOf = (n: Node): Buffer => Buffer.from(n.value as string, 'binary');
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

  it('carries contentType, messageDigest and signing-certificate-v2 (SHA-256 of the signer certificate), no CMS signing time', async () => {
    const p12 = throwawayP12();
    const credential = readSigningCredential(p12.p12, p12.password, 'test.p12');
    const content = Buffer.from('the signed byte ranges');
    const cms = await new PadesSigner(credential.key).sign(content);
    const msg = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(cms.toString('binary')))) as unknown as {
      rawCapture: { authenticatedAttributes: Node[] };
      certificates: forge.pki.Certificate[];
    };
    const attrs = new Map(
      msg.rawCapture.authenticatedAttributes.map((a) => [forge.asn1.derToOid(kids(a)[0]!.value as string), kids(a)[1]!]),
    );
    expect([...attrs.keys()].sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4']);
    expect(bytesOf(kids(attrs.get('1.2.840.113549.1.9.4')!)[0]!).toString('hex')).toBe(sha(content));
    const certDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(msg.certificates[0]!)).getBytes(), 'binary');
    // SET { SigningCertificateV2 { certs SEQUENCE OF { ESSCertIDv2 { certHash } } } }
    const ess = kids(kids(kids(kids(attrs.get('1.2.840.113549.1.9.16.2.47')!)[0]!)[0]!)[0]!)[0]!;
    expect(bytesOf(ess).toString('hex')).toBe(sha(certDer));
  });
});
