// Minimal Protocol Buffers wire-format decoder (https://protobuf.dev/programming-guides/encoding/).
// Schema-free: a message is read into a list of (field number, wire type, value) records; the ONNX reader
// interprets them. Every read is bounds-checked so truncated or corrupt bytes raise a ParseError.
import { ParseError } from "@x/tensor";

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export interface PbField {
  field: number;
  wire: number;
  /** varint as a signed 64-bit bigint (wire 0) */
  int?: bigint;
  /** payload bytes for wire 1 (8 bytes), 2 (length-delimited) and 5 (4 bytes) */
  bytes?: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number, what: string): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ParseError(`${what}: truncated varint at byte ${pos}`);
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [BigInt.asIntN(64, result), pos];
    shift += 7n;
  }
  throw new ParseError(`${what}: varint longer than 10 bytes at byte ${pos}`);
}

/** Decodes one message into its fields, in wire order. */
export function decodeMessage(buf: Uint8Array, what = "protobuf message"): PbField[] {
  const out: PbField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos, what);
    pos = p1;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field <= 0) throw new ParseError(`${what}: invalid field number ${field} at byte ${pos}`);
    if (wire === WIRE_VARINT) {
      const [v, p2] = readVarint(buf, pos, what);
      out.push({ field, wire, int: v });
      pos = p2;
    } else if (wire === WIRE_I64 || wire === WIRE_I32) {
      const n = wire === WIRE_I64 ? 8 : 4;
      if (pos + n > buf.length) throw new ParseError(`${what}: truncated fixed-width field ${field} at byte ${pos}`);
      out.push({ field, wire, bytes: buf.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === WIRE_LEN) {
      const [len, p2] = readVarint(buf, pos, what);
      pos = p2;
      if (len < 0n || pos + Number(len) > buf.length) {
        throw new ParseError(`${what}: field ${field} claims ${len} bytes but only ${buf.length - pos} remain`);
      }
      out.push({ field, wire, bytes: buf.subarray(pos, pos + Number(len)) });
      pos += Number(len);
    } else {
      throw new ParseError(`${what}: unsupported wire type ${wire} for field ${field} at byte ${pos}`);
    }
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export function pbString(f: PbField): string {
  return f.bytes ? utf8.decode(f.bytes) : "";
}

export function pbFloat32(f: PbField): number {
  const b = f.bytes!;
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

/** Repeated int64 field: packed (wire 2) or unpacked (wire 0) entries. */
export function pbInts(fields: PbField[], field: number, what: string): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === WIRE_VARINT) out.push(Number(f.int!));
    else if (f.wire === WIRE_LEN) {
      let pos = 0;
      while (pos < f.bytes!.length) {
        const [v, p] = readVarint(f.bytes!, pos, what);
        out.push(Number(v));
        pos = p;
      }
    }
  }
  return out;
}

/** Repeated float (fixed32) or double (fixed64) field: packed or unpacked. */
export function pbFixed(fields: PbField[], field: number, width: 4 | 8, what: string): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    const b = f.bytes!;
    if (b.length % width !== 0) throw new ParseError(`${what}: packed field ${field} has ${b.length} bytes`);
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    for (let i = 0; i < b.length; i += width) out.push(width === 4 ? dv.getFloat32(i, true) : dv.getFloat64(i, true));
  }
  return out;
}
