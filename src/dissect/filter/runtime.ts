// What a compiled filter runs per packet: value sources and comparisons. A source is an object
// made once at compile time; `load(t)` points it at this packet's values (the Tree's own arrays for
// plain fields, reused scratch arrays for slices and functions), so testing a packet allocates
// nothing except where the result is itself new text (upper(), lower(), string(), regex on bytes).
import type { Field } from "../fields.js";
import type { Tree } from "../tree.js";
import { writeUtf8 } from "../format.js";

export type Pred = (t: Tree) => boolean;

export abstract class Src {
  /** Number of values after the last load. */
  n = 0;
  abstract load(t: Tree): void;
}

// ---------------------------------------------------------------- numbers (integers, booleans,
// MAC addresses as 48-bit numbers, doubles)

export abstract class NumSrc extends Src {
  v: ArrayLike<number> = NO_NUMS;
}

const NO_NUMS: readonly number[] = [];

export class FieldNum extends NumSrc {
  constructor(readonly f: Field) {
    super();
  }
  load(t: Tree): void {
    const a = t.get(this.f) as readonly number[];
    this.v = a;
    this.n = a.length;
  }
}

export class ConstNum extends NumSrc {
  constructor(readonly value: number) {
    super();
    this.v = [value];
    this.n = 1;
  }
  load(): void {}
}

/** A source computed into a reused array; `n` says how much of it is this packet's. */
export abstract class ScratchNum extends NumSrc {
  protected readonly out: number[] = [];
  constructor() {
    super();
    this.v = this.out;
  }
}

/** Bitwise AND of two non-negative integers of up to 53 bits, without allocating. */
export function band(a: number, b: number): number {
  if (a <= 0x7fffffff && b <= 0x7fffffff && a >= 0 && b >= 0) return a & b;
  const ah = Math.floor(a / 4294967296), bh = Math.floor(b / 4294967296);
  return (ah & bh) * 4294967296 + (((a >>> 0) & (b >>> 0)) >>> 0);
}

export class ArithNum extends ScratchNum {
  constructor(readonly op: string, readonly a: NumSrc, readonly b: NumSrc, readonly integer: boolean) {
    super();
  }
  load(t: Tree): void {
    const a = this.a, b = this.b, out = this.out, op = this.op, int = this.integer;
    a.load(t);
    b.load(t);
    let k = 0;
    for (let i = 0; i < a.n; i++) {
      const x = a.v[i]!;
      for (let j = 0; j < b.n; j++) {
        const y = b.v[j]!;
        let r: number;
        switch (op) {
          case "+": r = x + y; break;
          case "-": r = x - y; break;
          case "*": r = x * y; break;
          case "/":
            if (y === 0) continue;
            r = int ? Math.trunc(x / y) : x / y;
            break;
          case "%":
            if (y === 0) continue;
            r = x % y;
            break;
          default: r = band(x, y);
        }
        out[k++] = r;
      }
    }
    this.n = k;
  }
}

export class NegNum extends ScratchNum {
  constructor(readonly a: NumSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) this.out[i] = -a.v[i]!;
    this.n = a.n;
  }
}

export class AbsNum extends ScratchNum {
  constructor(readonly a: NumSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) this.out[i] = Math.abs(a.v[i]!);
    this.n = a.n;
  }
}

/** max()/min() over every value of every argument: one value, or none if no argument has any. */
export class ExtremeNum extends ScratchNum {
  constructor(readonly args: NumSrc[], readonly max: boolean) {
    super();
  }
  load(t: Tree): void {
    let best = NaN;
    for (const a of this.args) {
      a.load(t);
      for (let i = 0; i < a.n; i++) {
        const x = a.v[i]!;
        if (best !== best || (this.max ? x > best : x < best)) best = x;
      }
    }
    this.out[0] = best;
    this.n = best === best ? 1 : 0;
  }
}

/** count(field): how many times the field occurs (no value when it does not occur). */
export class CountNum extends ScratchNum {
  constructor(readonly f: Field) {
    super();
  }
  load(t: Tree): void {
    const n = t.get(this.f).length;
    this.out[0] = n;
    this.n = n > 0 ? 1 : 0;
  }
}

