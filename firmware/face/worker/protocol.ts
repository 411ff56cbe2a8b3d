/**
 * Messages between the visit (main thread) and the face worker. Frames and photos travel as
 * transferred ArrayBuffers (moved, not copied: the sender loses them); embeddings come back
 * the same way. Every request carries an id and an absolute deadline in the worker's
 * performance.now() time base (both threads share the process's time origin closely enough:
 * the client sends a relative budget and the worker converts it on arrival).
 */
import type { ErrorCode } from '../../core/errors.ts';
import type { ModelSet } from '../pipeline/model-set.ts';
import type { WireAnalysis, WirePoints } from './wire-analysis.ts';

export interface WireFrame {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
}

export type WorkerRequest =
  | { readonly type: 'init'; readonly id: number; readonly modelSet: ModelSet }
  | {
      readonly type: 'analyse';
      readonly id: number;
      readonly frame: WireFrame;
      readonly embed: boolean;
      readonly budgetMs: number;
      readonly follow?: boolean;
      /** The previous frame's landmarks, packed (wire-analysis.ts). */
      readonly prior?: WirePoints | undefined;
    }
  | { readonly type: 'enrol'; readonly id: number; readonly photo: ArrayBuffer; readonly budgetMs: number }
  | { readonly type: 'stats'; readonly id: number }
  /** Releases the ONNX sessions before the thread is terminated (terminating with live sessions can abort the process). */
  | { readonly type: 'close'; readonly id: number };

export interface WorkerStats {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

export type WorkerReply =
  | { readonly type: 'ok'; readonly id: number; readonly analysis?: WireAnalysis; readonly stats?: WorkerStats }
  | { readonly type: 'error'; readonly id: number; readonly code: ErrorCode; readonly message: string };
