// The multi-MAC NIC model: frames in (classified by classify.ts, timed by the caller), dispatched to
// application rings or the kernel queue exactly as docs/nic-model.md says; counters kept here,
// everything time-related told to the listener (src/ringmon) as events.
import { parseXarp, XarpOp, FLAG_CANONICAL } from "../dissect/protocols/xarp-wire.js";
import { Cast, Frag, L3, type Classified, isLocalUnicastMac, macText } from "./classify.js";
import { endpointText, type AppConfig, type Endpoint, type IpMatch, type ModelConfig, type QueueParams } from "./config.js";
import { Outcome, type ModelListener, type QueueInfo } from "./events.js";
import { doubleFields } from "./doubles.js";
import { descriptorsFor, Ring } from "./ring.js";
import { RateBound } from "./sizing.js";

/** Why a frame went to the kernel queue. */
export const enum Reason {
  CONTROL = 0,
  BCAST_MCAST = 1,
  CANONICAL = 2,
  UNKNOWN_MAC = 3,
  NO_APP = 4,
  FRAGMENT = 5,
  NO_PORT = 6,
  OVERFLOW = 7,
}
export const REASONS = ["control", "broadcast/multicast", "canonical MAC", "unknown MAC", "no application bound", "non-first fragment", "no transport port", "overflow from an application"] as const;
export const REASON_KEYS = ["control", "broadcastMulticast", "canonicalMac", "unknownMac", "noApplication", "fragment", "noPort", "overflow"] as const;

export interface AppState {
  queue: number;
  name: string;
  /** Current MAC (null until learned, for "auto" apps). */
  mac: number | null;
  /** Every MAC this application used during the run. */
  macs: number[];
  endpoints: Endpoint[];
  /** Endpoints announced (XARP REPLY/ANNOUNCE) and not released since. */
  announced: Endpoint[];
  learned: boolean;
  /** Learned from what (xarp, lamac, listen) or "config". */
  source: string;
  /** The NIC steers to it (false after an XARP RELEASE of its MAC in mac mode). */
  active: boolean;
  ring: Ring;
  shadow: Ring | null;
  rate: RateBound;
  params: QueueParams;
  arrived: number;
  arrivedBytes: number;
  overflowed: number;
  dropped: number;
  overflowRingFull: number;
  overflowFillEmpty: number;
  firstOverflowNs: number;
  /** Sum over accepted frames of ceil(bytes / pageSize) (for the map/unmap cost). */
  acceptedPages: number;
}

export interface KernelState {
  ring: Ring;
  shadow: Ring | null;
  rate: RateBound;
  params: QueueParams;
  arrived: number;
  arrivedBytes: number;
  dropped: number;
  firstDropNs: number;
  reasons: Float64Array;
  reasonBytes: Float64Array;
  acceptedPages: number;
}

const PAGE = 4096;

/** Open-addressing table from 48-bit MACs to application indices (no allocation per lookup). */
class MacTable {
  private hi = new Int32Array(64);
  private lo = new Int32Array(64);
  private val = new Int32Array(64).fill(-1);
  private mask = 63;
  private count = 0;

  private slot(m: number): number {
    const lo = m % 0x100000000 | 0;
    const hi = Math.floor(m / 0x100000000) | 0;
    let h = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & this.mask;
    while (this.val[h] !== -1 && (this.lo[h] !== lo || this.hi[h] !== hi)) h = (h + 1) & this.mask;
    return h;
  }

  get(m: number): number {
    return this.val[this.slot(m)]!;
  }

  set(m: number, v: number): void {
    if ((this.count + 1) * 2 > this.mask) this.rehash();
    const s = this.slot(m);
    if (this.val[s] === -1) this.count++;
    this.lo[s] = m % 0x100000000 | 0;
    this.hi[s] = Math.floor(m / 0x100000000) | 0;
    this.val[s] = v;
  }

  private rehash(): void {
    const { hi, lo, val } = this;
    const cap = (this.mask + 1) * 2;
    this.hi = new Int32Array(cap);
    this.lo = new Int32Array(cap);
    this.val = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < val.length; i++) {
      if (val[i]! < 0) continue;
      const m = (hi[i]! >>> 0) * 0x100000000 + (lo[i]! >>> 0);
      this.set(m, val[i]!);
    }
  }
}

