// Generic Routing Encapsulation (RFC 2784, RFC 2890; RFC 1701 routing; RFC 2637 enhanced GRE),
// IP protocol 47, as Wireshark 4.0's packet-gre.c shows it.
//   flags and version 0..2 | protocol type 2..4 | then, each only when its flag says so:
//   checksum + offset (C or R) 4 bytes | key (K) 4 | sequence number (S) 4 | ack number (A, v1) 4 |
//   source route entries (R) | WCCP2 redirect header (type 0x883e) 4 | payload
//
// The payload goes to Wireshark's "gre.proto" table, which is not the ethertype table: IPv4
// (0x0800, and WCCP 0x883e), IPv6, ARP and Ethernet (transparent bridging 0x6558, MikroTik EoIP
// 0x6400). Anything else is shown as data inside the GRE item, as tshark does. The inner
// packet's dissectors set the columns (Info and addresses are the inner packet's).
//
// Enhanced GRE (version 1, PPTP): a PPP payload makes the key a payload length + call ID and adds
// the acknowledgment number; arpx has no PPP dissector, so the PPP payload shows as data.
// Not decoded: the 3GPP2 attributes of CDMA2000 A10 (types 0x8881, 0x88d2).
import { Base, FT, registerExperts, registerProtocol, TFS_YES, vals } from "../fields.js";
import { callData, ipProtos } from "../dispatch.js";
import { IPPROTO } from "./ipproto-names.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { dissectArp } from "./arp.js";
import { dissectEth } from "./eth.js";
import { onesSum } from "./icmp.js";
import { dissectIPv4 } from "./ipv4.js";
import { dissectIPv6 } from "./ipv6.js";

const FLAGS = 0, PROTO = 2, HDR = 4;

const C = 0x8000, R = 0x4000, K = 0x2000, S = 0x1000, A = 0x0080, VERSION = 0x0007;

/** Types Wireshark's GRE knows by name (gre_typevals). */
export const GRE_TYPE = {
  KEEPALIVE: 0x0000,
  IP: 0x0800,
  ARP: 0x0806,
  TEB: 0x6558,
  EOIP: 0x6400,
  IPV6: 0x86dd,
  PPP: 0x880b,
  WCCP: 0x883e,
  CDMA2000_A10_UBS: 0x8881,
  CDMA2000_3GPP2: 0x88d2,
} as const;

const TYPE_NAMES = vals({
  0x0000: "Possible GRE keepalive packet", 0x880b: "PPP", 0x0800: "IP", 0x0806: "ARP", 0x00fe: "OSI", 0x883e: "WCCP",
  0x2000: "CDP (Cisco)", 0x2001: "NHRP", 0x88be: "ERSPAN", 0x22eb: "ERSPAN III", 0x6400: "MIKROTIK EoIP",
  0xfeae: "AIROHIVE AP AP", 0x8137: "IPX", 0x6558: "Transparent Ethernet bridging", 0x6559: "Frame Relay",
  0x86dd: "IPv6", 0x8847: "MPLS label switched packet", 0x894f: "Network Service Header",
  0x8881: "CDMA2000 A10 Unstructured byte stream", 0x88d2: "CDMA2000 A10 3GPP2 Packet", 0x8909: "CiscoMetaData",
  0xb7ea: "Huawei GRE bonding",
  ...Object.fromEntries([0x8200, 0x8210, 0x8220, 0x8230, 0x8240, 0x8250, 0x8260, 0x8270, 0x8280, 0x8290, 0x82a0, 0x82b0,
    0x82c0, 0x82d0, 0x82e0, 0x82f0, 0x8300, 0x8310, 0x8320, 0x8330, 0x8340, 0x8350, 0x8360, 0x8370, 0x9000].map((k) => [k, "ARUBA WLAN"])),
});

