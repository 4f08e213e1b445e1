// The NIC model's "capture dissector": reads, with manual byte reads and no allocation, only what
// dispatch needs, into one reused `Classified` object. It never throws: a frame cut short by the
// snap length is classified as far as its bytes allow (missing ports mean "no port").
//
//   Ethernet:   dst 0..6 | src 6..12 | type 12..14 | (802.1Q/802.1ad/QinQ tags: TCI + type, 4 bytes each)
//   Linux SLL:  pkttype 0..2 | arphrd 2..4 | alen 4..6 | addr 6..14 | protocol 14..16 | payload 16..
//   Linux SLL2: protocol 0..2 | rsvd 2..4 | ifindex 4..8 | arphrd 8..10 | pkttype 10 | alen 11 | addr 12..20 | payload 20..
//   Raw IP (101, 228, 229) and BSD loopback (0, 108: 4-byte family, then IP)
//   IPv4:       vihl 0 | tot 2..4 | frag 6..8 | proto 9 | src 12..16 | dst 16..20 | options.. | L4 at ihl*4
//   IPv6:       nxt 6 | src 8..24 | dst 24..40 | extension headers (0, 43, 60, 44 fragment, 51 AH) | L4
//   TCP/UDP/DCCP/SCTP/UDP-Lite: sport 0..2 | dport 2..4 (TCP flags at 13)
//
// Link types without a destination MAC (SLL, SLL2, raw IP, loopback): the frame is taken as
// addressed to the host, i.e. to its canonical MAC (SLL's packet type still tells broadcast,
// multicast, "other host" and outgoing apart; raw IP uses the IP destination for broadcast and
// multicast). docs/nic-model.md says so.
import { isXarpHeader } from "../dissect/protocols/xarp-wire.js";
import { doubleFields } from "./doubles.js";

export const enum L3 {
  /** Not IP, not ARP (LLC, unknown ethertype, unknown link type). */
  OTHER = 0,
  ARP = 1,
  XARP = 2,
  IPV4 = 3,
  IPV6 = 4,
}

export const enum Cast {
  UNICAST = 0,
  BROADCAST = 1,
  MULTICAST = 2,
}

export const enum Frag {
  NONE = 0,
  FIRST = 1,
  /** A non-first fragment carries no transport header: no port. */
  LATER = 2,
}

/** Result of classify(); one object, overwritten for every frame. */
export class Classified {
  /** The frame was sent by the capturing host (SLL "outgoing"). */
  outgoing = false;
  /** The link layer carries a destination MAC (Ethernet). */
  hasDst = false;
  hasSrc = false;
  /** 48-bit MACs as numbers (0 when absent). */
  dst = 0;
  src = 0;
  cast = Cast.UNICAST;
  /** SLL packet type 3 ("to another host"): a unicast frame not for this host. */
  otherHost = false;
  vlans = 0;
  /** Ethertype after VLAN tags (0 when there is none, e.g. LLC or unknown link type). */
  etype = 0;
  l3 = L3.OTHER;
  /** Offset of the L3 header (ARP/XARP message, IP header) in the frame. */
  l3Off = 0;
  /** ARP, XARP, ICMP, ICMPv6 (so NDP), DHCP (UDP 67/68) and DHCPv6 (UDP 546/547). */
  control = false;
  /** Final IP protocol (after IPv6 extension headers); -1 when not IP or unknown. */
  ipProto = -1;
  /** IPv4 destination as an unsigned 32-bit number (IPv4 only). */
  dstIp4 = 0;
  srcIp4 = 0;
  /** Offset of the IPv6 destination address (16 bytes) in the frame (IPv6 only). */
  dstIp6Off = 0;
  frag = Frag.NONE;
  hasPorts = false;
  srcPort = 0;
  dstPort = 0;
  /** TCP flags byte (TCP only, else 0). */
  tcpFlags = 0;