interface Binding {
  ip: IpMatch;
  app: number;
  learned: boolean;
}

export interface ModelCounters {
  framesRead: number;
  /** Frames the host itself sent (SLL outgoing, pcapng outbound, or source MAC one of the host's). */
  transmitted: number;
  /** Rejected by the NIC's MAC filter (filter "mac"): never arrived. */
  filtered: number;
  arrived: number;
  arrivedBytes: number;
  /** Timestamps earlier than the previous frame's (taken as the previous frame's time). */
  timeWentBack: number;
  xarpSeen: number;
  xarpLearned: number;
  xarpReleased: number;
}

/** Deterministic "auto" MAC for a configured application that never appears in XARP: locally administered unicast, from its name. */
export function autoMac(name: string): number {
  let h = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ name.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  const first = ((h2 >>> 8) & 0xfc) | 0x02;
  return first * 0x10000000000 + (h2 & 0xff) * 0x100000000 + h;
}

export class NicModel {
  readonly cfg: ModelConfig;
  readonly apps: AppState[] = [];
  readonly kernel: KernelState;
  readonly counters: ModelCounters = { framesRead: 0, transmitted: 0, filtered: 0, arrived: 0, arrivedBytes: 0, timeWentBack: 0, xarpSeen: 0, xarpLearned: 0, xarpReleased: 0 };
  /** Warnings worth showing the user (an "auto" app that never got a MAC, ...). */
  readonly notes: string[] = [];
  private readonly listener: ModelListener | null;
  private readonly macs = new MacTable();
  /** (proto << 16 | port) -> bindings. */
  private readonly bindings = new Map<number, Binding[]>();
  private lastT = 0;
  private started = false;
  private ended = false;
  private readonly hostMac: number;
  private readonly learnXarp: boolean;
  private readonly learnLamac: boolean;
  private readonly learnListen: boolean;
  private readonly portMode: boolean;
  private readonly macFilter: boolean;

  constructor(cfg: ModelConfig, listener: ModelListener | null = null) {
    this.cfg = cfg;
    this.listener = listener;
    this.hostMac = cfg.hostMac ?? -1;
    this.learnXarp = cfg.learn.has("xarp");
    this.learnLamac = cfg.learn.has("lamac");
    this.learnListen = cfg.learn.has("listen");
    this.portMode = cfg.dispatch === "port";
    this.macFilter = cfg.filter === "mac";
    const kr = new Ring(cfg.kernel);
    kr.queue = 0;
    kr.listener = listener;
    this.kernel = {
      ring: kr,
      shadow: null,
      rate: new RateBound(cfg.kernel.size, cfg.kernel.batch),
      params: cfg.kernel,
      arrived: 0,
      arrivedBytes: 0,
      dropped: 0,
      firstDropNs: -1,
      reasons: new Float64Array(REASONS.length),
      reasonBytes: new Float64Array(REASONS.length),
      acceptedPages: 0,
    };
    doubleFields(this, ["lastT"]);
    doubleFields(this.counters, ["arrivedBytes"]);
    doubleFields(this.kernel, ["arrivedBytes", "firstDropNs"]);
    for (const a of cfg.apps) this.addApp(a.name, a.mac, a.endpoints, a, false, "config");
  }

  /** Queue descriptions, index = queue number (0 = kernel). */
  queues(): QueueInfo[] {
    const q: QueueInfo[] = [{ index: 0, name: "kernel", kind: "kernel", ...qp(this.cfg.kernel) }];
    for (const a of this.apps) q.push(this.queueInfo(a));
    return q;
  }

  private queueInfo(a: AppState): QueueInfo {
    return { index: a.queue, name: a.name, kind: "app", ...qp(a.params) };
  }

