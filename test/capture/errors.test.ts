// Broken files: every good record before the damage is delivered, then a CaptureFileError naming
// the file and the byte offset. The libpcap-* files are the public broken samples; the rest are
// built here byte by byte.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { openCapture } from "../../src/capture/open.js";
import { CaptureFileError } from "../../src/capture/types.js";
import { HAVE_SHARED, SHARED_CAPTURES } from "../helpers.js";
import { block, cat, endOpt, epb, frame, idb, opt, pcapHeader, pcapRecord, shb, spb } from "./build.js";
import { readAll, readExpectingError } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-err-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const LE = true;
const good = (seed: number) => epb(LE, { hi: 0x5000, lo: 0x1234 + seed, data: frame(60, seed) });
const head = cat(shb(LE), idb(LE));

describe.skipIf(!HAVE_SHARED)("public broken samples (libpcap tests)", () => {
  const pub = (n: string) => join(SHARED_CAPTURES, n);

  it("IDB shorter than its minimum: refused like tshark, no packets", async () => {
    const { records, error } = await readExpectingError(pub("libpcap-pcapng-block-len-too-small.pcapng"));
    expect(records).toHaveLength(0);
    expect(error.message).toBe(`${pub("libpcap-pcapng-block-len-too-small.pcapng")}: Interface Description Block length 4 is less than the minimum of 20 bytes (at byte offset 28)`);
    expect(error.offset).toBe(28);
  });

  it("SHB shorter than its minimum", async () => {
    const { records, error } = await readExpectingError(pub("libpcap-pcapng-shb-len-too-small.pcapng"));
    expect(records).toHaveLength(0);
    expect(error.detail).toBe("Section Header Block length 20 is less than the minimum of 28 bytes");
    expect(error.offset).toBe(0);
  });

  it("SHB version 0.1: unsupported, like tshark", async () => {
    const { error } = await readExpectingError(pub("libpcap-pcapng-invalid-vers-1.pcapng"));
    expect(error.detail).toBe("unsupported pcapng version 0.1 in Section Header Block");
    expect(error.offset).toBe(12);
  });

  it("truncated SHB (tshark falls back to reading it as MIME; arpx says what is wrong)", async () => {
    const { error } = await readExpectingError(pub("libpcap-pcapng-truncated-shb.pcapng"));
    expect(error.detail).toBe("truncated Section Header Block: 16 of 28 bytes");
    expect(error.offset).toBe(0);
  });

  it("oddities tshark accepts are accepted: bad tsoffset length ignored, duplicate tsresol, 2^-72 resolution", async () => {
    const a = await readAll(pub("libpcap-pcapng-idb-tsoffset-badlen.pcapng"));
    expect(a.error).toBeNull();
    expect(a.records).toHaveLength(0);
    expect(a.reader.interfaces).toHaveLength(1);
    expect(a.reader.interfaces[0]!.tsOffset).toBeUndefined();
    const b = await readAll(pub("libpcap-pcapng-idb-tsresol-dup.pcapng"));
    expect(b.error).toBeNull();
    expect(b.reader.interfaces[0]!.tsResol).toEqual({ base: 10, exp: 6 });
    const c = await readAll(pub("libpcap-pcapng-idb-tsresol-bin-high.pcapng"));
    expect(c.error).toBeNull();
    expect(c.reader.interfaces[0]!.tsResol).toEqual({ base: 2, exp: 72 });
  });

  it("pcap version 2.5 is read, as tshark does", async () => {
    const { records, error } = await readAll(pub("libpcap-pcap-invalid-version-2.pcap"));
    expect(error).toBeNull();
    expect(records).toHaveLength(1);
    expect(records[0]!.data.length).toBe(490);
  });
});