  constructor() {
    // 48-bit MACs and IPv4 addresses from 128.0.0.0 on are not small integers
    doubleFields(this, ["dst", "src", "dstIp4", "srcIp4"]);
  }

  reset(): void {
    this.outgoing = false;
    this.hasDst = false;
    this.hasSrc = false;
    this.dst = 0;
    this.src = 0;
    this.cast = Cast.UNICAST;
    this.otherHost = false;
    this.vlans = 0;
    this.etype = 0;
    this.l3 = L3.OTHER;
    this.l3Off = 0;
    this.control = false;
    this.ipProto = -1;
    this.dstIp4 = 0;
    this.srcIp4 = 0;
    this.dstIp6Off = 0;
    this.frag = Frag.NONE;
    this.hasPorts = false;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
  }
}

const LT_NULL = 0;
const LT_ETHERNET = 1;
const LT_RAW = 101;
const LT_LOOP = 108;
const LT_SLL = 113;
const LT_IPV4 = 228;
const LT_IPV6 = 229;
const LT_SLL2 = 276;

const ET_IPV4 = 0x0800;
const ET_ARP = 0x0806;
const ET_IPV6 = 0x86dd;
const ET_VLAN = 0x8100;
const ET_QINQ = 0x88a8;
const ET_QINQ_OLD = 0x9100;

const MAX_TAGS = 8;
const MAX_EXT = 8;

function mac(d: Uint8Array, o: number): number {
  // high 16 bits times 2^32 plus the low 32: exact (below 2^53), one float multiply and add
  return ((d[o]! << 8) | d[o + 1]!) * 0x100000000 + (((d[o + 2]! << 24) | (d[o + 3]! << 16) | (d[o + 4]! << 8) | d[o + 5]!) >>> 0);
}

/**
 * Classifies one frame. `len` is the number of captured bytes (data.length unless the caller
 * passes fewer).
 */
export function classify(c: Classified, d: Uint8Array, len: number, linkType: number): void {
  classifyAt(c, d, 0, len, linkType);
}

/**
 * classify() for a frame that lies in a larger buffer, at d[at, at + len) (a capture reader's
 * chunk: no view to allocate per frame). The offsets it leaves in `c` (l3Off, dstIp6Off) are
 * relative to the frame's first byte, as classify()'s are.
 */
export function classifyAt(c: Classified, d: Uint8Array, at: number, len: number, linkType: number): void {
  c.reset();
  // offsets below are absolute (into d); `end` bounds the frame
  const end = at + len;
  let off: number;
  let et: number;
  switch (linkType) {
    case LT_ETHERNET: {
      if (len < 14) {
        if (len >= 6) {
          c.hasDst = true;
          c.dst = mac(d, at);
          c.cast = castOfMac(d[at]!, c.dst);
        }
        return;
      }
      c.hasDst = true;
      c.hasSrc = true;
      c.dst = mac(d, at);
      c.src = mac(d, at + 6);
      c.cast = castOfMac(d[at]!, c.dst);
      et = (d[at + 12]! << 8) | d[at + 13]!;
      off = at + 14;
      let tags = 0;
      while ((et === ET_VLAN || et === ET_QINQ || et === ET_QINQ_OLD) && tags < MAX_TAGS) {
        if (off + 4 > end) return;
        et = (d[off + 2]! << 8) | d[off + 3]!;
        off += 4;
        tags++;
      }
      c.vlans = tags;
      if (et < 0x0600) return; // 802.3 length field: LLC/SNAP, not IP (the kernel's business)
      break;
    }
    case LT_SLL: {
      if (len < 16) return;
      sllPacketType(c, (d[at]! << 8) | d[at + 1]!);
      if (((d[at + 4]! << 8) | d[at + 5]!) === 6) {
        c.hasSrc = true;
        c.src = mac(d, at + 6);
      }
      et = (d[at + 14]! << 8) | d[at + 15]!;
      off = at + 16;
      break;
    }
    case LT_SLL2: {
      if (len < 20) return;
      sllPacketType(c, d[at + 10]!);
      if (d[at + 11] === 6) {
        c.hasSrc = true;
        c.src = mac(d, at + 12);
      }
      et = (d[at]! << 8) | d[at + 1]!;
      off = at + 20;
      break;
    }
    case LT_RAW:
    case LT_IPV4:
    case LT_IPV6:
    case LT_NULL:
    case LT_LOOP: {
      off = at + (linkType === LT_NULL || linkType === LT_LOOP ? 4 : 0);
      if (off >= end) return;
      const v = d[off]! >> 4;
      if (v === 4) et = ET_IPV4;
      else if (v === 6) et = ET_IPV6;
      else return;
      break;
    }
    default:
      return;
  }
  c.etype = et;
  c.l3Off = off - at;
  if (et === ET_ARP) {
    c.control = true;
    c.l3 = off + 6 <= end && isXarpHeader(d, off) ? L3.XARP : L3.ARP;
    return;
  }
  if (et === ET_IPV4) {
    c.l3 = L3.IPV4;
    ipv4(c, d, end, off);
    return;
  }
  if (et === ET_IPV6) {
    c.l3 = L3.IPV6;
    ipv6(c, d, end, off);
    if (c.dstIp6Off !== 0) c.dstIp6Off -= at;
  }
}

