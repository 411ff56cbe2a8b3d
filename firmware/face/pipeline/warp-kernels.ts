/**
 * The inner runs of image.ts's RGB warps in WebAssembly (written with wasm-emit.ts, compiled when
 * the pipeline starts): per output pixel the JavaScript paths' sample points and float64 weights,
 * but the weights rounded to float32 and a pixel's three channels summed as one float32 vector
 * (128-bit SIMD), within WARP_BOUND of the float64 per-pixel reference
 * (test/firmware/face/pipeline/warp-bound, shrink-bound, scale-bound). Each warp stages the source
 * rows it reads into the kernels' memory and takes its output back from there; that memory then
 * holds face pixels until `wipe`, which the pipeline runs with its other buffers after every frame.
 *
 * Memory layout: [0, 16) the run's end point (sx, sy after its last pixel); for one warp, the
 * source rows it reads, then its output (w·h·3 float32, and STORE_SPILL bytes), then scaleRow's
 * column table.
 */
import { F64, f64Bytes, I32, I64, I64_TRUNC_SAT_F64_S, moduleBytes, Op, simd, Simd, sleb, uleb, type FunctionSpec } from './wasm-emit.ts';

const PAGE = 65536;
/** Bytes per column of scaleRow's table: 1 − fx and fx (float64), the column's byte offset (int32), padding. */
export const SCALE_ENTRY = 24;
const CARRY = 16;

const get = (i: number): number[] => [Op.localGet, ...uleb(i)];
const set = (i: number): number[] => [Op.localSet, ...uleb(i)];
const i32c = (v: number): number[] => [Op.i32Const, ...sleb(v)];
const f64c = (v: number): number[] => [Op.f64Const, ...f64Bytes(v)];
const i64c = (v: number): number[] => [Op.i64Const, ...sleb(v)];
/** `dst` = 1 − local a. */
const oneMinus = (dst: number, a: number): number[] => [...f64c(1), ...get(a), Op.f64Sub, ...set(dst)];
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
const addTo = (dst: number, v: number[]): number[] => [...get(dst), ...v, Op.i32Add, ...set(dst)];

/** Local indices by name, numbered from `first` in order. */
function named<K extends string>(first: number, names: readonly K[]): Record<K, number> {
  return Object.fromEntries(names.map((n, i) => [n, first + i])) as Record<K, number>;
}

/** Bytes a 128-bit store of one RGB pixel (12 bytes) writes past it: room kept after every output. */
export const STORE_SPILL = 4;

/**
 * The SIMD kernels' source points are stepped in 32.32 fixed point (int64; the steps rounded to
 * 2⁻³², so after k pixels a point is at most (k + 1)·2⁻³³ of a pixel from the float64 stepping):
 * their integer and fractional parts then come from shifts instead of a float64 truncation, which
 * V8's optimising tier emits as a roundsd merging into a register the previous pixel's result was
 * in, a false dependency that chained every pixel to the one before (17 against 4.4 ns a pixel in
 * bilinearRow, 8 Dec 03:36, load 2.8).
 */
