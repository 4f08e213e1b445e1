// Summary-line columns (source, destination, time) as tshark prints them.
import { ipv4StringAt, ipv6ToString } from "../format.js";
import { macNameAt } from "../mac-names.js";
import { AddrKind, type Packet } from "../packet.js";

function addr(d: Uint8Array, kind: AddrKind, off: number, text: string): string {
  switch (kind) {
    case AddrKind.ETHER: return macNameAt(d, off);
    case AddrKind.IPV4: return ipv4StringAt(d, off);
    case AddrKind.IPV6: return ipv6ToString(d, off);
    case AddrKind.TEXT: return text;
    default: return "";
  }
}

export function srcColumn(p: Packet): string {
  return addr(p.srcData, p.srcKind, p.srcOff, p.srcText);
}

export function dstColumn(p: Packet): string {
  return addr(p.dstData, p.dstKind, p.dstOff, p.dstText);
}

export type TimeFormat = "r" | "a" | "ad" | "adoy" | "e" | "d" | "dd" | "u" | "ud" | "udoy";
export const TIME_FORMATS: readonly TimeFormat[] = ["r", "a", "ad", "adoy", "e", "d", "dd", "u", "ud", "udoy"];

/** Seconds and nanoseconds printed with `digits` decimals (truncated, as Wireshark does). */
export function secNsecText(sec: number, nsec: number, digits: number): string {
  let neg = false;
  if (sec < 0 || (sec === 0 && nsec < 0)) {
    neg = true;
    sec = -sec;
    nsec = -nsec;
  }
  if (nsec < 0) {
    sec -= 1;
    nsec += 1e9;
  }
  const frac = digits > 0 ? "." + String(Math.floor(nsec / 10 ** (9 - digits))).padStart(digits, "0") : "";
  return (neg ? "-" : "") + sec + frac;
}

/** Difference a - b as (sec, nsec) with 0 <= nsec < 1e9 when a >= b. */
export function diffText(aSec: number, aNsec: number, bSec: number, bNsec: number, digits: number): string {
  let s = aSec - bSec;
  let n = aNsec - bNsec;
  if (s > 0 && n < 0) {
    s -= 1;
    n += 1e9;
  } else if (s < 0 && n > 0) {
    s += 1;
    n -= 1e9;
  }
  return secNsecText(s, n, digits);
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

function wallClock(sec: number, nsec: number, digits: number, utc: boolean, date: "none" | "ymd" | "doy"): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return secNsecText(sec, nsec, digits);
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const frac = digits > 0 ? "." + String(Math.floor(nsec / 10 ** (9 - digits))).padStart(digits, "0") : "";
  let prefix = "";
  if (date === "ymd") prefix = `${y}-${pad2(mo + 1)}-${pad2(day)} `;
  else if (date === "doy") {
    const start = utc ? Date.UTC(y, 0, 1) : new Date(y, 0, 1).getTime();
    const doy = Math.floor((d.getTime() - start) / 86400000) + 1;
    prefix = `${y}/${String(doy).padStart(3, "0")} `;
  }
  return `${prefix}${pad2(h)}:${pad2(mi)}:${pad2(s)}${frac}`;
}

export interface TimeRefs {
  firstSec: number;
  firstNsec: number;
  prevSec: number;
  prevNsec: number;
  prevDispSec: number;
  prevDispNsec: number;
}

export function timeColumn(fmt: TimeFormat, p: Packet, r: TimeRefs, digits: number): string {
  // A pcapng Simple Packet Block has no time: tshark leaves the column empty in every format.
  if (p.noTimestamp) return "";
  switch (fmt) {
    case "r": return diffText(p.tsSec, p.tsNsec, r.firstSec, r.firstNsec, digits);
    case "e": return secNsecText(p.tsSec, p.tsNsec, digits);
    case "d": return Number.isNaN(r.prevSec) ? secNsecText(0, 0, digits) : diffText(p.tsSec, p.tsNsec, r.prevSec, r.prevNsec, digits);
    case "dd": return Number.isNaN(r.prevDispSec) ? secNsecText(0, 0, digits) : diffText(p.tsSec, p.tsNsec, r.prevDispSec, r.prevDispNsec, digits);
    case "a": return wallClock(p.tsSec, p.tsNsec, digits, false, "none");
    case "ad": return wallClock(p.tsSec, p.tsNsec, digits, false, "ymd");
    case "adoy": return wallClock(p.tsSec, p.tsNsec, digits, false, "doy");
    case "u": return wallClock(p.tsSec, p.tsNsec, digits, true, "none");
    case "ud": return wallClock(p.tsSec, p.tsNsec, digits, true, "ymd");
    case "udoy": return wallClock(p.tsSec, p.tsNsec, digits, true, "doy");
  }
}
