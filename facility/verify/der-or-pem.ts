/** Certificates and CRLs come as DER or PEM files: one reader for both. */
import { TrustMaterialError } from './errors.ts';

/** Every PEM block labelled `label` in `bytes`, or `bytes` itself when it is DER. */
export function derBlocks(bytes: Uint8Array, label: 'CERTIFICATE' | 'X509 CRL', source: string): Buffer[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('-----BEGIN')) return [Buffer.from(bytes)];
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+?)-----END ${label}-----`, 'g');
  const out: Buffer[] = [];
  for (let m = re.exec(text), n = 0; m && n < 1000; m = re.exec(text), n++)
    out.push(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
  if (out.length === 0) throw new TrustMaterialError(source, `no "${label}" PEM block`);
  return out;
}
