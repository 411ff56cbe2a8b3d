/**
 * Builds ONNX graphs layer by layer from tfjs-layout weights, tracking each value's NCHW shape
 * so TensorFlow's padding rules ('same' puts the odd pixel at the end) become explicit ONNX
 * pads. The graph input is NHWC float32 pixels in 0..255 (what sharp hands us); the first
 * node transposes it. Spatial sizes may be symbolic (`-1`) for fully convolutional graphs.
 */
import type { AttrValue, OnnxDim, OnnxInitializer, OnnxModel, OnnxNode } from './onnx-writer.ts';
import { ModelConversionError, type TfjsTensor } from './tfjs-weights.ts';

export interface Value {
  readonly name: string;
  readonly c: number;
  /** Spatial size, or -1 when only known at run time. */
  readonly h: number;
  readonly w: number;
}

export type Padding = 'same' | 'valid';

function outSize(n: number, k: number, s: number, padding: Padding): number {
  if (n < 0) return -1;
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** TF 'same' padding split, the odd pixel at the end (ONNX SAME_UPPER). */
function samePads(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  /** Multiply-accumulates of the convolutions and dense layers built so far (static sizes only; NaN once a size is symbolic). */
  macs = 0;
  #n = 0;

  #id(prefix: string): string {
    return `${prefix}_${this.#n++}`;
  }

  const(name: string, dims: readonly number[], data: Float32Array): string {
    const id = this.#id(name);
    this.initializers.push({ name: id, dims, data });
    return id;
  }

  constInt64(name: string, values: readonly number[]): string {
    const id = this.#id(name);
    this.initializers.push({ name: id, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return id;
  }

  node(op: string, inputs: readonly string[], attrs?: OnnxNode['attrs']): string {
    const out = this.#id(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [out], name: out, ...(attrs ? { attrs } : {}) });
    return out;
  }

  /** NHWC 0..255 input → NCHW `(x - mean) / 255`. */
  normalisedInput(input: string, c: number, h: number, w: number, meanRgb: readonly number[]): Value {
    const t = this.node('Transpose', [input], { perm: [0, 3, 1, 2] });
    const mean = this.const('mean', [1, 3, 1, 1], Float32Array.from(meanRgb));
    const centred = this.node('Sub', [t, mean]);
    const scale = this.const('inv255', [], Float32Array.of(1 / 255));
    return { name: this.node('Mul', [centred, scale]), c, h, w };
  }

  /** tfjs conv2d: filters [kh, kw, in, out] → ONNX OIHW; optional bias [out]. */
  conv(x: Value, filters: TfjsTensor, bias: TfjsTensor | undefined, stride: number, padding: Padding): Value {
    const [kh, kw, cin, cout] = filters.shape as [number, number, number, number];
    if (cin !== x.c) throw new ModelConversionError(`conv expects ${cin} channels, got ${x.c}`);
    const w = new Float32Array(filters.data.length);
    for (let y = 0; y < kh; y++)
      for (let xx = 0; xx < kw; xx++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) {
            w[((o * cin + i) * kh + y) * kw + xx] = filters.data[((y * kw + xx) * cin + i) * cout + o]!;
          }
    return this.#conv(x, w, [cout, cin, kh, kw], bias, stride, padding, 1, cout);
  }

  /** tfjs depthwise filter [kh, kw, C, 1] → ONNX grouped conv [C, 1, kh, kw]. */
  depthwise(x: Value, filter: TfjsTensor, stride: number, padding: Padding): Value {
    const [kh, kw, c] = filter.shape as [number, number, number, number];
    if (c !== x.c) throw new ModelConversionError(`depthwise expects ${c} channels, got ${x.c}`);
    const w = new Float32Array(filter.data.length);
    for (let y = 0; y < kh; y++)
      for (let xx = 0; xx < kw; xx++)
        for (let i = 0; i < c; i++) {
          w[(i * kh + y) * kw + xx] = filter.data[(y * kw + xx) * c + i]!;
        }
    return this.#conv(x, w, [c, 1, kh, kw], undefined, stride, padding, c, c);
  }

  #conv(
    x: Value,
    w: Float32Array,
    dims: number[],
    bias: TfjsTensor | undefined,
    stride: number,
    padding: Padding,
    group: number,
    cout: number,
  ): Value {
    const kh = dims[2]!;
    const kw = dims[3]!;
    const inputs = [x.name, this.const('W', dims, w)];
    if (bias) inputs.push(this.const('B', [cout], bias.data));
    const attrs: Record<string, number | number[]> = { kernel_shape: [kh, kw], strides: [stride, stride], group };
    if (padding === 'same') {
      if (x.h < 0 || x.w < 0) {
        if (stride !== 1) throw new ModelConversionError('strided same conv needs static size');
        attrs.pads = [(kh - 1) / 2, (kw - 1) / 2, (kh - 1) / 2, (kw - 1) / 2];
      } else {
        const [t, b] = samePads(x.h, kh, stride);
        const [l, r] = samePads(x.w, kw, stride);
        attrs.pads = [t, l, b, r];
      }
    }
    const name = this.node('Conv', inputs, attrs);
    const h = outSize(x.h, kh, stride, padding);
    const w2 = outSize(x.w, kw, stride, padding);
    this.macs += h < 0 || w2 < 0 ? Number.NaN : cout * (x.c / group) * kh * kw * h * w2;
    return { name, c: cout, h, w: w2 };
  }

  /** Per-channel y = x * a + b (dlib's affine "scale" layer). */
  channelAffine(x: Value, a: TfjsTensor, b: TfjsTensor): Value {
    const m = this.node('Mul', [x.name, this.const('sw', [1, x.c, 1, 1], a.data)]);
    return { ...x, name: this.node('Add', [m, this.const('sb', [1, x.c, 1, 1], b.data)]) };
  }

  relu(x: Value): Value {
    return { ...x, name: this.node('Relu', [x.name]) };
  }
  leaky(x: Value, alpha: number): Value {
    return { ...x, name: this.node('LeakyRelu', [x.name], { alpha: { float: alpha } }) };
  }
  add(a: Value, b: Value): Value {
    return { ...a, name: this.node('Add', [a.name, b.name]) };
  }

  pool(op: 'MaxPool' | 'AveragePool', x: Value, k: number, s: number, padding: Padding): Value {
    const attrs: Record<string, AttrValue> = { kernel_shape: [k, k], strides: [s, s] };
    if (padding === 'same') {
      if (x.h < 0) {
        attrs.auto_pad = { str: 'SAME_UPPER' }; // TF 'same': the odd pixel at the end
      } else {
        const [t, b] = samePads(x.h, k, s);
        const [l, r] = samePads(x.w, k, s);
        attrs.pads = [t, l, b, r];
      }
    }
    return { name: this.node(op, [x.name], attrs), c: x.c, h: outSize(x.h, k, s, padding), w: outSize(x.w, k, s, padding) };
  }

  /** Zero padding at the end of channels / height / width. */
  padEnd(x: Value, dc: number, dh: number, dw: number): Value {
    const pads = this.constInt64('pads', [0, 0, 0, 0, 0, dc, dh, dw]);
    return { name: this.node('Pad', [x.name, pads]), c: x.c + dc, h: x.h + dh, w: x.w + dw };
  }

  /** Global average → [N, C], then `x @ W + b` with W [in, out]. */
  globalAvgDense(x: Value, w: TfjsTensor, b: TfjsTensor | undefined): string {
    const g = this.node('GlobalAveragePool', [x.name]);
    const flat = this.node('Flatten', [g], { axis: 1 });
    const [cin, cout] = w.shape as [number, number];
    if (cin !== x.c) throw new ModelConversionError(`dense expects ${cin} inputs, got ${x.c}`);
    const mm = this.node('MatMul', [flat, this.const('fc', [cin, cout], w.data)]);
    this.macs += cin * cout;
    return b ? this.node('Add', [mm, this.const('fcb', [cout], b.data)]) : mm;
  }

  /** Renames the last node's output to the public output name. */
  finish(value: string, output: string): void {
    const last = this.nodes.find((n) => n.outputs[0] === value);
    if (!last) throw new ModelConversionError(`no node produces ${value}`);
    this.nodes[this.nodes.indexOf(last)] = { ...last, outputs: [output] };
  }

  model(
    graphName: string,
    input: { name: string; dims: OnnxDim[] },
    output: { name: string; dims: OnnxDim[] },
    metadata: Record<string, string>,
  ): OnnxModel {
    return {
      graphName,
      producer: 'kaoreader-face-converter',
      opset: 13,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: [input],
      outputs: [output],
      metadata,
    };
  }
}
