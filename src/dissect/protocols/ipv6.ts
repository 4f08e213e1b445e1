// Internet Protocol version 6 (RFC 8200) and its extension headers, as Wireshark 4.0's
// packet-ipv6.c shows them.
//   version/traffic class/flow label 0..4 | payload length 4..6 | next header 6 | hop limit 7
//   source 8..24 | destination 24..40 | extension headers and payload 40..
// Extension headers (hop-by-hop, routing, fragment, destination options) are protocols of their
// own in frame.protocols ("ipv6:ipv6.hopopts:udp") but sit inside the IPv6 tree.
//
// Fragments are reassembled as for IPv4 (see ipv4.ts and ip-reassembly.ts), keyed by (source,
// destination, identification); the headers after the fragment header are read from the
// reassembled bytes. Atomic fragments (offset 0, M clear) are passed on, as tshark does.
import { Base, FT, registerExperts, registerProtocol, TFS_YES, TFS_TRUE, vals, type Field } from "../fields.js";
import { callData, etherTypes, ipProtos } from "../dispatch.js";
import { bitPattern, ipv6ToString } from "../format.js";
import { AddrKind, type Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE } from "./ethertypes.js";
import { IPPROTO, IPPROTO_NAMES, ipProtoName } from "./ipproto-names.js";
import { DSCP_NAMES, DSCP_SHORT, ECN_NAMES, ECN_SHORT, hf as ipHf } from "./ipv4.js";
import { FragmentTable, registerFragmentFields, showFragments } from "./ip-reassembly.js";

const PLEN = 4, NXT = 6, HLIM = 7, SRC = 8, DST = 24, HDR = 40;

const OPT_TYPES = vals({
  0x00: "Pad1", 0x01: "PadN", 0x04: "Tunnel Encapsulation Limit", 0x05: "Router Alert", 0x07: "CALIPSO",
  0x08: "SMF_DPD", 0x0f: "Performance and Diagnostic Metrics", 0x1e: "Experimental (0x1E)", 0x26: "Quick-Start",
  0x30: "Path MTU Option", 0x31: "IOAM Option", 0x3e: "Experimental (0x3E)",
  0x41: "Tunnel Payload Forwarding (TPF) Information", 0x5e: "Experimental (0x5E)", 0x63: "RPL Option",
  0x6d: "MPL Option", 0x7e: "Experimental (0x7E)", 0x8a: "Endpoint Identification", 0x8b: "ILNP Nonce",
  0x8c: "Line-Identification Option", 0x9e: "Experimental (0x9E)", 0xbe: "Experimental (0xBE)", 0xc2: "Jumbo Payload",
  0xc9: "Home Address", 0xde: "Experimental (0xDE)", 0xee: "IP_DFF", 0xfe: "Experimental (0xFE)",
});
const OPT_ACTIONS = vals({
  0: "Skip and continue", 1: "Discard", 2: "Discard and send ICMP Parameter Problem", 3: "Discard and send ICMP if not multicast",
});
const ROUTER_ALERT = vals({ 0: "MLD", 1: "RSVP", 2: "Active Network" });
const ROUTING_TYPES = vals({
  0: "Source Route", 1: "Nimrod", 2: "Type 2 Routing", 3: "RPL Source Route", 4: "Segment Routing",
  5: "Compact Routing Header 16", 6: "Compact Routing Header 32", 253: "Experiment 1", 254: "Experiment 2",
});

