// One line per packet, in tshark's default column layout:
//   number, time, source → destination, protocol, length, info
// `writeSummary` encodes the line straight into the output buffer (numbers, addresses and times
// as bytes, no intermediate strings); `summaryLine` gives the same text as a string.
import { dstColumn, srcColumn, timeColumn, type TimeFormat, type TimeRefs } from "./columns.js";
import { AddrKind, type Packet } from "../packet.js";
import { decDigits, writeByteDec, writeDec, writeIPv6 } from "../format.js";

/** What writeSummary writes into: a byte buffer with a cursor (the CLI's Out). */
export interface LineSink {
  readonly buf: Uint8Array;
  pos: number;
  /** Flushes if fewer than `n` bytes are free. */
  room(n: number): void;
  write(s: string): void;
  byte(c: number): void;
  decPad(v: number, width: number): void;
  dec(v: number): void;
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

// Longest fixed part of a line: number, time, addresses (IPv6 text is at most 45 characters),
// arrow, length; the protocol and info strings are written separately.
const FIXED_MAX = 256;
const SPACES = 0x20;

/** Writes the summary line of `p` and a newline; the same text as summaryLine(). */
export function writeSummary(out: LineSink, p: Packet, fmt: TimeFormat, refs: TimeRefs, digits: number): void {
  out.room(FIXED_MAX);
  out.decPad(p.num, 5);
  out.byte(SPACES);
  if (!writeTime(out, fmt, p, refs, digits)) {
    const t = timeColumn(fmt, p, refs, digits);
    for (let i = t.length; i < 10; i++) out.byte(SPACES);
    out.write(t);
  }
  out.byte(SPACES);
  writeAddr(out, p, p.srcKind, p.srcOff, p.srcText, 12, true);
  if (addrEmpty(p.srcKind, p.srcText) && addrEmpty(p.dstKind, p.dstText)) out.byte(SPACES);
  else {
    out.room(FIXED_MAX);
    const b = out.buf;
    let q = out.pos;
    // " → " in UTF-8
    b[q++] = SPACES;
    b[q++] = 0xe2;
    b[q++] = 0x86;
    b[q++] = 0x92;
    b[q++] = SPACES;
    out.pos = q;
  }
  writeAddr(out, p, p.dstKind, p.dstOff, p.dstText, 12, false);
  out.byte(SPACES);
  out.write(p.protocol);
  out.room(FIXED_MAX);
  out.byte(SPACES);
  out.dec(p.wireLen);
  out.byte(SPACES);
  const info = p.info;
  const n = info.len;
  out.room(n + 1);
  const b = out.buf;
  const src = info.bytes;
  let q = out.pos;
  for (let i = 0; i < n; i++) b[q++] = src[i]!;
  b[q++] = 10;
  out.pos = q;
}

function addrEmpty(kind: AddrKind, text: string): boolean {
  return kind === AddrKind.NONE || (kind === AddrKind.TEXT && text === "");
}

/** Column text of an address, right-aligned (source) or left-aligned (destination) in `width`. */
function writeAddr(out: LineSink, p: Packet, kind: AddrKind, off: number, text: string, width: number, right: boolean): void {
  const d = p.data;
  const b = out.buf;
  if (kind === AddrKind.IPV4) {
    const n = ipv4Len(d, off);
    let q = out.pos;
    if (right) for (let i = n; i < width; i++) b[q++] = SPACES;
    for (let i = 0; i < 4; i++) {
      if (i) b[q++] = 0x2e;
      q = writeByteDec(b, q, d[off + i]!);
    }
    if (!right) for (let i = n; i < width; i++) b[q++] = SPACES;
    out.pos = q;
    return;
  }
  if (kind === AddrKind.ETHER) {
    // 17 characters: wider than the column, never padded.
    let q = out.pos;
    for (let i = 0; i < 6; i++) {
      if (i) b[q++] = 0x3a;
      const v = d[off + i]!;
      b[q++] = HEX[v >> 4]!;
      b[q++] = HEX[v & 15]!;
    }
    out.pos = q;
    return;
  }
  if (kind === AddrKind.IPV6) {
    const start = out.pos;
    let q = writeIPv6(b, start, d, off);
    const n = q - start;
    if (n < width) {
      if (right) {
        b.copyWithin(start + width - n, start, q);
        b.fill(SPACES, start, start + width - n);
      } else b.fill(SPACES, q, start + width);
      q = start + width;
    }
    out.pos = q;
    return;
  }
  const s = kind === AddrKind.TEXT ? text : "";
  if (right) for (let i = s.length; i < width; i++) out.byte(SPACES);
  out.write(s);
  if (!right) for (let i = s.length; i < width; i++) out.byte(SPACES);
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

/**
 * The time column for the formats that are a plain non-negative seconds value (relative, epoch,
 * deltas), right-aligned in 10 columns, truncated to `digits` decimals as Wireshark does. Returns
 * false when the string formatter must handle it (wall-clock formats, negative values).
 */
function writeTime(out: LineSink, fmt: TimeFormat, p: Packet, r: TimeRefs, digits: number): boolean {
  let sec = p.tsSec, nsec = p.tsNsec;
  switch (fmt) {
    case "r": sec -= r.firstSec; nsec -= r.firstNsec; break;
    case "e": break;
    case "d": if (Number.isNaN(r.prevSec)) { sec = 0; nsec = 0; } else { sec -= r.prevSec; nsec -= r.prevNsec; } break;
    case "dd": if (Number.isNaN(r.prevDispSec)) { sec = 0; nsec = 0; } else { sec -= r.prevDispSec; nsec -= r.prevDispNsec; } break;
    default: return false;
  }
  if (nsec < 0 && sec > 0) {
    sec -= 1;
    nsec += 1e9;
  }
  if (sec < 0 || nsec < 0 || nsec >= 1e9 || !Number.isSafeInteger(sec)) return false;
  const sd = decDigits(sec);
  const len = sd + (digits > 0 ? digits + 1 : 0);
  const b = out.buf;
  let q = out.pos;
  for (let i = len; i < 10; i++) b[q++] = SPACES;
  writeDec(b, q, sec, sd);
  q += sd;
  if (digits > 0) {
    b[q++] = 0x2e;
    writeDec(b, q, Math.floor(nsec / POW10[9 - digits]!), digits);
    q += digits;
  }
  out.pos = q;
  return true;
}

