/**
 * Decodes a Tiny-YOLO face grid (output [1, A·5, G, G], per anchor tx, ty, tw, th, objectness
 * logit) into boxes in input pixels, then greedy non-maximum suppression.
 */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export function decodeYoloGrid(
  grid: Float32Array,
  gridSize: number,
  inputSize: number,
  anchors: readonly (readonly [number, number])[],
  minScore: number,
): Box[] {
  const cells = gridSize * gridSize;
  const boxes: Box[] = [];
  for (let a = 0; a < anchors.length; a++) {
    const [aw, ah] = anchors[a]!;
    const base = a * 5 * cells;
    for (let row = 0; row < gridSize; row++) {
      for (let col = 0; col < gridSize; col++) {
        const p = row * gridSize + col;
        const score = sigmoid(grid[base + 4 * cells + p]!);
        if (score < minScore) continue;
        const cx = ((col + sigmoid(grid[base + p]!)) / gridSize) * inputSize;
        const cy = ((row + sigmoid(grid[base + cells + p]!)) / gridSize) * inputSize;
        const w = ((Math.exp(grid[base + 2 * cells + p]!) * aw) / gridSize) * inputSize;
        const h = ((Math.exp(grid[base + 3 * cells + p]!) * ah) / gridSize) * inputSize;
        boxes.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, score });
      }
    }
  }
  return boxes;
}

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Highest score first; drops boxes overlapping a kept one by more than `maxIou`. At most `limit`. */
export function nonMaxSuppression<B extends Box>(boxes: readonly B[], maxIou: number, limit = 20): B[] {
  const sorted = [...boxes].sort((p, q) => q.score - p.score);
  const kept: B[] = [];
  for (const b of sorted) {
    if (kept.length >= limit) break;
    if (kept.every((k) => iou(k, b) <= maxIou)) kept.push(b);
  }
  return kept;
}
