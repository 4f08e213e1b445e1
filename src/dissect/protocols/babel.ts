// Babel Routing Protocol (RFC 8966; UDP port 6696), as Wireshark 4.0 shows it.
//   packet: magic 42 (0) | version 2 (1) | body length (2..4) | body: TLVs | packet trailer: TLVs
//   TLV: type (1) | length (1) | body (length); type 0 (Pad1) is a single byte
// What each TLV shows (offsets from the TLV's start):
//   ack-req: nonce 4..6, interval 6..8          ack: nonce 2..4
//   hello: "Unicast" 2..4, seqno 4..6, interval 6..8, sub-TLVs from 8
//   ihu: AE 2, rxcost 4..6, interval 6..8, address from 8, sub-TLVs after it
//   router-id: 8-byte id 4..12                  nh: AE 2, address from 4
//   update: AE 2, flags 3, prefix length 4, omitted 5, interval 6..8, seqno 8..10, metric 10..12,
//           prefix from 12 (its first `omitted` bytes come from the previous update with flag 0x80
//           of that family), sub-TLVs after it
//   request: AE 2, prefix length 3, prefix from 4
//   mh-request: AE 2, prefix length 3, seqno 4..6, hop count 6, router id 8..16, prefix from 16
//   pc: index 2..6; other types (timestamps, HMAC, source-specific, challenges) only type and length.
//   sub-TLV: type (1) | length (1) | body; Pad1 a single byte; the type's top bit: mandatory.
// Wireshark 4.0's quirks are kept so the fields agree: "Unicast" shows the packet's third byte
// (the body length's high byte), not the hello's flags; a prefix that does not fit shows
// "corrupt"; Sub-TLV Length values are named with the sub-TLV type names; bytes after the body
// are a "Packet Trailer" dissected as TLVs too.
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { callData, udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ipv6ToString } from "../format.js";

export const BABEL_PORT = 6696;

const MAGIC = 0, VERSION = 1, BODYLEN = 2, HDR = 4;

const PAD1 = 0, ACK_REQ = 2, ACK = 3, HELLO = 4, IHU = 5, ROUTER_ID = 6, NH = 7, UPDATE = 8, REQUEST = 9, MH_REQUEST = 10, PC = 17;
const SUB_PAD1 = 0, SUB_DIVERSITY = 2, SUB_TIMESTAMP = 3;

const MESSAGES = vals({
  0: "pad1", 1: "padn", 2: "ack-req", 3: "ack", 4: "hello", 5: "ihu", 6: "router-id", 7: "nh", 8: "update", 9: "request",
  10: "mh-request", 11: "ts/pc (obsolete)", 12: "hmac", 13: "source-specific-update", 14: "source-specific-req",
  15: "source-specific-seqno", 16: "hmac", 17: "pc", 18: "challenge-request", 19: "challenge-reply",
});
const SUBTLVS = vals({ 0: "sub-pad1", 1: "sub-padn", 2: "diversity", 3: "timestamp" });
const AES = vals({ 0: "Wildcard", 1: "IPv4", 2: "IPv6", 3: "Link-Local IPv6" });

