// ICMPv6 (RFC 4443), Neighbor Discovery (RFC 4861, options incl. RFC 4191 route information and
// RFC 8106 RDNSS/DNSSL), MLDv1/v2 (RFC 2710, RFC 3810). Error messages quote the offending
// IPv6 packet, dissected with the "in error packet" flag as for ICMP.
//   type 0 | code 1 | checksum 2..4 | message body 4..
import { Base, FT, registerExperts, registerProtocol, TFS_SET, vals, type Field } from "../fields.js";
import { callData, etherTypes, ipProtos } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { etherStringAt, ipv6ToString } from "../format.js";
import { CHECKSUM_STATUS, inErrorPkt, isFragmented } from "./udp.js";
import { dissectQuoted, EchoTracker, onesSum, recordValue, respTimeMs, respTimeValue, showChecksum, unverifiedWhy } from "./icmp.js";
import { checksum, putMac, putU16, type Layer } from "../build.js";
import { pseudoHeaderSum } from "./udp.js";

const TYPE = 0, CODE = 1, CKSUM = 2;

const DST_UNREACH = 1, PACKET_TOO_BIG = 2, TIME_EXCEEDED = 3, PARAM_PROB = 4, ECHO_REQUEST = 128,
  ECHO_REPLY = 129, MLD_QUERY = 130, MLD_REPORT = 131, MLD_DONE = 132, RS = 133, RA = 134, NS = 135, NA = 136,
  REDIRECT = 137, IND_SOLICIT = 141, IND_ADVERT = 142, MLDV2_REPORT = 143, MCAST_RA = 151, MCAST_RS = 152,
  MCAST_TERM = 153;

export const TYPE_NAMES = vals({
  1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem",
  100: "Private experimentation", 101: "Private experimentation", 127: "Reserved for expansion of ICMPv6 error messages",
  128: "Echo (ping) request", 129: "Echo (ping) reply", 130: "Multicast Listener Query", 131: "Multicast Listener Report",
  132: "Multicast Listener Done", 133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation",
  136: "Neighbor Advertisement", 137: "Redirect", 138: "Router Renumbering", 139: "Node Information Query",
  140: "Node Information Reply", 141: "Inverse Neighbor Discovery Solicitation", 142: "Inverse Neighbor Discovery Advertisement",
  143: "Multicast Listener Report Message v2", 144: "Home Agent Address Discovery Request", 145: "Home Agent Address Discovery Reply",
  146: "Mobile Prefix Solicitation", 147: "Mobile Prefix Advertisement", 148: "Certification Path Solicitation",
  149: "Certification Path Advertisement", 150: "Experimental Mobility", 151: "Multicast Router Advertisement",
  152: "Multicast Router Solicitation", 153: "Multicast Router Termination", 154: "FMIPv6", 155: "RPL Control",
  156: "Locator Update", 157: "Duplicate Address Request", 158: "Duplicate Address Confirmation", 159: "MPL Control Message",
  160: "Extended Echo request", 161: "Extended Echo reply", 200: "Private experimentation", 201: "Private experimentation",
  255: "Reserved for expansion of ICMPv6 informational messages",
});

