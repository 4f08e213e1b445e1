// Big-endian files built by hand byte by byte (pcap µs and ns, pcapng with options), and a
// pcapng file whose sections change byte order; our big-endian output read by us and tshark.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWriter } from "../../src/capture/write.js";
import { HAVE_TSHARK, skipReason } from "../helpers.js";
import { cat, endOpt, epb, frame, idb, opt, pcapHeader, pcapRecord, shb, spb } from "./build.js";
import { ourRows, readAll, tsharkRows } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-be-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, b: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, b);
  return p;
};

describe("big-endian pcap", () => {
  it("µs magic, written by hand", async () => {
    const bytes = Uint8Array.from([
      0xa1, 0xb2, 0xc3, 0xd4, 0x00, 0x02, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
      // record: sec 0x5f5e1000, usec 123456, caplen 4, len 60
      0x5f, 0x5e, 0x10, 0x00, 0x00, 0x01, 0xe2, 0x40, 0, 0, 0, 4, 0, 0, 0, 60, 0xde, 0xad, 0xbe, 0xef,
    ]);
    const { reader, records, error } = await readAll(file("be-us.pcap", bytes));
    expect(error).toBeNull();
    expect(reader.format).toBe("pcap");
    expect(reader.section.byteOrder).toBe("be");
    expect(reader.interfaces).toEqual([{ linkType: 1, snapLen: 65535, tsResol: { base: 10, exp: 6 } }]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tsSec: 0x5f5e1000, tsNsec: 123456000, wireLen: 60, linkType: 1, ifIndex: 0 });
    expect(Array.from(records[0]!.data)).toEqual([0xde, 0xad, 0xbe, 0xef]);
  });

  it("ns magic, FCS bits in the link type field", async () => {
    const hdr = pcapHeader(false, { ns: true, linkType: 0x04000000 | (2 << 28) | 1, snapLen: 1500 });
    const { reader, records } = await readAll(file("be-ns.pcap", cat(hdr, pcapRecord(false, 7, 999999999, frame(20)))));
    expect(reader.interfaces[0]).toEqual({ linkType: 1, snapLen: 1500, tsResol: { base: 10, exp: 9 }, fcsLen: 4 });
    expect(records[0]).toMatchObject({ tsSec: 7, tsNsec: 999999999 });
  });
});

describe("pcapng byte orders", () => {
  it("big-endian section with options, then a little-endian section", async () => {
    const be = false;
    const le = true;
    const bytes = cat(
      shb(be, cat(opt(be, 1, "be section"), opt(be, 4, "hand"), endOpt(be))),
      idb(be, 1, 96, cat(opt(be, 2, "eth0"), opt(be, 9, Uint8Array.of(9)), opt(be, 14, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 10)), endOpt(be))),
      epb(be, { hi: 0x17bb4de1, lo: 0xc1cf8a15, data: frame(96), wireLen: 314, opts: cat(opt(be, 1, "hello"), opt(be, 2, Uint8Array.of(0, 0, 0, 1)), endOpt(be)) }),
      spb(be, frame(96), 314),
      shb(le, opt(le, 1, "le section")),
      idb(le, 113, 0),
      idb(le, 1, 0, opt(le, 9, Uint8Array.of(0x80 | 20))),
      epb(le, { ifId: 1, hi: 0, lo: 3 << 20, data: frame(10) }),
      epb(le, { ifId: 0, hi: 0x5000, lo: 0x1234, data: frame(12) }),
    );
    const path = file("mixed.pcapng", bytes);
    const { reader, records, error } = await readAll(path);
    expect(error).toBeNull();
    expect(reader.sections.map((s) => [s.byteOrder, s.comments])).toEqual([["be", ["be section"]], ["le", ["le section"]]]);
    expect(reader.sectionComments).toEqual(["be section", "le section"]);
    expect(reader.section.userAppl).toBe("hand");
    expect(reader.interfaces.map((i) => [i.linkType, i.name, i.section, i.idInSection, i.tsOffset])).toEqual([
      [1, "eth0", 0, 0, 10], [113, undefined, 1, 0, undefined], [1, undefined, 1, 1, undefined],
    ]);
    const ticks = (0x17bb4de1n << 32n) | 0xc1cf8a15n;
    expect(records.map((r) => [r.ifIndex, r.linkType, r.tsSec, r.tsNsec, r.data.length, r.wireLen, r.comment, r.packetFlags, r.noTimestamp])).toEqual([
      [0, 1, Number(ticks / 1_000_000_000n) + 10, Number(ticks % 1_000_000_000n), 96, 314, "hello", 1, false],
      [0, 1, 0, 0, 96, 314, undefined, undefined, true],
      [2, 1, 3, 0, 10, 10, undefined, undefined, false],
      [1, 113, 87960930, 226740000, 12, 12, undefined, undefined, false],
    ]);
    if (HAVE_TSHARK) expect(ourRows(reader, records)).toEqual((await tsharkRows(path)).rows);
  });

  it.skipIf(skipReason(HAVE_TSHARK, "tshark is not installed: big-endian output not checked with tshark"))("our big-endian output reads back and tshark agrees", async () => {
    const out = join(dir, "ours-be.pcapng");
    const w = createWriter(out, { format: "pcapng", interfaces: [{ linkType: 1, snapLen: 0, name: "eth9" }], nanosecond: true, bigEndian: true, comment: "be" });
    w.writePacket({ data: frame(64), wireLen: 64, tsSec: 1700000000, tsNsec: 123456789, linkType: 1, ifIndex: 0, comment: "c1" });
    await w.close();
    const { reader, records } = await readAll(out);
    expect(reader.section.byteOrder).toBe("be");
    expect(records[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 123456789, comment: "c1" });
    const t = await tsharkRows(out, ["frame.time_epoch", "frame.comment", "frame.interface_name"]);
    expect(t.rows).toEqual([["1700000000.123456789", "c1", "eth9"]]);
    const outPcap = join(dir, "ours-be.pcap");
    const w2 = createWriter(outPcap, { format: "pcap", interfaces: [{ linkType: 1, snapLen: 0 }], nanosecond: true, bigEndian: true });
    w2.writePacket(records[0]!);
    await w2.close();
    expect((await readAll(outPcap)).reader.section.byteOrder).toBe("be");
    expect((await tsharkRows(outPcap, ["frame.time_epoch"])).rows).toEqual([["1700000000.123456789"]]);
  });
});
