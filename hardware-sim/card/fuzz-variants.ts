/**
 * Card-side fuzz variants: a card whose files are wrong in one structural way and still signed
 * with the real keys where a signature is involved, so only the parse or the exact DigestInfo
 * comparison can catch them (EF 0004 5F4E/5F37/7F21 lengths and key ids, DF24 key lengths, the
 * DF21 offset table, DF28's DigestInfo lengths, grouping and algorithm, a cloned chip). Every one
 * of them must be refused; a face phase that completes on one is a finding.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import type { CardContents } from './applets.ts';
import { ascii, cat, tlv } from './ber.ts';
import { assembleCardFace, cardFaceDigests, type CardFaceFields } from './card-face-builder.ts';
import { DIGEST_INFO_HEAD, keyId, rsaParts, signPayload } from './card-keys.ts';
import { cvBody, cvTemplate } from './cv-certificate-builder.ts';
import type { IssuedContents } from './issue.ts';
import type { TestPki } from './test-pki.ts';

export const VARIANTS = [
  'digestinfo-rehashed',
  'digestinfo-one-digest',
  'digestinfo-short-octets',
  'digestinfo-long-octets',
  'digestinfo-outer-length',
  'digestinfo-trailing-byte',
  'digestinfo-sha1-oid',
  'digestinfo-groups-of-values',
  'digestinfo-groups-shifted',
  'cv-body-short',
  'cv-body-long',
  'cv-signed-with-header',
  'cv-outer-length',
  'cv-signature-short',
  'cv-issuer-unknown',
  'cv-issuer-wrong-key',
  'cv-key-id-shape',
  'df24-short-modulus',
  'df24-long-exponent',
  'offset-table-odd',
  'offset-table-short',
  'missing-df2a',
  'extra-field',
  'clone-chip',
] as const;
export type Variant = (typeof VARIANTS)[number];

const df = (low: number, value: Uint8Array): Uint8Array => tlv([0xdf, low], value);
const valueOf = (t: Uint8Array): Uint8Array => {
  const l0 = t[2] ?? 0;
  return t.subarray(l0 < 0x80 ? 3 : 3 + (l0 & 0x7f));
};
const sha = (...p: Uint8Array[]): Uint8Array =>
  new Uint8Array(
    createHash('sha256')
      .update(cat(...p))
      .digest(),
  );

const SHA1_HEAD_96 = Uint8Array.from(Buffer.from('306d300906052b0e03021a05000460', 'hex'));

function withCardFace(base: CardContents, fields: readonly Uint8Array[], options: { offsets?: Uint8Array } = {}): CardContents {
  return { ...base, face: { ...base.face, cardFace: assembleCardFace(fields, options).ef } };
}

/** The nine fields in card order with `df28` (and optionally DF24) replaced. */
function face(f: CardFaceFields, df28: Uint8Array, df24 = f.df24): Uint8Array[] {
  return [f.df22, f.df23, df24, f.df25, f.df26, f.df27, df28, f.df29, f.df2a];
}

function signedDf28(key: KeyObject, payload: Uint8Array): Uint8Array {
  return df(0x28, signPayload(key, payload));
}

function withCv(base: CardContents, cv: Uint8Array): CardContents {
  return { ...base, face: { ...base.face, cvCertificate: cv } };
}

