// From syntax tree to one predicate closure. Everything that can be decided from the filter text
// is decided here: field lookups, literal parsing against the type of the other side (so "10.0.0.0/8"
// becomes a network number and mask, "00:11:22" a byte array), type checks with a caret, and the
// choice of comparison loop. What runs per packet is the closures in runtime.ts.
import { FT, FT_NAMES, fieldByName, type Field } from "../fields.js";
import { etherToString, ipv4ToString, ipv6ToString } from "../format.js";
import type { Tree } from "../tree.js";
import { FilterError } from "./errors.js";
import {
  parseAbsTime, parseBytes, parseDouble, parseEther, parseInteger, parseIPv4, parseIPv6, parseSeconds, v4Mask,
} from "./literals.js";
import { parseFilter, type Expr, type SetElem, type Test } from "./parser.js";
import { compilePcre } from "./regex.js";
import {
  AbsNum, AbsTime, AndBytes, ArithNum, ArithTime, BytesLenNum, BytesSrc, BytesStr, CaseStr, ConstBytes, ConstNum,
  ConstStr, ConstTime, ConstV4, CountNum, EtherBytes, ExtremeNum, ExtremeTime, FieldBytes, FieldNum, FieldStr,
  FieldTime, FieldV4, FixedLenNum, FormatStr, NegNum, NegTime, NumSrc, SliceBytes, StrBytes, StrLenNum, StrSrc,
  TimeSrc, V4Bytes, V4Src, bytesContain, cmpBytes, cmpNum, cmpStr, cmpTime, cmpV4, type Cmp, type Pred, type Src,
} from "./runtime.js";

type Dom = "num" | "v4" | "bytes" | "str" | "time" | "none";

/** A compiled operand: where its values come from and what they are. */
interface Op {
  lit: false;
  dom: Dom;
  type: FT;
  src: Src;
  /** The field, when the operand is a plain field reference. */
  field: Field | null;
  /** Every field the operand reads (each must be present for a comparison to hold). */
  fields: Field[];
  pos: number;
  len: number;
}

/** An expression without fields, whose meaning depends on the type it is compared with. */
interface Lit {
  lit: true;
  e: Expr;
  pos: number;
  len: number;
}

/** Integer arithmetic gives signed 64-bit results in Wireshark (frame.len - 100 < 0 holds). */
const FT_INT64 = 100 as FT;

const TYPE_NAMES: Record<number, string> = {
  [FT.PROTOCOL]: "Protocol", [FT.NONE]: "Label", [FT.BOOLEAN]: "Boolean",
  [FT.UINT8]: "Unsigned integer (1 byte)", [FT.UINT16]: "Unsigned integer (2 bytes)",
  [FT.UINT24]: "Unsigned integer (3 bytes)", [FT.UINT32]: "Unsigned integer (4 bytes)",
  [FT.UINT64]: "Unsigned integer (8 bytes)", [FT.INT32]: "Signed integer (4 bytes)",
  [FT.DOUBLE]: "Floating point (double-precision)", [FT.ETHER]: "Ethernet or other MAC address",
  [FT.IPV4]: "IPv4 address", [FT.IPV6]: "IPv6 address", [FT.BYTES]: "Byte sequence",
  [FT.STRING]: "Character string", [FT.ABSOLUTE_TIME]: "Date and time", [FT.RELATIVE_TIME]: "Time offset",
  [FT.FRAMENUM]: "Frame number", [FT_INT64]: "Signed integer (8 bytes)",
};

function ftName(t: FT): string {
  return t === FT_INT64 ? "FT_INT64" : FT_NAMES[t] ?? "FT_?";
}

export function typeName(t: FT): string {
  return TYPE_NAMES[t] ?? FT_NAMES[t] ?? "unknown";
}

function isSigned(t: FT): boolean {
  return t === FT.INT32 || t === FT_INT64;
}

function isInt(t: FT): boolean {
  return t === FT_INT64 || t === FT.UINT8 || t === FT.UINT16 || t === FT.UINT24 || t === FT.UINT32 || t === FT.UINT64 || t === FT.INT32 || t === FT.FRAMENUM;
}

function intRange(t: FT): [bigint, bigint] {
  switch (t) {
    case FT.UINT8: return [0n, 255n];
    case FT.UINT16: return [0n, 65535n];
    case FT.UINT24: return [0n, 16777215n];
    case FT.UINT64: return [0n, 18446744073709551615n];
    case FT.INT32: return [-2147483648n, 2147483647n];
    case FT_INT64: return [-9223372036854775808n, 9223372036854775807n];
    default: return [0n, 4294967295n];
  }
}

function domOf(t: FT): Dom {
  switch (t) {
    case FT.IPV4: return "v4";
    case FT.IPV6: case FT.BYTES: case FT.PROTOCOL: return "bytes";
    case FT.STRING: return "str";
    // Relative times too: exact (seconds, nanoseconds) pairs, see runtime.ts TimeSrc.
    case FT.ABSOLUTE_TIME: case FT.RELATIVE_TIME: return "time";
    case FT.NONE: return "none";
    default: return "num";
  }
}