/** len(x) for values with a fixed size (integers, addresses): the size, once per occurrence. */
export class FixedLenNum extends ScratchNum {
  constructor(readonly a: Src, readonly size: number) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) this.out[i] = this.size;
    this.n = a.n;
  }
}

export class BytesLenNum extends ScratchNum {
  constructor(readonly a: BytesSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) this.out[i] = a.l ? a.l[i]! : a.b[i]!.length;
    this.n = a.n;
  }
}

export class StrLenNum extends ScratchNum {
  constructor(readonly a: StrSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) this.out[i] = utf8Length(a.v[i]!);
    this.n = a.n;
  }
}

// ---------------------------------------------------------------- IPv4 (uint32, with CIDR masks)

export abstract class V4Src extends Src {
  v: ArrayLike<number> = NO_NUMS;
  /** Netmask per value; null means /32 for all. */
  m: ArrayLike<number> | null = null;
}

export class FieldV4 extends V4Src {
  constructor(readonly f: Field) {
    super();
  }
  load(t: Tree): void {
    const a = t.get(this.f) as readonly number[];
    this.v = a;
    this.n = a.length;
  }
}

export class ConstV4 extends V4Src {
  constructor(addr: number, mask: number) {
    super();
    this.v = [(addr & mask) >>> 0];
    this.m = mask === 0xffffffff ? null : [mask];
    this.n = 1;
  }
  load(): void {}
}

// ---------------------------------------------------------------- byte sequences (bytes, protocols,
// IPv6, slices, and anything converted to bytes)

export abstract class BytesSrc extends Src {
  b: ArrayLike<Uint8Array> = NO_BYTES;
  /** Start of each value in its buffer; null means 0 for all. */
  o: ArrayLike<number> | null = null;
  /** Length of each value; null means the whole buffer. */
  l: ArrayLike<number> | null = null;
  /** Prefix length in bits that matters per value (IPv6 "/n" literals); null means all. */
  p: ArrayLike<number> | null = null;
}

const NO_BYTES: readonly Uint8Array[] = [];

export class FieldBytes extends BytesSrc {
  constructor(readonly f: Field) {
    super();
  }
  load(t: Tree): void {
    const a = t.get(this.f) as readonly Uint8Array[];
    this.b = a;
    this.n = a.length;
  }
}

export class ConstBytes extends BytesSrc {
  constructor(readonly bytes: Uint8Array, bits = -1) {
    super();
    this.b = [bytes];
    this.n = 1;
    if (bits >= 0 && bits < bytes.length * 8) this.p = [bits];
  }
  load(): void {}
}

/** Sources whose bytes are written per packet into one growing buffer. */
export abstract class ScratchBytes extends BytesSrc {
  protected buf = new Uint8Array(64);
  protected bs: Uint8Array[] = [];
  protected os: number[] = [];
  protected ls: number[] = [];
  protected used = 0;
  constructor() {
    super();
    this.b = this.bs;
    this.o = this.os;
    this.l = this.ls;
  }
  /** Room for `len` more bytes; returns the offset to write at in `this.buf`. */
  protected reserve(len: number): number {
    if (this.used + len > this.buf.length) {
      // Earlier values keep pointing at the old buffer, which stays valid.
      this.buf = new Uint8Array(Math.max(this.buf.length * 2, len * 2));
      this.used = 0;
    }
    const at = this.used;
    this.used += len;
    return at;
  }
  protected put(i: number, at: number, len: number): void {
    this.bs[i] = this.buf;
    this.os[i] = at;
    this.ls[i] = len;
  }
}

export class EtherBytes extends ScratchBytes {
  constructor(readonly a: NumSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    this.used = 0;
    for (let i = 0; i < a.n; i++) {
      const at = this.reserve(6);
      const v = a.v[i]!;
      const hi = Math.floor(v / 4294967296), lo = v >>> 0;
      const d = this.buf;
      d[at] = hi >>> 8; d[at + 1] = hi; d[at + 2] = lo >>> 24; d[at + 3] = lo >>> 16; d[at + 4] = lo >>> 8; d[at + 5] = lo;
      this.put(i, at, 6);
    }
    this.n = a.n;
  }
}

