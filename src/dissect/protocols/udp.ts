// User Datagram Protocol (RFC 768), plus the address/port conversation table TCP shares.
//   source port 0..2 | destination port 2..4 | length 4..6 | checksum 6..8 | payload 8..
import { Base, FT, registerExperts, registerProtocol } from "../fields.js";
import { byPorts, callData, ipProtos, udpHeuristics, udpPorts } from "../dispatch.js";
import { Tap, type Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { compareEndpoints, KeyTable, putAddrKey } from "../session.js";
import { onesSum, putU16, type BuildContext, type Layer } from "../build.js";

const SPORT = 0, DPORT = 2, LEN = 4, CKSUM = 6, HDR = 8;

/**
 * Depth of ICMP/ICMPv6 error packets being dissected (Wireshark's pinfo->flags.in_error_pkt): the
 * quoted header inside an error message must not update conversations the way real traffic does.
 * ICMP raises it around the inner dissection (in a finally) and the transports read it.
 */
export const errorPkt = { depth: 0 };
export function inErrorPkt(): boolean {
  return errorPkt.depth > 0;
}

/**
 * Wireshark's pinfo->fragmented: the network layer handed over the first fragment of a datagram
 * it could not reassemble, so lengths cannot be trusted. Read from `p.fragmented` when the
 * Packet carries it (set by IPv4/IPv6), false otherwise.
 */
export function isFragmented(p: Packet): boolean {
  return (p as { fragmented?: boolean }).fragmented === true;
}

/** Wireshark's proto_checksum_vals, shared by every checksum status field. */
export const CHECKSUM_STATUS = new Map<number, string>([
  [0, "Bad"], [1, "Good"], [2, "Unverified"], [3, "Not present"], [4, "Illegal"],
]);
export const CK_BAD = 0, CK_GOOD = 1, CK_UNVERIFIED = 2, CK_NOT_PRESENT = 3, CK_ILLEGAL = 4;

export const hf = registerProtocol("udp", "User Datagram Protocol", {
  srcport: { abbrev: "udp.srcport", name: "Source Port", type: FT.UINT16 },
  dstport: { abbrev: "udp.dstport", name: "Destination Port", type: FT.UINT16 },
  port: { abbrev: "udp.port", name: "Source or Destination Port", type: FT.UINT16, hidden: true },
  length: { abbrev: "udp.length", name: "Length", type: FT.UINT16 },
  checksum: { abbrev: "udp.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: "udp.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  stream: { abbrev: "udp.stream", name: "Stream index", type: FT.UINT32, generated: true },
  time_relative: { abbrev: "udp.time_relative", name: "Time since first frame", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  time_delta: { abbrev: "udp.time_delta", name: "Time since previous frame", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  payload: { abbrev: "udp.payload", name: "Payload", type: FT.BYTES },
});

export const ei = registerExperts(hf.proto, {
  length_bad: { abbrev: "udp.length.bad", group: "malformed", severity: "error", summary: "Bad length value" },
  length_bad_zero: { abbrev: "udp.length.bad_zero", group: "protocol", severity: "warn", summary: "Length is zero but payload < 65536" },
  checksum_zero: { abbrev: "udp.checksum.zero", group: "checksum", severity: "error", summary: "Illegal checksum value (0)" },
  possible_traceroute: { abbrev: "udp.possible_traceroute", group: "sequence", severity: "chat", summary: "Possible traceroute" },
});

// ---- conversations keyed by address pair + port pair (either direction) ----

/** What a ConvTable holds per conversation (the key itself lives in the table). */
export interface Conv {
  stream: number;
}

/**
 * Conversations kept at most by TCP and by UDP; beyond it the least recently seen conversation is
 * dropped. Deviation from tshark, which keeps every conversation: a conversation that comes back
 * after more than this many others were seen since its last packet starts over, with a new stream
 * index (and, for TCP, sequence numbers relative to its next packet and an unknown window scale).
 *
 * The caps come from measured peak RSS, the goal being under 150 MB for any capture: `arpx read`
 * of millions of distinct pings, DNS queries and TCP SYNs peaks near 119 MB with tiny tables and
 * near 135 MB with these caps (and ECHO_CAP). A UDP conversation is ~100 bytes outside the JS
 * heap; a TCP one keeps its state in objects on the heap (~250 bytes, which the garbage
 * collector's headroom about doubles in RSS), so TCP gets fewer.
 */
export const TCP_CONV_CAP = 32_768;
export const UDP_CONV_CAP = 65_536;

/** Key words: endpoint with the lower (address, port) first: address 0..4, address 4..8, ports, address length. */
const CK_ADDR_LO = 0, CK_ADDR_HI = 4, CK_PORTS = 8, CK_ALEN = 9, CK_WIDTH = 10;

/**
 * Conversations found by their (address, port) pair in either direction, bounded by LRU eviction
 * (see TCP_CONV_CAP); the lookup builds no string and allocates nothing. Endpoint A of a conversation
 * is the source of the packet that created it. A port reused by a new connection replaces the old
 * entry (`add` after a `find` that hit), as Wireshark's newest conversation shadows the older one.
 *
 * A conversation's state is either an object (`find` / `add`, as TCP keeps it) or `columns`
 * numbers per slot in `vals` (`lookup` / `insert`, as UDP keeps it: nothing on the JS heap).
 */
export class ConvTable<C extends Conv = Conv> {
  private readonly tbl: KeyTable;
  private readonly values: C[] = [];
  /** Numbers per slot in `vals`: the direction flag (endpoint A is the lower endpoint), then the caller's columns. */
  private readonly width: number;
  /** Set by `find` / `lookup`: whether the packet goes from A to B. */
  fwd = true;
  /** Slot found by the last lookup (-1: none), and whether its source is the lower endpoint. */
  private lastSlot = -1;
  private lastSrcLow = true;

  constructor(capacity: number, columns = 0) {
    this.width = 1 + columns;
    this.tbl = new KeyTable(CK_WIDTH, capacity, this.width);
  }

  /** Conversations held now (at most the capacity). */
  get size(): number {
    return this.tbl.size;
  }

  get capacity(): number {
    return this.tbl.capacity;
  }

  /** The numeric columns (`columns` per slot, from `row(slot)`). */
  get vals(): Float64Array {
    return this.tbl.vals;
  }

  /** Index in `vals` of the first of the caller's columns for `slot`. */
  row(slot: number): number {
    return slot * this.width + 1;
  }

  /** The slot of the packet's conversation (made the most recent), or -1. Sets `fwd`. */
  lookup(d: Uint8Array, src: number, dst: number, alen: number, sport: number, dport: number): number {
    const srcLow = compareEndpoints(d, src, sport, dst, dport, alen) <= 0;
    const k = this.tbl.key;
    putAddrKey(k, CK_ADDR_LO, d, srcLow ? src : dst, alen);
    putAddrKey(k, CK_ADDR_HI, d, srcLow ? dst : src, alen);
    k[CK_PORTS] = (srcLow ? sport * 0x10000 + dport : dport * 0x10000 + sport) >>> 0;
    k[CK_ALEN] = alen;
    this.lastSrcLow = srcLow;
    const s = this.tbl.find();
    this.lastSlot = s;
    if (s >= 0) {
      this.tbl.touch(s);
      this.fwd = (this.tbl.vals[s * this.width] === 1) === srcLow;
    }
    return s;
  }

  /**
   * The slot for a new conversation with the key of the last `lookup` (the packet's source becomes
   * A): the slot that lookup found, if any, else a new one (evicting the least recently seen
   * conversation when the table is full).
   */
  insert(): number {
    let s = this.lastSlot;
    if (s < 0) {
      s = this.tbl.insert();
      this.lastSlot = s;
    }
    this.tbl.vals[s * this.width] = this.lastSrcLow ? 1 : 0;
    this.fwd = true;
    return s;
  }

  find(d: Uint8Array, src: number, dst: number, alen: number, sport: number, dport: number): C | undefined {
    const s = this.lookup(d, src, dst, alen, sport, dport);
    return s < 0 ? undefined : this.values[s];
  }

  /**
   * The conversation object a new key would evict (when the table is full and the last `find`
   * missed: the least recently seen one), for the caller to reinitialise and pass to `add` instead
   * of a new object; undefined otherwise. Reusing it keeps a long capture from handing every
   * evicted conversation to the garbage collector, which lets the heap grow well past the live
   * state before it collects.
   */
  reusable(): C | undefined {
    if (this.lastSlot >= 0 || this.tbl.size < this.tbl.capacity) return undefined;
    return this.values[this.tbl.oldestSlot];
  }

  /** `insert` with an object: adds (or replaces) the conversation of the last `find`. */
  add(c: C): C {
    this.values[this.insert()] = c;
    return c;
  }
}

/** Address length of the network layer below (0 when there is none). */
export function addrLen(p: Packet): number {
  return p.ipVersion === 4 ? 4 : p.ipVersion === 6 ? 16 : 0;
}

/** UDP keeps its conversations as numbers in the table (columns of `row(slot)`). */
const U_STREAM = 0, U_FIRST_SEC = 1, U_FIRST_NSEC = 2, U_PREV_SEC = 3, U_PREV_NSEC = 4, U_COLUMNS = 5;

export class UdpState {
  readonly convs = new ConvTable(UDP_CONV_CAP, U_COLUMNS);
  streams = 0;
}

const newUdpState = (): UdpState => new UdpState();

/** The `vals` index of the packet's conversation row (created if new); the table is `st.convs`. */
function udpConv(p: Packet, st: UdpState, sport: number, dport: number): number {
  const tbl = st.convs;
  const s = tbl.lookup(p.ipData, p.ipSrcOff, p.ipDstOff, addrLen(p), sport, dport);
  if (s >= 0) return tbl.row(s);
  const r = tbl.row(tbl.insert());
  const v = tbl.vals;
  v[r + U_STREAM] = st.streams++;
  v[r + U_FIRST_SEC] = v[r + U_PREV_SEC] = p.tsSec;
  v[r + U_FIRST_NSEC] = v[r + U_PREV_NSEC] = p.tsNsec;
  return r;
}

function traceroute(p: Packet, t: Tree, off: number, port: number): void {
  if (port > 32768 + 666 && port <= 32768 + 666 + 30) {
    const n = port - 32768 - 666 - 1;
    t.expert(p, ei.possible_traceroute, off, 2, `Possible traceroute: hop #${Math.floor(n / 3) + 1}, attempt #${(n % 3) + 1}`);
  }
}

export function dissectUdp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  const inError = inErrorPkt();
  // Wireshark reads the ports before it adds the item: an ICMP error quoting less of the header
  // than that leaves nothing of UDP, not even its name in frame.protocols.
  if (inError && !t.avail(off, 4)) t.check(off, 4);
  t.proto(p, hf.proto, off, HDR);
  t.curProto = "UDP";
  t.check(off, 4);
  const sport = (d[off + SPORT]! << 8) | d[off + SPORT + 1]!;
  const dport = (d[off + DPORT]! << 8) | d[off + DPORT + 1]!;
  p.protocol = "UDP";
  if (p.wantCols) p.info.clear().dec(sport).add(" \u2192 ").dec(dport);
  if (t.full) t.label(`User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
  t.uint(hf.srcport, off + SPORT, 2, sport);
  traceroute(p, t, off + SPORT, sport);
  t.uint(hf.dstport, off + DPORT, 2, dport);
  traceroute(p, t, off + DPORT, dport);
  t.uint(hf.port, off + SPORT, 2, sport);
  t.uint(hf.port, off + DPORT, 2, dport);
  p.ipProto = 17;
  p.srcPort = sport;
  p.dstPort = dport;

  t.check(off + LEN, 2);
  const reported = t.rep - off;
  let ulen = (d[off + LEN]! << 8) | d[off + LEN + 1]!;
  t.uint(hf.length, off + LEN, 2, ulen);
  const lenItem = t.lastItem();
  let jumbogram = false;
  if (ulen === 0 && p.ipVersion === 6) {
    // RFC 2675: a zero length over IPv6 means the IPv6 payload length decides.
    ulen = reported;
    jumbogram = true;
  }
  if (ulen < 8) {
    if (t.full) t.label(`Length: ${ulen} (bogus, must be >= 8)`);
    t.expertUnder(lenItem, p, ei.length_bad, off + LEN, 2, `Bad length value ${ulen} < 8`);
    if (p.wantCols) p.info.add(` [BAD UDP LENGTH ${ulen} < 8]`);
    t.up();
    return;
  }
  const fragmented = isFragmented(p);
  if (ulen > reported && !inError && !fragmented) {
    if (t.full) t.label(`Length: ${ulen} (bogus, payload length ${reported})`);
    t.expertUnder(lenItem, p, ei.length_bad, off + LEN, 2, `Bad length value ${ulen} > IP payload length`);
    if (p.wantCols) p.info.add(` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`);
  }
  if (jumbogram && ulen < 65536) t.expert(p, ei.length_bad_zero, off + LEN, 2);
  if (p.wantCols) {
    p.info.add(" Len=").dec(ulen - 8);
    if (jumbogram) p.info.add(" [Jumbogram]");
  }

  t.check(off + CKSUM, 2);
  const sum = (d[off + CKSUM]! << 8) | d[off + CKSUM + 1]!;
  let status = CK_UNVERIFIED;
  t.uint(hf.checksum, off + CKSUM, 2, sum);
  if (sum === 0) {
    if (p.ipVersion === 4 || inError) {
      status = CK_NOT_PRESENT;
      if (t.full) t.label("Checksum: 0x0000 [zero-value ignored]");
    } else {
      status = CK_ILLEGAL;
      if (t.full) t.label("Checksum: 0x0000 [zero-value illegal]");
    }
  } else if (t.full) t.label(`Checksum: 0x${sum.toString(16).padStart(4, "0")} [unverified]`);
  // A zero checksum's status (and the expert info when it is illegal) sit under the checksum item.
  if (sum === 0) t.down();
  if (sum === 0 && status === CK_ILLEGAL) {
    t.expert(p, ei.checksum_zero, off + CKSUM, 2);
    if (p.wantCols) p.info.add(" [ILLEGAL CHECKSUM (0)]");
  }
  t.num(hf.checksum_status, status);
  if (t.full) t.label(`[Checksum Status: ${CHECKSUM_STATUS.get(status)}]`);
  if (sum === 0) t.up();
  if (!inError) p.taps |= Tap.UDP;

  const st = p.session.store("udp", newUdpState);
  const r = udpConv(p, st, sport, dport);
  const cv = st.convs.vals;
  const stream = cv[r + U_STREAM]!;
  t.num(hf.stream, stream);
  if (t.full) t.label(`[Stream index: ${stream}]`);

  if (ulen === HDR) {
    t.up();
    return;
  }
  if (!inError) {
    const prevSec = cv[r + U_PREV_SEC]!, prevNsec = cv[r + U_PREV_NSEC]!;
    cv[r + U_PREV_SEC] = p.tsSec;
    cv[r + U_PREV_NSEC] = p.tsNsec;
    if (t.full) {
      t.text("[Timestamps]", off, 0);
      t.down();
    }
    t.relTime(hf.time_relative, p.tsSec, p.tsNsec, cv[r + U_FIRST_SEC]!, cv[r + U_FIRST_NSEC]!);
    t.relTime(hf.time_delta, p.tsSec, p.tsNsec, prevSec, prevNsec);
    if (t.full) t.up();
  }
  const body = off + HDR;
  if (inError && body >= t.cap) {
    t.up();
    return;
  }
  // The payload item spans what the UDP layer has captured; the hand-off is cut at the UDP length.
  const capLen = Math.max(0, t.cap - body);
  const repLen = Math.min(ulen - HDR, Math.max(0, reported - HDR));
  t.bytes(hf.payload, body, capLen);
  if (t.full) t.label(`UDP payload (${Math.min(capLen, repLen)} byte${Math.min(capLen, repLen) === 1 ? "" : "s"})`);
  t.up();
  t.enter(off + ulen);
  if (!inError && p.session.followUdp !== null) p.session.followUdp(p, d, body, t.cap);
  const next = byPortsNonZero(sport, dport);
  // tshark shows the payload of a datagram quoted in an ICMP error at the top level, decoded
  // by its port's dissector or as data (no heuristics).
  if (inError) t.atTop(() => (next ? next(p, t, body) : callData(p, t, body)));
  else if (next) next(p, t, body);
  else if (!heuristics(p, t, body)) callData(p, t, body);
  t.leave();
}

function heuristics(p: Packet, t: Tree, body: number): boolean {
  for (let i = 0; i < udpHeuristics.length; i++) if (udpHeuristics[i]!(p, t, body)) return true;
  return false;
}

/** Wireshark skips port 0 (RFC 768: "unused") when choosing the payload dissector. */
function byPortsNonZero(sport: number, dport: number) {
  if (sport === 0 && dport === 0) return undefined;
  if (sport === 0) return udpPorts.get(dport);
  if (dport === 0) return udpPorts.get(sport);
  return byPorts(udpPorts, sport, dport);
}

ipProtos.add(17, dissectUdp);

// ---- building ----

/**
 * The ones'-complement sum of the IPv4 or IPv6 pseudo header (RFC 768, RFC 9293 3.1, RFC 8200
 * 8.1) for a transport message of `len` bytes carried as protocol `proto`; -1 when no network
 * layer has set its addresses in `ctx`.
 */
export function pseudoHeaderSum(ctx: BuildContext, proto: number, len: number): number {
  const { srcAddr, dstAddr } = ctx;
  if (ctx.ipVersion === 0 || srcAddr === null || dstAddr === null) return -1;
  const s = onesSum(dstAddr, 0, dstAddr.length, onesSum(srcAddr, 0, srcAddr.length));
  // IPv4: zero | protocol | 16-bit length; IPv6: 32-bit length | 24 zero bits | next header.
  return s + proto + (len & 0xffff) + Math.floor(len / 0x10000);
}

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  /** Compute the checksum (default true); false leaves it 0 ("not present", legal over IPv4 only). */
  checksum?: boolean;
}

/**
 * The UDP header as a build layer (the mirror of dissectUdp). The length covers the payload; the
 * checksum covers the pseudo header of the IP layer outside it, and is left 0 without one.
 */
export function udpLayer(r: UdpRepr): Layer {
  return {
    headerLen: HDR,
    emit(b, off, payloadLen, ctx) {
      const len = HDR + payloadLen;
      if (len > 0xffff) throw new RangeError(`UDP datagram of ${len} bytes exceeds 65535`);
      putU16(b, off + SPORT, r.srcPort);
      putU16(b, off + DPORT, r.dstPort);
      putU16(b, off + LEN, len);
      putU16(b, off + CKSUM, 0);
      ctx.ipProto = 17;
    },
    finish(b, off, payloadLen, ctx) {
      if (r.checksum === false) return;
      const len = HDR + payloadLen;
      const pseudo = pseudoHeaderSum(ctx, 17, len);
      if (pseudo < 0) return;
      const c = ~onesSum(b, off, len, pseudo) & 0xffff;
      // RFC 768: a computed zero is sent as all ones (zero means "no checksum").
      putU16(b, off + CKSUM, c === 0 ? 0xffff : c);
    },
  };
}