  private addApp(name: string, mac: number | null, endpoints: Endpoint[], params: QueueParams, learned: boolean, source: string): AppState {
    const ring = new Ring(params);
    const queue = this.apps.length + 1;
    ring.queue = queue;
    ring.listener = this.listener;
    const a: AppState = {
      queue,
      name,
      mac,
      macs: mac !== null ? [mac] : [],
      endpoints: [...endpoints],
      announced: [],
      learned,
      source,
      active: true,
      ring,
      shadow: null,
      rate: new RateBound(params.size, params.batch),
      params: { size: params.size, bufferSize: params.bufferSize, nsPerPacket: params.nsPerPacket, batch: params.batch },
      arrived: 0,
      arrivedBytes: 0,
      overflowed: 0,
      dropped: 0,
      overflowRingFull: 0,
      overflowFillEmpty: 0,
      firstOverflowNs: -1,
      acceptedPages: 0,
    };
    doubleFields(a, ["arrivedBytes", "firstOverflowNs"]);
    this.apps.push(a);
    if (mac !== null) this.macs.set(mac, this.apps.length - 1);
    for (const e of endpoints) this.bind(e, this.apps.length - 1, learned);
    if (this.started && this.listener !== null) this.listener.onQueueAdded(this.queueInfo(a));
    return a;
  }

  private bind(e: Endpoint, app: number, learned: boolean): void {
    const key = (e.proto << 16) | e.port;
    let list = this.bindings.get(key);
    if (list === undefined) this.bindings.set(key, (list = []));
    for (const b of list) {
      if (sameIp(b.ip, e.ip)) {
        if (!b.learned && learned) return; // configuration wins over the capture
        b.app = app;
        b.learned = learned;
        return;
      }
    }
    list.push({ ip: e.ip, app, learned });
  }

  private unbind(e: Endpoint): boolean {
    const list = this.bindings.get((e.proto << 16) | e.port);
    if (list === undefined) return false;
    const i = list.findIndex((b) => b.learned && sameIp(b.ip, e.ip));
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** Call once before the first frame. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.listener?.onStart(this.queues());
  }

  /** Index of the active application whose MAC is m, or -1. */
  private activeApp(m: number): number {
    const i = this.macs.get(m);
    return i >= 0 && this.apps[i]!.active ? i : -1;
  }

  /**
   * Does frame() read the frame's bytes (`d`) for a frame classified as `c`? Only XARP messages
   * (learning) and, in port mode, IPv6 destinations (bindings): other frames may pass d = null.
   */
  readsBytes(c: Classified): boolean {
    return c.l3 === L3.XARP || (this.portMode && c.l3 === L3.IPV6);
  }

  /**
   * One captured frame: `c` as classify() left it, `t` its arrival time in ns since the first
   * frame (already divided by the speed), `bytes` its length on the wire, `outbound` true when the
   * capture says the host sent it (pcapng epb_flags direction).
   */
  frame(c: Classified, t: number, bytes: number, outbound: boolean, d: Uint8Array | null = null): void {
    if (!this.started) this.start();
    const k = this.counters;
    k.framesRead++;
    if (t < this.lastT) {
      k.timeWentBack++;
      t = this.lastT;
    }
    this.lastT = t;
    // XARP is learned from every frame, the host's own announcements included
    if (c.l3 === L3.XARP && d !== null) this.xarp(d, c.l3Off);
    const withApps = this.apps.length > 0;
    if (outbound || c.outgoing || (this.cfg.skipOwnTx && c.hasSrc && (c.src === this.hostMac || (withApps && this.activeApp(c.src) >= 0)))) {
      k.transmitted++;
      return;
    }
    const unicast = c.cast === Cast.UNICAST;
    // the destination: canonical MAC, an active application's MAC (its index), or neither
    let app = -1;
    let canonical = false;
    if (!c.hasDst) canonical = !c.otherHost;
    else if (unicast) {
      if (c.dst === this.hostMac) canonical = true;
      else if (withApps) app = this.activeApp(c.dst);
    }
    const forHost = !unicast || canonical || app >= 0;
    if (this.macFilter && !forHost) {
      k.filtered++;
      return;
    }
    k.arrived++;
    k.arrivedBytes += bytes;
    if (c.control) return this.toKernel(t, bytes, Reason.CONTROL);
    if (!unicast) return this.toKernel(t, bytes, Reason.BCAST_MCAST);
    if (this.portMode) return this.portFrame(c, t, bytes, forHost, d);
    if (canonical) return this.toKernel(t, bytes, Reason.CANONICAL);
    if (app >= 0) return this.toApp(this.apps[app]!, t, bytes);
    if (!c.hasDst) return this.toKernel(t, bytes, Reason.UNKNOWN_MAC);
    const m = c.dst;
    if (this.learnLamac && isLocalUnicastMac(m) && (!withApps || this.macs.get(m) < 0)) return this.toApp(this.lamacApp(m), t, bytes);
    return this.toKernel(t, bytes, Reason.UNKNOWN_MAC);
  }