export class V4Bytes extends ScratchBytes {
  constructor(readonly a: V4Src) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    this.used = 0;
    for (let i = 0; i < a.n; i++) {
      const at = this.reserve(4);
      const v = a.v[i]!;
      const d = this.buf;
      d[at] = v >>> 24; d[at + 1] = v >>> 16; d[at + 2] = v >>> 8; d[at + 3] = v;
      this.put(i, at, 4);
    }
    this.n = a.n;
  }
}

export class StrBytes extends ScratchBytes {
  constructor(readonly a: StrSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    this.used = 0;
    for (let i = 0; i < a.n; i++) {
      const s = a.v[i]!;
      const len = utf8Length(s);
      const at = this.reserve(len);
      writeUtf8(this.buf, at, s);
      this.put(i, at, len);
    }
    this.n = a.n;
  }
}

export interface Range {
  start: number;
  kind: "len" | "end" | "toEnd";
  n: number;
}

/** Start/end (exclusive) of a range in a value of `len` bytes, or -1 if it does not fit. */
let rs = 0, re = 0;
function resolveRange(r: Range, len: number): boolean {
  const s = r.start < 0 ? len + r.start : r.start;
  let e: number;
  if (r.kind === "len") e = s + r.n;
  else if (r.kind === "end") e = (r.n < 0 ? len + r.n : r.n) + 1;
  else e = len;
  if (s < 0 || e > len || s >= e) return false;
  rs = s;
  re = e;
  return true;
}

/** value[ranges]: one range is a view; several are concatenated into scratch. */
export class SliceBytes extends ScratchBytes {
  constructor(readonly a: BytesSrc, readonly ranges: readonly Range[]) {
    super();
  }
  load(t: Tree): void {
    const a = this.a, ranges = this.ranges;
    a.load(t);
    this.used = 0;
    let k = 0;
    for (let i = 0; i < a.n; i++) {
      const buf = a.b[i]!, off = a.o ? a.o[i]! : 0, len = a.l ? a.l[i]! : buf.length;
      if (ranges.length === 1) {
        if (!resolveRange(ranges[0]!, len)) continue;
        this.bs[k] = buf;
        this.os[k] = off + rs;
        this.ls[k] = re - rs;
        k++;
        continue;
      }
      let total = 0, ok = true;
      for (const r of ranges) {
        if (!resolveRange(r, len)) { ok = false; break; }
        total += re - rs;
      }
      if (!ok) continue;
      const at = this.reserve(total);
      let w = at;
      for (const r of ranges) {
        resolveRange(r, len);
        this.buf.set(buf.subarray(off + rs, off + re), w);
        w += re - rs;
      }
      this.put(k++, at, total);
    }
    this.n = k;
  }
}

/** bytes & mask: values whose length differs from the mask's give no result. */
export class AndBytes extends ScratchBytes {
  constructor(readonly x: BytesSrc, readonly y: BytesSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.x, b = this.y;
    a.load(t);
    b.load(t);
    this.used = 0;
    let k = 0;
    for (let i = 0; i < a.n; i++) {
      const ab = a.b[i]!, ao = a.o ? a.o[i]! : 0, al = a.l ? a.l[i]! : ab.length;
      for (let j = 0; j < b.n; j++) {
        const bb = b.b[j]!, bo = b.o ? b.o[j]! : 0, bl = b.l ? b.l[j]! : bb.length;
        if (al !== bl) continue;
        const at = this.reserve(al);
        for (let x = 0; x < al; x++) this.buf[at + x] = ab[ao + x]! & bb[bo + x]!;
        this.put(k++, at, al);
      }
    }
    this.n = k;
  }
}

// ---------------------------------------------------------------- strings

export abstract class StrSrc extends Src {
  v: ArrayLike<string> = NO_STRS;
}

const NO_STRS: readonly string[] = [];

export class FieldStr extends StrSrc {
  constructor(readonly f: Field) {
    super();
  }
  load(t: Tree): void {
    const a = t.get(this.f) as readonly string[];
    this.v = a;
    this.n = a.length;
  }
}

export class ConstStr extends StrSrc {
  constructor(readonly value: string) {
    super();
    this.v = [value];
    this.n = 1;
  }
  load(): void {}
}