export const hf = registerProtocol("ipv6", "Internet Protocol Version 6", {
  version: { abbrev: "ipv6.version", name: "Version", type: FT.UINT8 },
  tclass: { abbrev: "ipv6.tclass", name: "Traffic Class", type: FT.UINT32, base: Base.HEX, mask: 0x0ff00000 },
  dscp: { abbrev: "ipv6.tclass.dscp", name: "Differentiated Services Codepoint", type: FT.UINT32, mask: 0x0fc00000, strings: DSCP_NAMES },
  ecn: { abbrev: "ipv6.tclass.ecn", name: "Explicit Congestion Notification", type: FT.UINT32, mask: 0x00300000, strings: ECN_NAMES },
  flow: { abbrev: "ipv6.flow", name: "Flow Label", type: FT.UINT24, base: Base.HEX, mask: 0xfffff },
  plen: { abbrev: "ipv6.plen", name: "Payload Length", type: FT.UINT16 },
  nxt: { abbrev: "ipv6.nxt", name: "Next Header", type: FT.UINT8, strings: IPPROTO_NAMES },
  hlim: { abbrev: "ipv6.hlim", name: "Hop Limit", type: FT.UINT8 },
  src: { abbrev: "ipv6.src", name: "Source Address", type: FT.IPV6 },
  src_host: { abbrev: "ipv6.src_host", name: "Source Host", type: FT.STRING, generated: true, hidden: true },
  dst: { abbrev: "ipv6.dst", name: "Destination Address", type: FT.IPV6 },
  dst_host: { abbrev: "ipv6.dst_host", name: "Destination Host", type: FT.STRING, generated: true, hidden: true },
  addr: { abbrev: "ipv6.addr", name: "Source or Destination Address", type: FT.IPV6, hidden: true },
  host: { abbrev: "ipv6.host", name: "Source or Destination Host", type: FT.STRING, generated: true, hidden: true },
  // Addresses derived from the IPv6 address (6to4, Teredo, SLAAC, ISATAP, NAT64 well-known prefix).
  src_6to4_gw: { abbrev: "ipv6.src_6to4_gw_ipv4", name: "Source 6to4 Gateway IPv4", type: FT.IPV4, generated: true },
  src_6to4_sla: { abbrev: "ipv6.src_6to4_sla_id", name: "Source 6to4 SLA ID", type: FT.UINT16, generated: true },
  dst_6to4_gw: { abbrev: "ipv6.dst_6to4_gw_ipv4", name: "Destination 6to4 Gateway IPv4", type: FT.IPV4, generated: true },
  dst_6to4_sla: { abbrev: "ipv6.dst_6to4_sla_id", name: "Destination 6to4 SLA ID", type: FT.UINT16, generated: true },
  gw_6to4: { abbrev: "ipv6.6to4_gw_ipv4", name: "6to4 Gateway IPv4", type: FT.IPV4, generated: true, hidden: true },
  sla_6to4: { abbrev: "ipv6.6to4_sla_id", name: "6to4 SLA ID", type: FT.UINT16, generated: true, hidden: true },
  src_ts: { abbrev: "ipv6.src_ts_ipv4", name: "Source Teredo Server IPv4", type: FT.IPV4, generated: true },
  src_tc_port: { abbrev: "ipv6.src_tc_port", name: "Source Teredo Port", type: FT.UINT16, generated: true },
  src_tc: { abbrev: "ipv6.src_tc_ipv4", name: "Source Teredo Client IPv4", type: FT.IPV4, generated: true },
  dst_ts: { abbrev: "ipv6.dst_ts_ipv4", name: "Destination Teredo Server IPv4", type: FT.IPV4, generated: true },
  dst_tc_port: { abbrev: "ipv6.dst_tc_port", name: "Destination Teredo Port", type: FT.UINT16, generated: true },
  dst_tc: { abbrev: "ipv6.dst_tc_ipv4", name: "Destination Teredo Client IPv4", type: FT.IPV4, generated: true },
  ts: { abbrev: "ipv6.ts_ipv4", name: "Teredo Server IPv4", type: FT.IPV4, generated: true, hidden: true },
  tc_port: { abbrev: "ipv6.tc_port", name: "Teredo Port", type: FT.UINT16, generated: true, hidden: true },
  tc: { abbrev: "ipv6.tc_ipv4", name: "Teredo Client IPv4", type: FT.IPV4, generated: true, hidden: true },
  src_slaac: { abbrev: "ipv6.src_slaac_mac", name: "Source SLAAC MAC", type: FT.ETHER, generated: true },
  dst_slaac: { abbrev: "ipv6.dst_slaac_mac", name: "Destination SLAAC MAC", type: FT.ETHER, generated: true },
  slaac: { abbrev: "ipv6.slaac_mac", name: "SLAAC MAC", type: FT.ETHER, generated: true, hidden: true },
  src_isatap: { abbrev: "ipv6.src_isatap_ipv4", name: "Source ISATAP IPv4", type: FT.IPV4, generated: true },
  dst_isatap: { abbrev: "ipv6.dst_isatap_ipv4", name: "Destination ISATAP IPv4", type: FT.IPV4, generated: true },
  isatap: { abbrev: "ipv6.isatap_ipv4", name: "ISATAP IPv4", type: FT.IPV4, generated: true, hidden: true },
  embed_prefix: { abbrev: "ipv6.embed_ipv4_prefix", name: "Embedded IPv4 Prefix", type: FT.BYTES, generated: true },
  src_embed: { abbrev: "ipv6.src_embed_ipv4", name: "Source Embedded IPv4", type: FT.IPV4, generated: true },
  dst_embed: { abbrev: "ipv6.dst_embed_ipv4", name: "Destination Embedded IPv4", type: FT.IPV4, generated: true },
  embed: { abbrev: "ipv6.embed_ipv4", name: "Embedded IPv4", type: FT.IPV4, generated: true },
  // Options (hop-by-hop and destination options headers)
  opt: { abbrev: "ipv6.opt", name: "IPv6 Option", type: FT.NONE },
  opt_type: { abbrev: "ipv6.opt.type", name: "Type", type: FT.UINT8, base: Base.HEX, strings: OPT_TYPES },
  opt_action: { abbrev: "ipv6.opt.type.action", name: "Action", type: FT.UINT8, mask: 0xc0, strings: OPT_ACTIONS },
  opt_change: { abbrev: "ipv6.opt.type.change", name: "May Change", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: TFS_YES },
  opt_rest: { abbrev: "ipv6.opt.type.rest", name: "Low-Order Bits", type: FT.UINT8, base: Base.HEX, mask: 0x1f },
  opt_length: { abbrev: "ipv6.opt.length", name: "Length", type: FT.UINT8 },
  opt_pad1: { abbrev: "ipv6.opt.pad1", name: "Pad1", type: FT.NONE },
  opt_padn: { abbrev: "ipv6.opt.padn", name: "PadN", type: FT.BYTES },
  opt_tel: { abbrev: "ipv6.opt.tel", name: "Tunnel Encapsulation Limit", type: FT.UINT8 },
  opt_router_alert: { abbrev: "ipv6.opt.router_alert", name: "Router Alert", type: FT.UINT16, strings: ROUTER_ALERT },
  opt_pmtu_min: { abbrev: "ipv6.opt.pmtu.min", name: "Minimum Reported PMTU", type: FT.UINT16 },
  opt_pmtu_rtn: { abbrev: "ipv6.opt.pmtu.rtn", name: "Return Minimum PMTU", type: FT.UINT16 },
  opt_pmtu_r_flag: { abbrev: "ipv6.opt.pmtu.r_flag", name: "Return Flag", type: FT.BOOLEAN, tfs: TFS_TRUE },
  opt_jumbo: { abbrev: "ipv6.opt.jumbo", name: "Payload Length", type: FT.UINT32 },
  opt_tpf: { abbrev: "ipv6.opt.tpf_information", name: "TPF Information", type: FT.UINT32, base: Base.HEX },
  opt_home_address: { abbrev: "ipv6.opt.mipv6.home_address", name: "MIPv6 Home Address", type: FT.IPV6 },
  opt_experimental: { abbrev: "ipv6.opt.experimental", name: "Experimental Option", type: FT.BYTES },
  opt_unknown: { abbrev: "ipv6.opt.unknown", name: "Unknown Option Payload", type: FT.BYTES },
});