const VERSIONS = vals({ 0: "GRE", 1: "Enhanced GRE" });
const CHECKSUM_STATUS = vals({ 0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present", 4: "Illegal" });
const CK_BAD = 0, CK_GOOD = 1, CK_UNVERIFIED = 2;

export const hf = registerProtocol("gre", "Generic Routing Encapsulation", {
  flags_and_version: { abbrev: "gre.flags_and_version", name: "Flags and Version", type: FT.UINT16, base: Base.HEX },
  checksum_bit: { abbrev: "gre.flags.checksum", name: "Checksum Bit", type: FT.BOOLEAN, mask: C, bitWidth: 16, tfs: TFS_YES },
  routing_bit: { abbrev: "gre.flags.routing", name: "Routing Bit", type: FT.BOOLEAN, mask: R, bitWidth: 16, tfs: TFS_YES },
  key_bit: { abbrev: "gre.flags.key", name: "Key Bit", type: FT.BOOLEAN, mask: K, bitWidth: 16, tfs: TFS_YES },
  sequence_bit: { abbrev: "gre.flags.sequence_number", name: "Sequence Number Bit", type: FT.BOOLEAN, mask: S, bitWidth: 16, tfs: TFS_YES },
  strict_source_route: { abbrev: "gre.flags.strict_source_route", name: "Strict Source Route Bit", type: FT.BOOLEAN, mask: 0x0800, bitWidth: 16, tfs: TFS_YES },
  recursion_control: { abbrev: "gre.flags.recursion_control", name: "Recursion control", type: FT.UINT16, mask: 0x0700 },
  ack_bit: { abbrev: "gre.flags.ack", name: "Acknowledgment", type: FT.BOOLEAN, mask: A, bitWidth: 16, tfs: TFS_YES },
  // Wireshark registers this name twice: mask 0x00f8, or 0x0078 under the enhanced header's A bit.
  reserved: { abbrev: "gre.flags.reserved", name: "Flags (Reserved)", type: FT.UINT16, mask: 0x00f8 },
  version: { abbrev: "gre.flags.version", name: "Version", type: FT.UINT16, mask: VERSION, strings: VERSIONS },
  proto_type: { abbrev: "gre.proto", name: "Protocol Type", type: FT.UINT16, base: Base.HEX, strings: TYPE_NAMES },
  checksum: { abbrev: "gre.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: "gre.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  offset: { abbrev: "gre.offset", name: "Offset", type: FT.UINT16 },
  key: { abbrev: "gre.key", name: "Key", type: FT.UINT32, base: Base.HEX },
  key_payload_length: { abbrev: "gre.key.payload_length", name: "Payload Length", type: FT.UINT16 },
  key_call_id: { abbrev: "gre.key.call_id", name: "Call ID", type: FT.UINT16 },
  sequence_number: { abbrev: "gre.sequence_number", name: "Sequence Number", type: FT.UINT32 },
  ack_number: { abbrev: "gre.ack_number", name: "Acknowledgment Number", type: FT.UINT32 },
  routing: { abbrev: "gre.routing", name: "Routing", type: FT.NONE },
  routing_af: { abbrev: "gre.routing.address_family", name: "Address Family", type: FT.UINT16 },
  routing_sre_offset: { abbrev: "gre.routing.sre_offset", name: "SRE Offset", type: FT.UINT8 },
  routing_sre_length: { abbrev: "gre.routing.src_length", name: "SRE Length", type: FT.UINT8 },
  routing_information: { abbrev: "gre.routing.information", name: "Routing Information", type: FT.BYTES },
  wccp_redirect_header: { abbrev: "gre.wccp.redirect_header", name: "Redirect Header", type: FT.NONE },
  wccp_dynamic_service: { abbrev: "gre.wccp.dynamic_service", name: "Dynamic Service", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: ["Dynamic service", "Well-known service"] },
  wccp_alternative_bucket_used: { abbrev: "gre.wccp.alternative_bucket_used", name: "Alternative bucket used", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: ["Alternative bucket used", "Primary bucket used"] },
  wccp_redirect_header_valid: { abbrev: "gre.wccp.redirect_header_valid", name: "WCCP Redirect header is valid", type: FT.BOOLEAN, mask: 0x04, bitWidth: 8, tfs: ["Header is present, but ignore contents", "Header contents are valid"] },
  wccp_service_id: { abbrev: "gre.wccp.service_id", name: "Service ID", type: FT.UINT8, strings: vals({ 0: "HTTP" }) },
  wccp_alternative_bucket: { abbrev: "gre.wccp.alternative_bucket", name: "Alternative Bucket", type: FT.UINT8 },
  wccp_primary_bucket: { abbrev: "gre.wccp.primary_bucket", name: "Primary Bucket", type: FT.UINT8 },
});

export const ei = registerExperts(hf.proto, {
  checksum_incorrect: { abbrev: "gre.checksum.incorrect", group: "protocol", severity: "warn", summary: "Incorrect GRE Checksum" },
});

const u16 = (d: Uint8Array, o: number) => (d[o]! << 8) | d[o + 1]!;
const u32 = (d: Uint8Array, o: number) => ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
const hex4 = (v: number) => v.toString(16).padStart(4, "0");

/** The enhanced (PPTP) header: a PPP payload in version 1, or the CDMA2000 A10 types. */
function isEnhanced(flags: number, type: number): boolean {
  if (type === GRE_TYPE.PPP) return (flags & VERSION) === 1;
  return type === GRE_TYPE.CDMA2000_3GPP2 || type === GRE_TYPE.CDMA2000_A10_UBS;
}


export function dissectGre(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  // Wireshark reads flags and type (and for WCCP the next byte) before adding anything: without
  // them there is no GRE item and the columns are untouched.
  const need = t.avail(off, HDR) && u16(d, off + PROTO) === GRE_TYPE.WCCP ? HDR + 1 : HDR;
  if (!t.avail(off, need)) {
    p.layers.push(hf.proto.abbrev);
    t.curProto = "GRE";
    t.check(off, need);
  }
  const flags = u16(d, off + FLAGS);
  const type = u16(d, off + PROTO);
  const enhanced = isEnhanced(flags, type);
  // WCCP2 puts a 4-byte redirect header before the IP packet: told apart by the byte after the
  // base header not starting like IPv4.
  const wccp2 = type === GRE_TYPE.WCCP && (d[off + HDR]! & 0xf0) !== 0x40;

  p.protocol = "GRE";
  const name = TYPE_NAMES.get(type);
  if (p.wantCols) p.info.set(`Encapsulated ${name ?? `0x${hex4(type).toUpperCase()} (unknown)`}`);

  // The item's length is the header's, routing entries aside (they are added as read).
  let hlen = HDR;
  if (flags & (C | R)) hlen += 4;
  if (flags & K) hlen += 4;
  if (flags & S) hlen += 4;
  if (enhanced && flags & A) hlen += 4;
  if (wccp2) hlen += 4;
  t.proto(p, hf.proto, off, hlen);
  t.curProto = "GRE";
  if (t.full) t.label(`Generic Routing Encapsulation (${name ?? `0x${hex4(type).toUpperCase()} - unknown`})`);

  t.uint(hf.flags_and_version, off + FLAGS, 2, flags);
  t.down();
  t.bool(hf.checksum_bit, off, 2, flags);
  t.bool(hf.routing_bit, off, 2, flags);
  t.bool(hf.key_bit, off, 2, flags);
  t.bool(hf.sequence_bit, off, 2, flags);
  t.bool(hf.strict_source_route, off, 2, flags);
  t.uint(hf.recursion_control, off, 2, flags);
  if (enhanced) {
    t.bool(hf.ack_bit, off, 2, flags);
    // The reserved bits are 0x0078 here: the A bit is not one of them.
    t.uint(hf.reserved, off, 2, flags & ~A);
    if (t.full) t.label(`.... .... .${bits(flags >> 4, 3)} ${bits(flags >> 3, 1)}... = Flags (Reserved): ${(flags & 0x78) >> 3}`);
  } else t.uint(hf.reserved, off, 2, flags);
  t.uint(hf.version, off, 2, flags);
  t.up();
  t.uint(hf.proto_type, off + PROTO, 2, type);

  let o = off + HDR;
  if (flags & (C | R)) {
    t.check(o, 4);
    checksum(p, t, off, o, flags);
    t.uint(hf.offset, o + 2, 2, u16(d, o + 2));
    o += 4;
  }
  if (flags & K) {
    t.check(o, 4);
    if (enhanced && type !== GRE_TYPE.CDMA2000_A10_UBS) {
      t.uint(hf.key_payload_length, o, 2, u16(d, o));
      t.uint(hf.key_call_id, o + 2, 2, u16(d, o + 2));
    } else t.uint(hf.key, o, 4, u32(d, o));
    o += 4;
  }
  if (flags & S) {
    t.check(o, 4);
    t.uint(hf.sequence_number, o, 4, u32(d, o));
    o += 4;
  }
  if (enhanced && flags & A) {
    t.check(o, 4);
    t.uint(hf.ack_number, o, 4, u32(d, o));
    o += 4;
  }
  if (flags & R) {
    // Source route entries up to a null one (family 0, length 0). Each takes at least 4 bytes
    // and is bounds-checked, so the loop ends at the packet's end at the latest.
    for (;;) {
      t.check(o, 4);
      const af = u16(d, o);
      const len = d[o + 3]!;
      // As in Wireshark, the entry's fields are siblings of its "Routing" item.
      t.none(hf.routing, o, 4 + len);
      t.uint(hf.routing_af, o, 2, af);
      t.uint(hf.routing_sre_offset, o + 2, 1, d[o + 2]!);
      t.uint(hf.routing_sre_length, o + 3, 1, len);
      o += 4;
      if (af === 0 && len === 0) break;
      t.bytes(hf.routing_information, o, len);
      o += len;
    }
  }
  if (wccp2) {
    t.check(o, 4);
    t.none(hf.wccp_redirect_header, o, 4);
    t.down();
    const b = d[o]!;
    t.bool(hf.wccp_dynamic_service, o, 1, b);
    t.bool(hf.wccp_alternative_bucket_used, o, 1, b);
    t.bool(hf.wccp_redirect_header_valid, o, 1, b);
    t.uint(hf.wccp_service_id, o + 1, 1, d[o + 1]!);
    t.uint(hf.wccp_alternative_bucket, o + 2, 1, d[o + 2]!);
    t.uint(hf.wccp_primary_bucket, o + 3, 1, d[o + 3]!);
    t.up();
    o += 4;
  }

  // Without the S bit a packet may have no payload at all (keepalives, PPTP acks).
  if (!(flags & S) && o >= t.rep) {
    t.up();
    return;
  }
  payload(p, t, o, type);
}

/** Hands the payload to what Wireshark's gre.proto table holds for `type` (GRE still open). */
function payload(p: Packet, t: Tree, o: number, type: number): void {
  const d = t.d;
  switch (type) {
    case GRE_TYPE.IP:
    case GRE_TYPE.WCCP: {
      t.up();
      if (!t.avail(o, 1)) emptyIp(p, t, o, "ip", "IPv4");
      // Wireshark's "ip" dissector hands a version 6 header to IPv6 (frame.protocols ip:ipv6).
      if (d[o]! >> 4 === 6) {
        p.layers.push("ip");
        dissectIPv6(p, t, o);
      } else dissectIPv4(p, t, o);
      return;
    }
    case GRE_TYPE.IPV6: {
      t.up();
      if (!t.avail(o, 1)) emptyIp(p, t, o, "ipv6", "IPv6");
      if (d[o]! >> 4 !== 6) {
        // IPv6 refuses the packet (its item and columns stay, its layer goes) and GRE shows data.
        const layers = p.layers.length;
        dissectIPv6(p, t, o);
        p.layers.length = layers;
        t.reopen(hf.proto);
        callData(p, t, o);
        t.up();
        return;
      }
      dissectIPv6(p, t, o);
      return;
    }
    case GRE_TYPE.ARP:
      t.up();
      dissectArp(p, t, o);
      return;
    case GRE_TYPE.TEB:
    case GRE_TYPE.EOIP:
      t.up();
      dissectInnerEth(p, t, o);
      return;
    default:
      // Undissected payloads are data inside the GRE item, as tshark shows them.
      callData(p, t, o);
      t.up();
  }
}

/**
 * An IP payload with no byte captured: Wireshark's IP dissector fails on its first byte, before
 * it sets any column (the protocol column still says GRE). Always throws.
 */
function emptyIp(p: Packet, t: Tree, o: number, layer: string, short: string): never {
  p.layers.push(layer);
  t.curProto = short;
  t.check(o, 1);
  throw new Error("unreachable"); // t.check threw
}

/** Checksum (C bit) verified over the whole GRE packet when it is all captured. */
function checksum(p: Packet, t: Tree, gre: number, o: number, flags: number): void {
  const d = t.d;
  const sum = u16(d, o);
  let status = CK_UNVERIFIED;
  let should = 0;
  if (flags & C && t.cap >= t.rep) {
    const total = onesSum(d, gre, t.rep - gre);
    if (total === 0xffff) status = CK_GOOD;
    else {
      status = CK_BAD;
      // What the field should hold: the complement of the sum without it.
      let s = total + (~sum & 0xffff);
      while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
      should = ~s & 0xffff;
    }
  }
  t.uint(hf.checksum, o, 2, sum);
  if (t.full) {
    if (status === CK_GOOD) t.label(`Checksum: 0x${hex4(sum)} [correct]`);
    else if (status === CK_BAD) t.label(`Checksum: 0x${hex4(sum)} incorrect, should be 0x${hex4(should)}`);
    else t.label(`Checksum: 0x${hex4(sum)} [unverified]`);
  }
  if (status === CK_BAD) {
    t.down();
    t.expert(p, ei.checksum_incorrect, o, 2, `Incorrect GRE Checksum [should be 0x${hex4(should)}]`);
    t.up();
  }
  t.num(hf.checksum_status, status);
  if (t.full) t.label(`[Checksum Status: ${CHECKSUM_STATUS.get(status)}]`);
}

/** `n` bits of `v` (its lowest), as "0101". */
function bits(v: number, n: number): string {
  let s = "";
  for (let i = n - 1; i >= 0; i--) s += (v >> i) & 1;
  return s;
}

/**
 * An Ethernet frame inside a tunnel (GRE transparent bridging, VXLAN). Wireshark's Ethernet
 * dissector takes the destination as an address once its 6 bytes are there, the source once
 * its 6 are, and fails after: with fewer captured bytes the outer addresses stay in the columns.
 */
export function dissectInnerEth(p: Packet, t: Tree, off: number): void {
  if (t.avail(off, 12)) {
    dissectEth(p, t, off);
    return;
  }
  const sk = p.srcKind, sd = p.srcData, so = p.srcOff, st = p.srcText, sl = p.dlSrcOff;
  const dk = p.dstKind, dd = p.dstData, dof = p.dstOff, dt = p.dstText, dl = p.dlDstOff;
  try {
    dissectEth(p, t, off);
  } finally {
    p.srcKind = sk;
    p.srcData = sd;
    p.srcOff = so;
    p.srcText = st;
    p.dlSrcOff = sl;
    if (!t.avail(off, 6)) {
      p.dstKind = dk;
      p.dstData = dd;
      p.dstOff = dof;
      p.dstText = dt;
      p.dlDstOff = dl;
    }
  }
}

ipProtos.add(IPPROTO.GRE, dissectGre);
