// The RPKI-Router protocol (RFC 6810 version 0, RFC 8210 version 1) on TCP port 323, as
// Wireshark 4.0 shows it.
//   Every PDU starts with version 1 | PDU type 1 | a 2-byte field (session ID, error code, zero;
//   a Router Key's flags and a zero byte) | length 4 (the whole PDU's) | type-specific fields:
//     Serial Notify (0), Serial Query (1): serial number 4
//     Reset Query (2), Cache Response (3), Cache Reset (8): nothing more
//     IPv4 Prefix (4), IPv6 Prefix (6): flags 1 | prefix length 1 | max length 1 | zero 1 |
//       prefix 4 or 16 | AS number 4
//     End of Data (7): serial number 4 | in version 1, refresh, retry and expire intervals 4 each
//     Router Key (9, version 1 only): subject key identifier 20 | AS number 4 | SubjectPublicKeyInfo
//     Error Report (10): length of the PDU in error 4 | that PDU | length of the text 4 | text
// As Wireshark's tcp_dissect_pdus: TCP's stream is cut into PDUs by their length field (PDUs cut
// by a segment's end are left to TCP's reassembly), a PDU that turns out malformed is marked and
// the next one is dissected all the same. Within a PDU Wireshark keeps dissecting PDUs while bytes
// remain, and, as it does, arpx reads the "length" that decides an unknown type's fate at the
// PDU's third byte (where the session ID is), and leaves the offset where it was after a
// version-0 Router Key or an unknown type whose length fits.
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { tcpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import { isBoundsSignal, SHORT, type Tree } from "../tree.js";
import { ws, wsEi } from "../ws.js";
import { formatString } from "../format.js";
import { hf as tcpHf } from "./tcp.js";
import { markReassembling, ONE_MORE_SEGMENT } from "./tcp-reassembly.js";
import { asciiValue } from "./cfm.js";
import { x509SubjectPublicKeyInfo } from "./x509.js";

export const RPKI_RTR_PORT = 323;
const LENGTH = 4, HDR = 8;
const SHORT_NAME = "RPKI-Router Protocol";

const enum Pdu {
  SERIAL_NOTIFY = 0, SERIAL_QUERY = 1, RESET_QUERY = 2, CACHE_RESPONSE = 3, IPV4_PREFIX = 4, IPV6_PREFIX = 6,
  END_OF_DATA = 7, CACHE_RESET = 8, ROUTER_KEY = 9, ERROR_REPORT = 10,
}

const PDU_TYPES = vals({
  0: "Serial Notify", 1: "Serial Query", 2: "Reset Query", 3: "Cache Response", 4: "IPv4 Prefix", 6: "IPv6 Prefix",
  7: "End of Data", 8: "Cache Reset", 9: "Router Key", 10: "Error Report",
});
const ERROR_CODES = vals({
  0: "Corrupt Data", 1: "Internal Error", 2: "No Data Available", 3: "Invalid Request", 4: "Unsupported Protocol Version",
  5: "Unsupported PDU Type", 6: "Withdrawal of Unknown Record", 7: "Duplicate Announcement Received", 8: "Unexpected Protocol Version",
});

export const hf = registerProtocol("rpkirtr", "RPKI-Router Protocol", {
  version: { abbrev: "rpki-rtr.version", name: "Version", type: FT.UINT8, blurb: "Denoting the version of this protocol (currently 0)" },
  pdu_type: { abbrev: "rpki-rtr.pdu_type", name: "PDU Type", type: FT.UINT8, strings: PDU_TYPES },
  reserved: { abbrev: "rpki-rtr.reserved", name: "Reserved", type: FT.BYTES, blurb: "Must be zero" },
  session_id: { abbrev: "rpki-rtr.session_id", name: "Session ID", type: FT.UINT16 },
  length: { abbrev: "rpki-rtr.length", name: "Length", type: FT.UINT32 },
  serial_number: { abbrev: "rpki-rtr.serial_number", name: "Serial Number", type: FT.UINT32 },
  flags: { abbrev: "rpki-rtr.flags", name: "Flags", type: FT.UINT8, base: Base.HEX },
  flags_aw: { abbrev: "rpki-rtr.flags.aw", name: "Flag AW", type: FT.BOOLEAN, mask: 0x1, bitWidth: 8, tfs: ["Announcement", "Withdrawal"] },
  flags_rk: { abbrev: "rpki-rtr.flags.rk", name: "Flag Router Key", type: FT.BOOLEAN, mask: 0x1, bitWidth: 8, tfs: ["New Router Key", "Delete Router Key"] },
  prefix_length: { abbrev: "rpki-rtr.prefix_length", name: "Prefix Length", type: FT.UINT8 },
  max_length: { abbrev: "rpki-rtr.max_length", name: "Max length", type: FT.UINT8 },
  ipv4_prefix: { abbrev: "rpki-rtr.ipv4_prefix", name: "IPv4 Prefix", type: FT.IPV4 },
  ipv6_prefix: { abbrev: "rpki-rtr.ipv6_prefix", name: "IPv6 Prefix", type: FT.IPV6 },
  as_number: { abbrev: "rpki-rtr.as_number", name: "AS Number", type: FT.UINT32 },
  error_code: { abbrev: "rpki-rtr.error_code", name: "Error Code", type: FT.UINT16, strings: ERROR_CODES },
  length_pdu: { abbrev: "rpki-rtr.length_pdu", name: "Length of Encapsulated PDU", type: FT.UINT32 },
  error_pdu: { abbrev: "rpki-rtr.error_pdu", name: "Erroneous PDU", type: FT.BYTES },
  length_text: { abbrev: "rpki-rtr.length_text", name: "Length of text", type: FT.UINT32 },
  error_text: { abbrev: "rpki-rtr.error_text", name: "Erroneous Text", type: FT.STRING },
  refresh_interval: { abbrev: "rpki-rtr.refresh_interval", name: "Refresh Interval", type: FT.UINT32 },
  retry_interval: { abbrev: "rpki-rtr.retry_interval", name: "Retry Interval", type: FT.UINT32 },
  expire_interval: { abbrev: "rpki-rtr.expire_interval", name: "Expire Interval", type: FT.UINT32 },
  subject_key_identifier: { abbrev: "rpki-rtr.subject_key_identifier", name: "Subject Key Identifier", type: FT.BYTES },
  subject_public_key_info: { abbrev: "rpki-rtr.subject_public_key_info", name: "Subject Public Key Info", type: FT.NONE },
});

export const ei = registerExperts(hf.proto, {
  wrong_version_router_key: { abbrev: "rpkirtr.router_key.wrong_version", group: "malformed", severity: "warn", summary: "Wrong version for Router Key type" },
  bad_length: { abbrev: "rpkirtr.bad_length", group: "malformed", severity: "error", summary: "Invalid length field" },
});

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

function uint32(t: Tree, f: typeof hf.length, o: number): number {
  t.check(o, 4);
  t.uint(f, o, 4, u32(t.d, o));
  return o + 4;
}

function typeName(type: number): string {
  return PDU_TYPES.get(type) ?? `Unknown ${type}`;
}

/**
 * The PDUs in [start, t.rep): one tcp_dissect_pdus PDU. Wireshark's item for each runs from the
 * PDU's start to its end, whichever offset the PDU read from.
 */
function dissectPdu(p: Packet, t: Tree, start: number, layers: number): void {
  const d = t.d;
  const end = t.rep;
  let o = start;
  while (o < end) {
    t.proto(p, hf.proto, start, t.cap - start);
    const item = t.lastItem();
    // frame.protocols names the protocol once per call, however many PDUs there are (what the
    // PDUs add, pkcs-1 for a Router Key's EC key, stays).
    p.layers.pop();
    t.curProto = SHORT_NAME;
    t.check(o, 1);
    const version = d[o]!;
    t.uint(hf.version, o, 1, version);
    o++;
    t.check(o, 1);
    const type = d[o]!;
    t.uint(hf.pdu_type, o, 1, type);
    const typeItem = t.lastItem();
    o++;
    if (p.wantCols) {
      if (!p.info.empty) p.info.add(", ");
      p.info.add(PDU_TYPES.get(type) ?? `Unknown (${type})`);
    }
    if (item !== null) item.text = `RPKI-Router Protocol (${typeName(type)})`;
    // Wireshark's "length" for its checks, read where the session ID is.
    t.check(o, 4);
    const length = u32(d, o);
    o = pduBody(p, t, start, o, type, version, length, typeItem);
    t.up();
    if (o < 0) return;
  }
}

type Item = ReturnType<Tree["lastItem"]>;

/**
 * The fields after the type of the PDU that starts at `start` (Wireshark's tvb offset 0); returns
 * the offset after them, or -1 when Wireshark stops.
 */
function pduBody(p: Packet, t: Tree, start: number, o: number, type: number, version: number, length: number, typeItem: Item): number {
  const d = t.d;
  switch (type) {
    case Pdu.SERIAL_NOTIFY: case Pdu.SERIAL_QUERY:
      t.check(o, 2);
      t.uint(hf.session_id, o, 2, u16(d, o));
      o = uint32(t, hf.length, o + 2);
      return uint32(t, hf.serial_number, o);
    case Pdu.RESET_QUERY: case Pdu.CACHE_RESET:
      t.bytes(hf.reserved, o, 2);
      return uint32(t, hf.length, o + 2);
    case Pdu.CACHE_RESPONSE:
      t.check(o, 2);
      t.uint(hf.session_id, o, 2, u16(d, o));
      return uint32(t, hf.length, o + 2);
    case Pdu.IPV4_PREFIX: case Pdu.IPV6_PREFIX: {
      t.bytes(hf.reserved, o, 2);
      o = uint32(t, hf.length, o + 2);
      t.check(o, 1);
      const flags = d[o]!;
      t.uint(hf.flags, o, 1, flags);
      t.down();
      t.bool(hf.flags_aw, o, 1, flags);
      t.up();
      t.check(o + 1, 1);
      t.uint(hf.prefix_length, o + 1, 1, d[o + 1]!);
      t.check(o + 2, 1);
      t.uint(hf.max_length, o + 2, 1, d[o + 2]!);
      t.bytes(hf.reserved, o + 3, 1);
      o += 4;
      if (type === Pdu.IPV4_PREFIX) {
        t.ipv4(hf.ipv4_prefix, o);
        o += 4;
      } else {
        t.ipv6(hf.ipv6_prefix, o);
        o += 16;
      }
      return uint32(t, hf.as_number, o);
    }
    case Pdu.END_OF_DATA:
      t.check(o, 2);
      t.uint(hf.session_id, o, 2, u16(d, o));
      o = uint32(t, hf.length, o + 2);
      o = uint32(t, hf.serial_number, o);
      if (version >= 1) {
        o = uint32(t, hf.refresh_interval, o);
        o = uint32(t, hf.retry_interval, o);
        o = uint32(t, hf.expire_interval, o);
      }
      return o;
    case Pdu.ROUTER_KEY:
      return routerKey(p, t, start, o, version, length, typeItem);
    case Pdu.ERROR_REPORT: {
      t.check(o, 2);
      t.uint(hf.error_code, o, 2, u16(d, o));
      o = uint32(t, hf.length, o + 2);
      t.check(o, 4);
      const pduLen = u32(d, o);
      t.uint(hf.length_pdu, o, 4, pduLen);
      o += 4;
      t.bytes(hf.error_pdu, o, pduLen);
      o += pduLen;
      t.check(o, 4);
      const textLen = u32(d, o);
      t.uint(hf.length_text, o, 4, textLen);
      o += 4;
      t.check(o, textLen);
      if (t.wants(hf.error_text)) {
        const s = asciiValue(d, o, textLen);
        t.str(hf.error_text, o, textLen, s);
        if (t.full) t.label(`Erroneous Text: ${formatString(s)}`);
      }
      return o + textLen;
    }
    default:
      // Unknown types: a length past the PDU's end stops the dissection.
      if (length > t.rep - start) {
        t.expertUnder(typeItem, p, ei.bad_length, o - 1, 1);
        return -1;
      }
      return o + length;
  }
}

function routerKey(p: Packet, t: Tree, start: number, o: number, version: number, length: number, typeItem: Item): number {
  const d = t.d;
  if (version < 1) {
    // Version 0 has no Router Key: flagged, and the next PDU is looked for right here.
    t.expertUnder(typeItem, p, ei.wrong_version_router_key, o - 1, 1);
    return o;
  }
  t.check(o, 1);
  const flags = d[o]!;
  t.uint(hf.flags, o, 1, flags);
  t.down();
  t.bool(hf.flags_rk, o, 1, flags);
  t.up();
  // Wireshark's 2-byte Reserved item overlaps the length's first byte.
  t.bytes(hf.reserved, o + 1, 2);
  o = uint32(t, hf.length, o + 2);
  t.bytes(hf.subject_key_identifier, o, 20);
  o = uint32(t, hf.as_number, o + 20);
  // The SubjectPublicKeyInfo, decoded as x509af's (x509.ts): its item spans the DER SEQUENCE; the
  // next PDU is looked for after it.
  void start, length;
  return x509SubjectPublicKeyInfo(p, t, o, hf.subject_public_key_info);
}

/** "[Malformed Packet: RPKI-Router Protocol]" after a PDU that did not fit its length. */
function markMalformed(p: Packet, t: Tree): void {
  p.malformed = true;
  if (p.wantCols) p.info.add("[Malformed Packet]");
  t.proto(p, ws.malformed, 0, 0);
  p.layers.pop();
  t.label(`[Malformed Packet: ${SHORT_NAME}]`);
  t.down();
  t.expert(p, wsEi.malformed, 0, 0);
  t.up();
  t.up();
}

/**
 * Asks TCP for `n` more bytes for the PDU `at` bytes into the payload. With nothing decoded from
 * this payload, tshark does not list the protocol in frame.protocols.
 */
function more(p: Packet, at: number, n: number): void {
  p.desegmentOffset = at;
  p.desegmentLen = n;
  if (at === 0) p.layers.pop();
}

/** Wireshark's tcp_dissect_pdus over d[off, t.rep), 8 bytes of header giving each PDU's length. */
export function dissectRpkiRtr(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "RPKI-RTR";
  if (p.wantCols) p.info.clear();
  t.curProto = SHORT_NAME;
  // The protocol is listed in frame.protocols as soon as TCP calls it, PDU or not.
  p.layers.push(hf.proto.abbrev);
  const layers = p.layers.length;
  let o = off;
  while (o < t.rep) {
    t.check(o, 1);
    const avail = t.cap - o;
    if (p.canDesegment && avail < HDR) {
      more(p, o - off, ONE_MORE_SEGMENT);
      return;
    }
    t.check(o + LENGTH, 4);
    const plen = u32(d, o + LENGTH);
    if (plen === 0 && p.canDesegment) {
      more(p, o - off, ONE_MORE_SEGMENT);
      return;
    }
    if (plen < HDR) {
      markMalformed(p, t);
      return;
    }
    if (p.canDesegment && avail < plen) {
      more(p, o - off, plen - avail);
      return;
    }
    t.reopen(tcpHf.proto);
    t.num(tcpHf.pdu_size, plen);
    t.up();
    const mark = t.mark();
    t.enter(o + plen);
    try {
      dissectPdu(p, t, o, layers);
    } catch (e) {
      if (!isBoundsSignal(e) || e === SHORT) throw e;
      t.restore(mark);
      markMalformed(p, t);
    }
    t.restore(mark);
    t.curProto = SHORT_NAME;
    o += plen;
  }
}

tcpPorts.add(RPKI_RTR_PORT, dissectRpkiRtr);
markReassembling(dissectRpkiRtr);
