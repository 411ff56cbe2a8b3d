/**
 * A minimal WebAssembly binary writer, enough for the warp kernels (warp-kernels.ts): one
 * exported memory, functions of i32/f64 parameters and i32/f32/f64/v128 locals, and the handful of
 * instructions they use (the 128-bit SIMD ones from the fixed-width SIMD proposal, part of the
 * core specification since 2.0 and in every V8 since 9.1). The module's bytes are built from this source when the face pipeline starts: no
 * binary is committed or downloaded. Encoding per the WebAssembly core specification 1.0
 * (§5 Binary Format: LEB128 integers, sections 1 type, 3 function, 5 memory, 7 export, 10 code).
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

/** Opcodes used (core spec §5.4). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Nearest: 0x9e,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64ShrS: 0x87,
  i32WrapI64: 0xa7,
  f64ConvertI32U: 0xb8,
  f64ConvertI64S: 0xb9,
  f32DemoteF64: 0xb6,
} as const;

/** SIMD opcodes (core spec 2.0 §5.4.8), each written after the 0xFD prefix as an unsigned LEB128. */
export const Simd = {
  v128Store: 0x0b,
  /** Eight bytes, each widened to an unsigned 16-bit lane. */
  v128Load8x8U: 0x02,
  f32x4Splat: 0x13,
  i32x4ExtendLowI16x8U: 0xa9,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4ConvertI32x4S: 0xfa,
} as const;

/** i64.trunc_sat_f64_s (core spec 2.0, prefix 0xFC, 6): float64 to int64 towards zero, saturating. */
export const I64_TRUNC_SAT_F64_S = [0xfc, 0x06] as const;

/** A SIMD instruction's opcode bytes (its immediates follow). */
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export function f64Bytes(v: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return [...b];
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly locals: readonly ValType[];
  /** The body's instructions, without the final `end`. */
  readonly body: readonly number[];
}

/** A module exporting `memory` (`pages` of 64 KiB to start) and `functions` under their names; none returns a value. */
export function moduleBytes(functions: readonly FunctionSpec[], pages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const code = functions.map((f) => {
    const locals = vec(f.locals.map((l) => [1, l]));
    const body = [...locals, ...f.body, Op.end];
    return [...uleb(body.length), ...body];
  });
  const exports = [
    [...uleb(6), ...utf8('memory'), 2, 0],
    ...functions.map((f, i) => [...uleb(utf8(f.name).length), ...utf8(f.name), 0, ...uleb(i)]),
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(code)),
  ]);
}