const UNREACH_CODES = vals({
  0: "no route to destination", 1: "Administratively prohibited", 2: "Beyond scope of source address",
  3: "Address unreachable", 4: "Port unreachable", 5: "Source address failed ingress/egress policy",
  6: "Reject route to destination", 7: "Error in Source Routing Header",
});
const TIMEEX_CODES = vals({ 0: "hop limit exceeded in transit", 1: "fragment reassembly time exceeded" });
const PARAMPROB_CODES = vals({
  0: "erroneous header field encountered", 1: "unrecognized Next Header type encountered",
  2: "unrecognized IPv6 option encountered", 3: "IPv6 First Fragment has incomplete IPv6 Header Chain",
});
const RR_CODES = vals({ 0: "Command", 1: "Result", 255: "Sequence number reset" });
const NI_QUERY_CODES = vals({ 0: "Query subject = IPv6 addresses", 1: "Query subject = DNS name or empty", 2: "Query subject = IPv4 addresses" });
const NI_REPLY_CODES = vals({ 0: "Successful", 1: "Refused", 2: "Unknown query type" });
const RPL_CODES = vals({
  0: "DODAG Information Solicitation", 1: "DODAG Information Object", 2: "Destination Advertisement Object",
  3: "Destination Advertisement Object Acknowledgment", 4: "Peer-to-Peer Discovery Reply Object",
  5: "Peer-to-Peer Discovery Reply Object Acknowledgment", 128: "Secure DODAG Information Solicitation",
  129: "Secure DODAG Information Object", 130: "Secure Destination Advertisement Object",
  131: "Secure Destination Advertisement Object Acknowledgment", 132: "Secure Peer-to-Peer Discovery Reply Object",
  133: "Secure Peer-to-Peer Discovery Reply Object Acknowledgment", 138: "Consistency Check",
});
const EXTECHO_REQ_CODES = vals({ 0: "No error" });
const EXTECHO_REPLY_CODES = vals({ 0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry", 4: "Multiple Interfaces Satisfy Query" });

export const OPTION_NAMES = vals({
  1: "Source link-layer address", 2: "Target link-layer address", 3: "Prefix information", 4: "Redirected header",
  5: "MTU", 6: "NBMA Shortcut Limit Option", 7: "Advertisement Interval", 8: "Home Agent Information",
  9: "Source Address List", 10: "Target Address List", 11: "CGA", 12: "RSA Signature", 13: "Timestamp", 14: "Nonce",
  15: "Trust Anchor", 16: "Certificate", 17: "IP Address/Prefix Option", 18: "New Router Prefix Information",
  19: "Link-layer Address", 20: "Neighbor Advertisement Acknowledgment", 23: "MAP", 24: "Route Information",
  25: "Recursive DNS Server", 26: "RA Flags Extension", 27: "Handover Key Request", 28: "Handover Key Reply",
  29: "Handover Assist Information", 30: "Mobile Node Identifier Option", 31: "DNS Search List Option",
  32: "Proxy Signature (PS)", 33: "Address Registration Option", 34: "6LoWPAN Context Option",
  35: "Authoritative Border Router", 36: "6LoWPAN Capability Indication Option", 37: "DHCP Captive-Portal",
  38: "PREF64 Option", 138: "CARD Request", 139: "CARD Reply", 253: "RFC3692-style Experiment 1", 254: "RFC3692-style Experiment 2",
});

const ROUTER_PREF = vals({ 0: "Medium", 1: "High", 2: "Reserved", 3: "Low" });
const MLDR_RECORD_TYPES = vals({ 1: "Include", 2: "Exclude", 3: "Changed to include", 4: "Changed to exclude", 5: "Allow new sources", 6: "Block old sources" });

export const hf = registerProtocol("icmpv6", "Internet Control Message Protocol v6", {
  type: { abbrev: "icmpv6.type", name: "Type", type: FT.UINT8, strings: TYPE_NAMES },
  code: { abbrev: "icmpv6.code", name: "Code", type: FT.UINT8 },
  checksum: { abbrev: "icmpv6.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: "icmpv6.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  reserved: { abbrev: "icmpv6.reserved", name: "Reserved", type: FT.BYTES },
  data: { abbrev: "icmpv6.data", name: "Data", type: FT.BYTES },
  unknown_data: { abbrev: "icmpv6.unknown_data", name: "Unknown Data", type: FT.BYTES },
  mtu: { abbrev: "icmpv6.mtu", name: "MTU", type: FT.UINT32 },
  pointer: { abbrev: "icmpv6.pointer", name: "Pointer", type: FT.UINT32 },
  length: { abbrev: "icmpv6.length", name: "Length of original datagram", type: FT.UINT8 },
  echo_identifier: { abbrev: "icmpv6.echo.identifier", name: "Identifier", type: FT.UINT16, base: Base.HEX },
  echo_sequence_number: { abbrev: "icmpv6.echo.sequence_number", name: "Sequence", type: FT.UINT16 },
  nonce: { abbrev: "icmpv6.nonce", name: "Nonce", type: FT.BYTES },
  ra_cur_hop_limit: { abbrev: "icmpv6.nd.ra.cur_hop_limit", name: "Cur hop limit", type: FT.UINT8 },
  ra_flag: { abbrev: "icmpv6.nd.ra.flag", name: "Flags", type: FT.UINT8, base: Base.HEX },
  ra_flag_m: { abbrev: "icmpv6.nd.ra.flag.m", name: "Managed address configuration", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: TFS_SET },
  ra_flag_o: { abbrev: "icmpv6.nd.ra.flag.o", name: "Other configuration", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8, tfs: TFS_SET },
  ra_flag_h: { abbrev: "icmpv6.nd.ra.flag.h", name: "Home Agent", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: TFS_SET },
  ra_flag_prf: { abbrev: "icmpv6.nd.ra.flag.prf", name: "Prf (Default Router Preference)", type: FT.UINT8, mask: 0x18, strings: ROUTER_PREF },
  ra_flag_p: { abbrev: "icmpv6.nd.ra.flag.p", name: "Proxy", type: FT.BOOLEAN, mask: 0x04, bitWidth: 8, tfs: TFS_SET },
  ra_flag_rsv: { abbrev: "icmpv6.nd.ra.flag.rsv", name: "Reserved", type: FT.UINT8, mask: 0x03 },
  ra_router_lifetime: { abbrev: "icmpv6.nd.ra.router_lifetime", name: "Router lifetime (s)", type: FT.UINT16 },
  ra_reachable_time: { abbrev: "icmpv6.nd.ra.reachable_time", name: "Reachable time (ms)", type: FT.UINT32 },
  ra_retrans_timer: { abbrev: "icmpv6.nd.ra.retrans_timer", name: "Retrans timer (ms)", type: FT.UINT32 },
  ns_target_address: { abbrev: "icmpv6.nd.ns.target_address", name: "Target Address", type: FT.IPV6 },
  na_flag: { abbrev: "icmpv6.nd.na.flag", name: "Flags", type: FT.UINT32, base: Base.HEX },
  na_flag_r: { abbrev: "icmpv6.nd.na.flag.r", name: "Router", type: FT.BOOLEAN, mask: 0x80000000, bitWidth: 32, tfs: TFS_SET },
  na_flag_s: { abbrev: "icmpv6.nd.na.flag.s", name: "Solicited", type: FT.BOOLEAN, mask: 0x40000000, bitWidth: 32, tfs: TFS_SET },
  na_flag_o: { abbrev: "icmpv6.nd.na.flag.o", name: "Override", type: FT.BOOLEAN, mask: 0x20000000, bitWidth: 32, tfs: TFS_SET },
  na_flag_rsv: { abbrev: "icmpv6.nd.na.flag.rsv", name: "Reserved", type: FT.UINT32, mask: 0x1fffffff },
  na_target_address: { abbrev: "icmpv6.nd.na.target_address", name: "Target Address", type: FT.IPV6 },
  rd_target_address: { abbrev: "icmpv6.nd.rd.target_address", name: "Target Address", type: FT.IPV6 },
  rd_destination_address: { abbrev: "icmpv6.rd.na.destination_address", name: "Destination Address", type: FT.IPV6 },
  opt: { abbrev: "icmpv6.opt", name: "ICMPv6 Option", type: FT.NONE },
  opt_type: { abbrev: "icmpv6.opt.type", name: "Type", type: FT.UINT8, strings: OPTION_NAMES },
  opt_length: { abbrev: "icmpv6.opt.length", name: "Length", type: FT.UINT8 },
  opt_reserved: { abbrev: "icmpv6.opt.reserved", name: "Reserved", type: FT.NONE },
  opt_padding: { abbrev: "icmpv6.opt.padding", name: "Padding", type: FT.NONE },
  opt_linkaddr: { abbrev: "icmpv6.opt.linkaddr", name: "Link-layer address", type: FT.ETHER },
  opt_src_linkaddr: { abbrev: "icmpv6.opt.src_linkaddr", name: "Source Link-layer address", type: FT.ETHER, hidden: true },
  opt_target_linkaddr: { abbrev: "icmpv6.opt.target_linkaddr", name: "Target Link-layer address", type: FT.ETHER, hidden: true },
  opt_prefix_length: { abbrev: "icmpv6.opt.prefix.length", name: "Prefix Length", type: FT.UINT8 },
  opt_prefix_flag: { abbrev: "icmpv6.opt.prefix.flag", name: "Flag", type: FT.UINT8, base: Base.HEX },
  opt_prefix_flag_l: { abbrev: "icmpv6.opt.prefix.flag.l", name: "On-link flag(L)", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: TFS_SET },
  opt_prefix_flag_a: { abbrev: "icmpv6.opt.prefix.flag.a", name: "Autonomous address-configuration flag(A)", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8, tfs: TFS_SET },
  opt_prefix_flag_r: { abbrev: "icmpv6.opt.prefix.flag.r", name: "Router address flag(R)", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: TFS_SET },
  opt_prefix_flag_reserved: { abbrev: "icmpv6.opt.prefix.flag.reserved", name: "Reserved", type: FT.UINT8, mask: 0x1f },
  opt_prefix_valid_lifetime: { abbrev: "icmpv6.opt.prefix.valid_lifetime", name: "Valid Lifetime", type: FT.UINT32 },
  opt_prefix_preferred_lifetime: { abbrev: "icmpv6.opt.prefix.preferred_lifetime", name: "Preferred Lifetime", type: FT.UINT32 },
  opt_prefix: { abbrev: "icmpv6.opt.prefix", name: "Prefix", type: FT.IPV6 },
  opt_redirected_packet: { abbrev: "icmpv6.opt.redirected_packet", name: "Redirected Packet", type: FT.NONE },
  opt_mtu: { abbrev: "icmpv6.opt.mtu", name: "MTU", type: FT.UINT32 },
  opt_nbma_shortcut_limit: { abbrev: "icmpv6.opt.nbma.shortcut_limit", name: "Shortcut Limit", type: FT.UINT8 },
  opt_advertisement_interval: { abbrev: "icmpv6.opt.advertisement_interval", name: "Advertisement Interval", type: FT.UINT32 },
  opt_home_agent_preference: { abbrev: "icmpv6.opt.home_agent_preference", name: "Home Agent Preference", type: FT.UINT16 },
  opt_home_agent_lifetime: { abbrev: "icmpv6.opt.home_agent_lifetime", name: "Home Agent Preference", type: FT.UINT16 },
  opt_ipv6_address: { abbrev: "icmpv6.opt.ipv6_address", name: "IPv6 Address", type: FT.IPV6 },
  opt_nonce: { abbrev: "icmpv6.opt.nonce", name: "Nonce", type: FT.BYTES },
  opt_route_info_flag: { abbrev: "icmpv6.opt.route_info.flag", name: "Flag", type: FT.UINT8, base: Base.HEX },
  opt_route_info_pref: { abbrev: "icmpv6.opt.route_info.flag.route_preference", name: "Route Preference", type: FT.UINT8, mask: 0x18, strings: ROUTER_PREF },
  opt_route_info_reserved: { abbrev: "icmpv6.opt.route_info.flag.reserved", name: "Reserved", type: FT.UINT8, mask: 0xe7 },
  opt_route_lifetime: { abbrev: "icmpv6.opt.route_lifetime", name: "Route Lifetime", type: FT.UINT32 },
  opt_rdnss_lifetime: { abbrev: "icmpv6.opt.rdnss.lifetime", name: "Lifetime", type: FT.UINT32 },
  opt_rdnss: { abbrev: "icmpv6.opt.rdnss", name: "Recursive DNS Servers", type: FT.IPV6 },
  opt_dnssl_lifetime: { abbrev: "icmpv6.opt.dnssl.lifetime", name: "Lifetime", type: FT.UINT32 },
  opt_dnssl: { abbrev: "icmpv6.opt.dnssl", name: "Domain Names", type: FT.STRING },
  opt_captive_portal: { abbrev: "icmpv6.opt.captive_portal", name: "Captive Portal", type: FT.STRING },
  mld_mrd: { abbrev: "icmpv6.mld.maximum_response_delay", name: "Maximum Response Delay [ms]", type: FT.UINT16 },
  mld_multicast_address: { abbrev: "icmpv6.mld.multicast_address", name: "Multicast Address", type: FT.IPV6 },
  mld_mrc: { abbrev: "icmpv6.mld.maximum_response_code", name: "Maximum Response Code", type: FT.UINT16 },
  mld_flag: { abbrev: "icmpv6.mld.flag", name: "Flags", type: FT.UINT8, base: Base.HEX },
  mld_flag_s: { abbrev: "icmpv6.mld.flag.s", name: "Suppress Router-Side Processing", type: FT.BOOLEAN, mask: 0x08, bitWidth: 8, tfs: TFS_SET },
  mld_flag_qrv: { abbrev: "icmpv6.mld.flag.qrv", name: "QRV (Querier's Robustness Variable)", type: FT.UINT8, mask: 0x07 },
  mld_flag_rsv: { abbrev: "icmpv6.mld.flag.reserved", name: "Reserved", type: FT.UINT8, mask: 0xf0 },
  mld_qqi: { abbrev: "icmpv6.mld.qqi", name: "QQIC (Querier's Query Interval Code)", type: FT.UINT8 },
  mld_nb_sources: { abbrev: "icmpv6.mld.nb_sources", name: "Number of Sources", type: FT.UINT16 },
  mld_source_address: { abbrev: "icmpv6.mld.source_address", name: "Source Address", type: FT.IPV6 },
  mldr_nb_mcast_records: { abbrev: "icmpv6.mldr.nb_mcast_records", name: "Number of Multicast Address Records", type: FT.UINT16 },
  mldr_mar: { abbrev: "icmpv6.mldr.mar", name: "Multicast Address Record", type: FT.NONE },
  mldr_mar_record_type: { abbrev: "icmpv6.mldr.mar.record_type", name: "Record Type", type: FT.UINT8, strings: MLDR_RECORD_TYPES },
  mldr_mar_aux_data_len: { abbrev: "icmpv6.mldr.mar.aux_data_len", name: "Aux Data Len", type: FT.UINT8 },
  mldr_mar_nb_sources: { abbrev: "icmpv6.mldr.mar.nb_sources", name: "Number of Sources", type: FT.UINT16 },
  mldr_mar_multicast_address: { abbrev: "icmpv6.mldr.mar.multicast_address", name: "Multicast Address", type: FT.IPV6 },
  mldr_mar_source_address: { abbrev: "icmpv6.mldr.mar.source_address", name: "Source Address", type: FT.IPV6 },
  mldr_mar_auxiliary_data: { abbrev: "icmpv6.mldr.mar.auxiliary_data", name: "Auxiliary Data", type: FT.BYTES },
  mcast_ra_query_interval: { abbrev: "icmpv6.mcast_ra.query_interval", name: "Query Interval", type: FT.UINT16 },
  mcast_ra_robustness_variable: { abbrev: "icmpv6.mcast_ra.robustness_variable", name: "Robustness Variable", type: FT.UINT16 },
  resp_in: { abbrev: "icmpv6.resp_in", name: "Response In", type: FT.FRAMENUM, generated: true },
  resp_to: { abbrev: "icmpv6.resp_to", name: "Response To", type: FT.FRAMENUM, generated: true },
  resptime: { abbrev: "icmpv6.resptime", name: "Response Time", type: FT.DOUBLE, generated: true },
});

export const ei = registerExperts(hf.proto, {
  checksum_bad: { abbrev: "icmpv6.checksum_bad.expert", group: "checksum", severity: "warn", summary: "Bad checksum" },
  invalid_option_length: { abbrev: "icmpv6.invalid_option_length", group: "malformed", severity: "error", summary: "Invalid Option Length" },
  undecoded_option: { abbrev: "icmpv6.undecoded.option", group: "undecoded", severity: "note", summary: "Undecoded option" },
  unknown_data: { abbrev: "icmpv6.unknown_data.expert", group: "malformed", severity: "error", summary: "Unknown Data (not interpreted)" },
  undecoded_type: { abbrev: "icmpv6.undecoded.type", group: "undecoded", severity: "note", summary: "Undecoded type" },
});

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** Adds an unsigned field of n bytes (1, 2 or 4) at o after checking it, and returns its value. */
function field(t: Tree, f: Field, o: number, n: number): number {
  t.check(o, n);
  const d = t.d;
  const v = n === 1 ? d[o]! : n === 2 ? u16(d, o) : u32(d, o);
  t.uint(f, o, n, v);
  return v;
}

/**
 * Label of a flags item as proto_tree_add_bitmask writes it: set booleans by name, and fields
 * with value strings as "name: value"; plain integers are left out.
 */
function bitmaskLabel(name: string, v: number, digits: number, fields: readonly Field[]): string {
  let s = `${name}: 0x${(v >>> 0).toString(16).padStart(digits, "0")}`;
  for (const f of fields) {
    const x = (v & f.mask) >>> f.shift;
    if (f.type === FT.BOOLEAN) {
      if (x) s += `, ${f.name}`;
    } else if (f.strings) s += `, ${f.name}: ${f.strings.get(x) ?? "Unknown"}`;
  }
  return s;
}

/** An FT_NONE item over bytes that must exist (Wireshark bounds-checks those too). */
function none(t: Tree, f: Field, o: number, n: number): void {
  t.check(o, n);
  t.none(f, o, n);
}

function codeName(type: number, code: number): string | null {
  switch (type) {
    case DST_UNREACH: return UNREACH_CODES.get(code) ?? "Unknown";
    case TIME_EXCEEDED: return TIMEEX_CODES.get(code) ?? `Unknown (${code})`;
    case PARAM_PROB: return PARAMPROB_CODES.get(code) ?? `Unknown (${code})`;
    case 138: return RR_CODES.get(code) ?? `Unknown (${code})`;
    case 139: return NI_QUERY_CODES.get(code) ?? `Unknown (${code})`;
    case 140: return NI_REPLY_CODES.get(code) ?? `Unknown (${code})`;
    case 155: return RPL_CODES.get(code) ?? `Unknown (${code})`;
    case 160: return EXTECHO_REQ_CODES.get(code) ?? `Unknown (${code})`;
    case 161: return EXTECHO_REPLY_CODES.get(code) ?? `Unknown (${code})`;
    default: return null;
  }
}

const newTracker = (): EchoTracker => new EchoTracker();

/** The quoted IPv6 packet of an error message or a redirected-header option. */
function contained(p: Packet, t: Tree, off: number, end: number): void {
  if (off >= t.cap) return;
  if ((t.d[off]! & 0xf0) === 0x60) {
    const ip6 = etherTypes.get(0x86dd);
    if (ip6) dissectQuoted(p, t, off, Math.min(end, t.rep), ip6);
  } else {
    t.enter(end);
    callData(p, t, off);
    t.leave();
  }
}

/** DNS name (uncompressed labels, as in DNSSL): text and bytes used. */
function dnsName(d: Uint8Array, o: number, cap: number): [string, number] {
  let s = "";
  let i = o;
  while (i < cap) {
    const n = d[i]!;
    if (n === 0) {
      i++;
      return [s || "<Root>", i - o];
    }
    if ((n & 0xc0) !== 0) {
      // A compression pointer ends the name (DNSSL names are not compressed).
      return [s || "<Root>", Math.min(i + 2, cap) - o];
    }
    if (i + 1 + n > cap) break;
    let label = "";
    for (let k = 0; k < n; k++) {
      const c = d[i + 1 + k]!;
      label += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : "\\" + c.toString(8).padStart(3, "0");
    }
    s += (s ? "." : "") + label;
    i += 1 + n;
  }
  return [s || "<Root>", Math.max(1, i - o)];
}

/** " (rtr, sol, ovr)" in a Neighbor Advertisement's Info, by its top three flag bits. */
const NA_FLAGS_TEXT = Array.from({ length: 8 }, (_, v) => {
  const parts = [v & 4 ? "rtr" : "", v & 2 ? "sol" : "", v & 1 ? "ovr" : ""].filter((s) => s);
  return ` (${parts.length ? parts.join(", ") : "none"})`;
});

/** The ND option list; returns the offset after the last option. */
function ndOptions(p: Packet, t: Tree, off: number): number {
  const d = t.d;
  let o = off;
  while (t.rep > o) {
    t.check(o + 1, 1);
    const optLen = d[o + 1]! * 8;
    const type = d[o]!;
    t.check(o, optLen);
    t.none(hf.opt, o, optLen);
    const item = t.lastItem();
    let label = t.full ? `ICMPv6 Option (${OPTION_NAMES.get(type) ?? `Unknown ${type}`}` : "";
    t.down();
    t.uint(hf.opt_type, o, 1, type);
    t.uint(hf.opt_length, o + 1, 1, d[o + 1]!);
    if (t.full) t.label(`Length: ${d[o + 1]} (${optLen} bytes)`);
    if (optLen === 0) {
      t.expert(p, ei.invalid_option_length, o + 1, 1, "Invalid option length (Zero)");
      t.up();
      if (item !== null) item.text = label + ")";
      return o + 2;
    }
    let q = o + 2;
    const end = o + optLen;
    switch (type) {
      case 1: case 2: { // source / target link-layer address
        if (optLen === 8) {
          t.ether(hf.opt_linkaddr, q);
          t.ether(type === 1 ? hf.opt_src_linkaddr : hf.opt_target_linkaddr, q);
          if (p.wantCols) p.info.add(type === 1 ? " from " : " is at ").ether(d, q);
          if (t.full) label += ` : ${etherStringAt(d, q)}`;
        }
        // Other lengths (EUI-64, non-Ethernet links) are left undecoded here.
        q += optLen;
        break;
      }
      case 3: { // prefix information
        const plen = field(t, hf.opt_prefix_length, q, 1);
        const fl = field(t, hf.opt_prefix_flag, q + 1, 1);
        if (t.full) t.label(bitmaskLabel("Flag", fl, 2, [hf.opt_prefix_flag_l, hf.opt_prefix_flag_a, hf.opt_prefix_flag_r, hf.opt_prefix_flag_reserved]));
        t.down();
        t.bool(hf.opt_prefix_flag_l, q + 1, 1, fl);
        t.bool(hf.opt_prefix_flag_a, q + 1, 1, fl);
        t.bool(hf.opt_prefix_flag_r, q + 1, 1, fl);
        t.uint(hf.opt_prefix_flag_reserved, q + 1, 1, fl);
        t.up();
        field(t, hf.opt_prefix_valid_lifetime, q + 2, 4);
        field(t, hf.opt_prefix_preferred_lifetime, q + 6, 4);
        none(t, hf.opt_reserved, q + 10, 4);
        t.ipv6(hf.opt_prefix, q + 14);
        if (t.full) label += ` : ${ipv6ToString(d, q + 14)}/${plen}`;
        q += 30;
        break;
      }
      case 4: // redirected header
        none(t, hf.opt_reserved, q, 6);
        q += 6;
        if (optLen > 8) {
          none(t, hf.opt_redirected_packet, q, optLen - 8);
          contained(p, t, q, q + optLen - 8);
          q += optLen - 8;
        }
        break;
      case 5: // MTU
        none(t, hf.opt_reserved, q, 2);
        label += ` : ${field(t, hf.opt_mtu, q + 2, 4) | 0}`;
        q += 6;
        break;
      case 6: // NBMA shortcut limit
        label += ` : ${field(t, hf.opt_nbma_shortcut_limit, q, 1)}`;
        none(t, hf.opt_reserved, q, 1);
        none(t, hf.opt_reserved, q + 1, 4);
        q += 5;
        break;
      case 7: // advertisement interval
        none(t, hf.opt_reserved, q, 2);
        label += ` : ${field(t, hf.opt_advertisement_interval, q + 2, 4) | 0}`;
        q += 6;
        break;
      case 8: // home agent information
        none(t, hf.opt_reserved, q, 2);
        field(t, hf.opt_home_agent_preference, q + 2, 2);
        field(t, hf.opt_home_agent_lifetime, q + 4, 2);
        q += 6;
        break;
      case 9: case 10: // source / target address list
        none(t, hf.opt_reserved, q, 6);
        q += 6;
        while (q < end) {
          t.ipv6(hf.opt_ipv6_address, q);
          if (t.full) label += ` ${ipv6ToString(d, q)}`;
          q += 16;
        }
        break;
      case 14: // nonce
        t.bytes(hf.opt_nonce, q, optLen - 2);
        q += optLen - 2;
        break;
      case 24: { // route information (RFC 4191)
        const plen = field(t, hf.opt_prefix_length, q, 1);
        const fl = field(t, hf.opt_route_info_flag, q + 1, 1);
        if (t.full) t.label(bitmaskLabel("Flag", fl, 2, [hf.opt_route_info_pref, hf.opt_route_info_reserved]));
        t.down();
        t.uint(hf.opt_route_info_pref, q + 1, 1, fl);
        t.uint(hf.opt_route_info_reserved, q + 1, 1, fl);
        t.up();
        label += ` : ${ROUTER_PREF.get((fl & 0x18) >> 3)}`;
        field(t, hf.opt_route_lifetime, q + 2, 4);
        q += 6;
        if (optLen === 8) label += ` ::/${plen}`;
        else if (optLen === 16) {
          t.check(q, 8);
          const pfx = new Uint8Array(16);
          pfx.set(d.subarray(q, q + 8));
          recordValue(t, hf.opt_prefix, q, 8, pfx);
          if (t.full) label += ` ${ipv6ToString(pfx)}/${plen}`;
          q += 8;
        } else if (optLen === 24) {
          t.ipv6(hf.opt_prefix, q);
          if (t.full) label += ` ${ipv6ToString(d, q)}/${plen}`;
          q += 16;
        } else t.expert(p, ei.invalid_option_length, o + 1, 1);
        break;
      }
      case 25: // recursive DNS server
        none(t, hf.opt_reserved, q, 2);
        field(t, hf.opt_rdnss_lifetime, q + 2, 4);
        q += 6;
        while (q < end) {
          t.ipv6(hf.opt_rdnss, q);
          if (t.full) label += ` ${ipv6ToString(d, q)}`;
          q += 16;
        }
        break;
      case 31: // DNS search list
        none(t, hf.opt_reserved, q, 2);
        field(t, hf.opt_dnssl_lifetime, q + 2, 4);
        q += 6;
        while (q < end) {
          t.check(q, 1);
          if (d[q] === 0) {
            none(t, hf.opt_padding, q, end - q);
            q = end;
            break;
          }
          const [nm, used] = dnsName(d, q, Math.min(t.cap, end));
          t.str(hf.opt_dnssl, q, Math.min(used, Math.max(0, t.cap - q)), nm);
          if (t.full) label += ` ${nm}`;
          q += used;
        }
        break;
      case 37: { // captive portal
        t.check(q, optLen - 2);
        let s = "";
        for (let i = 0; i < optLen - 2 && d[q + i] !== 0; i++) s += String.fromCharCode(d[q + i]!);
        t.str(hf.opt_captive_portal, q, optLen - 2, s);
        q += optLen - 2;
        break;
      }
      default:
        t.expert(p, ei.undecoded_option, o, optLen, `Dissector for ICMPv6 Option (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
        t.bytes(hf.data, q, optLen - 2);
        q += optLen - 2;
        break;
    }
    o += optLen;
    if (o > q) {
      t.bytes(hf.unknown_data, q, o - q);
      t.expert(p, ei.unknown_data, q, o - q);
    }
    t.up();
    if (item !== null) item.text = label + ")";
  }
  return o;
}

/** Sets the label of the option item just closed (the last FT_NONE icmpv6.opt at this level). */
function mldv2Report(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  let o = off;
  t.bytes(hf.reserved, o, 2);
  o += 2;
  t.check(o, 2);
  t.uint(hf.mldr_nb_mcast_records, o, 2, u16(d, o));
  o += 2;
  while (o < t.rep) {
    t.none(hf.mldr_mar, o, Math.max(0, Math.min(20, t.cap - o)));
    const item = t.lastItem();
    t.down();
    t.check(o, 4);
    const rtype = d[o]!;
    const aux = d[o + 1]!;
    const nsrc = u16(d, o + 2);
    t.uint(hf.mldr_mar_record_type, o, 1, rtype);
    t.uint(hf.mldr_mar_aux_data_len, o + 1, 1, aux);
    t.uint(hf.mldr_mar_nb_sources, o + 2, 2, nsrc);
    t.ipv6(hf.mldr_mar_multicast_address, o + 4);
    // Labelled as soon as its address is read: a record cut short keeps the label.
    if (item !== null) item.text = `Multicast Address Record ${MLDR_RECORD_TYPES.get(rtype) ?? `Unknown Record Type (${rtype})`}: ${ipv6ToString(d, o + 4)}`;
    o += 20;
    for (let i = 0; i < nsrc; i++) {
      t.ipv6(hf.mldr_mar_source_address, o);
      o += 16;
    }
    if (aux) {
      t.bytes(hf.mldr_mar_auxiliary_data, o, aux * 4);
      o += aux * 4;
    }
    t.up();
  }
}

export function dissectIcmpv6(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const inError = inErrorPkt();
  p.protocol = "ICMPv6";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "ICMPv6";
  t.check(off, 1);
  const type = d[off + TYPE]!;
  t.uint(hf.type, off + TYPE, 1, type);
  if (p.wantCols) p.info.set(TYPE_NAMES.get(type) ?? `Unknown (${type})`);
  t.check(off + CODE, 1);
  const code = d[off + CODE]!;
  t.uint(hf.code, off + CODE, 1, code);
  const cname = codeName(type, code);
  if (cname !== null) {
    if (p.wantCols) p.info.add(` (${cname})`);
    if (t.full) t.label(`Code: ${code} (${cname})`);
  }
  const teredo = p.dstPort === 3544 && type === ECHO_REQUEST;
  if (teredo) {
    p.protocol = "Teredo";
    if (p.wantCols) p.info.set("Direct IPv6 Connectivity Test");
  }

  t.check(off + CKSUM, 2);
  const sum = u16(d, off + CKSUM);
  const reported = t.rep - off;
  const captured = t.cap - off;
  t.uint(hf.checksum, off + CKSUM, 2, sum);
  let computed = -1;
  if (captured >= reported && !inError && !isFragmented(p)) {
    const alen = p.ipVersion === 6 ? 16 : p.ipVersion === 4 ? 4 : 0;
    let s = 0;
    if (alen > 0) {
      s = onesSum(p.ipData, p.ipSrcOff, alen, s);
      s = onesSum(p.ipData, p.ipDstOff, alen, s);
    }
    s += Math.floor(reported / 0x10000) + (reported & 0xffff) + 58;
    s = onesSum(d, off, reported, s);
    computed = ~s & 0xffff;
  }
  showChecksum(p, t, hf.checksum_status, ei.checksum_bad, off + CKSUM, sum, computed, unverifiedWhy(inError));
  let o = off + 4;

  if (type === ECHO_REQUEST || type === ECHO_REPLY) {
    t.check(o, 2);
    const id = u16(d, o);
    t.uint(hf.echo_identifier, o, 2, id);
    t.check(o + 2, 2);
    const sq = u16(d, o + 2);
    t.uint(hf.echo_sequence_number, o + 2, 2, sq);
    o += 4;
    if (p.wantCols && !teredo) {
      p.info.add(" id=0x").hex(id, 4).add(", seq=").dec(sq);
      if (p.ipVersion === 6 && p.ipSrcOff >= 1) p.info.add(", hop limit=").dec(p.ipData[p.ipSrcOff - 1]!);
    }
    if (teredo) {
      t.bytes(hf.nonce, o, 4);
      o += 4;
    } else {
      if (!inError) {
        const tracker = p.session.store("icmpv6.echo", newTracker);
        const k1 = (id * 0x10000 + sq) >>> 0;
        if (type === ECHO_REQUEST) tracker.request(p, sum === 0xffff ? 0 : sum, k1);
        else {
          // The request's checksum differs from the reply's by the type field only.
          let k = (~sum & 0xffff) + (~0x0100 & 0xffff);
          k = (k & 0xffff) + (k >>> 16);
          const tr = tracker.reply(p, ~k & 0xffff, k1);
          if (tr) {
            t.num(hf.resp_to, tr.reqFrame);
            if (t.full) t.label(`[Response To: ${tr.reqFrame}]`);
            if (t.wants(hf.resptime)) {
              const ms = respTimeMs(p, tr);
              t.num(hf.resptime, respTimeValue(ms));
              if (t.full) t.label(`[Response Time: ${ms.toFixed(3)} ms]`);
            }
            if (p.wantCols) p.info.add(" (request in ").dec(tr.reqFrame).char(0x29);
          }
        }
      }
      callData(p, t, o);
    }
    t.up();
    return;
  }

  switch (type) {
    case DST_UNREACH: case TIME_EXCEEDED: {
      t.check(o, 1);
      const odl = d[o]!;
      if (odl) {
        t.uint(hf.length, o, 1, odl);
        t.bytes(hf.reserved, o + 1, 3);
      } else t.bytes(hf.reserved, o, 4);
      o += 4;
      contained(p, t, o, t.rep);
      break;
    }
    case PACKET_TOO_BIG:
      field(t, hf.mtu, o, 4);
      contained(p, t, o + 4, t.rep);
      break;
    case PARAM_PROB:
      field(t, hf.pointer, o, 4);
      contained(p, t, o + 4, t.rep);
      break;
    case MLD_QUERY: case MLD_REPORT: case MLD_DONE:
      if (type === MLD_QUERY && captured >= 28) {
        t.check(o, 2);
        let mrc = u16(d, o);
        if (mrc >= 32768) mrc = ((mrc & 0x0fff) | 0x1000) * 2 ** (((mrc & 0x7000) >> 12) + 3);
        t.uint(hf.mld_mrc, o, 2, mrc);
        t.bytes(hf.reserved, o + 2, 2);
        t.ipv6(hf.mld_multicast_address, o + 4);
        const fl = field(t, hf.mld_flag, o + 20, 1);
        if (t.full) t.label(bitmaskLabel("Flags", fl, 2, [hf.mld_flag_s, hf.mld_flag_qrv, hf.mld_flag_rsv]));
        t.down();
        t.bool(hf.mld_flag_s, o + 20, 1, fl);
        t.uint(hf.mld_flag_qrv, o + 20, 1, fl);
        t.uint(hf.mld_flag_rsv, o + 20, 1, fl);
        t.up();
        t.check(o + 21, 1);
        let qqi = d[o + 21]!;
        if (qqi >= 128) qqi = ((qqi & 0x0f) | 0x10) << (((qqi & 0x70) >> 4) + 3);
        t.uint(hf.mld_qqi, o + 21, 1, qqi);
        const n = field(t, hf.mld_nb_sources, o + 22, 2);
        o += 24;
        for (let i = 0; i < n; i++, o += 16) t.ipv6(hf.mld_source_address, o);
      } else {
        field(t, hf.mld_mrd, o, 2);
        t.bytes(hf.reserved, o + 2, 2);
        t.ipv6(hf.mld_multicast_address, o + 4);
      }
      break;
    case RS: case IND_SOLICIT: case IND_ADVERT:
      t.bytes(hf.reserved, o, 4);
      ndOptions(p, t, o + 4);
      break;
    case RA: {
      field(t, hf.ra_cur_hop_limit, o, 1);
      const fl = field(t, hf.ra_flag, o + 1, 1);
      if (t.full) t.label(bitmaskLabel("Flags", fl, 2, [hf.ra_flag_m, hf.ra_flag_o, hf.ra_flag_h, hf.ra_flag_prf, hf.ra_flag_p, hf.ra_flag_rsv]));
      t.down();
      t.bool(hf.ra_flag_m, o + 1, 1, fl);
      t.bool(hf.ra_flag_o, o + 1, 1, fl);
      t.bool(hf.ra_flag_h, o + 1, 1, fl);
      t.uint(hf.ra_flag_prf, o + 1, 1, fl);
      t.bool(hf.ra_flag_p, o + 1, 1, fl);
      t.uint(hf.ra_flag_rsv, o + 1, 1, fl);
      t.up();
      field(t, hf.ra_router_lifetime, o + 2, 2);
      field(t, hf.ra_reachable_time, o + 4, 4);
      field(t, hf.ra_retrans_timer, o + 8, 4);
      ndOptions(p, t, o + 12);
      break;
    }
    case NS:
      t.bytes(hf.reserved, o, 4);
      t.ipv6(hf.ns_target_address, o + 4);
      if (p.wantCols) p.info.add(" for ").ipv6(d, o + 4);
      ndOptions(p, t, o + 20);
      break;
    case NA: {
      const fl = field(t, hf.na_flag, o, 4);
      if (t.full) t.label(bitmaskLabel("Flags", fl, 8, [hf.na_flag_r, hf.na_flag_s, hf.na_flag_o, hf.na_flag_rsv]));
      t.down();
      t.bool(hf.na_flag_r, o, 4, fl);
      t.bool(hf.na_flag_s, o, 4, fl);
      t.bool(hf.na_flag_o, o, 4, fl);
      t.uint(hf.na_flag_rsv, o, 4, fl);
      t.up();
      t.ipv6(hf.na_target_address, o + 4);
      if (p.wantCols) {
        p.info.char(0x20).ipv6(d, o + 4).add(NA_FLAGS_TEXT[fl >>> 29]!);
      }
      ndOptions(p, t, o + 20);
      break;
    }
    case REDIRECT:
      t.bytes(hf.reserved, o, 4);
      t.ipv6(hf.rd_target_address, o + 4);
      t.ipv6(hf.rd_destination_address, o + 20);
      ndOptions(p, t, o + 36);
      break;
    case MLDV2_REPORT:
      mldv2Report(p, t, o);
      break;
    case MCAST_RA:
      field(t, hf.mcast_ra_query_interval, o, 2);
      field(t, hf.mcast_ra_robustness_variable, o + 2, 2);
      break;
    case MCAST_RS: case MCAST_TERM:
      break;
    default: {
      // Types Wireshark decodes in more detail (router renumbering, node information, RPL,
      // mobility...) are kept as data here.
      if (!TYPE_NAMES.has(type)) t.expert(p, ei.undecoded_type, off, 1, `Dissector for ICMPv6 Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
      const n = Math.max(0, t.cap - o);
      if (n > 0) t.bytes(hf.data, o, n);
      break;
    }
  }
  t.up();
}

ipProtos.add(58, dissectIcmpv6);

// ---- building ----

export interface Icmpv6Repr {
  type: number;
  code?: number;
  /** Everything after the checksum (e.g. from ndNsBody / ndNaBody). */
  body?: Uint8Array;
}

/**
 * An ICMPv6 message as a build layer (the mirror of dissectIcmpv6). The checksum covers the
 * pseudo header of the IP layer outside it (next header 58), and is left 0 without one.
 */
export function icmpv6Layer(r: Icmpv6Repr): Layer {
  const body = r.body ?? new Uint8Array(0);
  return {
    headerLen: 4 + body.length,
    emit(b, off, _payloadLen, ctx) {
      b[off + TYPE] = r.type;
      b[off + CODE] = r.code ?? 0;
      putU16(b, off + CKSUM, 0);
      b.set(body, off + 4);
      ctx.ipProto = 58;
    },
    finish(b, off, payloadLen, ctx) {
      const len = 4 + body.length + payloadLen;
      const pseudo = pseudoHeaderSum(ctx, 58, len);
      if (pseudo >= 0) putU16(b, off + CKSUM, checksum(b, off, len, pseudo));
    },
  };
}

// Neighbor Discovery bodies (RFC 4861 4.3, 4.4), offsets from the end of the checksum:
//   reserved or flags 0..4 | target address 4..20 | options 20..
// and a link-layer address option (4.6.1): type 0 | length in 8-byte units 1 | address 2..8.
const ND_TARGET = 4, ND_OPTS = 20, OPT_SRC_LINKADDR = 1, OPT_TGT_LINKADDR = 2, LINKADDR_OPT_LEN = 8;

/** Neighbor Advertisement flags (the 32-bit word icmpv6.nd.na.flag shows). */
export const NA_FLAG_ROUTER = 0x80000000, NA_FLAG_SOLICITED = 0x40000000, NA_FLAG_OVERRIDE = 0x20000000;

function ndBody(word: number, target: Uint8Array, optType: number, linkAddr: number | undefined): Uint8Array {
  if (target.length !== 16) throw new RangeError(`ND target must be 16 bytes, got ${target.length}`);
  const b = new Uint8Array(ND_OPTS + (linkAddr === undefined ? 0 : LINKADDR_OPT_LEN));
  b[0] = word >>> 24;
  b[1] = (word >>> 16) & 255;
  b[2] = (word >>> 8) & 255;
  b[3] = word & 255;
  b.set(target, ND_TARGET);
  if (linkAddr !== undefined) {
    b[ND_OPTS] = optType;
    b[ND_OPTS + 1] = LINKADDR_OPT_LEN / 8;
    putMac(b, ND_OPTS + 2, linkAddr);
  }
  return b;
}

/** Neighbor Solicitation body (type 135): target, and a source link-layer address option if given. */
export function ndNsBody(target: Uint8Array, srcLinkAddr?: number): Uint8Array {
  return ndBody(0, target, OPT_SRC_LINKADDR, srcLinkAddr);
}

/**
 * Neighbor Advertisement body (type 136): `flags` is the 32-bit word (NA_FLAG_ROUTER |
 * NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE), then the target, and a target link-layer address option
 * if given.
 */
export function ndNaBody(target: Uint8Array, flags: number, tgtLinkAddr?: number): Uint8Array {
  return ndBody(flags, target, OPT_TGT_LINKADDR, tgtLinkAddr);
}
