/**
 * Install step: converts face-api's tfjs weights into the ONNX model set under var/models
 * (idempotent; verifies an existing cache by checksum and keeps it when intact), and makes the
 * self-test's test photo (var/self-test/face.jp2) when it is missing.
 */
import { ensureDefaultModels } from '../tools/models/build-models.ts';
import { ensureSelfTestPhoto } from '../hardware-sim/card/self-test-photo.ts';

const paths = ensureDefaultModels(new URL('../var/models', import.meta.url).pathname);
process.stderr.write(`face models ready: ${Object.values(paths).join(', ')}\n`);
const photo = await ensureSelfTestPhoto(new URL('../var/self-test/face.jp2', import.meta.url).pathname);
process.stderr.write(`self-test photo ready: ${photo}\n`);
