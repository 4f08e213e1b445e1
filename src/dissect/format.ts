// Turning field values into text, the way tshark prints them.
import { Base, FT, type Field } from "./fields.js";

/** A field value as recorded: numbers for integers, MACs (48-bit) and IPv4; bytes for IPv6/bytes. */
export type Val = number | string | Uint8Array;

const HEX = "0123456789abcdef";

export function hex2(b: number): string {
  return HEX[(b >> 4) & 15]! + HEX[b & 15]!;
}

/** Number of decimal digits of a non-negative integer. */
export function decDigits(v: number): number {
  if (v < 10) return 1;
  if (v < 100) return 2;
  if (v < 1000) return 3;
  if (v < 10000) return 4;
  let n = 1;
  while (v >= 10) {
    v = Math.floor(v / 10);
    n++;
  }
  return n;
}

/** Writes a non-negative integer as exactly `digits` decimal digits (zero-padded) at `p`. */
export function writeDec(b: Uint8Array, p: number, v: number, digits: number): void {
  let i = p + digits - 1;
  for (; i >= p && v > 0x7fffffff; i--) {
    const q = Math.floor(v / 10);
    b[i] = 48 + v - q * 10;
    v = q;
  }
  let w = v | 0;
  for (; i >= p; i--) {
    const q = (w / 10) | 0;
    b[i] = 48 + w - q * 10;
    w = q;
  }
}

export function etherToString(v: number): string {
  let s = "";
  for (let i = 5; i >= 0; i--) {
    const b = Math.floor(v / 2 ** (8 * i)) & 0xff;
    s += i === 5 ? hex2(b) : ":" + hex2(b);
  }
  return s;
}

export function etherAt(d: Uint8Array, o: number): number {
  return d[o]! * 0x10000000000 + d[o + 1]! * 0x100000000 + ((d[o + 2]! << 24) >>> 0) + (d[o + 3]! << 16) + (d[o + 4]! << 8) + d[o + 5]!;
}

export function etherStringAt(d: Uint8Array, o: number): string {
  return hex2(d[o]!) + ":" + hex2(d[o + 1]!) + ":" + hex2(d[o + 2]!) + ":" + hex2(d[o + 3]!) + ":" + hex2(d[o + 4]!) + ":" + hex2(d[o + 5]!);
}

export function ipv4At(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

export function ipv4ToString(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function ipv4StringAt(d: Uint8Array, o: number): string {
  return `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`;
}

/** RFC 5952 text form: lower case, longest run of two or more zero groups compressed. */
export function ipv6ToString(b: Uint8Array, o = 0): string {
  return V6_SCRATCH.toString("latin1", 0, writeIPv6(V6_SCRATCH, 0, b, o));
}

const V6_SCRATCH = Buffer.alloc(48);
const HEX_CODES = Uint8Array.from(HEX, (c) => c.charCodeAt(0));

const V6_GROUPS = new Int32Array(8);

/** Writes the text form of the IPv6 address at b[o..o+16) at out[q..]; returns the end. */
export function writeIPv6(out: Uint8Array, q: number, b: Uint8Array, o: number): number {
  const g = V6_GROUPS;
  for (let i = 0; i < 8; i++) g[i] = (b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!;
  // IPv4-mapped and IPv4-compatible forms are printed with a dotted quad, as Wireshark does.
  if ((g[0]! | g[1]! | g[2]! | g[3]! | g[4]!) === 0 && (g[5] === 0xffff || (g[5] === 0 && g[6] !== 0))) {
    out[q++] = 0x3a;
    out[q++] = 0x3a;
    if (g[5] === 0xffff) {
      for (let i = 0; i < 4; i++) out[q++] = 0x66;
      out[q++] = 0x3a;
    }
    for (let i = 12; i < 16; i++) {
      if (i > 12) out[q++] = 0x2e;
      q = writeByteDec(out, q, b[o + i]!);
    }
    return q;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out[q++] = 0x3a;
      out[q++] = 0x3a;
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLen) out[q++] = 0x3a;
    const v = g[i]!;
    if (v >= 0x1000) out[q++] = HEX_CODES[v >> 12]!;
    if (v >= 0x100) out[q++] = HEX_CODES[(v >> 8) & 15]!;
    if (v >= 0x10) out[q++] = HEX_CODES[(v >> 4) & 15]!;
    out[q++] = HEX_CODES[v & 15]!;
  }
  return q;
}

/**
 * Copies n bytes from the start of `src` to dst[q..], four at a time: for the ~50-100 bytes of an
 * Info column this is about twice as fast as `set(subarray())`, which makes a view object per call.
 */
export function copyBytes(dst: DataView, q: number, src: DataView, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) dst.setUint32(q + i, src.getUint32(i));
  for (; i < n; i++) dst.setUint8(q + i, src.getUint8(i));
}

const utf8 = new TextEncoder();

/**
 * Writes `s` as UTF-8 at b[q..] and returns the end; the caller makes room for 3 bytes per UTF-16
 * unit. Surrogate pairs (and lone surrogates, which become U+FFFD) are left to TextEncoder.
 */
export function writeUtf8(b: Uint8Array, q: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) b[q++] = c;
    else if (c < 0x800) {
      b[q++] = 0xc0 | (c >> 6);
      b[q++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      b[q++] = 0xe0 | (c >> 12);
      b[q++] = 0x80 | ((c >> 6) & 0x3f);
      b[q++] = 0x80 | (c & 0x3f);
    } else return q + utf8.encodeInto(s.substring(i), b.subarray(q)).written;
  }
  return q;
}

