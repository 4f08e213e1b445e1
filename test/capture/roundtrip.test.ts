// Round trip: every capture that reads cleanly is written as pcap and pcapng and read back with
// the same bytes, lengths, times, link types, interfaces and comments. tshark then reads what we
// wrote (all captures merged into one file per format, to keep the number of tshark runs small,
// plus a few files one by one against tshark's reading of the original).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWriter } from "../../src/capture/write.js";
import { fitsSPB } from "../../src/capture/pcapng.js";
import { CaptureWriteError, type CaptureRecord, type InterfaceInfo } from "../../src/capture/types.js";
import { HAVE_SHARED, HAVE_TSHARK, ownCaptureFiles, SHARED_CAPTURES, sharedCaptureFiles, skipReason } from "../helpers.js";
import { readAll, totalNs, tsharkRows, type ReadResult } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-rt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = [...sharedCaptureFiles(), ...ownCaptureFiles()];
const sources = new Map<string, ReadResult>();

beforeAll(async () => {
  for (const f of files) {
    try {
      const r = await readAll(f);
      if (r.error === null) sources.set(f, r);
    } catch {
      // files that fail to open are errors.test.ts's business
    }
  }
});

const needsNs = (recs: CaptureRecord[]) => recs.some((r) => r.tsNsec % 1000 !== 0);
const fitsPcap = (recs: CaptureRecord[]) =>
  new Set(recs.map((r) => r.linkType)).size <= 1 && recs.every((r) => { const s = Number(totalNs(r) / 1_000_000_000n); return s >= 0 && s < 2 ** 32; });

async function write(path: string, format: "pcap" | "pcapng", src: ReadResult, nanosecond: boolean): Promise<void> {
  const w = createWriter(path, { format, interfaces: src.reader.interfaces, comment: src.reader.sectionComments[0], nanosecond });
  for (const r of src.records) w.writePacket(r);
  await w.close();
}

/** What a record must look like after a trip through `format` (snapLen0: snaplen of interface 0). */
function expected(r: CaptureRecord, format: "pcap" | "pcapng", ns: boolean, snapLen0 = 0) {
  const spb = format === "pcapng" && fitsSPB(r, snapLen0);
  let t = totalNs(r);
  if (!ns) t -= ((t % 1000n) + 1000n) % 1000n; // microsecond files truncate
  return {
    data: Buffer.from(r.data).toString("hex"), wireLen: r.wireLen, t, linkType: r.linkType,
    ifIndex: format === "pcap" ? 0 : r.ifIndex,
    comments: format === "pcap" || r.comment === undefined ? [] : [r.comment, ...(r.moreComments ?? [])],
    flags: format === "pcap" ? undefined : r.packetFlags, noTs: spb,
  };
}

function shape(r: CaptureRecord) {
  return {
    data: Buffer.from(r.data).toString("hex"), wireLen: r.wireLen, t: totalNs(r), linkType: r.linkType, ifIndex: r.ifIndex,
    comments: r.comment === undefined ? [] : [r.comment, ...(r.moreComments ?? [])], flags: r.packetFlags, noTs: r.noTimestamp === true,
  };
}

const ifaceShape = (i: InterfaceInfo) => ({ linkType: i.linkType, snapLen: i.snapLen, name: i.name, description: i.description, fcsLen: i.fcsLen });

describe.skipIf(files.length === 0)("round trip through our writers", () => {
  it.each(files.map((f) => [basename(f), f]))("%s", async (name, file) => {
    const src = sources.get(file);
    if (src === undefined) return; // broken on purpose
    const ns = needsNs(src.records);
    for (const format of ["pcapng", "pcap"] as const) {
      const out = join(dir, `${name}.rt.${format}`);
      if (format === "pcap" && !fitsPcap(src.records)) {
        await expect(write(out, format, src, ns)).rejects.toBeInstanceOf(CaptureWriteError);
        continue;
      }
      await write(out, format, src, ns);
      const back = await readAll(out);
      expect(back.error).toBeNull();
      expect(back.reader.format).toBe(format);
      expect(back.records.map(shape)).toEqual(src.records.map((r) => expected(r, format, ns, src.reader.interfaces[0]?.snapLen)));
      if (format === "pcapng") {
        expect(back.reader.interfaces.map(ifaceShape)).toEqual(src.reader.interfaces.map(ifaceShape));
        expect(back.reader.sectionComments).toEqual(src.reader.sectionComments.slice(0, 1));
        expect(back.reader.section.userAppl).toMatch(/^arpx /);
      } else if (src.records.length > 0) {
        expect(back.reader.interfaces[0]!.linkType).toBe(src.records[0]!.linkType);
      }
    }
  });
});

