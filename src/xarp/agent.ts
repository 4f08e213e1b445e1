// The XARP host control plane (docs/extended-arp.md sections 4.1 and 5): gives each application
// a random locally administered MAC by probing, announcing and defending it, answers port
// resolution requests (the application's MAC, or the canonical MAC with C set), and releases the
// MACs on stop. It talks to the LAN only through a Link (frames in, frames out), so the same code
// runs on a real interface (link.ts) and on a simulated LAN in tests; every action is reported
// as one AgentEvent.
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { endpointText, FLAG_CANONICAL, XarpOp, type Endpoint } from "../dissect/protocols/xarp-wire.js";
import type { Link } from "./link.js";
import { hostEndpoint, ipText, macText, parseFrame, XarpFrames, type Binding } from "./frames.js";

/** Section 5.2's constants, in milliseconds. */
export const TIMING = {
  PROBE_WAIT: 100,
  PROBE_NUM: 3,
  PROBE_MIN: 100,
  PROBE_MAX: 200,
  ANNOUNCE_WAIT: 200,
  ANNOUNCE_NUM: 2,
  ANNOUNCE_INTERVAL: 1000,
  MAX_CONFLICTS: 10,
  RATE_LIMIT_INTERVAL: 60_000,
  DEFEND_INTERVAL: 10_000,
  /** Section 5.2 step 5: a released MAC is not reused for this long. */
  RESOLVE_LIFETIME: 60_000,
} as const;

export type Timing = { -readonly [K in keyof typeof TIMING]: number };

export interface AppSpec {
  name: string;
  bindings: Binding[];
  /** First candidate instead of a random one (manual configuration; deterministic tests). */
  firstMac?: number;
}

export type AgentEvent =
  | { event: "start"; iface: string; ip: string; mac: string; apps: string[] }
  | { event: "candidate"; app: string; mac: string; attempt: number; delayMs: number }
  | { event: "probe"; app: string; mac: string; n: number; of: number }
  | { event: "conflict"; app: string; mac: string; reason: string }
  | { event: "claimed"; app: string; mac: string }
  | { event: "announce"; app: string; mac: string; endpoint: string; n: number; of: number }
  | { event: "reply"; endpoint: string; mac: string; app: string | null; to: string }
  | { event: "defend"; mac: string; endpoint: string; against: string; reason: string }
  | { event: "give-up"; app: string; mac: string; reason: string }
  | { event: "release"; app: string; mac: string; endpoint: string }
  | { event: "stop" };

export interface AgentOptions {
  ip: number;
  apps: AppSpec[];
  log: (e: AgentEvent) => void;
  timing?: Partial<Timing>;
  /** Source of candidate MACs (section 5.1: cryptographically secure); default crypto.randomBytes. */
  randomBytes?: (n: number) => Uint8Array;
  /** Jitter for PROBE_WAIT and the probe spacing; default Math.random. */
  random?: () => number;
}

type AppPhase = "waiting" | "probing" | "claimed" | "stopped";

interface AppState {
  spec: AppSpec;
  endpoints: Endpoint[];
  phase: AppPhase;
  mac: number;
  attempt: number;
  conflicts: number;
  lastDefend: number;
  timers: Set<ReturnType<typeof setTimeout>>;
  unwatch: (() => void) | null;
}

/** A random locally administered unicast MAC (section 5.1): first = (random & 0xfc) | 0x02. */
export function randomAppMac(randomBytes: (n: number) => Uint8Array = cryptoRandomBytes): number {
  const b = randomBytes(6);
  let v = ((b[0]! & 0xfc) | 0x02) * 0x10000000000;
  for (let i = 1; i < 6; i++) v += b[i]! * 2 ** (8 * (5 - i));
  return v;
}

export class Agent {
  private readonly t: Timing;
  private readonly apps: AppState[];
  private readonly randomBytes: (n: number) => Uint8Array;
  private readonly random: () => number;
  /** MACs seen in use on the LAN (never chosen as candidates). */
  private readonly seen = new Set<number>();
  /** MACs this host released or gave up, with the time they may be reused. */
  private readonly quarantine = new Map<number, number>();
  private readonly host: { mac: number; ip: number };
  private running = false;

  constructor(private readonly link: Link, private readonly o: AgentOptions) {
    this.t = { ...TIMING, ...o.timing };
    this.randomBytes = o.randomBytes ?? cryptoRandomBytes;
    this.random = o.random ?? Math.random;
    this.host = { mac: link.mac, ip: o.ip };
    this.apps = o.apps.map((spec) => ({
      spec,
      endpoints: spec.bindings.map((b) => ({ ip: o.ip, port: b.port, proto: b.proto, flags: 0 })),
      phase: "waiting",
      mac: 0,
      attempt: 0,
      conflicts: 0,
      lastDefend: -Infinity,
      timers: new Set(),
      unwatch: null,
    }));
  }

  /** MAC currently claimed by each application (0 while probing). */
  claimed(): Map<string, number> {
    return new Map(this.apps.map((a) => [a.spec.name, a.phase === "claimed" ? a.mac : 0]));
  }