const FIX = 4294967296;
/** Local `dst` = float64 local `v` in fixed point. */
const toFixed = (dst: number, v: number[]): number[] => [...v, ...f64c(FIX), Op.f64Mul, Op.f64Nearest, ...I64_TRUNC_SAT_F64_S, ...set(dst)];
/** Fixed-point local `v` as a float64. */
const fromFixed = (v: number): number[] => [...get(v), Op.f64ConvertI64S, ...f64c(1 / FIX), Op.f64Mul];
/** The integer part (floor) of fixed-point local `v`, as an int32. */
const whole = (v: number): number[] => [...get(v), ...i64c(32), Op.i64ShrS, Op.i32WrapI64];
/** Local `dst` = the fractional part of fixed-point local `v`, as a float64 in [0, 1). */
const fraction = (dst: number, v: number): number[] => [
  ...get(v),
  Op.i32WrapI64,
  Op.f64ConvertI32U,
  ...f64c(1 / FIX),
  Op.f64Mul,
  ...set(dst),
];
/** Fixed-point local `v` += local `by`. */
const stepFixed = (v: number, by: number): number[] => [...get(v), ...get(by), Op.i64Add, ...set(v)];
/** Leaves fixed-point locals x, y at address 0 as float64 (the run's end point). */
const carryFixed = (x: number, y: number): number[] => [
  ...i32c(0),
  ...fromFixed(x),
  Op.f64Store,
  3,
  0,
  ...i32c(0),
  ...fromFixed(y),
  Op.f64Store,
  3,
  8,
];
/** `dst` = src + (whole(y)·sw + whole(x))·3, the byte address of a tap's top-left pixel (int32, wrapping). */
const tapAt = (dst: number, src: number, y: number, sw: number, x: number): number[] => [
  ...get(src),
  ...whole(y),
  ...get(sw),
  Op.i32Mul,
  ...whole(x),
  Op.i32Add,
  ...i32c(3),
  Op.i32Mul,
  Op.i32Add,
  ...set(dst),
];
/** The RGB pixel at byte address local `at` + `offset`: one 8-byte load, four 32-bit lanes, float32 (lane 3 unused). */
const pixelOf = (at: number, offset: number): number[] => [
  ...get(at),
  ...simd(Simd.v128Load8x8U),
  0,
  ...uleb(offset),
  ...simd(Simd.i32x4ExtendLowI16x8U),
  ...simd(Simd.f32x4ConvertI32x4S),
];
/** The pixel at `at` + `offset` times the float64 weight (local u · local v · scale) rounded to float32. */
const term = (at: number, offset: number, u: number, v: number, scale = 1): number[] => [
  ...pixelOf(at, offset),
  ...get(u),
  ...get(v),
  Op.f64Mul,
  ...(scale === 1 ? [] : [...f64c(scale), Op.f64Mul]),
  Op.f32DemoteF64,
  ...simd(Simd.f32x4Splat),
  ...simd(Simd.f32x4Mul),
];
/**
 * ((p00·w00 + p01·w01) + p10·w10) + p11·w11 as float32 vectors: the bilinear sample whose top row
 * starts at local `top`, bottom row at `bottom`, fractions fx, fy and their complements gx, gy.
 */
const tap = (top: number, bottom: number, fx: number, gx: number, fy: number, gy: number, scale = 1): number[] => [
  ...term(top, 0, gx, gy, scale),
  ...term(top, 3, fx, gy, scale),
  ...simd(Simd.f32x4Add),
  ...term(bottom, 0, gx, fy, scale),
  ...simd(Simd.f32x4Add),
  ...term(bottom, 3, fx, fy, scale),
  ...simd(Simd.f32x4Add),
];
/** Stores the vector on the stack (after the address) as the pixel at local `out`, then moves `out` on by a pixel. */
const storePixel = (out: number): number[] => [...simd(Simd.v128Store), 2, 0, ...addTo(out, i32c(12))];
/** `dst` = local `v` ± local `by` (int64). */
const offsetFixed = (dst: number, v: number, op: number, by: number): number[] => [...get(v), ...get(by), op, ...set(dst)];

/** The row kernels' parameters shared by both (shrinkRow adds q after them). */
const ROW = { src: 0, sw: 1, out: 2, n: 3, sx: 4, sy: 5, a: 6, d: 7 } as const;

/**
 * A row kernel's body: the source row's stride and where the run ends, the point and its step in
 * fixed point, then `more` (a kernel's own set-up), `pixel` over the run, and the point after it
 * carried out at address 0.
 */
const rowBody = (
  I: { readonly row: number; readonly end: number },
  L: { readonly x: number; readonly y: number; readonly dx: number; readonly dy: number },
  more: number[],
  pixel: number[],
): number[] => [
  ...get(ROW.sw),
  ...i32c(3),
  Op.i32Mul,
  ...set(I.row),
  ...get(ROW.out),
  ...get(ROW.n),
  ...i32c(12),
  Op.i32Mul,
  Op.i32Add,
  ...set(I.end),
  ...toFixed(L.x, get(ROW.sx)),
  ...toFixed(L.y, get(ROW.sy)),
  ...toFixed(L.dx, get(ROW.a)),
  ...toFixed(L.dy, get(ROW.d)),
  ...more,
  ...run(ROW.out, I.end, pixel),
  ...carryFixed(L.x, L.y),
];

/**
 * shrinkRow(src, sw, out, n, sx, sy, a, d, q): n pixels of the shrinking warp whose four taps
 * (sx ± q, sy ± q) are inside, from (sx, sy) stepped by (a, d) in fixed point (above): per tap
 * warp-shrink.ts's four weights in float64 (times ¼, exact), rounded to float32, and the pixels'
 * three channels as one float32 vector; the taps' sums added in tap order (error bound: WARP_BOUND
 * in test/helpers/bilinear-reference.ts, held in shrink-bound.test.ts). Leaves the point after the
 * run at address 0.
 */
