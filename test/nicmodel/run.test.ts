// src/nicmodel/run.ts: the set-up `arpx replay` and `arpx check` share, and the hot loop that feeds
// the model with bytes read in place. The loop must give exactly what feeding copied records one
// by one gives; the guess pass, standard input and damaged files must behave as replay documents.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCapture } from "../../src/capture/open.js";
import { createWriter } from "../../src/capture/write.js";
import { XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import { resolveConfig, type ConfigInput } from "../../src/nicmodel/config.js";
import { validateConfig } from "../../src/nicmodel/config-schema.js";
import { resolveCost } from "../../src/nicmodel/cost.js";
import { FrameFeeder } from "../../src/nicmodel/feed.js";
import { NicModel } from "../../src/nicmodel/model.js";
import { feedAll, startRun, type ModelSettings } from "../../src/nicmodel/run.js";
import { RingMonitor } from "../../src/ringmon/monitor.js";
import { buildReport } from "../../src/ringmon/report.js";
import { runArpx } from "../helpers.js";
import { BCAST, ip4, ipv4Frame, ipv6Frame, xarpFrame } from "./frames.js";

const H = 0x00163e112233;
const G = 0x00163eaabbcc;
const A = 0x0a5e710c9d42;
const A6 = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

let dir = "";
let cap = "";

/** A few MB of mixed traffic over many read chunks: IPv4 and IPv6 (port-mode bindings), XARP learning and release, frames of many sizes. */
async function writeMixed(path: string): Promise<void> {
  const w = createWriter(path, { format: "pcap", interfaces: [{ linkType: 1, snapLen: 65535 }], nanosecond: true });
  const ep = { ip: ip4("10.0.0.2"), port: 8080, proto: 17, flags: 0 };
  let t = 0;
  const put = (d: Uint8Array) => {
    t += 700 + (t % 977);
    w.writePacket({ data: d, wireLen: d.length + (t % 3 === 0 ? 4 : 0), tsSec: 1_700_000_000 + Math.floor(t / 1e9), tsNsec: t % 1e9, linkType: 1, ifIndex: 0 });
  };
  put(xarpFrame(BCAST, A, { op: XarpOp.ANNOUNCE, sha: A, spa: ep, tha: A, tpa: ep }));
  for (let i = 0; i < 60_000; i++) {
    const k = i % 7;
    if (k === 0) put(ipv6Frame({ dst: H, src: G, proto: 17, sport: 40000, dport: 9000, dst6: A6, len: 80 + (i % 1200) }));
    else if (k === 1) put(ipv4Frame({ dst: G, src: H, proto: 6, sport: 5432, dport: 40000, len: 60 }));
    else if (k === 2) put(ipv4Frame({ dst: A, src: G, proto: 17, sport: 5000, dport: 8080, len: 100 + (i % 2900) }));
    else if (k === 3) put(ipv4Frame({ dst: H, src: G, proto: 6, sport: 40001, dport: 5432, len: 64, tcpFlags: i % 5 === 0 ? 0x02 : 0x10 }));
    else if (k === 4) put(ipv4Frame({ dst: 0x0a5e710c9d50 + (i % 3), src: G, proto: 17, sport: 6000, dport: 7000, len: 200 }));
    else if (k === 5) put(ipv4Frame({ dst: H, src: G, proto: 1 }));
    else put(ipv4Frame({ dst: H, src: G, proto: 17, sport: 3000, dport: 53, len: 90 }));
    if (i === 30_000) put(xarpFrame(BCAST, A, { op: XarpOp.RELEASE, sha: A, spa: ep, tha: 0, tpa: ep }));
  }
  await w.close();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "arpx-run-"));
  cap = join(dir, "mixed.pcap");
  await writeMixed(cap);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PORT_CFG: ConfigInput = {
  host: { mac: "00:16:3e:11:22:33", ip: "10.0.0.2" },
  apps: [
    { name: "v6", endpoints: ["[fd00::2]:9000/udp"], ring: 64, rate: 2e5, batch: 4 },
    { name: "db", proto: "tcp", port: 5432, ring: 32, rate: 1e5, batch: 1 },
  ],
};

/** The report of feeding copied records one by one (the way records were fed before run.ts). */
async function reportByRecords(s: ModelSettings): Promise<string> {
  const cfg = resolveConfig(s.config, { dispatch: s.dispatch, filter: s.filter, learn: s.learn, hostMac: s.hostMac, hostIp: s.hostIp });
  const mon = new RingMonitor({ series: true });
  const model = new NicModel(cfg, mon);
  const feeder = new FrameFeeder(model, s.speed);
  const r = await openCapture(cap);
  for (;;) {
    let x;
    while ((x = r.next()) !== null) feeder.feed({ ...x, data: x.data.slice() });
    if (!(await r.fill())) break;
  }
  await r.close();
  model.finish();
  return JSON.stringify(buildReport(model, mon, { file: cap, speed: s.speed, hostGuessed: false, hostBasis: null, startEpoch: feeder.startEpoch, cost: resolveCost(cfg.cost), profile: null, includeSeries: true }));
}

