/**
 * Facility IT's side of pairing: a facility CA (P-256), the broker's server certificate, the
 * facility consumer's client certificate (CN `facility`), the facility command key (Ed25519,
 * signs every command; readers pin its public half), signing reader CSRs after checking the
 * pairing code *and* the key fingerprint from the reader's QR, and revocation (unpair) through a
 * CRL that mosquitto reads (`crlfile`). The CA directory keeps each party's files apart:
 *
 *   DIR/            0711  ca.pem, ca-state.json (issued certificates)
 *   DIR/private/    0700  ca-key.pem 0600: the CA key, read only to sign and revoke
 *   DIR/broker/     0750  ca.pem, broker.pem, broker-key.pem, crl.pem: all the broker reads
 *   DIR/facility/   0700  ca.pem, facility.pem, facility-key.pem, command-key.pem: the facility service's
 *
 * so the broker's user (give it DIR/broker with `chgrp mosquitto`) never reaches the CA key or
 * the command key. Private keys are written 0600 and never printed.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KaoreaderError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import { generateCommandKey, loadSigningKey, signingKeyPem, verifyingKeyPem } from '../commands/command-key.ts';
import { codesEqual, readerIdFor } from './identity.ts';
import { generateP256, importP256, privateKeyPem, SIGN, spkiFingerprint, type CryptoKey, type CryptoKeyPair } from './p256.ts';
import { x509 } from '../../core/x509.ts';

export class PairingError extends KaoreaderError {
  constructor(
    readonly code:
      | 'CSR_INVALID'
      | 'CODE_MISMATCH'
      | 'FINGERPRINT_MISMATCH'
      | 'FINGERPRINT_REQUIRED'
      | 'READER_MISMATCH'
      | 'BUNDLE_INVALID'
      | 'INSECURE_BROKER'
      | 'CA_MISSING'
      | 'NOT_PAIRED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface CaFiles {
  /** The broker's files (what mosquitto reads). */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly crlFile: string;
  /** The facility service's files. */
  readonly facilityCa: string;
  readonly facilityCert: string;
  readonly facilityKey: string;
  readonly commandKey: string;
  /** The CA's own: its key (DIR/private) and certificate. */
  readonly caKey: string;
  readonly caCert: string;
}

export const caFiles = (dir: string): CaFiles => ({
  caFile: join(dir, 'broker', 'ca.pem'),
  certFile: join(dir, 'broker', 'broker.pem'),
  keyFile: join(dir, 'broker', 'broker-key.pem'),
  crlFile: join(dir, 'broker', 'crl.pem'),
  facilityCa: join(dir, 'facility', 'ca.pem'),
  facilityCert: join(dir, 'facility', 'facility.pem'),
  facilityKey: join(dir, 'facility', 'facility-key.pem'),
  commandKey: join(dir, 'facility', 'command-key.pem'),
  caKey: join(dir, 'private', 'ca-key.pem'),
  caCert: join(dir, 'ca.pem'),
});

/** `mqtts://` (TLS) is the only broker URL a paired reader or a facility CA accepts. */
export function requireTlsBroker(url: string): string {
  if (!/^mqtts:\/\/[^/\s]+/.test(url))
    throw new PairingError(
      'INSECURE_BROKER',
      `the facility broker must be reached over TLS (mqtts://host:port), not ${url.split(':')[0] ?? url}`,
    );
  return url;
}

interface Issued {
  readonly readerId: string;
  readonly serial: string;
  readonly fingerprint: string;
  readonly at: string;
  revokedAt?: string;
}
interface CaState {
  readonly facilityId: string;
  readonly brokerUrl: string;
  issued: Issued[];
}

/** What a paired reader receives: its certificate and how to reach the broker. */
export interface PairingBundle {
  readonly schema: 'kaoreader.pairing/2';
  readonly facilityId: string;
  readonly readerId: string;
  readonly brokerUrl: string;
  readonly caPem: string;
  readonly certificatePem: string;
  /** The facility command key's public half (SPKI PEM): the reader pins it and runs only commands it signed. */
  readonly commandKey: string;
}

const serial = (): string => `01${randomBytes(15).toString('hex')}`;
const years = (n: number): Date => new Date(Date.now() + n * 365 * 86_400_000);

