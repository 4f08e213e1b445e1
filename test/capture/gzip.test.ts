// gzip-compressed captures read transparently (one member or several), with the same records as
// the uncompressed file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { HAVE_SHARED, SHARED_CAPTURES } from "../helpers.js";
import { readAll } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-gz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samples = ["zeek-tcp-ssh-dups.pcap", "pcapngtg-be-difficult-test201.pcapng", "tcpdump-timestamp_invalid_nano.pcap", "zeek-dhcp-dhcp-unique-xid-join-data-growth.pcapng"];

const strip = (rs: Awaited<ReturnType<typeof readAll>>) => ({
  format: rs.reader.format, interfaces: rs.reader.interfaces, error: rs.error?.detail ?? null,
  records: rs.records.map((r) => ({ ...r, data: Buffer.from(r.data).toString("hex") })),
});

describe.skipIf(!HAVE_SHARED)("gzip", () => {
  it.each(samples)("%s.gz reads like the original", async (name) => {
    const orig = join(SHARED_CAPTURES, name);
    const gz = join(dir, `${basename(name)}.gz`);
    writeFileSync(gz, gzipSync(readFileSync(orig)));
    const a = await readAll(orig);
    const b = await readAll(gz);
    expect(a.records.length).toBeGreaterThan(0);
    expect(strip(b)).toEqual(strip(a));
  });

  it("several gzip members read as one stream", async () => {
    const bytes = readFileSync(join(SHARED_CAPTURES, "zeek-tcp-ssh-dups.pcap"));
    const cut = 5000;
    const gz = join(dir, "multi.pcap.gz");
    writeFileSync(gz, Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]));
    expect(strip(await readAll(gz))).toEqual(strip(await readAll(join(SHARED_CAPTURES, "zeek-tcp-ssh-dups.pcap"))));
  });
});