  // The rarer paths of frame() are methods of their own: frame() stays small enough for V8 to
  // compile quickly and inline.

  /** A new application for a locally administered unicast MAC frames are sent to. */
  private lamacApp(m: number): AppState {
    const name = `mac ${macText(m)}`;
    this.notes.push(`learned application "${name}" from a frame to a locally administered unicast MAC`);
    return this.addApp(name, m, [], this.cfg.appDefaults, true, "lamac");
  }

  /** frame() in port mode: frames for the host are steered by destination IP, protocol and port. */
  private portFrame(c: Classified, t: number, bytes: number, forHost: boolean, d: Uint8Array | null): void {
    if (!forHost) return this.toKernel(t, bytes, Reason.UNKNOWN_MAC);
    if (c.frag === Frag.LATER) return this.toKernel(t, bytes, Reason.FRAGMENT);
    if (!c.hasPorts) return this.toKernel(t, bytes, Reason.NO_PORT);
    const bound = this.lookup(c, d);
    if (bound >= 0) return this.toApp(this.apps[bound]!, t, bytes);
    if (this.learnListen && this.listens(c)) {
      const ip: IpMatch = c.l3 === L3.IPV4 ? { kind: 4, v: c.dstIp4 } : d !== null ? { kind: 6, b: d.slice(c.dstIp6Off, c.dstIp6Off + 16) } : { kind: "any" };
      const e: Endpoint = { ip, proto: c.ipProto, port: c.dstPort };
      const a = this.addApp(endpointText(e), null, [e], this.cfg.appDefaults, true, "listen");
      this.notes.push(`learned application "${a.name}" from a connection to a listening port`);
      return this.toApp(a, t, bytes);
    }
    return this.toKernel(t, bytes, Reason.NO_APP);
  }

  /** A TCP SYN without ACK (a connection to a listening port), or UDP to a port below 1024. */
  private listens(c: Classified): boolean {
    if (c.ipProto === 6) return (c.tcpFlags & 0x12) === 0x02;
    if (c.ipProto === 17) return c.dstPort < 1024;
    return false;
  }

  private lookup(c: Classified, d: Uint8Array | null): number {
    const list = this.bindings.get((c.ipProto << 16) | c.dstPort);
    if (list === undefined) return -1;
    let any = -1;
    for (let i = 0; i < list.length; i++) {
      const b = list[i]!;
      const ip = b.ip;
      if (ip.kind === "any") any = b.app;
      else if (ip.kind === 4) {
        if (c.l3 === L3.IPV4 && c.dstIp4 === ip.v) return b.app;
      } else if (c.l3 === L3.IPV6 && d !== null && eq16(d, c.dstIp6Off, ip.b)) return b.app;
    }
    return any;
  }