export abstract class ScratchStr extends StrSrc {
  protected readonly out: string[] = [];
  constructor() {
    super();
    this.v = this.out;
  }
}

/** upper()/lower(); remembers the last input so repeated values are not converted again. */
export class CaseStr extends ScratchStr {
  private lastIn: string[] = [];
  constructor(readonly a: StrSrc, readonly upper: boolean) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) {
      const s = a.v[i]!;
      if (this.lastIn[i] !== s) {
        this.lastIn[i] = s;
        this.out[i] = this.upper ? s.toUpperCase() : s.toLowerCase();
      }
    }
    this.n = a.n;
  }
}

/** string(field): each value as text. */
export class FormatStr extends ScratchStr {
  constructor(readonly f: Field, readonly fmt: (v: unknown) => string) {
    super();
  }
  load(t: Tree): void {
    const a = t.get(this.f);
    for (let i = 0; i < a.length; i++) this.out[i] = this.fmt(a[i]);
    this.n = a.length;
  }
}

/** Bytes as a Latin-1 string, for regular expressions on raw bytes. */
export class BytesStr extends ScratchStr {
  constructor(readonly a: BytesSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) {
      const buf = a.b[i]!, off = a.o ? a.o[i]! : 0, len = a.l ? a.l[i]! : buf.length;
      let s = "";
      for (let x = 0; x < len; x += 4096) {
        s += String.fromCharCode.apply(null, buf.subarray(off + x, off + Math.min(len, x + 4096)) as unknown as number[]);
      }
      this.out[i] = s;
    }
    this.n = a.n;
  }
}

// ---------------------------------------------------------------- times
// Absolute and relative times (Wireshark's nstime_t) as whole seconds and nanoseconds, the
// seconds rounded down (-1.25 s is -2 s + 750000000 ns): pairs compare exactly in that order,
// at any size, where a double of seconds is nanoseconds off past about 2^22 s. (tshark 4.0's
// nstime_cmp truncates the seconds difference to 32 bits, so it orders times 2^31 s or more apart
// wrongly, "frame.time_delta > 1" failing for a delta of 4294967295 s; arpx compares exactly.)

export abstract class TimeSrc extends Src {
  s: ArrayLike<number> = NO_NUMS;
  ns: ArrayLike<number> = NO_NUMS;
}

/** A source computed into reused arrays. */
abstract class ScratchTime extends TimeSrc {
  protected readonly so: number[] = [];
  protected readonly nso: number[] = [];
  constructor() {
    super();
    this.s = this.so;
    this.ns = this.nso;
  }
}

/** Relative-time + and - (nstime_sum, nstime_delta). */
export class ArithTime extends ScratchTime {
  constructor(readonly op: string, readonly a: TimeSrc, readonly b: TimeSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a, b = this.b, sub = this.op === "-";
    a.load(t);
    b.load(t);
    let k = 0;
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < b.n; j++) {
        let sec = sub ? a.s[i]! - b.s[j]! : a.s[i]! + b.s[j]!;
        let ns = sub ? a.ns[i]! - b.ns[j]! : a.ns[i]! + b.ns[j]!;
        if (ns < 0) {
          ns += 1e9;
          sec--;
        } else if (ns >= 1e9) {
          ns -= 1e9;
          sec++;
        }
        this.so[k] = sec;
        this.nso[k++] = ns;
      }
    }
    this.n = k;
  }
}

export class NegTime extends ScratchTime {
  constructor(readonly a: TimeSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) negTime(this.so, this.nso, i, a.s[i]!, a.ns[i]!);
    this.n = a.n;
  }
}

export class AbsTime extends ScratchTime {
  constructor(readonly a: TimeSrc) {
    super();
  }
  load(t: Tree): void {
    const a = this.a;
    a.load(t);
    for (let i = 0; i < a.n; i++) {
      if (a.s[i]! < 0) negTime(this.so, this.nso, i, a.s[i]!, a.ns[i]!);
      else {
        this.so[i] = a.s[i]!;
        this.nso[i] = a.ns[i]!;
      }
    }
    this.n = a.n;
  }
}

