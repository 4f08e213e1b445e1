// `arpx capture` on real interfaces: a veth pair between two network namespaces created here (and
// deleted in afterAll, whatever happened). Known frames (IPv4/UDP of every length and extended
// ARP) are sent from one namespace and captured in the other; the saved files are read back by
// arpx and by tshark.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAll } from "./util.js";
import { ARPX, HAVE_TSHARK, runArpx, runTshark } from "../helpers.js";
import { helperBinary } from "../../src/capture/live/helper.js";
import { HAVE_DUMPCAP, netnsUnavailable, sendFrames, sleep, SRC_MAC, SRC_MAC_TEXT, startCapture, testFrames, VethPair, WORK } from "./live-netns.js";
import { build } from "../../src/dissect/build.js";
import { ethLayer } from "../../src/dissect/protocols/eth.js";
import { xarpLayer, XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import type { CaptureRecord } from "../../src/capture/types.js";

const why = netnsUnavailable();
if (why !== null) console.warn(`SKIPPED live-capture tests: ${why}`);
if (why === null && !HAVE_DUMPCAP) console.warn("SKIPPED live-capture dumpcap backend test: dumpcap is not installed (apt-get install tshark)");
if (why === null && !HAVE_TSHARK) console.warn("SKIPPED tshark read-back of live captures: tshark is not installed");

const pair = new VethPair("a");
const HAVE_SCRIPT = spawnSync("sh", ["-c", "command -v script"], { stdio: "ignore" }).status === 0;
if (why === null && !HAVE_SCRIPT) console.warn("SKIPPED live dashboard test: util-linux script (a terminal for --dashboard) is not installed");
const FILTER = `ether src ${SRC_MAC_TEXT}`;

function sameBytes(got: CaptureRecord[], want: Uint8Array[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Buffer.compare(Buffer.from(got[i]!.data), Buffer.from(want[i]!)) !== 0) {
      throw new Error(`frame ${i + 1} differs: got ${got[i]!.data.length} bytes, sent ${want[i]!.length}`);
    }
    expect(got[i]!.wireLen).toBe(want[i]!.length);
  }
}

function monotonic(recs: CaptureRecord[]): void {
  for (let i = 1; i < recs.length; i++) {
    const a = recs[i - 1]!, b = recs[i]!;
    expect(b.tsSec * 1e9 + b.tsNsec).toBeGreaterThanOrEqual(a.tsSec * 1e9 + a.tsNsec);
  }
}

/** Numbers from the final report line. */
function reportOf(stderr: string): { received: number; dropK: number; dropI: number; captured: number; written: number | null } {
  const m = /received (\d+), dropped (\d+) by the kernel\/buffer, dropped (\d+) by the interface, captured (\d+)(?:.*written (\d+))?/.exec(stderr);
  if (m === null) throw new Error(`no final report in: ${stderr}`);
  return { received: Number(m[1]), dropK: Number(m[2]), dropI: Number(m[3]), captured: Number(m[4]), written: m[5] !== undefined ? Number(m[5]) : null };
}