export const hf = registerProtocol("babel", "Babel Routing Protocol", {
  magic: { abbrev: "babel.magic", name: "Magic", type: FT.UINT8, blurb: "Magic value 42" },
  version: { abbrev: "babel.version", name: "Version", type: FT.UINT8, blurb: "Version of the Babel protocol" },
  bodylen: { abbrev: "babel.bodylen", name: "Body Length", type: FT.UINT16 },
  message: { abbrev: "babel.message", name: "Message", type: FT.UINT8, blurb: "Babel Message" },
  message_type: { abbrev: "babel.message.type", name: "Message Type", type: FT.UINT8, strings: MESSAGES },
  message_length: { abbrev: "babel.message.length", name: "Message Length", type: FT.UINT8 },
  message_nonce: { abbrev: "babel.message.nonce", name: "Nonce", type: FT.UINT16, base: Base.HEX },
  message_interval: { abbrev: "babel.message.interval", name: "Interval", type: FT.UINT16, blurb: "Interval (in centiseconds)" },
  message_seqno: { abbrev: "babel.message.seqno", name: "Seqno", type: FT.UINT16, base: Base.HEX },
  message_ae: { abbrev: "babel.message.ae", name: "Address Encoding", type: FT.UINT8, strings: AES },
  message_prefix: { abbrev: "babel.message.prefix", name: "Raw Prefix", type: FT.BYTES },
  message_rxcost: { abbrev: "babel.message.rxcost", name: "Rxcost", type: FT.UINT16, base: Base.HEX, blurb: "Rxcost (from the point of vue of the sender)" },
  message_routerid: { abbrev: "babel.message.routerid", name: "Router ID", type: FT.BYTES },
  message_flags: { abbrev: "babel.message.flags", name: "Flags", type: FT.UINT8, base: Base.HEX },
  message_plen: { abbrev: "babel.message.plen", name: "Prefix Length", type: FT.UINT8 },
  message_omitted: { abbrev: "babel.message.omitted", name: "Omitted Bytes", type: FT.UINT8, blurb: "Number of bytes omitted from the prefix" },
  message_metric: { abbrev: "babel.message.metric", name: "Metric", type: FT.UINT16 },
  message_hopcount: { abbrev: "babel.message.hopcount", name: "Hop Count", type: FT.UINT8 },
  message_index: { abbrev: "babel.message.index", name: "Index", type: FT.UINT32 },
  subtlv: { abbrev: "babel.subtlv", name: "Sub-TLV", type: FT.UINT8, blurb: "Babel Sub-TLV" },
  subtlv_type: { abbrev: "babel.subtlv.type", name: "Sub-TLV Type", type: FT.UINT8, strings: SUBTLVS },
  // (Wireshark names the length's values with the sub-TLV type names.)
  subtlv_length: { abbrev: "babel.subtlv.length", name: "Sub-TLV Length", type: FT.UINT8, strings: SUBTLVS },
  subtlv_diversity: { abbrev: "babel.subtlv.diversity.channel", name: "Channel", type: FT.UINT8 },
});

function messageName(type: number): string {
  return MESSAGES.get(type) ?? "unknown";
}

// ---- prefixes (Wireshark's network_prefix) ----

/** The prefix network_prefix builds (16 bytes, IPv4 as ::ffff:a.b.c.d). */
const prefix = new Uint8Array(16);
/** The previous prefixes of updates with flag 0x80, per body (IPv4, and IPv6 for the other AEs). */
const v4Prev = new Uint8Array(16);
const v6Prev = new Uint8Array(16);

/** Reads `n` bytes at `o` into prefix[at..]; out of the captured bytes, the Tree's bounds signal. */
function copyIn(t: Tree, at: number, o: number, n: number): void {
  t.check(o, n);
  prefix.set(t.d.subarray(o, o + n), at);
}

/**
 * Builds `prefix` from AE `ae`, prefix length `plen` (-1: a full address), `omitted` bytes taken
 * from `dp` (null: none available) and the bytes at `o` (`len` of them there, unsigned as in C).
 * Returns the bytes read, or -1 when the prefix does not fit.
 */
function networkPrefix(t: Tree, ae: number, plen: number, omitted: number, o: number, dp: Uint8Array | null, len: number): number {
  const ulen = len >>> 0;
  const pb = plen >= 0 ? (plen + 7) >> 3 : ae === 1 ? 4 : 16;
  if (pb > 16) return -1;
  prefix.fill(0);
  switch (ae) {
    case 0:
      return 0;
    case 1:
      if (omitted > 4 || pb > 4 || (pb > omitted && ulen < pb - omitted)) return -1;
      prefix[10] = 0xff;
      prefix[11] = 0xff;
      if (omitted) {
        if (dp === null) return -1;
        prefix.set(dp.subarray(0, 12 + omitted));
      }
      if (pb > omitted) {
        copyIn(t, 12 + omitted, o, pb - omitted);
        return pb - omitted;
      }
      return 0;
    case 2:
      if (omitted > 16 || (pb > omitted && ulen < pb - omitted)) return -1;
      if (omitted) {
        if (dp === null) return -1;
        prefix.set(dp.subarray(0, omitted));
      }
      if (pb > omitted) {
        copyIn(t, omitted, o, pb - omitted);
        return pb - omitted;
      }
      return 0;
    case 3:
      if (pb > 8 && ulen < pb - 8) return -1;
      prefix[0] = 0xfe;
      prefix[1] = 0x80;
      if (pb > 8) {
        copyIn(t, 8, o, pb - 8);
        return pb - 8;
      }
      return 0;
    default:
      return -1;
  }
}