/** Records a capture reader hands out before the file's damage. */
async function wholeRecords(path: string): Promise<number> {
  const r = await openCapture(path);
  let n = 0;
  try {
    for (;;) {
      while (r.next() !== null) n++;
      if (!(await r.fill())) break;
    }
  } catch {
    // the damage
  }
  await r.close();
  return n;
}

async function reportByRun(s: ModelSettings): Promise<string> {
  const mon = new RingMonitor({ series: true });
  const run = await startRun({ ...s, file: cap }, mon);
  expect(run.guess).toBeNull();
  await feedAll(run);
  await run.reader.close();
  run.model.finish();
  return JSON.stringify(buildReport(run.model, mon, { file: cap, speed: s.speed, hostGuessed: false, hostBasis: null, startEpoch: run.feeder.startEpoch, cost: resolveCost(run.cfg.cost), profile: null, includeSeries: true }));
}

describe("feedAll (bytes read in place) gives what feeding copied records gives", () => {
  const cases: [string, ModelSettings][] = [
    ["mac mode, learning from XARP and locally administered MACs", { config: null, hostMac: H, hostIp: ip4("10.0.0.2"), speed: 1, guessFrames: 50000 }],
    ["port mode, IPv4 and IPv6 bindings, learning listeners", { config: validateConfig(PORT_CFG), dispatch: "port", learn: ["xarp", "listen"], speed: 3, guessFrames: 50000 }],
    ["NIC MAC filter", { config: null, hostMac: H, filter: "mac", speed: 0.5, guessFrames: 50000 }],
  ];
  for (const [name, s] of cases) {
    it(name, async () => {
      const a = await reportByRecords(s);
      const b = await reportByRun(s);
      expect(JSON.parse(b).frames.read).toBe(60_002);
      expect(b).toBe(a);
    });
  }
});

describe("startRun", () => {
  it("guesses the host from the first frames and reopens the file for the model", async () => {
    const run = await startRun({ config: null, speed: 1, guessFrames: 1000, file: cap }, null);
    expect(run.guess).toMatchObject({ mac: H, ip: ip4("10.0.0.2"), frames: 1000, cut: false });
    expect(run.cfg.hostMac).toBe(H);
    expect(run.reader.offset).toBe(24); // from the first record again
    await feedAll(run);
    await run.reader.close();
    expect(run.model.counters.framesRead).toBe(60_002);
  });

  it("a host named by the options or the configuration is not guessed", async () => {
    const a = await startRun({ config: null, hostMac: G, speed: 1, guessFrames: 1000, file: cap }, null);
    expect(a.guess).toBeNull();
    await a.reader.close();
    const b = await startRun({ config: validateConfig(PORT_CFG), speed: 1, guessFrames: 1000, file: cap }, null);
    expect(b.guess).toBeNull();
    expect(b.cfg.hostMac).toBe(H);
    await b.reader.close();
  });
});

describe("arpx replay reading", () => {
  it("standard input gives the file's report (its first frames kept in memory for the guess)", () => {
    const f = runArpx(["replay", cap, "--json"]);
    const s = runArpx(["replay", "-", "--json"], readFileSync(cap));
    expect(f.status).toBe(0);
    expect(s.status).toBe(0);
    const fr = JSON.parse(f.stdout), sr = JSON.parse(s.stdout);
    expect(sr.file).toBe("-");
    expect({ ...sr, file: cap }).toEqual(fr);
  });

  it("standard input whose first frames outgrow the memory kept for them: the guess stops early, no frame is lost", () => {
    // 16 MB of 1400-byte frames is about 11,700 frames: fewer than --guess-frames
    const big = join(dir, "big.pcap");
    const w = createWriter(big, { format: "pcap", interfaces: [{ linkType: 1, snapLen: 65535 }] });
    const f = ipv4Frame({ dst: H, src: G, proto: 6, sport: 40000, dport: 80, len: 1400 });
    for (let i = 0; i < 15_000; i++) w.writePacket({ data: f, wireLen: f.length, tsSec: 1_700_000_000, tsNsec: i * 1000, linkType: 1, ifIndex: 0 });
    return w.close().then(() => {
      const r = runArpx(["replay", "-", "--json", "--guess-frames", "20000"], readFileSync(big));
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).frames.read).toBe(15_000);
      const t = runArpx(["replay", "-", "--guess-frames", "20000"], readFileSync(big));
      expect(t.stderr).toMatch(/host guessed from the first 11,\d{3} frames: 00:16:3e:11:22:33/);
    });
  });

  it("a damaged file: every frame before the damage is modelled, the damage reported once, exit 2", async () => {
    const cut = join(dir, "cut.pcap");
    const bytes = readFileSync(cap);
    writeFileSync(cut, bytes.subarray(0, 1_000_000 + 7));
    const r = runArpx(["replay", cut, "--json"]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^arpx: .*cut\.pcap: truncated packet record.*\(at byte offset \d+\)$/);
    const rep = JSON.parse(r.stdout);
    expect(rep.frames.read).toBe(await wholeRecords(cut));
    expect(rep.frames.read).toBeGreaterThan(2000);
    expect(rep.invariants.ok).toBe(true);
  });
});
