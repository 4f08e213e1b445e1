// `-z` statistics (`arpx stats`, `arpx read -z`) against tshark's own -z output on every capture.
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCapture } from "../../src/capture/open.js";
import { Engine } from "../../src/dissect/engine.js";
import { CONV_TYPES, ConversationTable, type ConvType } from "../../src/dissect/stats/conversations.js";
import { ProtocolHierarchy } from "../../src/dissect/stats/phs.js";
import { TreeMode } from "../../src/dissect/tree.js";
import { setMacResolution } from "../../src/dissect/mac-names.js";
import { Out } from "../../src/cli/out.js";
import { BOXED_MAX, printTable } from "../../src/cli/stats-report.js";
import { HAVE_SHARED, HAVE_TSHARK, OWN_CAPTURES, ownCaptureFiles, runArpx, runTshark, sharedCaptureFiles, skipReason } from "../helpers.js";

const LAN = join(OWN_CAPTURES, "lan-basics.pcapng");
const base = (f: string) => f.split("/").pop()!;

/**
 * Captures whose protocol hierarchy differs from tshark's, and why. Everything else must match
 * path for path, frames and bytes.
 */
const PHS_EXCEPTIONS: Record<string, string> = {
  // Protocols arpx does not decode (arpx shows "data" where tshark names the protocol).
  "tcpdump-tfo-5c1fa7f9ae91.pcap": "a SYN payload tshark holds back for reassembly by a heuristic dissector (arpx shows data)",
  // The extended ARP is arpx's own protocol: tshark without the generated plugin calls it ARP,
  // and the xarp-slow-app traffic goes to a port tshark gives to AFS (RX).
  "xarp-control-mix.pcapng": "XARP",
  "xarp-gateway-resolve.pcapng": "XARP",
  "xarp-legacy-gateway.pcapng": "XARP",
  "xarp-mac-probe.pcapng": "XARP",
  "xarp-slow-app.pcapng": "XARP, and RX/AFS on UDP 7000-7009",
  "xarp-traffic.pcapng": "XARP",
  // tshark 4.0 shows pcapng custom blocks and a damaged section header as packets of its own.
  "pcapngtg-be-basic-test017.pcapng": "custom blocks shown as PCAPNG packets by tshark",
  "pcapngtg-le-basic-test017.pcapng": "custom blocks shown as PCAPNG packets by tshark",
  "libpcap-pcapng-truncated-shb.pcapng": "tshark dissects the damaged file itself (mime_dlt)",
  // Damaged frames where tshark stops one protocol earlier or later.
  "tcpdump-icmp-icmp_print-oobr-1.pcap": "malformed frames: tshark marks them before ICMP/VRRP",
  "tcpdump-ipv6_missing_jumbo_payload_option.pcap": "malformed jumbogram: tshark nests _ws.short under _ws.malformed",
  "zeek-ipv6-hbh-routing0.pcap": "tshark gives up before the DNS item",
  "zeek-trunc-ip-discarder-truncated-tcp-oob.pcapng": "tshark marks the cut before the TCP item",
};

/** Conversation tables that differ, and why. */
const CONV_EXCEPTIONS: Record<string, string> = {
};

type Rows = Map<string, string>;

const CONV_TITLES: Record<string, ConvType> = {
  "Ethernet Conversations": "eth", "IPv4 Conversations": "ip", "IPv6 Conversations": "ipv6", "TCP Conversations": "tcp", "UDP Conversations": "udp",
};
const tsharkRuns = new Map<string, { phs: Rows; convs: Map<ConvType, string[]> }>();

