/**
 * The facility command key: an Ed25519 key pair made by `kaoreader facility init-ca`, its
 * private half kept by the facility service that sends commands (`facility/command-key.pem`,
 * 0600), its public half handed to every reader in the pairing bundle and pinned there. A
 * reader runs only commands this key signed. `keyId` (16 hex of the SHA-256 of the public key's
 * SPKI) names the key in each signed command, for diagnostics and rotation.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KaoreaderError } from '../../core/errors.ts';

export class CommandKeyError extends KaoreaderError {
  readonly code = 'COMMAND_KEY_INVALID';
}

export interface CommandKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function generateCommandKey(): CommandKeyPair {
  return generateKeyPairSync('ed25519');
}

/** The key id of a command key (either half). */
export function commandKeyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** PKCS#8 PEM of the private key (write it 0600). */
export function signingKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** SPKI PEM of the public key (what the pairing bundle carries), from either half. */
export function verifyingKeyPem(key: KeyObject): string {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'pem' }).toString();
}

/** The facility's signing key from its PEM; refuses anything but an Ed25519 private key. */
export function loadSigningKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new CommandKeyError('the facility command key is not a PEM private key', { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new CommandKeyError(`the facility command key must be Ed25519, not ${String(key.asymmetricKeyType)}`);
  return key;
}

/** The pinned public key from its PEM; refuses anything but an Ed25519 public key. */
export function loadVerifyingKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem', type: 'spki' });
  } catch (err) {
    throw new CommandKeyError('the pinned facility command key is not a PEM public key', { cause: err });
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519')
    throw new CommandKeyError('the pinned facility command key must be an Ed25519 public key');
  return key;
}
