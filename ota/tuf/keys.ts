/**
 * Ed25519 signing keys for TUF roles (node:crypto). A key file holds the public key (hex, as
 * TUF's `keyval.public`) and the private key (PKCS#8 PEM); key files stay on the
 * manufacturer's machine, never in a release or on a device. The key id is the SHA-256 of the
 * canonical JSON of the public key object, as the TUF specification defines it.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { canonicalize } from './canonical-json.ts';

export class KeyFileError extends KaoreaderError {
  readonly code = 'KEY_FILE';
}

/** The public key as it appears in root metadata `keys`. */
export interface PublicKeyJson {
  readonly keytype: 'ed25519';
  readonly scheme: 'ed25519';
  readonly keyval: { readonly public: string };
}

export interface SigningKey {
  readonly keyid: string;
  readonly public: PublicKeyJson;
  readonly privateKey: KeyObject;
}

interface KeyFile {
  readonly public: PublicKeyJson;
  readonly privatePem: string;
}

export function keyIdOf(pub: PublicKeyJson): string {
  return createHash('sha256').update(canonicalize(pub)).digest('hex');
}

function fromParts(pub: PublicKeyJson, privateKey: KeyObject): SigningKey {
  return { keyid: keyIdOf(pub), public: pub, privateKey };
}

export function generateKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return fromParts({ keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } }, privateKey);
}

/** The JSON text of a key file (mode 0600 when written). */
export function keyFileText(key: SigningKey): string {
  const file: KeyFile = { public: key.public, privatePem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function readKeyFile(path: string): Promise<SigningKey> {
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as KeyFile;
  } catch (err) {
    throw new KeyFileError(`cannot read key file ${path}`, { cause: err });
  }
  if (parsed.public?.keytype !== 'ed25519' || typeof parsed.public.keyval?.public !== 'string' || typeof parsed.privatePem !== 'string') {
    throw new KeyFileError(`${path} is not an ed25519 key file`);
  }
  return fromParts(parsed.public, createPrivateKey(parsed.privatePem));
}

/** A TUF signature object over `data` (the canonical bytes of `signed`). */
export function signBytes(key: SigningKey, data: Uint8Array): { keyid: string; sig: string } {
  return { keyid: key.keyid, sig: sign(null, data, key.privateKey).toString('hex') };
}