/** Writes 0..255 in decimal at out[q..]; returns the end. */
export function writeByteDec(out: Uint8Array, q: number, v: number): number {
  if (v >= 100) {
    const h = (v / 100) | 0;
    out[q++] = 48 + h;
    v -= h * 100;
    const t = (v / 10) | 0;
    out[q++] = 48 + t;
    out[q++] = 48 + v - t * 10;
  } else if (v >= 10) {
    const t = (v / 10) | 0;
    out[q++] = 48 + t;
    out[q++] = 48 + v - t * 10;
  } else out[q++] = 48 + v;
  return q;
}

export function bytesToHex(b: Uint8Array, sep = ""): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (i && sep ? sep : "") + hex2(b[i]!);
  return s;
}

/** The escape format_text writes for an ASCII control character: "\\n", "\\001"... */
export function controlEscape(c: number): string {
  const letter = CONTROL_LETTERS[c];
  return letter !== undefined ? "\\" + letter : "\\" + c.toString(8).padStart(3, "0");
}

const CONTROL_LETTERS: Record<number, string> = { 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r" };

/**
 * Length of the well-formed UTF-8 sequence at d[i] (2 to 4 bytes, before `end`), or 0 when the
 * byte starts none (overlong forms, surrogates and code points past U+10FFFF are not well formed).
 */
export function utf8SequenceAt(d: Uint8Array, i: number, end: number): number {
  const c = d[i]!;
  let n: number, lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > end) return 0;
  const c1 = d[i + 1]!;
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < n; k++) if ((d[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * Bytes d[a, b) as Wireshark 4.0's format_text shows them in labels and the Info column: printable
 * ASCII as is (backslash too), control characters escaped ("\\r", "\\001"), well-formed UTF-8
 * kept, any other byte a U+FFFD.
 */
export function formatText(d: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; ) {
    const c = d[i]!;
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c < 0x80) s += controlEscape(c);
    else {
      const n = utf8SequenceAt(d, i, b);
      if (n === 0) s += "\ufffd";
      else {
        s += decoder.decode(d.subarray(i, i + n));
        i += n;
        continue;
      }
    }
    i++;
  }
  return s;
}

/** A decoded string value as the detail tree shows it: up to a NUL, control characters escaped. */
export function formatString(v: string): string {
  const nul = v.indexOf("\0");
  if (nul >= 0) v = v.slice(0, nul);
  return /[\x00-\x1f\x7f]/.test(v) ? v.replace(/[\x00-\x1f\x7f]/g, (ch) => controlEscape(ch.charCodeAt(0))) : v;
}

const decoder = new TextDecoder();

/** Wireshark's label for a bytes item: hex, cut with an ellipsis after 36 bytes. */
export function bytesPreview(b: Uint8Array): string {
  return b.length > 36 ? bytesToHex(b.subarray(0, 36)) + "\u2026" : bytesToHex(b);
}

function hexWidth(f: Field, tree: boolean): number {
  // Exported values pad to the width of the field's type (tcp.flags is 0x0002); the detail tree
  // pads a masked field to its mask's nibbles ("Flow Label: 0x00000").
  if (tree && f.mask) {
    const top = Math.floor(Math.log2(f.mask / 2 ** f.shift)) + 1;
    return Math.max(1, Math.ceil(top / 4));
  }
  switch (f.type) {
    case FT.UINT8: return 2;
    case FT.UINT16: return 4;
    case FT.UINT24: return 6;
    case FT.UINT32: case FT.INT32: return 8;
    case FT.UINT64: return 16;
    default: return 1;
  }
}

export function hexOf(f: Field, v: number, tree = false): string {
  return "0x" + v.toString(16).padStart(hexWidth(f, tree), "0");
}

/** Value as `tshark -T fields` prints it. */
export function fieldValueText(f: Field, v: Val): string {
  switch (f.type) {
    case FT.ETHER: return etherToString(v as number);
    case FT.IPV4: return ipv4ToString(v as number);
    case FT.IPV6: return ipv6ToString(v as Uint8Array);
    case FT.BYTES: return v instanceof Uint8Array ? (v.length ? bytesToHex(v) : "<MISSING>") : String(v);
    case FT.PROTOCOL: return "";
    case FT.NONE: return "1";
    case FT.BOOLEAN: return v ? "1" : "0";
    case FT.STRING: return typeof v === "string" ? escapeControls(v) : String(v);
    // Seconds (exact below 2^22 s) or, past that, the exact text: session.ts relTimeValue.
    case FT.RELATIVE_TIME: return typeof v === "number" ? v.toFixed(9) : String(v);
    case FT.DOUBLE: case FT.ABSOLUTE_TIME: return String(v);
    default:
      if (typeof v !== "number") return String(v);
      // tshark 4.0 exports 64-bit integers in decimal whatever their display base.
      if ((f.base === Base.HEX || f.base === Base.HEX_DEC) && f.type !== FT.UINT64) return hexOf(f, v);
      return String(v);
  }
}

const CONTROL_ESCAPES: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };

