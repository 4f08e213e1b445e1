// Writer behaviour beyond the round trip: format by extension, one link type per pcap, times a
// format cannot hold, comments and flags, statistics blocks, interfaces that appear while
// streaming, and that capinfos/tshark read the results.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCapture } from "../../src/capture/open.js";
import { createWriter, formatFromPath } from "../../src/capture/write.js";
import { CaptureWriteError, type CaptureRecord } from "../../src/capture/types.js";
import { HAVE_SHARED, HAVE_TSHARK, SHARED_CAPTURES, skipReason } from "../helpers.js";
import { frame } from "./build.js";
import { readAll, tsharkRows } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-w-"));
// the tshark/capinfos checks below are extra assertions inside tests; say once when they are off
skipReason(HAVE_TSHARK, "tshark/capinfos are not installed: comments, flags and statistics written by arpx not checked with them");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (over: Partial<CaptureRecord> = {}): CaptureRecord => ({ data: frame(60), wireLen: 60, tsSec: 1700000000, tsNsec: 5000, linkType: 1, ifIndex: 0, ...over });

it("formatFromPath: by extension, pcapng by default", () => {
  expect(formatFromPath("a.pcap")).toBe("pcap");
  expect(formatFromPath("A.CAP")).toBe("pcap");
  expect(formatFromPath("x.dmp")).toBe("pcap");
  expect(formatFromPath("a.pcapng")).toBe("pcapng");
  expect(formatFromPath("a.ntar")).toBe("pcapng");
  expect(formatFromPath("out")).toBe("pcapng");
  expect(formatFromPath("-")).toBe("pcapng");
});

describe("pcap", () => {
  it("refuses a second link type, naming the packet", async () => {
    const path = join(dir, "two.pcap");
    const w = createWriter(path, { format: "pcap", interfaces: [{ linkType: 1, snapLen: 0 }] });
    w.writePacket(rec());
    expect(() => w.writePacket(rec({ linkType: 113, ifIndex: 1 }))).toThrow(
      new CaptureWriteError(path, "packet 2 has link type 113, but a pcap file holds one link type (1); write pcapng instead"));
    await w.close();
    expect((await readAll(path)).records).toHaveLength(1);
  });
  it("takes the link type from the first record when no interface is given; empty files are valid", async () => {
    const a = join(dir, "lazy.pcap");
    const w = createWriter(a, { format: "pcap", interfaces: [] });
    w.writePacket(rec({ linkType: 101 }));
    await w.close();
    expect((await readAll(a)).reader.interfaces[0]!.linkType).toBe(101);
    const b = join(dir, "empty.pcap");
    await createWriter(b, { format: "pcap", interfaces: [] }).close();
    const r = await readAll(b);
    expect([r.records.length, r.error, r.reader.interfaces[0]!.linkType]).toEqual([0, null, 1]);
  });
  it("times outside 1970..2106 do not fit", () => {
    const w = createWriter(join(dir, "t.pcap"), { format: "pcap", interfaces: [{ linkType: 1, snapLen: 0 }] });
    expect(() => w.writePacket(rec({ tsSec: 4323283200 }))).toThrow(CaptureWriteError);
    expect(() => w.writePacket(rec({ tsSec: -5 }))).toThrow(/does not fit in a pcap file/);
  });
  it("µs files truncate, ns files keep nanoseconds; raw fractions are normalised", async () => {
    for (const ns of [false, true]) {
      const path = join(dir, `frac-${ns}.pcap`);
      const w = createWriter(path, { format: "pcap", interfaces: [{ linkType: 1, snapLen: 0 }], nanosecond: ns });
      w.writePacket(rec({ tsNsec: 123456789 }));
      w.writePacket(rec({ tsSec: 1418145370, tsNsec: -2147483648 }));
      await w.close();
      const { records, reader } = await readAll(path);
      expect(reader.interfaces[0]!.tsResol).toEqual({ base: 10, exp: ns ? 9 : 6 });
      expect(records.map((r) => [r.tsSec, r.tsNsec])).toEqual([[1700000000, ns ? 123456789 : 123456000], [1418145367, ns ? 852516352 : 852516000]]);
    }
  });
});

