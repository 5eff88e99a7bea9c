// Test helper: writes ONNX ModelProto bytes (protobuf wire format) so tests can build tiny models without Python.
const te = new TextEncoder();

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const tag = (field: number, wire: number) => varint((field << 3) | wire);
export const fInt = (field: number, v: number) => [...tag(field, 0), ...varint(v)];
export const fBytes = (field: number, bytes: number[] | Uint8Array) => [
  ...tag(field, 2),
  ...varint(bytes.length),
  ...bytes,
];
export const fStr = (field: number, s: string) => fBytes(field, [...te.encode(s)]);
export const fFloat = (field: number, v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return [...tag(field, 5), ...b];
};

export interface TensorSpec {
  name: string;
  dims: number[];
  values: number[];
  /** 'float' (raw float32), 'double' (double_data), 'int64' (int64_data), 'floatData' (float_data packed) */
  kind?: "float" | "double" | "int64" | "floatData";
}

export function tensorProto(t: TensorSpec): number[] {
  const kind = t.kind ?? "double";
  const dims = t.dims.flatMap((d) => fInt(1, d));
  if (kind === "float") {
    const b = new Uint8Array(4 * t.values.length);
    const dv = new DataView(b.buffer);
    t.values.forEach((v, i) => dv.setFloat32(4 * i, v, true));
    return [...dims, ...fInt(2, 1), ...fStr(8, t.name), ...fBytes(9, b)];
  }
  if (kind === "floatData") {
    const b = new Uint8Array(4 * t.values.length);
    const dv = new DataView(b.buffer);
    t.values.forEach((v, i) => dv.setFloat32(4 * i, v, true));
    return [...dims, ...fInt(2, 1), ...fBytes(4, b), ...fStr(8, t.name)];
  }
  if (kind === "int64")
    return [
      ...dims,
      ...fInt(2, 7),
      ...fBytes(
        7,
        t.values.flatMap((v) => varint(v)),
      ),
      ...fStr(8, t.name),
    ];
  const b = new Uint8Array(8 * t.values.length);
  const dv = new DataView(b.buffer);
  t.values.forEach((v, i) => dv.setFloat64(8 * i, v, true));
  return [...dims, ...fInt(2, 11), ...fStr(8, t.name), ...fBytes(10, b)];
}

export type Attr = { name: string; i?: number; f?: number; ints?: number[]; s?: string; t?: TensorSpec };

function attrProto(a: Attr): number[] {
  const out = fStr(1, a.name);
  if (a.f !== undefined) out.push(...fFloat(2, a.f), ...fInt(20, 1));
  if (a.i !== undefined) out.push(...fInt(3, a.i), ...fInt(20, 2));
  if (a.s !== undefined) out.push(...fStr(4, a.s), ...fInt(20, 3));
  if (a.t !== undefined) out.push(...fBytes(5, tensorProto(a.t)), ...fInt(20, 4));
  if (a.ints !== undefined) out.push(...a.ints.flatMap((v) => fInt(8, v)), ...fInt(20, 7));
  return out;
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Attr[];
}

function valueInfo(name: string, shape: number[]): number[] {
  const dims = shape.flatMap((d) => fBytes(1, fInt(1, d)));
  const tensorType = [...fInt(1, 1), ...fBytes(2, dims)];
  return [...fStr(1, name), ...fBytes(2, fBytes(1, tensorType))];
}

export interface ModelSpec {
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
  input: { name: string; shape: number[] };
  output: { name: string; shape: number[] };
  /** also list initializers as graph inputs (opset-8 style) */
  initializersAsInputs?: boolean;
  opset?: number;
}

export function encodeModel(m: ModelSpec): Uint8Array {
  const graph: number[] = [];
  m.nodes.forEach((n, i) => {
    const node = [
      ...n.inputs.flatMap((s) => fStr(1, s)),
      ...n.outputs.flatMap((s) => fStr(2, s)),
      ...fStr(3, n.name ?? `${n.op.toLowerCase()}_${i}`),
      ...fStr(4, n.op),
      ...(n.attrs ?? []).flatMap((a) => fBytes(5, attrProto(a))),
    ];
    graph.push(...fBytes(1, node));
  });
  graph.push(...fStr(2, "test-graph"));
  for (const t of m.initializers ?? []) graph.push(...fBytes(5, tensorProto(t)));
  if (m.initializersAsInputs)
    for (const t of m.initializers ?? []) graph.push(...fBytes(11, valueInfo(t.name, t.dims)));
  graph.push(...fBytes(11, valueInfo(m.input.name, m.input.shape)));
  graph.push(...fBytes(12, valueInfo(m.output.name, m.output.shape)));
  const model = [
    ...fInt(1, 7),
    ...fStr(2, "x-verify-tests"),
    ...fBytes(7, graph),
    ...fBytes(8, [...fStr(1, ""), ...fInt(2, m.opset ?? 13)]),
  ];
  return Uint8Array.from(model);
}