  start(): void {
    this.running = true;
    this.link.onFrame((f) => this.receive(f));
    this.o.log({ event: "start", iface: this.link.name, ip: ipText(this.o.ip), mac: macText(this.link.mac), apps: this.apps.map((a) => a.spec.name) });
    for (const a of this.apps) this.begin(a);
  }

  /** Releases every claimed MAC (one RELEASE per endpoint) and stops all timers. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const a of this.apps) {
      this.cancel(a);
      if (a.phase === "claimed") {
        for (const ep of a.endpoints) {
          this.link.send(XarpFrames.release(a.mac, ep));
          this.o.log({ event: "release", app: a.spec.name, mac: macText(a.mac), endpoint: endpointText(ep) });
        }
      }
      a.phase = "stopped";
    }
    this.o.log({ event: "stop" });
  }

  // ---- assignment (section 5) ----

  private after(a: AppState, ms: number, fn: () => void): void {
    const h = setTimeout(() => {
      a.timers.delete(h);
      if (this.running) fn();
    }, ms);
    a.timers.add(h);
  }

  private cancel(a: AppState): void {
    for (const h of a.timers) clearTimeout(h);
    a.timers.clear();
    a.unwatch?.();
    a.unwatch = null;
  }

  private uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  private inUse(mac: number): boolean {
    if (mac === this.link.mac || this.seen.has(mac)) return true;
    if (this.apps.some((x) => x.mac === mac && x.phase !== "stopped")) return true;
    const until = this.quarantine.get(mac);
    if (until !== undefined) {
      if (Date.now() < until) return true;
      this.quarantine.delete(mac);
    }
    return false;
  }

  private candidate(a: AppState): number {
    if (a.attempt === 1 && a.spec.firstMac !== undefined) return a.spec.firstMac;
    for (;;) {
      const mac = randomAppMac(this.randomBytes);
      if (!this.inUse(mac)) return mac;
    }
  }

  /** Step 1: a new candidate, PROBE_WAIT (or RATE_LIMIT_INTERVAL after MAX_CONFLICTS), probes. */
  private begin(a: AppState): void {
    a.attempt++;
    a.phase = "waiting";
    a.mac = 0;
    a.mac = this.candidate(a);
    const delay = a.conflicts >= this.t.MAX_CONFLICTS ? this.t.RATE_LIMIT_INTERVAL : this.uniform(0, this.t.PROBE_WAIT);
    this.o.log({ event: "candidate", app: a.spec.name, mac: macText(a.mac), attempt: a.attempt, delayMs: Math.round(delay) });
    a.unwatch = this.link.watchSource(a.mac, () => this.conflict(a, "a frame from the candidate MAC"));
    this.after(a, delay, () => this.probe(a, 1));
  }

  private probe(a: AppState, n: number): void {
    a.phase = "probing";
    this.link.send(XarpFrames.probe(this.host, a.mac));
    this.o.log({ event: "probe", app: a.spec.name, mac: macText(a.mac), n, of: this.t.PROBE_NUM });
    if (n < this.t.PROBE_NUM) this.after(a, this.uniform(this.t.PROBE_MIN, this.t.PROBE_MAX), () => this.probe(a, n + 1));
    else this.after(a, this.t.ANNOUNCE_WAIT, () => this.claim(a));
  }

  /** Step 3: no conflict; the MAC is the application's. */
  private claim(a: AppState): void {
    a.unwatch?.();
    a.unwatch = null;
    a.phase = "claimed";
    this.o.log({ event: "claimed", app: a.spec.name, mac: macText(a.mac) });
    for (let i = 0; i < this.t.ANNOUNCE_NUM; i++) {
      const announce = () => {
        for (const ep of a.endpoints) {
          this.link.send(XarpFrames.announce(a.mac, ep));
          this.o.log({ event: "announce", app: a.spec.name, mac: macText(a.mac), endpoint: endpointText(ep), n: i + 1, of: this.t.ANNOUNCE_NUM });
        }
      };
      if (i === 0) announce();
      else this.after(a, i * this.t.ANNOUNCE_INTERVAL, announce);
    }
  }

  /** Step 2: the candidate is in use; draw another. */
  private conflict(a: AppState, reason: string): void {
    if (!this.running || (a.phase !== "waiting" && a.phase !== "probing")) return;
    this.cancel(a);
    this.seen.add(a.mac);
    a.conflicts++;
    this.o.log({ event: "conflict", app: a.spec.name, mac: macText(a.mac), reason });
    this.begin(a);
  }

  /** Step 4, second half: the MAC is someone else's after all; move the application. */
  private giveUp(a: AppState, reason: string): void {
    this.cancel(a);
    this.quarantine.set(a.mac, Date.now() + this.t.RESOLVE_LIFETIME);
    a.conflicts++;
    this.o.log({ event: "give-up", app: a.spec.name, mac: macText(a.mac), reason });
    this.begin(a);
  }

