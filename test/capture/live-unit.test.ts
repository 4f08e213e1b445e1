// The pieces of live capture that need no interface: the stream reader fed in odd-sized chunks,
// ring-buffer file naming and rotation, and the dashboard's rendering of a NIC model run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CaptureOutput, ringFileName } from "../../src/capture/live/outfiles.js";
import { openStream, readHeaders, streamSource } from "../../src/capture/live/stream.js";
import { createWriter } from "../../src/capture/write.js";
import type { CaptureRecord, InterfaceInfo } from "../../src/capture/types.js";
import { readAll } from "./util.js";
import { ethLayer } from "../../src/dissect/protocols/eth.js";
import { xarpLayer, XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import { build } from "../../src/dissect/build.js";
import { resolveConfig } from "../../src/nicmodel/config.js";
import { FrameFeeder } from "../../src/nicmodel/feed.js";
import { NicModel } from "../../src/nicmodel/model.js";
import { RingMonitor } from "../../src/ringmon/monitor.js";
import { renderDashboard, syncRings } from "../../src/ringmon/dashboard.js";

const tmp = mkdtempSync(join(tmpdir(), "arpx-live-unit-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const IFACE: InterfaceInfo = { linkType: 1, snapLen: 262144, name: "test0", tsResol: { base: 10, exp: 9 } };

function rec(i: number, len = 60 + i): CaptureRecord {
  const data = new Uint8Array(len).fill(i & 0xff);
  return { data, wireLen: len, tsSec: 1700000000 + Math.floor(i / 10), tsNsec: (i % 10) * 100_000_000 + 7, linkType: 1, ifIndex: 0 };
}

/** A pcapng stream as a capture backend writes it: SHB, IDB, EPBs, an ISB. */
function streamBytes(n: number): Uint8Array {
  const path = join(tmp, `s${n}.pcapng`);
  const w = createWriter(path, { format: "pcapng", interfaces: [IFACE], nanosecond: true });
  for (let i = 0; i < n; i++) w.writePacket(rec(i));
  w.writeInterfaceStats!(0, { ifRecv: n + 2, osDrop: 2, ifDrop: 0, usrDeliv: n });
  void w.close();
  return readFileSync(path);
}

describe("stream reader", () => {
  it("reads a backend's stream delivered in chunks of every size, ISB counters included", async () => {
    const bytes = streamBytes(200);
    for (const step of [1, 3, 7, 64, 1000, 65536]) {
      async function* chunks() {
        for (let o = 0; o < bytes.length; o += step) yield bytes.subarray(o, o + step);
      }
      const r = await openStream(streamSource(chunks()), "test");
      expect(r).not.toBeNull();
      expect(await readHeaders(r!)).toBe(true);
      expect(r!.interfaces[0]!.name).toBe("test0");
      const got: CaptureRecord[] = [];
      for (;;) {
        let x;
        while ((x = r!.next()) !== null) got.push({ ...x, data: x.data.slice() });
        if (!(await r!.fill())) break;
      }
      expect(got).toHaveLength(200);
      expect(got[199]!.data).toEqual(rec(199).data);
      expect(got[57]!.tsNsec).toBe(rec(57).tsNsec);
      const st = r!.stats.interfaceStats.get(0)!;
      expect([st.ifRecv, st.osDrop, st.usrDeliv].map(Number)).toEqual([202, 2, 200]);
    }
  });

  it("knows the interface before any packet arrives (a quiet link)", async () => {
    const bytes = streamBytes(0);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const shbLen = dv.getUint32(4, true);
    const headers = shbLen + dv.getUint32(shbLen + 4, true); // SHB + IDB, and then silence
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    async function* chunks() {
      yield bytes.subarray(0, 5);
      yield bytes.subarray(5, headers);
      await gate;
    }
    const r = await openStream(streamSource(chunks()), "quiet");
    expect(await readHeaders(r!)).toBe(true);
    expect(r!.interfaces).toHaveLength(1);
    expect(r!.next()).toBeNull();
    release();
  });

  it("an empty stream (the backend failed to start) gives null", async () => {
    async function* none() {}
    expect(await openStream(streamSource(none()), "x")).toBeNull();
  });
});

describe("ring-buffer files", () => {
  it("are named PREFIX_NNNNN_YYYYMMDDhhmmss.EXT as dumpcap names them", () => {
    const d = new Date(2024, 0, 2, 3, 4, 5);
    expect(ringFileName("/x/cap.pcapng", 1, d)).toBe("/x/cap_00001_20240102030405.pcapng");
    expect(ringFileName("out", 12345, d)).toBe("out_12345_20240102030405");
    expect(ringFileName("a.b.pcap", 7, d)).toBe("a.b_00007_20240102030405.pcap");
  });

  it("switch after the packet that reaches filesize kB, keep the newest files:N, and end each with an ISB", async () => {
    const dir = mkdtempSync(join(tmp, "ring-"));
    let now = Date.UTC(2024, 0, 1);
    const opened: string[] = [];
    const out = new CaptureOutput(join(dir, "r.pcapng"), {
      format: "pcapng", interfaces: [IFACE], nanosecond: true, ring: { filesizeKB: 2, files: 3 },
      statsNow: () => ({ ifRecv: 99, osDrop: 1, ifDrop: 0 }), onFile: (f) => opened.push(f), now: () => (now += 1000),
    });
    for (let i = 0; i < 100; i++) out.writePacket(rec(i, 200));
    await out.close({ ifRecv: 100, osDrop: 1, ifDrop: 0, usrDeliv: 100 });
    const kept = readdirSync(dir).sort();
    expect(kept).toHaveLength(3);
    expect(out.opened.length).toBeGreaterThan(8);
    expect(kept.map((k) => join(dir, k))).toEqual(out.kept);
    expect(opened).toEqual(out.opened);
    let total = 0;
    for (const k of kept) {
      const { records, reader, error } = await readAll(join(dir, k));
      expect(error).toBeNull();
      total += records.length;
      const st = reader.stats.interfaceStats.get(0)!;
      expect(st.comments![0]).toMatch(/^arpx capture: \d+ packets written to this file, \d+ in all$/);
      if (k !== kept[kept.length - 1]) {
        expect(readFileSync(join(dir, k)).length).toBeGreaterThanOrEqual(2000);
        expect(Number(st.ifRecv)).toBe(99);
      } else {
        expect(Number(st.ifRecv)).toBe(100);
      }
    }
    expect(total).toBeLessThan(100);
    expect(out.packetsWritten).toBe(100);
  });

  it("switch by time on tick()", async () => {
    const dir = mkdtempSync(join(tmp, "ringt-"));
    let now = 0;
    const out = new CaptureOutput(join(dir, "t.pcap"), { format: "pcap", interfaces: [IFACE], nanosecond: true, ring: { durationSec: 2 }, statsNow: () => null, now: () => now });
    out.writePacket(rec(1));
    now = 1500;
    out.tick();
    out.writePacket(rec(2));
    now = 2100;
    out.tick();
    out.writePacket(rec(3));
    now = 4200;
    out.tick();
    await out.close(null);
    expect(out.opened).toHaveLength(3);
    const counts = await Promise.all(out.opened.map(async (f) => (await readAll(f)).records.length));
    expect(counts).toEqual([2, 1, 0]);
  });
});

describe("dashboard rendering", () => {
  it("shows the kernel queue and each application ring with occupancy, overflow and drops", () => {
    const host = 0x020000000001;
    const app = 0x02a5000a0001;
    const cfg = resolveConfig({ defaults: { ring: 64, rate: 1000 } }, { hostMac: host, hostIp: 0x0a000001 });
    const mon = new RingMonitor({ series: false });
    const model = new NicModel(cfg, mon);
    const feed = new FrameFeeder(model, 1);
    const announce = build([
      ethLayer({ dst: 0xffffffffffff, src: 0x02a5000000ff, type: 0x0806 }),
      xarpLayer({ op: XarpOp.ANNOUNCE, sha: app, spa: { ip: 0x0a000001, port: 7000, proto: 17, flags: 0 }, tha: 0, tpa: { ip: 0x0a000001, port: 0, proto: 0, flags: 0 } }),
    ]);
    feed.feed({ data: announce, wireLen: announce.length, tsSec: 100, tsNsec: 0, linkType: 1, ifIndex: 0 });
    // 500 frames to the application in 5 ms: far more than 1000 packets/s drains
    for (let i = 0; i < 500; i++) {
      const f = new Uint8Array(100);
      for (let k = 5, v = app; k >= 0; k--, v = Math.floor(v / 256)) f[k] = v % 256;
      f.set([0x02, 0xa5, 0, 0, 0, 9], 6);
      f[12] = 0x08;
      f[13] = 0x00;
      feed.feed({ data: f, wireLen: 100, tsSec: 100, tsNsec: 1000 + i * 10_000, linkType: 1, ifIndex: 0 });
    }
    syncRings(model);
    const lines = renderDashboard(model, mon, {
      iface: "test0", backend: "arpx-pcap", liveCounters: true, digits: 9, elapsedSec: 2, packets: 501, bytes: 50100, pps: 250,
      received: 501, droppedKernel: 0, droppedInterface: 0, written: 501, output: "x.pcapng",
    }, 30, 120);
    const text = lines.join("\n");
    expect(lines[0]).toBe("arpx capture on test0 — capturing — 2.0 s — backend arpx-pcap (ns timestamps)");
    expect(text).toContain("501 received, dropped 0 by the kernel/buffer, 0 by the interface");
    const appLine = lines.find((l) => l.includes("02:a5:00:0a:00:01"))!;
    const a = model.apps[0]!;
    expect(a.overflowed).toBeGreaterThan(400);
    expect(appLine).toMatch(new RegExp(`^10\\.0\\.0\\.1:7000/udp\\s+02:a5:00:0a:00:01\\s+64 \\[#{24}\\]\\s+64\\s+64\\s+500\\s+${a.overflowed + a.dropped}\\s+${a.dropped}$`));
    expect(lines.find((l) => l.startsWith("kernel"))).toMatch(/kernel\s+02:00:00:00:00:01\s+1,024 \[/);
    expect(text).toMatch(/overflow reasons: \d+ RX ring full/);
    // narrow terminals drop the MAC column; few rows summarise the queues
    const narrow = renderDashboard(model, mon, { iface: "t", backend: "dumpcap", liveCounters: false, digits: 9, elapsedSec: 1, packets: 0, bytes: 0, pps: 0, received: null, droppedKernel: null, droppedInterface: null, written: null, output: null }, 10, 80);
    expect(narrow.join("\n")).toContain("counters come at the end with this backend");
    expect(narrow.every((l) => l.length < 80)).toBe(true);
  });
});
