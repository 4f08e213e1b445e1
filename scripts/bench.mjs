#!/usr/bin/env node
// npm run bench: builds a ~1,000,000-packet pcap from the project's recorded traffic and, in one
// run, times arpx beside tshark and tcpdump on the same file, printing packets/s, peak memory
// and ratios. Options: --packets N (default 1000000), --dir DIR (default $TMPDIR/arpx-bench),
// --runs N (default 3: each command runs N times and the median is shown; this VM's timings
// vary by 20-30% from one run to the next).
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const packets = Number(opt("--packets", "1000000"));
const runs = Math.max(1, Number(opt("--runs", "3")));
const dir = opt("--dir", join(tmpdir(), "arpx-bench"));
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${packets}.pcap`);
const arpx = join(root, "bin/arpx");

async function buildFile() {
  if (existsSync(file)) return;
  const { openCapture } = await import(join(root, "dist/capture/open.js"));
  const { createWriter } = await import(join(root, "dist/capture/write.js"));
  const src = await openCapture(join(root, "captures/lan-basics.pcapng"));
  const frames = [];
  for (;;) {
    let r;
    while ((r = src.next()) !== null) frames.push({ ...r, data: r.data.slice() });
    if (!(await src.fill())) break;
  }
  await src.close();
  const w = createWriter(file, { format: "pcap", interfaces: [{ linkType: 1, snapLen: 262144 }] });
  let sec = 1700000000, usec = 0;
  for (let i = 0; i < packets; i++) {
    const f = frames[i % frames.length];
    usec += 7;
    if (usec >= 1e6) { sec++; usec -= 1e6; }
    w.writePacket({ ...f, tsSec: sec, tsNsec: usec * 1000, ifIndex: 0, comment: undefined });
  }
  await w.close();
}

function have(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

function timeOnce(label, cmd, cmdArgs, env) {
  const devnull = openSync("/dev/null", "w");
  const r = spawnSync("/usr/bin/time", ["-f", "__TIME__ %e %M", cmd, ...cmdArgs], { stdio: ["ignore", devnull, "pipe"], encoding: "utf8", maxBuffer: 1 << 26, env });
  closeSync(devnull);
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  if (!m || r.status !== 0) {
    console.log(`${label}: failed (status ${r.status}): ${(r.stderr ?? "").slice(-400)}`);
    return null;
  }
  return { secs: Number(m[1]), rssMB: Number(m[2]) / 1024 };
}

/** Median time and largest peak RSS of `runs` runs. */
function timeIt(label, cmd, cmdArgs, env = process.env) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const r = timeOnce(label, cmd, cmdArgs, env);
    if (!r) return null;
    all.push(r);
  }
  const secs = all.map((r) => r.secs).sort((a, b) => a - b)[(all.length - 1) >> 1];
  return { label, secs, pps: packets / secs, rssMB: Math.max(...all.map((r) => r.rssMB)), spread: all.map((r) => r.secs.toFixed(2)).join(" ") };
}

await buildFile();
console.log(`file: ${file} (${packets.toLocaleString()} packets, ${(statSync(file).size / 1e6).toFixed(1)} MB)`);
const fieldArgs = ["-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e", "ip.dst", "-e", "tcp.srcport", "-e", "udp.dstport"];
const rows = [];
const run = (label, cmd, a, env) => { const r = timeIt(label, cmd, a, env); if (r) rows.push(r); return r; };
const aSum = run("arpx read -n (summary)", process.execPath, [arpx, "read", "-n", "-r", file]);
const tSum = have("tshark") ? run("tshark -n -r (summary)", "tshark", ["-n", "-r", file]) : null;
const dSum = have("tcpdump") ? run("tcpdump -nn -r", "tcpdump", ["-nn", "-r", file]) : null;
// Without TZ in the environment, glibc's localtime() stats /etc/localtime once per packet, which
// is most of tcpdump's time here; with TZ set it runs about twice as fast. Both are shown.
const dSumTz = have("tcpdump") && !process.env.TZ ? run("tcpdump -nn -r (TZ=UTC)", "tcpdump", ["-nn", "-r", file], { ...process.env, TZ: "UTC" }) : null;
const aFld = run("arpx read -n -T fields", process.execPath, [arpx, "read", "-n", "-r", file, ...fieldArgs]);
const tFld = have("tshark") ? run("tshark -T fields", "tshark", ["-n", "-r", file, ...fieldArgs]) : null;
const aFil = run("arpx read -n -Y tcp.flags.syn==1", process.execPath, [arpx, "read", "-n", "-r", file, "-Y", "tcp.flags.syn == 1"]);
const tFil = have("tshark") ? run("tshark -Y tcp.flags.syn==1", "tshark", ["-n", "-r", file, "-Y", "tcp.flags.syn == 1"]) : null;
if (existsSync(join(root, "dist/cli/commands/replay.js"))) run("arpx replay (model, no printing)", process.execPath, [arpx, "replay", file, "--quiet"]);

console.log("");
console.log(`(median of ${runs} runs each; all runs in the last column)`);
console.log("tool".padEnd(36) + "seconds".padStart(9) + "packets/s".padStart(14) + "peak MB".padStart(9) + "   runs");
for (const r of rows) console.log(r.label.padEnd(36) + r.secs.toFixed(2).padStart(9) + Math.round(r.pps).toLocaleString().padStart(14) + r.rssMB.toFixed(0).padStart(9) + "   " + r.spread);
console.log("");
const ratio = (a, b, what) => { if (a && b) console.log(`${what}: ${(b.secs / a.secs).toFixed(2)}x`); };
ratio(aSum, tSum, "summary speed, arpx vs tshark (target >= 10x)");
ratio(aSum, dSum, "summary speed, arpx vs tcpdump (target >= 2x)");
ratio(aSum, dSumTz, "summary speed, arpx vs tcpdump with TZ=UTC");
ratio(aFld, tFld, "-T fields speed, arpx vs tshark");
ratio(aFil, tFil, "display filter speed, arpx vs tshark");

// Live capture: the highest zero-drop rate of `arpx capture` beside tcpdump's, in test namespaces.
if (!args.includes("--no-live")) {
  console.log("\nlive capture (scripts/bench-live.mjs; --no-live to skip):");
  spawnSync(process.execPath, [join(root, "scripts/bench-live.mjs")], { stdio: "inherit" });
}