/** Wireshark's format_address of `prefix` ("corrupt" when the prefix did not fit). */
function formatAddress(ok: boolean): string {
  if (!ok) return "corrupt";
  let v4 = prefix[10] === 0xff && prefix[11] === 0xff;
  for (let i = 0; i < 10 && v4; i++) if (prefix[i] !== 0) v4 = false;
  return v4 ? `${prefix[12]}.${prefix[13]}.${prefix[14]}.${prefix[15]}` : ipv6ToString(prefix);
}

// ---- items whose length Wireshark takes as given ----

/**
 * Wireshark's proto_tree_add_item of a bytes field: -1 runs to the end of the captured bytes, a
 * length below that is malformed.
 */
function bytesItem(t: Tree, o: number, len: number): void {
  if (len === -1) {
    t.check(o, 0);
    len = t.cap - o;
  } else if (len < 0) malformed(t);
  t.bytes(hf.message_prefix, o, len);
}

/** Wireshark's ReportedBoundsError: "[Malformed Packet]" (the Tree's signal for reading past the reported end). */
function malformed(t: Tree): never {
  t.check(t.rep, 1);
  throw new Error("unreachable");
}

/**
 * A text item (Wireshark 4.0's proto_tree_add_subtree_format): -1 runs to the end of the captured
 * bytes; any other length must be there, as tvb_ensure_bytes_exist checks it (a negative one is
 * malformed), even when no tree is built.
 */
function textItem(t: Tree, label: string, o: number, len: number): void {
  if (len === -1) {
    t.check(o, 0);
    len = t.cap - o;
  } else if (len < 0) malformed(t);
  else t.check(o, len);
  t.text(label, o, len);
}

function u8(t: Tree, o: number): number {
  t.check(o, 1);
  return t.d[o]!;
}

function u16(t: Tree, o: number): number {
  t.check(o, 2);
  return (t.d[o]! << 8) | t.d[o + 1]!;
}

function u32(t: Tree, o: number): number {
  t.check(o, 4);
  return ((t.d[o]! << 24) >>> 0) + (t.d[o + 1]! << 16) + (t.d[o + 2]! << 8) + t.d[o + 3]!;
}

function timestamp(v: number): string {
  return `${Math.floor(v / 1000000)}.${String(v % 1000000).padStart(6, "0")}s`;
}

// ---- sub-TLVs and TLVs ----

function subTlvs(t: Tree, type: number, beg: number, end: number): void {
  while (beg < end) {
    const sub = u8(t, beg);
    const sublen = sub !== SUB_PAD1 ? u8(t, beg + 1) : 0;
    // The item's length is taken as given (only its start must be there).
    t.uint(hf.subtlv, beg, Math.min(sub === SUB_PAD1 ? 1 : sublen + 2, t.cap - beg), sub);
    if (t.full) t.label(`Sub TLV ${SUBTLVS.get(sub) ?? "unknown"} (${sub})`);
    t.down();
    t.uint(hf.subtlv_type, beg, 1, sub);
    if (sub === SUB_PAD1) {
      t.up();
      beg += 1;
      continue;
    }
    t.uint(hf.subtlv_length, beg + 1, 1, sublen);
    if (sub & 0x80) textItem(t, "Mandatory", beg + 2, sublen);
    if (sub === SUB_DIVERSITY) {
      textItem(t, "Channel", beg + 2, 0);
      t.down();
      for (let i = 0; i < sublen; i++) t.uint(hf.subtlv_diversity, beg + 2 + i, 1, u8(t, beg + 2 + i));
      t.up();
    } else if (sub === SUB_TIMESTAMP) {
      if (type === HELLO) {
        const t1 = u32(t, beg + 2);
        textItem(t, t.full ? `Timestamp : ${timestamp(t1)}` : "", beg + 2, sublen);
      } else if (type === IHU) {
        const t1 = u32(t, beg + 2);
        const t2 = u32(t, beg + 6);
        textItem(t, t.full ? `Timestamp origin : ${timestamp(t1)}` : "", beg + 2, sublen);
        textItem(t, t.full ? `Timestamp receive: ${timestamp(t2)}` : "", beg + 6, sublen);
      } else textItem(t, "Bogus", beg + 2, sublen);
    }
    t.up();
    beg += sublen + 2;
  }
}

