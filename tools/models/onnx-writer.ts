/**
 * A minimal protobuf encoder for the part of ONNX's `ModelProto` the converters need
 * (onnx/onnx.proto, proto2): a graph of nodes with int/float/ints attributes, float32
 * initializers and typed inputs/outputs. Repeated scalars are written unpacked, which every
 * proto2/proto3 parser accepts.
 */

export type AttrValue = number | readonly number[] | { readonly float: number } | { readonly str: string };

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  /** float32 (data_type 1) or int64 (data_type 7) values. */
  readonly data: Float32Array | BigInt64Array;
}

/** A dimension: a fixed size or a symbolic name (`'N'`). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  readonly name: string;
  readonly dims: readonly OnnxDim[];
}

export interface OnnxModel {
  readonly graphName: string;
  readonly producer: string;
  readonly opset: number;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Free-form metadata_props (provenance). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Growable byte buffer with protobuf primitives. */
class Pb {
  #buf = new Uint8Array(1024);
  #len = 0;

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    this.#ensure(10);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.#buf[this.#len++] = byte;
    } while (v > 0n);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.#ensure(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }
  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }
  message(field: number, build: (pb: Pb) => void): void {
    const inner = new Pb();
    build(inner);
    this.bytes(field, inner.finish());
  }
  float(field: number, v: number): void {
    this.tag(field, 5);
    this.#ensure(4);
    new DataView(this.#buf.buffer, this.#len, 4).setFloat32(0, v, true);
    this.#len += 4;
  }
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function writeAttr(pb: Pb, name: string, value: AttrValue): void {
  pb.message(5, (a) => {
    a.string(1, name);
    if (typeof value === 'number') {
      a.int(3, value);
      a.int(20, ATTR_INT);
    } else if (Array.isArray(value)) {
      for (const v of value as readonly number[]) a.int(8, v);
      a.int(20, ATTR_INTS);
    } else if ('str' in value) {
      a.string(4, value.str);
      a.int(20, ATTR_STRING);
    } else if ('float' in value) {
      a.float(2, value.float);
      a.int(20, ATTR_FLOAT);
    }
  });
}

function writeValueInfo(pb: Pb, field: number, info: OnnxValueInfo): void {
  pb.message(field, (v) => {
    v.string(1, info.name);
    v.message(2, (type) =>
      type.message(1, (tensor) => {
        tensor.int(1, 1); // elem_type FLOAT
        tensor.message(2, (shape) => {
          for (const d of info.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        });
      }),
    );
  });
}

/** Serialises a model to ONNX protobuf bytes (IR version 7). */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const pb = new Pb();
  pb.int(1, 7); // ir_version
  pb.string(2, model.producer);
  pb.message(7, (g) => {
    for (const n of model.nodes) {
      g.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, n.name);
        node.string(4, n.op);
        for (const [k, v] of Object.entries(n.attrs ?? {})) writeAttr(node, k, v);
      });
    }
    g.string(2, model.graphName);
    for (const t of model.initializers) {
      g.message(5, (tensor) => {
        for (const d of t.dims) tensor.int(1, d);
        tensor.int(2, t.data instanceof Float32Array ? 1 : 7);
        tensor.string(8, t.name);
        tensor.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      });
    }
    for (const i of model.inputs) writeValueInfo(g, 11, i);
    for (const o of model.outputs) writeValueInfo(g, 12, o);
  });
  pb.message(8, (op) => {
    op.string(1, '');
    op.int(2, model.opset);
  });
  for (const [k, v] of Object.entries(model.metadata ?? {}))
    pb.message(14, (m) => {
      m.string(1, k);
      m.string(2, v);
    });
  return pb.finish();
}