function shrinkRow(): FunctionSpec {
  const { src, sw, out } = ROW;
  const q = 8;
  const I = named(9, ['end', 'row', 'p0', 'p1', 'p2', 'p3', 'r0', 'r1', 'r2', 'r3'] as const);
  const L = named(19, ['x', 'y', 'dx', 'dy', 'qq', 'xa', 'xb', 'ya', 'yb'] as const);
  const F = named(28, ['fxa', 'fxb', 'fya', 'fyb', 'gxa', 'gxb', 'gya', 'gyb'] as const);
  const rowOf = (dst: number, p: number): number[] => [...get(p), ...get(I.row), Op.i32Add, ...set(dst)];
  const pixel = [
    ...offsetFixed(L.xa, L.x, Op.i64Sub, L.qq),
    ...offsetFixed(L.xb, L.x, Op.i64Add, L.qq),
    ...offsetFixed(L.ya, L.y, Op.i64Sub, L.qq),
    ...offsetFixed(L.yb, L.y, Op.i64Add, L.qq),
    ...fraction(F.fxa, L.xa),
    ...fraction(F.fxb, L.xb),
    ...fraction(F.fya, L.ya),
    ...fraction(F.fyb, L.yb),
    ...oneMinus(F.gxa, F.fxa),
    ...oneMinus(F.gxb, F.fxb),
    ...oneMinus(F.gya, F.fya),
    ...oneMinus(F.gyb, F.fyb),
    ...tapAt(I.p0, src, L.ya, sw, L.xa),
    ...tapAt(I.p1, src, L.ya, sw, L.xb),
    ...tapAt(I.p2, src, L.yb, sw, L.xa),
    ...tapAt(I.p3, src, L.yb, sw, L.xb),
    ...rowOf(I.r0, I.p0),
    ...rowOf(I.r1, I.p1),
    ...rowOf(I.r2, I.p2),
    ...rowOf(I.r3, I.p3),
    ...get(out),
    ...tap(I.p0, I.r0, F.fxa, F.gxa, F.fya, F.gya, 0.25),
    ...tap(I.p1, I.r1, F.fxb, F.gxb, F.fya, F.gya, 0.25),
    ...simd(Simd.f32x4Add),
    ...tap(I.p2, I.r2, F.fxa, F.gxa, F.fyb, F.gyb, 0.25),
    ...simd(Simd.f32x4Add),
    ...tap(I.p3, I.r3, F.fxb, F.gxb, F.fyb, F.gyb, 0.25),
    ...simd(Simd.f32x4Add),
    ...storePixel(out),
    ...stepFixed(L.x, L.dx),
    ...stepFixed(L.y, L.dy),
  ];
  return {
    name: 'shrinkRow',
    params: [I32, I32, I32, I32, F64, F64, F64, F64, F64],
    locals: [...Array<typeof I32>(10).fill(I32), ...Array<typeof I64>(9).fill(I64), ...Array<typeof F64>(8).fill(F64)],
    body: rowBody(I, L, toFixed(L.qq, get(q)), pixel),
  };
}

/**
 * scaleRow(base, row, out, n, tab, gy0, fy): n pixels of the axis-aligned warp's inside run, as
 * warp-scale.ts's scaleRgb forms them: `base` is where the row y0 starts, `tab` the first column's
 * entry (SCALE_ENTRY bytes: 1 − fx, fx, byte offset), the weights 1 − fx and fx times gy0 and fy in
 * float64, rounded to float32; a pixel's channels as one float32 vector, as bilinearRow sums them.
 */
function scaleRow(): FunctionSpec {
  const [base, row, out, n, tab, gy0, fy] = [0, 1, 2, 3, 4, 5, 6];
  const [end, i00, i10] = [7, 8, 9];
  const [ax, bx] = [10, 11];
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
    ...get(out),
    ...tap(i00, i10, bx, ax, fy, gy0),
    ...storePixel(out),
    ...addTo(tab, i32c(SCALE_ENTRY)),
  ];
  return {
    name: 'scaleRow',
    params: [I32, I32, I32, I32, I32, F64, F64],
    locals: [I32, I32, I32, F64, F64],
    body: [...get(out), ...get(n), ...i32c(12), Op.i32Mul, Op.i32Add, ...set(end), ...run(out, end, pixel)],
  };
}

