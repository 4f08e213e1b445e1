// `arpx capture` and `arpx interfaces` as a user runs them, without privileges: option checks, the
// messages for a missing libpcap, and the whole pipeline (stream, -c, SIGINT, -w with its closing
// ISB, the final report) against a stand-in backend that plays a recorded stream the way the
// arpx-pcap helper does. Real interfaces: test/capture/live.test.ts.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWriter } from "../../src/capture/write.js";
import { readAll } from "../capture/util.js";
import { ARPX, runArpx } from "../helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "arpx-capture-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [ARPX, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("arpx capture: options", () => {
  const bad: [string[], RegExp][] = [
    [["capture"], /^arpx: no interface given/],
    [["capture", "x0", "-b", "filesize:10"], /^arpx: -b needs -w FILE/],
    [["capture", "x0", "-w", "a.pcapng", "-b", "files:3"], /^arpx: ring buffer requested \(-b\), but no filesize:KB or duration:SECONDS/],
    [["capture", "x0", "-w", "-", "-b", "duration:1"], /^arpx: -b cannot write to standard output/],
    [["capture", "x0", "-w", "a", "-b", "size:3"], /^arpx: -b: unknown ring-buffer option "size:3"/],
    [["capture", "x0", "-a", "filesize:10"], /^arpx: -a: unknown stop condition "filesize:10" \(duration:SECONDS or packets:N\)/],
    [["capture", "x0", "-a", "duration:0"], /^arpx: -a duration: expected a number of seconds above 0, not "0"/],
    [["capture", "x0", "-c", "-3"], /^arpx: -c: expected a whole number above 0, not "-3"/],
    [["capture", "x0", "-s", "300000"], /^arpx: -s: expected a snapshot length from 0 to 262144 bytes/],
    [["capture", "x0", "-T", "pdml"], /^arpx: invalid -T format "pdml"/],
    [["capture", "x0", "-F", "erf"], /^arpx: invalid -F format "erf"/],
    [["capture", "x0", "--backend", "pcapy"], /^arpx: --backend: expected auto, arpx-pcap or dumpcap/],
    [["capture", "x0", "-T", "fields"], /^arpx: -T fields needs at least one -e FIELD/],
  ];
  for (const [args, re] of bad) {
    it(`rejects ${args.slice(1).join(" ") || "(no interface)"} with one line and status 2`, () => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }

  it("shows a bad display filter with a caret, status 2, before touching any interface", () => {
    const r = run(["capture", "x0", "-Y", "ip.src ==="]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("^");
  });
});

describe("arpx capture: libpcap missing", () => {
  it("without a compiler or dumpcap, says what to install", () => {
    const r = run(["capture", "x0"], { PATH: "/nonexistent", CC: "", ARPX_CACHE_DIR: mkdtempSync(join(tmp, "cache-")), ARPX_PCAP_HELPER: "" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^arpx: libpcap is not usable: no C compiler .*; install libpcap's development files and a C compiler .*\(apt-get install libpcap-dev gcc\), or Wireshark's dumpcap \(apt-get install tshark\)$/);
  });

  it("without libpcap's headers, names libpcap-dev", () => {
    const cc = join(tmp, "fake-cc");
    writeFileSync(cc, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo fake-cc 1.0; exit 0; fi\necho 'x.c:1:10: fatal error: pcap/pcap.h: No such file or directory' >&2\nexit 1\n");
    chmodSync(cc, 0o755);
    const r = run(["capture", "x0"], { PATH: "/nonexistent", CC: cc, ARPX_CACHE_DIR: mkdtempSync(join(tmp, "cache-")), ARPX_PCAP_HELPER: "" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^arpx: libpcap is not usable: libpcap's development files are missing \(pcap\.h \/ libpcap\.so\): apt-get install libpcap-dev; /);
    const d = run(["capture", "x0", "--backend", "dumpcap"], { PATH: "/nonexistent" });
    expect(d.stderr.trim()).toBe("arpx: dumpcap is not installed: apt-get install tshark (it provides dumpcap), or use --backend arpx-pcap");
  });
});

// ---- a stand-in for the arpx-pcap helper ----------------------------------------------------------

/** Packets the stand-in plays: 100 frames of known bytes, nanosecond timestamps. */
function recordedStream(): string {
  const path = join(tmp, "played.pcapng");
  const w = createWriter(path, { format: "pcapng", interfaces: [{ linkType: 1, snapLen: 262144, name: "fake0", tsResol: { base: 10, exp: 9 } }], nanosecond: true });
  for (let i = 0; i < 100; i++) {
    const data = new Uint8Array(60 + i);
    data.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, i, 0x88, 0xb5]);
    w.writePacket({ data, wireLen: data.length, tsSec: 1700000000, tsNsec: i * 1000 + 1, linkType: 1, ifIndex: 0 });
  }
  void w.close();
  return path;
}

/** The final ISB the stand-in writes when stopped: 103 received, 3 dropped by the kernel, 0 by the interface. */
function finalIsbHex(): string {
  const opts: Buffer[] = [];
  const u64 = (code: number, v: number) => {
    const b = Buffer.alloc(12);
    b.writeUInt16LE(code, 0);
    b.writeUInt16LE(8, 2);
    b.writeBigUInt64LE(BigInt(v), 4);
    opts.push(b);
  };
  u64(4, 103);
  u64(5, 0);
  u64(7, 3);
  u64(8, 100);
  const end = Buffer.alloc(4);
  const body = Buffer.concat([...opts, end]);
  const len = 20 + body.length + 4;
  const h = Buffer.alloc(20);
  h.writeUInt32LE(5, 0);
  h.writeUInt32LE(len, 4);
  h.writeUInt32LE(0, 8);
  const t = Buffer.alloc(4);
  t.writeUInt32LE(len, 0);
  return Buffer.concat([h, body, t]).toString("hex");
}

function standIn(): string {
  const path = join(tmp, "fake-arpx-pcap");
  writeFileSync(path, `#!${process.execPath}
const fs = require("fs");
const a = process.argv.slice(2);
if (process.env.FAKE_FAIL) { process.stderr.write(process.env.FAKE_FAIL + "\\n"); process.exit(Number(process.env.FAKE_CODE)); }
const o = a.indexOf("-o");
const fd = o >= 0 ? fs.openSync(a[o + 1], "w") : 1;
// The handlers come first: arpx may stop the capture as soon as it has read enough packets,
// and a SIGTERM before them would end this stand-in without its final statistics block.
const stop = () => { fs.writeSync(fd, Buffer.from(process.env.FAKE_ISB, "hex")); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
fs.writeSync(fd, fs.readFileSync(process.env.FAKE_STREAM));
setInterval(() => {}, 1000);
`);
  chmodSync(path, 0o755);
  return path;
}

const FAKE_ENV = () => ({ ARPX_PCAP_HELPER: standIn(), FAKE_STREAM: recordedStream(), FAKE_ISB: finalIsbHex() });

describe("arpx capture: the pipeline, against a stand-in backend", () => {
  it("prints packets as arpx read does, stops after -c, and reports received/dropped/captured/written", async () => {
    const out = join(tmp, "c.pcapng");
    const r = run(["capture", "fake0", "-c", "40", "-T", "fields", "-e", "frame.number", "-e", "frame.len", "-w", out], FAKE_ENV());
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(40);
    expect(lines[39]).toBe("40\t99");
    expect(r.stderr).toContain("Capturing on 'fake0' (arpx-pcap, nanosecond timestamps)");
    expect(r.stderr).toContain("arpx: capture on fake0 stopped (40 packets)");
    expect(r.stderr).toContain("arpx: received 103, dropped 3 by the kernel/buffer, dropped 0 by the interface, captured 40, written 40 to " + out);
    expect(r.stderr).toContain("arpx: warning: 3 packets were dropped before arpx saw them");
    const { records, reader } = await readAll(out);
    expect(records).toHaveLength(40);
    expect(records[7]!.tsNsec).toBe(7001);
    const st = reader.stats.interfaceStats.get(0)!;
    expect([st.ifRecv, st.osDrop, st.ifDrop].map(Number)).toEqual([103, 3, 0]);
    expect(st.comments).toEqual(["arpx capture: 40 packets written to this file"]);
  });

  it("SIGINT: flushes and closes the file, prints the report, exits 0", async () => {
    const out = join(tmp, "int.pcap");
    const p = spawn(process.execPath, [ARPX, "capture", "fake0", "-q", "-w", out], { env: { ...process.env, ...FAKE_ENV() } });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (err.includes("Capturing on")) {
          clearInterval(t);
          setTimeout(res, 300);
        }
      }, 20);
    });
    p.kill("SIGINT");
    const code = await new Promise<number>((res) => p.on("close", (c) => res(c ?? -1)));
    expect(code).toBe(0);
    expect(err).toContain("stopped (interrupted)");
    expect(err).toContain("captured 100, written 100 to " + out);
    const { records, error } = await readAll(out);
    expect(error).toBeNull();
    expect(records).toHaveLength(100);
  });

  it("-Y selects what is printed and saved; -V prints the detail tree", () => {
    const r = run(["capture", "fake0", "-c", "10", "-Y", "frame.len >= 65", "-V"], FAKE_ENV());
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^Frame \d+:/gm)).toHaveLength(5);
    expect(r.stderr).toContain("captured 10, 5 matched -Y");
  });

  it("passes the backend's one-line errors on, with status 2", () => {
    const perm = run(["capture", "fake0"], { ...FAKE_ENV(), FAKE_FAIL: "arpx-pcap: permission: socket: Operation not permitted", FAKE_CODE: "10" });
    expect(perm.status).toBe(2);
    expect(perm.stderr.trim()).toMatch(/^arpx: no permission to capture on fake0: capturing needs CAP_NET_RAW and CAP_NET_ADMIN \(run as root, or grant them: setcap cap_net_raw,cap_net_admin\+eip .* and set ARPX_PCAP_HELPER to it\) \(libpcap: socket: Operation not permitted\)$/);
    const filt = run(["capture", "fake0", "-f", "tcp port"], { ...FAKE_ENV(), FAKE_FAIL: "arpx-pcap: filter: can't parse filter expression: syntax error", FAKE_CODE: "12" });
    expect(filt.stderr.trim()).toBe('arpx: bad capture filter "tcp port": libpcap: can\'t parse filter expression: syntax error');
    const nodev = run(["capture", "nosuch9"], { ...FAKE_ENV(), FAKE_FAIL: "arpx-pcap: nodevice: No such device exists", FAKE_CODE: "11" });
    expect(nodev.stderr.trim()).toMatch(/^arpx: no such interface "nosuch9" \(interfaces here: .*lo.*; see arpx interfaces\)$/);
  });
});

describe("arpx interfaces", () => {
  it("lists the interfaces, numbered, loopback included", () => {
    const r = runArpx(["interfaces"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\. lo \(.*loopback/m);
    const j = JSON.parse(runArpx(["interfaces", "--json"]).stdout);
    expect(j.entries.some((e: { name: string }) => e.name === "lo")).toBe(true);
    expect(["cap", "arpx-pcap", "sysfs"]).toContain(j.source);
  });
});
