/** Frame composition: copies into a reused frame, overlay layers cut to their area and blended in place. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blendOver, copyFrame } from '../../../../firmware/display/render/compose-frame.ts';
import { overlayBounds, OVERLAY_MARGIN } from '../../../../firmware/display/render/rasterize.ts';
import type { Layout } from '../../../../firmware/display/layout/types.ts';

const frame = (w: number, h: number, v: number) => ({ width: w, height: h, data: Buffer.alloc(w * h * 4, v) });

test('copyFrame writes into a frame of the same size and allocates otherwise', () => {
  const src = frame(4, 2, 7);
  const into = Buffer.alloc(32);
  const a = copyFrame(src, into);
  assert.is(a.data, into);
  assert.ok(a.data.equals(src.data));
  const b = copyFrame(src, Buffer.alloc(8));
  assert.is.not(b.data, src.data);
  assert.ok(b.data.equals(src.data));
});

test('blendOver reads a layer placed at left/top and only paints where it covers', () => {
  const f = frame(6, 4, 0);
  // 2×2 layer at (3,1): opaque white, then half-transparent, then transparent.
  const layer = {
    width: 2,
    height: 2,
    left: 3,
    top: 1,
    data: Buffer.from([255, 255, 255, 255, 200, 100, 50, 128, 9, 9, 9, 0, 9, 9, 9, 0]),
  };
  blendOver(f, layer, { x: 0, y: 0, w: 6, h: 4 });
  const px = (x: number, y: number): number[] => [...f.data.subarray((y * 6 + x) * 4, (y * 6 + x) * 4 + 3)];
  assert.equal(px(3, 1), [255, 255, 255]);
  assert.equal(px(4, 1), [100, 50, 25]);
  assert.equal(px(3, 2), [0, 0, 0], 'transparent');
  assert.equal(px(2, 1), [0, 0, 0], 'outside the layer');
  assert.equal(px(5, 3), [0, 0, 0], 'outside the layer');
});

test('overlayBounds covers every overlay shape plus the margin, clipped to the screen', () => {
  const shapes = [
    { kind: 'ellipse', rect: { x: 100, y: 50, w: 200, h: 300 }, overlay: true },
    { kind: 'rect', rect: { x: 0, y: 0, w: 1024, h: 600 } },
    { kind: 'rect', rect: { x: 2, y: 500, w: 20, h: 20 }, overlay: true },
  ];
  const layout = { width: 1024, height: 600, shapes } as unknown as Layout;
  assert.equal(overlayBounds(layout), {
    x: 0,
    y: 50 - OVERLAY_MARGIN,
    w: 300 + OVERLAY_MARGIN,
    h: 520 + OVERLAY_MARGIN - (50 - OVERLAY_MARGIN),
  });
  assert.is(overlayBounds({ width: 10, height: 10, shapes: [shapes[1]] } as unknown as Layout), undefined);
});

test.run();
