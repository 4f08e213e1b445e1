// MAC address names, resolved as tshark does by default (`-n` turns it off, `-N m` on): a name
// from an ethers file, else a well-known address or range, else the manufacturer's short name
// followed by the bytes it does not cover ("Broadcast", "IPv6mcast_16", "Cisco_12:34:56").
//
// The names come from the files Wireshark installs (its `manuf` and `wka` in the data directory),
// /etc/ethers and the personal ethers file (in $WIRESHARK_CONFIG_DIR or ~/.config/wireshark),
// read on the first lookup. Without Wireshark's files only the ethers names and a few
// well-known addresses are known.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { etherAt, etherToString, hex2 } from "./format.js";

/**
 * Where Wireshark's data files are looked for: $WIRESHARK_DATA_DIR when set (as Wireshark does,
 * though tshark ignores it when run as root), else where packages install them.
 */
const dataDirs = (): string[] => (process.env.WIRESHARK_DATA_DIR ? [process.env.WIRESHARK_DATA_DIR] : ["/usr/share/wireshark", "/usr/local/share/wireshark"]);

/** Used where Wireshark's data files are absent: addresses whose meaning is fixed by standards. */
const BUILTIN = "FF-FF-FF-FF-FF-FF\tBroadcast\n01-00-5E/25\tIPv4mcast\n33-33-00-00-00-00/16\tIPv6mcast\n";

/**
 * Names are kept as positions in the files' bytes (start * 4096 + length) and decoded when asked
 * for. The manuf file (over 50,000 lines, sorted by address) is not parsed whole: the lines of a
 * manufacturer's prefix are found by binary search the first time an address under it is looked
 * up, which keeps a run's start-up cost at reading the file.
 */
interface Tables {
  text: Buffer;
  /** text[0, manufEnd) is the manuf file; the smaller files after it are parsed at once. */
  manufEnd: number;
  /** Prefixes whose manuf lines have been read. */
  manufRead: Set<number>;
  /** Whole addresses (ethers files and 48-bit entries). */
  exact: Map<number, number>;
  /** Address ranges, keyed by the range's first address; one table for every mask length. */
  ranges: Map<number, number>;
  /** 24-bit prefixes: the short name, and the long name where the line has one. */
  oui: Map<number, number>;
  ouiLong: Map<number, number>;
}

let resolveMac = false;
let tables: Tables | null = null;
const cache = new Map<number, string>();
const CACHE_MAX = 1 << 16;

/** Turn MAC name resolution on or off for this process (tshark's `m` resolution flag). */
export function setMacResolution(on: boolean): void {
  resolveMac = on;
}

export function macResolution(): boolean {
  return resolveMac;
}

/** The name tshark shows for a 48-bit address value (the numeric form when resolution is off). */
export function macName(v: number): string {
  if (!resolveMac) return etherToString(v);
  let s = cache.get(v);
  if (s === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear();
    s = resolveName(v, loadTables());
    cache.set(v, s);
  }
  return s;
}

export function macNameAt(d: Uint8Array, off: number): string {
  return macName(etherAt(d, off));
}

/** "name (address)" as a resolved address shows in the detail tree; the address alone when off. */
export function macLabel(v: number): string {
  return resolveMac ? `${macName(v)} (${etherToString(v)})` : etherToString(v);
}

export function macLabelAt(d: Uint8Array, off: number): string {
  return macLabel(etherAt(d, off));
}

/** The manufacturer's full name for a 24-bit prefix (shown in eth.*.oui_resolved even with -n). */
export function ouiName(oui: number): string | undefined {
  const t = loadTables();
  readManuf(t, oui);
  const at = t.ouiLong.get(oui) ?? t.oui.get(oui);
  return at === undefined ? undefined : nameAt(t, at);
}

function resolveName(v: number, t: Tables): string {
  const hi = Math.floor(v / 0x1000000);
  readManuf(t, hi);
  if ((hi & 0x10000) !== 0) readManuf(t, hi & 0xfeffff);
  const exact = t.exact.get(v);
  if (exact !== undefined) return nameAt(t, exact);
  // Ranges from the longest prefix down to whole 24-bit prefixes, then the manufacturer (a group
  // address also under its individual prefix), then the shorter ranges.
  for (let bits = 47; bits >= 8; bits--) {
    if (bits === 23) {
      const m = t.oui.get(hi) ?? ((hi & 0x10000) !== 0 ? t.oui.get(hi & 0xfeffff) : undefined);
      if (m !== undefined) return `${nameAt(t, m)}_${tail(v, 24)}`;
    }
    const key = prefix(v, bits);
    // Below 24 bits the key is another prefix's first address: its manuf lines count too.
    if (bits < 24) readManuf(t, key / 0x1000000);
    const name = t.ranges.get(key);
    if (name !== undefined) return `${nameAt(t, name)}_${tail(v, bits)}`;
  }
  return etherToString(v);
}

/** The first `bits` bits of a 48-bit address, the rest zero. */
function prefix(v: number, bits: number): number {
  const keep = 2 ** (48 - bits);
  return v - (v % keep);
}

/**
 * The bytes a `bits`-long prefix does not fully cover, the first one masked to the bits outside
 * the prefix: "fb" past 40 bits, "0f:ff" past 36, three bytes past a manufacturer's 24.
 */
function tail(v: number, bits: number): string {
  let s = "";
  for (let i = bits >> 3; i < 6; i++) {
    let b = Math.floor(v / 2 ** (8 * (5 - i))) % 256;
    if (i === bits >> 3) b &= 0xff >> (bits & 7);
    s += (s ? ":" : "") + hex2(b);
  }
  return s;
}