describe("pcapng damage after good records", () => {
  const cases: [string, Uint8Array, number, string, number][] = [
    // name, bytes, records before, detail, offset
    ["trailing length differs", cat(head, good(0), block(LE, 6, epb(LE, { data: frame(60) }).subarray(8, -4), { trail: 999 }), good(2)),
      1, "Enhanced Packet Block: trailing length 999 does not match the leading length 92", 28 + 20 + 92 + 88],
    ["length not a multiple of 4", cat(head, good(0), block(LE, 6, new Uint8Array(78))),
      1, "Enhanced Packet Block length 90 is not a multiple of 4", 140],
    ["caplen larger than the block", cat(head, good(0), epb(LE, { data: frame(60), capLen: 100 }), good(2)),
      1, "Enhanced Packet Block of 92 bytes is too small for 100 bytes of packet data", 140 + 20],
    ["unknown interface id", cat(head, good(0), good(1), epb(LE, { ifId: 3, data: frame(60) })),
      2, "Enhanced Packet Block refers to interface 3, but its section has 1 interface(s)", 140 + 92 + 8],
    ["option runs past its block", cat(head, good(0), epb(LE, { data: frame(60), opts: cat(opt(LE, 1, "abcd").subarray(0, 2), new Uint8Array([200, 0]), new Uint8Array(4)) })),
      1, "option 1 of 200 bytes runs past the end of its block (4 bytes left)", 140 + 28 + 60],
    ["Simple Packet Block before any IDB", cat(shb(LE), spb(LE, frame(60)), idb(LE), good(0)),
      0, "Simple Packet Block before any Interface Description Block in its section", 28],
    ["block length beyond 256 MiB", cat(head, good(0), block(LE, 6, new Uint8Array(20), { len: 0x7ffffff0 })),
      1, "Enhanced Packet Block length 2147483632 is larger than the 256 MiB limit", 140],
    ["truncated Enhanced Packet Block", cat(head, good(0), good(1).subarray(0, 50)),
      1, "truncated Enhanced Packet Block: 50 of 92 bytes", 140],
    ["truncated block header", cat(head, good(0), good(1).subarray(0, 6)),
      1, "truncated block header: 6 of 8 bytes", 140],
    ["second section with a bad byte-order magic", cat(head, good(0), shb(LE).map((b, i) => (i === 8 ? 0x55 : b))),
      1, "Section Header Block has a bad byte-order magic 0x1a2b3c55", 140 + 8],
    ["second section of version 2.0", cat(head, good(0), shb(LE, undefined, [2, 0])),
      1, "unsupported pcapng version 2.0 in Section Header Block", 140 + 12],
  ];
  it.each(cases)("%s", async (name, bytes, before, detail, offset) => {
    const path = file(`${name.replace(/\W+/g, "-")}.pcapng`, bytes);
    const { records, error } = await readExpectingError(path);
    expect(records).toHaveLength(before);
    records.forEach((r, i) => expect(Array.from(r.data)).toEqual(Array.from(frame(60, i))));
    expect(error).toBeInstanceOf(CaptureFileError);
    expect(error.detail).toBe(detail);
    expect(error.offset).toBe(offset);
    expect(error.message).toBe(`${path}: ${detail} (at byte offset ${offset})`);
  });
});

describe("pcap damage", () => {
  const hdr = pcapHeader(LE);
  const rec = (i: number) => pcapRecord(LE, 1000 + i, 5, frame(60, i));
  const cases: [string, Uint8Array, number, string, number][] = [
    ["caplen far beyond any snaplen", cat(hdr, rec(0), rec(1), pcapRecord(LE, 1, 1, frame(10), 10, 0x10000000)),
      2, "packet record claims 268435456 captured bytes, more than the maximum of 262144 for this file", 24 + 2 * 76],
    ["truncated record", cat(hdr, rec(0), rec(1).subarray(0, 40)), 1, "truncated packet record: 40 of 76 bytes", 24 + 76],
    ["truncated record header", cat(hdr, rec(0), rec(1).subarray(0, 10)), 1, "truncated packet record header: 10 of 16 bytes", 24 + 76],
    ["truncated file header", hdr.subarray(0, 20), 0, "truncated pcap file header: 20 of 24 bytes", 0],
    ["version 1.0", cat(pcapHeader(LE, { version: [1, 0] }), rec(0)), 0, "unsupported pcap version 1.0", 4],
  ];
  it.each(cases)("%s", async (name, bytes, before, detail, offset) => {
    const path = file(`${name.replace(/\W+/g, "-")}.pcap`, bytes);
    const { records, error } = await readExpectingError(path);
    expect(records).toHaveLength(before);
    expect(error.detail).toBe(detail);
    expect(error.offset).toBe(offset);
  });
});