export const ei = registerExperts(hf.proto, {
  bogus_version: { abbrev: "ipv6.bogus_ipv6_version", group: "malformed", severity: "error", summary: "Bogus IP version" },
  plen_exceeds: { abbrev: "ipv6.plen_exceeds_framing", group: "protocol", severity: "warn", summary: "IPv6 payload length does not match expected framing length" },
  plen_zero: { abbrev: "ipv6.plen_zero", group: "protocol", severity: "chat", summary: "IPv6 payload length equals 0 (maybe because of \"TCP segmentation offload\" (TSO))" },
  jumbo_missing: { abbrev: "ipv6.opt.jumbo.missing", group: "malformed", severity: "error", summary: "IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing" },
  jumbo_prohibited: { abbrev: "ipv6.opt.jumbo.prohibited", group: "protocol", severity: "warn", summary: "When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present" },
  jumbo_truncated: { abbrev: "ipv6.opt.jumbo.truncated", group: "protocol", severity: "warn", summary: "Jumbo Payload option present and jumbo length < 65536" },
  opt_invalid_len: { abbrev: "ipv6.opt.invalid_len", group: "malformed", severity: "error", summary: "Invalid IPv6 option length" },
  opt_unknown_data: { abbrev: "ipv6.opt.unknown_data.expert", group: "undecoded", severity: "note", summary: "Unknown Data (not interpreted)" },
  opt_header_mismatch: { abbrev: "ipv6.opt.header_mismatch", group: "protocol", severity: "warn", summary: "Wrong options extension header for type" },
});

export const hopopts = registerProtocol("ipv6.hopopts", "IPv6 Hop-by-Hop Option", {
  nxt: { abbrev: "ipv6.hopopts.nxt", name: "Next Header", type: FT.UINT8, strings: IPPROTO_NAMES },
  len: { abbrev: "ipv6.hopopts.len", name: "Length", type: FT.UINT8 },
  len_oct: { abbrev: "ipv6.hopopts.len_oct", name: "Length", type: FT.UINT16, generated: true },
});
const hopoptsEi = registerExperts(hopopts.proto, {
  not_first: { abbrev: "ipv6.hopopts.not_first", group: "protocol", severity: "error", summary: "IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header" },
});

export const dstopts = registerProtocol("ipv6.dstopts", "Destination Options for IPv6", {
  nxt: { abbrev: "ipv6.dstopts.nxt", name: "Next Header", type: FT.UINT8, strings: IPPROTO_NAMES },
  len: { abbrev: "ipv6.dstopts.len", name: "Length", type: FT.UINT8 },
  len_oct: { abbrev: "ipv6.dstopts.len_oct", name: "Length", type: FT.UINT16, generated: true },
});

export const routing = registerProtocol("ipv6.routing", "Routing Header for IPv6", {
  nxt: { abbrev: "ipv6.routing.nxt", name: "Next Header", type: FT.UINT8, strings: IPPROTO_NAMES },
  len: { abbrev: "ipv6.routing.len", name: "Length", type: FT.UINT8 },
  len_oct: { abbrev: "ipv6.routing.len_oct", name: "Length", type: FT.UINT16, generated: true },
  type: { abbrev: "ipv6.routing.type", name: "Type", type: FT.UINT8, strings: ROUTING_TYPES },
  segleft: { abbrev: "ipv6.routing.segleft", name: "Segments Left", type: FT.UINT8 },
  unknown_data: { abbrev: "ipv6.routing.unknown_data", name: "Type-Specific Data", type: FT.BYTES },
  src_reserved: { abbrev: "ipv6.routing.src.reserved", name: "Reserved", type: FT.BYTES },
  src_addr: { abbrev: "ipv6.routing.src.addr", name: "Address", type: FT.IPV6 },
  mipv6_reserved: { abbrev: "ipv6.routing.mipv6.reserved", name: "Reserved", type: FT.BYTES },
  mipv6_home_address: { abbrev: "ipv6.routing.mipv6.home_address", name: "Home Address", type: FT.IPV6 },
  srh_last_entry: { abbrev: "ipv6.routing.srh.last_entry", name: "Last Entry", type: FT.UINT8 },
  srh_flags: { abbrev: "ipv6.routing.srh.flags", name: "Flags", type: FT.UINT8, base: Base.HEX },
  srh_tag: { abbrev: "ipv6.routing.srh.tag", name: "Tag", type: FT.BYTES },
  srh_addr: { abbrev: "ipv6.routing.srh.addr", name: "Address", type: FT.IPV6 },
});
const routingEi = registerExperts(routing.proto, {
  deprecated: { abbrev: "ipv6.routing.deprecated", group: "deprecated", severity: "note", summary: "Routing header type is deprecated" },
  invalid_length: { abbrev: "ipv6.routing.invalid_length", group: "malformed", severity: "error", summary: "Invalid IPv6 Routing header length" },
  invalid_segleft: { abbrev: "ipv6.routing.invalid_segleft", group: "protocol", severity: "error", summary: "IPv6 Routing Header segments left field must not exceed address count" },
});

