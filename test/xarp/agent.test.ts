// The XARP agent's state machine and the resolver on a simulated LAN (no root, no interfaces):
// links joined by an in-memory broadcast bus with 1 ms latency, fake timers, fixed random bytes.
// The real-interface run is test/xarp/agents-netns.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ipv4, mac } from "../../src/dissect/build.js";
import { FLAG_CANONICAL, XarpOp, type XarpMessage } from "../../src/dissect/protocols/xarp-wire.js";
import { Agent, randomAppMac, TIMING, type AgentEvent, type AppSpec } from "../../src/xarp/agent.js";
import { parseEndpoint, parseFrame, XarpFrames, hostEndpoint, macText } from "../../src/xarp/frames.js";
import type { Link } from "../../src/xarp/link.js";
import { resolveEndpoints } from "../../src/xarp/resolve.js";

interface Sent {
  t: number;
  from: string;
  src: number;
  dst: number;
  m: XarpMessage | null;
}

class Bus {
  readonly log: Sent[] = [];
  private readonly links: { name: string; cb: ((f: Uint8Array) => void) | null; watched: Map<number, () => void> }[] = [];
  t0 = Date.now();

  link(name: string, canonical: number): Link {
    const me = { name, cb: null as ((f: Uint8Array) => void) | null, watched: new Map<number, () => void>() };
    this.links.push(me);
    return {
      mac: canonical,
      name,
      send: (frame) => {
        const f = parseFrame(frame)!;
        this.log.push({ t: Date.now() - this.t0, from: name, src: f.src, dst: f.dst, m: f.xarp });
        const copy = frame.slice();
        setTimeout(() => {
          for (const l of this.links) {
            if (l === me) continue;
            l.cb?.(copy);
            if (f.type !== 0x0806) l.watched.get(f.src)?.();
          }
        }, 1);
      },
      onFrame: (cb) => {
        me.cb = cb;
      },
      watchSource: (m, cb) => {
        me.watched.set(m, cb);
        return () => me.watched.delete(m);
      },
      close: () => {
        me.cb = null;
      },
    };
  }

  ops(op: number, from?: string): Sent[] {
    return this.log.filter((s) => s.m?.op === op && (from === undefined || s.from === from));
  }
}

/** Deterministic "random" bytes: a counter, so candidates are distinct and reproducible. */
function counterBytes(seed: number): (n: number) => Uint8Array {
  let c = seed;
  return (n) => Uint8Array.from({ length: n }, (_, i) => (c * 37 + i * 11 + (i === n - 1 ? c++ : 0)) & 255);
}

const A = { mac: mac("00:16:3e:00:00:0a"), ip: ipv4("10.0.0.10") };
const B = { mac: mac("00:16:3e:00:00:0b"), ip: ipv4("10.0.0.11") };
const GW = { mac: mac("00:16:3e:00:00:01"), ip: ipv4("10.0.0.1") };
const WEB = mac("0a:00:00:00:be:ef");

