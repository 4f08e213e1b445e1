// Guessing the modelled host from the capture when no configuration names it.
//
// The host is the receiver of server-side traffic: the unicast destination MAC that receives the
// most TCP/UDP frames addressed to a port lower than their source port (requests to a service),
// ties broken by more unicast frames received, then by the lower MAC. With no such traffic, the
// unicast destination MAC receiving the most frames. MACs that XARP shows as application MACs
// (SHA of a REPLY without the canonical flag, ANNOUNCE, RELEASE) are never the canonical MAC.
// The host IPv4 address is the most frequent IPv4 destination of frames to that MAC.
// The guess looks at a prefix of the capture (the caller decides how long; arpx replay uses the
// first 50,000 frames) and is printed, so a user can override it.
import { parseXarp, XarpOp, FLAG_CANONICAL } from "../dissect/protocols/xarp-wire.js";
import { Cast, L3, type Classified } from "./classify.js";

export interface HostGuess {
  mac: number | null;
  ip: number | null;
  /** How the MAC was chosen, for the message shown to the user. */
  basis: string;
}

export class HostGuesser {
  private readonly server = new Map<number, number>();
  private readonly frames = new Map<number, number>();
  private readonly ips = new Map<number, Map<number, number>>();
  private readonly appMacs = new Set<number>();
  seen = 0;

  add(c: Classified, d: Uint8Array): void {
    this.addAt(c, d, 0, d.length);
  }

  /** add() for a frame at d[at, at + len) (only XARP frames get a view of their own). */
  addAt(c: Classified, d: Uint8Array, at: number, len: number): void {
    this.seen++;
    if (c.l3 === L3.XARP) {
      const m = parseXarp(at === 0 && len === d.length ? d : d.subarray(at, at + len), c.l3Off);
      if (m !== null && ((m.op === XarpOp.REPLY && (m.spa.flags & FLAG_CANONICAL) === 0) || m.op === XarpOp.ANNOUNCE || m.op === XarpOp.RELEASE)) this.appMacs.add(m.sha);
    }
    if (!c.hasDst || c.cast !== Cast.UNICAST) return;
    const mac = c.dst;
    this.frames.set(mac, (this.frames.get(mac) ?? 0) + 1);
    if (c.hasPorts && !c.control && c.dstPort < c.srcPort) this.server.set(mac, (this.server.get(mac) ?? 0) + 1);
    if (c.l3 === L3.IPV4) {
      let m = this.ips.get(mac);
      if (m === undefined) this.ips.set(mac, (m = new Map()));
      m.set(c.dstIp4, (m.get(c.dstIp4) ?? 0) + 1);
    }
  }

  result(): HostGuess {
    const best = (score: Map<number, number>): number | null => {
      let bm: number | null = null, bs = -1, bf = -1;
      for (const [mac, s] of score) {
        if (this.appMacs.has(mac)) continue;
        const f = this.frames.get(mac) ?? 0;
        if (s > bs || (s === bs && (f > bf || (f === bf && bm !== null && mac < bm)))) {
          bm = mac;
          bs = s;
          bf = f;
        }
      }
      return bm;
    };
    let mac = best(this.server);
    let basis = "receives the most frames addressed to a service port (destination port below source port)";
    if (mac === null) {
      mac = best(this.frames);
      basis = "receives the most unicast frames";
    }
    if (mac === null) return { mac: null, ip: null, basis: "no unicast destination MAC in the capture" };
    let ip: number | null = null, n = 0;
    for (const [v, k] of this.ips.get(mac) ?? []) {
      if (k > n || (k === n && ip !== null && v < ip)) {
        ip = v;
        n = k;
      }
    }
    return { mac, ip, basis };
  }
}