/** Types whose values have a byte representation (can be sliced, or compared with slices). */
function hasBytes(t: FT): boolean {
  return t === FT.BYTES || t === FT.PROTOCOL || t === FT.IPV6 || t === FT.ETHER || t === FT.IPV4 || t === FT.STRING;
}

function compatible(a: FT, b: FT): boolean {
  if (a === b) return true;
  if (isInt(a) && isInt(b)) return true;
  // A protocol is not text ("frame.protocols contains eth" is refused), but a slice may be.
  if ((a === FT.STRING && b === FT.PROTOCOL) || (a === FT.PROTOCOL && b === FT.STRING)) return false;
  if ((a === FT.BYTES || a === FT.PROTOCOL) && hasBytes(b)) return true;
  if ((b === FT.BYTES || b === FT.PROTOCOL) && hasBytes(a)) return true;
  return false;
}

/** A byte-size for len() of fixed-size values. */
function fixedSize(f: Field | null, t: FT): number {
  switch (t) {
    case FT.UINT8: return 1;
    case FT.UINT16: return 2;
    case FT.UINT24: return 3;
    case FT.UINT32: case FT.INT32: case FT.FRAMENUM: case FT.IPV4: return 4;
    case FT.UINT64: case FT.DOUBLE: return 8;
    case FT.ETHER: return 6;
    case FT.BOOLEAN: return f && f.bitWidth ? Math.ceil(f.bitWidth / 8) : 1;
    default: return 0;
  }
}

const EQ = (c: number) => c === 0;
const NE = (c: number) => c !== 0;
const LT = (c: number) => c < 0;
const LE = (c: number) => c <= 0;
const GT = (c: number) => c > 0;
const GE = (c: number) => c >= 0;
const TESTS: Record<string, (c: number) => boolean> = { "==": EQ, "!=": NE, "===": EQ, "!==": NE, "<": LT, "<=": LE, ">": GT, ">=": GE };

const enum Mode {
  /** Some pair of values passes. */
  ANY,
  /** No pair of values is equal (Wireshark's "!="). */
  NONE_EQ,
  /** Every pair passes, and there is at least one. */
  ALL,
}

const FUNCTIONS = new Set(["len", "count", "upper", "lower", "string", "max", "min", "abs"]);

export interface Compiled {
  test: Pred;
  fields: Field[];
}

