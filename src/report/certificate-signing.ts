/**
 * @module The digital signature of a Certificate of Conformance: the company's PKCS#12 key signs the
 * finished PDF with a PAdES baseline signature (SubFilter ETSI.CAdES.detached, CMS with the ESS
 * signing-certificate-v2 attribute; pades-signer.ts) over the whole file but the signature itself, as PDF
 * readers and `pdfsig` check it, so a customer can verify offline that the document is the one the
 * company issued and unaltered since.
 *
 * The signature is added as an incremental update (`@signpdf/placeholder-plain`, then `@signpdf/signpdf`
 * with lotqa's PAdES signer); the signing time (/M) is the decision time, never the clock, so the same
 * certificate signed twice with the same key is byte-identical (RSA PKCS#1 v1.5 signatures are
 * deterministic).
 *
 * The credential is read from files by `loadSigningCredential` (the report stage's I/O); the password
 * comes from the environment or a secret file only, never from the configuration file or job data.
 */
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PadesSigner, type PadesKey } from './pades-signer.js';
import { ConfigurationError } from '../errors/lotqa-error.js';

/** A company signing key and certificate, checked when loaded. */
export interface SigningCredential {
  /** The private key and the certificate chain, opened from the PKCS#12. */
  readonly key: PadesKey;
  /** Common name (else organisation) of the signing certificate: printed as "Digitally signed by …". */
  readonly signerName: string;
  readonly issuerName: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Where it came from (file path), for messages. */
  readonly source: string;
  readonly location?: string | undefined;
  readonly contactInfo?: string | undefined;
}

export interface SigningSettings {
  readonly p12Path?: string | undefined;
  readonly passwordFile?: string | undefined;
  readonly location?: string | undefined;
  readonly contactInfo?: string | undefined;
}

/** Signature dictionary room for the CMS (hex doubles it): a 4096-bit key with a 3-certificate chain fits. */
const SIGNATURE_LENGTH = 16_384;

function nameOf(attrs: forge.pki.CertificateField[]): string {
  const get = (short: string): string | undefined => attrs.find((a) => a.shortName === short)?.value as string | undefined;
  return get('CN') ?? get('O') ?? 'unnamed certificate';
}

/**
 * Opens a PKCS#12 file's bytes with its password and checks that it holds a private key and the
 * certificate that matches it. Throws ConfigurationError (exit 2) with what to fix.
 */
export function readSigningCredential(
  p12: Buffer,
  passphrase: string,
  source: string,
  extra: Pick<SigningSettings, 'location' | 'contactInfo'> = {},
): SigningCredential {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, passphrase);
  } catch (err) {
    throw new ConfigurationError(`cannot open the signing certificate ${source}: ${(err as Error).message}`, {
      hint: 'check the file is a PKCS#12 (.p12/.pfx) file and that LOTQA_SIGNING_P12_PASSWORD (or the password file) holds its password',
    });
  }
  const keyOid = forge.pki.oids.pkcs8ShroudedKeyBag!;
  const certOid = forge.pki.oids.certBag!;
  const keyBag = parsed.getBags({ bagType: keyOid })[keyOid]?.[0];
  const key = keyBag?.key;
  if (!key) {
    throw new ConfigurationError(`the signing certificate ${source} holds no (RSA) private key`, {
      hint: 'export the PKCS#12 with its private key (openssl pkcs12 -export -inkey key.pem -in cert.pem)',
    });
  }
  const certs = (parsed.getBags({ bagType: certOid })[certOid] ?? [])
    .map((b: forge.pkcs12.Bag) => b.cert)
    .filter((c: forge.pki.Certificate | undefined): c is forge.pki.Certificate => c !== undefined && c !== null);
  const cert = certs.find((c: forge.pki.Certificate) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n !== undefined && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!cert) {
    throw new ConfigurationError(`the signing certificate ${source} has no certificate matching its private key`, {
      hint: 'include the signing certificate in the PKCS#12 file',
    });
  }
  return {
    key: { keyPem: forge.pki.privateKeyToPem(key), chain: [cert, ...certs.filter((c: forge.pki.Certificate) => c !== cert)] },
    signerName: nameOf(cert.subject.attributes),
    issuerName: nameOf(cert.issuer.attributes),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    source,
    location: extra.location,
    contactInfo: extra.contactInfo,
  };
}

/**
 * The configured credential, or null when no signing certificate is configured. The password comes from
 * LOTQA_SIGNING_P12_PASSWORD, else from the password file (a trailing newline is dropped).
 */
export function loadSigningCredential(
  settings: SigningSettings | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SigningCredential | null {
  const path = settings?.p12Path;
  if (!path) return null;
  let p12: Buffer;
  try {
    p12 = readFileSync(path);
  } catch (err) {
    throw new ConfigurationError(`cannot read the signing certificate ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      hint: 'fix signing.p12Path in lotqa.config.json or LOTQA_SIGNING_P12, or remove it to issue unsigned drafts',
    });
  }
  let passphrase = env.LOTQA_SIGNING_P12_PASSWORD;
  if (passphrase === undefined && settings?.passwordFile) {
    try {
      passphrase = readFileSync(settings.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigurationError(
        `cannot read the signing password file ${settings.passwordFile}: ${(err as NodeJS.ErrnoException).code}`,
        {
          hint: 'fix signing.passwordFile or LOTQA_SIGNING_P12_PASSWORD_FILE',
        },
      );
    }
  }
  if (passphrase === undefined) {
    throw new ConfigurationError(`the signing certificate ${path} is configured but no password is given`, {
      hint: 'set LOTQA_SIGNING_P12_PASSWORD, or signing.passwordFile / LOTQA_SIGNING_P12_PASSWORD_FILE (never put the password in the configuration file)',
    });
  }
  return readSigningCredential(p12, passphrase, path, settings ?? {});
}

export interface SignatureDetails {
  /** Why the document is signed, as a PDF reader shows it. */
  readonly reason: string;
  /** The decision time: the signature's time, so signing is deterministic. */
  readonly signingTime: Date;
}

/** Sign a finished PDF; returns the signed file (the input plus an incremental update). */
export async function signPdf(pdf: Buffer, credential: SigningCredential, details: SignatureDetails): Promise<Buffer> {
  const prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: details.reason,
    contactInfo: credential.contactInfo ?? '',
    name: credential.signerName,
    location: credential.location ?? '',
    signingTime: details.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'lotqa',
  });
  return new SignPdf().sign(prepared, new PadesSigner(credential.key), details.signingTime);
}