describe("pcapng", () => {
  it("comments (several, unicode), flags, section comment and application", async () => {
    const path = join(dir, "c.pcapng");
    const w = createWriter(path, { format: "pcapng", interfaces: [{ linkType: 1, snapLen: 65535, name: "eth0", description: "uplink" }], comment: "section ✓", nanosecond: true });
    w.writePacket(rec({ comment: "first ✓", moreComments: ["second"], packetFlags: 1 }));
    w.writePacket(rec({ tsNsec: 123456789 }));
    await w.close();
    expect(w.packetsWritten).toBe(2);
    const { reader, records } = await readAll(path);
    expect(reader.section).toMatchObject({ comments: ["section ✓"], userAppl: expect.stringMatching(/^arpx \d/) });
    expect(reader.interfaces).toEqual([{ linkType: 1, snapLen: 65535, name: "eth0", description: "uplink", tsResol: { base: 10, exp: 9 }, section: 0, idInSection: 0 }]);
    expect(records.map((r) => [r.comment, r.moreComments, r.packetFlags, r.tsNsec])).toEqual([["first ✓", ["second"], 1, 5000], [undefined, undefined, undefined, 123456789]]);
    if (HAVE_TSHARK) {
      const t = await tsharkRows(path, ["frame.comment", "frame.packet_flags", "frame.interface_name", "frame.interface_description"]);
      expect(t.rows).toEqual([["first ✓,second", "0x00000001", "eth0", "uplink"], ["", "", "eth0", "uplink"]]);
    }
  });

  it("interface statistics blocks round-trip; capinfos counts them", async () => {
    const path = join(dir, "isb.pcapng");
    const w = createWriter(path, { format: "pcapng", interfaces: [{ linkType: 1, snapLen: 0 }, { linkType: 113, snapLen: 0 }] });
    w.writePacket(rec());
    w.writeInterfaceStats!(1, { ifRecv: 2n ** 60n, ifDrop: 7, osDrop: 3, filterAccept: 5, usrDeliv: 4, startSec: 1700000000, startNsec: 1000, endSec: 1700000100, endNsec: 0 });
    w.writeInterfaceStats!(0, { ifRecv: 1 });
    await w.close();
    const { reader } = await readAll(path);
    expect(reader.stats.interfaceStats.get(1)).toEqual({ ifRecv: 2n ** 60n, ifDrop: 7, osDrop: 3, filterAccept: 5, usrDeliv: 4, startSec: 1700000000, startNsec: 1000, endSec: 1700000100, endNsec: 0 });
    expect(reader.stats.interfaceStats.get(0)).toEqual({ ifRecv: 1 });
    if (HAVE_TSHARK) {
      const out = execFileSync("capinfos", [path], { encoding: "utf8" });
      expect(out).toMatch(/Number of packets:\s+1\b/);
      expect(out.match(/Number of stat entries = 1/g)).toHaveLength(2);
    }
  });

  it("writes IDBs as records need them, taking a reader's growing interface list", async () => {
    if (!HAVE_SHARED) return;
    const src = await openCapture(join(SHARED_CAPTURES, "pcapngtg-le-difficult-test201.pcapng"));
    const atOpen = src.interfaces.length;
    const path = join(dir, "stream.pcapng");
    const w = createWriter(path, { format: "pcapng", interfaces: src.interfaces });
    for (;;) {
      let r;
      while ((r = src.next()) !== null) w.writePacket(r);
      if (!(await src.fill())) break;
    }
    await src.close();
    await w.close();
    expect(atOpen).toBe(2);
    expect(src.interfaces).toHaveLength(5);
    const back = await readAll(path);
    expect(back.records.map((r) => [r.ifIndex, r.linkType])).toEqual([[0, 1], [2, 1], [2, 1], [4, 0]]);
    expect(back.reader.interfaces.map((i) => i.linkType)).toEqual([1, 0, 1, 1, 0]);
  });

  it("interfaces unknown to the writer take the record's link type; a mismatch is refused", async () => {
    const path = join(dir, "lazy.pcapng");
    const w = createWriter(path, { format: "pcapng", interfaces: [] });
    w.writePacket(rec({ ifIndex: 1, linkType: 113 }));
    expect(() => w.writePacket(rec({ ifIndex: 1, linkType: 1 }))).toThrow("packet 2 has link type 1, but its interface 1 has link type 113");
    await w.close();
    const { reader, records } = await readAll(path);
    expect(reader.interfaces.map((i) => i.linkType)).toEqual([113, 113]);
    expect(records[0]!.ifIndex).toBe(1);
  });

  it("times before 1970 are refused", () => {
    const w = createWriter(join(dir, "neg.pcapng"), { format: "pcapng", interfaces: [] });
    expect(() => w.writePacket(rec({ tsSec: -1 }))).toThrow(/before 1970/);
  });

  it("oversized records go through the buffer (grows, then shrinks)", async () => {
    const path = join(dir, "big.pcapng");
    const w = createWriter(path, { format: "pcapng", interfaces: [{ linkType: 231, snapLen: 0 }] });
    const big = frame(3 << 20, 7);
    w.writePacket(rec({ data: big, wireLen: big.length, linkType: 231 }));
    w.writePacket(rec({ linkType: 231 }));
    await w.close();
    const { records } = await readAll(path);
    expect(records.map((r) => r.data.length)).toEqual([3 << 20, 60]);
    expect(Buffer.from(records[0]!.data).equals(Buffer.from(big))).toBe(true);
  });

  it("cannot create: clear error", () => {
    expect(() => createWriter(join(dir, "no/such/dir/x.pcapng"), { format: "pcapng", interfaces: [] })).toThrow(/x\.pcapng: cannot create: ENOENT/);
  });

  it("output is deterministic (no clock in SHB, IDB or EPB)", async () => {
    const a = join(dir, "d1.pcapng");
    const b = join(dir, "d2.pcapng");
    for (const p of [a, b]) {
      const w = createWriter(p, { format: "pcapng", interfaces: [{ linkType: 1, snapLen: 0 }] });
      w.writePacket(rec({ data: frame(61) }));
      await w.close();
    }
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });
});
