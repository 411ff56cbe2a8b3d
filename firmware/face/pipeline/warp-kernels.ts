/**
 * The inner runs of image.ts's RGB warps in WebAssembly (written with wasm-emit.ts, compiled when
 * the pipeline starts): per output pixel the same float64 operations in the same order as the
 * JavaScript paths, rounded to float32 on the store, so the output is bit for bit theirs
 * (test/firmware/face/pipeline/warp-kernels.test.ts holds both to the per-pixel reference). Each
 * warp stages the source rows it reads into the kernels' memory and takes its output back from
 * there; that memory then holds face pixels until `wipe`, which the pipeline runs with its other
 * buffers after every frame.
 *
 * Memory layout: [0, 16) the run's end point (sx, sy after its last pixel), then the frame staged
 * whole (stage) if there is one; for one warp, the source rows it reads (unless its source is the
 * staged frame), then its output (w·h·3 float32), then scaleRow's column table.
 */
import { F64, f64Bytes, I32, moduleBytes, Op, sleb, uleb, type FunctionSpec } from './wasm-emit.ts';

const PAGE = 65536;
/** Bytes per column of scaleRow's table: 1 − fx and fx (float64), the column's byte offset (int32), padding. */
export const SCALE_ENTRY = 24;
const CARRY = 16;

const get = (i: number): number[] => [Op.localGet, ...uleb(i)];
const set = (i: number): number[] => [Op.localSet, ...uleb(i)];
const i32c = (v: number): number[] => [Op.i32Const, ...sleb(v)];
const f64c = (v: number): number[] => [Op.f64Const, ...f64Bytes(v)];
/** A source byte at local `addr` + `offset`, as a float64. */
const px = (addr: number, offset: number): number[] => [...get(addr), Op.i32Load8U, 0, ...uleb(offset), Op.f64ConvertI32S];
/** ((p00·w00 + p01·w01) + p10·w10) + p11·w11 for channel `k` of the 2×2 block whose rows start at locals `top`, `bottom`. */
const quad = (top: number, bottom: number, k: number, w: readonly [number, number, number, number]): number[] => [
  ...px(top, k),
  ...get(w[0]),
  Op.f64Mul,
  ...px(top, 3 + k),
  ...get(w[1]),
  Op.f64Mul,
  Op.f64Add,
  ...px(bottom, k),
  ...get(w[2]),
  Op.f64Mul,
  Op.f64Add,
  ...px(bottom, 3 + k),
  ...get(w[3]),
  Op.f64Mul,
  Op.f64Add,
];
const store = (k: number): number[] => [Op.f32Store, 2, ...uleb(4 * k)];
/** `dst` = local a ⊕ local b (f64). */
const bin = (dst: number, a: number, op: number, b: number): number[] => [...get(a), ...get(b), op, ...set(dst)];
/** `dst` = 1 − local a. */
const oneMinus = (dst: number, a: number): number[] => [...f64c(1), ...get(a), Op.f64Sub, ...set(dst)];
/** `dst` = trunc(local s) (int32) and `frac` = s − dst. */
const split = (dst: number, frac: number, s: number): number[] => [
  ...get(s),
  Op.i32TruncF64S,
  ...set(dst),
  ...get(s),
  ...get(dst),
  Op.f64ConvertI32S,
  Op.f64Sub,
  ...set(frac),
];
/** A loop over the run: `step` until local `out` reaches local `end`. */
const run = (out: number, end: number, step: number[]): number[] => [
  Op.block,
  0x40,
  Op.loop,
  0x40,
  ...get(out),
  ...get(end),
  Op.i32GeU,
  Op.brIf,
  1,
  ...step,
  Op.br,
  0,
  Op.end,
  Op.end,
];
/** `dst` = src + (y·sw + x)·3 (int32, wrapping). */
const pixelAt = (dst: number, src: number, y: number, sw: number, x: number): number[] => [
  ...get(src),
  ...get(y),
  ...get(sw),
  Op.i32Mul,
  ...get(x),
  Op.i32Add,
  ...i32c(3),
  Op.i32Mul,
  Op.i32Add,
  ...set(dst),
];
const addTo = (dst: number, v: number[]): number[] => [...get(dst), ...v, Op.i32Add, ...set(dst)];
const addF = (dst: number, step: number): number[] => [...get(dst), ...get(step), Op.f64Add, ...set(dst)];
/** Writes local sx, sy at address 0 (the run's end point). */
const carry = (sx: number, sy: number): number[] => [...i32c(0), ...get(sx), Op.f64Store, 3, 0, ...i32c(0), ...get(sy), Op.f64Store, 3, 8];

