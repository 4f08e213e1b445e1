// `arpx read -Y FILTER` selects the same frames as `tshark -Y FILTER` on the public captures.
//
// Starting tshark costs about half a second, so rather than one run per filter and capture, the
// captures are concatenated once (mergecap -a) into one pcapng and every filter is run once per
// tool on it. Captures the two tools do not read to the same number of records (damaged files)
// are left out of the merge: reading them is the capture tests' business, not the filter's.
// All runs happen up front, a few at a time, so the wall time is about one minute.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCapture } from "../../../src/capture/open.js";
import { existsSync } from "node:fs";
import { ARPX, HAVE_TSHARK, ROOT, sharedCaptureFiles, skipReason } from "../../helpers.js";

const FILTERS = [
  "eth",
  "ip",
  "ipv6",
  "arp",
  "tcp",
  "udp",
  "!ip && !ipv6",
  "eth.dst == ff:ff:ff:ff:ff:ff",
  "eth.addr[0] & 1",
  "eth.type == 0x86dd",
  "eth.type in {IPv4, ARP}",
  "ip.addr == 192.168.0.0/16",
  "ip.src == 10.0.0.0/8 or ip.dst == 10.0.0.0/8",
  "ip.dst in {224.0.0.0 .. 239.255.255.255}",
  "ip.ttl < 64",
  "ip.proto == UDP",
  "ip.flags.df == 1",
  "ip.len > 1000",
  "ip.src != ip.dst",
  "count(ip.addr) > 2",
  "ipv6.addr == fe80::/10",
  "ipv6.dst == ff02::1 || ipv6.dst == ff02::2",
  "tcp.port in {80, 443, 8080}",
  "tcp.flags.syn == 1 and tcp.flags.ack == 0",
  "tcp.flags & 0x12 == 0x12",
  "tcp.srcport < tcp.dstport",
  "udp.port == 53 || udp.port == 5353",
  "udp.dstport >= udp.srcport + 1",
  "icmp.type == 8 or icmpv6.type == 128",
  "arp.opcode == reply",
  "frame.len > 100 && frame.len <= 200",
  "not frame.len in {60, 42}",
  "frame[12:2] == 08:00",
  'frame contains "HTTP"',
  'frame matches "user-agent"',
  "frame.cap_len < frame.len",
  "frame.number % 7 == 0",
];

const HAVE_MERGECAP = spawnSync("sh", ["-c", "command -v mergecap && command -v capinfos"], { stdio: "ignore" }).status === 0;
const HAVE_CLI = existsSync(join(ROOT, "dist/cli/main.js"));
const skip =
  skipReason(HAVE_TSHARK, "tshark not installed: display filter agreement not checked") ||
  skipReason(HAVE_MERGECAP, "mergecap/capinfos not installed: display filter agreement not checked") ||
  skipReason(sharedCaptureFiles().length > 0, "no public captures in ../shared/captures/public: display filter agreement not checked") ||
  skipReason(HAVE_CLI, `arpx is not built (${ARPX} needs dist/): display filter agreement not checked`);

let dir = "";
let merged = "";
/** Where each source capture starts in the merged file: [first frame number, name]. */
const starts: [number, string][] = [];

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, NO_COLOR: "1", TZ: "UTC" } });
    let stdout = "", stderr = "";
    p.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    p.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    p.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr: stderr.replace(/^Running as user "root".*\n/m, "") }));
  });
}

const tshark = (args: string[]) => run("tshark", ["-n", "-r", merged, ...args]);
const arpx = (args: string[]) => run(process.execPath, [ARPX, "read", "-r", merged, ...args]);

/** Runs the jobs `width` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

/** Records in a capture as arpx's reader sees them, or -1 if it cannot read it all. */
async function arpxCount(path: string): Promise<number> {
  try {
    const r = await openCapture(path);
    let n = 0;
    try {
      for (;;) {
        if (r.next()) n++;
        else if (!(await r.fill())) break;
      }
    } finally {
      await r.close();
    }
    return n;
  } catch {
    return -1;
  }
}

