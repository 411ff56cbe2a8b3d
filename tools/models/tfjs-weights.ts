/**
 * Reads a tfjs "weights manifest" (JSON list of groups: shard paths + weight specs) and its
 * binary shards into named float32 tensors. Weights quantized to uint8 are dequantized with
 * the manifest's `min + q * scale`; uint16 likewise; float32 weights are copied. Any mismatch
 * between the manifest and the shard bytes is a typed error, never a silent truncation.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KaoreaderError } from '../../firmware/core/errors.ts';

export class ModelConversionError extends KaoreaderError {
  readonly code = 'MODEL_CONVERSION_FAILED';
}

export interface TfjsTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale: number; min: number };
}

interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

function isManifest(v: unknown): v is ManifestGroup[] {
  return (
    Array.isArray(v) &&
    v.every((g) => {
      const group = g as Partial<ManifestGroup>;
      return Array.isArray(group.paths) && Array.isArray(group.weights);
    })
  );
}

/** Loads every tensor of `manifestPath` (shards resolved next to it). */
export function readTfjsWeights(manifestPath: string): Map<string, TfjsTensor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (cause) {
    throw new ModelConversionError(`cannot read weights manifest ${manifestPath}`, { cause });
  }
  if (!isManifest(parsed)) throw new ModelConversionError(`${manifestPath} is not a tfjs weights manifest`);
  const out = new Map<string, TfjsTensor>();
  for (const group of parsed) {
    const shards = group.paths.map((p) => readFileSync(join(dirname(manifestPath), p)));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      const q = spec.quantization;
      const width = q ? (q.dtype === 'uint8' ? 1 : q.dtype === 'uint16' ? 2 : 0) : spec.dtype === 'float32' ? 4 : 0;
      if (width === 0) throw new ModelConversionError(`${spec.name}: unsupported dtype ${q?.dtype ?? spec.dtype}`);
      if (offset + count * width > bytes.length) throw new ModelConversionError(`${spec.name}: shard too short`);
      for (let i = 0; i < count; i++) {
        const at = offset + i * width;
        if (q) data[i] = q.min + (width === 1 ? bytes[at]! : bytes.readUInt16LE(at)) * q.scale;
        else data[i] = bytes.readFloatLE(at);
      }
      offset += count * width;
      out.set(spec.name, { shape: spec.shape, data });
    }
    if (offset !== bytes.length) throw new ModelConversionError(`${manifestPath}: ${bytes.length - offset} unused shard bytes`);
  }
  return out;
}

/** The tensor named `name` with the expected rank, or a typed error. */
export function weight(map: ReadonlyMap<string, TfjsTensor>, name: string, rank: number): TfjsTensor {
  const t = map.get(name);
  if (!t) throw new ModelConversionError(`weight ${name} missing`);
  if (t.shape.length !== rank) throw new ModelConversionError(`weight ${name}: rank ${t.shape.length}, expected ${rank}`);
  return t;
}
