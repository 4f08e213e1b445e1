// Streaming: a 200k-record file (~100 MB) is read with flat memory (the reader holds one chunk,
// not the file), and a block far larger than a chunk still reads (the buffer grows for it).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCapture } from "../../src/capture/open.js";
import { createWriter } from "../../src/capture/write.js";
import { frame } from "./build.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-big-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 200_000;
const SIZE = 500;

describe("200k records stream with flat memory", () => {
  for (const format of ["pcap", "pcapng"] as const) {
    it(format, async () => {
      const path = join(dir, `big.${format}`);
      const w = createWriter(path, { format, interfaces: [{ linkType: 1, snapLen: 0 }], nanosecond: true });
      const payloads = Array.from({ length: 16 }, (_, i) => frame(SIZE, i));
      for (let i = 0; i < N; i++) {
        w.writePacket({ data: payloads[i & 15]!, wireLen: SIZE + (i & 3), tsSec: 1700000000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1_000_001, linkType: 1, ifIndex: 0 });
      }
      await w.close();
      expect(statSync(path).size).toBeGreaterThan(N * SIZE);

      const r = await openCapture(path);
      let n = 0;
      let sum = 0;
      let bad = 0;
      let base = { heap: 0, ab: 0 };
      let peak = { heap: 0, ab: 0 };
      const t0 = performance.now();
      for (;;) {
        let x;
        while ((x = r.next()) !== null) {
          if (x.data.length !== SIZE || x.data[1] !== ((1 + (n & 15)) & 0xff) || x.wireLen !== SIZE + (n & 3) || x.tsNsec !== (n % 1000) * 1_000_001) bad++;
          sum += x.tsSec - 1700000000;
          n++;
          if ((n & 0x3fff) === 0) {
            const m = process.memoryUsage();
            if (base.heap === 0) base = { heap: m.heapUsed, ab: m.arrayBuffers };
            peak = { heap: Math.max(peak.heap, m.heapUsed), ab: Math.max(peak.ab, m.arrayBuffers) };
          }
        }
        if (!(await r.fill())) break;
      }
      const secs = (performance.now() - t0) / 1000;
      await r.close();
      console.log(`${format}: ${n} records in ${secs.toFixed(3)} s (${Math.round(n / secs).toLocaleString()} records/s); heap +${((peak.heap - base.heap) / 1e6).toFixed(1)} MB, buffers +${((peak.ab - base.ab) / 1e6).toFixed(1)} MB over a ${(statSync(path).size / 1e6).toFixed(0)} MB file`);
      expect(n).toBe(N);
      expect(bad).toBe(0);
      expect(sum).toBe(Array.from({ length: N }, (_, i) => Math.floor(i / 1000)).reduce((a, b) => a + b, 0));
      expect(peak.ab - base.ab).toBeLessThan(8e6);
      expect(peak.heap - base.heap).toBeLessThan(40e6);
      expect(n / secs).toBeGreaterThan(300_000);
    });
  }
});

it("a 40 MiB block reads whole (D-Bus link type allows it)", async () => {
  const path = join(dir, "huge.pcapng");
  const w = createWriter(path, { format: "pcapng", interfaces: [{ linkType: 231, snapLen: 0 }] });
  const huge = frame(40 << 20, 3);
  const small = frame(100);
  w.writePacket({ data: small, wireLen: 100, tsSec: 1, tsNsec: 0, linkType: 231, ifIndex: 0 });
  w.writePacket({ data: huge, wireLen: huge.length, tsSec: 2, tsNsec: 0, linkType: 231, ifIndex: 0 });
  for (let i = 0; i < 1000; i++) w.writePacket({ data: small, wireLen: 100, tsSec: 3 + i, tsNsec: 0, linkType: 231, ifIndex: 0 });
  await w.close();
  const r = await openCapture(path);
  const lens: number[] = [];
  let same = false;
  for (;;) {
    let x;
    while ((x = r.next()) !== null) {
      lens.push(x.data.length);
      if (x.data.length === huge.length) same = Buffer.from(x.data.buffer, x.data.byteOffset, x.data.length).equals(Buffer.from(huge));
    }
    if (!(await r.fill())) break;
  }
  await r.close();
  expect(lens.length).toBe(1002);
  expect(lens[1]).toBe(40 << 20);
  expect(same).toBe(true);
});