export function compile(text: string): Compiled {
  const ast = parseFilter(text);
  const used = new Set<Field>();
  const err = (msg: string, at: { pos: number; len: number }): never => {
    throw new FilterError(msg, text, at.pos, at.len);
  };
  const src = (at: { pos: number; len: number }): string => text.slice(at.pos, at.pos + at.len);

  // ------------------------------------------------------------------ operands

  function fieldOp(f: Field, at: { pos: number; len: number }): Op {
    used.add(f);
    const dom = domOf(f.type);
    let s: Src;
    switch (dom) {
      case "v4": s = new FieldV4(f); break;
      case "bytes": s = new FieldBytes(f); break;
      case "str": s = new FieldStr(f); break;
      case "time": s = new FieldTime(f); break;
      default: s = new FieldNum(f);
    }
    return { lit: false, dom, type: f.type, src: s, field: f, fields: [f], pos: at.pos, len: at.len };
  }

  function derived(dom: Dom, type: FT, s: Src, from: Op[], at: { pos: number; len: number }): Op {
    const fields: Field[] = [];
    for (const o of from) for (const f of o.fields) if (!fields.includes(f)) fields.push(f);
    return { lit: false, dom, type, src: s, field: null, fields, pos: at.pos, len: at.len };
  }

  function expr(e: Expr): Op | Lit {
    switch (e.k) {
      case "word": {
        const f = fieldByName(e.text);
        return f ? fieldOp(f, e) : { lit: true, e, pos: e.pos, len: e.len };
      }
      case "str":
      case "char":
        return { lit: true, e, pos: e.pos, len: e.len };
      case "slice": {
        const inner = expr(e.e);
        if (inner.lit) return err(`"${src(inner)}" is neither a field nor a protocol name.`, inner);
        const b = asBytes(inner);
        if (!b) return err(`"${src(inner)}" is a ${typeName(inner.type)} and cannot be sliced into a sequence of bytes.`, inner);
        return derived("bytes", FT.BYTES, new SliceBytes(b, e.ranges), [inner], e);
      }
      case "call":
        return call(e);
      case "neg": {
        const a = expr(e.a);
        if (a.lit) return { lit: true, e, pos: e.pos, len: e.len };
        arithOk(a, "-");
        if (a.dom === "time") return derived("time", a.type, new NegTime(a.src as TimeSrc), [a], e);
        return derived("num", isInt(a.type) ? FT_INT64 : a.type, new NegNum(a.src as NumSrc), [a], e);
      }
      case "arith": {
        let a = expr(e.a), b = expr(e.b);
        if (a.lit && b.lit) return { lit: true, e, pos: e.pos, len: e.len };
        const known = (a.lit ? b : a) as Op;
        if (!(e.op === "&" && known.dom === "bytes")) arithOk(known, e.op);
        if (a.lit) a = resolve(a, (b as Op).type, (b as Op).field);
        if (b.lit) b = resolve(b, a.type, a.field);
        if (e.op === "&" && a.dom === "bytes" && (b.dom === "bytes" || hasBytes(b.type))) {
          return derived("bytes", FT.BYTES, new AndBytes(a.src as BytesSrc, asBytes(b)!), [a, b], e);
        }
        arithOk(a, e.op);
        arithOk(b, e.op);
        if (!compatible(a.type, b.type)) err(`${src(a)} and ${src(b)} are not of compatible types.`, b);
        if (a.dom === "time") return derived("time", a.type, new ArithTime(e.op, a.src as TimeSrc, b.src as TimeSrc), [a, b], e);
        const type = e.op !== "&" && isInt(a.type) ? FT_INT64 : a.type;
        return derived("num", type, new ArithNum(e.op, a.src as NumSrc, b.src as NumSrc, isInt(a.type)), [a, b], e);
      }
    }
  }

  function arithOk(o: Op, op: string): void {
    const ok = isInt(o.type) || o.type === FT.DOUBLE || (o.type === FT.RELATIVE_TIME && (op === "+" || op === "-"));
    if (!ok || (op === "&" && !isInt(o.type))) err(`${ftName(o.type)} cannot ${op}.`, o);
  }

  function asBytes(o: Op): BytesSrc | null {
    if (o.dom === "bytes") return o.src as BytesSrc;
    if (o.type === FT.ETHER) return new EtherBytes(o.src as NumSrc);
    if (o.type === FT.IPV4) return new V4Bytes(o.src as V4Src);
    if (o.type === FT.STRING) return new StrBytes(o.src as StrSrc);
    return null;
  }

  function call(e: Extract<Expr, { k: "call" }>): Op {
    const name = e.name;
    const at = { pos: e.pos, len: e.nlen };
    if (!FUNCTIONS.has(name)) return err(`Function '${name}' does not exist`, at);
    const variadic = name === "max" || name === "min";
    if (e.args.length === 0) err(`Function ${name} needs at least 1 arguments.`, at);
    if (!variadic && e.args.length > 1) err(`Function ${name} can only accept 1 arguments.`, at);
    const arg0 = e.args[0]!;
    switch (name) {
      case "count": {
        const f = arg0.k === "word" ? fieldByName(arg0.text) : undefined;
        if (!f) return err("Only fields can be used as parameter for count()", arg0);
        used.add(f);
        return derived("num", FT.UINT32, new CountNum(f), [fieldOp(f, arg0)], e);
      }
      case "len": {
        const a = expr(arg0);
        if (a.lit) return err("Only fields can be used as parameter for len()", arg0);
        let s: Src;
        if (a.dom === "bytes") s = new BytesLenNum(a.src as BytesSrc);
        else if (a.dom === "str") s = new StrLenNum(a.src as StrSrc);
        else s = new FixedLenNum(a.src, fixedSize(a.field, a.type));
        return derived("num", FT.UINT32, s, [a], e);
      }
      case "upper":
      case "lower": {
        const a = expr(arg0);
        if (a.lit || a.dom !== "str") return err(`Only string type fields can be used as parameter for ${name}()`, arg0);
        return derived("str", FT.STRING, new CaseStr(a.src as StrSrc, name === "upper"), [a], e);
      }
      case "string": {
        const a = expr(arg0);
        if (a.lit || !a.field) return err("Only fields can be used as parameter for string()", arg0);
        const f = a.field;
        let fmt: ((v: unknown) => string) | null = null;
        if (isInt(f.type)) fmt = (v) => String(v);
        else if (f.type === FT.ETHER) fmt = (v) => etherToString(v as number);
        else if (f.type === FT.IPV4) fmt = (v) => ipv4ToString(v as number);
        else if (f.type === FT.IPV6) fmt = (v) => ipv6ToString(v as Uint8Array);
        else if (f.type === FT.DOUBLE) fmt = (v) => String(v);
        if (!fmt) return err(`String conversion for field "${f.abbrev}" is not supported`, arg0);
        return derived("str", FT.STRING, new FormatStr(f, fmt), [a], e);
      }
      case "abs": {
        const a = expr(arg0);
        if (a.lit) return err("Only fields can be used as parameter for abs()", arg0);
        if (a.type === FT.RELATIVE_TIME) return derived("time", a.type, new AbsTime(a.src as TimeSrc), [a], e);
        if (a.dom !== "num" || a.type === FT.BOOLEAN || a.type === FT.ETHER) return err(`${ftName(a.type)} cannot be used with abs()`, arg0);
        return derived("num", a.type, new AbsNum(a.src as NumSrc), [a], e);
      }
      default: {
        // max, min
        const args = e.args.map(expr);
        const first = args.find((a): a is Op => !a.lit);
        if (!first) return err(`Function ${name}() needs at least one field argument`, at);
        const ops = args.map((a) => (a.lit ? resolve(a, first.type, first.field) : a));
        for (const o of ops) {
          if ((o.dom !== "num" && o.type !== FT.RELATIVE_TIME) || o.type === FT.BOOLEAN || o.type === FT.ETHER) err(`Argument to '${name}' must be a number, not ${typeName(o.type)}`, o);
          if (!compatible(o.type, first.type)) err(`Arguments to '${name}' must have the same type (expected ${ftName(first.type)}, got ${ftName(o.type)})`, o);
        }
        if (first.type === FT.RELATIVE_TIME) return derived("time", first.type, new ExtremeTime(ops.map((o) => o.src as TimeSrc), name === "max"), ops, e);
        return derived("num", first.type, new ExtremeNum(ops.map((o) => o.src as NumSrc), name === "max"), ops, e);
      }
    }
  }

  // ------------------------------------------------------------------ literals

  /** The literal's value as the given type (for the given field's value names). */
  function resolve(l: Lit, type: FT, field: Field | null): Op {
    const c = (dom: Dom, s: Src): Op => ({ lit: false, dom, type, src: s, field: null, fields: [], pos: l.pos, len: l.len });
    const e = l.e;
    const fname = field ? field.abbrev : typeName(type);

    if (e.k === "arith" || e.k === "neg") {
      if (type === FT.RELATIVE_TIME) return relTimeArith(l, e, field);
      if (domOf(type) !== "num" || type === FT.BOOLEAN || type === FT.ETHER) {
        return err(`${ftName(type)} cannot ${e.k === "neg" ? "-" : e.op}.`, e.k === "neg" ? l : { pos: e.opPos, len: 1 });
      }
      if (e.k === "neg") {
        if (e.a.k === "word" && isInt(type)) {
          if (!isSigned(type)) return c("num", new ConstNum(NaN)); // unsigned values are never negative
          return c("num", new ConstNum(intLiteral(`-${e.a.text}`, type, l)));
        }
        const v = constValue(resolve({ lit: true, e: e.a, pos: e.a.pos, len: e.a.len }, type, field));
        return c("num", new ConstNum(isInt(type) && !isSigned(type) ? NaN : -v));
      }
      const a = constValue(resolve({ lit: true, e: e.a, pos: e.a.pos, len: e.a.len }, type, field));
      const b = constValue(resolve({ lit: true, e: e.b, pos: e.b.pos, len: e.b.len }, type, field));
      const tmp = new ArithNum(e.op, new ConstNum(a), new ConstNum(b), isInt(type));
      tmp.load(null as unknown as Tree);
      return c("num", tmp.n ? new ConstNum(tmp.v[0]!) : new ConstNum(NaN));
    }
    if (e.k !== "word" && e.k !== "str" && e.k !== "char") return err(`"${src(l)}" is not a value.`, l);
    const word = e.k === "word" ? e.text : null;
    const str = e.k === "str" ? e.tok : null;
    const shown = word ?? (str ? str.text : e.k === "char" ? e.text : "");
    const fromString = (): never => err(`${typeName(type)} cannot be converted from a string (${shown}).`, l);

    switch (type) {
      case FT.BOOLEAN: {
        if (e.k === "char") return c("num", new ConstNum(e.value ? 1 : 0));
        const s = word ?? str!.str;
        const lower = s.toLowerCase();
        if (lower === "true") return c("num", new ConstNum(1));
        if (lower === "false") return c("num", new ConstNum(0));
        const n = parseInteger(s);
        if (n !== null) return c("num", new ConstNum(n !== 0n ? 1 : 0));
        const tfs = field?.tfs;
        if (tfs) {
          if (tfs[0].toLowerCase() === lower) return c("num", new ConstNum(1));
          if (tfs[1].toLowerCase() === lower) return c("num", new ConstNum(0));
        }
        return err(`"${s}" cannot be found among the possible values for ${fname}.`, l);
      }
      case FT.ETHER: {
        if (!word) return fromString();
        const v = parseEther(word);
        if (typeof v === "string") return err(v, l);
        return c("num", new ConstNum(v));
      }
      case FT.IPV4: {
        if (!word) return fromString();
        const v = parseIPv4(word);
        if (typeof v === "string") return err(v, l);
        if (v === null) return err(`"${word}" is not a valid IPv4 address.`, l);
        return c("v4", new ConstV4(v.addr, v4Mask(v.bits)));
      }
      case FT.IPV6: {
        if (!word) return fromString();
        const v = parseIPv6(word);
        if (typeof v === "string") return err(v, l);
        if (v === null) return err(`"${word}" is not a valid IPv6 address.`, l);
        return c("bytes", new ConstBytes(v.bytes, v.bits));
      }
      case FT.BYTES:
      case FT.PROTOCOL: {
        if (str) return c("bytes", new ConstBytes(str.bytes!));
        if (e.k === "char") {
          if (e.value > 255) return err(`${e.text} is not a valid byte.`, l);
          return c("bytes", new ConstBytes(Uint8Array.of(e.value)));
        }
        const b = parseBytes(word!);
        if (!b) return err(`"${word}" is not a valid byte string.`, l);
        return c("bytes", new ConstBytes(b));
      }
      case FT.STRING:
        if (e.k === "char") return c("str", new ConstStr(String.fromCodePoint(e.value)));
        return c("str", new ConstStr(word ?? str!.str));
      case FT.ABSOLUTE_TIME: {
        const s = word ?? (str ? str.str : null);
        const t = s === null ? null : (word !== null ? parseSeconds(word) : null) ?? parseAbsTime(s);
        if (!t) return err(`"${s ?? shown}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`, l);
        return c("time", new ConstTime(t.sec, t.nsec));
      }
      case FT.RELATIVE_TIME: {
        if (!word) return fromString();
        // As Wireshark's get_nsecs: digits past the nanoseconds may only be zeros.
        const t = /\.\d{9}\d*[1-9]/.test(word) ? null : parseSeconds(word);
        if (!t) return err(`"${word}" is not a valid time.`, l);
        return c("time", new ConstTime(t.sec, t.nsec));
      }
      case FT.DOUBLE: {
        if (e.k === "char") return c("num", new ConstNum(e.value));
        if (!word) return fromString();
        const v = parseDouble(word);
        if (v === null) return err(`"${word}" is not a valid number.`, l);
        return c("num", new ConstNum(v));
      }
      case FT.NONE:
        return err(`${fname} (type=Label) has no value to compare with.`, l);
      default: {
        // Integers: number, character constant, or a value name ("eth.type == IPv4").
        if (e.k === "char") return c("num", new ConstNum(e.value));
        if (word !== null && /^[0-9]/.test(word)) return c("num", new ConstNum(intLiteral(word, type, l)));
        const name = (word ?? str!.str).toLowerCase();
        if (field?.strings) {
          for (const [k, v] of field.strings) if (v.toLowerCase() === name) return c("num", new ConstNum(k));
          return err(`"${word ?? str!.str}" cannot be found among the possible values for ${fname}.`, l);
        }
        if (!word) return fromString();
        return err(`"${word}" is not a valid number.`, l);
      }
    }
  }

  function intLiteral(s: string, type: FT, at: { pos: number; len: number }): number {
    const neg = s.startsWith("-");
    const v = parseInteger(neg ? s.slice(1) : s);
    if (v === null) return err(`"${s}" is not a valid number.`, at);
    const x = neg ? -v : v;
    if (x > 18446744073709551615n || x < -9223372036854775808n) return err(`"${s}" causes an integer overflow.`, at);
    const [min, max] = intRange(type);
    if (x > max) return err(`"${s}" too big for this field, maximum ${max}.`, at);
    if (x < min) return err(`"${s}" too small for this field, minimum ${min}.`, at);
    return Number(x);
  }

  /** A constant relative-time expression ("-1.5", "1 - 0.25"): only + and - apply. */
  function relTimeArith(l: Lit, e: Extract<Expr, { k: "arith" | "neg" }>, field: Field | null): Op {
    const type = FT.RELATIVE_TIME;
    const part = (x: Expr): TimeSrc => resolve({ lit: true, e: x, pos: x.pos, len: x.len }, type, field).src as TimeSrc;
    let s: TimeSrc;
    if (e.k === "neg") s = new NegTime(part(e.a));
    else {
      if (e.op !== "+" && e.op !== "-") return err(`${ftName(type)} cannot ${e.op}.`, { pos: e.opPos, len: 1 });
      s = new ArithTime(e.op, part(e.a), part(e.b));
    }
    s.load(null as unknown as Tree);
    return { lit: false, dom: "time", type, src: new ConstTime(s.s[0]!, s.ns[0]!), field: null, fields: [], pos: l.pos, len: l.len };
  }

  function constValue(o: Op): number {
    const s = o.src;
    if (s instanceof ConstNum) return s.value;
    return err(`"${src(o)}" cannot be used in arithmetic.`, o);
  }

  // ------------------------------------------------------------------ tests

  /** A literal on the left: name it as Wireshark does. */
  function leftLiteral(l: Lit, opText: string): never {
    const s = src(l);
    if (l.e.k === "word" && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s)) return err(`"${s}" is neither a field nor a protocol name.`, l);
    return err(`Left side of "${opText}" expression must be a field or function, not ${s}.`, l);
  }

  /** Bring two operands to one domain; returns the sources and comparison to use. */
  function unify(a: Op, b: Op): { a: Src; b: Src; cmp: Cmp<Src> } {
    if (a.dom === b.dom && compatible(a.type, b.type)) {
      switch (a.dom) {
        case "num": return { a: a.src, b: b.src, cmp: cmpNum as Cmp<Src> };
        case "v4": return { a: a.src, b: b.src, cmp: cmpV4 as Cmp<Src> };
        case "bytes": return { a: a.src, b: b.src, cmp: cmpBytes as Cmp<Src> };
        case "str": return { a: a.src, b: b.src, cmp: cmpStr as Cmp<Src> };
        case "time": return { a: a.src, b: b.src, cmp: cmpTime as Cmp<Src> };
        default: break;
      }
    }
    if (compatible(a.type, b.type)) {
      const x = asBytes(a), y = asBytes(b);
      if (x && y) return { a: x, b: y, cmp: cmpBytes as Cmp<Src> };
    }
    return err(`${src(a)} and ${src(b)} are not of compatible types.`, b);
  }

  function cannot(o: Op, opText: string): never {
    return err(`${src(o)} (type=${typeName(o.type)}) cannot participate in ${opText} comparison.`, o);
  }

  function relation(n: Extract<Test, { k: "rel" }>): Pred {
    const l = expr(n.l);
    if (l.lit) return leftLiteral(l, n.opText);
    const r0 = expr(n.r);
    const mode = n.quant === "all" ? Mode.ALL : n.quant === "any" ? Mode.ANY : n.op === "!=" ? Mode.NONE_EQ : n.op === "===" ? Mode.ALL : Mode.ANY;
    const exists = (r: Op) => {
      const all = [...l.fields];
      for (const f of r.fields) if (!all.includes(f)) all.push(f);
      return all;
    };

    if (n.op === "matches") {
      if (!r0.lit || r0.e.k !== "str") return err("Matches requires a double quoted string on the right side.", r0);
      let s: StrSrc;
      if (l.dom === "str") s = l.src as StrSrc;
      else if (l.dom === "bytes" || l.type === FT.ETHER) s = new BytesStr(asBytes(l)!);
      else return cannot(l, n.opText);
      let re: RegExp;
      try {
        re = compilePcre(r0.e.tok.str);
      } catch (e) {
        return err(`Regex compilation error: ${(e as Error).message}.`, r0);
      }
      const ex = l.fields;
      return mode === Mode.ALL
        ? (t) => {
            if (!present(t, ex)) return false;
            s.load(t);
            if (s.n === 0) return false;
            for (let i = 0; i < s.n; i++) if (!re.test(s.v[i]!)) return false;
            return true;
          }
        : (t) => {
            s.load(t);
            for (let i = 0; i < s.n; i++) if (re.test(s.v[i]!)) return true;
            return false;
          };
    }

    if (n.op === "contains") {
      if (!(l.dom === "str" || l.dom === "bytes" || l.type === FT.ETHER) || l.type === FT.IPV6) return cannot(l, n.opText);
      const r = r0.lit ? resolve(r0, l.dom === "str" ? FT.STRING : FT.BYTES, null) : r0;
      if (r.dom === "none") return cannot(r, n.opText);
      if (!r0.lit && !compatible(l.type, r.type)) return err(`${src(l)} and ${src(r)} are not of compatible types.`, r);
      const ex = exists(r);
      if (l.dom === "str" && r.dom === "str") {
        const a = l.src as StrSrc, b = r.src as StrSrc;
        return quantified(ex, a, b, mode, (i, j) => a.v[i]!.includes(b.v[j]!));
      }
      const a = asBytes(l), b = asBytes(r);
      if (!a || !b) return err(`${src(l)} and ${src(r)} are not of compatible types.`, r);
      return quantified(ex, a, b, mode, (i, j) => bytesContain(a, i, b, j));
    }

    if (l.dom === "none") return cannot(l, n.opText);
    const r = r0.lit ? resolve(r0, l.type, l.field) : r0;
    if (r.dom === "none") return cannot(r, n.opText);
    const u = unify(l, r);
    const test = TESTS[n.op]!;
    const fast = fastPath(l, r, u, n.op, mode);
    if (fast) return fast;
    const cmp = u.cmp, a = u.a, b = u.b;
    return quantified(exists(r), a, b, mode, mode === Mode.NONE_EQ ? (i, j) => cmp(a, i, b, j) === 0 : (i, j) => test(cmp(a, i, b, j)));
  }

  /** field OP constant on plain numbers and IPv4: direct loops over the Tree's array. */
  function fastPath(l: Op, r: Op, u: { a: Src; b: Src }, op: string, mode: Mode): Pred | null {
    if (!l.field) return null;
    const f = l.field;
    if (u.a instanceof FieldNum && u.b instanceof ConstNum && (mode === Mode.ANY || (mode === Mode.NONE_EQ && op === "!="))) {
      const c = u.b.value;
      if (mode === Mode.NONE_EQ) {
        return (t) => {
          const v = t.get(f) as readonly number[];
          if (v.length === 0) return false;
          for (let i = 0; i < v.length; i++) if (v[i] === c) return false;
          return true;
        };
      }
      switch (op) {
        case "==": return (t) => { const v = t.get(f) as readonly number[]; for (let i = 0; i < v.length; i++) if (v[i] === c) return true; return false; };
        case "!==": return (t) => { const v = t.get(f) as readonly number[]; for (let i = 0; i < v.length; i++) if (v[i] !== c) return true; return false; };
        case "<": return (t) => { const v = t.get(f) as readonly number[]; for (let i = 0; i < v.length; i++) if (v[i]! < c) return true; return false; };
        case "<=": return (t) => { const v = t.get(f) as readonly number[]; for (let i = 0; i < v.length; i++) if (v[i]! <= c) return true; return false; };
        case ">": return (t) => { const v = t.get(f) as readonly number[]; for (let i = 0; i < v.length; i++) if (v[i]! > c) return true; return false; };
        case ">=": return (t) => { const v = t.get(f) as readonly number[]; for (let i = 0; i < v.length; i++) if (v[i]! >= c) return true; return false; };
        default: return null;
      }
    }
    if (u.a instanceof FieldV4 && u.b instanceof ConstV4 && (op === "==" || op === "!=") && mode !== Mode.ALL) {
      const net = u.b.v[0]!, mask = u.b.m ? u.b.m[0]! : 0xffffffff;
      if (op === "==") {
        return (t) => {
          const v = t.get(f) as readonly number[];
          for (let i = 0; i < v.length; i++) if (((v[i]! & mask) >>> 0) === net) return true;
          return false;
        };
      }
      if (mode === Mode.NONE_EQ) {
        return (t) => {
          const v = t.get(f) as readonly number[];
          if (v.length === 0) return false;
          for (let i = 0; i < v.length; i++) if (((v[i]! & mask) >>> 0) === net) return false;
          return true;
        };
      }
    }
    return null;
  }

  function quantified(exists: Field[], a: Src, b: Src, mode: Mode, pair: (i: number, j: number) => boolean): Pred {
    switch (mode) {
      case Mode.ANY:
        return (t) => {
          if (!present(t, exists)) return false;
          a.load(t);
          if (a.n === 0) return false;
          b.load(t);
          for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) if (pair(i, j)) return true;
          return false;
        };
      case Mode.NONE_EQ:
        // pair() here is "equal": true when the fields exist and no pair is equal.
        return (t) => {
          if (!present(t, exists)) return false;
          a.load(t);
          b.load(t);
          for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) if (pair(i, j)) return false;
          return true;
        };
      default:
        return (t) => {
          if (!present(t, exists)) return false;
          a.load(t);
          if (a.n === 0) return false;
          b.load(t);
          if (b.n === 0) return false;
          for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) if (!pair(i, j)) return false;
          return true;
        };
    }
  }

  function membership(n: Extract<Test, { k: "in" }>): Pred {
    const l = expr(n.l);
    if (l.lit) return leftLiteral(l, n.negated ? "not in" : "in");
    if (l.dom === "none") return cannot(l, "in");
    const fields = [...l.fields];
    type Check = (i: number) => boolean;
    const loads: Src[] = [];
    let lsrc: Src = l.src;
    const checks: Check[] = [];
    // Elements are compiled first so a slice on one side can turn the set into bytes.
    const elems: { lo: Op; hi: Op | null }[] = n.set.map((el: SetElem) => {
      const one = (x: Expr): Op => {
        const o = expr(x);
        const r = o.lit ? resolve(o, l.type, l.field) : o;
        if (r.dom === "none") return cannot(r, "in");
        for (const f of r.fields) if (!fields.includes(f)) fields.push(f);
        return r;
      };
      return { lo: one(el.lo), hi: el.hi ? one(el.hi) : null };
    });
    const bytesMode = elems.some((el) => el.lo.dom !== l.dom || (el.hi && el.hi.dom !== l.dom));
    if (bytesMode) {
      const b = asBytes(l);
      if (!b) {
        const bad = elems.find((el) => el.lo.dom !== l.dom)?.lo ?? elems[0]!.lo;
        return err(`${src(l)} and ${src(bad)} are not of compatible types.`, bad);
      }
      lsrc = b;
    }
    for (const el of elems) {
      const lo = unify({ ...l, src: lsrc, dom: bytesMode ? "bytes" : l.dom, type: bytesMode ? FT.BYTES : l.type }, el.lo);
      loads.push(lo.b);
      const a = lo.a, loSrc = lo.b, cmp = lo.cmp;
      if (!el.hi) {
        checks.push((i) => {
          for (let j = 0; j < loSrc.n; j++) if (cmp(a, i, loSrc, j) === 0) return true;
          return false;
        });
        continue;
      }
      const hi = unify({ ...l, src: lsrc, dom: bytesMode ? "bytes" : l.dom, type: bytesMode ? FT.BYTES : l.type }, el.hi);
      loads.push(hi.b);
      const hiSrc = hi.b;
      checks.push((i) => {
        let geLo = false;
        for (let j = 0; j < loSrc.n; j++) if (cmp(a, i, loSrc, j) >= 0) { geLo = true; break; }
        if (!geLo) return false;
        for (let j = 0; j < hiSrc.n; j++) if (cmp(a, i, hiSrc, j) <= 0) return true;
        return false;
      });
    }
    // Plain number field against constants ("tcp.port in {80, 443, 1000..2000}"): flat loops.
    const all = n.quant === "all";
    if (!all && !bytesMode && lsrc instanceof FieldNum
      && elems.every((el) => el.lo.src instanceof ConstNum && (!el.hi || el.hi.src instanceof ConstNum))) {
      const f = lsrc.f;
      const lo = elems.map((el) => (el.lo.src as ConstNum).value);
      const hi = elems.map((el) => (el.hi ? (el.hi.src as ConstNum).value : (el.lo.src as ConstNum).value));
      const k = lo.length;
      const hit = (t: Tree): boolean => {
        const v = t.get(f) as readonly number[];
        for (let i = 0; i < v.length; i++) {
          const x = v[i]!;
          for (let j = 0; j < k; j++) if (x >= lo[j]! && x <= hi[j]!) return true;
        }
        return false;
      };
      return n.negated ? (t) => !hit(t) : hit;
    }
    // "all x in {a, b}" is Wireshark's "all x == a or all x == b": each element on its own.
    const a = lsrc;
    const inSet = (t: Tree): boolean => {
      if (!present(t, fields)) return false;
      a.load(t);
      if (a.n === 0) return false;
      for (const s of loads) s.load(t);
      if (all) {
        for (let k = 0; k < checks.length; k++) {
          let every = true;
          for (let i = 0; i < a.n && every; i++) every = checks[k]!(i);
          if (every) return true;
        }
        return false;
      }
      for (let i = 0; i < a.n; i++) for (let k = 0; k < checks.length; k++) if (checks[k]!(i)) return true;
      return false;
    };
    return n.negated ? (t) => !inSet(t) : inSet;
  }

  function existence(n: Extract<Test, { k: "exists" }>): Pred {
    const e = n.e;
    if (e.k === "word") {
      const f = fieldByName(e.text);
      if (!f) return err(`"${e.text}" is neither a field nor a protocol name.`, e);
      used.add(f);
      return (t) => t.has(f);
    }
    if (e.k === "str" || e.k === "char") return err(`${e.k === "str" ? e.tok.text : e.text} is neither a field nor a protocol name.`, e);
    if (e.k === "call") return err("You cannot test whether a function is present.", { pos: e.pos, len: e.nlen });
    const o = expr(e);
    if (o.lit) return err(`"${src(o)}" is neither a field nor a protocol name.`, o);
    const s = o.src;
    if (e.k === "slice") {
      return (t) => {
        s.load(t);
        return s.n > 0;
      };
    }
    // Arithmetic as a test ("tcp.flags & 0x02"): true if some result is non-zero.
    if (s instanceof BytesSrc) {
      return (t) => {
        s.load(t);
        for (let i = 0; i < s.n; i++) {
          const b = s.b[i]!, off = s.o ? s.o[i]! : 0, len = s.l ? s.l[i]! : b.length;
          for (let x = 0; x < len; x++) if (b[off + x] !== 0) return true;
        }
        return false;
      };
    }
    if (s instanceof NumSrc) {
      return (t) => {
        s.load(t);
        for (let i = 0; i < s.n; i++) if (s.v[i] !== 0) return true;
        return false;
      };
    }
    if (s instanceof TimeSrc) {
      return (t) => {
        s.load(t);
        for (let i = 0; i < s.n; i++) if (s.s[i] !== 0 || s.ns[i] !== 0) return true;
        return false;
      };
    }
    return (t) => {
      s.load(t);
      return s.n > 0;
    };
  }

  function test(n: Test): Pred {
    switch (n.k) {
      case "true": return () => true;
      case "and": { const a = test(n.a), b = test(n.b); return (t) => a(t) && b(t); }
      case "or": { const a = test(n.a), b = test(n.b); return (t) => a(t) || b(t); }
      case "xor": { const a = test(n.a), b = test(n.b); return (t) => a(t) !== b(t); }
      case "not": { const a = test(n.a); return (t) => !a(t); }
      case "rel": return relation(n);
      case "in": return membership(n);
      case "exists": return existence(n);
    }
  }

  const pred = test(ast);
  return { test: pred, fields: [...used] };
}

function present(t: Tree, fields: readonly Field[]): boolean {
  for (let i = 0; i < fields.length; i++) if (!t.has(fields[i]!)) return false;
  return true;
}