function castOfMac(first: number, m: number): Cast {
  if ((first & 1) === 0) return Cast.UNICAST;
  return m === 0xffffffffffff ? Cast.BROADCAST : Cast.MULTICAST;
}

function sllPacketType(c: Classified, t: number): void {
  // LINUX_SLL_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4
  if (t === 1) c.cast = Cast.BROADCAST;
  else if (t === 2) c.cast = Cast.MULTICAST;
  else if (t === 3) c.otherHost = true;
  else if (t === 4) c.outgoing = true;
}

function ipv4(c: Classified, d: Uint8Array, end: number, o: number): void {
  if (o + 20 > end) return;
  const ihl = (d[o]! & 15) * 4;
  const proto = d[o + 9]!;
  c.ipProto = proto;
  c.srcIp4 = ((d[o + 12]! << 24) >>> 0) + (d[o + 13]! << 16) + (d[o + 14]! << 8) + d[o + 15]!;
  const dst = ((d[o + 16]! << 24) >>> 0) + (d[o + 17]! << 16) + (d[o + 18]! << 8) + d[o + 19]!;
  c.dstIp4 = dst;
  if (!c.hasDst) {
    if (dst === 0xffffffff) c.cast = Cast.BROADCAST;
    else if (dst >>> 28 === 0xe) c.cast = Cast.MULTICAST;
  }
  const fo = ((d[o + 6]! << 8) | d[o + 7]!) & 0x3fff; // MF + offset
  if (fo !== 0) c.frag = (fo & 0x1fff) !== 0 ? Frag.LATER : Frag.FIRST;
  if (proto === 1 || proto === 2) {
    c.control = true; // ICMP (and IGMP: host control plane)
  }
  if (c.frag === Frag.LATER || ihl < 20) return;
  transport(c, d, end, o + ihl, proto, false);
}

