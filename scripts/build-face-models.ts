/**
 * Install step: converts face-api's tfjs weights into the ONNX model set under var/models
 * (idempotent; verifies an existing cache by checksum and keeps it when intact).
 */
import { ensureDefaultModels } from '../firmware/face/models/build-models.ts';

const paths = ensureDefaultModels(new URL('../var/models', import.meta.url).pathname);
process.stderr.write(`face models ready: ${Object.values(paths).join(', ')}\n`);