  private defend(mac: number, owner: Endpoint, other: { mac: number; ip: number }, reason: string): void {
    this.link.send(XarpFrames.defend(mac, owner, other));
    this.o.log({ event: "defend", mac: macText(mac), endpoint: endpointText(owner), against: `${ipText(other.ip)} (${macText(other.mac)})`, reason });
  }

  // ---- receiving ----

  receive(d: Uint8Array): void {
    if (!this.running) return;
    const f = parseFrame(d);
    const m = f?.xarp;
    if (!f || !m) {
      if (f && f.src !== this.link.mac) this.seen.add(f.src);
      return;
    }
    const name = (mac: number) => this.apps.find((a) => a.mac === mac && a.phase !== "stopped");
    switch (m.op) {
      case XarpOp.REQUEST:
        if (m.tpa.ip === this.o.ip) this.answer(m.tpa, { mac: m.sha, ip: m.spa.ip });
        break;
      case XarpOp.PROBE: {
        const mine = name(m.tha);
        if (mine && mine.phase !== "claimed" && m.sha !== this.link.mac) {
          this.conflict(mine, `simultaneous probe by ${ipText(m.spa.ip)} (${macText(m.sha)})`);
        } else if (mine && mine.phase === "claimed") {
          mine.lastDefend = Date.now();
          this.defend(mine.mac, mine.endpoints[0]!, { mac: m.sha, ip: m.spa.ip }, `probe from ${ipText(m.spa.ip)}`);
        } else if (m.tha === this.link.mac) {
          this.defend(this.link.mac, hostEndpoint(this.o.ip, FLAG_CANONICAL), { mac: m.sha, ip: m.spa.ip }, `probe for the canonical MAC from ${ipText(m.spa.ip)}`);
        }
        break;
      }
      case XarpOp.REPLY:
      case XarpOp.ANNOUNCE:
      case XarpOp.DEFEND: {
        if (m.sha !== this.link.mac) this.seen.add(m.sha);
        const mine = name(m.sha);
        if (!mine) break;
        const who = `${endpointText(m.spa)} (${macText(f.src)})`;
        const what = m.op === XarpOp.DEFEND ? "DEFEND" : m.op === XarpOp.ANNOUNCE ? "ANNOUNCE" : "REPLY";
        if (mine.phase !== "claimed") {
          this.conflict(mine, `${what} from ${who}`);
        } else if (m.op === XarpOp.DEFEND) {
          this.giveUp(mine, `DEFEND from ${who}`);
        } else if (Date.now() - mine.lastDefend >= this.t.DEFEND_INTERVAL) {
          mine.lastDefend = Date.now();
          this.defend(mine.mac, mine.endpoints[0]!, { mac: m.sha, ip: m.spa.ip }, `${what} of our MAC by ${ipText(m.spa.ip)}`);
        } else {
          this.giveUp(mine, `${what} from ${who} within DEFEND_INTERVAL of our last defence`);
        }
        break;
      }
      case XarpOp.RELEASE:
        this.seen.delete(m.sha);
        break;
      default:
        break; // unknown opcodes are ignored (section 3)
    }
  }

  /** Section 4.1: the application holding the endpoint, else the canonical MAC with C set. */
  private answer(ep: Endpoint, requester: { mac: number; ip: number }): void {
    const target: Endpoint = { ip: ep.ip, port: ep.port, proto: ep.proto, flags: 0 };
    const holder = this.apps.find((a) => a.phase === "claimed" && a.spec.bindings.some((b) => b.port === ep.port && b.proto === ep.proto));
    const mac = holder ? holder.mac : this.link.mac;
    this.link.send(XarpFrames.reply(mac, target, !holder, requester));
    this.o.log({ event: "reply", endpoint: endpointText(target), mac: macText(mac), app: holder ? holder.spec.name : null, to: `${ipText(requester.ip)} (${macText(requester.mac)})` });
  }
}

/** One human-readable line per event. */
export function eventText(e: AgentEvent): string {
  switch (e.event) {
    case "start": return `start on ${e.iface}: host ${e.ip}, canonical MAC ${e.mac}, applications ${e.apps.join(", ")}`;
    case "candidate": return `${e.app}: candidate ${e.mac} (attempt ${e.attempt}), first probe in ${e.delayMs} ms`;
    case "probe": return `${e.app}: probe ${e.mac} (${e.n}/${e.of})`;
    case "conflict": return `${e.app}: conflict on candidate ${e.mac}: ${e.reason}; drawing a new one`;
    case "claimed": return `${e.app}: ${e.mac} is ours (no conflict)`;
    case "announce": return `${e.app}: announce ${e.endpoint} is at ${e.mac} (${e.n}/${e.of})`;
    case "reply": return `reply ${e.endpoint} is at ${e.mac} ${e.app ? `(${e.app})` : "(canonical: no application)"} to ${e.to}`;
    case "defend": return `defend ${e.mac} (${e.endpoint}) against ${e.against}: ${e.reason}`;
    case "give-up": return `${e.app}: giving up ${e.mac}: ${e.reason}; drawing a new one`;
    case "release": return `${e.app}: release ${e.endpoint} (was at ${e.mac})`;
    case "stop": return "stopped";
  }
}
