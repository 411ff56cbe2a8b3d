/**
 * An independent reference: @vladmandic/face-api on @tensorflow/tfjs-backend-wasm, used by the
 * converter test (same weights, different engine) and by `bench face` (side-by-side speed).
 *
 * face-api's node-wasm build requires the umbrella `@tensorflow/tfjs` package, which is not
 * installed (tfjs-node cannot install on arm64); only tfjs-core + the wasm backend are. The
 * loader maps that one require to tfjs-core and adds the chained tensor methods
 * (`t.as3D()`, `t.div()`…) that the umbrella package would have registered.
 */
import { createRequire } from 'node:module';

export interface TfTensor {
  readonly shape: number[];
  data(): Promise<Float32Array>;
  dispose(): void;
}

interface TfCore {
  tensor(values: Float32Array | Uint8Array, shape: number[], dtype: string): TfTensor;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  memory(): { numTensors: number };
  Tensor: { prototype: Record<string, unknown> };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface FaceApiResult {
  detection: { score: number; box: Box };
  descriptor: Float32Array;
}

interface Net {
  loadFromDisk(dir: string): Promise<void>;
}
interface FaceApi {
  nets: {
    tinyFaceDetector: Net & { forward(t: TfTensor, size: number): Promise<TfTensor> };
    faceLandmark68Net: Net & { forward(t: TfTensor): Promise<TfTensor> };
    faceRecognitionNet: Net & { computeFaceDescriptor(t: TfTensor): Promise<Float32Array> };
    ssdMobilenetv1: Net & { isLoaded: boolean };
  };
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  detectAllFaces(
    t: TfTensor,
    o: unknown,
  ): PromiseLike<{ score: number; box: Box }[]> & {
    withFaceLandmarks(): PromiseLike<{ detection: { score: number; box: Box }; landmarks: { positions: { x: number; y: number }[] } }[]> & {
      withFaceDescriptors(): Promise<FaceApiResult[]>;
    };
  };
}

export interface FaceApiReference {
  readonly tf: TfCore;
  readonly faceapi: FaceApi;
  /** RGB HWC bytes → tensor [1,h,w,3] (int32 like face-api's demos). Caller disposes. */
  image(rgb: Uint8Array, width: number, height: number): TfTensor;
  floatImage(nhwc: Float32Array, size: number): TfTensor;
  /** Threads the wasm backend computes on (1 in Node: its threaded build needs cross-origin isolation). */
  threads(): number;
}

let loading: Promise<FaceApiReference> | undefined;

export function loadFaceApiReference(modelDir: string): Promise<FaceApiReference> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const Module = require('node:module') as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
    const original = Module._resolveFilename;
    Module._resolveFilename = function (this: unknown, req: string, ...rest: unknown[]) {
      return original.call(this, req === '@tensorflow/tfjs' ? '@tensorflow/tfjs-core' : req, ...rest);
    };
    const tf = require('@tensorflow/tfjs-core') as TfCore & Record<string, unknown>;
    const proto = tf.Tensor.prototype;
    for (const [name, fn] of Object.entries(tf)) {
      if (typeof fn === 'function' && !(name in proto))
        proto[name] = function (this: unknown, ...a: unknown[]) {
          return (fn as (...x: unknown[]) => unknown)(this, ...a);
        };
    }
    const reshape = tf.reshape as (t: unknown, s: number[]) => unknown;
    for (const n of [1, 2, 3, 4, 5])
      proto[`as${n}D`] = function (this: unknown, ...s: number[]) {
        return reshape(this, s.length > 0 ? s : [-1]);
      };
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
    Module._resolveFilename = original;
    await tf.setBackend('wasm');
    await tf.ready();
    await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
    return {
      tf,
      faceapi,
      image: (rgb, width, height) => tf.tensor(Int32Array.from(rgb) as unknown as Float32Array, [height, width, 3], 'int32'),
      floatImage: (nhwc, size) => tf.tensor(nhwc, [1, size, size, 3], 'float32'),
      threads: () => wasm.getThreadsCount(),
    };
  })();
  return loading;
}