function ipv6(c: Classified, d: Uint8Array, end: number, o: number): void {
  if (o + 40 > end) return;
  c.dstIp6Off = o + 24;
  if (!c.hasDst && d[o + 24] === 0xff) c.cast = Cast.MULTICAST;
  let nxt = d[o + 6]!;
  let p = o + 40;
  for (let i = 0; i < MAX_EXT; i++) {
    if (nxt === 0 || nxt === 43 || nxt === 60) {
      if (p + 2 > end) {
        c.ipProto = -1;
        return;
      }
      const n = d[p]!;
      p += (d[p + 1]! + 1) * 8;
      nxt = n;
    } else if (nxt === 44) {
      if (p + 8 > end) {
        c.ipProto = -1;
        return;
      }
      const fo = ((d[p + 2]! << 8) | d[p + 3]!) & 0xfff9;
      if (fo !== 0) c.frag = fo >> 3 !== 0 ? Frag.LATER : Frag.FIRST;
      nxt = d[p]!;
      p += 8;
    } else if (nxt === 51) {
      if (p + 2 > end) {
        c.ipProto = -1;
        return;
      }
      const n = d[p]!;
      p += (d[p + 1]! + 2) * 4;
      nxt = n;
    } else break;
  }
  c.ipProto = nxt;
  if (nxt === 58) c.control = true; // ICMPv6, with NDP and MLD
  if (c.frag === Frag.LATER) return;
  transport(c, d, end, p, nxt, true);
}

function transport(c: Classified, d: Uint8Array, end: number, p: number, proto: number, v6: boolean): void {
  if (proto !== 6 && proto !== 17 && proto !== 33 && proto !== 132 && proto !== 136) return;
  if (p + 4 > end) return;
  c.hasPorts = true;
  c.srcPort = (d[p]! << 8) | d[p + 1]!;
  const dp = (d[p + 2]! << 8) | d[p + 3]!;
  c.dstPort = dp;
  if (proto === 6) {
    if (p + 14 <= end) c.tcpFlags = d[p + 13]!;
  } else if (proto === 17) {
    if (v6 ? dp === 546 || dp === 547 : dp === 67 || dp === 68) c.control = true; // DHCP / DHCPv6
  }
}

/** "0a:5e:71:0c:9d:42" for a 48-bit MAC number. */
export function macText(m: number): string {
  let s = "";
  for (let i = 5; i >= 0; i--) {
    const b = Math.floor(m / 2 ** (8 * i)) & 0xff;
    s += (i === 5 ? "" : ":") + (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

/** Parses "0a:5e:71:0c:9d:42" (also "-" or no separators); null when it is not a MAC. */
export function parseMac(s: string): number | null {
  const h = s.trim().toLowerCase().replace(/[:.-]/g, "");
  if (!/^[0-9a-f]{12}$/.test(h)) return null;
  return parseInt(h, 16);
}

export function isLocalUnicastMac(m: number): boolean {
  const first = Math.floor(m / 0x10000000000);
  return (first & 0x03) === 0x02;
}

export function ipv4Text(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function parseIpv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255) return null;
    v = v * 256 + b;
  }
  return v;
}

/** Parses an IPv6 address (RFC 4291 text forms, with an optional trailing dotted quad); null if invalid. */
export function parseIpv6(s: string): Uint8Array | null {
  let t = s.trim().toLowerCase();
  if (t.startsWith("[") && t.endsWith("]")) t = t.slice(1, -1);
  if (!/^[0-9a-f:.]+$/.test(t) || !t.includes(":")) return null;
  const out = new Uint8Array(16);
  let tail4: number | null = null;
  const lastColon = t.lastIndexOf(":");
  if (t.slice(lastColon + 1).includes(".")) {
    tail4 = parseIpv4(t.slice(lastColon + 1));
    if (tail4 === null) return null;
    t = t.slice(0, lastColon + 1) + "0:0";
  }
  const halves = t.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === "") return [];
    const gs = part.split(":");
    const r: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      r.push(parseInt(g, 16));
    }
    return r;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (a === null || b === null) return null;
  if (halves.length === 1 && a.length !== 8) return null;
  if (halves.length === 2 && a.length + b.length > 7) return null;
  const groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >> 8;
    out[2 * i + 1] = groups[i]! & 255;
  }
  if (tail4 !== null) {
    out[12] = tail4 >>> 24;
    out[13] = (tail4 >>> 16) & 255;
    out[14] = (tail4 >>> 8) & 255;
    out[15] = tail4 & 255;
  }
  return out;
}