function agent(bus: Bus, host: { mac: number; ip: number }, name: string, apps: AppSpec[], seed: number) {
  const events: AgentEvent[] = [];
  const a = new Agent(bus.link(name, host.mac), { ip: host.ip, apps, log: (e) => events.push(e), randomBytes: counterBytes(seed), random: () => 0.5 });
  return { a, events };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Agent on a simulated LAN", () => {
  it("draws locally administered unicast candidates", () => {
    for (let i = 0; i < 50; i++) {
      const m = randomAppMac();
      expect(Math.floor(m / 2 ** 40) & 3).toBe(2);
    }
    expect(randomAppMac(() => new Uint8Array([0xff, 1, 2, 3, 4, 5]))).toBe(mac("fe:01:02:03:04:05"));
  });

  it("probes three times from the canonical MAC, then announces twice per endpoint from the application MAC", async () => {
    const bus = new Bus();
    const { a, events } = agent(bus, A, "a", [{ name: "dns", bindings: [{ port: 53, proto: 17 }, { port: 53, proto: 6 }], firstMac: WEB }], 1);
    a.start();
    await vi.advanceTimersByTimeAsync(3000);
    const probes = bus.ops(XarpOp.PROBE);
    expect(probes).toHaveLength(TIMING.PROBE_NUM);
    for (const p of probes) {
      expect([p.src, p.dst, p.m!.sha, p.m!.spa, p.m!.tha, p.m!.tpa]).toEqual([A.mac, 0xffffffffffff, A.mac, hostEndpoint(A.ip), WEB, hostEndpoint(0)]);
    }
    for (let i = 1; i < probes.length; i++) {
      const gap = probes[i]!.t - probes[i - 1]!.t;
      expect(gap).toBeGreaterThanOrEqual(TIMING.PROBE_MIN);
      expect(gap).toBeLessThanOrEqual(TIMING.PROBE_MAX);
    }
    const ann = bus.ops(XarpOp.ANNOUNCE);
    expect(ann).toHaveLength(TIMING.ANNOUNCE_NUM * 2);
    expect(ann[0]!.t - probes[2]!.t).toBe(TIMING.ANNOUNCE_WAIT);
    expect(ann[2]!.t - ann[0]!.t).toBe(TIMING.ANNOUNCE_INTERVAL);
    for (const x of ann) expect([x.src, x.m!.sha, x.m!.tha, x.m!.spa]).toEqual([WEB, WEB, WEB, x.m!.tpa]);
    expect(new Set(ann.map((x) => x.m!.spa.proto))).toEqual(new Set([6, 17]));
    expect(a.claimed().get("dns")).toBe(WEB);
    expect(events.map((e) => e.event)).toContain("claimed");
  });

  it("defends its MAC against a second host's probe; that host draws a new candidate and claims it", async () => {
    const bus = new Bus();
    const first = agent(bus, A, "a", [{ name: "web", bindings: [{ port: 8080, proto: 17 }], firstMac: WEB }], 1);
    first.a.start();
    await vi.advanceTimersByTimeAsync(2500);
    const second = agent(bus, B, "b", [{ name: "db", bindings: [{ port: 5432, proto: 6 }], firstMac: WEB }], 99);
    second.a.start();
    await vi.advanceTimersByTimeAsync(3000);
    const defends = bus.ops(XarpOp.DEFEND, "a");
    expect(defends).toHaveLength(1);
    const d = defends[0]!;
    expect([d.src, d.m!.sha, d.m!.spa, d.m!.tha, d.m!.tpa]).toEqual([WEB, WEB, { ip: A.ip, port: 8080, proto: 17, flags: 0 }, B.mac, hostEndpoint(B.ip)]);
    const bProbes = bus.ops(XarpOp.PROBE, "b");
    expect(bProbes.filter((p) => p.m!.tha === WEB)).toHaveLength(1);
    const newMac = second.a.claimed().get("db")!;
    expect(newMac).not.toBe(WEB);
    expect(newMac).not.toBe(0);
    expect(bProbes.filter((p) => p.m!.tha === newMac)).toHaveLength(3);
    expect(second.events.filter((e) => e.event === "conflict")).toHaveLength(1);
    expect(first.a.claimed().get("web")).toBe(WEB);
  });

  it("answers requests for its address: the application's MAC, else the canonical MAC with C set", async () => {
    const bus = new Bus();
    const { a, events } = agent(bus, A, "a", [{ name: "web", bindings: [{ port: 8080, proto: 6 }], firstMac: WEB }], 1);
    a.start();
    const gw = bus.link("gw", GW.mac);
    gw.onFrame(() => {});
    // while the MAC is still being probed: canonical (section 4.1)
    await vi.advanceTimersByTimeAsync(150);
    gw.send(XarpFrames.request(GW, parseEndpoint("10.0.0.10:8080/tcp")));
    await vi.advanceTimersByTimeAsync(1000);
    gw.send(XarpFrames.request(GW, parseEndpoint("10.0.0.10:8080/tcp")));
    gw.send(XarpFrames.request(GW, parseEndpoint("10.0.0.10:8080/udp")));
    gw.send(XarpFrames.request(GW, parseEndpoint("10.0.0.99:8080/tcp")));
    await vi.advanceTimersByTimeAsync(10);
    const replies = bus.ops(XarpOp.REPLY, "a");
    expect(replies).toHaveLength(3);
    expect(replies.map((r) => [r.src, r.dst, r.m!.sha, r.m!.spa.port, r.m!.spa.proto, r.m!.spa.flags, r.m!.tha, r.m!.tpa.ip])).toEqual([
      [A.mac, GW.mac, A.mac, 8080, 6, FLAG_CANONICAL, GW.mac, GW.ip],
      [WEB, GW.mac, WEB, 8080, 6, 0, GW.mac, GW.ip],
      [A.mac, GW.mac, A.mac, 8080, 17, FLAG_CANONICAL, GW.mac, GW.ip],
    ]);
    expect(events.filter((e) => e.event === "reply")).toHaveLength(3);
  });

  it("sends one RELEASE per endpoint on stop, from the application MAC", async () => {
    const bus = new Bus();
    const { a, events } = agent(bus, A, "a", [{ name: "dns", bindings: [{ port: 53, proto: 17 }, { port: 53, proto: 6 }], firstMac: WEB }], 1);
    a.start();
    await vi.advanceTimersByTimeAsync(2000);
    a.stop();
    const rel = bus.ops(XarpOp.RELEASE);
    expect(rel).toHaveLength(2);
    for (const r of rel) expect([r.src, r.dst, r.m!.sha, r.m!.tha, r.m!.spa]).toEqual([WEB, 0xffffffffffff, WEB, 0, r.m!.tpa]);
    expect(events.at(-1)!.event).toBe("stop");
    // nothing more is sent after stop
    const n = bus.log.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(bus.log.length).toBe(n);
  });

  it("gives a claimed MAC up on a DEFEND, defends once against an ANNOUNCE and gives up on the next", async () => {
    const bus = new Bus();
    const { a, events } = agent(bus, A, "a", [{ name: "web", bindings: [{ port: 8080, proto: 6 }], firstMac: WEB }], 1);
    a.start();
    await vi.advanceTimersByTimeAsync(2000);
    const other = bus.link("other", B.mac);
    other.onFrame(() => {});
    other.send(XarpFrames.announce(WEB, parseEndpoint("10.0.0.11:9000/udp")));
    await vi.advanceTimersByTimeAsync(5);
    expect(bus.ops(XarpOp.DEFEND, "a")).toHaveLength(1);
    expect(a.claimed().get("web")).toBe(WEB);
    other.send(XarpFrames.announce(WEB, parseEndpoint("10.0.0.11:9000/udp")));
    await vi.advanceTimersByTimeAsync(5);
    expect(events.some((e) => e.event === "give-up")).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    const moved = a.claimed().get("web")!;
    expect(moved).not.toBe(WEB);
    expect(moved).not.toBe(0);
    // a DEFEND for the new MAC: given up at once
    other.send(XarpFrames.defend(moved, parseEndpoint("10.0.0.11:1/tcp"), A));
    await vi.advanceTimersByTimeAsync(5);
    expect(events.filter((e) => e.event === "give-up")).toHaveLength(2);
  });

  it("treats another station's probe for its candidate as a conflict, and defends its canonical MAC", async () => {
    const bus = new Bus();
    const { a, events } = agent(bus, A, "a", [{ name: "web", bindings: [{ port: 8080, proto: 6 }], firstMac: WEB }], 1);
    a.start();
    const other = bus.link("other", B.mac);
    other.onFrame(() => {});
    await vi.advanceTimersByTimeAsync(60);
    other.send(XarpFrames.probe(B, WEB));
    other.send(XarpFrames.probe(B, A.mac));
    await vi.advanceTimersByTimeAsync(5);
    expect(events.find((e) => e.event === "conflict")).toMatchObject({ app: "web", mac: macText(WEB) });
    const d = bus.ops(XarpOp.DEFEND, "a");
    expect(d).toHaveLength(1);
    expect([d[0]!.src, d[0]!.m!.sha, d[0]!.m!.spa]).toEqual([A.mac, A.mac, hostEndpoint(A.ip, FLAG_CANONICAL)]);
  });
});

