// Internet Group Management Protocol (IP protocol 2), as Wireshark 4.0 shows it: v0 (RFC 988),
// v1 (RFC 1112), v2 (RFC 2236) and v3 (RFC 3376). The version is not on the wire: it follows
// from the type and, for a Membership Query, from the length (12 bytes or more: v3) and the
// max-response byte (0: v1).
//   type 0 | max resp / reserved 1 | checksum 2..4 | group 4..8
//   v3 query:  ... | S/QRV 8 | QQIC 9 | number of sources 10..12 | sources 12..
//   v3 report: type 0 | reserved 1 | checksum 2..4 | reserved 4..6 | number of records 6..8 | records 8..
//     record: type 0 | aux data len 1 | number of sources 2..4 | group 4..8 | sources | aux data
//   v0: type 0 | code 1 | checksum 2..4 | identifier 4..8 | group 8..12 | access key 12..20
// Types other dissectors own in Wireshark (DVMRP 0x13, PIMv1 0x14, mtrace 0x1e/0x1f, MRDISC,
// MSNIP) are shown as an unknown type with their bytes as igmp.data.
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { ipProtos } from "../dispatch.js";
import { ipv4StringAt } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { checksum, putU16, putU32, type Layer } from "../build.js";
import { onesSum, showChecksum } from "./icmp.js";
import { CHECKSUM_STATUS, isFragmented } from "./udp.js";

const TYPE = 0, MAXRESP = 1, CKSUM = 2, GROUP = 4;
/** v3 query: S/QRV byte, QQIC, number of sources, first source. */
const Q3_SQRV = 8, Q3_QQIC = 9, Q3_NSRC = 10, Q3_SRC = 12;
/** v3 report: number of group records, first record. */
const R3_NREC = 6, R3_REC = 8;
const V12_LEN = 8, V0_LEN = 20, Q3_LEN = 12;

const QUERY = 0x11, V1_REPORT = 0x12, V2_REPORT = 0x16, V2_LEAVE = 0x17, V3_REPORT = 0x22, V0_CREATE_REQ = 0x01;

export const TYPE_NAMES = vals({
  0x01: "Create Group Request", 0x02: "Create Group Reply", 0x03: "Join Group Request", 0x04: "Join Group Reply",
  0x05: "Leave Group Request", 0x06: "Leave Group Reply", 0x07: "Confirm Group Request", 0x08: "Confirm Group Reply",
  0x11: "Membership Query", 0x12: "Membership Report", 0x13: "DVMRP Protocol", 0x14: "PIM Routing Message",
  0x16: "Membership Report", 0x17: "Leave Group", 0x1e: "Traceroute Response", 0x1f: "Traceroute Query or Request",
  0x22: "Membership Report",
});
const RECORD_TYPES = vals({
  1: "Mode Is Include", 2: "Mode Is Exclude", 3: "Change To Include Mode", 4: "Change To Exclude Mode",
  5: "Allow New Sources", 6: "Block Old Sources",
});
const GROUP_TYPES = vals({ 0: "Public Group", 1: "Private Group" });
const REPLY_CODES = vals({
  0: "Request Granted", 1: "Request Denied, No Resources", 2: "Request Denied, Invalid Code",
  3: "Request Denied, Invalid Group", 4: "Request Denied, Invalid Key",
});