/** tshark's `-z io,phs` (path -> "frames bytes") and `-z conv,ip|tcp|udp` (conversation keys), from one run. */
function tsharkStats(file: string): { phs: Rows; convs: Map<ConvType, string[]> } {
  let r = tsharkRuns.get(file);
  if (r) return r;
  r = { phs: new Map(), convs: new Map(CONV_TYPES.map((t) => [t, []])) };
  const stack: string[] = [];
  let conv: ConvType | undefined;
  const args = ["-n", "-r", file, "-q", "-z", "io,phs", ...CONV_TYPES.flatMap((t) => ["-z", `conv,${t}`])];
  for (const l of runTshark(args).stdout.split("\n")) {
    if (l.startsWith("Protocol Hierarchy")) conv = undefined;
    if (CONV_TITLES[l] !== undefined) conv = CONV_TITLES[l];
    const p = /^(\s*)(\S+)\s+frames:(\d+) bytes:(\d+)$/.exec(l);
    if (p && conv === undefined) {
      stack.length = p[1]!.length / 2;
      stack.push(p[2]!);
      r.phs.set(stack.join("/"), `${p[3]} ${p[4]}`);
    }
    // "A <-> B  frames← bytes←  frames→ bytes→ ..." (← is B to A)
    const c = /^(\S+)\s+<->\s+(\S+)\s+(\d+) \S+ \S+\s+(\d+) /.exec(l);
    if (c && conv !== undefined) r.convs.get(conv)!.push(convKey(c[1]!, c[2]!, Number(c[4]), Number(c[3])));
  }
  tsharkRuns.set(file, r);
  return r;
}

function convKey(a: string, b: string, ab: number, ba: number): string {
  return a < b ? `${a} ${b} ${ab} ${ba}` : `${b} ${a} ${ba} ${ab}`;
}

async function ours(file: string, types: ConvType[]): Promise<{ phs: Rows; convs: Map<ConvType, Set<string>> }> {
  const engine = new Engine({ mode: TreeMode.SUMMARY, columns: false });
  const phs = new ProtocolHierarchy();
  const tables = types.map((t) => new ConversationTable(t));
  let reader;
  try {
    reader = await openCapture(file);
    for (;;) {
      let r;
      while ((r = reader.next()) !== null) {
        const p = engine.dissect(r);
        phs.add(p);
        for (const c of tables) c.add(p);
      }
      if (!(await reader.fill())) break;
    }
  } catch {
    // a damaged file: tshark also counts the packets before the damage
  }
  await reader?.close();
  const rows: Rows = new Map();
  const stack: string[] = [];
  for (const r of phs.rows()) {
    stack.length = r.depth;
    stack.push(r.name);
    rows.set(stack.join("/"), `${r.frames} ${r.bytes}`);
  }
  const convs = new Map<ConvType, Set<string>>();
  tables.forEach((t, i) => convs.set(types[i]!, new Set(t.conversations().map((c) => convKey(c.a, c.b, c.framesAB, c.framesBA)))));
  return { phs: rows, convs };
}

const files = [...ownCaptureFiles(), ...sharedCaptureFiles()];
const noTshark = skipReason(HAVE_TSHARK, "tshark is not installed: -z statistics not compared with tshark");
if (!HAVE_SHARED) skipReason(false, "../shared/captures/public is absent: -z statistics compared on the project's own captures only");

