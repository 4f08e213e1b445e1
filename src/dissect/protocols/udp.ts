// User Datagram Protocol (RFC 768), plus the address/port conversation table TCP shares.
//   source port 0..2 | destination port 2..4 | length 4..6 | checksum 6..8 | payload 8..
import { Base, FT, registerExperts, registerProtocol } from "../fields.js";
import { byPorts, callData, ipProtos, udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { secondsBetween } from "../session.js";
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

/** One conversation: endpoint A is the source of the first packet seen. */
export interface Conv {
  /** Address bytes of A then B (4 or 16 bytes each; empty without a network layer). */
  readonly addrs: Uint8Array;
  readonly alen: number;
  readonly portA: number;
  readonly portB: number;
  readonly hash: number;
}

function hashEndpoint(d: Uint8Array, off: number, alen: number, port: number): number {
  let h = 0x811c9dc5 ^ port;
  for (let i = 0; i < alen; i++) h = Math.imul(h ^ d[off + i]!, 0x01000193);
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
}

/**
 * Conversations found by a symmetric hash of (address, port) pairs; the lookup allocates nothing.
 * A port reused by a new connection replaces the old entry, as Wireshark's newest conversation
 * shadows the older one.
 */
export class ConvTable<C extends Conv> {
  private readonly buckets = new Map<number, C[]>();
  /** Set by `find`: whether the packet goes from A to B. */
  fwd = true;
  /** Hash of the last `find`, reused by `add`. */
  private lastHash = 0;

  find(d: Uint8Array, src: number, dst: number, alen: number, sport: number, dport: number): C | undefined {
    const h = (hashEndpoint(d, src, alen, sport) ^ hashEndpoint(d, dst, alen, dport)) >>> 0;
    this.lastHash = h;
    const b = this.buckets.get(h);
    if (b === undefined) return undefined;
    for (let i = b.length - 1; i >= 0; i--) {
      const c = b[i]!;
      if (c.alen !== alen) continue;
      if (c.portA === sport && c.portB === dport && sameAddr(c.addrs, 0, d, src, alen) && sameAddr(c.addrs, alen, d, dst, alen)) {
        this.fwd = true;
        return c;
      }
      if (c.portA === dport && c.portB === sport && sameAddr(c.addrs, 0, d, dst, alen) && sameAddr(c.addrs, alen, d, src, alen)) {
        this.fwd = false;
        return c;
      }
    }
    return undefined;
  }

  /** Adds a conversation for the addresses of the last `find`, replacing any entry with the same key. */
  add(c: C): C {
    let b = this.buckets.get(c.hash);
    if (b === undefined) {
      b = [];
      this.buckets.set(c.hash, b);
    }
    for (let i = 0; i < b.length; i++) {
      const o = b[i]!;
      if (o.alen === c.alen && sameKey(o, c)) {
        b[i] = c;
        this.fwd = true;
        return c;
      }
    }
    b.push(c);
    this.fwd = true;
    return c;
  }

  get hash(): number {
    return this.lastHash;
  }
}

function sameAddr(a: Uint8Array, ao: number, d: Uint8Array, o: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[ao + i] !== d[o + i]) return false;
  return true;
}

function sameKey(x: Conv, y: Conv): boolean {
  const n = x.alen;
  if (x.portA === y.portA && x.portB === y.portB && sameAddr(x.addrs, 0, y.addrs, 0, 2 * n)) return true;
  return x.portA === y.portB && x.portB === y.portA && sameAddr(x.addrs, 0, y.addrs, n, n) && sameAddr(x.addrs, n, y.addrs, 0, n);
}

/** Address length of the network layer below (0 when there is none). */
export function addrLen(p: Packet): number {
  return p.ipVersion === 4 ? 4 : p.ipVersion === 6 ? 16 : 0;
}