/** -(sec + ns) with the nanoseconds kept in [0, 1e9). */
function negTime(so: number[], nso: number[], i: number, sec: number, ns: number): void {
  so[i] = ns === 0 ? -sec : -sec - 1;
  nso[i] = ns === 0 ? 0 : 1e9 - ns;
}

/** max()/min() of relative times. */
export class ExtremeTime extends ScratchTime {
  constructor(readonly args: TimeSrc[], readonly max: boolean) {
    super();
  }
  load(t: Tree): void {
    let found = false, bs = 0, bns = 0;
    for (const a of this.args) {
      a.load(t);
      for (let i = 0; i < a.n; i++) {
        const c = found ? a.s[i]! - bs || a.ns[i]! - bns : 0;
        if (!found || (this.max ? c > 0 : c < 0)) {
          found = true;
          bs = a.s[i]!;
          bns = a.ns[i]!;
        }
      }
    }
    this.so[0] = bs;
    this.nso[0] = bns;
    this.n = found ? 1 : 0;
  }
}

export class ConstTime extends TimeSrc {
  constructor(sec: number, nsec: number) {
    super();
    this.s = [sec];
    this.ns = [nsec];
    this.n = 1;
  }
  load(): void {}
}

/**
 * A time field: an absolute time recorded as text ("1362692526.869344000" or "Jul 30, 2000
 * 10:31:26.310131000 UTC"), or a relative time recorded as a number of seconds (exact below 2^22 s)
 * or, past that, as its exact text ("-4294967294.999999997"): see session.ts relTimeValue.
 */
export class FieldTime extends TimeSrc {
  private readonly so: number[] = [];
  private readonly nso: number[] = [];
  constructor(readonly f: Field) {
    super();
    this.s = this.so;
    this.ns = this.nso;
  }
  load(t: Tree): void {
    const a = t.get(this.f);
    let k = 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v === "number") {
        // v - sec is exact; a value just under a whole second rounds up to it.
        let sec = Math.floor(v);
        let ns = Math.round((v - sec) * 1e9);
        if (ns === 1e9) {
          sec++;
          ns = 0;
        }
        this.so[k] = sec;
        this.nso[k++] = ns;
      } else if (typeof v === "string" && parseTimeText(v)) {
        this.so[k] = ts;
        this.nso[k++] = tns;
      }
    }
    this.n = k;
  }
}

let ts = 0, tns = 0;
const MON = "JanFebMarAprMayJunJulAugSepOctNovDec";

/** Parses a recorded absolute time into (ts, tns) without allocating. */
function parseTimeText(s: string): boolean {
  let i = 0;
  const n = s.length;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x2d || (c0 >= 0x30 && c0 <= 0x39)) {
    // "[-]sec.nnnnnnnnn"
    const neg = c0 === 0x2d;
    if (neg) i++;
    let sec = 0;
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) sec = sec * 10 + (s.charCodeAt(i++) - 0x30);
    let ns = 0, digits = 0;
    if (s.charCodeAt(i) === 0x2e) {
      i++;
      while (i < n && digits < 9 && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
        ns = ns * 10 + (s.charCodeAt(i++) - 0x30);
        digits++;
      }
      while (digits++ < 9) ns *= 10;
    }
    if (neg) {
      // -1.25 is sec -2 + 0.75
      ts = ns === 0 ? -sec : -sec - 1;
      tns = ns === 0 ? 0 : 1e9 - ns;
    } else {
      ts = sec;
      tns = ns;
    }
    return true;
  }
  // "Mon DD, YYYY HH:MM:SS.nnnnnnnnn UTC"
  if (n < 20) return false;
  let mon = -1;
  for (let m = 0; m < 36; m += 3) {
    if (s.charCodeAt(0) === MON.charCodeAt(m) && s.charCodeAt(1) === MON.charCodeAt(m + 1) && s.charCodeAt(2) === MON.charCodeAt(m + 2)) {
      mon = m;
      break;
    }
  }
  if (mon < 0) return false;
  i = 4;
  const num = (): number => {
    while (s.charCodeAt(i) === 0x20) i++;
    let v = 0;
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) v = v * 10 + (s.charCodeAt(i++) - 0x30);
    i++; // separator
    return v;
  };
  const day = num();
  const year = num();
  const hh = num(), mm = num(), ss = s.charCodeAt(i - 1) === 0x3a ? num() : 0;
  let ns = 0, digits = 0;
  if (s.charCodeAt(i - 1) === 0x2e) {
    while (i < n && digits < 9 && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
      ns = ns * 10 + (s.charCodeAt(i++) - 0x30);
      digits++;
    }
    while (digits++ < 9) ns *= 10;
  }
  const ms = Date.UTC(year, mon / 3, day, hh, mm, ss);
  if (ms !== ms) return false;
  ts = Math.floor(ms / 1000);
  tns = ns;
  return true;
}

