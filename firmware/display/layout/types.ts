/**
 * A screen's layout: everything the renderer draws and the hit-tester needs, in display pixels
 * of the logical (already rotated) screen. Produced by the templates from a screen definition;
 * text already wrapped and sized to its box.
 */
import type { Weight } from '../fonts/font-set.ts';
import type { Lang } from '../i18n/languages.ts';
import type { ScreenId } from '../screens/screen-def.ts';
import type { Theme } from './theme.ts';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface TextSpec {
  readonly id: string;
  readonly rect: Rect;
  readonly text: string;
  readonly lang: Lang;
  /** Preferred and smallest font size in px; fitting shrinks between them. */
  readonly size: number;
  readonly minSize: number;
  readonly weight: Weight;
  readonly align: 'start' | 'center';
  readonly valign: 'top' | 'middle';
  readonly color: string;
}

export interface TextLine {
  readonly text: string;
  /** Anchor x (left edge for `start`, centre for `center`) and baseline y. */
  readonly x: number;
  readonly baseline: number;
  /** Measured advance width in px (an upper bound of the ink width). */
  readonly width: number;
}

export interface FittedText extends TextSpec {
  readonly families: readonly string[];
  readonly fontSize: number;
  readonly lines: readonly TextLine[];
  /** True when even `minSize` does not fit the box: a defect the overflow check reports. */
  readonly overflow: boolean;
}

export type ButtonKind = 'primary' | 'secondary' | 'danger' | 'key' | 'lang' | 'toggle';

export interface Button {
  readonly id: string;
  readonly rect: Rect;
  readonly kind: ButtonKind;
  readonly fill: string;
  readonly stroke: string | undefined;
  readonly label: FittedText;
  readonly pressed?: boolean;
}

export interface Shape {
  readonly kind: 'rect' | 'ellipse';
  readonly rect: Rect;
  readonly fill: string | undefined;
  readonly stroke: string | undefined;
  readonly strokeWidth?: number;
  readonly radius?: number;
  /** Drawn above the image slots (the face frame guide over the live preview). */
  readonly overlay?: boolean;
}

/** A region filled with pixels at render time (live camera preview, chip photo). */
export interface ImageSlot {
  readonly id: 'preview' | 'photo';
  readonly rect: Rect;
}

export interface Dots {
  readonly rect: Rect;
  readonly total: number;
  readonly filled: number;
  readonly color: string;
}

export interface QrBlock {
  readonly rect: Rect;
  readonly modules: readonly (readonly boolean[])[];
}

export interface Layout {
  readonly screen: ScreenId;
  readonly lang: Lang;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  readonly shapes: readonly Shape[];
  readonly texts: readonly FittedText[];
  readonly buttons: readonly Button[];
  readonly images: readonly ImageSlot[];
  readonly dots: Dots | undefined;
  readonly qr: QrBlock | undefined;
  /** Text read aloud by voice guidance, in `lang`. */
  readonly speech: string;
}

export function contains(r: Rect, x: number, y: number): boolean {
  return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/** The button under (x, y), or undefined. */
export function hitTest(layout: Layout, x: number, y: number): Button | undefined {
  return layout.buttons.find((b) => contains(b.rect, x, y));
}
