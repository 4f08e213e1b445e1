// Internet Control Message Protocol (RFC 792, RFC 1191 MTU, RFC 1256 router discovery,
// RFC 4884 original-datagram length). Error messages carry the offending IP header and the
// start of its payload, which are dissected again (as Wireshark does) with the "in error
// packet" flag raised: no conversation updates of the Info column, and no malformed marks.
//   type 0 | code 1 | checksum 2..4 | rest of header 4..8 | data 8..
import { Base, FT, registerExperts, registerProtocol, vals, type Expert, type Field } from "../fields.js";
import type { Val } from "../format.js";
import { callData, etherTypes, ipProtos } from "../dispatch.js";
import type { Packet } from "../packet.js";
import { TextColumn } from "../column.js";
import { isBoundsSignal, type Tree } from "../tree.js";
import { compareEndpoints, KeyTable, putAddrKey } from "../session.js";
import { absoluteTimeText } from "./frame.js";
import { checksum, putU16, putU32, type Layer } from "../build.js";
import { CHECKSUM_STATUS, CK_BAD, CK_GOOD, CK_UNVERIFIED, errorPkt, inErrorPkt, isFragmented } from "./udp.js";

const TYPE = 0, CODE = 1, CKSUM = 2, HDR = 8;

const ECHOREPLY = 0, UNREACH = 3, SOURCEQUENCH = 4, REDIRECT = 5, ALTHOST = 6, ECHO = 8, RTRADVERT = 9,
  TIMXCEED = 11, PARAMPROB = 12, TSTAMP = 13, TSTAMPREPLY = 14, IREQ = 15, IREQREPLY = 16, MASKREQ = 17,
  MASKREPLY = 18, PHOTURIS = 40, EXTECHO = 42, EXTECHOREPLY = 43;

export const TYPE_NAMES = vals({
  0: "Echo (ping) reply", 1: "Reserved", 2: "Reserved", 3: "Destination unreachable",
  4: "Source quench (flow control)", 5: "Redirect", 6: "Alternate host address", 8: "Echo (ping) request",
  9: "Router advertisement", 10: "Router solicitation", 11: "Time-to-live exceeded", 12: "Parameter problem",
  13: "Timestamp request", 14: "Timestamp reply", 15: "Information request", 16: "Information reply",
  17: "Address mask request", 18: "Address mask reply", 19: "Reserved (for security)", 30: "Traceroute",
  31: "Datagram Conversion Error", 32: "Mobile Host Redirect", 33: "IPv6 Where-Are-You", 34: "IPv6 I-Am-Here",
  35: "Mobile Registration Request", 36: "Mobile Registration Reply", 37: "Domain Name Request",
  38: "Domain Name Reply", 39: "SKIP", 40: "Photuris", 41: "Experimental mobility protocols",
  42: "Extended Echo request", 43: "Extended Echo reply",
});