  private xarp(d: Uint8Array, off: number): void {
    const m = parseXarp(d, off);
    if (m === null) return;
    this.counters.xarpSeen++;
    if (!this.learnXarp) return;
    const e: Endpoint = { ip: { kind: 4, v: m.spa.ip }, proto: m.spa.proto, port: m.spa.port };
    const claims = (m.op === XarpOp.REPLY && (m.spa.flags & FLAG_CANONICAL) === 0) || m.op === XarpOp.ANNOUNCE;
    if (claims) {
      if (m.spa.proto === 0 && m.spa.port === 0) return;
      if (!isLocalUnicastMac(m.sha) || m.sha === this.hostMac) return;
      if (this.cfg.hostIp !== null && m.spa.ip !== this.cfg.hostIp) return; // another host's application
      let i = this.macs.get(m.sha);
      if (i < 0) {
        // a configured "auto" application holding this endpoint takes the MAC
        i = this.apps.findIndex((a) => a.mac === null && a.endpoints.some((x) => x.proto === e.proto && x.port === e.port && ipCovers(x.ip, m.spa.ip)));
        if (i >= 0) {
          const a = this.apps[i]!;
          a.mac = m.sha;
          a.macs.push(m.sha);
          this.macs.set(m.sha, i);
        } else {
          i = this.addApp(endpointText(e), m.sha, [], this.cfg.appDefaults, true, "xarp").queue - 1;
        }
        this.counters.xarpLearned++;
      }
      const a = this.apps[i]!;
      a.active = true;
      if (!a.announced.some((x) => sameEndpoint(x, e))) a.announced.push(e);
      if (a.learned && !a.endpoints.some((x) => sameEndpoint(x, e))) a.endpoints.push(e);
      this.bind(e, i, true);
      return;
    }
    if (m.op === XarpOp.RELEASE) {
      this.counters.xarpReleased++;
      this.unbind(e);
      const i = this.macs.get(m.sha);
      if (i < 0) return;
      const a = this.apps[i]!;
      a.announced = a.announced.filter((x) => !sameEndpoint(x, e));
      if (a.learned) a.endpoints = a.endpoints.filter((x) => !sameEndpoint(x, e));
      // the MAC leaves the NIC with its last endpoint; frames to it then reach the kernel queue
      if (a.announced.length === 0) a.active = false;
    }
  }

  private toApp(a: AppState, t: number, bytes: number): void {
    a.arrived++;
    a.arrivedBytes += bytes;
    const ring = a.ring;
    const descs = descriptorsFor(bytes, ring.bufferSize);
    a.rate.add(t, descs);
    ring.advance(t);
    if (a.shadow !== null) {
      a.shadow.advance(t);
      a.shadow.offer(t, descs, bytes);
    }
    if (ring.offer(t, descs, bytes)) {
      a.acceptedPages += bytes <= PAGE ? 1 : Math.ceil(bytes / PAGE);
      if (this.listener !== null) this.listener.onArrival(a.queue, t, bytes, descs, Outcome.ACCEPTED, false);
      return;
    }
    if (a.shadow === null) {
      a.shadow = ring.shadow();
      a.shadow.offer(t, descs, bytes);
    }
    if (a.firstOverflowNs < 0) a.firstOverflowNs = t;
    // AF_XDP's two reasons: the RX ring itself full of frames not yet taken, or the buffers held by the application
    const ringFull = ring.waitDescs + descs > ring.size;
    if (ringFull) a.overflowRingFull++;
    else a.overflowFillEmpty++;
    if (this.kernelOffer(t, bytes, Reason.OVERFLOW, true)) {
      a.overflowed++;
      if (this.listener !== null) this.listener.onArrival(a.queue, t, bytes, descs, ringFull ? Outcome.OVERFLOW_RING_FULL : Outcome.OVERFLOW_FILL_EMPTY, false);
    } else {
      a.dropped++;
      if (this.listener !== null) this.listener.onArrival(a.queue, t, bytes, descs, Outcome.DROPPED, false);
    }
  }

  private toKernel(t: number, bytes: number, reason: Reason): void {
    this.kernelOffer(t, bytes, reason, false);
  }

  private kernelOffer(t: number, bytes: number, reason: Reason, viaOverflow: boolean): boolean {
    const K = this.kernel;
    K.arrived++;
    K.arrivedBytes += bytes;
    K.reasons[reason]! += 1;
    K.reasonBytes[reason]! += bytes;
    const ring = K.ring;
    const descs = descriptorsFor(bytes, ring.bufferSize);
    K.rate.add(t, descs);
    ring.advance(t);
    if (K.shadow !== null) {
      K.shadow.advance(t);
      K.shadow.offer(t, descs, bytes);
    }
    if (ring.offer(t, descs, bytes)) {
      K.acceptedPages += bytes <= PAGE ? 1 : Math.ceil(bytes / PAGE);
      if (this.listener !== null) this.listener.onArrival(0, t, bytes, descs, Outcome.ACCEPTED, viaOverflow);
      return true;
    }
    if (K.shadow === null) {
      K.shadow = ring.shadow();
      K.shadow.offer(t, descs, bytes);
    }
    K.dropped++;
    if (K.firstDropNs < 0) K.firstDropNs = t;
    if (this.listener !== null) this.listener.onArrival(0, t, bytes, descs, Outcome.DROPPED, viaOverflow);
    return false;
  }