/** Copies the packet's addresses into a new conversation key (src first). */
export function convAddrs(p: Packet, alen: number): Uint8Array {
  const a = new Uint8Array(2 * alen);
  if (alen > 0) {
    a.set(p.data.subarray(p.ipSrcOff, p.ipSrcOff + alen), 0);
    a.set(p.data.subarray(p.ipDstOff, p.ipDstOff + alen), alen);
  }
  return a;
}

interface UdpConv extends Conv {
  stream: number;
  firstSec: number;
  firstNsec: number;
  prevSec: number;
  prevNsec: number;
}

class UdpState {
  readonly convs = new ConvTable<UdpConv>();
  streams = 0;
}

const newUdpState = (): UdpState => new UdpState();

function udpConv(p: Packet, sport: number, dport: number): UdpConv {
  const st = p.session.store("udp", newUdpState);
  const alen = addrLen(p);
  const tbl = st.convs;
  const found = tbl.find(p.data, p.ipSrcOff, p.ipDstOff, alen, sport, dport);
  if (found) return found;
  return tbl.add({
    addrs: convAddrs(p, alen), alen, portA: sport, portB: dport, hash: tbl.hash,
    stream: st.streams++, firstSec: p.tsSec, firstNsec: p.tsNsec, prevSec: p.tsSec, prevNsec: p.tsNsec,
  });
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
  t.proto(p, hf.proto, off, HDR);
  t.check(off, 4);
  const sport = (d[off + SPORT]! << 8) | d[off + SPORT + 1]!;
  const dport = (d[off + DPORT]! << 8) | d[off + DPORT + 1]!;
  p.protocol = "UDP";
  if (p.wantCols) p.info = `${sport} \u2192 ${dport}`;
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
  let jumbogram = false;
  if (ulen === 0 && p.ipVersion === 6) {
    // RFC 2675: a zero length over IPv6 means the IPv6 payload length decides.
    ulen = reported;
    jumbogram = true;
  }
  if (ulen < 8) {
    if (t.full) t.label(`Length: ${ulen} (bogus, must be >= 8)`);
    t.expert(p, ei.length_bad, off + LEN, 2, `Bad length value ${ulen} < 8`);
    if (p.wantCols) p.info += ` [BAD UDP LENGTH ${ulen} < 8]`;
    t.up();
    return;
  }
  const fragmented = isFragmented(p);
  if (ulen > reported && !inError && !fragmented) {
    if (t.full) t.label(`Length: ${ulen} (bogus, payload length ${reported})`);
    t.expert(p, ei.length_bad, off + LEN, 2, `Bad length value ${ulen} > IP payload length`);
    if (p.wantCols) p.info += ` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`;
  }
  if (jumbogram && ulen < 65536) t.expert(p, ei.length_bad_zero, off + LEN, 2);
  if (p.wantCols) {
    p.info += ` Len=${ulen - 8}`;
    if (jumbogram) p.info += " [Jumbogram]";
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
  if (sum === 0 && status === CK_ILLEGAL) {
    t.expert(p, ei.checksum_zero, off + CKSUM, 2);
    if (p.wantCols) p.info += " [ILLEGAL CHECKSUM (0)]";
  }
  t.num(hf.checksum_status, status);
  if (t.full) t.label(`[Checksum Status: ${CHECKSUM_STATUS.get(status)}]`);

  const conv = udpConv(p, sport, dport);
  t.num(hf.stream, conv.stream);
  if (t.full) t.label(`[Stream index: ${conv.stream}]`);

  if (ulen === HDR) {
    t.up();
    return;
  }
  if (!inError) {
    const delta = secondsBetween(p.tsSec, p.tsNsec, conv.prevSec, conv.prevNsec);
    conv.prevSec = p.tsSec;
    conv.prevNsec = p.tsNsec;
    if (t.full) {
      t.text("[Timestamps]", off, 0);
      t.down();
    }
    t.num(hf.time_relative, secondsBetween(p.tsSec, p.tsNsec, conv.firstSec, conv.firstNsec));
    t.num(hf.time_delta, delta);
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
  const next = byPortsNonZero(sport, dport);
  if (next) next(p, t, body);
  else callData(p, t, body);
  t.leave();
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