/** For tests: the (sec, nsec) of a recorded absolute-time text, or null. */
export function timeOfText(s: string): [number, number] | null {
  return parseTimeText(s) ? [ts, tns] : null;
}

// ---------------------------------------------------------------- comparisons
// Each returns <0, 0, >0, or NaN when the two cannot be ordered (then only != holds).

export type Cmp<S extends Src> = (a: S, i: number, b: S, j: number) => number;

export const cmpNum: Cmp<NumSrc> = (a, i, b, j) => {
  const x = a.v[i]!, y = b.v[j]!;
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
};

export const cmpV4: Cmp<V4Src> = (a, i, b, j) => {
  const m = (a.m ? a.m[i]! : 0xffffffff) & (b.m ? b.m[j]! : 0xffffffff);
  const x = (a.v[i]! & m) >>> 0, y = (b.v[j]! & m) >>> 0;
  return x < y ? -1 : x > y ? 1 : 0;
};

export const cmpBytes: Cmp<BytesSrc> = (a, i, b, j) => {
  const ab = a.b[i]!, ao = a.o ? a.o[i]! : 0, al = a.l ? a.l[i]! : ab.length;
  const bb = b.b[j]!, bo = b.o ? b.o[j]! : 0, bl = b.l ? b.l[j]! : bb.length;
  let bits = Infinity;
  if (a.p) bits = a.p[i]!;
  if (b.p) bits = Math.min(bits, b.p[j]!);
  if (bits !== Infinity) {
    // Prefix comparison (IPv6 "/n"): whole bytes, then the masked partial byte.
    const whole = bits >> 3, rest = bits & 7;
    for (let x = 0; x < whole; x++) {
      const d = (x < al ? ab[ao + x]! : -1) - (x < bl ? bb[bo + x]! : -1);
      if (d !== 0) return d;
    }
    if (rest === 0) return 0;
    const mask = (0xff << (8 - rest)) & 0xff;
    return (whole < al ? ab[ao + whole]! & mask : -1) - (whole < bl ? bb[bo + whole]! & mask : -1);
  }
  const n = al < bl ? al : bl;
  for (let x = 0; x < n; x++) {
    const d = ab[ao + x]! - bb[bo + x]!;
    if (d !== 0) return d;
  }
  return al - bl;
};

export const cmpStr: Cmp<StrSrc> = (a, i, b, j) => {
  const x = a.v[i]!, y = b.v[j]!;
  return x < y ? -1 : x > y ? 1 : 0;
};

export const cmpTime: Cmp<TimeSrc> = (a, i, b, j) => {
  const d = a.s[i]! - b.s[j]!;
  return d !== 0 ? d : a.ns[i]! - b.ns[j]!;
};

export function bytesContain(a: BytesSrc, i: number, b: BytesSrc, j: number): boolean {
  const ab = a.b[i]!, ao = a.o ? a.o[i]! : 0, al = a.l ? a.l[i]! : ab.length;
  const bb = b.b[j]!, bo = b.o ? b.o[j]! : 0, bl = b.l ? b.l[j]! : bb.length;
  if (bl === 0) return true;
  const first = bb[bo]!;
  outer: for (let x = 0; x + bl <= al; x++) {
    if (ab[ao + x] !== first) continue;
    for (let y = 1; y < bl; y++) if (ab[ao + x + y] !== bb[bo + y]) continue outer;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- UTF-8 without TextEncoder objects

/** Bytes of `s` in UTF-8, as writeUtf8 (and TextEncoder) write it: a lone surrogate is U+FFFD. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