/**
 * bilinearRow(src, sw, out, n, sx, sy, a, d): n pixels of the general (rotated) warp whose 2×2
 * neighbourhood is inside, from (sx, sy) stepped by (a, d) in fixed point (above). The weights are
 * the per-pixel ones, (1 − fx)(1 − fy), fx(1 − fy), (1 − fx)fy, fx·fy in float64, each rounded to
 * float32; a pixel's three channels are one float32 vector (four lanes, the fourth unused, each
 * pixel read as one 8-byte load), the four products summed in that order (error bound: WARP_BOUND
 * in test/helpers/bilinear-reference.ts, held in warp-bound.test.ts). Each pixel is stored as 16 bytes, the last 4 (STORE_SPILL) landing on the next pixel, which is
 * written after it. Leaves the point after the run at address 0, as float64.
 */
function bilinearRow(): FunctionSpec {
  const { src, sw, out } = ROW;
  const I = named(8, ['end', 'row', 'p', 'q'] as const);
  const L = named(12, ['x', 'y', 'dx', 'dy'] as const);
  const F = named(16, ['fx', 'fy', 'gx', 'gy'] as const);
  const pixel = [
    ...fraction(F.fx, L.x),
    ...fraction(F.fy, L.y),
    ...oneMinus(F.gx, F.fx),
    ...oneMinus(F.gy, F.fy),
    ...tapAt(I.p, src, L.y, sw, L.x),
    ...get(I.p),
    ...get(I.row),
    Op.i32Add,
    ...set(I.q),
    ...get(out),
    ...tap(I.p, I.q, F.fx, F.gx, F.fy, F.gy),
    ...storePixel(out),
    ...stepFixed(L.x, L.dx),
    ...stepFixed(L.y, L.dy),
  ];
  return {
    name: 'bilinearRow',
    params: [I32, I32, I32, I32, F64, F64, F64, F64],
    locals: [I32, I32, I32, I32, I64, I64, I64, I64, F64, F64, F64, F64],
    body: rowBody(I, L, [], pixel),
  };
}

/** The kernels' module, built from the functions above. */
function warpModuleBytes(): Uint8Array {
  return moduleBytes([shrinkRow(), scaleRow(), bilinearRow()], 1);
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
  bilinearRow(src: number, sw: number, out: number, n: number, sx: number, sy: number, a: number, d: number): void;
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
   * Lays out one warp: the rectangle `rows` × `cols` (source pixels, [from, to) each) of an RGB
   * `source` `sw` pixels wide staged after the carry, row after row, `outFloats` float32 of output
   * and `tableBytes` of table after them. Returns the staged rows' width in pixels (`stride`, the
   * kernels' `sw`), where source pixel (0, 0) would be at that stride (`src`; may be negative, the
   * kernels add modulo 2³²), the output's and the table's addresses.
   */
  layout(
    source: Uint8Array,
    sw: number,
    rows: readonly [number, number],
    cols: readonly [number, number],
    outFloats: number,
    tableBytes: number,
  ): { src: number; stride: number; out: number; table: number } {
    const [r0, r1] = rows;
    const [c0, c1] = cols;
    const stride = c1 - c0;
    const out = align16(CARRY + (r1 - r0) * stride * 3);
    const table = align16(out + outFloats * 4 + STORE_SPILL);
    this.#reserve(table + tableBytes);
    if (stride === sw) this.#bytes.set(source.subarray(r0 * sw * 3, r1 * sw * 3), CARRY);
    else
      for (let y = r0, at = CARRY; y < r1; y++, at += stride * 3)
        this.#bytes.set(source.subarray((y * sw + c0) * 3, (y * sw + c1) * 3), at);
    return { src: CARRY - (r0 * stride + c0) * 3, stride, out, table };
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

  bilinearRow(src: number, sw: number, out: number, n: number, sx: number, sy: number, a: number, d: number): void {
    this.#x.bilinearRow(src, sw, out, n, sx, sy, a, d);
  }

  /** Zeroes what the warps since the last wipe wrote (source pixels, outputs). */
  wipe(): void {
    this.#bytes.fill(0, 0, this.#used);
    this.#used = 0;
  }
}

const align16 = (n: number): number => (n + 15) & ~15;