export const fraghdr = registerProtocol("ipv6.fraghdr", "Fragment Header for IPv6", {
  nxt: { abbrev: "ipv6.fraghdr.nxt", name: "Next header", type: FT.UINT8, strings: IPPROTO_NAMES },
  reserved_octet: { abbrev: "ipv6.fraghdr.reserved_octet", name: "Reserved octet", type: FT.UINT8, base: Base.HEX },
  offset: { abbrev: "ipv6.fraghdr.offset", name: "Offset", type: FT.UINT16, mask: 0xfff8 },
  reserved_bits: { abbrev: "ipv6.fraghdr.reserved_bits", name: "Reserved bits", type: FT.UINT16, mask: 0x0006 },
  more: { abbrev: "ipv6.fraghdr.more", name: "More Fragments", type: FT.BOOLEAN, mask: 0x0001, bitWidth: 16, tfs: TFS_YES },
  ident: { abbrev: "ipv6.fraghdr.ident", name: "Identification", type: FT.UINT32, base: Base.HEX },
});

const frag = registerFragmentFields(hf.proto, "ipv6", "IPv6");

/** Wireshark's col_append_sep_str(COL_INFO, " , ", s). */
function appendInfo(p: Packet, s: string): void {
  if (!p.wantCols) return;
  if (!p.info.empty) p.info.add(" , ");
  p.info.add(s);
}

const u16 = (d: Uint8Array, o: number) => (d[o]! << 8) | d[o + 1]!;
const u32 = (d: Uint8Array, o: number) => ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;

// ---- address details ----

function mac48(d: Uint8Array, o: number): number {
  // Modified EUI-64 interface identifier (bytes 8..16 of the address) back to the MAC: drop ff:fe,
  // flip the universal/local bit.
  const b0 = d[o + 8]! ^ 0x02;
  return b0 * 0x10000000000 + d[o + 9]! * 0x100000000 + ((d[o + 10]! << 24) >>> 0) + (d[o + 13]! << 16) + (d[o + 14]! << 8) + d[o + 15]!;
}

function addressDetails(t: Tree, src: number, dst: number): void {
  // Wireshark's order: each kind for the source, then for the destination.
  sixToFour(t, src, hf.src_6to4_gw, hf.src_6to4_sla);
  sixToFour(t, dst, hf.dst_6to4_gw, hf.dst_6to4_sla);
  teredo(t, src, hf.src_ts, hf.src_tc_port, hf.src_tc);
  teredo(t, dst, hf.dst_ts, hf.dst_tc_port, hf.dst_tc);
  slaac(t, src, hf.src_slaac);
  slaac(t, dst, hf.dst_slaac);
  isatap(t, src, hf.src_isatap);
  isatap(t, dst, hf.dst_isatap);
  nat64(t, src, hf.src_embed);
  nat64(t, dst, hf.dst_embed);
}

/** 6to4: 2002:GGGG:GGGG:SSSS::/64 */
function sixToFour(t: Tree, o: number, gw: Field, sla: Field): void {
  const d = t.d;
  if (d[o] !== 0x20 || d[o + 1] !== 0x02) return;
  t.ipv4(gw, o + 2);
  t.ipv4(hf.gw_6to4, o + 2);
  t.uint(sla, o + 6, 2, u16(d, o + 6));
  t.uint(hf.sla_6to4, o + 6, 2, u16(d, o + 6));
}

/** Teredo: 2001:0000:server:flags:~port:~client */
function teredo(t: Tree, o: number, ts: Field, port: Field, tc: Field): void {
  const d = t.d;
  if (d[o] !== 0x20 || d[o + 1] !== 0x01 || d[o + 2] !== 0 || d[o + 3] !== 0) return;
  const client = (~u32(d, o + 12)) >>> 0;
  t.ipv4(ts, o + 4);
  t.ipv4(hf.ts, o + 4);
  t.uint(port, o + 10, 2, ~u16(d, o + 10) & 0xffff);
  t.uint(hf.tc_port, o + 10, 2, ~u16(d, o + 10) & 0xffff);
  t.num(tc, client);
  t.num(hf.tc, client);
}

/** SLAAC: interface identifier xx:xx:xx:ff:fe:xx:xx:xx with the universal bit set (an EUI-64
 *  made from a globally unique MAC; tshark ignores locally administered ones). */
function slaac(t: Tree, o: number, f: Field): void {
  const d = t.d;
  if (d[o + 11] !== 0xff || d[o + 12] !== 0xfe || (d[o + 8]! & 0x02) === 0) return;
  const mac = mac48(d, o);
  t.num(f, mac);
  t.num(hf.slaac, mac);
}

