// Dispatch rules, learning, overflow/drop and the conservation invariants.
import { describe, expect, it } from "vitest";
import type { CaptureRecord } from "../../src/capture/types.js";
import { resolveConfig, type ConfigInput } from "../../src/nicmodel/config.js";
import { validateConfig } from "../../src/nicmodel/config-schema.js";
import { FrameFeeder } from "../../src/nicmodel/feed.js";
import { NicModel, Reason } from "../../src/nicmodel/model.js";
import { XarpOp, type XarpMessage } from "../../src/dissect/protocols/xarp-wire.js";
import { arpFrame, BCAST, ip4, ipv4Frame, ipv6Frame, xarpFrame } from "./frames.js";

const H = 0x00163e112233; // host canonical MAC
const A = 0x0a5e710c9d42; // application MAC
const G = 0x00163eaabbcc; // gateway
const OTHER = 0x00163e999999;

function rec(data: Uint8Array, tNs: number): CaptureRecord {
  return { data, wireLen: data.length, tsSec: 1000 + Math.floor(tNs / 1e9), tsNsec: tNs % 1e9, linkType: 1, ifIndex: 0 };
}

function model(input: ConfigInput | null, extra: Parameters<typeof resolveConfig>[1] = {}): [NicModel, FrameFeeder] {
  const cfg = resolveConfig(input === null ? null : validateConfig(input), { hostMac: H, hostIp: ip4("10.0.0.2"), ...extra });
  const m = new NicModel(cfg);
  return [m, new FrameFeeder(m)];
}

const baseCfg: ConfigInput = {
  host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" },
  apps: [{ name: "web", mac: "0a:5e:71:0c:9d:42", proto: "udp", port: 8080, ring: 64, rate: 1e6, batch: 1 }],
};

function xarp(op: number, sha: number, port: number, flags = 0): XarpMessage {
  const ep = { ip: ip4("10.0.0.2"), port, proto: 17, flags };
  return { op, sha, spa: ep, tha: op === XarpOp.RELEASE ? 0 : sha, tpa: ep };
}

