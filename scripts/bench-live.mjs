#!/usr/bin/env node
// Live-capture rate test (called by scripts/bench.mjs; runs alone too): in two network namespaces
// created here (and deleted at the end, whatever happens) joined by a veth pair, one side sends
// bursts of frames at a fixed rate and the other side captures them with `arpx capture -q -w` and
// with `tcpdump -w` at the same time, on the same traffic, with the same kernel buffer. For each
// tool it finds the highest rate at which it captured every frame with zero drops, and prints the
// ratio arpx / tcpdump (goal >= 1). Two frame sizes: 1514 bytes (full-size frames: the captures
// reach their limit before the sender does) and 128 bytes (small frames: on small machines the
// sender usually tops out first, and the report says so). Bounded in time: --budget SECONDS
// (default 110) is shared between the sizes. Files are written to /dev/shm when it exists, so the
// disk does not decide. A rate where a tool loses frames is tried twice and counts as lost only
// if it loses frames both times (same rule for both tools). Needs root, iproute2, tcpdump and a C compiler (for the sender);
// otherwise it says why and exits 0.
// Options: --sizes 1514,128  --burst S (default 1)  --buffer MiB (default 2)  --budget S
//          --backend auto|arpx-pcap|dumpcap  --json
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arpx = join(root, "bin/arpx");
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const burstSec = Number(opt("--burst", "1"));
const sizes = opt("--sizes", opt("--size", "1514,128")).split(",").map(Number);
const bufferMiB = Number(opt("--buffer", "2"));
const budgetSec = Number(opt("--budget", "110"));
const backend = opt("--backend", "auto");
const asJson = args.includes("--json");
const t0 = Date.now();
const say = (s) => {
  if (!asJson) console.log(s);
};

function have(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

function skip(why) {
  if (asJson) console.log(JSON.stringify({ skipped: why }));
  else console.log(`live capture rate: skipped: ${why}`);
  process.exit(0);
}

if (process.getuid?.() !== 0) skip("needs root (network namespaces, raw sockets)");
for (const c of ["ip", "tcpdump", "cc"]) if (!have(c)) skip(`needs ${c}`);

// ---- the sender: sendmmsg() on an AF_PACKET socket, paced in 100 µs steps (sleeping between) ---------
const SENDER_C = String.raw`
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  if (argc < 5) return 2;
  const char *ifname = argv[1];
  long count = atol(argv[2]);
  double pps = atof(argv[3]);
  int size = atoi(argv[4]);
  int s = socket(AF_PACKET, SOCK_RAW, 0);
  if (s < 0) { perror("socket"); return 1; }
  struct sockaddr_ll sll; memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET; sll.sll_ifindex = if_nametoindex(ifname); sll.sll_protocol = htons(ETH_P_ALL);
  if (bind(s, (struct sockaddr *)&sll, sizeof sll) < 0) { perror("bind"); return 1; }
  int sndbuf = 4 << 20; setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  int one = 1; setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one); /* straight to the driver */
  enum { B = 64 };
  static unsigned char frames[B][2048];
  struct mmsghdr msgs[B]; struct iovec iov[B];
  for (int i = 0; i < B; i++) {
    unsigned char *f = frames[i];
    memset(f, 0, size);
    memcpy(f, "\x02\xa5\x00\x00\x00\x02\x02\xa5\x00\x00\x00\x01\x88\xb5", 14); /* local experimental ethertype */
    iov[i].iov_base = f; iov[i].iov_len = size;
    memset(&msgs[i], 0, sizeof msgs[i]); msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
  }
  long sent = 0; double start = now();
  while (sent < count) {
    /* send what is due, then sleep 100 us: the sender must not spin on a CPU the captures need */
    long due = (long)((now() - start) * pps) + 1;
    if (due > count) due = count;
    while (sent < due) {
      int n = due - sent > B ? B : (int)(due - sent);
      for (int i = 0; i < n; i++) { long seq = sent + i; memcpy(frames[i] + 14, &seq, 8); }
      int r = sendmmsg(s, msgs, n, 0);
      if (r <= 0) { perror("sendmmsg"); return 1; }
      sent += r;
    }
    if (sent < count) { struct timespec z = {0, 100000}; nanosleep(&z, NULL); }
  }
  double el = now() - start;
  printf("%ld %.6f\n", sent, el);
  return 0;
}
`;

const work = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "arpx-bench-live-"));
const senderSrc = join(work, "send.c");
const sender = join(work, "send");
writeFileSync(senderSrc, SENDER_C);
{
  const r = spawnSync("cc", ["-O2", "-o", sender, senderSrc], { encoding: "utf8" });
  if (r.status !== 0) skip(`cannot compile the sender: ${r.stderr}`);
}