/** ISATAP: interface identifier [00|02]00:5efe:a.b.c.d */
function isatap(t: Tree, o: number, f: Field): void {
  const d = t.d;
  if ((d[o + 8]! & 0xfd) !== 0 || d[o + 9] !== 0 || d[o + 10] !== 0x5e || d[o + 11] !== 0xfe) return;
  t.ipv4(f, o + 12);
  t.ipv4(hf.isatap, o + 12);
}

/** NAT64 well-known prefix 64:ff9b::/96 */
function nat64(t: Tree, o: number, f: Field): void {
  const d = t.d;
  if (d[o] !== 0 || d[o + 1] !== 0x64 || d[o + 2] !== 0xff || d[o + 3] !== 0x9b) return;
  for (let i = 4; i < 12; i++) if (d[o + i] !== 0) return;
  t.bytes(hf.embed_prefix, o, 12);
  t.ipv4(f, o + 12);
  t.ipv4(hf.embed, o + 12);
}

// ---- options (hop-by-hop, destination) ----

const OPT_PAD1 = 0x00, OPT_PADN = 0x01, OPT_TEL = 0x04, OPT_RA = 0x05, OPT_PMTU = 0x30, OPT_TPF = 0x41, OPT_JUMBO = 0xc2, OPT_HOME = 0xc9;

function isExperimental(type: number): boolean {
  return (type & 0x1f) === 0x1e;
}

function invalidLen(p: Packet, t: Tree, o: number, text: string): void {
  t.down();
  t.expert(p, ei.opt_invalid_len, o + 1, 1, text);
  t.up();
}

/** Decodes the options of a hop-by-hop or destination options header between `o` and `end`. */
function dissectOptions(p: Packet, t: Tree, o: number, end: number, hbh: boolean, plen: number): void {
  const d = t.d;
  while (o < end) {
    t.check(o, 1);
    const type = d[o]!;
    if (type === OPT_PAD1) {
      t.none(hf.opt, o, 1, "Pad1");
      t.down();
      t.uint(hf.opt_type, o, 1, type);
      t.none(hf.opt_pad1, o, 1, "Pad1");
      t.up();
      o++;
      continue;
    }
    t.check(o + 1, 1);
    const len = d[o + 1]!;
    const name = OPT_TYPES.get(type) ?? `Unknown IPv6 Option (${type})`;
    t.none(hf.opt, o, 2 + len, name);
    t.down();
    t.uint(hf.opt_type, o, 1, type);
    t.down();
    if (type === OPT_RA && !hbh) t.expert(p, ei.opt_header_mismatch, o, 1, "Router Alert must use a hop-by-hop options header");
    t.uint(hf.opt_action, o, 1, type);
    t.bool(hf.opt_change, o, 1, type);
    t.uint(hf.opt_rest, o, 1, type);
    t.up();
    t.uint(hf.opt_length, o + 1, 1, len);
    const v = o + 2;
    switch (type) {
      case OPT_PADN:
        t.bytes(hf.opt_padn, v, len);
        if (t.full && len === 0) t.label("PadN: <none>");
        break;
      case OPT_TEL:
        if (len !== 1) invalidLen(p, t, o, `Tunnel Encapsulation Limit: Invalid length (${len} bytes)`);
        t.check(v, 1);
        t.uint(hf.opt_tel, v, 1, d[v]!);
        break;
      case OPT_RA:
        if (len !== 2) invalidLen(p, t, o, `Router alert: Invalid Length (${len} bytes)`);
        t.check(v, 2);
        t.uint(hf.opt_router_alert, v, 2, u16(d, v));
        break;
      case OPT_PMTU: {
        if (len !== 4) invalidLen(p, t, o, `PMTU Option: Invalid Length (${len} bytes)`);
        t.check(v, 4);
        t.uint(hf.opt_pmtu_min, v, 2, u16(d, v));
        const rtn = u16(d, v + 2);
        t.uint(hf.opt_pmtu_rtn, v + 2, 2, rtn & 0xfffe);
        t.bool(hf.opt_pmtu_r_flag, v + 2, 2, rtn & 1);
        break;
      }
      case OPT_TPF:
        if (len !== 4) invalidLen(p, t, o, `TPF Information: Invalid Length (${len} bytes)`);
        t.check(v, 4);
        t.uint(hf.opt_tpf, v, 4, u32(d, v));
        break;
      case OPT_JUMBO: {
        if (len !== 4) invalidLen(p, t, o, `Jumbo Payload: Invalid length (${len} bytes)`);
        t.check(v, 4);
        const j = u32(d, v);
        t.uint(hf.opt_jumbo, v, 4, j);
        if (plen !== 0) t.expert(p, ei.jumbo_prohibited, v, 4);
        else if (j < 65536) t.expert(p, ei.jumbo_truncated, v, 4);
        break;
      }
      case OPT_HOME:
        if (len !== 16) invalidLen(p, t, o, `Home Address: Invalid length (${len} bytes)`);
        t.ipv6(hf.opt_home_address, v);
        break;
      default:
        if (isExperimental(type)) t.bytes(hf.opt_experimental, v, len);
        else {
          t.bytes(hf.opt_unknown, v, len);
          t.down();
          t.expert(p, ei.opt_unknown_data, v, len);
          t.up();
        }
    }
    t.up();
    t.check(o, 2 + len);
    o += 2 + len;
  }
}

