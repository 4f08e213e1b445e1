// arpx replay end to end: a synthetic capture, a YAML configuration, every output format.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runArpx, OWN_CAPTURES } from "../helpers.js";
import { DEMO, writeDemo } from "./demo-capture.js";

let dir = "";
let cap = "";
let cfg = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "arpx-replay-"));
  cap = join(dir, "demo.pcap");
  await writeDemo(cap);
  cfg = join(dir, "host.yaml");
  writeFileSync(
    cfg,
    [
      "host: { mac: 00:16:3e:11:22:33, ip: 10.0.0.2 }",
      "kernel: { size: 100000, rate: 10M, batch: 64 }",
      "apps:",
      "  - { name: web, endpoints: ['*:8080/udp'], mac: auto, ring: 512, bufferSize: 2048, rate: 2M, batch: 32 }",
      "  - { name: db, proto: tcp, port: 5432, ring: 64, nsPerPacket: 2000, batch: 1 }",
      "",
    ].join("\n"),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function json(args: string[]) {
  const r = runArpx(["replay", cap, ...args, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe("arpx replay", () => {
  it("matches the closed form for constant-rate arrivals into a slower ring, end to end", () => {
    const rep = json(["-c", cfg]);
    expect(rep.invariants).toEqual({ ok: true, violations: [] });
    const db = rep.queues.find((q: { name: string }) => q.name === "db");
    // db: arrivals every 1 us, released at 500 kpps, ring 64, batch 1 -- a MAC learned from XARP ("auto")
    const n = DEMO.dbFrames;
    const accepted = Math.min(n, 64 + Math.floor(((n - 1) * DEMO.dbIntervalNs) / 2000));
    expect(db.packets.arrived).toBe(n);
    expect(db.packets.accepted).toBe(accepted);
    expect(db.packets.overflowed).toBe(n - accepted);
    expect(db.mac).toBe("0a:5e:71:0c:9d:43");
    // sizing: the smallest ring with zero overflow holds the backlog the first n-1 intervals build at
    // 500 kpps: n - floor((n-1) T / p) frames; the slowest rate lets the ring of R=64 absorb the
    // surplus over the whole capture: p* = (n-1) T / (n - R), i.e. (n - 64) / ((n-1) T) frames per ns
    expect(db.sizing.minRing).toBe(n - Math.floor(((n - 1) * DEMO.dbIntervalNs) / 2000));
    expect(db.sizing.slowestRate.exact).toBe(true);
    expect(db.sizing.slowestRate.packetsPerSecond).toBeCloseTo(((n - 64) / ((n - 1) * DEMO.dbIntervalNs)) * 1e9, 3);
    expect(db.counters.imissed).toBe(n - accepted);
    expect(db.counters.rx_ring_full + db.counters.rx_fill_ring_empty_descs).toBe(n - accepted);
    const web = rep.queues.find((q: { name: string }) => q.name === "web");
    // web: 3000-byte frames take 2 descriptors; bursts of 300 (600 descriptors) into 512
    expect(web.packets.arrived).toBe(DEMO.webBursts * DEMO.webBurst);
    expect(web.packets.overflowed).toBeGreaterThan(0);
    expect(web.sizing.minRing).toBeGreaterThan(512);
    expect(web.sizing.slowestRate.exact).toBe(false);
    const k = rep.queues[0];
    expect(k.reasons.control).toBe(51); // ARP + 50 pings (the XARP announcements are the host's own)
    expect(k.reasons.overflow).toBe(db.packets.overflowed + web.packets.overflowed);
    expect(rep.frames.transmitted).toBe(52); // 50 ping replies + 2 announcements
    expect(rep.frames.xarp).toBe(2);
    expect(rep.totals.arrived).toBe(rep.totals.deliveredToApps + rep.totals.deliveredByKernel + rep.totals.dropped + rep.totals.queued);
    expect(rep.cost.total.map((s: { scheme: string }) => s.scheme)).toEqual(["copy", "dma", "map", "perennial"]);
    expect(rep.series.bins).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    const a = runArpx(["replay", cap, "-c", cfg, "--json"]).stdout;
    const b = runArpx(["replay", cap, "-c", cfg, "--json"]).stdout;
    expect(a).toBe(b);
  });

  it("--speed scales time: half speed halves the load", () => {
    const fast = json(["-c", cfg, "--speed", "2"]).queues.find((q: { name: string }) => q.name === "db");
    const slow = json(["-c", cfg, "--speed", "0.5"]).queues.find((q: { name: string }) => q.name === "db");
    expect(fast.packets.overflowed).toBeGreaterThan(slow.packets.overflowed);
    expect(slow.packets.overflowed).toBe(0); // every 2 us at 500 kpps: exactly keeps up
  });

  it("runs with no configuration: guesses the host, learns applications from XARP", () => {
    const r = runArpx(["replay", cap]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/host guessed from the first/);
    expect(r.stdout).toMatch(/10\.0\.0\.2:5432\/tcp/);
    expect(r.stdout).toMatch(/10\.0\.0\.2:8080\/udp/);
    expect(r.stdout).toMatch(/Conservation holds/);
    expect(r.stdout).toMatch(/Smallest ring with zero overflow/);
  });

  it("--dispatch port steers by IP:port with bindings from the configuration", () => {
    const rep = json(["-c", cfg, "--dispatch", "port"]);
    expect(rep.dispatch).toBe("port");
    expect(rep.queues.find((q: { name: string }) => q.name === "db").packets.arrived).toBe(DEMO.dbFrames);
    expect(rep.invariants.ok).toBe(true);
  });

  it("--quiet prints only the summary; --csv one row per queue; --csv-series the time series", () => {
    const q = runArpx(["replay", cap, "-c", cfg, "--quiet"]);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe("");
    expect(q.stdout.trim().split("\n").length).toBeLessThanOrEqual(6);
    expect(q.stdout).toMatch(/^totals: /m);
    const c = runArpx(["replay", cap, "-c", cfg, "--csv"]);
    const rows = c.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^queue,name,kind,mac/);
    expect(rows.length).toBe(4);
    const s = runArpx(["replay", cap, "-c", cfg, "--csv-series", "--interval", "0.001"]);
    const srows = s.stdout.trim().split("\n");
    expect(srows[0]).toBe("start_s,queue,arrivals,accepted,overflows,drops,delivered,occupancy_mean,occupancy_max");
    const total = srows.slice(1).filter((l) => l.split(",")[1] === "db").reduce((a, l) => a + Number(l.split(",")[2]), 0);
    expect(total).toBe(DEMO.dbFrames);
  });

  it("--interval prints a time-series table; --html writes a self-contained report", () => {
    const html = join(dir, "r.html");
    const r = runArpx(["replay", cap, "-c", cfg, "--interval", "0.002", "--html", html]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Time series \(interval 0\.002000 s/);
    const h = readFileSync(html, "utf8");
    expect(h).toMatch(/^<!doctype html>/);
    expect(h).toMatch(/<svg /);
    expect(h).not.toMatch(/<script|src="http|href="http/);
  });

  it("configuration errors name the bad key and exit 2", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "host: { mac: 00:16:3e:11:22:33 }\napps:\n  - { name: x, port: 80, proto: tcp, rign: 4, ring: -1 }\nkernal: {}\n");
    const r = runArpx(["replay", cap, "-c", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: apps\[0\]\.rign: unknown key/);
    expect(r.stderr).toMatch(/bad\.yaml: apps\[0\]\.ring: /);
    expect(r.stderr).toMatch(/bad\.yaml: kernal: unknown key/);
    const r2 = runArpx(["replay", cap, "--dispatch", "nope"]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--dispatch: expected mac or port/);
    const r3 = runArpx(["replay", join(dir, "missing.pcap")]);
    expect(r3.status).toBe(2);
  });

  it("replays the project's recorded capture", () => {
    const r = runArpx(["replay", join(OWN_CAPTURES, "lan-basics.pcapng"), "--dispatch", "port", "--learn", "listen", "--json"]);
    expect(r.status).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.host.mac).toBe("02:00:00:00:0b:01");
    expect(rep.invariants.ok).toBe(true);
    expect(rep.queues.map((q: { name: string }) => q.name)).toEqual(["kernel", "10.77.0.2:53/udp", "10.77.0.2:53/tcp", "10.77.0.2:8080/tcp"]);
  });
});
