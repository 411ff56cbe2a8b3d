/** Which files of a package a release keeps for its CPU (ota/release/prune.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchesTarget } from '../../../ota/release/modules.ts';
import { keepFile, SUBSETS } from '../../../ota/release/prune.ts';

test("other architectures' prebuilds and onnxruntime binaries go, the target's stay", () => {
  assert.ok(keepFile('prebuilds/HID-linux-arm64/node.napi.node', 'arm64', 'gyp'));
  assert.not.ok(keepFile('prebuilds/HID-linux-x64/node.napi.node', 'arm64', 'gyp'));
  assert.not.ok(keepFile('prebuilds/HID-linux-x64-musl/node.napi.node', 'x64', 'gyp'));
  assert.ok(keepFile('bin/napi-v6/linux/arm64/onnxruntime_binding.node', 'arm64', 'plain'));
  assert.ok(keepFile('bin/napi-v6/linux/arm64/libonnxruntime.so.1', 'arm64', 'plain'));
  assert.not.ok(keepFile('bin/napi-v6/linux/x64/libonnxruntime.so.1', 'arm64', 'plain'));
  assert.not.ok(keepFile('bin/napi-v6/darwin/arm64/onnxruntime_binding.node', 'arm64', 'plain'));
});

test('a node-gyp package keeps its JavaScript, JSON and prebuilds; its sources and host build go', () => {
  assert.ok(keepFile('lib/pcsclite.js', 'arm64', 'gyp'));
  assert.ok(keepFile('package.json', 'arm64', 'gyp'));
  assert.ok(keepFile('LICENSE', 'arm64', 'gyp'));
  assert.not.ok(keepFile('src/cardreader.cpp', 'arm64', 'gyp'));
  assert.not.ok(keepFile('hidapi/linux/hid.c', 'arm64', 'gyp'));
  assert.not.ok(keepFile('binding.gyp', 'arm64', 'gyp'));
  assert.not.ok(keepFile('build/Release/pcsclite.node', 'arm64', 'gyp'), 'the host build never ships: the addon is built for the target');
  assert.not.ok(keepFile('build/Release/obj.target/x.o', 'x64', 'gyp'));
});

test('what only a developer reads goes; licences and code stay', () => {
  assert.ok(keepFile('build/index.js', 'arm64', 'plain'), 'a plain package whose code lives in build/ (socks) keeps it');
  assert.not.ok(keepFile('dist/index.d.ts', 'arm64', 'plain'));
  assert.not.ok(keepFile('dist/index.js.map', 'arm64', 'plain'));
  assert.not.ok(keepFile('src/index.ts', 'arm64', 'plain'));
  assert.not.ok(keepFile('README.md', 'arm64', 'plain'));
  assert.ok(keepFile('LICENSE.md', 'arm64', 'plain'));
  assert.ok(keepFile('licenses/COPYING.txt', 'arm64', 'plain'));
});

test('face-api: only its weights (the model conversion inputs), its sample photos and package.json', () => {
  const s = SUBSETS['@vladmandic/face-api'];
  assert.ok(keepFile('model/tiny_face_detector_model.bin', 'arm64', 'plain', s));
  assert.ok(keepFile('package.json', 'arm64', 'plain', s));
  assert.ok(keepFile('demo/sample6.jpg', 'arm64', 'plain', s), "the simulator's patients");
  assert.not.ok(keepFile('dist/face-api.node.js', 'arm64', 'plain', s));
});

test('platform packages match the target by os, cpu and libc', () => {
  assert.ok(matchesTarget({ cpu: ['arm64'], os: ['linux'], libc: ['glibc'] }, 'arm64'));
  assert.not.ok(matchesTarget({ cpu: ['arm64'], os: ['linux'], libc: ['musl'] }, 'arm64'));
  assert.not.ok(matchesTarget({ cpu: ['x64'], os: ['linux'] }, 'arm64'));
});

test.run();
