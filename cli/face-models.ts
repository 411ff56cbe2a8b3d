/**
 * The face model set the composition root hands the face worker: the configured one, or the
 * default set, converted from face-api's weights into `cacheDir` on first use by the build
 * tooling (tools/models/build-models.ts; a release ships it converted, the device only checks it).
 */
import type { FaceConfig } from '../firmware/config/sections/face.ts';
import { defaultModelSetIn, modelSetOf, type ModelSet } from '../firmware/face/pipeline/model-set.ts';
import { ensureDefaultModels } from '../tools/models/build-models.ts';

/** The default set, converting it into `cacheDir` on first use. */
export function defaultModelSet(cacheDir: string, overrides: { threads?: number; detectorSize?: number } = {}): ModelSet {
  ensureDefaultModels(cacheDir);
  return defaultModelSetIn(cacheDir, overrides);
}

/** The model set a configuration asks for: a manufacturer's directory, or the converted default. */
export function modelSetFromConfig(face: FaceConfig, cacheDir = 'var/models'): ModelSet {
  if (!face.modelDir) ensureDefaultModels(cacheDir);
  return modelSetOf(face, cacheDir);
}
