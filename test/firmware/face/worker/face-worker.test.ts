/**
 * The face worker's service on a MessageChannel in this thread (the same code the worker thread
 * runs, on the real runtime): when its reply to a frame arrives, the pipeline's model inputs made
 * from that frame have already been zeroed (the worker zeroes them after posting, in the same turn).
 */
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { test } from 'uvu';
import { serveFaceWorker } from '../../../../firmware/face/worker/face-worker.ts';
import type { WorkerReply, WorkerRequest } from '../../../../firmware/face/worker/protocol.ts';
import { cameraFrame } from '../../../../hardware-sim/face/face-material.ts';
import { facesIn, testModelSet } from '../support/demo-faces.ts';
import { recordingRuntime } from '../support/recording-runtime.ts';

function ask(port: MessagePort, req: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
  return new Promise((resolve) => {
    port.once('message', resolve);
    port.postMessage(req, transfer);
  });
}

test('the reply to a frame arrives after the model inputs holding its face were zeroed', async () => {
  const seen = new Set<Float32Array>();
  const runtime = recordingRuntime(seen);
  const { port1, port2 } = new MessageChannel();
  serveFaceWorker(port1, runtime);
  try {
    assert.equal((await ask(port2, { type: 'init', id: 1, modelSet: testModelSet() })).type, 'ok');
    const { image, faces } = await facesIn(1);
    const still = await cameraFrame(image, faces[0]!);
    const data = still.data.slice();
    const frame = {
      width: still.width,
      height: still.height,
      channels: 3,
      buffer: data.buffer,
      byteOffset: 0,
      byteLength: data.byteLength,
    } as const;
    const reply = await ask(port2, { type: 'analyse', id: 2, frame, embed: true, budgetMs: 30_000 }, [data.buffer]);
    assert.ok(reply.type === 'ok' && reply.analysis?.embedding, 'a face was found and embedded');
    assert.ok(seen.size >= 3, 'detector, landmarks and recognizer inputs seen');
    assert.equal([...seen].filter((b) => b.some((v) => v !== 0)).length, 0);
  } finally {
    await ask(port2, { type: 'close', id: 3 });
    port1.close();
    port2.close();
  }
});

test.run();