/** tshark escapes these five in exported strings so one packet stays one line. */
function escapeControls(s: string): string {
  return /[\b\t\n\f\r]/.test(s) ? s.replace(/[\b\t\n\f\r]/g, (c) => CONTROL_ESCAPES[c]!) : s;
}

/** Value as shown after "Name: " in the detail tree. */
export function displayValue(f: Field, v: Val): string {
  switch (f.type) {
    case FT.BOOLEAN: {
      const tfs = f.tfs ?? ["True", "False"];
      return v ? tfs[0] : tfs[1];
    }
    // The tree shows at most 36 bytes, then an ellipsis; an empty value as "<MISSING>".
    case FT.BYTES: return v instanceof Uint8Array ? (v.length ? bytesPreview(v) : "<MISSING>") : String(v);
    case FT.STRING: return typeof v === "string" ? formatString(v) : String(v);
    case FT.UINT8: case FT.UINT16: case FT.UINT24: case FT.UINT32: case FT.UINT64: case FT.INT32: case FT.FRAMENUM: {
      const n = v as number;
      const s = f.strings?.get(n);
      let num: string;
      switch (f.base) {
        case Base.HEX: num = hexOf(f, n, true); break;
        case Base.DEC_HEX: num = `${n} (${hexOf(f, n, true)})`; break;
        case Base.HEX_DEC: num = `${hexOf(f, n, true)} (${n})`; break;
        case Base.OCT: num = "0" + n.toString(8); break;
        default: num = String(n);
      }
      if (f.strings) return `${s ?? "Unknown"} (${num})`;
      return num + f.unit;
    }
    default:
      return fieldValueText(f, v) + f.unit;
  }
}

/** "..0. .... = " prefix for a bitmask field, grouped in nibbles as Wireshark draws it. */
export function bitPattern(f: Field, raw: number): string {
  const width = f.bitWidth || 8;
  let s = "";
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(f.mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(raw / bit) % 2 === 1 ? "1" : "0") : ".";
    if (i > 0 && i % 4 === 0) s += " ";
  }
  return s + " = ";
}