async function issue(
  subject: string,
  publicKey: CryptoKey,
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  usage: 'server' | 'client',
  sans: string[] = [],
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - 300_000),
    notAfter: years(usage === 'server' ? 5 : 10),
    publicKey,
    signingKey: ca.key,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      ...(sans.length
        ? [
            new x509.SubjectAlternativeNameExtension(
              sans.map((s) => (/^[0-9.]+$/.test(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s })),
            ),
          ]
        : []),
    ],
  });
}

/** Creates the CA, broker and facility certificates and the command key in `dir` (refuses to overwrite an existing CA). */
export async function initFacilityCa(dir: string, o: { facilityId: string; brokerUrl: string; brokerNames?: string[] }): Promise<CaFiles> {
  requireTlsBroker(o.brokerUrl);
  await mkdir(dir, { recursive: true, mode: 0o711 });
  const f = caFiles(dir);
  if (
    await readFile(f.caCert).then(
      () => true,
      () => false,
    )
  )
    throw new PairingError('CA_MISSING', `${f.caCert} exists already: this facility has a CA`);
  for (const [sub, mode] of [
    ['private', 0o700],
    ['broker', 0o750],
    ['facility', 0o700],
  ] as const) {
    await mkdir(join(dir, sub), { recursive: true, mode });
    await chmod(join(dir, sub), mode); // whatever the umask made of it
  }
  await chmod(dir, 0o711);
  const caKeys = await generateP256();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=kaoreader facility CA ${o.facilityId}`,
    keys: caKeys,
    signingAlgorithm: SIGN,
    notBefore: new Date(Date.now() - 300_000),
    notAfter: years(20),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const ca = { cert: caCert, key: caKeys.privateKey };
  const broker = await generateP256();
  const facility = await generateP256();
  const command = generateCommandKey();
  const host = new URL(o.brokerUrl).hostname;
  const brokerCert = await issue('CN=kaoreader broker', broker.publicKey, ca, 'server', [
    ...new Set(['localhost', '127.0.0.1', host, ...(o.brokerNames ?? [])]),
  ]);
  const facilityCert = await issue('CN=facility', facility.publicKey, ca, 'client');
  const caPem = caCert.toString('pem');
  await writeFileAtomic(join(dir, 'private', 'ca-key.pem'), await privateKeyPem(caKeys.privateKey));
  await writeFileAtomic(join(dir, 'ca.pem'), caPem);
  await writeFileAtomic(join(dir, 'broker', 'ca.pem'), caPem);
  await writeFileAtomic(join(dir, 'broker', 'broker-key.pem'), await privateKeyPem(broker.privateKey));
  await writeFileAtomic(join(dir, 'broker', 'broker.pem'), brokerCert.toString('pem'));
  await writeFileAtomic(join(dir, 'facility', 'ca.pem'), caPem);
  await writeFileAtomic(join(dir, 'facility', 'facility-key.pem'), await privateKeyPem(facility.privateKey));
  await writeFileAtomic(join(dir, 'facility', 'facility.pem'), facilityCert.toString('pem'));
  await writeFileAtomic(join(dir, 'facility', 'command-key.pem'), signingKeyPem(command.privateKey));
  const state: CaState = { facilityId: o.facilityId, brokerUrl: o.brokerUrl, issued: [] };
  await writeFileAtomic(join(dir, 'ca-state.json'), JSON.stringify(state, null, 2));
  await writeCrl(dir, ca, state);
  // The broker's user reads its directory through its group (chgrp mosquitto DIR/broker); public parts 0640 too.
  for (const file of [f.caFile, f.certFile, f.keyFile, f.crlFile]) await chmod(file, 0o640);
  await chmod(f.caCert, 0o644);
  return f;
}

async function loadCa(dir: string): Promise<{ cert: x509.X509Certificate; key: CryptoKey; keys: CryptoKeyPair; state: CaState }> {
  try {
    const cert = new x509.X509Certificate(await readFile(caFiles(dir).caCert, 'utf8'));
    const keys = await importP256(await readFile(caFiles(dir).caKey, 'utf8'));
    const state = JSON.parse(await readFile(join(dir, 'ca-state.json'), 'utf8')) as CaState;
    return { cert, key: keys.privateKey, keys, state };
  } catch (err) {
    throw new PairingError('CA_MISSING', `no facility CA in ${dir}: run "kaoreader facility init-ca" first`, { cause: err });
  }
}

async function writeCrl(dir: string, ca: { cert: x509.X509Certificate; key: CryptoKey }, state: CaState): Promise<void> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: years(1),
    signingKey: ca.key,
    signingAlgorithm: SIGN,
    entries: state.issued
      .filter((i) => i.revokedAt)
      .map((i) => ({ serialNumber: i.serial, revocationDate: new Date(i.revokedAt ?? Date.now()) })),
  });
  await writeFileAtomic(join(dir, 'broker', 'crl.pem'), x509.PemConverter.encode(crl.rawData, 'X509 CRL')); // OpenSSL's label
  await chmod(caFiles(dir).crlFile, 0o640);
}

/**
 * Signs a reader's CSR: the CSR must be self-signed by its key, name `CN=kr-<fingerprint>`,
 * carry the pairing `code` shown on the reader, and its key must be the one whose fingerprint
 * the reader's QR shows (`fingerprint`, required: whoever only saw the code cannot pair their
 * own device). Returns the bundle to hand to the reader.
 */
export async function signReaderCsr(dir: string, csrPem: string, code: string, fingerprint: string): Promise<PairingBundle> {
  if (!/^[0-9a-fA-F]{64}$/.test(fingerprint))
    throw new PairingError(
      'FINGERPRINT_REQUIRED',
      'pairing needs the reader key fingerprint from its QR (64 hex digits), not the code alone',
    );
  const ca = await loadCa(dir);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new PairingError('CSR_INVALID', 'not a PEM certificate request', { cause: err });
  }
  if (!(await csr.verify())) throw new PairingError('CSR_INVALID', 'the CSR signature does not verify');
  if (csr.publicKey.algorithm.name !== 'ECDSA' || (csr.publicKey.algorithm as { namedCurve?: string }).namedCurve !== 'P-256')
    throw new PairingError('CSR_INVALID', 'the reader key must be P-256');
  const actual = await spkiFingerprint(csr.publicKey.rawData);
  const readerId = readerIdFor(actual);
  if (csr.subject !== `CN=${readerId}`)
    throw new PairingError('CSR_INVALID', `CSR subject ${csr.subject} does not match its key (${readerId})`);
  if (fingerprint.toLowerCase() !== actual)
    throw new PairingError('FINGERPRINT_MISMATCH', 'the CSR key is not the key shown on the reader (fingerprint differs)');
  const attr = csr.getAttribute('1.2.840.113549.1.9.7'); // PKCS#9 challengePassword
  const given = attr instanceof x509.ChallengePasswordAttribute ? attr.password : undefined;
  if (!given || !codesEqual(given, code))
    throw new PairingError('CODE_MISMATCH', 'the pairing code does not match the one on the reader screen');
  const cert = await issue(`CN=${readerId}`, await csr.publicKey.export(), ca, 'client');
  ca.state.issued.push({ readerId, serial: cert.serialNumber, fingerprint: actual, at: new Date().toISOString() });
  await writeFileAtomic(join(dir, 'ca-state.json'), JSON.stringify(ca.state, null, 2));
  const commandKey = verifyingKeyPem(await facilityCommandKey(dir));
  return {
    schema: 'kaoreader.pairing/2',
    facilityId: ca.state.facilityId,
    readerId,
    brokerUrl: ca.state.brokerUrl,
    caPem: ca.cert.toString('pem'),
    certificatePem: cert.toString('pem'),
    commandKey,
  };
}

/** Revokes every certificate issued to `readerId`; restart (or SIGHUP) mosquitto to load the CRL. */
export async function revokeReader(dir: string, readerId: string): Promise<number> {
  const ca = await loadCa(dir);
  const now = new Date().toISOString();
  let n = 0;
  for (const i of ca.state.issued)
    if (i.readerId === readerId && !i.revokedAt) {
      i.revokedAt = now;
      n += 1;
    }
  if (n === 0) throw new PairingError('NOT_PAIRED', `${readerId} has no valid certificate from this facility`);
  await writeFileAtomic(join(dir, 'ca-state.json'), JSON.stringify(ca.state, null, 2));
  await writeCrl(dir, ca, ca.state);
  return n;
}

/** A facility consumer's TLS material (the facility service, the simulator). */
export async function facilityTls(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const f = caFiles(dir);
  return {
    ca: await readFile(f.facilityCa, 'utf8'),
    cert: await readFile(f.facilityCert, 'utf8'),
    key: await readFile(f.facilityKey, 'utf8'),
  };
}

/** The facility command key (Ed25519 private) that signs commands: the facility service loads it, nothing else. */
export async function facilityCommandKey(dir: string): Promise<KeyObject> {
  return loadSigningKey(await readFile(caFiles(dir).commandKey, 'utf8'));
}