export const hf = registerProtocol("igmp", "Internet Group Management Protocol", {
  type: { abbrev: "igmp.type", name: "Type", type: FT.UINT8, base: Base.HEX, strings: TYPE_NAMES, blurb: "IGMP Packet Type" },
  reserved: { abbrev: "igmp.reserved", name: "Reserved", type: FT.BYTES, blurb: "IGMP Reserved" },
  version: { abbrev: "igmp.version", name: "IGMP Version", type: FT.UINT8, generated: true },
  group_type: { abbrev: "igmp.group_type", name: "Type Of Group", type: FT.UINT8, strings: GROUP_TYPES, blurb: "IGMP V0 Type Of Group" },
  reply: { abbrev: "igmp.reply", name: "Reply", type: FT.UINT8, strings: REPLY_CODES, blurb: "IGMP V0 Reply" },
  reply_pending: { abbrev: "igmp.reply.pending", name: "Reply Pending", type: FT.UINT8, blurb: "IGMP V0 Reply Pending, Retry in this many seconds" },
  checksum: { abbrev: "igmp.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX, blurb: "IGMP Checksum" },
  checksum_status: { abbrev: "igmp.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  identifier: { abbrev: "igmp.identifier", name: "Identifier", type: FT.UINT32, blurb: "IGMP V0 Identifier" },
  access_key: { abbrev: "igmp.access_key", name: "Access Key", type: FT.BYTES, blurb: "IGMP V0 Access Key" },
  max_resp: { abbrev: "igmp.max_resp", name: "Max Resp Time", type: FT.UINT8, blurb: "Max Response Time" },
  s: { abbrev: "igmp.s", name: "S", type: FT.BOOLEAN, mask: 0x08, bitWidth: 8, tfs: ["SUPPRESS router side processing", "Do not suppress router side processing"], blurb: "Suppress Router Side Processing" },
  qrv: { abbrev: "igmp.qrv", name: "QRV", type: FT.UINT8, mask: 0x07, blurb: "Querier's Robustness Value" },
  qqic: { abbrev: "igmp.qqic", name: "QQIC", type: FT.UINT8, blurb: "Querier's Query Interval Code" },
  num_src: { abbrev: "igmp.num_src", name: "Num Src", type: FT.UINT16, blurb: "Number Of Sources" },
  saddr: { abbrev: "igmp.saddr", name: "Source Address", type: FT.IPV4 },
  num_grp_recs: { abbrev: "igmp.num_grp_recs", name: "Num Group Records", type: FT.UINT16, blurb: "Number Of Group Records" },
  record_type: { abbrev: "igmp.record_type", name: "Record Type", type: FT.UINT8, strings: RECORD_TYPES },
  aux_data_len: { abbrev: "igmp.aux_data_len", name: "Aux Data Len", type: FT.UINT8, blurb: "Aux Data Len, In units of 32bit words" },
  maddr: { abbrev: "igmp.maddr", name: "Multicast Address", type: FT.IPV4 },
  aux_data: { abbrev: "igmp.aux_data", name: "Aux Data", type: FT.BYTES, blurb: "IGMP V3 Auxiliary Data" },
  data: { abbrev: "igmp.data", name: "Data", type: FT.BYTES },
  max_resp_exp: { abbrev: "igmp.max_resp.exp", name: "Exponent", type: FT.UINT8, base: Base.HEX, mask: 0x70, blurb: "Maximum Response Time, Exponent" },
  max_resp_mant: { abbrev: "igmp.max_resp.mant", name: "Mantissa", type: FT.UINT8, base: Base.HEX, mask: 0x0f, blurb: "Maximum Response Time, Mantissa" },
});

export const ei = registerExperts(hf.proto, {
  bad_checksum: { abbrev: "igmp.bad_checksum", group: "checksum", severity: "error", summary: "Bad checksum" },
});

const PROTO_COL = ["IGMPv0", "IGMPv1", "IGMPv2", "IGMPv3"] as const;

function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `Unknown Type:0x${type.toString(16).padStart(2, "0")}`;
}

/** Columns, the protocol item, the generated version and the type: what every version shares. */
function common(p: Packet, t: Tree, off: number, type: number, version: 0 | 1 | 2 | 3): void {
  p.protocol = PROTO_COL[version];
  if (p.wantCols) p.info.set(typeName(type));
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "IGMP";
  t.num(hf.version, version);
  t.uint(hf.type, off + TYPE, 1, type);
}

/**
 * The checksum over the first `len` bytes (the whole message when 0), verified when all of them
 * were captured and the datagram is not a fragment, as Wireshark's igmp_checksum.
 */
function igmpChecksum(p: Packet, t: Tree, off: number, len: number): void {
  const d = t.d;
  t.check(off + CKSUM, 2);
  const sum = (d[off + CKSUM]! << 8) | d[off + CKSUM + 1]!;
  if (len === 0) len = t.rep - off;
  t.uint(hf.checksum, off + CKSUM, 2, sum);
  const verify = !isFragmented(p) && t.cap - off >= len;
  showChecksum(p, t, hf.checksum_status, ei.bad_checksum, off + CKSUM, sum, verify ? ~onesSum(d, off, len) & 0xffff : -1, "unverified");
}

function groupInfo(p: Packet, t: Tree, o: number, type: number): void {
  const d = t.d;
  if ((d[o]! | d[o + 1]! | d[o + 2]! | d[o + 3]!) === 0) p.info.add(", general");
  else if (type === V2_LEAVE) p.info.add(" " + ipv4StringAt(d, o));
  else if (type === QUERY) p.info.add(", specific for group " + ipv4StringAt(d, o));
  else p.info.add(" group " + ipv4StringAt(d, o));
}

function dissectV0(p: Packet, t: Tree, off: number, type: number): number {
  common(p, t, off, type, 0);
  t.check(off + 1, 1);
  const code = t.d[off + 1]!;
  if (type === V0_CREATE_REQ) t.uint(hf.group_type, off + 1, 1, code);
  else if ((type & 1) === 0) t.uint(code < 5 ? hf.reply : hf.reply_pending, off + 1, 1, code);
  igmpChecksum(p, t, off, V0_LEN);
  t.check(off + 4, 4);
  const d = t.d;
  t.uint(hf.identifier, off + 4, 4, ((d[off + 4]! << 24) | (d[off + 5]! << 16) | (d[off + 6]! << 8) | d[off + 7]!) >>> 0);
  t.ipv4(hf.maddr, off + 8);
  t.bytes(hf.access_key, off + 12, 8);
  return off + V0_LEN;
}

function dissectV1(p: Packet, t: Tree, off: number, type: number): number {
  common(p, t, off, type, 1);
  t.bytes(hf.reserved, off + MAXRESP, 1);
  igmpChecksum(p, t, off, V12_LEN);
  t.ipv4(hf.maddr, off + GROUP);
  return off + V12_LEN;
}

function dissectV2(p: Packet, t: Tree, off: number, type: number): number {
  common(p, t, off, type, 2);
  t.check(off + MAXRESP, 1);
  const tsecs = t.d[off + MAXRESP]!;
  t.uint(hf.max_resp, off + MAXRESP, 1, tsecs);
  if (t.full) t.label(`Max Resp Time: ${(tsecs / 10).toFixed(1)} sec (0x${tsecs.toString(16).padStart(2, "0")})`);
  igmpChecksum(p, t, off, V12_LEN);
  t.ipv4(hf.maddr, off + GROUP);
  if (p.wantCols) groupInfo(p, t, off + GROUP, type);
  return off + V12_LEN;
}

/** RFC 3376 4.1.1: codes from 128 on are a floating-point exponent and mantissa. */
export function maxRespTime(code: number): number {
  return code & 0x80 ? ((code & 0x0f) | 0x10) << (((code & 0x70) >> 4) + 3) : code;
}

function dissectV3Query(p: Packet, t: Tree, off: number, type: number): number {
  const d = t.d;
  common(p, t, off, type, 3);
  t.check(off + Q3_NSRC, 2);
  const num = (d[off + Q3_NSRC]! << 8) | d[off + Q3_NSRC + 1]!;
  const bits = d[off + MAXRESP]!;
  const tsecs = maxRespTime(bits);
  t.uint(hf.max_resp, off + MAXRESP, 1, tsecs);
  if (t.full) t.label(`Max Resp Time: ${(tsecs / 10).toFixed(1)} sec (0x${bits.toString(16).padStart(2, "0")})`);
  if (bits & 0x80) {
    t.down();
    t.uint(hf.max_resp_exp, off + MAXRESP, 1, bits);
    t.uint(hf.max_resp_mant, off + MAXRESP, 1, bits);
    t.up();
  }
  igmpChecksum(p, t, off, 0);
  t.ipv4(hf.maddr, off + GROUP);
  if (p.wantCols) groupInfo(p, t, off + GROUP, QUERY);
  const sq = d[off + Q3_SQRV]!;
  t.bool(hf.s, off + Q3_SQRV, 1, sq);
  t.uint(hf.qrv, off + Q3_SQRV, 1, sq);
  t.uint(hf.qqic, off + Q3_QQIC, 1, d[off + Q3_QQIC]!);
  t.uint(hf.num_src, off + Q3_NSRC, 2, num);
  if (p.wantCols && num) p.info.add(num > 1 ? ", sources {" : ", source {");
  let o = off + Q3_SRC;
  for (let i = num; i > 0; i--, o += 4) {
    // The add checks the bytes, so a count larger than the packet ends here.
    t.ipv4(hf.saddr, o);
    if (p.wantCols) p.info.add(ipv4StringAt(d, o) + (i > 1 ? ", " : "}"));
  }
  return o;
}

function recordInfo(type: number, num: number, maddr: string): string {
  if (num === 0) {
    switch (type) {
      case 1: case 3: return ` / Leave group ${maddr}`;
      case 2: case 4: return ` / Join group ${maddr} for any sources`;
      case 5: return ` / Group ${maddr}, ALLOW_NEW_SOURCES but no source specified (?)`;
      case 6: return ` / Group ${maddr}, BLOCK_OLD_SOURCES but no source specified (?)`;
      default: return ` / Group ${maddr}, unknown record type (?)`;
    }
  }
  switch (type) {
    case 1: case 3: return ` / Join group ${maddr} for source${num > 1 ? "s in" : ""} {`;
    case 2: case 4: return ` / Join group ${maddr}, for source${num > 1 ? "s not in" : " not"} {`;
    case 5: return ` / Group ${maddr}, new source${num > 1 ? "s" : ""} {`;
    case 6: return ` / Group ${maddr}, block source${num > 1 ? "s" : ""} {`;
    default: return ` / Group ${maddr}, unknown record type (?), sources {`;
  }
}

function dissectV3Report(p: Packet, t: Tree, off: number, type: number): number {
  const d = t.d;
  common(p, t, off, type, 3);
  t.bytes(hf.reserved, off + 1, 1);
  igmpChecksum(p, t, off, 0);
  t.bytes(hf.reserved, off + 4, 2);
  t.check(off + R3_NREC, 2);
  const nrec = (d[off + R3_NREC]! << 8) | d[off + R3_NREC + 1]!;
  if (p.wantCols && nrec === 0) p.info.add(" - General query");
  t.uint(hf.num_grp_recs, off + R3_NREC, 2, nrec);
  let o = off + R3_REC;
  // Each record is at least 8 bytes and every add checks its bytes: a lying count ends at the
  // end of the packet, after at most (length / 8) rounds.
  for (let r = 0; r < nrec; r++) {
    t.check(o, 8);
    const rtype = d[o]!, adl = d[o + 1]!, num = (d[o + 2]! << 8) | d[o + 3]!;
    if (t.full) t.text(`Group Record : ${ipv4StringAt(d, o + 4)}  ${RECORD_TYPES.get(rtype) ?? ""}`, o, 8 + num * 4 + adl * 4);
    t.down();
    t.uint(hf.record_type, o, 1, rtype);
    t.uint(hf.aux_data_len, o + 1, 1, adl);
    t.uint(hf.num_src, o + 2, 2, num);
    t.ipv4(hf.maddr, o + 4);
    if (p.wantCols) p.info.add(recordInfo(rtype, num, ipv4StringAt(d, o + 4)));
    o += 8;
    for (let i = num; i > 0; i--, o += 4) {
      t.ipv4(hf.saddr, o);
      if (p.wantCols) p.info.add(ipv4StringAt(d, o) + (i > 1 ? ", " : "}"));
    }
    if (adl) {
      t.bytes(hf.aux_data, o, adl * 4);
      o += adl * 4;
    }
    t.up();
  }
  return o;
}

function dissectUnknown(p: Packet, t: Tree, off: number, type: number): number {
  p.protocol = "IGMP";
  if (p.wantCols) p.info.set(typeName(type));
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "IGMP";
  t.uint(hf.type, off + TYPE, 1, type);
  if (off + 1 < t.cap) t.bytes(hf.data, off + 1, t.cap - off - 1);
  return t.cap;
}

export function dissectIgmp(p: Packet, t: Tree, off: number): number {
  t.check(off, 1);
  const type = t.d[off]!;
  const known = type <= 0x0f || type === QUERY || type === V1_REPORT || type === V2_REPORT || type === V2_LEAVE || type === V3_REPORT;
  // Wireshark hands known types to a per-version dissector through its "igmp.type" table, which
  // lists the protocol a second time in frame.protocols ("ip:igmp:igmp").
  if (known) p.layers.push(hf.proto.abbrev);
  if (type <= 0x0f) return dissectV0(p, t, off, type);
  switch (type) {
    case QUERY:
      if (t.rep - off >= Q3_LEN) return dissectV3Query(p, t, off, type);
      if (!t.avail(off + 1, 1)) {
        // Wireshark fails reading byte 1 before any item or column: only the layer is listed.
        t.proto(p, hf.proto, off, t.cap - off);
        t.curProto = "IGMP";
        t.check(off + 1, 1);
      }
      return t.d[off + 1] ? dissectV2(p, t, off, type) : dissectV1(p, t, off, type);
    case V1_REPORT: return dissectV1(p, t, off, type);
    case V2_REPORT: case V2_LEAVE: return dissectV2(p, t, off, type);
    case V3_REPORT: return dissectV3Report(p, t, off, type);
    default: return dissectUnknown(p, t, off, type);
  }
}

ipProtos.add(2, (p, t, off) => {
  const end = dissectIgmp(p, t, off);
  t.up();
  return end;
});

// ---- building ----

export interface IgmpGroupRecord {
  type: number;
  /** Multicast address as an unsigned 32-bit number. */
  group: number;
  sources?: readonly number[];
  /** Auxiliary data, a multiple of 4 bytes. */
  aux?: Uint8Array;
}

export interface IgmpRepr {
  type: number;
  /** Byte 1: max response code (v2/v3 queries), else 0. */
  maxResp?: number;
  /** Group address (v1/v2 and v3 queries). */
  group?: number;
  /** A Membership Query in the v3 format (implied by any of the fields below). */
  v3?: boolean;
  s?: boolean;
  qrv?: number;
  qqic?: number;
  sources?: readonly number[];
  /** v3 Membership Report (type 0x22) group records. */
  records?: readonly IgmpGroupRecord[];
}

function recordLen(r: IgmpGroupRecord): number {
  const aux = r.aux?.length ?? 0;
  if (aux % 4 !== 0) throw new Error("igmpLayer: aux data must be a multiple of 4 bytes");
  return 8 + (r.sources?.length ?? 0) * 4 + aux;
}

/**
 * An IGMP message as a build layer, the mirror of dissectIgmp: v1/v2 messages (8 bytes), v3
 * queries (12 bytes plus sources) and v3 reports (8 bytes plus group records). The checksum covers
 * what Wireshark verifies: 8 bytes for v1/v2, the whole message (with any payload) for v3.
 */
export function igmpLayer(r: IgmpRepr): Layer {
  const report3 = r.type === V3_REPORT;
  const query3 = r.type === QUERY && (r.v3 === true || r.s !== undefined || r.qrv !== undefined || r.qqic !== undefined || r.sources !== undefined);
  let len = V12_LEN;
  if (report3) for (const rec of r.records ?? []) len += recordLen(rec);
  else if (query3) len = Q3_LEN + (r.sources?.length ?? 0) * 4;
  return {
    headerLen: len,
    emit(b, off, _payloadLen, ctx) {
      b.fill(0, off, off + len);
      b[off + TYPE] = r.type;
      if (report3) {
        const recs = r.records ?? [];
        putU16(b, off + R3_NREC, recs.length);
        let o = off + R3_REC;
        for (const rec of recs) {
          const srcs = rec.sources ?? [];
          b[o] = rec.type;
          b[o + 1] = (rec.aux?.length ?? 0) / 4;
          putU16(b, o + 2, srcs.length);
          putU32(b, o + 4, rec.group);
          o += 8;
          for (const s of srcs) {
            putU32(b, o, s);
            o += 4;
          }
          if (rec.aux) {
            b.set(rec.aux, o);
            o += rec.aux.length;
          }
        }
      } else {
        b[off + MAXRESP] = r.maxResp ?? 0;
        putU32(b, off + GROUP, r.group ?? 0);
        if (query3) {
          const srcs = r.sources ?? [];
          b[off + Q3_SQRV] = (r.s ? 0x08 : 0) | ((r.qrv ?? 0) & 0x07);
          b[off + Q3_QQIC] = r.qqic ?? 0;
          putU16(b, off + Q3_NSRC, srcs.length);
          for (let i = 0; i < srcs.length; i++) putU32(b, off + Q3_SRC + i * 4, srcs[i]!);
        }
      }
      ctx.ipProto = 2;
    },
    finish(b, off, payloadLen) {
      putU16(b, off + CKSUM, checksum(b, off, report3 || query3 ? len + payloadLen : V12_LEN));
    },
  };
}
