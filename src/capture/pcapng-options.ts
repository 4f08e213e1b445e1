// pcapng options, both directions from one table per block type. An option is
//   code (u16) | length (u16) | value, padded to 4 bytes
// ending with opt_endofopt (code 0) or the end of the block. decodeOptions() and encodeOptions()
// read and write the same tables, so whatever the writer emits the reader gives back.
// Like Wireshark, a fixed-size option with the wrong length is ignored; an option running past
// its block is an error. Strings lose trailing NULs some writers add.
import { i64, u64 } from "./timestamps.js";

/** How an option's value is stored. "ts" is a tick count as two u32 halves, high first. */
export type OptKind = "str" | "u8" | "u32" | "u64" | "i64" | "ts" | "filter";

export interface OptSpec {
  code: number;
  key: string;
  kind: OptKind;
  /** May repeat (comments): decoded into an array. */
  multi?: boolean;
}

export interface OptTable {
  byCode: Map<number, OptSpec>;
  specs: OptSpec[];
}

/** Decoded options: key -> string | number | bigint | {hi, lo} | string[] (multi). */
export type OptValues = Record<string, unknown>;

export const OPT_ENDOFOPT = 0;

function table(rows: [number, string, OptKind, boolean?][]): OptTable {
  const specs = rows.map(([code, key, kind, multi]) => ({ code, key, kind, multi: multi ?? false }));
  return { specs, byCode: new Map(specs.map((s) => [s.code, s])) };
}

export const SHB_OPTS = table([
  [1, "comments", "str", true],
  [2, "hardware", "str"],
  [3, "os", "str"],
  [4, "userAppl", "str"],
]);

export const IDB_OPTS = table([
  [1, "comments", "str", true],
  [2, "name", "str"],
  [3, "description", "str"],
  [8, "speed", "u64"],
  [9, "tsresol", "u8"],
  [11, "filter", "filter"],
  [12, "os", "str"],
  [13, "fcslen", "u8"],
  [14, "tsoffset", "i64"],
  [15, "hardware", "str"],
]);

export const EPB_OPTS = table([
  [1, "comments", "str", true],
  [2, "flags", "u32"],
  [4, "dropCount", "u64"],
  [5, "packetId", "u64"],
  [6, "queue", "u32"],
]);

/** The obsolete Packet Block (type 2). */
export const PB_OPTS = table([
  [1, "comments", "str", true],
  [2, "flags", "u32"],
]);

export const ISB_OPTS = table([
  [1, "comments", "str", true],
  [2, "startTime", "ts"],
  [3, "endTime", "ts"],
  [4, "ifRecv", "u64"],
  [5, "ifDrop", "u64"],
  [6, "filterAccept", "u64"],
  [7, "osDrop", "u64"],
  [8, "usrDeliv", "u64"],
]);

export const NRB_OPTS = table([
  [1, "comments", "str", true],
  [2, "dnsName", "str"],
]);

const SIZE: Record<OptKind, number> = { str: -1, filter: -1, u8: 1, u32: 4, u64: 8, i64: 8, ts: 8 };
const decoder = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** UTF-8 text without the trailing NULs some writers add. */
export function optString(b: Uint8Array): string {
  let e = b.length;
  while (e > 0 && b[e - 1] === 0) e--;
  return decoder.decode(b.subarray(0, e));
}

/**
 * Options in buf[off, end). Returns null when there are none (no allocation for plain blocks).
 * `fail(offset, detail)` is called (and must throw) for an option that runs past `end`.
 */
export function decodeOptions(
  dv: DataView, buf: Uint8Array, off: number, end: number, le: boolean, t: OptTable,
  fail: (at: number, detail: string) => never,
): OptValues | null {
  let out: OptValues | null = null;
  while (end - off >= 4) {
    const code = dv.getUint16(off, le);
    const len = dv.getUint16(off + 2, le);
    if (code === OPT_ENDOFOPT) break;
    const v = off + 4;
    if (len > end - v) fail(off, `option ${code} of ${len} bytes runs past the end of its block (${end - v} bytes left)`);
    off = v + ((len + 3) & ~3);
    const spec = t.byCode.get(code);
    if (spec === undefined) continue;
    const size = SIZE[spec.kind];
    if (size > 0 && len !== size) continue;
    let val: unknown;
    switch (spec.kind) {
      case "str":
        val = optString(buf.subarray(v, v + len));
        break;
      case "filter":
        if (len < 1 || buf[v] !== 0) continue; // only filter strings (type 0), not BPF programs
        val = optString(buf.subarray(v + 1, v + len));
        break;
      case "u8":
        val = buf[v]!;
        break;
      case "u32":
        val = dv.getUint32(v, le);
        break;
      case "u64":
      case "i64": {
        const lo = dv.getUint32(le ? v : v + 4, le);
        const hi = dv.getUint32(le ? v + 4 : v, le);
        val = spec.kind === "u64" ? u64(hi, lo) : i64(hi, lo);
        break;
      }
      case "ts":
        val = { hi: dv.getUint32(v, le), lo: dv.getUint32(v + 4, le) };
        break;
    }
    out ??= {};
    if (spec.multi) ((out[spec.key] ??= []) as unknown[]).push(val);
    else out[spec.key] = val;
  }
  return out;
}

/** The option bytes (ending with opt_endofopt) for `values`; empty when none is set. */
export function encodeOptions(t: OptTable, values: OptValues, le: boolean): Uint8Array {
  const parts: { code: number; bytes: Uint8Array }[] = [];
  for (const spec of t.specs) {
    const v = values[spec.key];
    if (v === undefined || v === null) continue;
    for (const one of spec.multi ? (v as unknown[]) : [v]) {
      if (one === undefined || one === null) continue;
      parts.push({ code: spec.code, bytes: encodeValue(spec.kind, one, le) });
    }
  }
  if (parts.length === 0) return new Uint8Array(0);
  let size = 4;
  for (const p of parts) size += 4 + ((p.bytes.length + 3) & ~3);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let off = 0;
  for (const p of parts) {
    if (p.bytes.length > 0xffff) throw new RangeError(`pcapng option ${p.code} is longer than 65535 bytes`);
    dv.setUint16(off, p.code, le);
    dv.setUint16(off + 2, p.bytes.length, le);
    out.set(p.bytes, off + 4);
    off += 4 + ((p.bytes.length + 3) & ~3);
  }
  // opt_endofopt: code 0, length 0 (already zero)
  return out;
}

function encodeValue(kind: OptKind, v: unknown, le: boolean): Uint8Array {
  switch (kind) {
    case "str":
      return encoder.encode(String(v));
    case "filter": {
      const s = encoder.encode(String(v));
      const b = new Uint8Array(s.length + 1);
      b.set(s, 1);
      return b;
    }
    case "u8":
      return Uint8Array.of(Number(v) & 0xff);
    case "u32": {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, Number(v) >>> 0, le);
      return b;
    }
    case "u64":
    case "i64": {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v as number | bigint)), le);
      return b;
    }
    case "ts": {
      const { hi, lo } = v as { hi: number; lo: number };
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      dv.setUint32(0, hi >>> 0, le);
      dv.setUint32(4, lo >>> 0, le);
      return b;
    }
  }
}
