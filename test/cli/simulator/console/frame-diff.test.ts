/**
 * The changed rectangle between two frames, on device bytes of every layout (row padding
 * included): exactly the pixels that differ, none when the frames are equal; the crop is those
 * pixels' bytes, row by row. Checked against a per-pixel comparison written plainly here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changedRect, cropFrame, type Rect } from '../../../../cli/simulator/console/frame-diff.ts';
import type { DisplayGeometry, FramebufferFormat } from '../../../../firmware/ports/display.ts';

const BPP: Readonly<Record<FramebufferFormat, number>> = { XRGB8888: 4, XBGR8888: 4, RGB888: 3, RGB565: 2 };

function geometry(format: FramebufferFormat, width: number, height: number, padding: number): DisplayGeometry {
  return { width, height, format, stride: width * BPP[format] + padding };
}

/** The bounding box of differing pixels, pixel by pixel (the row padding is not a pixel). */
function plainRect(a: Buffer, b: Buffer, g: DisplayGeometry): Rect | undefined {
  const bpp = BPP[g.format];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const i = y * g.stride + x * bpp;
      if (!a.subarray(i, i + bpp).equals(b.subarray(i, i + bpp))) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

test('the rectangle is exactly the differing pixels, for every layout and with row padding', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (const format of ['XRGB8888', 'XBGR8888', 'RGB888', 'RGB565'] as const) {
    for (const padding of [0, 6]) {
      const g = geometry(format, 37, 23, padding);
      const a = Buffer.alloc(g.stride * g.height);
      for (let i = 0; i < a.length; i++) a[i] = rnd(256);
      assert.is(changedRect(a, Buffer.from(a), g), undefined, `${format}: equal frames`);
      for (let round = 0; round < 20; round++) {
        const b = Buffer.from(a);
        for (let k = 0, n = 1 + rnd(4); k < n; k++) {
          const x = rnd(g.width);
          const y = rnd(g.height);
          const byte = y * g.stride + x * BPP[format] + rnd(BPP[format]);
          b[byte] = ((b[byte] as number) + 1) % 256;
        }
        // a change in the row padding is no pixel
        if (padding > 0) b[g.stride - 1] = ((b[g.stride - 1] as number) + 1) % 256;
        assert.equal(changedRect(a, b, g), plainRect(a, b, g), `${format} padding ${padding} round ${round}`);
      }
    }
  }
});

test("the crop is the rectangle's pixels row by row, without the padding", () => {
  const g = geometry('RGB888', 5, 4, 2);
  const frame = Buffer.alloc(g.stride * g.height);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) frame.fill(y * 10 + x, y * g.stride + x * 3, y * g.stride + x * 3 + 3);
  const crop = cropFrame(frame, g, { x: 1, y: 2, w: 3, h: 2 });
  assert.equal(crop.geometry, { width: 3, height: 2, stride: 9, format: 'RGB888' });
  assert.equal([...crop.bytes], [21, 21, 21, 22, 22, 22, 23, 23, 23, 31, 31, 31, 32, 32, 32, 33, 33, 33]);
});

test.run();
