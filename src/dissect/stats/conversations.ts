// Conversations and endpoints at the Ethernet, IPv4/IPv6, TCP and UDP levels, as tshark's
// `-z conv,TYPE` and `-z endpoints,TYPE`. Keys are built only for these tables, never on the
// plain read path.
import { etherStringAt, ipv4StringAt, ipv6ToString } from "../format.js";
import { Tap, type Packet } from "../packet.js";

export type ConvType = "eth" | "ip" | "ipv6" | "tcp" | "udp";
export const CONV_TYPES: readonly ConvType[] = ["eth", "ip", "ipv6", "tcp", "udp"];

export interface Conversation {
  a: string;
  b: string;
  /** Frames and bytes from a to b, and from b to a. */
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
}

export interface Endpoint {
  addr: string;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

function endpoints(p: Packet, type: ConvType): [string, string] | null {
  const d = p.data;
  switch (type) {
    case "eth":
      return p.dlSrcOff >= 0 ? [etherStringAt(d, p.dlSrcOff), etherStringAt(d, p.dlDstOff)] : null;
    case "ip":
      return p.ipVersion === 4 && (p.taps & Tap.IP) !== 0 ? [ipv4StringAt(d, p.ipSrcOff), ipv4StringAt(d, p.ipDstOff)] : null;
    case "ipv6":
      return p.ipVersion === 6 ? [ipv6ToString(d, p.ipSrcOff), ipv6ToString(d, p.ipDstOff)] : null;
    case "tcp":
    case "udp": {
      if ((p.taps & (type === "tcp" ? Tap.TCP : Tap.UDP)) === 0 || p.srcPort < 0 || p.ipVersion === 0) return null;
      const s = p.ipVersion === 4 ? ipv4StringAt(d, p.ipSrcOff) : ipv6ToString(d, p.ipSrcOff);
      const t = p.ipVersion === 4 ? ipv4StringAt(d, p.ipDstOff) : ipv6ToString(d, p.ipDstOff);
      return [`${s}:${p.srcPort}`, `${t}:${p.dstPort}`];
    }
  }
}

export class ConversationTable {
  private readonly convs = new Map<string, Conversation>();
  private readonly eps = new Map<string, Endpoint>();

  constructor(readonly type: ConvType) {}

  add(p: Packet): void {
    const e = endpoints(p, this.type);
    if (!e) return;
    const [src, dst] = e;
    const fwd = src <= dst;
    const key = fwd ? `${src}\u0000${dst}` : `${dst}\u0000${src}`;
    let c = this.convs.get(key);
    if (!c) {
      c = { a: src, b: dst, framesAB: 0, bytesAB: 0, framesBA: 0, bytesBA: 0, firstSec: p.tsSec, firstNsec: p.tsNsec, lastSec: p.tsSec, lastNsec: p.tsNsec };
      this.convs.set(key, c);
    }
    if (c.a === src) {
      c.framesAB++;
      c.bytesAB += p.wireLen;
    } else {
      c.framesBA++;
      c.bytesBA += p.wireLen;
    }
    c.lastSec = p.tsSec;
    c.lastNsec = p.tsNsec;
    this.endpoint(src).txFrames++;
    this.endpoint(src).txBytes += p.wireLen;
    this.endpoint(dst).rxFrames++;
    this.endpoint(dst).rxBytes += p.wireLen;
  }

  private endpoint(addr: string): Endpoint {
    let e = this.eps.get(addr);
    if (!e) {
      e = { addr, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
      this.eps.set(addr, e);
    }
    return e;
  }

  /** Conversations, most bytes first (tshark's order). */
  conversations(): Conversation[] {
    return [...this.convs.values()].sort((x, y) => y.bytesAB + y.bytesBA - (x.bytesAB + x.bytesBA));
  }

  endpointList(): Endpoint[] {
    return [...this.eps.values()].sort((x, y) => y.txBytes + y.rxBytes - (x.txBytes + x.rxBytes));
  }
}
