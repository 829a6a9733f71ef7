/**
 * A throw-away signing certificate for tests: an RSA-2048 key and a self-signed certificate packed as a
 * PKCS#12 file (3DES, as most tools still write them), made with node-forge. Never a real credential.
 */
import forge from 'node-forge';

export interface ThrowawayP12 {
  readonly p12: Buffer;
  readonly password: string;
  readonly commonName: string;
}

let cached: ThrowawayP12 | null = null;

/** One key per test process (RSA key generation takes a second or two). */
export function throwawayP12(commonName = 'Lumen Photonics Quality (TEST)'): ThrowawayP12 {
  if (cached && cached.commonName === commonName) return cached;
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2024-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2034-01-01T00:00:00Z');
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Lumen Photonics Manufacturing Co., Ltd.' },
    { name: 'countryName', value: 'CN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const password = 'test-only-password';
  const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: '3des' });
  cached = { p12: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), password, commonName };
  return cached;
}
