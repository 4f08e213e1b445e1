// Internet Protocol version 4 (RFC 791), as Wireshark 4.0's packet-ip.c shows it.
//   version/IHL 0 | DS field 1 | total length 2..4 | identification 4..6 | flags+fragment offset 6..8
//   TTL 8 | protocol 9 | header checksum 10..12 | source 12..16 | destination 16..20 | options 20..IHL*4
//
// Fragments are reassembled as tshark does by default (ip.defragment: see ip-reassembly.ts): a
// fragment whose payload is all captured is held, shown as "Fragmented IP protocol (proto=...,
// off=..., ID=...)" plus data, and the fragment completing the datagram decodes it. The key is
// (source, destination, protocol ^ identification), as Wireshark's. A first fragment cut short by
// the snaplen is decoded as far as it goes, as tshark does.
//
// The header checksum is not verified, as tshark by default (ip.check_checksum:FALSE):
// ip.checksum.status is always 2 (Unverified).
import { Base, FT, registerExperts, registerProtocol, TFS_SET, TFS_YES, vals, type Field } from "../fields.js";
import { callData, etherTypes, ipProtos } from "../dispatch.js";
import { bitPattern, ipv4StringAt } from "../format.js";
import { AddrKind, Tap, type Packet } from "../packet.js";
import { inErrorPkt } from "./udp.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE } from "./ethertypes.js";
import { IPPROTO, IPPROTO_NAMES, ipProtoName } from "./ipproto-names.js";
import { checksum, putU16, putU32, type Layer } from "../build.js";
import { FragmentTable, registerFragmentFields, showFragments, type Datagram } from "./ip-reassembly.js";

const VHL = 0, TOS = 1, LEN = 2, ID = 4, FRAG = 6, TTL = 8, PROTO = 9, CSUM = 10, SRC = 12, DST = 16, MIN_HDR = 20;
const IP_MF = 0x2000, IP_OFFSET = 0x1fff;

export const DSCP_NAMES = vals({
  0: "Default", 1: "Lower Effort", 8: "Class Selector 1", 10: "Assured Forwarding 11", 12: "Assured Forwarding 12",
  14: "Assured Forwarding 13", 16: "Class Selector 2", 18: "Assured Forwarding 21", 20: "Assured Forwarding 22",
  22: "Assured Forwarding 23", 24: "Class Selector 3", 26: "Assured Forwarding 31", 28: "Assured Forwarding 32",
  30: "Assured Forwarding 33", 32: "Class Selector 4", 34: "Assured Forwarding 41", 36: "Assured Forwarding 42",
  38: "Assured Forwarding 43", 40: "Class Selector 5", 44: "Voice Admit", 46: "Expedited Forwarding",
  48: "Class Selector 6", 56: "Class Selector 7",
});
/** Short DSCP names for the DS field summary ("DSCP: CS0"). */
export const DSCP_SHORT = vals({
  0: "CS0", 1: "LE", 8: "CS1", 10: "AF11", 12: "AF12", 14: "AF13", 16: "CS2", 18: "AF21", 20: "AF22", 22: "AF23",
  24: "CS3", 26: "AF31", 28: "AF32", 30: "AF33", 32: "CS4", 34: "AF41", 36: "AF42", 38: "AF43", 40: "CS5",
  44: "VA", 46: "EF", 48: "CS6", 56: "CS7",
});
export const ECN_NAMES = vals({
  0: "Not ECN-Capable Transport", 1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'", 3: "Congestion Experienced",
});
export const ECN_SHORT = ["Not-ECT", "ECT(1)", "ECT(0)", "CE"] as const;

