// Read-ahead (reader.ts): a regular file's next chunk is read while the current one is parsed, and
// a record cut by a chunk's end is joined to its rest in front of the new bytes. Everything a
// reader hands out (records, bytes, offsets, errors) must be what the plain path gives: the same
// file read as a stream (gzip-compressed, which is never read ahead).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCapture, openReader } from "../../src/capture/open.js";
import { CaptureFileError, type CaptureReader } from "../../src/capture/types.js";
import { createWriter } from "../../src/capture/write.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-ahead-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Record sizes: mostly small, some across a chunk, a few larger than the room kept for a tail (256 KiB). */
function sizes(n: number, seed: number): number[] {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => (i % 97 === 13 ? 200_000 + Math.floor(rnd() * 400_000) : i % 11 === 5 ? Math.floor(rnd() * 70_000) : Math.floor(rnd() * 1600)));
}

function payload(len: number, i: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let k = 0; k < len; k += 97) b[k] = (i * 31 + k) & 0xff;
  if (len > 0) b[len - 1] = i & 0xff;
  return b;
}

interface Seen {
  lens: number[];
  sums: number[];
  offsets: number[];
  times: string[];
  error: string | null;
}

function sum(d: Uint8Array, at: number, len: number): number {
  let h = len;
  for (let k = 0; k < len; k += 97) h = (Math.imul(h, 31) + d[at + k]!) | 0;
  return len > 0 ? (Math.imul(h, 31) + d[at + len - 1]!) | 0 : h;
}

/** Reads everything with next() (raw = false) or in place with nextRaw() (raw = true). */
async function drain(path: string, raw: boolean, name = "cap"): Promise<Seen> {
  const seen: Seen = { lens: [], sums: [], offsets: [], times: [], error: null };
  let reader: CaptureReader;
  try {
    reader = raw ? await openReader(path, { displayName: name }) : await openCapture(path, { displayName: name });
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    seen.error = e.message;
    return seen;
  }
  try {
    for (;;) {
      if (raw) {
        const rr = reader as Awaited<ReturnType<typeof openReader>>;
        let r;
        while ((r = rr.nextRaw()) !== null) {
          seen.lens.push(rr.rawLen);
          seen.sums.push(sum(rr.bytes, rr.rawAt, rr.rawLen));
          seen.offsets.push(rr.offset);
          seen.times.push(`${r.tsSec}.${r.tsNsec}/${r.wireLen}`);
        }
      } else {
        let r;
        while ((r = reader.next()) !== null) {
          seen.lens.push(r.data.length);
          seen.sums.push(sum(r.data, 0, r.data.length));
          seen.offsets.push(reader.offset);
          seen.times.push(`${r.tsSec}.${r.tsNsec}/${r.wireLen}`);
        }
      }
      if (!(await reader.fill())) break;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    seen.error = e.message;
  } finally {
    await reader.close();
  }
  return seen;
}

const files: Record<"pcap" | "pcapng", { path: string; lens: number[]; bytes: Buffer }> = {} as never;

beforeAll(async () => {
  for (const format of ["pcap", "pcapng"] as const) {
    const path = join(dir, `mixed.${format}`);
    const lens = sizes(2500, format === "pcap" ? 3 : 5);
    const w = createWriter(path, { format, interfaces: [{ linkType: 231, snapLen: 0 }], nanosecond: true });
    lens.forEach((len, i) => w.writePacket({ data: payload(len, i), wireLen: len + (i % 3), tsSec: 1_700_000_000 + i, tsNsec: i * 7, linkType: 231, ifIndex: 0 }));
    await w.close();
    files[format] = { path, lens, bytes: readFileSync(path) };
  }
});

describe("read-ahead hands out what the plain (stream) path hands out", () => {
  for (const format of ["pcap", "pcapng"] as const) {
    it(`${format}: every record, its bytes and the offsets, with next() and nextRaw()`, async () => {
      const f = files[format];
      expect(f.bytes.length).toBeGreaterThan(15 << 20); // many chunks
      const gz = join(dir, `mixed-${format}.gz`);
      writeFileSync(gz, gzipSync(f.bytes));
      const plain = await drain(gz, false);
      const ahead = await drain(f.path, false);
      const inPlace = await drain(f.path, true);
      expect(plain.error).toBeNull();
      expect(plain.lens).toEqual(f.lens);
      expect(plain.sums).toEqual(f.lens.map((len, i) => sum(payload(len, i), 0, len)));
      expect(ahead).toEqual(plain);
      expect(inPlace).toEqual(plain);
    });

    it(`${format}: cut anywhere (inside a header, a small record, a record larger than a chunk, at a chunk's end), the same records and the same error`, async () => {
      const f = files[format];
      const cuts = [30, 100, (1 << 20) - 3, 1 << 20, (1 << 20) + (1 << 18) + 5, (5 << 20) + 12345, f.bytes.length - 9];
      // the middle of the first record larger than 256 KiB
      let off = format === "pcap" ? 24 : 0;
      for (const len of f.lens) {
        if (len > 200_000) {
          cuts.push(off + 300_000);
          break;
        }
        off += format === "pcap" ? 16 + len : 32 + ((len + 3) & ~3);
      }
      for (const at of cuts) {
        const cut = join(dir, `cut-${format}-${at}`);
        writeFileSync(cut, f.bytes.subarray(0, at));
        const gz = join(dir, `cut-${format}-${at}.gz`);
        writeFileSync(gz, gzipSync(f.bytes.subarray(0, at)));
        const plain = await drain(gz, false);
        expect(plain.error, `cut at ${at}`).toMatch(/truncated/);
        expect(await drain(cut, false), `cut at ${at}`).toEqual(plain);
        expect(await drain(cut, true), `cut at ${at}`).toEqual(plain);
      }
    });
  }

  it("closing with a read in flight neither hangs nor leaves a rejection behind", async () => {
    const r = await openCapture(files.pcap.path);
    expect(r.next()).not.toBeNull();
    await r.close();
    expect(r.next === undefined).toBe(false);
    expect(await r.fill()).toBe(false);
  });
});

describe("pipes are not read ahead", () => {
  it("a FIFO reads whole, and closing it early does not wait for the writer", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `exec > '${fifo}'; exec cat '${files.pcap.path}'`], { stdio: "ignore" });
    const exited = new Promise((res) => writer.on("exit", res));
    const seen = await drain(fifo, true);
    expect(seen.error).toBeNull();
    expect(seen.lens).toEqual(files.pcap.lens);
    await exited;

    // a writer that stalls after its first bytes: reading some records then closing returns at once
    const stall = spawn("sh", ["-c", `exec > '${fifo}'; head -c 200000 '${files.pcap.path}'; exec sleep 30`], { stdio: "ignore" });
    try {
      const r = await openCapture(fifo);
      expect(r.next()).not.toBeNull();
      const t0 = Date.now();
      await r.close();
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      stall.kill();
    }
  });
});