// ---- tshark reads what we write ------------------------------------------------------------

/** tshark's frame.time_epoch for an exact time. */
function epoch(t: bigint): string {
  return `${t / 1_000_000_000n}.${String(t % 1_000_000_000n).padStart(9, "0")}`;
}

const skipTshark = skipReason(HAVE_TSHARK, "tshark is not installed: files written by arpx not checked with tshark");

describe.skipIf(skipTshark || files.length === 0)("tshark reads our files", () => {
  for (const ns of [false, true]) {
    it(`every capture merged into one pcapng (${ns ? "ns" : "µs"}), times, lengths, comments, interfaces`, async () => {
      const out = join(dir, `merged-${ns}.pcapng`);
      const interfaces: InterfaceInfo[] = [];
      const want: string[][] = [];
      const recs: CaptureRecord[] = [];
      for (const src of sources.values()) {
        const baseIf = interfaces.length;
        interfaces.push(...src.reader.interfaces);
        for (const r of src.records) {
          recs.push({ ...r, ifIndex: baseIf + r.ifIndex });
          const moved = { ...r, ifIndex: baseIf + r.ifIndex };
          const e = expected(moved, "pcapng", ns, interfaces[0]?.snapLen);
          want.push([e.noTs ? "" : epoch(e.t), String(r.wireLen), String(r.data.length), String(baseIf + r.ifIndex), e.comments.join(",")]);
        }
      }
      const w = createWriter(out, { format: "pcapng", interfaces, comment: "merged by the arpx tests", nanosecond: ns });
      for (const r of recs) w.writePacket(r);
      w.writeInterfaceStats?.(0, { ifRecv: 10, ifDrop: 1, osDrop: 2, startSec: 1, endSec: 2 });
      await w.close();
      const t = await tsharkRows(out, ["frame.time_epoch", "frame.len", "frame.cap_len", "frame.interface_id", "frame.comment"]);
      expect(t.stderr).toBe("");
      expect(t.rows).toEqual(want);
    });
  }

  it("every single-link-type capture as ns pcap files, merged per link type", async () => {
    const byLink = new Map<number, CaptureRecord[]>();
    for (const src of sources.values()) {
      if (!fitsPcap(src.records)) continue;
      for (const r of src.records) {
        const list = byLink.get(r.linkType) ?? [];
        list.push(r);
        byLink.set(r.linkType, list);
      }
    }
    for (const [linkType, recs] of byLink) {
      const out = join(dir, `merged-${linkType}.pcap`);
      const w = createWriter(out, { format: "pcap", interfaces: [{ linkType, snapLen: 262144 }], nanosecond: true });
      for (const r of recs) w.writePacket({ ...r, ifIndex: 0 });
      await w.close();
      const t = await tsharkRows(out, ["frame.time_epoch", "frame.len", "frame.cap_len"]);
      expect(t.stderr).toBe("");
      expect(t.rows).toEqual(recs.map((r) => [epoch(totalNs(r)), String(r.wireLen), String(r.data.length)]));
    }
  });

  const direct = ["tcpdump-time_2107.pcapng", "tcpdump-time_2038.pcap", "pcapngtg-be-difficult-test201.pcapng", "pcapngtg-le-basic-test004.pcapng",
    "zeek-dhcp-dhcp-unique-xid-join-data-growth.pcapng", "tcpdump-isup.pcap"];
  it.skipIf(!HAVE_SHARED).each(direct)("%s: tshark prints the same for the original and our copies", async (name) => {
    const file = join(SHARED_CAPTURES, name);
    const src = sources.get(file)!;
    const fields = ["frame.time_epoch", "frame.len", "frame.cap_len"];
    const orig = await tsharkRows(file, fields);
    for (const format of ["pcapng", "pcap"] as const) {
      if (format === "pcap" && !fitsPcap(src.records)) continue;
      const out = join(dir, `${name}.direct.${format}`);
      await write(out, format, src, needsNs(src.records));
      const ours = await tsharkRows(out, fields);
      expect(ours.stderr).toBe("");
      // a record without time that cannot stay an SPB (not on interface 0) gets time 0
      const want = orig.rows.map((row, i) => (row[0] === "" && (format === "pcap" || !fitsSPB(src.records[i]!, src.reader.interfaces[0]!.snapLen)) ? ["0.000000000", ...row.slice(1)] : row));
      expect(ours.rows).toEqual(want);
    }
  });
});