describe("-z statistics agree with tshark", { skip: noTshark }, () => {
  it("io,phs: the same protocol hierarchy, frames and bytes, on every capture", { timeout: 300_000 }, async () => {
    const diffs: string[] = [];
    const stale: string[] = [];
    let compared = 0;
    for (const f of files) {
      const mine = (await ours(f, [])).phs;
      const theirs = tsharkStats(f).phs;
      const same = JSON.stringify([...mine].sort()) === JSON.stringify([...theirs].sort());
      // An exception that no longer differs is dropped from the list, so the list stays true.
      if (PHS_EXCEPTIONS[base(f)]) {
        if (same) stale.push(base(f));
        continue;
      }
      compared++;
      if (!same) diffs.push(`${base(f)}: arpx ${JSON.stringify([...mine])} tshark ${JSON.stringify([...theirs])}`);
    }
    expect(diffs).toEqual([]);
    expect(stale, "exceptions that now agree with tshark").toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(Math.min(files.length, 9));
  });

  it("conv,eth|ip|tcp|udp: the same conversations and frame counts each way", { timeout: 300_000 }, async () => {
    // Not conv,ipv6: tshark's IPv6 tap takes the final destination of a routing header and skips
    // packets whose extension headers are malformed; arpx counts the header's own addresses.
    // (6 of the corpus's captures differ.)
    const types: ConvType[] = ["eth", "ip", "tcp", "udp"];
    const diffs: string[] = [];
    for (const f of files) {
      const mine = (await ours(f, types)).convs;
      for (const t of types) {
        if (CONV_EXCEPTIONS[`${base(f)} conv,${t}`]) continue;
        const theirs = [...tsharkStats(f).convs.get(t)!].sort();
        const got = [...mine.get(t)!].sort();
        if (JSON.stringify(got) !== JSON.stringify(theirs)) diffs.push(`${base(f)} conv,${t}: arpx ${JSON.stringify(got)} tshark ${JSON.stringify(theirs)}`);
      }
    }
    expect(diffs).toEqual([]);
  });

  it("conv,eth with MAC names resolved (tshark's default): the same named conversations", { timeout: 300_000 }, async () => {
    setMacResolution(true);
    try {
      const diffs: string[] = [];
      let named = 0;
      for (const f of files) {
        const theirs: string[] = [];
        for (const l of runTshark(["-r", f, "-q", "-z", "conv,eth"]).stdout.split("\n")) {
          const c = /^(\S+)\s+<->\s+(\S+)\s+(\d+) \S+ \S+\s+(\d+) /.exec(l);
          if (c) theirs.push(convKey(c[1]!, c[2]!, Number(c[4]), Number(c[3])));
        }
        const got = [...(await ours(f, ["eth"])).convs.get("eth")!].sort();
        named += got.filter((k) => !/^\S*:\S*:\S*:\S*:\S*:\S* /.test(k)).length;
        if (JSON.stringify(got) !== JSON.stringify(theirs.sort())) diffs.push(`${base(f)}: arpx ${JSON.stringify(got)} tshark ${JSON.stringify(theirs)}`);
      }
      expect(diffs).toEqual([]);
      expect(named).toBeGreaterThan(0);
    } finally {
      setMacResolution(false);
    }
  });
});

describe("arpx read -z", () => {
  it("prints the packets, then the same tables as arpx stats (counting every packet, as tshark does)", () => {
    const specs = ["-z", "io,phs", "-z", "conv,tcp", "-z", "endpoints,ip", "-z", "io,stat,1"];
    const stats = runArpx(["stats", LAN, ...specs]);
    expect(stats.status).toBe(0);
    const quiet = runArpx(["read", "-r", LAN, "-q", ...specs]);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe(stats.stdout);
    expect(quiet.stdout).toContain("│ eth ");
    expect(quiet.stdout).toContain("10.77.0.1:56446");

    const shown = runArpx(["read", "-r", LAN, "-Y", "arp", ...specs]);
    const lines = shown.stdout.split("\n");
    expect(lines.slice(0, 4).every((l) => / ARP 42 /.test(l))).toBe(true);
    expect(lines[4]).toBe("");
    expect(lines.slice(5).join("\n")).toBe(stats.stdout);
  });

  it("rejects an unknown statistic with a one-line error", () => {
    const r = runArpx(["read", "-r", LAN, "-z", "bogus"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain('unknown statistic "bogus"');
  });
});

describe("stats tables", () => {
  it("draws small tables with cli-table3 and long ones as plain columns, row by row", () => {
    const dir = mkdtempSync(join(tmpdir(), "arpx-stats-"));
    const print = (count: number) => {
      const path = join(dir, `t${count}.txt`);
      const fd = openSync(path, "w");
      const out = new Out(fd);
      printTable(out, "Title", ["Address", "Frames"], count, (i) => [`10.0.${i >> 8 & 255}.${i & 255}`, String(i * 1000)]);
      out.flush();
      closeSync(fd);
      return readFileSync(path, "utf8").split("\n");
    };
    const small = print(2);
    expect(small[0]).toBe("Title");
    expect(small[1]).toMatch(/^┌/);
    expect(small.join("\n")).toContain("│ 10.0.0.1 │ 1000   │");
    // cli-table3 overflows the stack near 100,000 rows; a capture can have millions of conversations.
    const big = print(200_000);
    expect(big).toHaveLength(200_000 + 4);
    // Columns as wide as their widest cell ("10.0.255.255", "199999000"), two spaces apart.
    expect(big[1]).toBe("Address       Frames");
    expect(big[2]).toBe("------------  ---------");
    expect(big[3]).toBe("10.0.0.0      0");
    expect(big[200_002]).toBe("10.0.13.63    199999000");
    expect(BOXED_MAX).toBeLessThan(200_000);
  });
});