describe.skipIf(why !== null)("arpx capture on a veth pair in test namespaces", () => {
  beforeAll(() => pair.create());
  afterAll(() => {
    pair.destroy();
    rmSync(WORK, { recursive: true, force: true });
  });

  it("captures every frame sent, byte for byte, with monotonic nanosecond timestamps; arpx and tshark read the file", async () => {
    const frames = testFrames(3000);
    const file = join(WORK, "all.pcapng");
    const cap = startCapture(pair, ["-i", pair.ifRx, "-f", FILTER, "-c", String(frames.length), "-q", "-w", file]);
    await cap.ready;
    await sendFrames(pair, frames, 20000);
    expect(await cap.done).toBe(0);
    const rep = reportOf(cap.stderr());
    expect(rep).toMatchObject({ captured: frames.length, written: frames.length, dropK: 0, dropI: 0 });
    const { reader, records, error } = await readAll(file);
    expect(error).toBeNull();
    sameBytes(records, frames);
    monotonic(records);
    expect(reader.interfaces[0]!.tsResol).toEqual({ base: 10, exp: 9 });
    expect(reader.interfaces[0]!.name).toBe(pair.ifRx);
    expect(reader.interfaces[0]!.filter).toBe(FILTER);
    // the drop figures travel with the file
    const isb = reader.stats.interfaceStats.get(0)!;
    expect(Number(isb.ifRecv)).toBeGreaterThanOrEqual(frames.length);
    expect(Number(isb.osDrop)).toBe(0);
    expect(Number(isb.ifDrop)).toBe(0);
    expect(isb.endSec).toBeDefined();
    // arpx reads it back, extended ARP included
    const r = runArpx(["read", "-r", file, "-T", "fields", "-e", "frame.len", "-e", "eth.type"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(frames.length);
    expect(lines[3]).toBe(`${frames[3]!.length}\t0x0806`);
    if (HAVE_TSHARK) {
      const t = runTshark(["-n", "-r", file, "-T", "fields", "-e", "frame.len", "-e", "eth.type"]);
      expect(t.status).toBe(0);
      expect(t.stdout.trimEnd().split("\n")).toEqual(lines);
    }
  });

  it("replays an `arpx gen` extended-ARP scenario onto the wire and captures it unchanged", async () => {
    const gen = join(WORK, "mac-probe.pcapng");
    const g = runArpx(["gen", "mac-probe", "-w", gen]);
    if (g.status !== 0) {
      console.warn(`SKIPPED gen replay: arpx gen failed: ${g.stderr.trim()}`);
      return;
    }
    const sent = (await readAll(gen)).records.map((r) => r.data);
    expect(sent.length).toBeGreaterThan(5);
    const file = join(WORK, "mac-probe-live.pcapng");
    const cap = startCapture(pair, [pair.ifRx, "-c", String(sent.length), "-q", "-w", file]);
    await cap.ready;
    await sendFrames(pair, sent, 1000);
    expect(await cap.done).toBe(0);
    const { records } = await readAll(file);
    sameBytes(records, sent);
    monotonic(records);
    // the extended ARP messages decode as they did in the generated file
    const fields = ["-T", "fields", "-e", "xarp.opcode", "-e", "xarp.src.hw_mac", "-e", "xarp.src.port"];
    expect(runArpx(["read", "-r", file, ...fields]).stdout).toBe(runArpx(["read", "-r", gen, ...fields]).stdout);
  });

  it("prints packets live as arpx read does (-Y, -T fields), and stops by itself after -c", async () => {
    const frames = testFrames(50);
    const cap = startCapture(pair, [pair.ifRx, "-f", FILTER, "-c", "50", "-Y", "eth.type == 0x0806", "-T", "fields", "-e", "frame.number", "-e", "eth.src"]);
    await cap.ready;
    await sendFrames(pair, frames, 2000);
    expect(await cap.done).toBe(0);
    const want = frames.map((f, i) => ({ f, i })).filter(({ f }) => f[12] === 0x08 && f[13] === 0x06).map(({ i }) => `${i + 1}\t${SRC_MAC_TEXT}`);
    expect(cap.stdout().trimEnd().split("\n")).toEqual(want);
    expect(cap.stderr()).toMatch(/stopped \(50 packets\)/);
    expect(reportOf(cap.stderr())).toMatchObject({ captured: 50 });
    expect(cap.stderr()).toContain(`${want.length} matched -Y`);
  });

  it("writes classic pcap for a .pcap name, read back by tshark", { skip: !HAVE_TSHARK }, async () => {
    const frames = testFrames(200);
    const file = join(WORK, "out.pcap");
    const cap = startCapture(pair, [pair.ifRx, "-f", FILTER, "-c", "200", "-q", "-w", file]);
    await cap.ready;
    await sendFrames(pair, frames, 5000);
    expect(await cap.done).toBe(0);
    expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b23c4d); // nanosecond pcap
    const { records } = await readAll(file);
    sameBytes(records, frames);
    const t = runTshark(["-n", "-r", file, "-T", "fields", "-e", "frame.cap_len"]);
    expect(t.stdout.trimEnd().split("\n").map(Number)).toEqual(frames.map((f) => f.length));
  });

  it("-s keeps the first bytes of each frame and the length on the wire", async () => {
    const frames = testFrames(100);
    const file = join(WORK, "snap.pcapng");
    const cap = startCapture(pair, [pair.ifRx, "-f", FILTER, "-c", "100", "-s", "100", "-q", "-w", file]);
    await cap.ready;
    await sendFrames(pair, frames, 5000);
    expect(await cap.done).toBe(0);
    const { records, reader } = await readAll(file);
    expect(reader.interfaces[0]!.snapLen).toBe(100);
    expect(records.map((r) => r.wireLen)).toEqual(frames.map((f) => f.length));
    for (let i = 0; i < frames.length; i++) expect(Buffer.from(records[i]!.data)).toEqual(Buffer.from(frames[i]!.subarray(0, 100)));
  });

  it("rotates ring-buffer files by size and keeps only the newest -b files:N, named as dumpcap names them", async () => {
    const frames = testFrames(2000);
    const dir = join(WORK, "ring");
    const base = join(dir, "ring.pcapng");
    mkdirSync(dir, { recursive: true });
    const cap = startCapture(pair, [pair.ifRx, "-f", FILTER, "-c", "2000", "-q", "-w", base, "-b", "filesize:100", "-b", "files:4"]);
    await cap.ready;
    await sendFrames(pair, frames, 20000);
    expect(await cap.done).toBe(0);
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(4);
    for (const n of names) expect(n).toMatch(/^ring_\d{5}_\d{14}\.pcapng$/);
    const nums = names.map((n) => Number(n.slice(5, 10)));
    expect(nums[0]).toBeGreaterThan(4); // earlier files were removed
    expect(nums).toEqual([nums[0]!, nums[0]! + 1, nums[0]! + 2, nums[0]! + 3]);
    // the kept files hold the newest frames, in order, with nothing missing between them
    const kept: CaptureRecord[] = [];
    for (const n of names) {
      const { records, error, reader } = await readAll(join(dir, n));
      expect(error).toBeNull();
      expect(reader.stats.interfaceStats.get(0)?.comments?.[0]).toMatch(/packets written to this file/);
      kept.push(...records);
      if (n !== names[names.length - 1]) {
        const size = readFileSync(join(dir, n)).length;
        expect(size).toBeGreaterThanOrEqual(100_000);
        expect(size).toBeLessThan(100_000 + 1600 + 300);
      }
      if (HAVE_TSHARK) expect(runTshark(["-n", "-r", join(dir, n), "-c", "1"]).status).toBe(0);
    }
    sameBytes(kept, frames.slice(frames.length - kept.length));
    expect(cap.stderr()).toMatch(/written 2000 to 4 ring-buffer files \(\d+ opened\)/);
  });

  it("switches ring-buffer files by time (-b duration) and stops after -a duration", async () => {
    const dir = join(WORK, "ringtime");
    mkdirSync(dir, { recursive: true });
    const cap = startCapture(pair, [pair.ifRx, "-f", FILTER, "-q", "-w", join(dir, "t.pcap"), "-b", "duration:1", "-a", "duration:2.5"]);
    await cap.ready;
    const t0 = Date.now();
    await sendFrames(pair, testFrames(400), 200);
    expect(await cap.done).toBe(0);
    expect(Date.now() - t0).toBeLessThan(6000);
    const names = readdirSync(dir).sort();
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const n of names) expect(n).toMatch(/^t_\d{5}_\d{14}\.pcap$/);
    let total = 0;
    for (const n of names) total += (await readAll(join(dir, n))).records.length;
    expect(total).toBe(reportOf(cap.stderr()).captured);
    expect(cap.stderr()).toMatch(/stopped \(duration 2\.5 s\)/);
  });

  it("SIGINT mid-capture: a valid file with every frame captured so far, the final report, exit 0", async () => {
    const frames = testFrames(4000);
    const file = join(WORK, "sigint.pcapng");
    const cap = startCapture(pair, [pair.ifRx, "-f", FILTER, "-q", "-w", file]);
    await cap.ready;
    const sending = sendFrames(pair, frames, 4000); // about a second
    await sleep(500);
    cap.proc.kill("SIGINT");
    expect(await cap.done).toBe(0);
    await sending;
    const rep = reportOf(cap.stderr());
    expect(cap.stderr()).toMatch(/stopped \(interrupted\)/);
    const { records, error, reader } = await readAll(file);
    expect(error).toBeNull();
    expect(records.length).toBe(rep.captured);
    expect(records.length).toBeGreaterThan(500);
    expect(records.length).toBeLessThan(frames.length);
    // nothing before the signal is lost: the file is an unbroken prefix of what was sent
    sameBytes(records, frames.slice(0, records.length));
    monotonic(records);
    expect(Number(reader.stats.interfaceStats.get(0)?.ifRecv)).toBe(rep.received);
    if (HAVE_TSHARK) expect(runTshark(["-n", "-r", file, "-T", "fields", "-e", "frame.number"]).stdout.trimEnd().split("\n")).toHaveLength(records.length);
  });

  it("the dumpcap backend captures the same frames", { skip: !HAVE_DUMPCAP }, async () => {
    const frames = testFrames(500);
    const file = join(WORK, "dumpcap.pcapng");
    const cap = startCapture(pair, [pair.ifRx, "--backend", "dumpcap", "-f", FILTER, "-c", "500", "-q", "-w", file]);
    await cap.ready;
    expect(cap.stderr()).toContain("(dumpcap, nanosecond timestamps)");
    await sendFrames(pair, frames, 10000);
    expect(await cap.done).toBe(0);
    const { records, error } = await readAll(file);
    expect(error).toBeNull();
    sameBytes(records, frames);
    monotonic(records);
    expect(reportOf(cap.stderr())).toMatchObject({ captured: 500, written: 500, dropK: 0 });
  });

  it("errors name the problem: no such interface (listing the ones there are), bad BPF filter", async () => {
    const a = startCapture(pair, ["nosuch0"]);
    expect(await a.done).toBe(2);
    expect(a.stderr()).toMatch(new RegExp(`^arpx: no such interface "nosuch0" \\(interfaces here: .*${pair.ifRx}.*\\)`, "m"));
    const b = startCapture(pair, [pair.ifRx, "-f", "tcp port"]);
    expect(await b.done).toBe(2);
    expect(b.stderr().trim()).toBe('arpx: bad capture filter "tcp port": libpcap: can\'t parse filter expression: syntax error');
  });

  it("no permission: names CAP_NET_RAW and CAP_NET_ADMIN", async () => {
    const h = helperBinary();
    if (!("path" in h)) return;
    // an unprivileged user: the helper copied where that user can run it
    const dir = mkdtempSync(join(tmpdir(), "arpx-perm-"));
    chmodSync(dir, 0o755);
    const bin = join(dir, "arpx-pcap");
    copyFileSync(h.path, bin);
    chmodSync(bin, 0o755);
    const r = spawnSync("ip", ["netns", "exec", pair.nsRx, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", process.execPath, ARPX, "capture", pair.ifRx], {
      encoding: "utf8",
      env: { ...process.env, ARPX_PCAP_HELPER: bin, HOME: dir },
    });
    if (r.error || /^setpriv: /m.test(r.stderr ?? "")) {
      console.warn(`SKIPPED permission test: setpriv unavailable (${r.error?.message ?? r.stderr})`);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^arpx: no permission to capture on .*: capturing needs CAP_NET_RAW and CAP_NET_ADMIN .*\(libpcap: .*\)$/);
  });

  it("--dashboard draws the application rings live on a terminal (learned from extended ARP) and prints the ring report at the end", { skip: !HAVE_SCRIPT }, async () => {
    const cfg = join(WORK, "host.yaml");
    writeFileSync(cfg, "defaults:\n  ring: 64\n  rate: 1000\n");
    const app = 0x02a5000a0001;
    const frames: Uint8Array[] = [build([
      ethLayer({ dst: 0xffffffffffff, src: SRC_MAC, type: 0x0806 }),
      xarpLayer({ op: XarpOp.ANNOUNCE, sha: app, spa: { ip: 0x0a630002, port: 7000, proto: 17, flags: 0 }, tha: 0, tpa: { ip: 0x0a630002, port: 0, proto: 0, flags: 0 } }),
    ])];
    for (let i = 0; i < 3000; i++) {
      const f = new Uint8Array(200);
      f.set([0x02, 0xa5, 0x00, 0x0a, 0x00, 0x01, 0x02, 0xa5, 0x00, 0x00, 0x00, 0x01, 0x88, 0xb5]);
      frames.push(f);
    }
    const cmd = `stty cols 130 rows 40; exec ${process.execPath} ${ARPX} capture ${pair.ifRx} --dashboard --config ${cfg} -f '${FILTER}' -a duration:2.5`;
    const p = spawn("ip", ["netns", "exec", pair.nsRx, "script", "-qfec", cmd, "/dev/null"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TERM: "xterm" } });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d));
    await sleep(1000);
    await sendFrames(pair, frames, 20000);
    const code = await new Promise<number>((res) => p.on("close", (c: number | null) => res(c ?? -1)));
    const text = out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    expect(code).toBe(0);
    expect(text).toMatch(new RegExp(`arpx capture on ${pair.ifRx} — capturing — [\\d.]+ s — backend arpx-pcap \\(ns timestamps\\)`));
    // the learned application's ring filled up (high water 64 of 64) and overflowed to the kernel queue
    expect(text).toMatch(/10\.99\.0\.2:7000\/udp\s+02:a5:00:0a:00:01\s+64 \[[#.]{24}\]\s+\d+\s+64\s+3,000\s+[1-9][\d,]*\s+0/);
    expect(text).toMatch(/overflow reasons: [\d,]+ RX ring full \(rx_ring_full\), [\d,]+ buffers held by the application/);
    // and the replay-style report once stopped
    expect(text).toContain(`arpx capture --dashboard on ${pair.ifRx}: dispatch by destination MAC`);
    expect(text).toContain("Conservation holds for every queue");
    expect(text).toMatch(/captured 3001/);
  });
});
