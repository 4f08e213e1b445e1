// Local time zone abbreviations as the C library prints them (strftime's %Z), which is what
// tshark shows after an absolute time ("CET", "EST", "IST", "+11"). ICU (Intl) names most zones
// "GMT+1" instead, so the names come from the zone's TZif file (RFC 8536), found as glibc finds
// it: $TZ (":name", "/path" or "name" under $TZDIR or /usr/share/zoneinfo), else /etc/localtime.
// The UTC offset itself is always JavaScript's (Date), so names and wall-clock digits agree.
import { readFileSync } from "node:fs";

interface TimeType {
  utoff: number;
  isdst: boolean;
  name: string;
}

export interface Zone {
  /** Transition instants (seconds), ascending, and the time type that starts at each. */
  readonly times: number[];
  readonly idx: number[];
  readonly types: TimeType[];
  /** The POSIX TZ rule that applies after the last transition (the TZif v2+ footer). */
  readonly rule: PosixRule | null;
}

export interface PosixRule {
  std: string;
  /** Offset east of UTC in seconds (POSIX writes it west: "CET-1" is +3600). */
  stdOff: number;
  dst: string | null;
}

/** The abbreviation in effect at `sec` (seconds since the epoch) in the local zone. */
export function localZoneName(sec: number): string {
  zone ??= loadLocalZone();
  return zoneNameAt(zone, sec, -new Date(sec * 1000).getTimezoneOffset() * 60);
}
let zone: Zone | undefined;

/** Which name `z` gives the instant `sec`, whose UTC offset (seconds east) is `offset`. */
export function zoneNameAt(z: Zone, sec: number, offset: number): string {
  const n = z.times.length;
  if (z.rule !== null && (n === 0 || sec >= z.times[n - 1]!)) {
    const r = z.rule;
    return offset === r.stdOff || r.dst === null ? r.std : r.dst;
  }
  if (n === 0 || sec < z.times[0]!) return z.types[0]?.name ?? offsetName(offset);
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (z.times[mid]! <= sec) lo = mid;
    else hi = mid - 1;
  }
  return z.types[z.idx[lo]!]?.name ?? offsetName(offset);
}

function offsetName(offset: number): string {
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60);
  return (offset < 0 ? "-" : "+") + String(h).padStart(2, "0") + (m ? String(m).padStart(2, "0") : "");
}

const UTC_ZONE: Zone = { times: [], idx: [], types: [{ utoff: 0, isdst: false, name: "UTC" }], rule: { std: "UTC", stdOff: 0, dst: null } };

function loadLocalZone(): Zone {
  const tz = process.env.TZ;
  if (tz === "") return UTC_ZONE;
  let path = "/etc/localtime";
  if (tz !== undefined) {
    const name = tz.startsWith(":") ? tz.slice(1) : tz;
    path = name.startsWith("/") ? name : `${process.env.TZDIR ?? "/usr/share/zoneinfo"}/${name}`;
  }
  try {
    const z = parseTzif(readFileSync(path));
    if (z) return z;
  } catch {
    // not a zone file name: maybe a POSIX rule ("EST5EDT", "UTC0") below
  }
  const rule = tz !== undefined ? parsePosixRule(tz.replace(/^:/, "")) : null;
  return rule ? { times: [], idx: [], types: [], rule } : UTC_ZONE;
}

/** Parses a TZif file (versions 1-4); null when it is not one. */
export function parseTzif(b: Uint8Array): Zone | null {
  if (b.length < 44 || b[0] !== 0x54 || b[1] !== 0x5a || b[2] !== 0x69 || b[3] !== 0x66) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = b[4]!;
  let h = 0;
  let wide = false;
  if (version >= 0x32) {
    // Skip the 32-bit block to the 64-bit one that follows it.
    h = 44 + blockLength(dv, 0, 4);
    if (h + 44 > b.length || b[h] !== 0x54) return null;
    wide = true;
  }
  const isutcnt = dv.getUint32(h + 20), isstdcnt = dv.getUint32(h + 24), leapcnt = dv.getUint32(h + 28);
  const timecnt = dv.getUint32(h + 32), typecnt = dv.getUint32(h + 36), charcnt = dv.getUint32(h + 40);
  const tw = wide ? 8 : 4;
  let o = h + 44;
  const end = o + blockLength(dv, h, tw);
  if (end > b.length || typecnt === 0) return null;
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++, o += tw) times.push(wide ? Number(dv.getBigInt64(o)) : dv.getInt32(o));
  const idx: number[] = [];
  for (let i = 0; i < timecnt; i++) idx.push(b[o++]!);
  const raw: { utoff: number; isdst: boolean; ai: number }[] = [];
  for (let i = 0; i < typecnt; i++, o += 6) raw.push({ utoff: dv.getInt32(o), isdst: b[o + 4] !== 0, ai: b[o + 5]! });
  const chars = b.subarray(o, o + charcnt);
  const types = raw.map((r) => ({ utoff: r.utoff, isdst: r.isdst, name: cString(chars, r.ai) }));
  o += charcnt + leapcnt * (tw + 4) + isstdcnt + isutcnt;
  let rule: PosixRule | null = null;
  if (wide && b[o] === 0x0a) {
    const nl = b.indexOf(0x0a, o + 1);
    if (nl > o) rule = parsePosixRule(String.fromCharCode(...b.subarray(o + 1, nl)));
  }
  return { times, idx, types, rule };
}

function blockLength(dv: DataView, h: number, tw: number): number {
  const isutcnt = dv.getUint32(h + 20), isstdcnt = dv.getUint32(h + 24), leapcnt = dv.getUint32(h + 28);
  const timecnt = dv.getUint32(h + 32), typecnt = dv.getUint32(h + 36), charcnt = dv.getUint32(h + 40);
  return timecnt * (tw + 1) + typecnt * 6 + charcnt + leapcnt * (tw + 4) + isstdcnt + isutcnt;
}

function cString(chars: Uint8Array, at: number): string {
  let s = "";
  for (let i = at; i < chars.length && chars[i] !== 0; i++) s += String.fromCharCode(chars[i]!);
  return s;
}

/** The names and standard offset of a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3", "<-03>3"). */
export function parsePosixRule(s: string): PosixRule | null {
  let i = 0;
  const name = (): string | null => {
    if (s[i] === "<") {
      const e = s.indexOf(">", i);
      if (e < 0) return null;
      const n = s.slice(i + 1, e);
      i = e + 1;
      return n;
    }
    const m = /^[A-Za-z]{3,}/.exec(s.slice(i));
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const std = name();
  if (std === null) return null;
  const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(s.slice(i));
  if (!m) return null;
  i += m[0].length;
  const west = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  const stdOff = m[1] === "-" ? west : 0 - west;
  const dst = i < s.length && s[i] !== "," ? name() : null;
  return { std, stdOff, dst };
}
