// One line per packet, in tshark's default column layout:
//   number, time, source → destination, protocol, length, info
// `writeSummary` encodes the line straight into the output buffer (numbers, addresses and times
// as bytes, no intermediate strings); `summaryLine` gives the same text as a string.
import { dstColumn, srcColumn, timeColumn, type TimeFormat, type TimeRefs } from "./columns.js";
import { AddrKind, type Packet } from "../packet.js";
import { macNameAt, macResolution } from "../mac-names.js";
import { copyBytes, decDigits, writeByteDec, writeDec, writeIPv6, writeUtf8 } from "../format.js";

/** What writeSummary writes into: a byte buffer with a cursor (the CLI's Out). */
export interface LineSink {
  readonly buf: Uint8Array;
  /** The same bytes as `buf`. */
  readonly view: DataView;
  pos: number;
  /** Flushes if fewer than `n` bytes are free. */
  room(n: number): void;
}

function padStart(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}
function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function summaryLine(p: Packet, time: string): string {
  const src = srcColumn(p);
  const dst = dstColumn(p);
  const arrow = src || dst ? " → " : " ";
  return `${padStart(String(p.num), 5)} ${padStart(time, 10)} ${padStart(src, 12)}${arrow}${padEnd(dst, 12)} ${p.protocol} ${p.wireLen} ${p.info.toString()}`;
}

// Longest fixed part of a line, with room to spare: number, time (a wall-clock time with its date
// is under 40 characters), addresses (IPv6 text is at most 45), arrow, length. Text addresses and
// the protocol are reserved by their length.
const FIXED_MAX = 256;
const SPACE = 0x20;
const V6_TEXT = new Uint8Array(48);

/**
 * Writes the summary line of `p` and a newline; the same text as summaryLine(). Room for the
 * whole line is made once, then every part is written by position into the buffer.
 */
export function writeSummary(out: LineSink, p: Packet, fmt: TimeFormat, refs: TimeRefs, digits: number): void {
  const info = p.info;
  // Resolved MAC names (tshark's default) are written as text; -n keeps the byte path.
  let srcKind = p.srcKind, srcText = p.srcText, dstKind = p.dstKind, dstText = p.dstText;
  if (macResolution()) {
    if (srcKind === AddrKind.ETHER) (srcKind = AddrKind.TEXT), (srcText = macNameAt(p.srcData, p.srcOff));
    if (dstKind === AddrKind.ETHER) (dstKind = AddrKind.TEXT), (dstText = macNameAt(p.dstData, p.dstOff));
  }
  out.room(FIXED_MAX + 3 * (srcText.length + dstText.length + p.protocol.length) + info.len);
  const b = out.buf;
  let q = padDec(b, out.pos, p.num, 5);
  b[q++] = SPACE;
  // Seconds are written as bytes; wall-clock times, negative values and packets without a time
  // go through the string formatter.
  const t = isSecondsFormat(fmt) && !p.noTimestamp ? writeSeconds(b, q, fmt, p, refs, digits) : -1;
  if (t >= 0) q = t;
  else {
    const text = timeColumn(fmt, p, refs, digits);
    for (let i = text.length; i < 10; i++) b[q++] = SPACE;
    q = writeUtf8(b, q, text);
  }
  b[q++] = SPACE;
  q = writeAddr(b, q, p.srcData, srcKind, p.srcOff, srcText, 12, true);
  if (addrEmpty(srcKind, srcText) && addrEmpty(dstKind, dstText)) b[q++] = SPACE;
  else {
    // " → " in UTF-8
    b[q++] = SPACE;
    b[q++] = 0xe2;
    b[q++] = 0x86;
    b[q++] = 0x92;
    b[q++] = SPACE;
  }
  q = writeAddr(b, q, p.dstData, dstKind, p.dstOff, dstText, 12, false);
  b[q++] = SPACE;
  q = writeUtf8(b, q, p.protocol);
  b[q++] = SPACE;
  q = padDec(b, q, p.wireLen, 0);
  b[q++] = SPACE;
  copyBytes(out.view, q, info.view, info.len);
  q += info.len;
  b[q++] = 10;
  out.pos = q;
}

function addrEmpty(kind: AddrKind, text: string): boolean {
  return kind === AddrKind.NONE || (kind === AddrKind.TEXT && text === "");
}

