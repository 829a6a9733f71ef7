/**
 * @module A PAdES baseline (B-B) CMS signer for `@signpdf/signpdf`: the signature container a
 * `ETSI.CAdES.detached` PDF signature needs (ETSI EN 319 142-1 / EN 319 122-1), which the stock
 * `@signpdf/signer-p12` cannot make (node-forge's PKCS#7 writer knows only contentType, messageDigest and
 * signingTime, and PAdES requires the ESS signing-certificate-v2 attribute and no CMS signing-time —
 * the time is the signature dictionary's /M).
 *
 * SignedData (RFC 5652) with the signer's certificate chain, SHA-256, RSA PKCS#1 v1.5, and the signed
 * attributes contentType (id-data), messageDigest and signingCertificateV2 (RFC 5035: SHA-256 of the
 * signing certificate). The ASN.1 is built with node-forge's DER writer; the RSA signature is Node's.
 * Deterministic: the same key, certificate and bytes give the same signature.
 */
import { createHash, createPrivateKey, sign as rsaSign } from 'node:crypto';
import forge from 'node-forge';
import { Signer } from '@signpdf/utils';

const { asn1 } = forge;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

type Asn1 = forge.asn1.Asn1;

const seq = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const oid = (id: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const int = (n: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nullValue = (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const algorithm = (id: string): Asn1 => seq([oid(id), nullValue()]);
const der = (node: Asn1): string => asn1.toDer(node).getBytes();
const sha256 = (binary: string | Buffer): string =>
  createHash('sha256')
    .update(typeof binary === 'string' ? Buffer.from(binary, 'binary') : binary)
    .digest('binary');

function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), set([value])]);
}

/** The certificate's serial number as a DER INTEGER (forge keeps it as hex). */
function serialNumber(cert: forge.pki.Certificate): Asn1 {
  let hex = cert.serialNumber;
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/i.test(hex)) hex = `00${hex}`; // keep it positive
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

export interface PadesKey {
  /** The private key (RSA) as PEM, for Node's signer. */
  readonly keyPem: string;
  /** The signing certificate first, then the rest of the chain found in the PKCS#12. */
  readonly chain: readonly forge.pki.Certificate[];
}

export class PadesSigner extends Signer {
  readonly #key: PadesKey;

  constructor(key: PadesKey) {
    super();
    this.#key = key;
  }

  /** The CMS SignedData (DER) over `pdfBuffer` (the signed byte ranges). */
  // eslint-disable-next-line @typescript-eslint/require-await -- the Signer contract is async; signing here is synchronous, and async keeps a throw a rejection
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const [cert, ...rest] = this.#key.chain;
    if (!cert) throw new Error('no signing certificate');
    const certDer = der(forge.pki.certificateToAsn1(cert));
    const signedAttributes = [
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octets(sha256(pdfBuffer))),
      // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default
      // hash algorithm (SHA-256, so omitted) and the certificate's hash.
      attribute(OID.signingCertificateV2, seq([seq([seq([octets(sha256(certDer))])])])),
    ];
    // The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4).
    const toSign = Buffer.from(der(set(signedAttributes)), 'binary');
    const signature = rsaSign('sha256', toSign, createPrivateKey(this.#key.keyPem)).toString('binary');
    const signerInfo = seq([
      int(1),
      seq([forge.pki.distinguishedNameToAsn1(cert.issuer), serialNumber(cert)]),
      algorithm(OID.sha256),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, signedAttributes),
      algorithm(OID.rsaEncryption),
      octets(signature),
    ]);
    const signedData = seq([
      int(1),
      set([algorithm(OID.sha256)]),
      seq([oid(OID.data)]),
      asn1.create(
        asn1.Class.CONTEXT_SPECIFIC,
        0,
        true,
        [cert, ...rest].map((c) => forge.pki.certificateToAsn1(c)),
      ),
      set([signerInfo]),
    ]);
    const contentInfo = seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]);
    return Buffer.from(der(contentInfo), 'binary');
  }
}
