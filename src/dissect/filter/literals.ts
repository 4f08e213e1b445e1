// Parsers for the literal forms a display filter accepts, each returning null (or a message) on
// failure so the compiler can point at the token. All of this runs once, at compile time.

/** Integer literal as Wireshark reads it (strtoull base 0, plus 0b binary): 42, 0x2a, 052, 0b101010. */
export function parseInteger(text: string): bigint | null {
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(text))) return BigInt("0x" + m[1]);
  if ((m = /^0[bB]([01]+)$/.exec(text))) return BigInt("0b" + m[1]);
  if ((m = /^0([0-7]+)$/.exec(text))) return BigInt("0o" + m[1]);
  if (/^0[0-9]/.test(text)) return null; // "09": not octal, and not decimal either
  if (/^[0-9]+$/.test(text)) return BigInt(text);
  return null;
}

export interface V4 {
  addr: number;
  /** Prefix length (32 without a /n suffix). */
  bits: number;
}

/** Dotted quad, optionally with "/bits". Leading zeros are refused, as inet_pton does. */
export function parseIPv4(text: string): V4 | string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d+))?$/.exec(text);
  if (!m) return null;
  let addr = 0;
  for (let i = 1; i <= 4; i++) {
    const s = m[i]!;
    if (s.length > 1 && s[0] === "0") return null;
    const v = Number(s);
    if (v > 255) return null;
    addr = addr * 256 + v;
  }
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return `Netmask bits in a CIDR IPv4 address should be <= 32, not ${m[5]}`;
  return { addr, bits };
}

export function v4Mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export interface V6 {
  bytes: Uint8Array;
  bits: number;
}

/** Any RFC 4291 text form ("::", "fe80::1", "::ffff:1.2.3.4", full), optionally with "/bits". */
export function parseIPv6(text: string): V6 | string | null {
  let s = text;
  let bits = 128;
  const slash = s.indexOf("/");
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^\d+$/.test(b)) return null;
    bits = Number(b);
    s = s.slice(0, slash);
    if (parseIPv6(s) === null) return null;
    if (bits > 128) return `Prefix in a IPv6 address should be <= 128, not ${b}`;
  }
  if (!s.includes(":")) return null;
  const groups: number[] = [];
  // A trailing dotted quad stands for the last two groups.
  let tail4: number[] | null = null;
  const lastColon = s.lastIndexOf(":");
  if (s.indexOf(".", lastColon) >= 0) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === null || typeof v4 === "string" || v4.bits !== 32) return null;
    tail4 = [v4.addr >>> 16, v4.addr & 0xffff];
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith("::")) s = s.slice(0, -1);
    if (s === "") return null;
  }
  const dbl = s.indexOf("::");
  if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const extra = tail4 ? 2 : 0;
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (!head || !tail) return null;
    const fill = 8 - head.length - tail.length - extra;
    if (fill < 1) return null;
    groups.push(...head, ...new Array<number>(fill).fill(0), ...tail);
  } else {
    const all = parseGroups(s);
    if (!all || all.length + extra !== 8) return null;
    groups.push(...all);
  }
  if (tail4) groups.push(...tail4);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = groups[i]! >> 8;
    bytes[2 * i + 1] = groups[i]! & 0xff;
  }
  return { bytes, bits };
}

/**
 * A byte string: hex bytes separated by ":", "-" or "." ("00:11:22", "0.1.0.d"), Cisco-style groups
 * of four ("0011.2233.4455"), bare hex ("001122", or one digit), or one "0xHH".
 */
export function parseBytes(text: string): Uint8Array | null {
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]{2})$/.exec(text))) return Uint8Array.of(parseInt(m[1]!, 16));
  if (/^[0-9a-fA-F]+$/.test(text)) {
    if (text.length === 1) return Uint8Array.of(parseInt(text, 16));
    if (text.length % 2 !== 0) return null;
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  if (/^[0-9a-fA-F]{1,2}([:.-][0-9a-fA-F]{1,2})+$/.test(text)) {
    return Uint8Array.from(text.split(/[:.-]/), (g) => parseInt(g, 16));
  }
  if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(text)) {
    const out: number[] = [];
    for (const g of text.split(".")) out.push(parseInt(g.slice(0, 2), 16), parseInt(g.slice(2), 16));
    return Uint8Array.from(out);
  }
  return null;
}

/** A MAC address as the 48-bit number the Tree records, or an error message. */
export function parseEther(text: string): number | string {
  const b = parseBytes(text);
  if (b === null) return `"${text}" is not a valid Ethernet address.`;
  if (b.length < 6) return `"${text}" contains too few bytes to be a valid Ethernet address.`;
  if (b.length > 6) return `"${text}" contains too many bytes to be a valid Ethernet address.`;
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 256 + b[i]!;
  return v;
}

/** Seconds and nanoseconds; nsec is always 0..999999999 (sec carries the sign). */
export interface Time {
  sec: number;
  nsec: number;
}

/** "12.5", "0.000418": a decimal number of seconds, exact to the nanosecond. */
export function parseSeconds(text: string): Time | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === "" && (m[2] ?? "") === "") || text === ".") return null;
  const frac = (m[2] ?? "").slice(0, 9).padEnd(9, "0");
  return { sec: Number(m[1] || "0"), nsec: Number(frac) };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * An absolute time: ISO 8601 ("2011-07-04 12:34:56", "2011-07-04T12:34:56.5Z", "+02:00" offsets)
 * or Wireshark's legacy "Nov 12, 1999 08:55:44.123" with an optional " UTC". Without a zone the
 * time is local, as in Wireshark.
 */
export function parseAbsTime(text: string): Time | null {
  const s = text.trim();
  let y: number, mo: number, d: number, hh = 0, mi = 0, ss = 0;
  let frac = "";
  let zone: string | undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    y = Number(m[1]); mo = Number(m[2]) - 1; d = Number(m[3]);
    if (m[4] !== undefined) { hh = Number(m[4]); mi = Number(m[5]); ss = Number(m[6] ?? 0); frac = m[7] ?? ""; }
    zone = m[8];
  } else {
    m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:\s+(UTC))?$/i.exec(s);
    if (!m) return null;
    mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return null;
    d = Number(m[2]); y = Number(m[3]);
    if (m[4] !== undefined) { hh = Number(m[4]); mi = Number(m[5]); ss = Number(m[6] ?? 0); frac = m[7] ?? ""; }
    zone = m[8];
  }
  if (mo > 11 || d < 1 || d > 31 || hh > 23 || mi > 59 || ss > 60) return null;
  let ms: number;
  if (zone === undefined) ms = new Date(y, mo, d, hh, mi, ss).getTime();
  else {
    ms = Date.UTC(y, mo, d, hh, mi, ss);
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) ms -= (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60000;
  }
  if (Number.isNaN(ms)) return null;
  return { sec: Math.floor(ms / 1000), nsec: Number(frac.slice(0, 9).padEnd(9, "0")) };
}

/** Floating point literal (C strtod subset). */
export function parseDouble(text: string): number | null {
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}
