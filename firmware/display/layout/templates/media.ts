/** Templates around a picture: face guidance (live preview + hint), staff visual check (chip photo), pairing (QR code). */
import { encodeQr } from '../../qr/qr.ts';
import { type LayoutBuilder, roundRect, ScreenParamsError, splitV } from '../builder.ts';
import type { Rect } from '../types.ts';

/** Picture on the left (landscape) or on top (portrait); text and buttons in the rest. */
function split(b: LayoutBuilder, aspect: number): { pic: Rect; side: Rect } {
  const { m, u, width, height } = b;
  if (b.portrait) {
    const h = Math.round(Math.min(height * 0.42, (width - 2 * m) / aspect));
    const w = Math.round(h * aspect);
    return {
      pic: { x: Math.round((width - w) / 2), y: m + 2 * u, w, h },
      side: roundRect({ x: m, y: m + 4 * u + h, w: width - 2 * m, h: height - 2 * m - 4 * u - h }),
    };
  }
  const h = height - 2 * m - 2 * u;
  const w = Math.round(Math.min(h * aspect, width * 0.5));
  return {
    pic: roundRect({ x: m, y: m + 2 * u, w, h: w / aspect }),
    side: roundRect({ x: 2 * m + w, y: m + 2 * u, w: width - 3 * m - w, h }),
  };
}

function sideColumn(b: LayoutBuilder, side: Rect, weights: readonly number[]): Rect[] {
  const n = b.def.buttons.length;
  const btnRow = b.portrait && n <= 2;
  const btnH = Math.round(n === 0 ? 0 : btnRow ? 15 * b.u : n * 14 * b.u + (n - 1) * 3 * b.u);
  const textArea = { ...side, h: side.h - btnH - 3 * b.u };
  b.defButtons({ x: side.x, y: side.y + side.h - btnH, w: side.w, h: btnH }, !btnRow);
  return splitV(textArea, weights, Math.round(2 * b.u));
}

export function faceTemplate(b: LayoutBuilder): void {
  const { pic, side } = split(b, 3 / 4);
  b.shape({ kind: 'rect', rect: pic, fill: '#1B2430', stroke: undefined, radius: Math.round(b.u) });
  b.image({ id: 'preview', rect: pic });
  const ow = pic.w * 0.55;
  const oh = pic.h * 0.72;
  b.shape({
    kind: 'ellipse',
    rect: roundRect({ x: pic.x + (pic.w - ow) / 2, y: pic.y + (pic.h - oh) / 2, w: ow, h: oh }),
    fill: undefined,
    stroke: b.theme.accent,
    strokeWidth: Math.max(3, Math.round(0.8 * b.u)),
    overlay: true,
  });
  const [title, hint] = sideColumn(b, side, [1, 2]) as [Rect, Rect];
  b.header(title);
  b.text('hint', b.def.body[0] ?? { hint: true }, hint, 'hint', { valign: 'middle', color: b.theme.accent });
}

export function photoTemplate(b: LayoutBuilder): void {
  const { pic, side } = split(b, 3 / 4);
  b.image({ id: 'photo', rect: pic });
  b.shape({ kind: 'rect', rect: pic, fill: undefined, stroke: b.theme.keyStroke, strokeWidth: 2, overlay: true });
  const [title, body] = sideColumn(b, side, [1, 1.6]) as [Rect, Rect];
  b.header(title);
  b.text('body0', b.def.body[0] ?? 'staff.check.body', body, 'body');
}

export function qrTemplate(b: LayoutBuilder): void {
  const payload = b.params.qr;
  if (!payload) throw new ScreenParamsError(`screen ${b.def.id}: needs a QR payload`);
  const { pic, side } = split(b, 1);
  const quiet = Math.round(2 * b.u);
  b.shape({ kind: 'rect', rect: pic, fill: '#FFFFFF', stroke: undefined });
  b.qr = {
    rect: roundRect({ x: pic.x + quiet, y: pic.y + quiet, w: pic.w - 2 * quiet, h: pic.h - 2 * quiet }),
    modules: encodeQr(payload),
  };
  const [title, body, code] = sideColumn(b, side, [1, 1.3, 1]) as [Rect, Rect, Rect];
  b.header(title);
  const [bodyRef, codeRef] = b.def.body;
  if (bodyRef) b.text('body0', bodyRef, body, 'body');
  if (codeRef) b.text('code', codeRef, code, 'code', { valign: 'middle' });
}
