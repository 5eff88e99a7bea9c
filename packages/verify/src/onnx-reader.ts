// ONNX ModelProto reader on top of the wire-format decoder: graph nodes, attributes, initializers and I/O shapes.
// Field numbers follow onnx/onnx.proto (IR version 3–10). Only what inference graphs use is interpreted.
import { ParseError, UnsupportedError } from "@x/tensor";
import { decodeMessage, type PbField, pbFixed, pbFloat32, pbInts, pbString, WIRE_LEN } from "./protobuf.js";

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float64Array;
}

export interface OnnxAttribute {
  name: string;
  f?: number;
  i?: number;
  s?: string;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

export interface OnnxValueInfo {
  name: string;
  /** -1 for symbolic / unknown dimensions */
  shape: number[];
}

export interface OnnxGraph {
  irVersion: number;
  opset: number;
  producer: string;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const sub = (fields: PbField[], n: number) => fields.filter((f) => f.field === n && f.wire === WIRE_LEN);
const str = (fields: PbField[], n: number) => {
  const f = fields.find((x) => x.field === n && x.wire === WIRE_LEN);
  return f ? pbString(f) : "";
};
const int = (fields: PbField[], n: number, dflt = 0) => {
  const f = fields.find((x) => x.field === n && x.int !== undefined);
  return f ? Number(f.int!) : dflt;
};

const DTYPE_NAMES: Record<number, string> = {
  8: "STRING",
  10: "FLOAT16",
  14: "COMPLEX64",
  15: "COMPLEX128",
  16: "BFLOAT16",
};

export function readTensor(bytes: Uint8Array, what: string): OnnxTensor {
  const f = decodeMessage(bytes, what);
  const name = str(f, 8);
  const dims = pbInts(f, 1, what);
  const dtype = int(f, 2, 1);
  const label = `${what} '${name}'`;
  if (int(f, 14) === 1) throw new UnsupportedError(`${label}: external tensor data is not supported`);
  const size = dims.reduce((a, b) => a * b, 1);
  const raw = f.find((x) => x.field === 9 && x.wire === WIRE_LEN)?.bytes;
  let values: number[] | Float64Array;
  if (raw) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
    const width: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8, 12: 4, 13: 8 };
    const w = width[dtype];
    if (w === undefined)
      throw new UnsupportedError(`${label}: tensor data type ${DTYPE_NAMES[dtype] ?? dtype} is not supported`);
    if (raw.length !== size * w)
      throw new ParseError(`${label}: raw_data has ${raw.length} bytes, dims ${JSON.stringify(dims)} need ${size * w}`);
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const o = i * w;
      out[i] =
        dtype === 1
          ? dv.getFloat32(o, true)
          : dtype === 11
            ? dv.getFloat64(o, true)
            : dtype === 7
              ? Number(dv.getBigInt64(o, true))
              : dtype === 13
                ? Number(dv.getBigUint64(o, true))
                : dtype === 6
                  ? dv.getInt32(o, true)
                  : dtype === 12
                    ? dv.getUint32(o, true)
                    : dtype === 5
                      ? dv.getInt16(o, true)
                      : dtype === 4
                        ? dv.getUint16(o, true)
                        : dtype === 3
                          ? dv.getInt8(o)
                          : dv.getUint8(o);
    }
    values = out;
  } else if (dtype === 1) values = pbFixed(f, 4, 4, label);
  else if (dtype === 11) values = pbFixed(f, 10, 8, label);
  else if (dtype === 7) values = pbInts(f, 7, label);
  else if (dtype === 6 || dtype === 2 || dtype === 3 || dtype === 4 || dtype === 5 || dtype === 9)
    values = pbInts(f, 5, label);
  else if (dtype === 12 || dtype === 13) values = pbInts(f, 11, label);
  else throw new UnsupportedError(`${label}: tensor data type ${DTYPE_NAMES[dtype] ?? dtype} is not supported`);
  if (values.length !== size) {
    throw new ParseError(`${label}: holds ${values.length} values but dims ${JSON.stringify(dims)} need ${size}`);
  }
  return { name, dims, data: Float64Array.from(values) };
}

