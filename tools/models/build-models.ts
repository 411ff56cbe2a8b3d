/**
 * Converts face-api's bundled tfjs weights into the default ONNX model set under a cache
 * directory (var/models), with `manifest.json` holding each file's SHA-256 and the checksum
 * of the source weights it came from. Idempotent: an intact cache built from the same source
 * is reused; anything else is rebuilt. Run at install (scripts/build-face-models.ts) or lazily
 * on first use (ensureDefaultModels).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { convertDetector } from './convert-detector.ts';
import { convertLandmarks } from './convert-landmarks.ts';
import { convertRecognizer } from './convert-recognizer.ts';
import { encodeOnnx, type OnnxModel } from './onnx-writer.ts';
import { readModelManifest, verifyModelFiles, type ModelManifest } from '../../firmware/face/pipeline/model-manifest.ts';

export const CONVERTER_VERSION = '1';

const SOURCES = {
  detector: { manifest: 'tiny_face_detector_model-weights_manifest.json', convert: convertDetector },
  landmarks: { manifest: 'face_landmark_68_model-weights_manifest.json', convert: convertLandmarks },
  recognizer: { manifest: 'face_recognition_model-weights_manifest.json', convert: convertRecognizer },
} as const satisfies Record<string, { manifest: string; convert: (p: string) => OnnxModel }>;

export type DefaultModelName = keyof typeof SOURCES;

/** Directory holding face-api's weight manifests inside node_modules. */
export function faceApiModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function sourceDigest(modelDir: string): string {
  const h = createHash('sha256').update(CONVERTER_VERSION);
  for (const { manifest } of Object.values(SOURCES)) {
    h.update(readFileSync(join(modelDir, manifest)));
    h.update(readFileSync(join(modelDir, manifest.replace('-weights_manifest.json', '.bin'))));
  }
  return h.digest('hex');
}

/** Paths of the converted default models, building them when missing, stale or corrupt. */
export function ensureDefaultModels(cacheDir: string, modelDir = faceApiModelDir()): Record<DefaultModelName, string> {
  const source = sourceDigest(modelDir);
  const paths = Object.fromEntries(Object.keys(SOURCES).map((k) => [k, join(cacheDir, `${k}.onnx`)])) as Record<DefaultModelName, string>;
  const manifestPath = join(cacheDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const current = readModelManifest(manifestPath);
    const intact = current.source === source && Object.keys(SOURCES).every((k) => current.files[`${k}.onnx`] !== undefined);
    if (intact) {
      try {
        verifyModelFiles(cacheDir, current);
        return paths;
      } catch {
        /* corrupt cache: rebuilt below */
      }
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  const files: Record<string, string> = {};
  for (const [name, { manifest, convert }] of Object.entries(SOURCES)) {
    const bytes = encodeOnnx(convert(join(modelDir, manifest)));
    // Unique temp names: two processes converting at once (deterministic bytes) cannot collide.
    const tmp = join(cacheDir, `.${name}.onnx.${process.pid}.${threadId}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(cacheDir, `${name}.onnx`));
    files[`${name}.onnx`] = sha256(bytes);
  }
  const next: ModelManifest = { source, converter: CONVERTER_VERSION, files };
  const tmpManifest = `${manifestPath}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmpManifest, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmpManifest, manifestPath);
  return paths;
}