  /** Ends the run at the last frame's time: every ring is advanced to it. */
  finish(): void {
    if (this.ended) return;
    if (!this.started) this.start();
    this.ended = true;
    const t = this.lastT;
    this.kernel.ring.advance(t);
    this.kernel.shadow?.advance(t);
    for (const a of this.apps) {
      a.ring.advance(t);
      a.shadow?.advance(t);
    }
    this.listener?.onEnd(t);
  }

  /** Time of the last frame (ns since the first). */
  get endNs(): number {
    return this.lastT;
  }

  /**
   * The conservation invariants: per application, arrived = delivered + overflowed + dropped +
   * still queued; for the kernel queue, arrived = delivered + dropped + queued; in total, arrived =
   * delivered to applications + delivered by the kernel + dropped + queued anywhere. Returns the
   * violations (none, unless the model is wrong).
   */
  checkInvariants(): string[] {
    const bad: string[] = [];
    let delivered = 0, queued = 0;
    let fromApps = 0;
    for (const a of this.apps) {
      const r = a.ring;
      if (a.arrived !== r.released + a.overflowed + a.dropped + r.held) bad.push(`${a.name}: arrived ${a.arrived} != delivered ${r.released} + overflowed ${a.overflowed} + dropped ${a.dropped} + queued ${r.held}`);
      if (a.arrived !== r.accepted + r.refused) bad.push(`${a.name}: arrived ${a.arrived} != accepted ${r.accepted} + refused ${r.refused}`);
      delivered += r.released;
      queued += r.held;
      fromApps += a.overflowed + a.dropped;
    }
    const K = this.kernel;
    if (K.arrived !== K.ring.released + K.dropped + K.ring.held) bad.push(`kernel: arrived ${K.arrived} != delivered ${K.ring.released} + dropped ${K.dropped} + queued ${K.ring.held}`);
    if (K.reasons[Reason.OVERFLOW] !== fromApps) bad.push(`kernel: overflow arrivals ${K.reasons[Reason.OVERFLOW]} != applications' overflowed + dropped ${fromApps}`);
    const total = this.counters.arrived;
    const sum = delivered + K.ring.released + K.dropped + queued + K.ring.held;
    if (total !== sum) bad.push(`total: arrived ${total} != delivered to applications ${delivered} + delivered by the kernel ${K.ring.released} + dropped ${K.dropped} + queued ${queued + K.ring.held}`);
    const c = this.counters;
    if (c.framesRead !== c.transmitted + c.filtered + c.arrived) bad.push(`frames read ${c.framesRead} != transmitted ${c.transmitted} + filtered ${c.filtered} + arrived ${c.arrived}`);
    return bad;
  }
}

function qp(p: QueueParams): { size: number; bufferSize: number; nsPerPacket: number; batch: number } {
  return { size: p.size, bufferSize: p.bufferSize, nsPerPacket: p.nsPerPacket, batch: p.batch };
}

function sameIp(a: IpMatch, b: IpMatch): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "any") return true;
  if (a.kind === 4) return a.v === (b as { v: number }).v;
  const bb = (b as { b: Uint8Array }).b;
  for (let i = 0; i < 16; i++) if (a.b[i] !== bb[i]) return false;
  return true;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.proto === b.proto && a.port === b.port && sameIp(a.ip, b.ip);
}

function ipCovers(m: IpMatch, v4: number): boolean {
  return m.kind === "any" || (m.kind === 4 && m.v === v4);
}

function eq16(d: Uint8Array, o: number, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (d[o + i] !== b[i]) return false;
  return true;
}

export type { AppConfig };