/** The jumbo payload length in a hop-by-hop header at `o`, or 0 (Wireshark's check for plen 0). */
function jumboLength(d: Uint8Array, o: number, cap: number): number {
  if (o + 2 > cap) return 0;
  const end = Math.min(o + (d[o + 1]! + 1) * 8, cap);
  let q = o + 2;
  while (q < end) {
    const type = d[q]!;
    if (type === OPT_PAD1) { q++; continue; }
    if (q + 1 >= end) return 0;
    const len = d[q + 1]!;
    if (type === OPT_JUMBO && len === 4 && q + 6 <= end) {
      const j = u32(d, q + 2);
      return j > 65535 ? j : 0;
    }
    q += 2 + len;
  }
  return 0;
}

// ---- extension headers ----

/**
 * Opens an extension header. Wireshark reads the first `need` bytes before it adds the header's
 * item, so a header cut short there appears in frame.protocols but not in the tree.
 */
function enterExt(p: Packet, t: Tree, proto: Field, short: string, o: number, need: number, len: number): void {
  if (!t.avail(o, need)) {
    p.layers.push(proto.abbrev);
    t.curProto = short;
    t.check(o, need);
  }
  t.proto(p, proto, o, len);
  t.curProto = short;
}

function optionsHeader(p: Packet, t: Tree, o: number, hbh: boolean, plen: number): number {
  const d = t.d;
  const h = hbh ? hopopts : dstopts;
  appendInfo(p, hbh ? "IPv6 hop-by-hop options" : "IPv6 destination options");
  const lenByte = t.avail(o + 1, 1) ? d[o + 1]! : 0;
  const len = (lenByte + 1) * 8;
  enterExt(p, t, h.proto, hbh ? "IPv6 Hop-by-Hop" : "IPv6 Destination", o, 2, len);
  t.uint(h.nxt, o, 1, d[o]!);
  t.uint(h.len, o + 1, 1, lenByte);
  t.num(h.len_oct, len);
  if (t.full) t.label(`[Length: ${len} bytes]`);
  // Not narrowed to the header's own length: like Wireshark, an option running past it reads on
  // into what follows (and is cut short or malformed only by the IPv6 payload's bounds).
  dissectOptions(p, t, o + 2, o + len, hbh, plen);
  t.up();
  return len;
}

/** Returns the header length; sets `routeDst` to the final destination when segments are left. */
function routingHeader(p: Packet, t: Tree, o: number): number {
  const d = t.d;
  appendInfo(p, "IPv6 routing");
  const lenByte = t.avail(o + 1, 1) ? d[o + 1]! : 0;
  const len = (lenByte + 1) * 8;
  const type = t.avail(o + 2, 1) ? d[o + 2]! : 0;
  enterExt(p, t, routing.proto, "IPv6 Routing", o, 4, len);
  if (t.full) t.label(`${routing.proto.name} (${ROUTING_TYPES.get(type) ?? "Unknown"})`);
  t.uint(routing.nxt, o, 1, d[o]!);
  t.uint(routing.len, o + 1, 1, lenByte);
  t.num(routing.len_oct, len);
  if (t.full) t.label(`[Length: ${len} bytes]`);
  t.uint(routing.type, o + 2, 1, type);
  // Wireshark makes these checks once it holds the whole header.
  const whole = t.avail(o, len);
  if (type === 0 && whole) {
    t.down();
    t.expert(p, routingEi.deprecated, o + 2, 1);
    t.up();
  }
  const segleft = d[o + 3]!;
  t.uint(routing.segleft, o + 3, 1, segleft);
  t.enter(o + len);
  routeDst = -1;
  switch (type) {
    case 0: {
      if (lenByte & 1 && whole) t.expert(p, routingEi.invalid_length, o + 1, 1);
      const n = lenByte >> 1;
      if (segleft > n && whole) t.expert(p, routingEi.invalid_segleft, o + 3, 1);
      t.bytes(routing.src_reserved, o + 4, 4);
      for (let i = 0; i < n; i++) {
        const a = o + 8 + 16 * i;
        t.ipv6(routing.src_addr, a);
        if (t.full) t.label(`Address[${i + 1}]: ${ipv6ToString(d, a)}`);
      }
      if (segleft > 0 && n > 0) routeDst = o + 8 + 16 * (n - 1);
      break;
    }
    case 2:
      t.bytes(routing.mipv6_reserved, o + 4, 4);
      t.ipv6(routing.mipv6_home_address, o + 8);
      if (segleft > 0) routeDst = o + 8;
      break;
    case 4: {
      t.check(o + 4, 4);
      const last = d[o + 4]!;
      t.uint(routing.srh_last_entry, o + 4, 1, last);
      t.uint(routing.srh_flags, o + 5, 1, d[o + 5]!);
      t.bytes(routing.srh_tag, o + 6, 2);
      for (let i = 0, a = o + 8; a + 16 <= o + len; i++, a += 16) {
        t.ipv6(routing.srh_addr, a);
        if (t.full) t.label(`Address[${i}]: ${ipv6ToString(d, a)}`);
      }
      if (segleft > 0 && len >= 24) routeDst = o + 8;
      break;
    }
    default:
      if (len > 4) t.bytes(routing.unknown_data, o + 4, len - 4);
  }
  t.leave();
  t.up();
  return len;
}
let routeDst = -1;