/** A non-negative integer right-aligned in `width` columns; returns the end. */
function padDec(b: Uint8Array, q: number, v: number, width: number): number {
  const n = decDigits(v);
  for (let i = n; i < width; i++) b[q++] = SPACE;
  writeDec(b, q, v, n);
  return q + n;
}

/** Column text of an address, right-aligned (source) or left-aligned (destination) in `width`. */
function writeAddr(b: Uint8Array, q: number, d: Uint8Array, kind: AddrKind, off: number, text: string, width: number, right: boolean): number {
  if (kind === AddrKind.IPV4) {
    const n = ipv4Len(d, off);
    if (right) for (let i = n; i < width; i++) b[q++] = SPACE;
    q = writeByteDec(b, q, d[off]!);
    for (let i = 1; i < 4; i++) {
      b[q++] = 0x2e;
      q = writeByteDec(b, q, d[off + i]!);
    }
    if (!right) for (let i = n; i < width; i++) b[q++] = SPACE;
    return q;
  }
  if (kind === AddrKind.ETHER) {
    // 17 characters: wider than the column, never padded.
    for (let i = 0; i < 6; i++) {
      if (i) b[q++] = 0x3a;
      const v = d[off + i]!;
      b[q++] = HEX[v >> 4]!;
      b[q++] = HEX[v & 15]!;
    }
    return q;
  }
  if (kind === AddrKind.IPV6) {
    if (!right) {
      const start = q;
      q = writeIPv6(b, q, d, off);
      while (q < start + width) b[q++] = SPACE;
      return q;
    }
    // Right-aligned: the length is known only once written.
    const n = writeIPv6(V6_TEXT, 0, d, off);
    for (let i = n; i < width; i++) b[q++] = SPACE;
    for (let i = 0; i < n; i++) b[q++] = V6_TEXT[i]!;
    return q;
  }
  const s = kind === AddrKind.TEXT ? text : "";
  if (right) for (let i = s.length; i < width; i++) b[q++] = SPACE;
  q = writeUtf8(b, q, s);
  if (!right) for (let i = s.length; i < width; i++) b[q++] = SPACE;
  return q;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const HEX = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

function ipv4Len(d: Uint8Array, off: number): number {
  let n = 3;
  for (let i = 0; i < 4; i++) {
    const v = d[off + i]!;
    n += v >= 100 ? 3 : v >= 10 ? 2 : 1;
  }
  return n;
}

function isSecondsFormat(fmt: TimeFormat): boolean {
  return fmt === "r" || fmt === "e" || fmt === "d" || fmt === "dd";
}

/**
 * The time column for the formats that are a plain non-negative seconds value (relative, epoch,
 * deltas), right-aligned in 10 columns, truncated to `digits` decimals as Wireshark does. Returns
 * the end, or -1 when the string formatter must handle it (negative values).
 */
function writeSeconds(b: Uint8Array, q: number, fmt: TimeFormat, p: Packet, r: TimeRefs, digits: number): number {
  let sec = p.tsSec, nsec = p.tsNsec;
  switch (fmt) {
    case "r": sec -= r.firstSec; nsec -= r.firstNsec; break;
    case "e": break;
    case "d": if (Number.isNaN(r.prevSec)) { sec = 0; nsec = 0; } else { sec -= r.prevSec; nsec -= r.prevNsec; } break;
    case "dd": if (Number.isNaN(r.prevDispSec)) { sec = 0; nsec = 0; } else { sec -= r.prevDispSec; nsec -= r.prevDispNsec; } break;
    default: return -1;
  }
  if (nsec < 0 && sec > 0) {
    sec -= 1;
    nsec += 1e9;
  }
  if (sec < 0 || nsec < 0 || nsec >= 1e9 || !Number.isSafeInteger(sec)) return -1;
  const sd = decDigits(sec);
  const len = sd + (digits > 0 ? digits + 1 : 0);
  for (let i = len; i < 10; i++) b[q++] = SPACE;
  writeDec(b, q, sec, sd);
  q += sd;
  if (digits > 0) {
    b[q++] = 0x2e;
    writeDec(b, q, Math.floor(nsec / POW10[9 - digits]!), digits);
    q += digits;
  }
  return q;
}