/** What a TLV shows below its type and length (the tree is being built). */
function tlvBody(t: Tree, type: number, m: number, len: number): void {
  const full = t.full;
  switch (type) {
    case ACK_REQ:
      t.uint(hf.message_nonce, m + 4, 2, u16(t, m + 4));
      t.uint(hf.message_interval, m + 6, 2, u16(t, m + 6));
      break;
    case ACK:
      t.uint(hf.message_nonce, m + 2, 2, u16(t, m + 2));
      break;
    case HELLO: {
      const unicast = u8(t, babelStart + 2);
      textItem(t, full ? `Unicast : ${unicast}` : "", m + 2, 2);
      t.uint(hf.message_seqno, m + 4, 2, u16(t, m + 4));
      t.uint(hf.message_interval, m + 6, 2, u16(t, m + 6));
      if (len > 6) subTlvs(t, type, m + 8, m + 2 + len);
      break;
    }
    case IHU: {
      const ae = u8(t, m + 2);
      const rc = networkPrefix(t, ae, -1, 0, m + 8, null, len - 6);
      t.uint(hf.message_rxcost, m + 4, 2, u16(t, m + 4));
      t.uint(hf.message_interval, m + 6, 2, u16(t, m + 6));
      textItem(t, full ? `Address: ${formatAddress(rc >= 0)}` : "", m + 4, len - 2);
      t.down();
      t.uint(hf.message_ae, m + 2, 1, ae);
      bytesItem(t, m + 4, len - 2);
      t.up();
      if (rc < len - 6) subTlvs(t, type, m + 8 + rc, m + 2 + len);
      break;
    }
    case ROUTER_ID:
      t.bytes(hf.message_routerid, m + 4, 8);
      break;
    case NH: {
      const ae = u8(t, m + 2);
      const rc = networkPrefix(t, ae, -1, 0, m + 4, null, len - 2);
      textItem(t, full ? `NH: ${formatAddress(rc >= 0)}` : "", m + 4, len - 2);
      t.down();
      t.uint(hf.message_ae, m + 2, 1, ae);
      bytesItem(t, m + 4, len - 2);
      t.up();
      break;
    }
    case UPDATE: {
      const ae = u8(t, m + 2);
      const flags = u8(t, m + 3);
      const plen = u8(t, m + 4);
      const omitted = u8(t, m + 5);
      const rc = networkPrefix(t, ae, plen, omitted, m + 12, ae === 1 ? v4Prev : v6Prev, len - 10);
      if (rc >= 0 && flags & 0x80) (ae === 1 ? v4Prev : v6Prev).set(prefix);
      t.uint(hf.message_flags, m + 3, 1, flags);
      t.uint(hf.message_interval, m + 6, 2, u16(t, m + 6));
      t.uint(hf.message_seqno, m + 8, 2, u16(t, m + 8));
      t.uint(hf.message_metric, m + 10, 2, u16(t, m + 10));
      textItem(t, full ? `Prefix: ${formatAddress(rc >= 0)}/${plen}` : "", m + 12, len - 10);
      t.down();
      t.uint(hf.message_ae, m + 2, 1, ae);
      t.uint(hf.message_plen, m + 4, 1, plen);
      t.uint(hf.message_omitted, m + 5, 1, omitted);
      bytesItem(t, m + 12, len - 10);
      t.up();
      // (Wireshark compares the result as a byte: -1 is 255.)
      if ((rc & 0xff) < len - 10) subTlvs(t, type, m + 12 + rc, m + 2 + len);
      break;
    }
    case REQUEST: {
      const ae = u8(t, m + 2);
      const plen = u8(t, m + 3);
      const rc = networkPrefix(t, ae, plen, 0, m + 4, null, len - 2);
      textItem(t, full ? `Prefix: ${formatAddress(rc >= 0)}/${plen}` : "", m + 4, len - 2);
      t.down();
      t.uint(hf.message_ae, m + 2, 1, ae);
      t.uint(hf.message_plen, m + 3, 1, plen);
      bytesItem(t, m + 4, len - 2);
      t.up();
      break;
    }
    case MH_REQUEST: {
      const ae = u8(t, m + 2);
      const plen = u8(t, m + 3);
      const rc = networkPrefix(t, ae, plen, 0, m + 16, null, len - 14);
      t.uint(hf.message_seqno, m + 4, 2, u16(t, m + 4));
      t.uint(hf.message_hopcount, m + 6, 1, u8(t, m + 6));
      t.bytes(hf.message_routerid, m + 8, 8);
      textItem(t, full ? `Prefix: ${formatAddress(rc >= 0)}/${plen}` : "", m + 16, len - 14);
      t.down();
      t.uint(hf.message_ae, m + 2, 1, ae);
      t.uint(hf.message_plen, m + 3, 1, plen);
      bytesItem(t, m + 16, len - 14);
      t.up();
      break;
    }
    case PC:
      t.uint(hf.message_index, m + 2, 4, u32(t, m + 2));
      break;
  }
}