const UNREACH_CODES = vals({
  0: "Network unreachable", 1: "Host unreachable", 2: "Protocol unreachable", 3: "Port unreachable",
  4: "Fragmentation needed", 5: "Source route failed", 6: "Destination network unknown",
  7: "Destination host unknown", 8: "Source host isolated", 9: "Network administratively prohibited",
  10: "Host administratively prohibited", 11: "Network unreachable for TOS", 12: "Host unreachable for TOS",
  13: "Communication administratively filtered", 14: "Host precedence violation", 15: "Precedence cutoff in effect",
});
const REDIRECT_CODES = vals({ 0: "Redirect for network", 1: "Redirect for host", 2: "Redirect for TOS and network", 3: "Redirect for TOS and host" });
const ALTHOST_CODES = vals({ 0: "Alternate address for host" });
const RTRADVERT_CODES = vals({ 0: "Normal router advertisement", 16: "Does not route common traffic" });
const TTL_CODES = vals({ 0: "Time to live exceeded in transit", 1: "Fragment reassembly time exceeded" });
const PARAM_CODES = vals({ 0: "Pointer indicates the error", 1: "Required option missing", 2: "Bad length" });
const PHOTURIS_CODES = vals({ 0: "Bad SPI", 1: "Authentication Failed", 2: "Decompression Failed", 3: "Decryption Failed", 4: "Need Authentication", 5: "Need Authorization" });
const EXTECHO_REQ_CODES = vals({ 0: "No error" });
const EXTECHO_REPLY_CODES = vals({ 0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry", 4: "Multiple Interfaces Satisfy Query" });

function codeTable(type: number): ReadonlyMap<number, string> | null {
  switch (type) {
    case UNREACH: return UNREACH_CODES;
    case REDIRECT: return REDIRECT_CODES;
    case ALTHOST: return ALTHOST_CODES;
    case RTRADVERT: return RTRADVERT_CODES;
    case TIMXCEED: return TTL_CODES;
    case PARAMPROB: return PARAM_CODES;
    case PHOTURIS: return PHOTURIS_CODES;
    case EXTECHO: return EXTECHO_REQ_CODES;
    case EXTECHOREPLY: return EXTECHO_REPLY_CODES;
    default: return null;
  }
}

export const hf = registerProtocol("icmp", "Internet Control Message Protocol", {
  type: { abbrev: "icmp.type", name: "Type", type: FT.UINT8 },
  code: { abbrev: "icmp.code", name: "Code", type: FT.UINT8 },
  checksum: { abbrev: "icmp.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: "icmp.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  unused: { abbrev: "icmp.unused", name: "Unused", type: FT.BYTES },
  ident: { abbrev: "icmp.ident", name: "Identifier (BE)", type: FT.UINT16, base: Base.DEC_HEX },
  ident_le: { abbrev: "icmp.ident_le", name: "Identifier (LE)", type: FT.UINT16, base: Base.DEC_HEX },
  seq: { abbrev: "icmp.seq", name: "Sequence Number (BE)", type: FT.UINT16, base: Base.DEC_HEX },
  seq_le: { abbrev: "icmp.seq_le", name: "Sequence Number (LE)", type: FT.UINT16, base: Base.DEC_HEX },
  mtu: { abbrev: "icmp.mtu", name: "MTU of next hop", type: FT.UINT16 },
  num_addrs: { abbrev: "icmp.num_addrs", name: "Number of addresses", type: FT.UINT8 },
  addr_entry_size: { abbrev: "icmp.addr_entry_size", name: "Address entry size", type: FT.UINT8 },
  lifetime: { abbrev: "icmp.lifetime", name: "Lifetime", type: FT.UINT16 },
  pointer: { abbrev: "icmp.pointer", name: "Pointer", type: FT.UINT32 },
  router_address: { abbrev: "icmp.router_address", name: "Router address", type: FT.IPV4 },
  pref_level: { abbrev: "icmp.pref_level", name: "Preference level", type: FT.INT32 },
  originate_timestamp: { abbrev: "icmp.originate_timestamp", name: "Originate Timestamp", type: FT.UINT32 },
  receive_timestamp: { abbrev: "icmp.receive_timestamp", name: "Receive Timestamp", type: FT.UINT32 },
  transmit_timestamp: { abbrev: "icmp.transmit_timestamp", name: "Transmit Timestamp", type: FT.UINT32 },
  address_mask: { abbrev: "icmp.address_mask", name: "Address Mask", type: FT.IPV4 },
  redir_gw: { abbrev: "icmp.redir_gw", name: "Gateway Address", type: FT.IPV4 },
  resp_in: { abbrev: "icmp.resp_in", name: "Response frame", type: FT.FRAMENUM, generated: true },
  resp_to: { abbrev: "icmp.resp_to", name: "Request frame", type: FT.FRAMENUM, generated: true },
  resptime: { abbrev: "icmp.resptime", name: "Response time", type: FT.DOUBLE, generated: true },
  data_time: { abbrev: "icmp.data_time", name: "Timestamp from icmp data", type: FT.ABSOLUTE_TIME },
  data_time_relative: { abbrev: "icmp.data_time_relative", name: "Timestamp from icmp data (relative)", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  length: { abbrev: "icmp.length", name: "Length", type: FT.UINT8 },
  length_original_datagram: { abbrev: "icmp.length.original_datagram", name: "Length of original datagram", type: FT.UINT8, generated: true },
});

export const ei = registerExperts(hf.proto, {
  checksum_bad: { abbrev: "icmp.checksum_bad", group: "checksum", severity: "warn", summary: "Bad checksum" },
});

// ---- shared helpers (ICMPv6 uses them too) ----

/** One's complement sum of d[o..o+len) as big-endian words, folded to 16 bits, not inverted. */
export function onesSum(d: Uint8Array, o: number, len: number, init = 0): number {
  let s = init;
  const end = o + len - 1;
  let i = o;
  for (; i < end; i += 2) s += (d[i]! << 8) | d[i + 1]!;
  if (i === end) s += d[i]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** What the checksum field should have held, from the field and the computed (inverted) sum. */
export function checksumShouldBe(field: number, computed: number): number {
  let s = field + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

export function hex4(v: number): string {
  return "0x" + v.toString(16).padStart(4, "0");
}

/**
 * The checksum verdict ICMP and ICMPv6 share: `computed` is the ones'-complement result over
 * the message (0 when correct), or -1 when it could not be verified (cut short, in an ICMP
 * error, or a fragment). Labels the checksum item just added.
 */
export function showChecksum(p: Packet, t: Tree, status: Field, bad: Expert, at: number, sum: number, computed: number, unverifiedWhy: string): void {
  const item = t.lastItem();
  if (computed === 0) {
    if (t.full) t.label(`Checksum: ${hex4(sum)} [correct]`);
    t.num(status, CK_GOOD);
    if (t.full) t.label("[Checksum Status: Good]");
  } else if (computed > 0) {
    const should = checksumShouldBe(sum, computed);
    if (t.full) t.label(`Checksum: ${hex4(sum)} incorrect, should be ${hex4(should)}`);
    t.num(status, CK_BAD);
    if (t.full) t.label("[Checksum Status: Bad]");
    // Under the checksum item, as Wireshark's proto_tree_add_checksum puts it.
    t.expertUnder(item, p, bad, at, 2, `Bad checksum [should be ${hex4(should)}]`);
  } else {
    if (t.full) t.label(`Checksum: ${hex4(sum)} [unverified] [${unverifiedWhy}]`);
    t.num(status, CK_UNVERIFIED);
    if (t.full) t.label("[Checksum Status: Unverified]");
  }
}

/** Why ICMP and ICMPv6 leave a checksum unverified. */
export function unverifiedWhy(inError: boolean): string {
  return inError ? "in ICMP error packet" : "fragmented datagram";
}

/** Records a value that is not a plain read of the frame (e.g. an IPv6 prefix padded from 8 bytes). */
export function recordValue(t: Tree, f: Field, off: number, len: number, v: Val): void {
  t.value(f, off, len, v);
}

/**
 * Dissects the packet quoted in an ICMP/ICMPv6 error with `d` at `off`, up to `end`, the way
 * Wireshark's call_dissector_work_error does: columns and addresses are kept, and a bounds
 * error inside the quoted packet ends its dissection without marking the frame.
 * (Tree has no API for restoring its nesting, so its internals are saved here; see the report.)
 */
/** The Info text being built when an error's quoted packet is dissected, per nesting depth. */
const savedInfo: TextColumn[] = [];

export function dissectQuoted(p: Packet, t: Tree, off: number, end: number, d: (p: Packet, t: Tree, off: number) => number | void): void {
  const mark = t.mark();
  const info = (savedInfo[errorPkt.depth] ??= new TextColumn()).copyFrom(p.info);
  const s = {
    protocol: p.protocol, srcKind: p.srcKind, srcData: p.srcData, srcOff: p.srcOff, srcText: p.srcText,
    dstKind: p.dstKind, dstData: p.dstData, dstOff: p.dstOff, dstText: p.dstText, ipVersion: p.ipVersion, ipData: p.ipData, ipSrcOff: p.ipSrcOff,
    ipDstOff: p.ipDstOff, ipProto: p.ipProto, srcPort: p.srcPort, dstPort: p.dstPort,
  };
  errorPkt.depth++;
  try {
    t.enter(end);
    d(p, t, off);
  } catch (e) {
    if (!isBoundsSignal(e)) throw e;
  } finally {
    errorPkt.depth--;
    t.restore(mark);
    p.protocol = s.protocol;
    p.info.copyFrom(info);
    p.srcKind = s.srcKind;
    p.srcData = s.srcData;
    p.srcOff = s.srcOff;
    p.srcText = s.srcText;
    p.dstKind = s.dstKind;
    p.dstData = s.dstData;
    p.dstOff = s.dstOff;
    p.dstText = s.dstText;
    p.ipVersion = s.ipVersion;
    p.ipData = s.ipData;
    p.ipSrcOff = s.ipSrcOff;
    p.ipDstOff = s.ipDstOff;
    p.ipProto = s.ipProto;
    p.srcPort = s.srcPort;
    p.dstPort = s.dstPort;
  }
}

// ---- echo request/reply matching (one pass: a reply names its request) ----

export interface EchoTrans {
  reqFrame: number;
  respFrame: number;
  reqSec: number;
  reqNsec: number;
}

/**
 * Unanswered echo requests kept at most (per tracker: ICMP and ICMPv6 each have one); beyond it
 * the oldest is dropped. tshark keeps every request, but in one pass a reply can only match a
 * request seen earlier, and a request is dropped only after 65,536 newer unanswered ones (a ping
 * every millisecond that is never answered for a minute), so only replies that arrive that late
 * lose their "request in" (about 100 bytes an entry: under 7 MB full).
 */
export const ECHO_CAP = 65_536;

/** Key words: the address pair in order (0..4, 4..8), the checksum-derived key, ident/seq, address length. */
const EK_ADDR_LO = 0, EK_ADDR_HI = 4, EK_K0 = 8, EK_K1 = 9, EK_ALEN = 10, EK_WIDTH = 11;
/** Value columns: the request's frame number and time. */
const EV_FRAME = 0, EV_SEC = 1, EV_NSEC = 2, EV_WIDTH = 3;

/**
 * Echo requests waiting for their reply, keyed like Wireshark's transactions (address pair in
 * either order, plus two numbers taken from the ICMP header). A matched request is dropped: a
 * second reply to it matches nothing, as in Wireshark, and a repeated request replaces the older.
 * Lookups are allocation-free (numeric keys in a KeyTable).
 */
export class EchoTracker {
  private readonly tbl: KeyTable;
  /** What `reply` returns: overwritten by the next call. */
  private readonly out: EchoTrans = { reqFrame: 0, respFrame: 0, reqSec: 0, reqNsec: 0 };

  constructor(capacity = ECHO_CAP) {
    this.tbl = new KeyTable(EK_WIDTH, capacity, EV_WIDTH);
  }

  /** Requests waiting for a reply (at most the capacity). */
  get size(): number {
    return this.tbl.size;
  }

  get capacity(): number {
    return this.tbl.capacity;
  }

  private setKey(p: Packet, k0: number, k1: number): void {
    const d = p.ipData;
    const n = p.ipVersion === 6 ? 16 : p.ipVersion === 4 ? 4 : 0;
    const srcLow = compareEndpoints(d, p.ipSrcOff, 0, p.ipDstOff, 0, n) <= 0;
    const k = this.tbl.key;
    putAddrKey(k, EK_ADDR_LO, d, srcLow ? p.ipSrcOff : p.ipDstOff, n);
    putAddrKey(k, EK_ADDR_HI, d, srcLow ? p.ipDstOff : p.ipSrcOff, n);
    k[EK_K0] = k0;
    k[EK_K1] = k1;
    k[EK_ALEN] = n;
  }

  request(p: Packet, k0: number, k1: number): void {
    this.setKey(p, k0, k1);
    let s = this.tbl.find();
    if (s < 0) s = this.tbl.insert();
    else this.tbl.touch(s);
    const v = this.tbl.vals, r = s * EV_WIDTH;
    v[r + EV_FRAME] = p.num;
    v[r + EV_SEC] = p.tsSec;
    v[r + EV_NSEC] = p.tsNsec;
  }

  /** The request a reply answers (first reply only), or undefined; valid until the next call. */
  reply(p: Packet, k0: number, k1: number): EchoTrans | undefined {
    this.setKey(p, k0, k1);
    const s = this.tbl.find();
    if (s < 0) return undefined;
    const tr = this.out, v = this.tbl.vals, r = s * EV_WIDTH;
    tr.reqFrame = v[r + EV_FRAME]!;
    tr.respFrame = p.num;
    tr.reqSec = v[r + EV_SEC]!;
    tr.reqNsec = v[r + EV_NSEC]!;
    this.tbl.remove(s);
    return tr;
  }
}

const newTracker = (): EchoTracker => new EchoTracker();

/**
 * Response time in ms as Wireshark computes it: nstime_to_msec (a double) of nstime_delta's
 * seconds and nanoseconds. The tree label prints it with %.3f; the field value (respTimeValue)
 * is rounded like tshark's %.15g output.
 */
export function respTimeMs(p: Packet, tr: EchoTrans): number {
  let sec = p.tsSec - tr.reqSec;
  let nsec = p.tsNsec - tr.reqNsec;
  if (nsec < 0 && sec > 0) {
    sec -= 1;
    nsec += 1e9;
  } else if (nsec > 0 && sec < 0) {
    sec += 1;
    nsec -= 1e9;
  }
  return sec * 1000 + nsec / 1000000;
}

/** The icmp.resptime value recorded for a response time of `ms`: rounded like tshark's %.15g output. */
export function respTimeValue(ms: number): number {
  return Number(ms.toPrecision(15));
}

/** Timestamp in the first 8 bytes of echo data (BE, else LE), if it is within a day of the frame. */
/**
 * The timestamp ping(8) puts at the start of the echo data (seconds and microseconds, either byte
 * order), when it lies within a day of the capture time: its seconds, with the microseconds left
 * in `dataUsecs`; -1 when there is none.
 */
function dataTime(p: Packet, d: Uint8Array, o: number): number {
  let secs = be32(d, o), usecs = be32(d, o + 4);
  if (!nearCapture(p, secs, usecs)) {
    secs = le32(d, o);
    usecs = le32(d, o + 4);
  }
  if (!nearCapture(p, secs, usecs)) return -1;
  dataUsecs = usecs | 0;
  return secs;
}
let dataUsecs = 0;

function be32(d: Uint8Array, i: number): number {
  return ((d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!) >>> 0;
}

function le32(d: Uint8Array, i: number): number {
  return ((d[i + 3]! << 24) | (d[i + 2]! << 16) | (d[i + 1]! << 8) | d[i]!) >>> 0;
}

function nearCapture(p: Packet, secs: number, usecs: number): boolean {
  return Math.abs((secs - p.tsSec) | 0) < 86400 && (usecs | 0) < 1000000;
}

function signedTimeSecs(v: number): string {
  if (v === 0) return "0 seconds";
  const parts: string[] = [];
  const units: [number, string][] = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  let r = v;
  for (const [n, name] of units) {
    const q = Math.floor(r / n);
    if (q > 0) {
      parts.push(`${q} ${name}${q === 1 ? "" : "s"}`);
      r -= q * n;
    }
  }
  return parts.join(", ");
}

export function dissectIcmp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const inError = inErrorPkt();
  p.protocol = "ICMP";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "ICMP";
  // Wireshark reads type, code and the RFC 4884 length byte before adding any item.
  t.check(off, 6);
  const type = d[off + TYPE]!;
  const code = d[off + CODE]!;
  // RFC 4884: length of the quoted datagram in 32-bit words (0 when not given).
  let odl = d[off + 5]!;
  const typeStr = TYPE_NAMES.get(type) ?? "Unknown ICMP (obsolete or malformed?)";
  let typeText = typeStr;
  if (type === RTRADVERT && (code === 0 || code === 16)) typeText = "Mobile IP Advertisement";
  if (type === ALTHOST) odl = 0;
  const codes = codeTable(type);
  const codeStr = codes ? codes.get(code) ?? `Unknown code: ${code}` : null;
  if (p.wantCols) {
    p.info.set(typeText);
    for (let i = typeText.length; i < 20; i++) p.info.char(0x20);
    if (codeStr !== null) p.info.add(" (").add(codeStr).char(0x29);
  }
  if (t.full) t.label("Internet Control Message Protocol");
  t.uint(hf.type, off + TYPE, 1, type);
  if (t.full) t.label(`Type: ${type} (${typeText})`);
  t.uint(hf.code, off + CODE, 1, code);
  if (t.full) t.label(codeStr !== null ? `Code: ${code} (${codeStr})` : `Code: ${code}`);

  t.check(off + CKSUM, 2);
  const sum = (d[off + CKSUM]! << 8) | d[off + CKSUM + 1]!;
  const reported = t.rep - off;
  const captured = t.cap - off;
  t.uint(hf.checksum, off + CKSUM, 2, sum);
  const verify = captured >= reported && !inError && !isFragmented(p);
  showChecksum(p, t, hf.checksum_status, ei.checksum_bad, off + CKSUM, sum, verify ? ~onesSum(d, off, reported) & 0xffff : -1, unverifiedWhy(inError));

  // The second 32-bit word.
  switch (type) {
    case ECHOREPLY: case ECHO: case TSTAMP: case TSTAMPREPLY: case IREQ: case IREQREPLY: case MASKREQ: case MASKREPLY: {
      t.check(off + 4, 2);
      const id = (d[off + 4]! << 8) | d[off + 5]!;
      t.uint(hf.ident, off + 4, 2, id);
      t.uint(hf.ident_le, off + 4, 2, ((id & 0xff) << 8) | (id >> 8));
      t.check(off + 6, 2);
      const sq = (d[off + 6]! << 8) | d[off + 7]!;
      t.uint(hf.seq, off + 6, 2, sq);
      t.uint(hf.seq_le, off + 6, 2, ((sq & 0xff) << 8) | (sq >> 8));
      if (p.wantCols) {
        p.info.add(" id=0x").hex(id, 4).add(", seq=").dec(sq).char(0x2f).dec(((sq & 0xff) << 8) | (sq >> 8));
        // The TTL is IPv4's, handed to ICMP directly (not through AH or another header).
        if (p.ipVersion === 4 && p.ipSrcOff >= 4 && p.layers.at(p.layers.length - 2) === "ip") p.info.add(", ttl=").dec(p.ipData[p.ipSrcOff - 4]!);
      }
      break;
    }
    case UNREACH: case TIMXCEED:
      if (odl > 0) {
        t.bytes(hf.unused, off + 4, 1);
        t.uint(hf.length, off + 5, 1, odl);
        t.num(hf.length_original_datagram, odl * 4);
        if (t.full) t.label(`[Length of original datagram: ${odl * 4}]`);
        if (type === UNREACH && code === 4) {
          t.check(off + 6, 2);
          t.uint(hf.mtu, off + 6, 2, (d[off + 6]! << 8) | d[off + 7]!);
        } else t.bytes(hf.unused, off + 6, 2);
      } else if (type === UNREACH && code === 4) {
        t.bytes(hf.unused, off + 4, 2);
        t.check(off + 6, 2);
        t.uint(hf.mtu, off + 6, 2, (d[off + 6]! << 8) | d[off + 7]!);
      } else t.bytes(hf.unused, off + 4, 4);
      break;
    case RTRADVERT: {
      t.check(off + 4, 4);
      t.uint(hf.num_addrs, off + 4, 1, d[off + 4]!);
      t.uint(hf.addr_entry_size, off + 5, 1, d[off + 5]!);
      const life = (d[off + 6]! << 8) | d[off + 7]!;
      t.uint(hf.lifetime, off + 6, 2, life);
      if (t.full) t.label(`Lifetime: ${life} (${signedTimeSecs(life)})`);
      break;
    }
    case PARAMPROB:
      t.check(off + 4, 1);
      t.uint(hf.pointer, off + 4, 1, d[off + 4]!);
      if (odl > 0) {
        t.uint(hf.length, off + 5, 1, odl);
        t.num(hf.length_original_datagram, odl * 4);
        t.bytes(hf.unused, off + 6, 2);
      } else t.bytes(hf.unused, off + 5, 3);
      break;
    case REDIRECT:
      t.ipv4(hf.redir_gw, off + 4);
      break;
    case EXTECHO: case EXTECHOREPLY: {
      t.check(off + 4, 2);
      const id = (d[off + 4]! << 8) | d[off + 5]!;
      t.uint(hf.ident, off + 4, 2, id);
      t.uint(hf.ident_le, off + 4, 2, ((id & 0xff) << 8) | (id >> 8));
      break;
    }
  }

  // What follows the header.
  switch (type) {
    case UNREACH: case TIMXCEED: case PARAMPROB: case SOURCEQUENCH: case REDIRECT: {
      const body = off + HDR;
      let end = t.rep;
      if (type === REDIRECT) {
        if (t.avail(body, 1)) end = body + (d[body]! & 0x0f) * 4 + 8;
      } else if (odl > 0 && reported > HDR + odl * 4 && t.avail(body + 2, 2) && ((d[body + 2]! << 8) | d[body + 3]!) > odl * 4) {
        end = body + ((d[body]! & 0x0f) + odl) * 4;
      }
      // Wireshark's "ip" dissector: IPv6 by its version nibble, anything else as IPv4.
      const ip = etherTypes.get(t.avail(body, 1) && d[body]! >> 4 === 6 ? 0x86dd : 0x0800);
      if (ip !== undefined && body < t.cap) dissectQuoted(p, t, body, Math.min(end, t.rep), ip);
      break;
    }
    case ECHOREPLY: case ECHO: {
      if (!inError) {
        const tracker = p.session.store("icmp.echo", newTracker);
        const k1 = (((d[off + 4]! << 8) | d[off + 5]!) * 0x10000 + ((d[off + 6]! << 8) | d[off + 7]!)) >>> 0;
        if (type === ECHOREPLY) {
          const tr = tracker.reply(p, sum === 0xffff ? 0 : sum, k1);
          if (tr) {
            t.num(hf.resp_to, tr.reqFrame);
            if (t.full) t.label(`[Request frame: ${tr.reqFrame}]`);
            if (t.wants(hf.resptime)) {
              const ms = respTimeMs(p, tr);
              t.num(hf.resptime, respTimeValue(ms));
              if (t.full) t.label(`[Response time: ${ms.toFixed(3)} ms]`);
            }
            if (p.wantCols) p.info.add(" (request in ").dec(tr.reqFrame).char(0x29);
          }
        } else {
          // The reply's checksum differs from the request's by the type field only.
          let k = (~sum & 0xffff) + (~0x0800 & 0xffff);
          k = (k & 0xffff) + (k >>> 16);
          const k0 = ~k & 0xffff;
          tracker.request(p, k0, k1);
        }
      }
      const body = off + HDR;
      const capRemaining = t.cap - body;
      if (capRemaining < 8) {
        if (capRemaining > 0) callData(p, t, body);
        break;
      }
      const secs = dataTime(p, d, body);
      if (secs >= 0) {
        const usecs = dataUsecs;
        if (t.wants(hf.data_time)) t.str(hf.data_time, body, 8, absoluteTimeText(secs, usecs * 1000));
        if (t.full) t.label(`Timestamp from icmp data: ${absoluteTimeText(secs, usecs * 1000)}`);
        t.relTime(hf.data_time_relative, p.tsSec, p.tsNsec, secs, usecs * 1000);
        callData(p, t, body + 8);
      } else callData(p, t, body);
      break;
    }
    case RTRADVERT: {
      const n = d[off + 4]!;
      if (d[off + 5]! === 2) {
        for (let i = 0; i < n; i++) {
          t.ipv4(hf.router_address, off + 8 + i * 8);
          t.check(off + 12 + i * 8, 4);
          t.uint(hf.pref_level, off + 12 + i * 8, 4, (d[off + 12 + i * 8]! << 24) | (d[off + 13 + i * 8]! << 16) | (d[off + 14 + i * 8]! << 8) | d[off + 15 + i * 8]!);
        }
      } else callData(p, t, off + HDR);
      break;
    }
    case TSTAMP: case TSTAMPREPLY:
      for (const [f, o] of [[hf.originate_timestamp, 8], [hf.receive_timestamp, 12], [hf.transmit_timestamp, 16]] as const) {
        t.check(off + o, 4);
        t.uint(f, off + o, 4, ((d[off + o]! << 24) | (d[off + o + 1]! << 16) | (d[off + o + 2]! << 8) | d[off + o + 3]!) >>> 0);
      }
      break;
    case MASKREQ: case MASKREPLY:
      t.ipv4(hf.address_mask, off + 8);
      break;
  }
  t.up();
}

ipProtos.add(1, dissectIcmp);

// ---- building ----

export interface IcmpRepr {
  type: number;
  code?: number;
  /** Echo-style messages (echo, timestamp, information, address mask): bytes 4..6 and 6..8. */
  ident?: number;
  seq?: number;
  /** Otherwise the 4 bytes after the checksum as one number (e.g. the next-hop MTU in its low 16 bits, a redirect gateway). */
  rest?: number;
}

/**
 * An ICMP message header as a build layer (the mirror of dissectIcmp); the layers inside it are
 * the message data (an echo payload, or the quoted IP header and 8 bytes of an error). The
 * checksum covers the header and data, with no pseudo header.
 */
export function icmpLayer(r: IcmpRepr): Layer {
  if (r.rest !== undefined && (r.ident !== undefined || r.seq !== undefined)) throw new Error("icmpLayer: give either ident/seq or rest, not both");
  return {
    headerLen: HDR,
    emit(b, off, _payloadLen, ctx) {
      b[off + TYPE] = r.type;
      b[off + CODE] = r.code ?? 0;
      putU16(b, off + CKSUM, 0);
      if (r.rest !== undefined) putU32(b, off + 4, r.rest);
      else {
        putU16(b, off + 4, r.ident ?? 0);
        putU16(b, off + 6, r.seq ?? 0);
      }
      ctx.ipProto = 1;
    },
    finish(b, off, payloadLen) {
      putU16(b, off + CKSUM, checksum(b, off, HDR + payloadLen));
    },
  };
}