describe("NicModel dispatch (mac mode)", () => {
  it("steers by destination MAC; control, broadcast/multicast, canonical and unknown go to the kernel", () => {
    const [m, f] = model(baseCfg);
    let t = 0;
    const send = (d: Uint8Array) => f.feed(rec(d, (t += 1000)));
    send(ipv4Frame({ dst: A, src: G, dport: 8080 })); // app
    send(ipv4Frame({ dst: A, src: G, dport: 9999 })); // app (mac mode ignores ports)
    send(ipv4Frame({ dst: H, src: G, dport: 8080 })); // canonical
    send(arpFrame(G)); // control (broadcast ARP)
    send(ipv4Frame({ dst: A, src: G, proto: 1 })); // ICMP to the app MAC: control
    send(ipv4Frame({ dst: A, src: G, dport: 68 })); // DHCP: control
    send(ipv6Frame({ dst: 0x333300000001, src: G, proto: 17, dport: 8080 })); // multicast
    send(ipv4Frame({ dst: OTHER, src: G })); // unknown unicast (promiscuous)
    send(ipv4Frame({ dst: G, src: H })); // the host's own transmission
    send(ipv4Frame({ dst: G, src: A })); // the application's own transmission
    m.finish();
    const k = m.kernel.reasons;
    expect(m.apps[0]!.arrived).toBe(2);
    expect(k[Reason.CANONICAL]).toBe(1);
    expect(k[Reason.CONTROL]).toBe(3);
    expect(k[Reason.BCAST_MCAST]).toBe(1);
    expect(k[Reason.UNKNOWN_MAC]).toBe(1);
    expect(m.counters).toMatchObject({ framesRead: 10, transmitted: 2, filtered: 0, arrived: 8 });
    expect(m.checkInvariants()).toEqual([]);
  });

  it("the MAC filter drops unicast frames for other MACs before they arrive", () => {
    const [m, f] = model(baseCfg, { filter: "mac" });
    f.feed(rec(ipv4Frame({ dst: OTHER, src: G }), 0));
    f.feed(rec(ipv4Frame({ dst: A, src: G }), 10));
    f.feed(rec(arpFrame(G), 20));
    m.finish();
    expect(m.counters).toMatchObject({ filtered: 1, arrived: 2 });
    expect(m.checkInvariants()).toEqual([]);
  });

  it("overflow goes to the kernel queue; a full kernel queue drops", () => {
    const [m, f] = model({ ...baseCfg, apps: [{ name: "slow", mac: "0a:5e:71:0c:9d:42", ring: 4, nsPerPacket: 1e6, batch: 1 }], kernel: { size: 3, nsPerPacket: 1e6, batch: 1 } });
    for (let i = 0; i < 10; i++) f.feed(rec(ipv4Frame({ dst: A, src: G }), i));
    m.finish();
    const a = m.apps[0]!;
    // ring takes 4, kernel takes 3 overflowed frames, 3 are dropped
    expect([a.arrived, a.ring.accepted, a.overflowed, a.dropped]).toEqual([10, 4, 3, 3]);
    expect(m.kernel.dropped).toBe(3);
    expect(a.overflowRingFull + a.overflowFillEmpty).toBe(6);
    expect(m.checkInvariants()).toEqual([]);
  });

  it("learns application MACs from XARP announcements, forgets them on release", () => {
    const [m, f] = model({ host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" } });
    const X = 0x0a0000000001;
    let t = 0;
    const send = (d: Uint8Array) => f.feed(rec(d, (t += 1000)));
    send(ipv4Frame({ dst: X, src: G })); // before the announcement: unknown MAC
    send(xarpFrame(BCAST, X, xarp(XarpOp.ANNOUNCE, X, 9000)));
    send(ipv4Frame({ dst: X, src: G })); // to the learned app
    send(ipv4Frame({ dst: X, src: G }));
    send(xarpFrame(BCAST, X, xarp(XarpOp.RELEASE, X, 9000)));
    send(ipv4Frame({ dst: X, src: G })); // released: unknown MAC again
    m.finish();
    expect(m.apps.map((a) => [a.name, a.arrived, a.source])).toEqual([["10.0.0.2:9000/udp", 2, "xarp"]]);
    expect(m.kernel.reasons[Reason.UNKNOWN_MAC]).toBe(2);
    expect(m.counters).toMatchObject({ xarpSeen: 2, xarpLearned: 1, xarpReleased: 1 });
    expect(m.checkInvariants()).toEqual([]);
  });

  it("with no configuration, learns applications from locally administered unicast destinations", () => {
    const [m, f] = model(null);
    f.feed(rec(ipv4Frame({ dst: 0x020000000077, src: G }), 0));
    f.feed(rec(ipv4Frame({ dst: 0x00aa00000077, src: G }), 1)); // globally administered: unknown
    m.finish();
    expect(m.apps.map((a) => a.name)).toEqual(["mac 02:00:00:00:00:77"]);
    expect(m.kernel.reasons[Reason.UNKNOWN_MAC]).toBe(1);
  });

  it("an 'auto' application takes the MAC its endpoint is announced with", () => {
    const [m, f] = model({ host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" }, apps: [{ name: "dns", endpoints: ["*:9000/udp"], mac: "auto" }] });
    const X = 0x0a0000000002;
    f.feed(rec(xarpFrame(BCAST, X, xarp(XarpOp.REPLY, X, 9000)), 0));
    f.feed(rec(ipv4Frame({ dst: X, src: G }), 10));
    f.feed(rec(xarpFrame(BCAST, 0x0a0000000003, xarp(XarpOp.REPLY, 0x0a0000000003, 9001, 0x80)), 20)); // C flag: not an application
    m.finish();
    expect(m.apps.map((a) => [a.name, a.mac, a.arrived])).toEqual([["dns", X, 1]]);
  });
});

describe("NicModel dispatch (port mode)", () => {
  it("steers frames for the host by destination IP, protocol and port", () => {
    const [m, f] = model({ ...baseCfg, apps: [{ name: "web", proto: "udp", port: 8080 }, { name: "db", ip: "10.0.0.2", proto: "tcp", port: 5432 }] }, { dispatch: "port" });
    let t = 0;
    const send = (d: Uint8Array) => f.feed(rec(d, (t += 1000)));
    send(ipv4Frame({ dst: H, src: G, dport: 8080 })); // web
    send(ipv6Frame({ dst: H, src: G, proto: 17, dport: 8080 })); // web (wildcard address)
    send(ipv4Frame({ dst: H, src: G, proto: 6, dport: 5432 })); // db
    send(ipv4Frame({ dst: H, src: G, proto: 6, dport: 5432, dstIp: "10.0.0.9" })); // other address: no app
    send(ipv4Frame({ dst: H, src: G, proto: 6, dport: 8080 })); // tcp/8080: no app
    send(ipv4Frame({ dst: H, src: G, fragOffset: 100 })); // non-first fragment
    send(ipv4Frame({ dst: OTHER, src: G, dport: 8080 })); // not for this host
    m.finish();
    expect(m.apps.map((a) => a.arrived)).toEqual([2, 1]);
    const k = m.kernel.reasons;
    expect([k[Reason.NO_APP], k[Reason.FRAGMENT], k[Reason.UNKNOWN_MAC]]).toEqual([2, 1, 1]);
    expect(m.checkInvariants()).toEqual([]);
  });

  it("learns bindings from XARP REPLY/ANNOUNCE, RELEASE removes them; learned apps get default rings", () => {
    const [m, f] = model(null, { dispatch: "port" });
    const X = 0x0a0000000009;
    let t = 0;
    const send = (d: Uint8Array) => f.feed(rec(d, (t += 1000)));
    send(ipv4Frame({ dst: H, src: G, dport: 7000 }));
    send(xarpFrame(G, X, xarp(XarpOp.REPLY, X, 7000)));
    send(ipv4Frame({ dst: H, src: G, dport: 7000 }));
    send(xarpFrame(BCAST, X, xarp(XarpOp.RELEASE, X, 7000)));
    send(ipv4Frame({ dst: H, src: G, dport: 7000 }));
    m.finish();
    expect(m.apps.map((a) => [a.name, a.arrived, a.params.size])).toEqual([["10.0.0.2:7000/udp", 1, 2048]]);
    expect(m.kernel.reasons[Reason.NO_APP]).toBe(2);
  });

  it("--learn listen makes every listening service an application", () => {
    const [m, f] = model(null, { dispatch: "port", learn: ["listen"] });
    f.feed(rec(ipv4Frame({ dst: H, src: G, proto: 6, dport: 443, tcpFlags: 0x02 }), 0));
    f.feed(rec(ipv4Frame({ dst: H, src: G, proto: 6, dport: 443, tcpFlags: 0x10 }), 1));
    f.feed(rec(ipv4Frame({ dst: H, src: G, proto: 6, dport: 50000, tcpFlags: 0x10 }), 2)); // not a listener
    f.feed(rec(ipv4Frame({ dst: H, src: G, proto: 17, dport: 53 }), 3));
    m.finish();
    expect(m.apps.map((a) => [a.name, a.arrived])).toEqual([
      ["10.0.0.2:443/tcp", 2],
      ["10.0.0.2:53/udp", 1],
    ]);
  });
});

describe("invariants and determinism on random streams", () => {
  function rnd(seed: number) {
    return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }
  function randomRun(seed: number): NicModel {
    const r = rnd(seed);
    const macs = [0x0a0000000001, 0x0a0000000002, 0x0a0000000003];
    const input: ConfigInput = {
      host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" },
      nic: { dispatch: r() < 0.5 ? "mac" : "port", filter: r() < 0.5 ? "mac" : "promiscuous" },
      kernel: { size: 1 + Math.floor(r() * 20), nsPerPacket: r() * 3000, batch: 1 + Math.floor(r() * 8) },
      apps: macs.slice(0, 2).map((mac, i) => ({ name: `a${i}`, mac: macs[i]!.toString(16).padStart(12, "0").replace(/(..)(?!$)/g, "$1:"), proto: "udp" as const, port: 1000 + i, ring: 1 + Math.floor(r() * 30), nsPerPacket: r() * 4000, batch: 1 + Math.floor(r() * 16), bufferSize: 512 + Math.floor(r() * 2048) })),
    };
    const [m, f] = model(input);
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      t += r() < 0.2 ? 0 : Math.floor(r() * 800);
      const k = r();
      const dst = k < 0.6 ? macs[Math.floor(r() * 3)]! : k < 0.75 ? H : k < 0.85 ? OTHER : BCAST;
      const len = 60 + Math.floor(r() * (r() < 0.1 ? 9000 : 1400));
      let d: Uint8Array;
      if (r() < 0.05) d = xarpFrame(BCAST, macs[2]!, xarp(r() < 0.5 ? XarpOp.ANNOUNCE : XarpOp.RELEASE, macs[2]!, 1002));
      else if (r() < 0.05) d = arpFrame(G);
      else d = ipv4Frame({ dst, src: r() < 0.05 ? H : G, proto: r() < 0.1 ? 1 : 17, dport: 1000 + Math.floor(r() * 4), len });
      f.feed(rec(d, t));
    }
    m.finish();
    return m;
  }

  it("arrived = delivered + overflowed + dropped + queued, per application, for the kernel and in total", () => {
    let overflows = 0, drops = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const m = randomRun(seed);
      expect(m.checkInvariants(), `seed ${seed}`).toEqual([]);
      for (const a of m.apps) overflows += a.overflowed;
      drops += m.kernel.dropped;
    }
    expect(overflows).toBeGreaterThan(0);
    expect(drops).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    const snap = (m: NicModel) => JSON.stringify([m.counters, m.apps.map((a) => [a.arrived, a.overflowed, a.dropped, a.ring.released, a.ring.maxOcc, a.shadow?.maxOcc, a.rate.result()]), Array.from(m.kernel.reasons)]);
    expect(snap(randomRun(99))).toBe(snap(randomRun(99)));
  });
});