describe("not capture files", () => {
  it("text file: names the magic", async () => {
    const { error } = await readExpectingError(file("notes.txt", new TextEncoder().encode("hello world\n")));
    expect(error.detail).toBe("not a pcap or pcapng file (magic 0x68656c6c)");
  });
  it("empty file", async () => {
    const path = file("empty.pcap", new Uint8Array(0));
    const { error } = await readExpectingError(path);
    expect(error.message).toBe(`${path}: the file is empty (0 bytes): not a pcap or pcapng file`);
  });
  it("three bytes", async () => {
    const { error } = await readExpectingError(file("tiny.pcap", new Uint8Array([0xd4, 0xc3, 0xb2])));
    expect(error.detail).toBe("not a pcap or pcapng file (magic 0xd4c3b2)");
  });
  it("modified pcap: refused clearly", async () => {
    const b = pcapHeader(LE);
    new DataView(b.buffer).setUint32(0, 0xa1b2cd34, true);
    const { error } = await readExpectingError(file("modified.pcap", b));
    expect(error.detail).toMatch(/^modified \(Kuznetzov.*\) pcap format is not supported/);
  });
  it("zstd: says which compression", async () => {
    const { error } = await readExpectingError(file("x.pcap.zst", new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])));
    expect(error.detail).toBe("zstd-compressed file: only gzip is read directly; decompress it first");
  });
  it("missing file", async () => {
    await expect(openCapture(join(dir, "nope.pcap"))).rejects.toThrow(new CaptureFileError(join(dir, "nope.pcap"), -1, "no such file"));
  });
  it("a directory", async () => {
    const { error } = await readExpectingError(dir);
    expect(error.detail).toMatch(/^read error: EISDIR/);
  });
  it("displayName names the file in messages", async () => {
    const path = file("named.pcap", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    await expect(openCapture(path, { displayName: "captures/x.pcap" })).rejects.toThrow("captures/x.pcap: not a pcap or pcapng file (magic 0x01020304) (at byte offset 0)");
  });
});

describe("damaged gzip", () => {
  it("delivers the records before the cut, then a gzip error", async () => {
    const recs = Array.from({ length: 2000 }, (_, i) => pcapRecord(LE, 1000 + i, 0, frame(200, i)));
    const gz = gzipSync(cat(pcapHeader(LE), ...recs));
    const { records, error } = await readExpectingError(file("cut.pcap.gz", gz.subarray(0, Math.floor(gz.length * 0.7))));
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(2000);
    records.forEach((r, i) => expect(r.tsSec).toBe(1000 + i));
    expect(error.detail).toMatch(/^gzip data is damaged \(unexpected end of file\)/);
  });
  it("garbage after a gzip magic", async () => {
    const { error } = await readExpectingError(file("bad.gz", new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
    expect(error.detail).toMatch(/^gzip data is damaged/);
  });
});

it("an error is sticky: next() and fill() keep throwing it", async () => {
  const path = file("sticky.pcapng", cat(head, good(0), block(LE, 6, new Uint8Array(78))));
  const r = await openCapture(path);
  expect(r.next()).not.toBeNull();
  let first: unknown;
  try {
    r.next();
  } catch (e) {
    first = e;
  }
  expect(first).toBeInstanceOf(CaptureFileError);
  expect(() => r.next()).toThrow(first as Error);
  await expect(r.fill()).rejects.toBe(first);
  await r.close();
});