const CHECKSUM_STATUS = vals({ 0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present", 4: "Illegal" });
const OPT_CLASS = vals({ 0: "Control", 1: "Reserved for future use", 2: "Debugging and measurement", 3: "Reserved for future use" });
const OPT_NUMBER = vals({
  0: "End of Option List (EOL)", 1: "No-Operation (NOP)", 2: "Security", 3: "Loose source route", 4: "Time stamp",
  5: "Extended security", 6: "Commercial IP security option", 7: "Record route", 8: "Stream identifier",
  9: "Strict source route", 10: "Experimental Measurement", 11: "MTU probe", 12: "MTU Reply",
  13: "Experimental Flow Control", 14: "Experimental Access Control", 15: "Ask Estrin", 16: "IMI Traffic Descriptor",
  17: "Extended Internet Protocol", 18: "Traceroute", 19: "Address Extension", 20: "Router Alert",
  21: "Selective Directed Broadcast", 22: "Unassigned", 23: "Dynamic Packet State", 24: "Upstream Multicast Packet",
  25: "Quick-Start", 30: "RFC 3692-style experiment",
});
const QS_FUNC = vals({ 0: "Rate request", 8: "Rate report" });
const QS_RATE = vals({
  0: "0 bit/s", 1: "80 Kbit/s", 2: "160 Kbit/s", 3: "320 Kbit/s", 4: "640 Kbit/s", 5: "1.28 Mbit/s", 6: "2.56 Mbit/s",
  7: "5.12 Mbit/s", 8: "10.24 Mbit/s", 9: "20.48 Mbit/s", 10: "40.96 Mbit/s", 11: "81.92 Mbit/s", 12: "163.84 Mbit/s",
  13: "327.68 Mbit/s", 14: "655.36 Mbit/s", 15: "1.31072 Gbit/s",
});
const SEC_RFC791 = vals({
  0x0000: "Unclassified", 0xf135: "Confidential", 0x789a: "EFTO", 0xbc4d: "MMMM", 0x5e26: "PROG", 0xaf13: "Restricted",
  0xd788: "Secret", 0x6bc5: "Top secret", 0x35e2: "Reserved", 0x9af1: "Reserved", 0x4d78: "Reserved", 0x24bd: "Reserved",
  0x135e: "Reserved", 0x89af: "Reserved", 0xc4d6: "Reserved", 0xe26b: "Reserved",
});
const SEC_CL = vals({
  0x01: "Reserved 4", 0x3d: "Top secret", 0x5a: "Secret", 0x96: "Confidential", 0x66: "Reserved 3", 0xcc: "Reserved 2",
  0xab: "Unclassified", 0xf1: "Reserved 1",
});
const TS_FLAG = vals({ 0: "Time stamps only", 1: "Time stamp and address", 3: "Time stamps for prespecified addresses" });
const CIPSO_TAG = vals({
  0: "Padding", 1: "Restrictive Category Bitmap", 2: "Enumerated Categories", 5: "Ranged Categories",
  6: "Permissive Categories", 7: "Free Form",
});

export const hf = registerProtocol("ip", "Internet Protocol Version 4", {
  version: { abbrev: "ip.version", name: "Version", type: FT.UINT8 },
  hdr_len: { abbrev: "ip.hdr_len", name: "Header Length", type: FT.UINT8, blurb: "Header length in 32-bit words" },
  dsfield: { abbrev: "ip.dsfield", name: "Differentiated Services Field", type: FT.UINT8, base: Base.HEX },
  dscp: { abbrev: "ip.dsfield.dscp", name: "Differentiated Services Codepoint", type: FT.UINT8, mask: 0xfc, strings: DSCP_NAMES },
  ecn: { abbrev: "ip.dsfield.ecn", name: "Explicit Congestion Notification", type: FT.UINT8, mask: 0x03, strings: ECN_NAMES },
  len: { abbrev: "ip.len", name: "Total Length", type: FT.UINT16 },
  id: { abbrev: "ip.id", name: "Identification", type: FT.UINT16, base: Base.HEX_DEC },
  dst: { abbrev: "ip.dst", name: "Destination Address", type: FT.IPV4 },
  dst_host: { abbrev: "ip.dst_host", name: "Destination Host", type: FT.STRING, generated: true, hidden: true },
  src: { abbrev: "ip.src", name: "Source Address", type: FT.IPV4 },
  src_host: { abbrev: "ip.src_host", name: "Source Host", type: FT.STRING, generated: true, hidden: true },
  addr: { abbrev: "ip.addr", name: "Source or Destination Address", type: FT.IPV4, hidden: true },
  host: { abbrev: "ip.host", name: "Source or Destination Host", type: FT.STRING, generated: true, hidden: true },
  flags: { abbrev: "ip.flags", name: "Flags", type: FT.UINT8, base: Base.HEX, mask: 0xe0, blurb: "Flags (3 bits)" },
  flags_rb: { abbrev: "ip.flags.rb", name: "Reserved bit", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: TFS_SET },
  flags_df: { abbrev: "ip.flags.df", name: "Don't fragment", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8, tfs: TFS_SET },
  flags_mf: { abbrev: "ip.flags.mf", name: "More fragments", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: TFS_SET },
  frag_offset: { abbrev: "ip.frag_offset", name: "Fragment Offset", type: FT.UINT16, mask: 0x1fff, blurb: "Fragment offset (13 bits)" },
  ttl: { abbrev: "ip.ttl", name: "Time to Live", type: FT.UINT8 },
  protocol: { abbrev: "ip.proto", name: "Protocol", type: FT.UINT8, strings: IPPROTO_NAMES },
  checksum: { abbrev: "ip.checksum", name: "Header Checksum", type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: "ip.checksum.status", name: "Header checksum status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  // Options
  opt_type: { abbrev: "ip.opt.type", name: "Type", type: FT.UINT8 },
  opt_type_copy: { abbrev: "ip.opt.type.copy", name: "Copy on fragmentation", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: TFS_YES },
  opt_type_class: { abbrev: "ip.opt.type.class", name: "Class", type: FT.UINT8, mask: 0x60, strings: OPT_CLASS },
  opt_type_number: { abbrev: "ip.opt.type.number", name: "Number", type: FT.UINT8, mask: 0x1f, strings: OPT_NUMBER },
  opt_len: { abbrev: "ip.opt.len", name: "Length", type: FT.UINT8 },
  opt_ptr: { abbrev: "ip.opt.ptr", name: "Pointer", type: FT.UINT8 },
  opt_sid: { abbrev: "ip.opt.sid", name: "Stream Identifier", type: FT.UINT16, blurb: "SATNET stream identifier" },
  opt_mtu: { abbrev: "ip.opt.mtu", name: "MTU", type: FT.UINT16 },
  opt_id_number: { abbrev: "ip.opt.id_number", name: "ID Number", type: FT.UINT16 },
  opt_ohc: { abbrev: "ip.opt.ohc", name: "Outbound Hop Count", type: FT.UINT16 },
  opt_rhc: { abbrev: "ip.opt.rhc", name: "Return Hop Count", type: FT.UINT16 },
  opt_originator: { abbrev: "ip.opt.originator", name: "Originator IP Address", type: FT.IPV4 },
  opt_ra: { abbrev: "ip.opt.ra", name: "Router Alert", type: FT.UINT16 },
  opt_addr: { abbrev: "ip.opt.addr", name: "IP Address", type: FT.IPV4 },
  opt_padding: { abbrev: "ip.opt.padding", name: "Padding", type: FT.BYTES },
  opt_qs_func: { abbrev: "ip.opt.qs_func", name: "Function", type: FT.UINT8, mask: 0xf0, strings: QS_FUNC },
  opt_qs_rate: { abbrev: "ip.opt.qs_rate", name: "Rate", type: FT.UINT8, mask: 0x0f, strings: QS_RATE },
  opt_qs_ttl: { abbrev: "ip.opt.qs_ttl", name: "QS TTL", type: FT.UINT8 },
  opt_qs_ttl_diff: { abbrev: "ip.opt.qs_ttl_diff", name: "TTL Diff", type: FT.UINT8, generated: true },
  opt_qs_unused: { abbrev: "ip.opt.qs_unused", name: "Not Used", type: FT.UINT8 },
  opt_qs_nonce: { abbrev: "ip.opt.qs_nonce", name: "QS Nonce", type: FT.UINT32, base: Base.HEX, mask: 0xfffffffc },
  opt_qs_reserved: { abbrev: "ip.opt.qs_reserved", name: "Reserved", type: FT.UINT32, base: Base.HEX, mask: 0x3 },
  opt_sec_rfc791_sec: { abbrev: "ip.opt.sec_rfc791_sec", name: "Security", type: FT.UINT16, base: Base.HEX, strings: SEC_RFC791 },
  opt_sec_rfc791_comp: { abbrev: "ip.opt.sec_rfc791_comp", name: "Compartments", type: FT.UINT16 },
  opt_sec_rfc791_hr: { abbrev: "ip.opt.sec_rfc791_hr", name: "Handling Restrictions", type: FT.STRING },
  opt_sec_rfc791_tcc: { abbrev: "ip.opt.sec_rfc791_tcc", name: "Transmission Control Code", type: FT.STRING },
  opt_sec_cl: { abbrev: "ip.opt.sec_cl", name: "Classification Level", type: FT.UINT8, base: Base.HEX, strings: SEC_CL },
  opt_sec_prot_auth_flags: { abbrev: "ip.opt.sec_prot_auth_flags", name: "Protection Authority Flags", type: FT.UINT8, base: Base.HEX },
  opt_ext_sec_fmt: { abbrev: "ip.opt.ext_sec_add_sec_info_format_code", name: "Additional Security Info Format Code", type: FT.UINT8, base: Base.HEX },
  opt_ext_sec_info: { abbrev: "ip.opt.ext_sec_add_sec_info", name: "Additional Security Info", type: FT.BYTES },
  rec_rt: { abbrev: "ip.rec_rt", name: "Recorded Route", type: FT.IPV4 },
  rec_rt_host: { abbrev: "ip.rec_rt_host", name: "Recorded Route Host", type: FT.STRING, generated: true, hidden: true },
  cur_rt: { abbrev: "ip.cur_rt", name: "Current Route", type: FT.IPV4 },
  cur_rt_host: { abbrev: "ip.cur_rt_host", name: "Current Route Host", type: FT.STRING, generated: true, hidden: true },
  src_rt: { abbrev: "ip.src_rt", name: "Source Route", type: FT.IPV4 },
  src_rt_host: { abbrev: "ip.src_rt_host", name: "Source Route Host", type: FT.STRING, generated: true, hidden: true },
  empty_rt: { abbrev: "ip.empty_rt", name: "Empty Route", type: FT.IPV4 },
  empty_rt_host: { abbrev: "ip.empty_rt_host", name: "Empty Route Host", type: FT.STRING, generated: true, hidden: true },
  cipso_tag_type: { abbrev: "ip.cipso.tag_type", name: "Tag Type", type: FT.UINT8, strings: CIPSO_TAG },
  cipso_doi: { abbrev: "ip.cipso.doi", name: "DOI", type: FT.UINT32 },
  cipso_tag_data: { abbrev: "ip.cipso.tag_data", name: "Tag data", type: FT.BYTES },
  opt_overflow: { abbrev: "ip.opt.overflow", name: "Overflow", type: FT.UINT8, mask: 0xf0 },
  opt_flag: { abbrev: "ip.opt.flag", name: "Flag", type: FT.UINT8, base: Base.HEX, mask: 0x0f, strings: TS_FLAG },
  opt_time_stamp: { abbrev: "ip.opt.time_stamp", name: "Time stamp", type: FT.UINT32 },
  opt_time_stamp_addr: { abbrev: "ip.opt.time_stamp_addr", name: "Address", type: FT.IPV4 },
  // Each option is an item of its own (Wireshark registers them as protocols "in name only": they
  // never appear in frame.protocols). Value: the option's bytes.
  o_eol: { abbrev: "ip.options.eol", name: "IP Option - End of Options List (EOL)", type: FT.PROTOCOL },
  o_nop: { abbrev: "ip.options.nop", name: "IP Option - No-Operation (NOP)", type: FT.PROTOCOL },
  o_security: { abbrev: "ip.options.security", name: "IP Option - Security", type: FT.PROTOCOL },
  o_lsr: { abbrev: "ip.options.route", name: "IP Option - Loose Source Route", type: FT.PROTOCOL },
  o_timestamp: { abbrev: "ip.options.timestamp", name: "IP Option - Time Stamp", type: FT.PROTOCOL },
  o_ext_security: { abbrev: "ip.options.ext_security", name: "IP Option - Extended Security", type: FT.PROTOCOL },
  o_cipso: { abbrev: "ip.options.cipso", name: "IP Option - Commercial Security", type: FT.PROTOCOL },
  o_rr: { abbrev: "ip.options.record_route", name: "IP Option - Record Route", type: FT.PROTOCOL },
  o_sid: { abbrev: "ip.options.sid", name: "IP Option - Stream ID", type: FT.PROTOCOL },
  o_ssr: { abbrev: "ip.options.source_route", name: "IP Option - Strict Source Route", type: FT.PROTOCOL },
  o_mtu_probe: { abbrev: "ip.options.mtu_probe", name: "IP Option - MTU Probe", type: FT.PROTOCOL },
  o_mtu_reply: { abbrev: "ip.options.mtu_reply", name: "IP Option - MTU Reply", type: FT.PROTOCOL },
  o_traceroute: { abbrev: "ip.options.traceroute", name: "IP Option - Traceroute", type: FT.PROTOCOL },
  o_ra: { abbrev: "ip.options.routeralert", name: "IP Option - Router Alert", type: FT.PROTOCOL },
  o_sdb: { abbrev: "ip.options.sdb", name: "IP Option - Selective Directed Broadcast", type: FT.PROTOCOL },
  o_qs: { abbrev: "ip.options.qs", name: "IP Option - Quick-Start", type: FT.PROTOCOL },
});

const frag = registerFragmentFields(hf.proto, "ip", "IPv4");

export const ei = registerExperts(hf.proto, {
  bogus_version: { abbrev: "ip.bogus_ip_version", group: "protocol", severity: "error", summary: "Bogus IP version" },
  bogus_hlen: { abbrev: "ip.bogus_header_length", group: "protocol", severity: "error", summary: "Bogus IP header length" },
  bogus_len: { abbrev: "ip.bogus_ip_length", group: "protocol", severity: "error", summary: "Bogus IP length" },
  ttl_lncb: { abbrev: "ip.ttl.lncb", group: "sequence", severity: "note", summary: "Time To Live" },
  ttl_too_small: { abbrev: "ip.ttl.too_small", group: "sequence", severity: "note", summary: "Time To Live" },
  opt_len_invalid: { abbrev: "ip.opt.len.invalid", group: "protocol", severity: "warn", summary: "Invalid length for option" },
  ptr_before: { abbrev: "ip.opt.ptr.before_address", group: "protocol", severity: "warn", summary: "Pointer points before first address" },
  ptr_middle: { abbrev: "ip.opt.ptr.middle_address", group: "protocol", severity: "warn", summary: "Pointer points to middle of address" },
  subopt_too_long: { abbrev: "ip.subopt_too_long", group: "protocol", severity: "warn", summary: "Suboption would go past end of option" },
  nop: { abbrev: "ip.nop", group: "protocol", severity: "warn", summary: "4 NOP in a row - a router may have removed some options" },
});

// ---- options ----

const enum Len { NONE, FIXED, VARIABLE }

interface IpOption {
  /** The option type byte (copy | class | number). */
  code: number;
  item: Field;
  /** Short name, used in "Options: (n bytes), Router Alert" and in error messages. */
  name: string;
  lenType: Len;
  /** Exact length (FIXED) or minimum length (VARIABLE). */
  optLen: number;
  /** Decodes the body; `o` is the option's first byte, `len` its length (bounds already narrowed). */
  body?: (p: Packet, t: Tree, o: number, len: number, lenItemOff: number) => void;
  /** Extra text after "(n bytes)" in the option's label (full mode only). */
  summary?: (d: Uint8Array, o: number, len: number, ttl: number) => string;
}

const OPTS: (IpOption | undefined)[] = new Array(256);
function opt(o: IpOption): void {
  OPTS[o.code] = o;
}

const IPOPT_EOL = 0x00, IPOPT_NOP = 0x01, IPOPT_LSR = 0x83, IPOPT_SSR = 0x89;

function route(t: Tree, o: number, f: Field, host: Field, next: boolean): void {
  t.ipv4(f, o);
  if (t.full) t.label(`${f.name}: ${ipv4StringAt(t.d, o)}${next ? " <- (next)" : ""}`);
  if (t.wants(host)) t.str(host, o, 4, ipv4StringAt(t.d, o));
}

/** Record route, loose and strict source route: pointer then a list of addresses. */
function routeBody(source: boolean) {
  return (p: Packet, t: Tree, o: number, len: number): void => {
    const d = t.d;
    const ptr = d[o + 2]!;
    t.uint(hf.opt_ptr, o + 2, 1, ptr);
    if (ptr < 4 || (ptr & 3) !== 0) {
      t.down();
      t.expert(p, ptr < 4 ? ei.ptr_before : ei.ptr_middle, o + 2, 1);
      t.up();
      return;
    }
    for (let so = 3, left = len - 3; left > 0; left -= 4, so += 4) {
      if (left < 4) {
        // Wireshark hangs this on the pointer item.
        if (so === 3) t.down();
        t.expert(p, ei.subopt_too_long, o + 2, 1);
        if (so === 3) t.up();
        break;
      }
      const a = o + so;
      t.check(a, 4);
      if (!source) {
        if (ptr > len || so + 1 < ptr) route(t, a, hf.rec_rt, hf.rec_rt_host, false);
        else route(t, a, hf.empty_rt, hf.empty_rt_host, so + 1 === ptr);
      } else if (ptr > len) route(t, a, hf.rec_rt, hf.rec_rt_host, false);
      else if (so === len - 4) destination(t, a);
      else if (so + 1 < ptr) route(t, a, hf.rec_rt, hf.rec_rt_host, false);
      else route(t, a, hf.src_rt, hf.src_rt_host, so + 1 === ptr);
    }
  };
}

/** The final destination of a source-routed datagram, shown as ip.dst inside the option. */
function destination(t: Tree, a: number): void {
  t.ipv4(hf.dst, a);
  if (t.full) t.label(`Destination Address: ${ipv4StringAt(t.d, a)}`);
  t.ipv4(hf.addr, a);
  if (t.wants(hf.dst_host)) t.str(hf.dst_host, a, 4, ipv4StringAt(t.d, a));
  if (t.wants(hf.host)) t.str(hf.host, a, 4, ipv4StringAt(t.d, a));
}

const u16 = (d: Uint8Array, o: number) => (d[o]! << 8) | d[o + 1]!;
const u32 = (d: Uint8Array, o: number) => ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;

function raName(v: number): string {
  if (v === 0) return "Router shall examine packet";
  if (v <= 32) return "Aggregated Reservation Nesting Level";
  if (v <= 65502) return "Reserved";
  if (v <= 65534) return "Reserved for experimental use";
  return "Reserved";
}

opt({ code: IPOPT_EOL, item: hf.o_eol, name: "End of Options List (EOL)", lenType: Len.NONE, optLen: 1 });
opt({ code: IPOPT_NOP, item: hf.o_nop, name: "No-Operation (NOP)", lenType: Len.NONE, optLen: 1 });
opt({
  code: 0x82, item: hf.o_security, name: "Security", lenType: Len.VARIABLE, optLen: 3,
  body: (p, t, o, len) => {
    const d = t.d;
    if (len === 11 && t.avail(o + 2, 2) && SEC_RFC791.has(u16(d, o + 2))) {
      t.uint(hf.opt_sec_rfc791_sec, o + 2, 2, u16(d, o + 2));
      t.uint(hf.opt_sec_rfc791_comp, o + 4, 2, u16(d, o + 4));
      t.check(o + 6, 5);
      t.str(hf.opt_sec_rfc791_hr, o + 6, 2, t.wants(hf.opt_sec_rfc791_hr) ? ascii(d, o + 6, 2) : "");
      t.str(hf.opt_sec_rfc791_tcc, o + 8, 3, t.wants(hf.opt_sec_rfc791_tcc) ? ascii(d, o + 8, 3) : "");
      return;
    }
    t.uint(hf.opt_sec_cl, o + 2, 1, d[o + 2] ?? 0);
    if (len > 3) t.uint(hf.opt_sec_prot_auth_flags, o + 3, 1, d[o + 3] ?? 0);
  },
});
opt({ code: IPOPT_LSR, item: hf.o_lsr, name: "Loose Source Route", lenType: Len.VARIABLE, optLen: 3, body: routeBody(true) });
opt({
  code: 0x44, item: hf.o_timestamp, name: "Time Stamp", lenType: Len.VARIABLE, optLen: 4,
  body: (p, t, o, len) => {
    const d = t.d;
    t.check(o + 2, 2);
    const ptr = d[o + 2]!;
    t.uint(hf.opt_ptr, o + 2, 1, ptr);
    if (t.full) {
      const why = ptr === 1 ? " (header is full)" : ptr < 5 ? " (points before first address)" : ((ptr - 1) & 3) !== 0 ? " (points to middle of field)" : "";
      t.label(`Pointer: ${ptr}${why}`);
    }
    const flg = d[o + 3]! & 0x0f;
    t.uint(hf.opt_overflow, o + 3, 1, d[o + 3]!);
    t.uint(hf.opt_flag, o + 3, 1, d[o + 3]!);
    let so = 4;
    let left = len - 4;
    while (left > 0) {
      if (flg === 1 || flg === 3) {
        if (left < 8) {
          subopt(p, t, o + so, left);
          break;
        }
        t.ipv4(hf.opt_time_stamp_addr, o + so);
        if (t.full) t.label(`Address: ${u32(d, o + so) === 0 ? "-" : ipv4StringAt(d, o + so)}`);
        so += 4;
        left -= 4;
      } else if (left < 4) {
        subopt(p, t, o + so, left);
        break;
      }
      t.check(o + so, 4);
      t.uint(hf.opt_time_stamp, o + so, 4, u32(d, o + so));
      so += 4;
      left -= 4;
    }
  },
});
opt({
  code: 0x85, item: hf.o_ext_security, name: "Extended Security", lenType: Len.VARIABLE, optLen: 3,
  body: (p, t, o, len) => {
    t.uint(hf.opt_ext_sec_fmt, o + 2, 1, t.d[o + 2] ?? 0);
    if (len > 3) t.bytes(hf.opt_ext_sec_info, o + 3, len - 3);
  },
});
opt({
  code: 0x86, item: hf.o_cipso, name: "Commercial Security", lenType: Len.VARIABLE, optLen: 10,
  body: (p, t, o, len) => {
    const d = t.d;
    t.check(o + 2, 4);
    t.uint(hf.cipso_doi, o + 2, 4, u32(d, o + 2));
    // Tags: type, length, data. Shown by type and raw data (categories are not decoded).
    let so = 6;
    while (so < len) {
      t.check(o + so, 1);
      const tag = d[o + so]!;
      t.uint(hf.cipso_tag_type, o + so, 1, tag);
      if (tag === 0) { so += 1; continue; }
      if (so + 1 >= len) break;
      const tl = d[o + so + 1]!;
      if (tl < 2 || so + tl > len) break;
      if (tl > 2) t.bytes(hf.cipso_tag_data, o + so + 2, tl - 2);
      so += tl;
    }
  },
});
opt({ code: 0x07, item: hf.o_rr, name: "Record Route", lenType: Len.VARIABLE, optLen: 3, body: routeBody(false) });
opt({
  code: 0x88, item: hf.o_sid, name: "Stream ID", lenType: Len.FIXED, optLen: 4,
  body: (p, t, o) => t.uint(hf.opt_sid, o + 2, 2, t.avail(o + 2, 2) ? u16(t.d, o + 2) : 0),
});
opt({ code: IPOPT_SSR, item: hf.o_ssr, name: "Strict Source Route", lenType: Len.VARIABLE, optLen: 3, body: routeBody(true) });
for (const [code, item, name] of [[0x0b, hf.o_mtu_probe, "MTU Probe"], [0x0c, hf.o_mtu_reply, "MTU Reply"]] as const) {
  opt({ code, item, name, lenType: Len.FIXED, optLen: 4, body: (p, t, o) => t.uint(hf.opt_mtu, o + 2, 2, t.avail(o + 2, 2) ? u16(t.d, o + 2) : 0) });
}
opt({
  code: 0x52, item: hf.o_traceroute, name: "Traceroute", lenType: Len.FIXED, optLen: 12,
  body: (p, t, o) => {
    const d = t.d;
    t.check(o + 2, 10);
    t.uint(hf.opt_id_number, o + 2, 2, u16(d, o + 2));
    t.uint(hf.opt_ohc, o + 4, 2, u16(d, o + 4));
    t.uint(hf.opt_rhc, o + 6, 2, u16(d, o + 6));
    t.ipv4(hf.opt_originator, o + 8);
  },
});
opt({
  code: 0x94, item: hf.o_ra, name: "Router Alert", lenType: Len.FIXED, optLen: 4,
  body: (p, t, o) => {
    t.check(o + 2, 2);
    const v = u16(t.d, o + 2);
    t.uint(hf.opt_ra, o + 2, 2, v);
    if (t.full) t.label(`Router Alert: ${raName(v)} (${v})`);
  },
  summary: (d, o) => `: ${raName(u16(d, o + 2))} (${u16(d, o + 2)})`,
});
opt({
  code: 0x95, item: hf.o_sdb, name: "Selective Directed Broadcast", lenType: Len.VARIABLE, optLen: 2,
  body: (p, t, o, len) => {
    let so = 2;
    for (; len - so >= 4; so += 4) t.ipv4(hf.opt_addr, o + so);
    if (so < len) t.bytes(hf.opt_padding, o + so, len - so);
  },
});
opt({
  code: 0x19, item: hf.o_qs, name: "Quick-Start", lenType: Len.FIXED, optLen: 8,
  body: (p, t, o, len, ttl) => {
    const d = t.d;
    t.check(o + 2, 6);
    const cmd = d[o + 2]!;
    const fn = cmd >> 4;
    t.uint(hf.opt_qs_func, o + 2, 1, cmd);
    if (fn !== 0 && fn !== 8) return;
    t.uint(hf.opt_qs_rate, o + 2, 1, cmd);
    if (fn === 0) {
      t.uint(hf.opt_qs_ttl, o + 3, 1, d[o + 3]!);
      t.num(hf.opt_qs_ttl_diff, (ttl - d[o + 3]!) & 0xff);
    } else t.uint(hf.opt_qs_unused, o + 3, 1, d[o + 3]!);
    const n = u32(d, o + 4);
    t.uint(hf.opt_qs_nonce, o + 4, 4, n);
    t.uint(hf.opt_qs_reserved, o + 4, 4, n);
  },
  summary: (d, o, len, ttl) => {
    const fn = d[o + 2]! >> 4;
    const s = `: ${QS_FUNC.get(fn) ?? "Unknown"} (${fn})`;
    if (fn === 0) return `${s}, ${QS_RATE.get(d[o + 2]! & 15)}, QS TTL ${d[o + 3]}, QS TTL diff ${(ttl - d[o + 3]!) & 0xff}`;
    if (fn === 8) return `${s}, ${QS_RATE.get(d[o + 2]! & 15)}`;
    return s;
  },
});

function ascii(d: Uint8Array, o: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const c = d[o + i]!;
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : "\\x" + c.toString(16).padStart(2, "0");
  }
  return s;
}

function subopt(p: Packet, t: Tree, o: number, len: number): void {
  t.text(ei.subopt_too_long.summary, o, len);
  t.down();
  t.expert(p, ei.subopt_too_long, o, len);
  t.up();
}

/** Type byte with its copy/class/number breakdown. */
function optType(t: Tree, o: number): void {
  const v = t.d[o]!;
  t.uint(hf.opt_type, o, 1, v);
  t.down();
  t.bool(hf.opt_type_copy, o, 1, v);
  t.uint(hf.opt_type_class, o, 1, v);
  t.uint(hf.opt_type_number, o, 1, v);
  t.up();
}

/** Where dstScan() stopped for want of captured bytes. */
let scanStop = 0;

/**
 * Finds the final destination of a loose/strict source route, as Wireshark's get_dst_offset: the
 * first source route option decides (0 when its pointer is bad), as does any malformed option.
 * Returns the offset of the address, 0 for none, or -1 when a byte it needs lies at or past `cap`
 * (the offset is left in scanStop: Wireshark's read would throw there).
 */
function dstScan(d: Uint8Array, o: number, end: number, cap: number): number {
  while (o < end) {
    if (o >= cap) return stop(o);
    const code = d[o]!;
    const def = OPTS[code];
    if (def !== undefined && def.lenType === Len.NONE) {
      if (code === IPOPT_EOL) return 0;
      o++;
      continue;
    }
    if (o + 1 >= end) return 0;
    if (o + 1 >= cap) return stop(o + 1);
    const len = d[o + 1]!;
    if (len < 2 || o + len > end) return 0;
    if (def !== undefined) {
      if (def.lenType === Len.FIXED ? len !== def.optLen : len < def.optLen) return 0;
      if (code === IPOPT_LSR || code === IPOPT_SSR) {
        if (o + 2 >= cap) return stop(o + 2);
        const ptr = d[o + 2]!;
        return ptr < 4 || (ptr & 3) !== 0 || ptr > len ? 0 : o + len - 4;
      }
    }
    o += len;
  }
  return 0;
}

/** Names for the "Options: (n bytes), A, B" summary (full mode): options decoded without error. */
function optionNames(d: Uint8Array, o: number, end: number, cap: number): string {
  let s = "";
  while (o < end && o + 1 < cap) {
    const code = d[o]!;
    const def = OPTS[code];
    if (def !== undefined && def.lenType === Len.NONE) {
      if (code === IPOPT_EOL) break;
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = d[o + 1]!;
    if (len < 2 || o + len > end) break;
    if (def !== undefined && o + len <= cap && (def.lenType === Len.FIXED ? len === def.optLen : len >= def.optLen)) s += ", " + def.name;
    o += len;
  }
  return s;
}

function stop(o: number): number {
  scanStop = o;
  return -1;
}

function dissectOptions(p: Packet, t: Tree, ip: number, o: number, end: number, ttl: number): void {
  const d = t.d;
  let nops = 0;
  while (o < end) {
    const code = d[o]!;
    const def = OPTS[code];
    if (def !== undefined && def.lenType === Len.NONE) {
      nops = code === IPOPT_NOP && (nops === 0 || (o - ip) % 4 !== 0) ? nops + 1 : 0;
      if (nops === 4) t.expert(p, ei.nop, o, 1);
      t.bytes(def.item, o, 1);
      if (t.full) t.label(def.item.name);
      t.down();
      optType(t, o);
      t.up();
      o++;
      if (code === IPOPT_EOL) break;
      continue;
    }
    nops = 0;
    const name = def?.name ?? `Unknown (0x${code.toString(16).padStart(2, "0")})`;
    if (o + 1 >= end) {
      badOption(p, t, o, 1, `${name} (length byte past end of options)`);
      return;
    }
    const len = d[o + 1]!;
    if (len < 2) {
      badOption(p, t, o, 2, `${name} (with too-short option length = ${len} byte${len === 1 ? "" : "s"})`);
      return;
    }
    if (o + len > end) {
      badOption(p, t, o, end - o, `${name} (option length = ${len} byte${len === 1 ? "" : "s"} says option goes past end of options)`);
      return;
    }
    if (def === undefined) {
      t.text(`${name} (${len} byte${len === 1 ? "" : "s"})`, o, len);
      o += len;
      continue;
    }
    // Each option is decoded within its own length: reading past it makes the packet malformed.
    t.enter(o + len);
    t.bytes(def.item, o, len);
    const fixed = def.lenType === Len.FIXED;
    if (t.full) {
      const shown = fixed ? def.optLen : len;
      t.label(`${def.item.name} (${shown} bytes)${def.summary && len >= def.optLen ? def.summary(d, o, len, ttl) : ""}`);
    }
    t.down();
    optType(t, o);
    t.uint(hf.opt_len, o + 1, 1, len);
    if (fixed ? len !== def.optLen : len < def.optLen) {
      t.down();
      t.expert(p, ei.opt_len_invalid, o + 1, 1, `${def.name} (with option length = ${len} byte${len === 1 ? "" : "s"}; should be ${fixed ? "" : ">= "}${def.optLen})`);
      t.up();
    }
    def.body?.(p, t, o, len, ttl);
    t.up();
    t.leave();
    o += len;
  }
}

/** An undecodable option: a text item carrying the expert info, as proto_tree_add_expert_format. */
function badOption(p: Packet, t: Tree, o: number, len: number, msg: string): void {
  t.text(msg, o, len);
  t.down();
  t.expert(p, ei.opt_len_invalid, o, len, msg);
  t.up();
}

// ---- header ----

function isLncb(a: number): boolean {
  return (a & 0xffffff00) >>> 0 === 0xe0000000;
}

function lncbTtl(a: number): number {
  switch (a) {
    case 0xe0000012: return 255; // VRRP
    case 0xe0000066: return 255; // GLBP
    case 0xe00000fb: return 255; // mDNS
    case 0xe00000fc: return 0; // LLMNR: any
    default: return 1;
  }
}

function flagsText(raw: number): string {
  let s = "";
  if (raw & 0x80) s += ", Reserved bit";
  if (raw & 0x40) s += ", Don't fragment";
  if (raw & 0x20) s += ", More fragments";
  return s;
}

/** The IPv4 dissector (ethertype 0x0800, IP-in-IP, raw IP link types, ICMP error payloads). */
export function dissectIPv4(p: Packet, t: Tree, off: number): number | void {
  const d = t.d;
  p.protocol = "IPv4";
  if (p.wantCols) p.info.clear();
  const vhl = off < t.cap ? d[off]! : 0;
  const hlen = (vhl & 0x0f) * 4;
  t.proto(p, hf.proto, off, hlen);
  t.curProto = "IPv4"; // Wireshark's short name, for "[Malformed Packet: IPv4]"
  if (t.full) {
    // Like Wireshark, the summary names the addresses that were captured.
    let s = hf.proto.name;
    const tl = t.avail(off + LEN, 2) ? (d[off + LEN]! << 8) | d[off + LEN + 1]! : 0;
    if (hlen >= MIN_HDR && vhl >> 4 === 4 && t.avail(off, DST) && (tl >= hlen || tl === 0)) {
      const dstOff = dstScan(d, off + MIN_HDR, off + hlen, t.cap);
      s += `, Src: ${ipv4StringAt(d, off + SRC)}`;
      if (dstOff > 0 && t.avail(dstOff, 4)) s += `, Dst: ${ipv4StringAt(d, dstOff)}, Via: ${ipv4StringAt(d, off + DST)}`;
      else if (dstOff === 0 && t.avail(off + DST, 4)) s += `, Dst: ${ipv4StringAt(d, off + DST)}`;
    }
    t.label(s);
  }
  t.check(off, 1);
  const version = vhl >> 4;
  t.uint(hf.version, off + VHL, 1, version);
  if (t.full) t.label(`${bitsHi(vhl)} .... = Version: ${version}`);
  if (version !== 4) {
    if (p.wantCols) p.info.set(`Bogus IPv4 version (${version}, must be 4)`);
    t.down();
    t.expert(p, ei.bogus_version, off, 1, "Bogus IPv4 version");
    t.up();
    t.up();
    return;
  }
  t.uint(hf.hdr_len, off + VHL, 1, hlen);
  if (hlen < MIN_HDR) {
    const msg = `Bogus IP header length (${hlen}, must be at least ${MIN_HDR})`;
    if (p.wantCols) p.info.set(msg);
    if (t.full) t.label(`.... ${bitsLo(vhl)} = Header Length: ${hlen} bytes (${hlen >> 2})`);
    t.down();
    t.expert(p, ei.bogus_hlen, off, 1, msg);
    t.up();
    t.up();
    return;
  }
  if (t.full) t.label(`.... ${bitsLo(vhl)} = Header Length: ${hlen} bytes (${hlen >> 2})`);

  t.check(off + TOS, 1);
  const tos = d[off + TOS]!;
  t.uint(hf.dsfield, off + TOS, 1, tos);
  if (t.full) {
    t.label(`Differentiated Services Field: 0x${hex2(tos)} (DSCP: ${DSCP_SHORT.get(tos >> 2) ?? "Unknown"}, ECN: ${ECN_SHORT[tos & 3]})`);
  }
  t.down();
  t.uint(hf.dscp, off + TOS, 1, tos);
  t.uint(hf.ecn, off + TOS, 1, tos);
  t.up();

  t.check(off + LEN, 2);
  let len = (d[off + LEN]! << 8) | d[off + LEN + 1]!;
  let narrow = false;
  if (len < hlen) {
    if (len === 0) {
      // TCP segmentation offload: the NIC fills in the length later; use the frame's.
      len = t.rep - off;
      t.uint(hf.len, off + LEN, 2, len);
      if (t.full) t.label(`[Total Length: ${len} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]`);
    } else {
      const msg = `Bogus IP length (${len}, less than header length ${hlen})`;
      if (p.wantCols) p.info.set(msg);
      t.uint(hf.len, off + LEN, 2, len);
      if (t.full) t.label(`Total Length: ${len} bytes (bogus, less than header length ${hlen})`);
      t.down();
      t.expert(p, ei.bogus_len, off + LEN, 2);
      t.up();
      t.up();
      return;
    }
  } else {
    t.uint(hf.len, off + LEN, 2, len);
    if (len > t.rep - off) {
      // Not in an ICMP error, whose quote of the datagram is short by design.
      if (!inErrorPkt()) {
        t.down();
        t.expert(p, ei.bogus_len, off + LEN, 2, `IPv4 total length exceeds packet length (${t.rep - off} bytes)`);
        t.up();
      }
    } else narrow = true;
  }
  const end = off + len;
  if (narrow) t.enter(end);

  t.check(off + ID, 2);
  const id = (d[off + ID]! << 8) | d[off + ID + 1]!;
  t.uint(hf.id, off + ID, 2, id);

  t.check(off + FRAG, 2);
  const fo = (d[off + FRAG]! << 8) | d[off + FRAG + 1]!;
  const fb = d[off + FRAG]!;
  t.uint(hf.flags, off + FRAG, 1, fb);
  if (t.full) t.label(`${bitPattern(hf.flags, fb)}Flags: 0x${(fb >> 5).toString(16)}${flagsText(fb)}`);
  t.down();
  t.bool(hf.flags_rb, off + FRAG, 1, fb);
  t.bool(hf.flags_df, off + FRAG, 1, fb);
  t.bool(hf.flags_mf, off + FRAG, 1, fb);
  t.up();
  t.uint(hf.frag_offset, off + FRAG, 2, fo);
  if (t.full) t.label(`${bitPattern(hf.frag_offset, fo)}Fragment Offset: ${(fo & IP_OFFSET) * 8}`);

  t.check(off + TTL, 1);
  const ttl = d[off + TTL]!;
  t.check(off + PROTO, 1);
  const proto = d[off + PROTO]!;
  t.uint(hf.ttl, off + TTL, 1, ttl);
  // A loose/strict source route names the real destination in its last slot (Wireshark then shows
  // the header's address as "Current Route").
  const optEnd = off + hlen;
  const dstOff = dstScan(d, off + MIN_HDR, optEnd, t.cap);
  const finalDst = dstOff > 0 ? dstOff : off + DST;
  // The TTL sanity check needs the destination; Wireshark makes it only once the address is read.
  if (t.avail(off + SRC, 8) && t.avail(finalDst, 4)) {
    const dst = ((d[finalDst]! << 24) >>> 0) + (d[finalDst + 1]! << 16) + (d[finalDst + 2]! << 8) + d[finalDst + 3]!;
    if (isLncb(dst)) {
      const want = lncbTtl(dst);
      if (want !== ttl && want !== 0) {
        t.down();
        t.expert(p, ei.ttl_lncb, off + TTL, 1, `"Time To Live" != ${want} for a packet sent to the Local Network Control Block (see RFC 3171)`);
        t.up();
      }
    } else if (dst >>> 28 !== 0xe && ttl < 5 && proto !== 103 && proto !== 89) {
      t.down();
      t.expert(p, ei.ttl_too_small, off + TTL, 1, `"Time To Live" only ${ttl}`);
      t.up();
    }
  }

  t.uint(hf.protocol, off + PROTO, 1, proto);

  t.check(off + CSUM, 2);
  const sum = (d[off + CSUM]! << 8) | d[off + CSUM + 1]!;
  t.uint(hf.checksum, off + CSUM, 2, sum);
  if (t.full) t.label(`Header Checksum: 0x${sum.toString(16).padStart(4, "0")} [validation disabled]`);
  t.num(hf.checksum_status, 2);
  if (t.full) t.label("[Header checksum status: Unverified]");

  t.check(off + SRC, 4);
  p.setSrc(AddrKind.IPV4, off + SRC, d);
  t.ipv4(hf.src, off + SRC);
  t.ipv4(hf.addr, off + SRC);
  if (t.wants(hf.src_host)) t.str(hf.src_host, off + SRC, 4, ipv4StringAt(d, off + SRC));
  if (t.wants(hf.host)) t.str(hf.host, off + SRC, 4, ipv4StringAt(d, off + SRC));

  if (dstOff < 0) t.check(scanStop, 1); // throws: Wireshark reads the options before the destination
  t.check(finalDst, 4);
  t.check(off + DST, 4);
  p.setDst(AddrKind.IPV4, finalDst, d);
  if (dstOff > 0) {
    t.ipv4(hf.cur_rt, off + DST);
    if (t.wants(hf.cur_rt_host)) t.str(hf.cur_rt_host, off + DST, 4, ipv4StringAt(d, off + DST));
  } else {
    t.ipv4(hf.dst, off + DST);
    t.ipv4(hf.addr, off + DST);
    if (t.wants(hf.dst_host)) t.str(hf.dst_host, off + DST, 4, ipv4StringAt(d, off + DST));
    if (t.wants(hf.host)) t.str(hf.host, off + DST, 4, ipv4StringAt(d, off + DST));
  }
  p.ipVersion = 4;
  p.ipData = d;
  p.ipSrcOff = off + SRC;
  p.ipDstOff = finalDst;

  if (hlen > MIN_HDR) {
    const n = hlen - MIN_HDR;
    t.check(off + MIN_HDR, n);
    if (t.full) t.text(`Options: (${n} bytes)${optionNames(d, off + MIN_HDR, optEnd, t.cap)}`, off + MIN_HDR, n);
    t.down();
    t.enter(optEnd);
    dissectOptions(p, t, off, off + MIN_HDR, optEnd, ttl);
    t.leave();
    t.up();
  }

  const payload = off + hlen;
  // Only a fragment whose payload is all captured is reassembled (or shown as a fragment); a first
  // fragment cut short by the snaplen goes to the transport dissector like a whole datagram.
  const fragmented = (fo & (IP_MF | IP_OFFSET)) !== 0 && ((fo & IP_OFFSET) !== 0 || t.avail(payload, len - hlen));
  let whole: Datagram | null = null;
  if (fragmented && len > hlen && t.avail(payload, len - hlen)) {
    const key = `${u32(d, p.ipSrcOff)}>${u32(d, p.ipDstOff)}>${proto ^ id}`;
    const table = p.session.store("ip.fragments", newFragmentTable);
    whole = table.add(key, p.num, d, payload, len - hlen, (fo & IP_OFFSET) * 8, (fo & IP_MF) !== 0);
    if (whole !== null) showFragments(p, t, frag, whole, "IPv4");
  }
  t.up();

  if (!inErrorPkt()) p.taps |= Tap.IP;
  if (whole !== null) {
    const datagram = whole.data;
    t.source(datagram, () => ipPayload(p, t, proto, 0), "Reassembled IPv4");
  } else if (fragmented) {
    if (p.wantCols) p.info.set(`Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${(fo & IP_OFFSET) * 8}, ID=${id.toString(16).padStart(4, "0")})`);
    callData(p, t, payload);
  } else if (payload < t.rep) ipPayload(p, t, proto, payload);
  if (narrow) {
    t.leave();
    return end;
  }
}

function ipPayload(p: Packet, t: Tree, proto: number, at: number): void {
  const next = ipProtos.get(proto);
  if (next) next(p, t, at);
  else {
    if (p.wantCols) p.info.set(`${ipProtoName(proto)} (${proto})`);
    callData(p, t, at);
  }
}

function newFragmentTable(): FragmentTable {
  return new FragmentTable();
}

function bitsHi(b: number): string {
  return ((b >> 4) | 0x10).toString(2).slice(1);
}

function bitsLo(b: number): string {
  return ((b & 15) | 0x10).toString(2).slice(1);
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}

etherTypes.add(ETHERTYPE.IPV4, dissectIPv4);
ipProtos.add(IPPROTO.IPIP, dissectIPv4);

// ---- building (the mirror of dissectIPv4) ----

export interface Ipv4Repr {
  src: number;
  dst: number;
  proto: number;
  ttl?: number;
  id?: number;
  dscp?: number;
  ecn?: number;
  /** Don't fragment (default true, as Linux sends). */
  df?: boolean;
  mf?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset?: number;
  /** Options, already padded to a multiple of 4 bytes. */
  options?: Uint8Array;
}

/** The IPv4 header as a build layer: total length and header checksum are computed. */
export function ipv4Layer(r: Ipv4Repr): Layer {
  const opts = r.options ?? new Uint8Array(0);
  if (opts.length % 4 !== 0 || opts.length > 40) throw new RangeError("IPv4 options must be padded to 4 bytes and at most 40");
  const hlen = MIN_HDR + opts.length;
  return {
    headerLen: hlen,
    emit(b, off, payloadLen, ctx) {
      b[off + VHL] = 0x40 | (hlen >> 2);
      b[off + TOS] = (((r.dscp ?? 0) & 0x3f) << 2) | ((r.ecn ?? 0) & 3);
      putU16(b, off + LEN, hlen + payloadLen);
      putU16(b, off + ID, r.id ?? 0);
      const frag = ((r.df ?? true) ? 0x4000 : 0) | (r.mf ? IP_MF : 0) | (((r.fragOffset ?? 0) >> 3) & IP_OFFSET);
      putU16(b, off + FRAG, frag);
      b[off + TTL] = r.ttl ?? 64;
      b[off + PROTO] = r.proto;
      putU16(b, off + CSUM, 0);
      putU32(b, off + SRC, r.src);
      putU32(b, off + DST, r.dst);
      b.set(opts, off + MIN_HDR);
      ctx.ipVersion = 4;
      ctx.srcAddr = b.subarray(off + SRC, off + SRC + 4);
      ctx.dstAddr = b.subarray(off + DST, off + DST + 4);
    },
    finish(b, off) {
      putU16(b, off + CSUM, checksum(b, off, hlen));
    },
  };
}