/** Local indices by name, numbered from `first` in order. */
function named<K extends string>(first: number, names: readonly K[]): Record<K, number> {
  return Object.fromEntries(names.map((n, i) => [n, first + i])) as Record<K, number>;
}

/** ((v0·w0 + v1·w1) + v2·w2) + v3·w3 of four float64 locals and four weights. */
const quadOf = (v: readonly number[], w: readonly number[]): number[] =>
  [0, 1, 2, 3].flatMap((t) => [...get(v[t]!), ...get(w[t]!), Op.f64Mul, ...(t > 0 ? [Op.f64Add] : [])]);

/**
 * shrinkRow(src, sw, out, n, sx, sy, a, d, q): n pixels of the shrinking warp whose four taps
 * (sx ± q, sy ± q) are inside, as warp-shrink.ts's shrinkAt computes them: per channel the four taps'
 * weighted sums added in tap order, times 0.25. When the taps are one pixel apart both ways (a
 * shrink by about 2) their 3×3 block is read once, as shrinkAt's taps9 does: the same products.
 */
function shrinkRow(): FunctionSpec {
  const [src, sw, out, n, sx, sy, a, d, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const ints = ['end', 'row', 'p0', 'p1', 'p2', 'p3', 'r0', 'r1', 'r2', 'r3', 'low', 'xa0', 'xb0', 'ya0', 'yb0'] as const;
  const I = named(9, ints);
  const floats = ['xa', 'xb', 'ya', 'yb', 'fxa', 'fxb', 'fya', 'fyb', 'gxa', 'gxb', 'gya', 'gyb'] as const;
  const F = named(9 + ints.length, floats);
  const weightNames = [
    'a00',
    'a01',
    'a10',
    'a11',
    'b00',
    'b01',
    'b10',
    'b11',
    'c00',
    'c01',
    'c10',
    'c11',
    'd00',
    'd01',
    'd10',
    'd11',
  ] as const;
  const W = named(9 + ints.length + floats.length, weightNames);
  const blockNames = ['v00', 'v01', 'v02', 'v10', 'v11', 'v12', 'v20', 'v21', 'v22'] as const;
  const V = named(9 + ints.length + floats.length + weightNames.length, blockNames);
  const wa = [W.a00, W.a01, W.a10, W.a11];
  const wb = [W.b00, W.b01, W.b10, W.b11];
  const wc = [W.c00, W.c01, W.c10, W.c11];
  const wd = [W.d00, W.d01, W.d10, W.d11];
  const weights = (x: number, gxv: number, yv: number, gyv: number, w: readonly number[]): number[] => [
    ...bin(w[0]!, gxv, Op.f64Mul, gyv),
    ...bin(w[1]!, x, Op.f64Mul, gyv),
    ...bin(w[2]!, gxv, Op.f64Mul, yv),
    ...bin(w[3]!, x, Op.f64Mul, yv),
  ];
  const offset = (dst: number, v: number, k: number): number[] => [...get(v), ...get(k), Op.f64Sub, ...set(dst)];
  const plus = (dst: number, v: number, k: number): number[] => [...get(v), ...get(k), Op.f64Add, ...set(dst)];
  const rowOf = (dst: number, p: number): number[] => [...get(p), ...get(I.row), Op.i32Add, ...set(dst)];
  const finish = (k: number): number[] => [...f64c(0.25), Op.f64Mul, Op.f32DemoteF64, ...store(k)];
  const general = (k: number): number[] => [
    ...get(out),
    ...quad(I.p0, I.r0, k, [W.a00, W.a01, W.a10, W.a11]),
    ...quad(I.p1, I.r1, k, [W.b00, W.b01, W.b10, W.b11]),
    Op.f64Add,
    ...quad(I.p2, I.r2, k, [W.c00, W.c01, W.c10, W.c11]),
    Op.f64Add,
    ...quad(I.p3, I.r3, k, [W.d00, W.d01, W.d10, W.d11]),
    Op.f64Add,
    ...finish(k),
  ];
  // The 3×3 block's rows start at p0, r0 (= p0 + row) and low (= r0 + row).
  const block = (k: number): number[] => [
    ...[I.p0, I.r0, I.low].flatMap((rowStart, y) =>
      [0, 1, 2].flatMap((x) => [...px(rowStart, 3 * x + k), ...set(V[blockNames[y * 3 + x]!])]),
    ),
    ...get(out),
    ...quadOf([V.v00, V.v01, V.v10, V.v11], wa),
    ...quadOf([V.v01, V.v02, V.v11, V.v12], wb),
    Op.f64Add,
    ...quadOf([V.v10, V.v11, V.v20, V.v21], wc),
    Op.f64Add,
    ...quadOf([V.v11, V.v12, V.v21, V.v22], wd),
    Op.f64Add,
    ...finish(k),
  ];
  const nextTo = (b: number, x: number): number[] => [...get(b), ...get(x), ...i32c(1), Op.i32Add, Op.i32Eq];
  const pixel = [
    ...offset(F.xa, sx, q),
    ...plus(F.xb, sx, q),
    ...offset(F.ya, sy, q),
    ...plus(F.yb, sy, q),
    ...split(I.xa0, F.fxa, F.xa),
    ...split(I.xb0, F.fxb, F.xb),
    ...split(I.ya0, F.fya, F.ya),
    ...split(I.yb0, F.fyb, F.yb),
    ...oneMinus(F.gxa, F.fxa),
    ...oneMinus(F.gxb, F.fxb),
    ...oneMinus(F.gya, F.fya),
    ...oneMinus(F.gyb, F.fyb),
    ...weights(F.fxa, F.gxa, F.fya, F.gya, wa),
    ...weights(F.fxb, F.gxb, F.fya, F.gya, wb),
    ...weights(F.fxa, F.gxa, F.fyb, F.gyb, wc),
    ...weights(F.fxb, F.gxb, F.fyb, F.gyb, wd),
    ...pixelAt(I.p0, src, I.ya0, sw, I.xa0),
    ...rowOf(I.r0, I.p0),
    ...nextTo(I.xb0, I.xa0),
    ...nextTo(I.yb0, I.ya0),
    Op.i32And,
    Op.if,
    0x40,
    ...rowOf(I.low, I.r0),
    ...block(0),
    ...block(1),
    ...block(2),
    Op.else,
    ...pixelAt(I.p1, src, I.ya0, sw, I.xb0),
    ...pixelAt(I.p2, src, I.yb0, sw, I.xa0),
    ...pixelAt(I.p3, src, I.yb0, sw, I.xb0),
    ...rowOf(I.r1, I.p1),
    ...rowOf(I.r2, I.p2),
    ...rowOf(I.r3, I.p3),
    ...general(0),
    ...general(1),
    ...general(2),
    Op.end,
    ...addTo(out, i32c(12)),
    ...addF(sx, a),
    ...addF(sy, d),
  ];
  return {
    name: 'shrinkRow',
    params: [I32, I32, I32, I32, F64, F64, F64, F64, F64],
    locals: [
      ...Array<typeof I32>(ints.length).fill(I32),
      ...Array<typeof F64>(floats.length + weightNames.length + blockNames.length).fill(F64),
    ],
    body: [
      ...get(sw),
      ...i32c(3),
      Op.i32Mul,
      ...set(I.row),
      ...get(out),
      ...get(n),
      ...i32c(12),
      Op.i32Mul,
      Op.i32Add,
      ...set(I.end),
      ...run(out, I.end, pixel),
      ...carry(sx, sy),
    ],
  };
}

/**
 * scaleRow(base, row, out, n, tab, gy0, fy): n pixels of the axis-aligned warp's inside run, as
 * warp-scale.ts's scaleRgb computes them: `base` is where the row y0 starts, `tab` the first column's
 * entry (SCALE_ENTRY bytes: 1 − fx, fx, byte offset), the weights 1 − fx and fx times gy0 and fy.
 */
function scaleRow(): FunctionSpec {
  const [base, row, out, n, tab, gy0, fy] = [0, 1, 2, 3, 4, 5, 6];
  const [end, i00, i10] = [7, 8, 9];
  const [ax, bx, w00, w01, w10, w11] = [10, 11, 12, 13, 14, 15];
  const w = [w00, w01, w10, w11] as const;
  const pixel = [
    ...get(tab),
    Op.f64Load,
    3,
    0,
    ...set(ax),
    ...get(tab),
    Op.f64Load,
    3,
    8,
    ...set(bx),
    ...get(base),
    ...get(tab),
    Op.i32Load,
    2,
    16,
    Op.i32Add,
    ...set(i00),
    ...get(i00),
    ...get(row),
    Op.i32Add,
    ...set(i10),
    ...bin(w00, ax, Op.f64Mul, gy0),
    ...bin(w01, bx, Op.f64Mul, gy0),
    ...bin(w10, ax, Op.f64Mul, fy),
    ...bin(w11, bx, Op.f64Mul, fy),
    ...[0, 1, 2].flatMap((k) => [...get(out), ...quad(i00, i10, k, w), Op.f32DemoteF64, ...store(k)]),
    ...addTo(out, i32c(12)),
    ...addTo(tab, i32c(SCALE_ENTRY)),
  ];
  return {
    name: 'scaleRow',
    params: [I32, I32, I32, I32, I32, F64, F64],
    locals: [I32, I32, I32, ...Array<typeof F64>(6).fill(F64)],
    body: [...get(out), ...get(n), ...i32c(12), Op.i32Mul, Op.i32Add, ...set(end), ...run(out, end, pixel)],
  };
}

/** The kernels' module, built from the functions above. */
function warpModuleBytes(): Uint8Array {
  return moduleBytes([shrinkRow(), scaleRow()], 1);
}

/** The part of the WebAssembly JavaScript API used here (the project's type libraries, ES2023 and node, do not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, never>) => { readonly exports: unknown };
};

interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Exports {
  readonly memory: Memory;
  shrinkRow(src: number, sw: number, out: number, n: number, sx: number, sy: number, a: number, d: number, q: number): void;
  scaleRow(base: number, row: number, out: number, n: number, tab: number, gy0: number, fy: number): void;
}

/** One thread's kernels and their memory (the face pipeline owns one). */
export class WarpKernels {
  readonly #x: Exports;
  #bytes: Uint8Array;
  /** Float32 and float64 views of the memory (refreshed when it grows). */
  floats: Float32Array;
  doubles: Float64Array;
  ints: Int32Array;
  /** Bytes written since the last wipe. */
  #used = 0;

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(warpModuleBytes()), {});
    this.#x = instance.exports as Exports;
    this.#bytes = new Uint8Array(0);
    this.floats = new Float32Array(0);
    this.doubles = new Float64Array(0);
    this.ints = new Int32Array(0);
    this.#views();
  }

  #views(): void {
    const buffer = this.#x.memory.buffer;
    this.#bytes = new Uint8Array(buffer);
    this.floats = new Float32Array(buffer);
    this.doubles = new Float64Array(buffer);
    this.ints = new Int32Array(buffer);
  }

  /**
   * Lays out one warp: bytes [from, to) of `source` staged after the carry, `outFloats` float32 of
   * output and `tableBytes` of table after them. Returns where source byte 0 would be (`src`, for
   * the kernels; may be negative, they add modulo 2³²), the output's and the table's addresses.
   */
  layout(source: Uint8Array, from: number, to: number, outFloats: number, tableBytes: number): { src: number; out: number; table: number } {
    const out = align16(CARRY + (to - from));
    const table = align16(out + outFloats * 4);
    this.#reserve(table + tableBytes);
    this.#bytes.set(source.subarray(from, to), CARRY);
    return { src: CARRY - from, out, table };
  }

  #reserve(bytes: number): void {
    const have = this.#x.memory.buffer.byteLength;
    if (bytes > have) {
      this.#x.memory.grow(Math.ceil((bytes - have) / PAGE));
      this.#views();
    }
    this.#used = Math.max(this.#used, bytes);
  }

  /** The end point (sx, sy) of the last bilinearRow or shrinkRow. */
  carried(): [number, number] {
    return [this.doubles[0]!, this.doubles[1]!];
  }

  shrinkRow(src: number, sw: number, out: number, n: number, sx: number, sy: number, a: number, d: number, q: number): void {
    this.#x.shrinkRow(src, sw, out, n, sx, sy, a, d, q);
  }

  scaleRow(base: number, row: number, out: number, n: number, tab: number, gy0: number, fy: number): void {
    this.#x.scaleRow(base, row, out, n, tab, gy0, fy);
  }

  /** Zeroes what the warps since the last wipe wrote (source pixels, outputs). */
  wipe(): void {
    this.#bytes.fill(0, 0, this.#used);
    this.#used = 0;
  }
}

const align16 = (n: number): number => (n + 15) & ~15;