function tsharkCount(path: string): number {
  const r = spawnSync("capinfos", ["-c", "-M", "-T", path], { encoding: "utf8" });
  if (r.status !== 0) return -1;
  const line = r.stdout.trim().split("\n")[1];
  return line ? Number(line.split("\t")[1]) : -1;
}

function frames(stdout: string): number[] {
  return stdout.split("\n").filter(Boolean).map(Number);
}

/** "zeek-ipv4-fragmented-4.pcap#3" for merged frame 408. */
function origin(n: number): string {
  let at: [number, string] = [1, "?"];
  for (const s of starts) if (s[0] <= n) at = s;
  return `${at[1]}#${n - at[0] + 1}`;
}

const results = new Map<string, { t: Run; a: Run }>();
let counts: { t: Run; a: Run } | null = null;

/** Frames where tshark and arpx legitimately decode different protocols, with the reason. */
const KNOWN: Record<string, string> = {
  "zeek-ipv4-fragmented-4.pcap#5": "tshark reassembles the IP fragments and finds TCP; arpx does not reassemble",
};
const BAD = ["ip.src == 10.0.0.300", "tcp.port == 70000", "foo.bar", "eth.src == 08:00:27", "frame.len ==", "tcp.port in {80 443}"];

describe.skipIf(skip)("display filters agree with tshark on the public captures", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "arpx-dfilter-"));
    const use: string[] = [];
    const left: string[] = [];
    let next = 1;
    for (const f of sharedCaptureFiles()) {
      const t = tsharkCount(f);
      const a = await arpxCount(f);
      if (t > 0 && t === a) {
        use.push(f);
        starts.push([next, basename(f)]);
        next += t;
      } else left.push(`${basename(f)} (tshark ${t}, arpx ${a})`);
    }
    if (left.length) console.warn(`display filter agreement: captures left out of the merge: ${left.join(", ")}`);
    merged = join(dir, "merged.pcapng");
    const m = spawnSync("mergecap", ["-a", "-F", "pcapng", "-w", merged, ...use], { encoding: "utf8" });
    if (m.status !== 0) throw new Error(`mergecap failed: ${m.stderr}`);
    const fields = ["-T", "fields", "-e", "frame.number"];
    const jobs: (() => Promise<void>)[] = [
      async () => { counts = { t: await tshark(fields), a: await arpx(fields) }; },
      ...[...FILTERS, ...BAD].map((f) => async () => {
        const [t, a] = await Promise.all([tshark(["-Y", f, ...fields]), arpx(["-Y", f, ...fields])]);
        results.set(f, { t, a });
      }),
    ];
    await pool(jobs, 2);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the merged capture to the same frame count", () => {
    expect(frames(counts!.a.stdout).length).toBe(frames(counts!.t.stdout).length);
  });

  for (const filter of FILTERS) {
    it(filter, () => {
      const { t, a } = results.get(filter)!;
      expect(t.status, t.stderr).toBe(0);
      expect(a.status, a.stderr).toBe(0);
      const want = frames(t.stdout), got = new Set(frames(a.stdout)), wanted = new Set(want);
      const onlyTshark = want.filter((x) => !got.has(x)).map(origin).filter((o) => !(o in KNOWN));
      const onlyArpx = [...got].filter((x) => !wanted.has(x)).map(origin).filter((o) => !(o in KNOWN));
      expect({ onlyTshark, onlyArpx }, `${filter}: tshark ${want.length} frames, arpx ${got.size}`).toEqual({ onlyTshark: [], onlyArpx: [] });
    });
  }

  it("rejects the same bad filters", () => {
    for (const bad of BAD) {
      const { t, a } = results.get(bad)!;
      expect(t.status, bad).not.toBe(0);
      expect(a.status, bad).toBe(2);
      expect(a.stderr, bad).toMatch(/^arpx: display filter error: /);
      expect(a.stdout, bad).toBe("");
    }
  });
});
