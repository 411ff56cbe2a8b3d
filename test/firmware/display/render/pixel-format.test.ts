/** RGBA → framebuffer layouts: exact bytes for RGB565 / XRGB8888 / XBGR8888 / RGB888, stride padding, rotation. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertFrame, frameToRgba, FrameSizeError } from '../../../../firmware/display/render/pixel-format.ts';
import type { DisplayGeometry } from '../../../../firmware/ports/display.ts';

/** 2×2 image: red, green / blue, white. */
const rgba = { width: 2, height: 2, data: Buffer.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]) };

test('RGB565 little-endian with stride padding left at zero', () => {
  const g: DisplayGeometry = { width: 2, height: 2, stride: 6, format: 'RGB565' };
  const out = convertFrame(rgba, g);
  assert.equal([...out], [0x00, 0xf8, 0xe0, 0x07, 0, 0, 0x1f, 0x00, 0xff, 0xff, 0, 0]);
});

test('XRGB8888 is B G R X in memory; XBGR8888 is R G B X; RGB888 is B G R', () => {
  const x = convertFrame(rgba, { width: 2, height: 2, stride: 8, format: 'XRGB8888' });
  assert.equal([...x.subarray(0, 8)], [0, 0, 255, 0, 0, 255, 0, 0]);
  assert.equal([...x.subarray(8, 12)], [255, 0, 0, 0]);
  const xb = convertFrame(rgba, { width: 2, height: 2, stride: 12, format: 'XBGR8888' });
  assert.equal([...xb.subarray(0, 4)], [255, 0, 0, 0]);
  assert.equal([...xb.subarray(8, 12)], [0, 0, 0, 0], 'row padding');
  const r24 = convertFrame(rgba, { width: 2, height: 2, stride: 6, format: 'RGB888' });
  assert.equal([...r24], [0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255]);
});

test('rotation 90/180/270 maps the logical image onto the panel', () => {
  // Logical 2 wide × 2 high; panel (rotated 90° clockwise): top row = left column bottom-up.
  const g: DisplayGeometry = { width: 2, height: 2, stride: 8, format: 'XBGR8888' };
  const px = (buf: Buffer, i: number): number[] => [...buf.subarray(i * 4, i * 4 + 3)];
  const r90 = convertFrame(rgba, g, 90);
  assert.equal(px(r90, 0), [0, 0, 255], 'panel (0,0) is logical bottom-left (blue)');
  assert.equal(px(r90, 1), [255, 0, 0], 'panel (1,0) is logical top-left (red)');
  const r180 = convertFrame(rgba, g, 180);
  assert.equal(px(r180, 0), [255, 255, 255]);
  const r270 = convertFrame(rgba, g, 270);
  assert.equal(px(r270, 0), [0, 255, 0], 'panel (0,0) is logical top-right (green)');
  // A non-square panel: logical 2×4 portrait onto a 4×2 landscape panel.
  const tall = { width: 2, height: 4, data: Buffer.alloc(32, 200) };
  assert.is(convertFrame(tall, { width: 4, height: 2, stride: 16, format: 'XRGB8888' }, 90).length, 32);
  assert.throws(
    () => convertFrame(tall, { width: 4, height: 2, stride: 16, format: 'XRGB8888' }, 0),
    (e: unknown) => e instanceof FrameSizeError,
  );
});

test('frameToRgba inverts the conversion (RGB565 within its precision)', () => {
  for (const format of ['RGB565', 'XRGB8888', 'XBGR8888', 'RGB888'] as const) {
    const g: DisplayGeometry = { width: 2, height: 2, stride: format === 'RGB565' ? 4 : format === 'RGB888' ? 8 : 12, format };
    const back = frameToRgba(convertFrame(rgba, g), g);
    assert.equal([...back.data], [...rgba.data], format);
  }
});

test('frameToRgba inverts unpadded 32-bit frames too (the whole-word path), at any byte offset', () => {
  for (const format of ['XRGB8888', 'XBGR8888'] as const) {
    const g: DisplayGeometry = { width: 2, height: 2, stride: 8, format };
    const frame = convertFrame(rgba, g);
    assert.equal([...frameToRgba(frame, g).data], [...rgba.data], format);
    // a view at an odd offset cannot be read as words: the byte path must give the same
    const shifted = new Uint8Array(frame.length + 1).subarray(1);
    shifted.set(frame);
    assert.equal([...frameToRgba(shifted, g).data], [...rgba.data], `${format} at offset 1`);
  }
});

test('the 32-bit word path (no rotation) gives the same bytes as the per-pixel path', () => {
  const w = 64;
  const h = 32;
  const img = { width: w, height: h, data: Buffer.alloc(w * h * 4) };
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 7919 + 13) & 0xff;
  for (const format of ['XRGB8888', 'XBGR8888'] as const) {
    const g: DisplayGeometry = { width: w, height: h, stride: w * 4 + 16, format };
    const fast = convertFrame(img, g);
    // Rotating twice by 180° goes through the per-pixel path; compare with the fast path.
    const rotated = { width: w, height: h, data: Buffer.alloc(w * h * 4) };
    for (let p = 0; p < w * h; p++) img.data.copy(rotated.data, (w * h - 1 - p) * 4, p * 4, p * 4 + 4);
    const slow = convertFrame(rotated, g, 180);
    assert.ok(fast.equals(slow), format);
    for (let y = 0; y < h; y++)
      assert.ok(
        fast.subarray(y * g.stride + w * 4, (y + 1) * g.stride).every((b) => b === 0),
        'padding zero',
      );
  }
});

test.run();