describe("resolveEndpoints on a simulated LAN", () => {
  it("resolves application and canonical answers, retries, and times out for a silent host", async () => {
    const bus = new Bus();
    const { a } = agent(bus, A, "a", [{ name: "web", bindings: [{ port: 8080, proto: 6 }], firstMac: WEB }], 1);
    a.start();
    await vi.advanceTimersByTimeAsync(1000);
    const gw = bus.link("gw", GW.mac);
    const done = resolveEndpoints(gw, GW, ["10.0.0.10:8080/tcp", "10.0.0.10:9999/udp", "10.0.0.77:80/tcp"].map(parseEndpoint), { timeoutMs: 1000, tries: 3 });
    await vi.advanceTimersByTimeAsync(3500);
    const r = await done;
    expect(r.map((x) => (x.ok ? [macText(x.mac), x.canonical, x.tries] : ["timeout", x.tries]))).toEqual([
      [macText(WEB), false, 1],
      [macText(A.mac), true, 1],
      ["timeout", 3],
    ]);
    expect(bus.ops(XarpOp.REQUEST, "gw").filter((s) => s.m!.tpa.ip === ipv4("10.0.0.77"))).toHaveLength(3);
    expect(r[2]!.ms).toBeGreaterThanOrEqual(3000);
  });
});