function nameAt(t: Tables, at: number): string {
  return t.text.toString("utf8", Math.floor(at / 4096), Math.floor(at / 4096) + (at % 4096));
}

function loadTables(): Tables {
  if (tables) return tables;
  const conf = process.env.WIRESHARK_CONFIG_DIR || join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "wireshark");
  let manuf: Buffer | null = null, dir = "";
  for (const d of dataDirs()) {
    manuf = readBytes(join(d, "manuf"));
    if (manuf) {
      dir = d;
      break;
    }
  }
  // Lowest precedence first, a later line replacing an earlier: tshark names an address the wka
  // file lists before looking in the ethers files, and the personal file before /etc/ethers.
  const rest = [readBytes("/etc/ethers"), readBytes(join(conf, "ethers")), manuf ? readBytes(join(dir, "wka")) : Buffer.from(BUILTIN)];
  const parts = [manuf ?? Buffer.alloc(0), NL, ...rest.flatMap((b) => (b ? [b, NL] : []))];
  const text = Buffer.concat(parts);
  const manufEnd = manuf?.length ?? 0;
  const t: Tables = { text, manufEnd, manufRead: new Set(), exact: new Map(), ranges: new Map(), oui: new Map(), ouiLong: new Map() };
  for (let at = manufEnd; at < text.length; ) at = parseLine(t, text, at, true);
  tables = t;
  return t;
}

/** Reads the manuf lines of one 24-bit prefix; what the later files say about an address wins. */
function readManuf(t: Tables, oui: number): void {
  if (t.manufRead.has(oui)) return;
  t.manufRead.add(oui);
  const b = t.text;
  // Lower bound: the first line at or after a position whose prefix is not below `oui`.
  let lo = 0, hi = t.manufEnd;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (prefixAt(b, lineAt(b, mid, t.manufEnd), t.manufEnd) < oui) lo = mid + 1;
    else hi = mid;
  }
  for (let at = lineAt(b, lo, t.manufEnd); at < t.manufEnd && prefixAt(b, at, t.manufEnd) === oui; ) at = parseLine(t, b, at, false);
}

/** Start of the first address line at or after `pos` (a line start), or `end`. */
function lineAt(b: Buffer, pos: number, end: number): number {
  while (pos < end && pos > 0 && b[pos - 1] !== 0x0a) pos++;
  while (pos < end && hexVal(b[pos]!) < 0) {
    while (pos < end && b[pos] !== 0x0a) pos++;
    pos++;
  }
  return Math.min(pos, end);
}

/** The 24-bit prefix a manuf line starts with ("00:1B:C5..."); past the end, above any prefix. */
function prefixAt(b: Buffer, at: number, end: number): number {
  if (at >= end) return 0x1000000;
  let v = 0;
  for (let k = 0; k < 3; k++, at += 3) v = v * 256 + hexVal(b[at]!) * 16 + hexVal(b[at + 1]!);
  return v;
}

const NL = Buffer.from("\n");

function readBytes(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/**
 * One line "address[/bits] short-name [long name]", '#' to its end a comment; returns where the
 * next line starts. `replace`: a line replaces what an earlier one said about its address.
 */
function parseLine(t: Tables, s: Buffer, i: number, replace: boolean): number {
  let end = i;
  while (end < s.length && s[end] !== 0x0a) end++;
  const next = end + 1;
  let stop = i;
  while (stop < end && s[stop] !== 0x23) stop++;
  while (i < stop && isSpace(s[i]!)) i++;
  // Address: 3 to 6 hex bytes separated by ':', '-' or '.', then an optional "/bits".
  let hi = 0, lo = 0, count = 0;
  while (count < 6) {
    const h1 = hexVal(s[i]!);
    if (h1 < 0) return next;
    let v = h1;
    const h2 = hexVal(s[i + 1]!);
    if (h2 >= 0) (v = v * 16 + h2), i++;
    i++;
    if (count < 3) hi = hi * 256 + v;
    else lo = lo * 256 + v;
    count++;
    const c = s[i];
    if (c !== 0x3a && c !== 0x2d && c !== 0x2e) break;
    i++;
  }
  if (count < 3) return next;
  for (let k = count; k < 6; k++) lo *= 256;
  let bits = count * 8;
  const explicit = s[i] === 0x2f;
  if (explicit) {
    bits = 0;
    for (i++; i < stop && s[i]! >= 0x30 && s[i]! <= 0x39; i++) bits = bits * 10 + s[i]! - 0x30;
    if (bits < 8 || bits > 48) return next;
  }
  if (i >= stop || !isSpace(s[i]!)) return next;
  while (i < stop && isSpace(s[i]!)) i++;
  const nameStart = i;
  while (i < stop && !isSpace(s[i]!)) i++;
  if (i === nameStart || i - nameStart >= 4096) return next;
  const name = nameStart * 4096 + (i - nameStart);
  const v = hi * 0x1000000 + lo;
  if (bits === 48) put(t.exact, v, name, replace);
  else if (bits === 24 && !explicit) {
    if (!replace && t.oui.has(hi)) return next;
    t.oui.set(hi, name);
    while (i < stop && isSpace(s[i]!)) i++;
    let e = stop;
    while (e > i && isSpace(s[e - 1]!)) e--;
    if (e > i && e - i < 4096) t.ouiLong.set(hi, i * 4096 + (e - i));
    else t.ouiLong.delete(hi);
  } else put(t.ranges, prefix(v, bits), name, replace);
  return next;
}

function put(m: Map<number, number>, k: number, v: number, replace: boolean): void {
  if (replace || !m.has(k)) m.set(k, v);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}