/** Where the Babel packet starts (the TLV offsets of Wireshark's dissector count from it). */
let babelStart = 0;

/** The TLVs from body offset `from` for `bodylen` bytes; the trailer after the body when `from` is 0. */
function body(p: Packet, t: Tree, from: number, bodylen: number): void {
  const tree = t.buildsTree;
  const b = babelStart;
  v4Prev.fill(0);
  v6Prev.fill(0);
  let i = from;
  while (i - from < bodylen) {
    const m = b + HDR + i;
    const type = u8(t, m);
    let len = 0;
    let total = 1;
    if (type !== PAD1) {
      len = u8(t, m + 1);
      total = len + 2;
    }
    if (p.wantCols) p.info.add(" ").add(messageName(type));
    if (tree) {
      // The message item's length is taken as given (only its start must be there).
      t.uint(hf.message, m, Math.min(total, t.cap - m), type);
      if (t.full) t.label(`Message ${messageName(type)} (${type})`);
      t.down();
      t.uint(hf.message_type, m, 1, type);
      if (type !== PAD1) {
        t.uint(hf.message_length, m + 1, 1, len);
        tlvBody(t, type, m, len);
      }
      t.up();
    }
    if (type === PAD1) {
      i++;
      continue;
    }
    i += len + 2;
  }
  if (from !== 0) return;
  // Wireshark keeps the trailer's length in a byte.
  const trailer = (t.rep - b - bodylen - HDR) & 0xff;
  if (trailer === 0) return;
  textItem(t, t.full ? `Packet Trailer (${trailer})` : "", b + HDR + bodylen, trailer);
  t.down();
  body(p, t, bodylen, trailer);
  t.up();
}

/**
 * Not Babel after all (Wireshark's dissector returned 0): as Wireshark's UDP goes on, the higher
 * port's dissector when Babel was tried for the lower one (Babel again when both are 6696),
 * else data. What Babel added to the tree stays.
 */
function rejected(p: Packet, t: Tree, off: number, asLow: boolean): void {
  if (asLow) {
    const hi = p.srcPort > p.dstPort ? p.srcPort : p.dstPort;
    const next = udpPorts.get(hi);
    if (next === dissectBabel) {
      babelAt(p, t, off, false);
      return;
    }
    if (next) {
      next(p, t, off);
      return;
    }
  }
  callData(p, t, off);
}

function babelAt(p: Packet, t: Tree, off: number, asLow: boolean): void {
  const d = t.d;
  if (t.cap - off < HDR || d[off + MAGIC] !== 42) {
    rejected(p, t, off, asLow);
    return;
  }
  const version = d[off + VERSION]!;
  p.protocol = "Babel";
  if (version !== 2) {
    // Wireshark stops there: no item, and the protocol is not listed in frame.protocols.
    if (p.wantCols) p.info.set(`Version ${version}`);
    return;
  }
  if (p.wantCols) p.info.set("Babel");
  const tree = t.buildsTree;
  t.proto(p, hf.proto, off, t.cap - off);
  t.curProto = "Babel";
  if (tree) {
    t.uint(hf.magic, off + MAGIC, 1, 42);
    t.uint(hf.version, off + VERSION, 1, version);
  }
  const bodylen = (d[off + BODYLEN]! << 8) | d[off + BODYLEN + 1]!;
  if (tree) t.uint(hf.bodylen, off + BODYLEN, 2, bodylen);
  babelStart = off;
  body(p, t, 0, bodylen);
  t.up();
  // Wireshark's dissector returns how far the body went: nothing for an empty body, which UDP
  // takes as "not Babel".
  if (bodylen === 0) {
    p.layers.pop();
    rejected(p, t, off, asLow);
  }
}

export function dissectBabel(p: Packet, t: Tree, off: number): void {
  // UDP tried the lower port first (port 0 is never tried).
  const lo = p.srcPort < p.dstPort ? p.srcPort : p.dstPort;
  babelAt(p, t, off, lo === BABEL_PORT);
}

udpPorts.add(BABEL_PORT, dissectBabel);
