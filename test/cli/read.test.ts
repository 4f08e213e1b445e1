// `arpx read` as a user runs it: the built CLI on real captures.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, OWN_CAPTURES, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../helpers.js";
import { comparableTree } from "../dissect/protocols/tshark-compare.js";

const LAN = join(OWN_CAPTURES, "lan-basics.pcapng");
const tmp = mkdtempSync(join(tmpdir(), "arpx-read-"));

describe("arpx read", () => {
  it("prints one tshark-style summary line per packet", () => {
    const r = runArpx(["read", "-r", LAN]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(47);
    expect(lines[4]).toBe("    5 1.445644409 02:00:00:00:0a:01 → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1");
    expect(runArpx(["read", "-n", "-r", LAN]).stdout.split("\n")[4]).toBe("    5 1.445644409 02:00:00:00:0a:01 → ff:ff:ff:ff:ff:ff ARP 42 Who has 10.77.0.2? Tell 10.77.0.1");
    expect(lines[6]).toMatch(/^    7 1\.445666402    10\.77\.0\.1 → 10\.77\.0\.2    ICMP 98 Echo \(ping\) request/);
  });

  it("matches tshark's summary columns (number, time, source, destination, protocol, length)", { skip: !HAVE_TSHARK }, () => {
    const mine = runArpx(["read", "-r", LAN]).stdout.trimEnd().split("\n");
    const theirs = runTshark(["-r", LAN]).stdout.trimEnd().split("\n");
    // arpx does not decode HTTP: tshark names those frames HTTP where arpx says TCP.
    const cols = (l: string) => l.trim().split(/\s+/).slice(0, 6).join(" ").replace(/ HTTP$/, " TCP");
    expect(mine.map(cols)).toEqual(theirs.map(cols));
  });

  it("leaves the time column empty for packets without a time (pcapng Simple Packet Blocks), as tshark", { skip: skipReason(HAVE_TSHARK && HAVE_SHARED, "tshark or ../shared absent: SPB time column not compared") }, () => {
    const spb = join(SHARED_CAPTURES, "pcapngtg-le-basic-test010.pcapng");
    for (const t of ["r", "a", "e", "d"]) {
      const mine = runArpx(["read", "-t", t, "-r", spb]).stdout;
      expect(mine).toContain("    1                 0.0.0.0 \u2192 255.255.255.255 DHCP 314 DHCP Discover");
      expect(mine).toBe(runTshark(["-n", "-t", t, "-r", spb]).stdout);
    }
  });

  it("stops after -c packets and filters with -Y", () => {
    expect(runArpx(["read", "-r", LAN, "-c", "3"]).stdout.trimEnd().split("\n")).toHaveLength(3);
    const r = runArpx(["read", "-r", LAN, "-Y", "arp.opcode == 2", "-T", "fields", "-e", "frame.number"]);
    expect(r.stdout.trim().split("\n")).toEqual(["6", "44"]);
  });

  it("prints -T fields with -E options", () => {
    const r = runArpx(["read", "-r", LAN, "-c", "8", "-Y", "icmp", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-E", "separator=,", "-E", "header=y", "-E", "quote=d"]);
    // As tshark: the header names are not quoted.
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["ip.src,ip.dst", '"10.77.0.1","10.77.0.2"']);
  });

  it.skipIf(!HAVE_TSHARK)("prints the same detail tree as tshark -V on the recorded captures", () => {
    for (const file of [LAN, join(OWN_CAPTURES, "ip-fragments.pcapng")]) {
      const ax = comparableTree(runArpx(["read", "-n", "-r", file, "-V"]).stdout);
      expect(ax.length).toBeGreaterThan(1000);
      expect(ax).toEqual(comparableTree(runTshark(["-n", "-r", file, "-V"]).stdout));
    }
  });

  it.skipIf(!HAVE_TSHARK)("prints a protocol as its item's label (-e ip), as tshark does", () => {
    const protos = ["eth", "ip", "ipv6", "ipv6.hopopts", "tcp", "udp", "dns", "arp", "icmp", "icmpv6", "http", "frame", "data"];
    for (const file of [LAN, join(OWN_CAPTURES, "ip-fragments.pcapng")]) {
      const args = ["-n", "-r", file, "-T", "fields", ...protos.flatMap((p) => ["-e", p])];
      const ax = runArpx(["read", ...args]).stdout;
      expect(ax).toMatch(/Internet Protocol Version 4, Src: 10\.7[78]\.0\.1, Dst: 10\.7[78]\.0\.2/);
      expect(ax).toBe(runTshark(args).stdout);
    }
  });

  it.skipIf(!HAVE_TSHARK)("prints the summary columns as -e _ws.col.TITLE, as tshark does", () => {
    const cols = ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info", "info"].flatMap((c) => ["-e", `_ws.col.${c}`]);
    for (const t of ["r", "e", "dd", "ud"]) {
      const args = ["-n", "-r", LAN, "-t", t, "-T", "fields", "-E", "header=y", "-E", "quote=d", ...cols, "-e", "frame.len"];
      const ax = runArpx(["read", ...args]).stdout;
      expect(ax.split("\n")).toHaveLength(49);
      expect(ax).toBe(runTshark(args).stdout);
    }
  });

  it("prints a detail tree with -V and a hex dump with -x", () => {
    const v = runArpx(["read", "-r", LAN, "-c", "5", "-Y", "frame.number == 5", "-V", "-x"]);
    expect(v.stdout).toContain("Ethernet II, Src: 02:00:00:00:0a:01 (02:00:00:00:0a:01), Dst: Broadcast (ff:ff:ff:ff:ff:ff)");
    expect(v.stdout).toContain("Address Resolution Protocol (request)");
    expect(v.stdout).toContain("0000  ff ff ff ff ff ff 02 00 00 00 0a 01 08 06 00 01   ................");
    expect(v.stdout).toContain("0020  00 00 00 00 00 00 0a 4d 00 02                     .......M..");
  });

  it("prints valid JSON with tshark's layer layout", () => {
    const r = runArpx(["read", "-r", LAN, "-T", "json", "-c", "7"]);
    const doc = JSON.parse(r.stdout);
    expect(doc).toHaveLength(7);
    expect(doc[6]._source.layers.ip["ip.src"]).toBe("10.77.0.1");
    expect(doc[6]._source.layers.frame["frame.protocols"]).toBe("eth:ethertype:ip:icmp:data");
  });

  it("reads standard input and gzip-compressed files", () => {
    const bytes = readFileSync(LAN);
    const fromStdin = runArpx(["read", "-r", "-"], bytes);
    const gz = join(tmp, "lan.pcapng.gz");
    writeFileSync(gz, gzipSync(bytes));
    const fromGz = runArpx(["read", "-r", gz]);
    const plain = runArpx(["read", "-r", LAN]);
    expect(fromStdin.stdout).toBe(plain.stdout);
    expect(fromGz.stdout).toBe(plain.stdout);
  });

  it("saves what passes the filter with -w, readable by arpx and tshark", () => {
    for (const ext of ["pcap", "pcapng"]) {
      const out = join(tmp, `dns.${ext}`);
      expect(runArpx(["read", "-r", LAN, "-Y", "dns", "-w", out, "-q"]).status).toBe(0);
      const back = runArpx(["read", "-r", out, "-T", "fields", "-e", "frame.time_epoch", "-e", "dns.qry.name"]);
      const orig = runArpx(["read", "-r", LAN, "-Y", "dns", "-T", "fields", "-e", "frame.time_epoch", "-e", "dns.qry.name"]);
      expect(back.stdout).toBe(orig.stdout);
      if (HAVE_TSHARK) expect(runTshark(["-r", out, "-T", "fields", "-e", "frame.time_epoch", "-e", "dns.qry.name"]).stdout).toBe(orig.stdout);
    }
  });

  it("prints the packets before damage, then one line naming file and offset, exit 2", () => {
    const bytes = readFileSync(LAN);
    const cut = join(tmp, "cut.pcapng");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = runArpx(["read", "-r", cut]);
    expect(r.status).toBe(2);
    expect(r.stdout.trimEnd().split("\n").length).toBeGreaterThan(10);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^arpx: .*cut\.pcapng: .*offset \d+/);
  });

  it("rejects a bad display filter with a caret under the bad token, exit 2", () => {
    const r = runArpx(["read", "-r", LAN, "-Y", "ip.src == 10.0.0.300"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    const caretLine = lines.find((l) => l.includes("^"))!;
    const filterLine = lines[lines.indexOf(caretLine) - 1]!;
    expect(filterLine.slice(caretLine.indexOf("^"))).toMatch(/^10\.0\.0\.300/);
  });

  it("names unknown fields and missing files in one line, exit 2", () => {
    const a = runArpx(["read", "-r", LAN, "-T", "fields", "-e", "no.such.field"]);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("no.such.field");
    const b = runArpx(["read", "-r", join(tmp, "absent.pcap")]);
    expect(b.status).toBe(2);
    expect(b.stderr.trim().split("\n")).toHaveLength(1);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});