// ---- the header ----

/** The IPv6 dissector (ethertype 0x86dd via dissectIPv6Ethertype, raw IP link types, tunnels). */
export function dissectIPv6(p: Packet, t: Tree, off: number): number | void {
  const d = t.d;
  p.protocol = "IPv6";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, HDR);
  t.curProto = "IPv6";
  if (t.full) t.label(t.avail(off, HDR) && d[off]! >> 4 === 6 ? `${hf.proto.name}, Src: ${ipv6ToString(d, off + SRC)}, Dst: ${ipv6ToString(d, off + DST)}` : hf.proto.name);
  t.check(off, 1);
  const version = d[off]! >> 4;
  t.uint(hf.version, off, 1, version);
  if (t.full) t.label(`${(version | 0x10).toString(2).slice(1)} .... = Version: ${version}`);
  const versionItem = t.lastItem();
  // Wireshark also adds ip.version, hidden here (it is a visible field of IPv4).
  t.uint(ipHf.version, off, 1, version);
  t.hideLast();
  if (version !== 6) {
    if (p.wantCols) p.info.set(`Bogus IPv6 version (${version}, must be 6)`);
    t.expertUnder(versionItem, p, ei.bogus_version, off, 1, "Bogus IPv6 version");
    t.up();
    return;
  }
  t.check(off, 4);
  const w = u32(d, off);
  t.uint(hf.tclass, off, 4, w);
  const tc = (w >>> 20) & 0xff;
  if (t.full) t.label(`${bitPattern(hf.tclass, w)}Traffic Class: 0x${tc.toString(16).padStart(2, "0")} (DSCP: ${DSCP_SHORT.get(tc >> 2) ?? "Unknown"}, ECN: ${ECN_SHORT[tc & 3]})`);
  t.down();
  t.uint(hf.dscp, off, 4, w);
  t.uint(hf.ecn, off, 4, w);
  t.up();
  t.uint(hf.flow, off + 1, 3, w & 0xffffff);

  t.check(off + PLEN, 4);
  const plen = u16(d, off + PLEN);
  const nxt = d[off + NXT]!;
  t.uint(hf.plen, off + PLEN, 2, plen);
  // Where the payload ends: plen, a jumbo payload length, or (TSO, no length) the frame's end.
  let end = -1;
  const avail = t.rep - off - HDR;
  if (plen === 0 && nxt === IPPROTO.HOPOPTS) {
    const j = jumboLength(d, off + HDR, t.cap);
    if (j === 0) {
      t.down();
      t.expert(p, ei.jumbo_missing, off + PLEN, 2);
      t.up();
      if (p.wantCols) p.info.set("Invalid IPv6 payload length");
      end = off + HDR;
    } else if (j <= avail) end = off + HDR + j;
    if (j !== 0 && t.full) t.label("Payload Length: 0 (Jumbogram)");
    if (j > avail) {
      t.down();
      t.expert(p, ei.plen_exceeds, off + PLEN, 2, `IPv6 payload length exceeds framing length (${avail} bytes)`);
      t.up();
    }
  } else if (plen === 0) {
    // Maybe TCP segmentation offload, but Wireshark still takes the payload to be empty.
    if (avail > 0) {
      t.down();
      t.expert(p, ei.plen_zero, off + PLEN, 2);
      t.up();
    }
    end = off + HDR;
  } else if (plen > avail) {
    t.down();
    t.expert(p, ei.plen_exceeds, off + PLEN, 2, `IPv6 payload length exceeds framing length (${avail} bytes)`);
    t.up();
  } else end = off + HDR + plen;
  t.uint(hf.nxt, off + NXT, 1, nxt);
  t.uint(hf.hlim, off + HLIM, 1, d[off + HLIM]!);

  t.check(off + SRC, 16);
  p.setSrc(AddrKind.IPV6, off + SRC, d);
  t.ipv6(hf.src, off + SRC);
  t.ipv6(hf.addr, off + SRC);
  if (t.wants(hf.src_host)) t.str(hf.src_host, off + SRC, 16, ipv6ToString(d, off + SRC));
  if (t.wants(hf.host)) t.str(hf.host, off + SRC, 16, ipv6ToString(d, off + SRC));
  t.check(off + DST, 16);
  p.setDst(AddrKind.IPV6, off + DST, d);
  t.ipv6(hf.dst, off + DST);
  t.ipv6(hf.addr, off + DST);
  if (t.wants(hf.dst_host)) t.str(hf.dst_host, off + DST, 16, ipv6ToString(d, off + DST));
  if (t.wants(hf.host)) t.str(hf.host, off + DST, 16, ipv6ToString(d, off + DST));
  addressDetails(t, off + SRC, off + DST);
  p.ipVersion = 6;
  p.ipData = d;
  p.ipSrcOff = off + SRC;
  p.ipDstOff = off + DST;

  if (end >= 0) t.enter(end);
  headersAndPayload(p, t, off + HDR, nxt, plen, end, off + HDR);
  if (end >= 0) {
    t.leave();
    return end;
  }
}

/**
 * The extension headers from `o` on (inside the IPv6 item, which this closes), then the payload.
 * `end` is where the payload ends (-1: unknown), `first` where a hop-by-hop header may stand.
 */
