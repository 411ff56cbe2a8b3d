/**
 * The checksum manifest of a model directory (`manifest.json`: file name → SHA-256) and its
 * check. Every model file is verified before a session is created from it, whether it was
 * converted here or dropped in by a manufacturer.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KaoreaderError } from '../../core/errors.ts';

export interface ModelManifest {
  /** Digest of the weights the files were converted from (absent for third-party sets). */
  readonly source?: string;
  readonly converter?: string;
  readonly files: Readonly<Record<string, string>>;
}

/** A model file whose bytes do not match its manifest (or that the manifest does not list). */
export class ModelChecksumError extends KaoreaderError {
  readonly code = 'MODEL_CHECKSUM_MISMATCH';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`model file ${file}: ${reason}`);
  }
}

export function readModelManifest(path: string): ModelManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ModelChecksumError(path, 'manifest unreadable');
  }
  const files = (parsed as { files?: unknown }).files;
  if (
    typeof files !== 'object' ||
    files === null ||
    !Object.values(files).every((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))
  ) {
    throw new ModelChecksumError(path, 'manifest has no valid "files" map');
  }
  return parsed as ModelManifest;
}

/** Reads `file` and checks it against the manifest next to it; returns the verified bytes. */
export function readVerifiedModel(file: string, manifest: ModelManifest): Uint8Array {
  const want = manifest.files[basename(file)];
  if (!want) throw new ModelChecksumError(file, 'not listed in manifest.json');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new ModelChecksumError(file, 'missing or unreadable');
  }
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== want) throw new ModelChecksumError(file, `sha256 ${got.slice(0, 12)}… ≠ manifest ${want.slice(0, 12)}…`);
  return bytes;
}

/** Verifies every file listed in the manifest of `dir`. */
export function verifyModelFiles(dir: string, manifest: ModelManifest): void {
  for (const name of Object.keys(manifest.files)) readVerifiedModel(join(dir, name), manifest);
}
