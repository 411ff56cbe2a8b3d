/**
 * The reader's pairing state in its state directory: installing the bundle facility IT
 * returned, loading what the MQTT link needs, and unpairing (forget the facility; with
 * `factoryReset` also the key and pairing code, so the next boot makes a new identity).
 * A bundle is installed only when it is for *this* reader: its reader id is the one derived
 * from this reader's own key, its certificate names that id and carries that key and chains to
 * the bundle's CA, its broker is `mqtts://`, and it carries an Ed25519 facility command key,
 * which the reader pins. Loading checks the reader id against the key again.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, fsyncDir } from '../../core/fs.ts';
import { loadVerifyingKey } from '../commands/command-key.ts';
import { READER_ID } from '../messages/topics.ts';
import { PairingError, requireTlsBroker, type PairingBundle } from './facility-ca.ts';
import { ensureReaderIdentity, readerIdFor } from './identity.ts';
import { importP256, spkiFingerprint } from './p256.ts';
import { x509 } from '../../core/x509.ts';

export interface ReaderPairing {
  readonly readerId: string;
  readonly facilityId: string;
  readonly brokerUrl: string;
  readonly tls: { readonly ca: string; readonly cert: string; readonly key: string };
  /** The pinned facility command key (SPKI PEM). */
  readonly commandKey: string;
}

async function checkBundle(bundle: PairingBundle, own: { readerId: string; fingerprint: string }): Promise<void> {
  if (bundle.schema !== 'kaoreader.pairing/2')
    throw new PairingError('BUNDLE_INVALID', `unknown pairing bundle ${String(bundle.schema)} (pair again with this version)`);
  if (bundle.readerId !== own.readerId)
    throw new PairingError('READER_MISMATCH', `the bundle is for reader ${String(bundle.readerId)}, this reader is ${own.readerId}`);
  if (typeof bundle.facilityId !== 'string' || !READER_ID.test(bundle.facilityId))
    throw new PairingError('BUNDLE_INVALID', 'the bundle has no valid facility id');
  requireTlsBroker(String(bundle.brokerUrl));
  let cert: x509.X509Certificate;
  let ca: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(bundle.certificatePem);
    ca = new x509.X509Certificate(bundle.caPem);
    loadVerifyingKey(bundle.commandKey);
  } catch (err) {
    throw new PairingError('BUNDLE_INVALID', "the bundle's certificate, CA or command key cannot be read", { cause: err });
  }
  if ((await spkiFingerprint(cert.publicKey.rawData)) !== own.fingerprint)
    throw new PairingError('FINGERPRINT_MISMATCH', "this certificate is not for this reader's key");
  if (cert.subject !== `CN=${own.readerId}`)
    throw new PairingError('READER_MISMATCH', `the certificate names ${cert.subject}, this reader is ${own.readerId}`);
  if (!(await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })))
    throw new PairingError('BUNDLE_INVALID', 'certificate is not signed by the bundle CA');
}

export async function installPairingBundle(stateDir: string, bundle: PairingBundle): Promise<ReaderPairing> {
  const id = await ensureReaderIdentity(stateDir);
  await checkBundle(bundle, id);
  await writeFileAtomic(join(stateDir, 'pairing.json'), JSON.stringify(bundle, null, 2));
  return {
    readerId: id.readerId,
    facilityId: bundle.facilityId,
    brokerUrl: bundle.brokerUrl,
    tls: { ca: bundle.caPem, cert: bundle.certificatePem, key: id.privateKeyPem },
    commandKey: bundle.commandKey,
  };
}

/** The current pairing, or undefined when the reader is not paired. */
export async function loadReaderPairing(stateDir: string): Promise<ReaderPairing | undefined> {
  let bundle: PairingBundle;
  try {
    bundle = JSON.parse(await readFile(join(stateDir, 'pairing.json'), 'utf8')) as PairingBundle;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PairingError('NOT_PAIRED', `pairing state in ${stateDir} is unreadable`, { cause: err });
  }
  const key = await readFile(join(stateDir, 'reader-key.pem'), 'utf8');
  const fingerprint = await spkiFingerprint((await importP256(key)).publicKey);
  await checkBundle(bundle, { readerId: readerIdFor(fingerprint), fingerprint });
  return {
    readerId: bundle.readerId,
    facilityId: bundle.facilityId,
    brokerUrl: bundle.brokerUrl,
    tls: { ca: bundle.caPem, cert: bundle.certificatePem, key },
    commandKey: bundle.commandKey,
  };
}

export async function unpairReader(stateDir: string, o: { factoryReset?: boolean } = {}): Promise<void> {
  await rm(join(stateDir, 'pairing.json'), { force: true });
  if (o.factoryReset) {
    await rm(join(stateDir, 'reader-key.pem'), { force: true });
    await rm(join(stateDir, 'pairing-code'), { force: true });
  }
  await fsyncDir(stateDir);
}