function headersAndPayload(p: Packet, t: Tree, o: number, next: number, plen: number, end: number, first: number): void {
  const d = t.d;
  let fragmentInfo = "";
  for (let guard = 0; guard < 256; guard++) {
    if (next === IPPROTO.HOPOPTS) {
      if (o !== first) {
        t.expert(p, hopoptsEi.not_first, o, 1);
      }
      const n = t.avail(o, 1) ? d[o]! : 0;
      o += optionsHeader(p, t, o, true, plen);
      next = n;
    } else if (next === IPPROTO.DSTOPTS) {
      const n = t.avail(o, 1) ? d[o]! : 0;
      o += optionsHeader(p, t, o, false, plen);
      next = n;
    } else if (next === IPPROTO.ROUTING) {
      const n = t.avail(o, 1) ? d[o]! : 0;
      o += routingHeader(p, t, o);
      // (Not after a fragment header: the network layer's addresses are in the packet's own bytes.)
      if (routeDst >= 0 && d === p.ipData) {
        p.setDst(AddrKind.IPV6, routeDst, d);
        p.ipDstOff = routeDst;
      }
      next = n;
    } else if (next === IPPROTO.FRAGMENT) {
      enterExt(p, t, fraghdr.proto, "IPv6 Fragment", o, 8, 8);
      const n = d[o]!;
      const fo = u16(d, o + 2);
      t.uint(fraghdr.nxt, o, 1, n);
      t.uint(fraghdr.reserved_octet, o + 1, 1, d[o + 1]!);
      t.uint(fraghdr.offset, o + 2, 2, fo);
      if (t.full) t.label(`${bitPattern(fraghdr.offset, fo)}Offset: ${fo >> 3} (${(fo >> 3) * 8} bytes)`);
      t.uint(fraghdr.reserved_bits, o + 2, 2, fo);
      t.bool(fraghdr.more, o + 2, 2, fo);
      const ident = u32(d, o + 4);
      t.uint(fraghdr.ident, o + 4, 4, ident);
      t.up();
      o += 8;
      next = n;
      // As for IPv4, a first fragment cut short by the snaplen is decoded on, not held back.
      const payloadEnd = end >= 0 ? end : t.rep;
      if ((fo & 0xfff8) !== 0 || ((fo & 1) !== 0 && t.avail(o, payloadEnd - o))) {
        if (end >= 0 && t.avail(o, end - o)) {
          const table = p.session.store("ipv6.fragments", newFragmentTable);
          const whole = table.add(fragmentKey(p, ident), p.num, d, o, end - o, fo & 0xfff8, (fo & 1) !== 0);
          if (whole !== null) {
            // The headers after the fragment header, and the payload, are in the reassembled bytes.
            showFragments(p, t, frag, whole, "IPv6");
            const datagram = whole.data;
            t.source(datagram, () => headersAndPayload(p, t, 0, n, plen, datagram.length, -1), "Reassembled IPv6");
            return;
          }
        }
        fragmentInfo = `IPv6 fragment (off=${(fo >> 3) * 8} more=${fo & 1 ? "y" : "n"} ident=0x${ident.toString(16).padStart(8, "0")} nxt=${n})`;
        break;
      }
    } else break;
  }
  t.up();

  if (fragmentInfo) {
    if (p.wantCols) p.info.set(fragmentInfo);
    callData(p, t, o);
  } else if (next === IPPROTO.NONE) {
    if (p.wantCols) p.info.set("IPv6 no next header");
    callData(p, t, o);
  } else {
    // Unlike IPv4, Wireshark hands an empty payload on too (a UDP header past the payload length
    // is then malformed).
    const sub = ipProtos.get(next);
    if (sub) sub(p, t, o);
    else {
      if (p.wantCols) p.info.set(`Unknown IP Protocol: ${ipProtoName(next)} (${next})`);
      callData(p, t, o);
    }
  }
}

function newFragmentTable(): FragmentTable {
  return new FragmentTable();
}

/** Source, destination and identification, as a map key. */
function fragmentKey(p: Packet, ident: number): string {
  const d = p.ipData;
  let k = ident.toString(16);
  for (let i = 0; i < 16; i += 2) k += String.fromCharCode((d[p.ipSrcOff + i]! << 8) | d[p.ipSrcOff + i + 1]!);
  for (let i = 0; i < 16; i += 2) k += String.fromCharCode((d[p.ipDstOff + i]! << 8) | d[p.ipDstOff + i + 1]!);
  return k;
}

/**
 * Ethertype 0x86dd. Wireshark's IPv6 dissector refuses a packet whose version is not 6 when it is
 * reached by ethertype: the IPv6 item stays in the tree, but the frame shows as undissected data
 * ("0x86dd", Info "IPv6") and ipv6 is not in frame.protocols.
 */
export function dissectIPv6Ethertype(p: Packet, t: Tree, off: number): number | void {
  if (!t.avail(off, 1) || t.d[off]! >> 4 === 6) return dissectIPv6(p, t, off);
  const layers = p.layers.length;
  dissectIPv6(p, t, off);
  p.layers.length = layers;
  p.protocol = "0x86dd";
  if (p.wantCols) p.info.set("IPv6");
  callData(p, t, off);
}

etherTypes.add(ETHERTYPE.IPV6, dissectIPv6Ethertype);
ipProtos.add(IPPROTO.IPV6, dissectIPv6);