function readAttribute(bytes: Uint8Array, what: string): OnnxAttribute {
  const f = decodeMessage(bytes, what);
  const a: OnnxAttribute = { name: str(f, 1) };
  const ff = f.find((x) => x.field === 2 && x.bytes?.length === 4);
  if (ff) a.f = pbFloat32(ff);
  const fi = f.find((x) => x.field === 3 && x.int !== undefined);
  if (fi) a.i = Number(fi.int!);
  if (f.some((x) => x.field === 4)) a.s = str(f, 4);
  const ft = sub(f, 5)[0];
  if (ft) a.t = readTensor(ft.bytes!, `${what} '${a.name}'`);
  const floats = pbFixed(f, 7, 4, what);
  if (floats.length) a.floats = floats;
  const ints = pbInts(f, 8, what);
  if (ints.length) a.ints = ints;
  return a;
}

function readValueInfo(bytes: Uint8Array, what: string): OnnxValueInfo {
  const f = decodeMessage(bytes, what);
  const name = str(f, 1);
  const shape: number[] = [];
  const type = sub(f, 2)[0];
  if (type) {
    const tt = sub(decodeMessage(type.bytes!, what), 1)[0];
    const sh = tt ? sub(decodeMessage(tt.bytes!, what), 2)[0] : undefined;
    if (sh) {
      for (const d of sub(decodeMessage(sh.bytes!, what), 1)) {
        const df = decodeMessage(d.bytes!, what);
        const v = df.find((x) => x.field === 1 && x.int !== undefined);
        shape.push(v ? Number(v.int!) : -1);
      }
    }
  }
  return { name, shape };
}

/** Decodes ONNX ModelProto bytes into a plain graph description. Throws ParseError on truncated/corrupt input. */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  if (!(bytes instanceof Uint8Array)) throw new ParseError("loadOnnx: bytes must be a Uint8Array");
  if (bytes.length === 0) throw new ParseError("loadOnnx: bytes are empty");
  const model = decodeMessage(bytes, "ONNX ModelProto");
  const g = sub(model, 7)[0];
  if (!g) throw new ParseError("loadOnnx: the model has no graph (field 7); not an ONNX ModelProto?");
  let opset = 0;
  for (const o of sub(model, 8)) {
    const of = decodeMessage(o.bytes!, "OperatorSetIdProto");
    if (str(of, 1) === "" || str(of, 1) === "ai.onnx") opset = int(of, 2);
  }
  const gf = decodeMessage(g.bytes!, "ONNX GraphProto");
  const initializers = new Map<string, OnnxTensor>();
  for (const t of sub(gf, 5)) {
    const tensor = readTensor(t.bytes!, "initializer");
    initializers.set(tensor.name, tensor);
  }
  const nodes: OnnxNode[] = sub(gf, 1).map((n, idx) => {
    const nf = decodeMessage(n.bytes!, `NodeProto #${idx}`);
    const opType = str(nf, 4);
    const name = str(nf, 3) || `${opType || "node"}_${idx}`;
    const attributes = new Map<string, OnnxAttribute>();
    for (const a of sub(nf, 5)) {
      const attr = readAttribute(a.bytes!, `attribute of node '${name}'`);
      attributes.set(attr.name, attr);
    }
    if (!opType) throw new ParseError(`loadOnnx: node #${idx} ('${name}') has no op_type`);
    return {
      name,
      opType,
      domain: str(nf, 7),
      inputs: sub(nf, 1).map(pbString),
      outputs: sub(nf, 2).map(pbString),
      attributes,
    };
  });
  return {
    irVersion: int(model, 1),
    opset,
    producer: str(model, 2),
    nodes,
    initializers,
    inputs: sub(gf, 11).map((v) => readValueInfo(v.bytes!, "graph input")),
    outputs: sub(gf, 12).map((v) => readValueInfo(v.bytes!, "graph output")),
  };
}