/** `spare`: an RSA-2048 key that is none of the card's or the PKI's (a forger's). */
export function buildVariant(kind: Variant, issued: IssuedContents, pki: TestPki, spare: KeyObject): CardContents {
  const base = issued.contents;
  const f = issued.cardFace.fields;
  const signer = pki.faceSigner.key;
  const digests = cardFaceDigests(f);
  switch (kind) {
    case 'digestinfo-rehashed':
      return withCardFace(base, face(f, df(0x28, new Uint8Array(sign('sha256', digests, signer)))));
    case 'digestinfo-one-digest':
      return withCardFace(
        base,
        face(f, signedDf28(signer, cat(DIGEST_INFO_HEAD.one, sha(f.df22, f.df23, f.df24, f.df25, f.df26, f.df27)))),
      );
    case 'digestinfo-short-octets': {
      const head = DIGEST_INFO_HEAD.three.slice();
      head[1] = 0x70;
      head[18] = 0x5f;
      return withCardFace(base, face(f, signedDf28(signer, cat(head, digests.subarray(0, 95)))));
    }
    case 'digestinfo-long-octets': {
      const head = DIGEST_INFO_HEAD.three.slice();
      head[1] = 0x72;
      head[18] = 0x61;
      return withCardFace(base, face(f, signedDf28(signer, cat(head, digests, Uint8Array.of(0x00)))));
    }
    case 'digestinfo-outer-length': {
      const head = DIGEST_INFO_HEAD.three.slice();
      head[1] = 0x72;
      return withCardFace(base, face(f, signedDf28(signer, cat(head, digests))));
    }
    case 'digestinfo-trailing-byte':
      return withCardFace(base, face(f, signedDf28(signer, cat(DIGEST_INFO_HEAD.three, digests, Uint8Array.of(0x00)))));
    case 'digestinfo-sha1-oid':
      return withCardFace(base, face(f, signedDf28(signer, cat(SHA1_HEAD_96, digests))));
    case 'digestinfo-groups-of-values': {
      const values = cat(
        sha(valueOf(f.df22), valueOf(f.df23), valueOf(f.df24)),
        sha(valueOf(f.df25), valueOf(f.df26)),
        sha(valueOf(f.df27)),
      );
      return withCardFace(base, face(f, signedDf28(signer, cat(DIGEST_INFO_HEAD.three, values))));
    }
    case 'digestinfo-groups-shifted':
      return withCardFace(
        base,
        face(f, signedDf28(signer, cat(DIGEST_INFO_HEAD.three, sha(f.df22, f.df23), sha(f.df24, f.df25, f.df26), sha(f.df27)))),
      );
    case 'cv-body-short':
    case 'cv-body-long': {
      const body = cvBody(signer, pki.faceSigner.keyId, pki.cardFaceCa.keyId);
      const changed = kind === 'cv-body-short' ? body.subarray(0, body.length - 1) : cat(body, Uint8Array.of(0x00));
      return withCv(base, cvTemplate(changed, new Uint8Array(sign('sha256', changed, pki.cardFaceCa.key))));
    }
    case 'cv-signed-with-header': {
      const body = cvBody(signer, pki.faceSigner.keyId, pki.cardFaceCa.keyId);
      return withCv(base, cvTemplate(body, new Uint8Array(sign('sha256', tlv([0x5f, 0x4e], body), pki.cardFaceCa.key))));
    }
    case 'cv-outer-length': {
      const cv = base.face.cvCertificate.slice();
      cv[4] = (cv[4] ?? 0) - 1;
      return withCv(base, cv);
    }
    case 'cv-signature-short': {
      const body = cvBody(signer, pki.faceSigner.keyId, pki.cardFaceCa.keyId);
      return withCv(base, cvTemplate(body, new Uint8Array(sign('sha256', body, pki.cardFaceCa.key)).subarray(1)));
    }
    case 'cv-issuer-unknown':
    case 'cv-issuer-wrong-key':
    case 'cv-key-id-shape': {
      const issuer =
        kind === 'cv-issuer-unknown'
          ? keyId('9000024', '001')
          : kind === 'cv-key-id-shape'
            ? cat(ascii('9000023'), Uint8Array.of(0x08, 0x06), ascii('001'), new Uint8Array(4))
            : pki.cardFaceCa.keyId;
      const signingCa = kind === 'cv-issuer-wrong-key' || kind === 'cv-issuer-unknown' ? spare : pki.cardFaceCa.key;
      const body = cvBody(signer, pki.faceSigner.keyId, issuer);
      return withCv(base, cvTemplate(body, new Uint8Array(sign('sha256', body, signingCa))));
    }
    case 'df24-short-modulus':
    case 'df24-long-exponent': {
      const { n, e } = rsaParts(base.chipKey);
      const key =
        kind === 'df24-short-modulus'
          ? cat(tlv([0x90], e), tlv([0x91], n.subarray(1)))
          : cat(tlv([0x90], cat(Uint8Array.of(0x00), e)), tlv([0x91], n, true));
      const df24 = df(0x24, key);
      const changed: CardFaceFields = { ...f, df24 };
      return withCardFace(base, face(f, signedDf28(signer, cat(DIGEST_INFO_HEAD.three, cardFaceDigests(changed))), df24));
    }
    case 'offset-table-odd': {
      const fields = face(f, findDf28(issued));
      const table = tableOf(fields).subarray(0, 17);
      return withCardFace(base, fields, { offsets: table });
    }
    case 'offset-table-short': {
      const fields = face(f, findDf28(issued));
      return withCardFace(base, fields, { offsets: tableOf(fields).subarray(0, 16) });
    }
    case 'missing-df2a':
      return withCardFace(base, face(f, findDf28(issued)).slice(0, 8));
    case 'extra-field':
      return withCardFace(base, [...face(f, findDf28(issued)), df(0x2b, ascii('extra'))]);
    case 'clone-chip':
      return { ...base, chipKey: spare };
  }
}

/** The genuine DF28 TLV of the issued card. */
function findDf28(issued: IssuedContents): Uint8Array {
  const l = issued.cardFace.layout.find((x) => x.tag === 0xdf28);
  if (!l) throw new RangeError('no DF28 in the issued card face');
  return issued.contents.face.cardFace.slice(l.start, l.start + l.length);
}

/** The true offset table for `fields` (as assembleCardFace computes it). */
function tableOf(fields: readonly Uint8Array[]): Uint8Array {
  return valueOf(assembleCardFace(fields).ef.subarray(5, 5 + 3 + fields.length * 2));
}

/** Sanity for the variant builders themselves: each differs from the genuine card. */
export function differsFromGenuine(v: CardContents, issued: IssuedContents): boolean {
  const g = issued.contents;
  return (
    v.chipKey !== g.chipKey ||
    Buffer.compare(v.face.cardFace, g.face.cardFace) !== 0 ||
    Buffer.compare(v.face.cvCertificate, g.face.cvCertificate) !== 0
  );
}