// ---- namespaces ------------------------------------------------------------------------------------
const id = `${process.pid % 100000}`;
const nsTx = `arpxb-tx-${id}`;
const nsRx = `arpxb-rx-${id}`;
const ifTx = `axbt${id}`;
const ifRx = `axbr${id}`;
function sh(a) {
  const r = spawnSync(a[0], a.slice(1), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${a.join(" ")}: ${r.stderr}`);
}
function cleanup() {
  spawnSync("ip", ["netns", "del", nsTx]);
  spawnSync("ip", ["netns", "del", nsRx]);
  rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(130));
try {
  sh(["ip", "netns", "add", nsTx]);
  sh(["ip", "netns", "add", nsRx]);
  for (const ns of [nsTx, nsRx]) spawnSync("ip", ["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
  sh(["ip", "link", "add", ifTx, "netns", nsTx, "type", "veth", "peer", "name", ifRx, "netns", nsRx]);
  sh(["ip", "-n", nsTx, "link", "set", ifTx, "up"]);
  sh(["ip", "-n", nsRx, "link", "set", ifRx, "up"]);
} catch (e) {
  skip(`cannot create the test namespaces: ${e.message}`);
}

const FILTER = "ether src 02:a5:00:00:00:01";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(cmd, cmdArgs, readyRe) {
  const p = spawn("ip", ["netns", "exec", nsRx, cmd, ...cmdArgs], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  let ready;
  const isReady = new Promise((r) => (ready = r));
  p.stderr.on("data", (d) => {
    err += d;
    if (readyRe.test(err)) ready();
  });
  const done = new Promise((r) => p.on("close", (code) => {
    ready();
    r(code);
  }));
  return { p, isReady, done, err: () => err };
}

/** One burst at `pps`: both captures running, then stopped; what each captured and dropped. */
async function trial(pps, size) {
  const count = Math.max(1000, Math.round(pps * burstSec));
  const ax = start(process.execPath, [arpx, "capture", ifRx, "-q", "-f", FILTER, "-B", String(bufferMiB), "--backend", backend, "-w", join(work, "arpx.pcapng")], /Capturing on/);
  const td = start("tcpdump", ["-i", ifRx, "-n", "-B", String(bufferMiB * 1024), "-w", join(work, "tcpdump.pcap"), FILTER], /listening on/);
  await Promise.all([ax.isReady, td.isReady]);
  await sleep(200);
  const s = spawnSync("ip", ["netns", "exec", nsTx, sender, ifTx, String(count), String(pps), String(size)], { encoding: "utf8" });
  if (s.status !== 0) throw new Error(`sender failed: ${s.stderr}`);
  const [sent, secs] = (s.stdout || "0 1").trim().split(" ").map(Number);
  // tcpdump reads the kernel buffer a block at a time and its blocks are handed over after its
  // 1 s read timeout: wait that long before stopping, so neither tool loses the tail to the stop
  await sleep(1300);
  ax.p.kill("SIGINT");
  td.p.kill("SIGINT");
  await Promise.all([ax.done, td.done]);
  const m = /received (\d+), dropped (\d+) by the kernel\/buffer, dropped (\d+) by the interface, captured (\d+)/.exec(ax.err());
  const a = m ? { captured: Number(m[4]), dropped: Number(m[2]) + Number(m[3]) } : { captured: 0, dropped: -1, error: ax.err().slice(-300) };
  const tc = /(\d+) packets? captured/.exec(td.err());
  const tk = /(\d+) packets? dropped by kernel/.exec(td.err());
  const t = { captured: tc ? Number(tc[1]) : 0, dropped: tk ? Number(tk[1]) : -1 };
  const actualPps = sent / secs;
  return { pps, actualPps, sent, arpx: { ...a, ok: a.captured === sent && a.dropped === 0 }, tcpdump: { ...t, ok: t.captured === sent && t.dropped === 0 } };
}

/**
 * A tool's limit: the highest rate it captured with zero drops such that it also had zero drops
 * at every lower rate tried (a lucky pass above a failure does not count), and the lowest rate it
 * lost frames at. A rate where a tool lost frames is tried a second time (both tools again, on
 * the same traffic); the rate counts as lost only if it lost frames both times, so that one
 * scheduling hiccup of a shared machine does not decide the result. The same rule holds for both.
 */
function limits(trials, k) {
  const byRate = new Map();
  for (const t of trials) {
    const e = byRate.get(t.pps) ?? { pps: t.pps, ok: false, actual: 0 };
    if (t[k].ok) {
      e.ok = true;
      e.actual = Math.max(e.actual, t.actualPps);
    }
    byRate.set(t.pps, e);
  }
  let best = 0;
  let fail = Infinity;
  for (const e of [...byRate.values()].sort((a, b) => a.pps - b.pps)) {
    if (!e.ok) {
      fail = e.pps;
      break;
    }
    best = Math.max(best, e.actual);
  }
  return { best, fail };
}

async function measure(size, deadline) {
  const trials = [];
  const late = () => Date.now() > deadline - 4000;
  const run = async (pps, again = true) => {
    const r = await trial(pps, size);
    trials.push(r);
    say(`  ${String(Math.round(r.pps)).padStart(9)} pps (sent ${r.sent} at ${Math.round(r.actualPps)} pps): arpx ${r.arpx.captured} captured, ${r.arpx.dropped} dropped${r.arpx.ok ? "" : " ✗"}; tcpdump ${r.tcpdump.captured} captured, ${r.tcpdump.dropped} dropped${r.tcpdump.ok ? "" : " ✗"}`);
    if (r.arpx.error) say(`    arpx did not report: ${r.arpx.error.trim().split("\n").slice(-3).join(" | ")}`);
    if (again && (!r.arpx.ok || !r.tcpdump.ok) && r.actualPps >= pps * 0.9 && !late()) {
      const r2 = await run(pps, false);
      for (const k of ["arpx", "tcpdump"]) if (r2[k].ok) r[k] = { ...r[k], okOnRetry: true };
    }
    return r;
  };
  say(`${size}-byte frames, ${burstSec} s bursts, -B ${bufferMiB} MiB for both, arpx backend ${backend}:`);
  // 1. double the rate until both tools lose frames (or the sender tops out)
  let pps = 25000;
  let senderMax = null;
  for (;;) {
    const r = await run(pps);
    if (r.actualPps < pps * 0.9) senderMax = Math.round(r.actualPps);
    const lost = (k) => limits(trials, k).fail !== Infinity;
    if ((lost("arpx") && lost("tcpdump")) || senderMax !== null || late() || pps >= 4e6) break;
    pps *= 2;
  }
  // 2. narrow each tool's limit between its best good rate and its lowest bad rate
  for (let i = 0; i < 8 && !late(); i++) {
    const gaps = ["arpx", "tcpdump"].map((k) => ({ k, ...limits(trials, k) })).filter((g) => g.fail !== Infinity && g.fail / Math.max(g.best, 1) > 1.08);
    if (gaps.length === 0) break;
    const g = gaps[i % gaps.length];
    await run(Math.round(Math.sqrt(Math.max(g.best, 1000) * g.fail)));
  }
  const a = limits(trials, "arpx");
  const t = limits(trials, "tcpdump");
  const res = {
    frameBytes: size,
    arpxMaxZeroDropPps: Math.round(a.best),
    tcpdumpMaxZeroDropPps: Math.round(t.best),
    arpxLimitedBySender: a.fail === Infinity,
    tcpdumpLimitedBySender: t.fail === Infinity,
    senderMaxPps: senderMax,
    ratio: t.best > 0 ? Math.round((a.best / t.best) * 100) / 100 : null,
    trials,
  };
  const note = (x) => (x ? " (no drop at any rate tried: the sender's limit)" : "");
  say(`  arpx capture: ${res.arpxMaxZeroDropPps} pps with zero drops${note(res.arpxLimitedBySender)}`);
  say(`  tcpdump:      ${res.tcpdumpMaxZeroDropPps} pps with zero drops${note(res.tcpdumpLimitedBySender)}`);
  say(`  ratio arpx / tcpdump: ${res.ratio ?? "n/a"} (goal >= 1)`);
  return res;
}

say("live capture rate (veth between two test namespaces; arpx capture -q -w beside tcpdump -w on the same traffic):");
const results = [];
try {
  for (let i = 0; i < sizes.length; i++) {
    const left = t0 + budgetSec * 1000 - Date.now();
    if (left < 15000) break;
    results.push(await measure(sizes[i], Date.now() + left / (sizes.length - i)));
  }
} catch (e) {
  console.log(`live capture rate: failed: ${e.stack ?? e}`);
}
const seconds = Math.round((Date.now() - t0) / 100) / 10;
if (asJson) console.log(JSON.stringify({ bufferMiB, burstSec, seconds, results }, null, 2));
else say(`  [${seconds} s]`);
