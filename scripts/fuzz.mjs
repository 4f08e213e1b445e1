#!/usr/bin/env node
// npm run fuzz [-- --seconds S --seed N]: mutates real captures (bit flips, truncation, length
// fields set to extremes, insertions, deletions, splices) and runs readers, dissectors and output
// formats over them for a bounded time. Any exception other than a clean capture-file error, or
// an input that makes no progress for 10 s, is saved under test/fixtures/crashers/ (replayed by
// test/fuzz-corpus.test.ts). Exits 1 if anything was found or memory kept growing.
import { Worker } from "node:worker_threads";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mutate } from "./fuzz-lib.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : d; };
const seconds = Number(opt("--seconds", "60"));
const seed = Number(opt("--seed", String(Date.now() % 100000)));
const crashDir = join(root, "test/fixtures/crashers");
mkdirSync(crashDir, { recursive: true });

const dirs = [join(root, "captures"), resolve(root, "../shared/captures/public")].filter(existsSync);
const sources = [];
for (const d of dirs) for (const f of readdirSync(d)) if (/\.(pcap|pcapng)$/.test(f)) sources.push({ name: f, bytes: readFileSync(join(d, f)) });
console.log(`fuzz: seed ${seed}, ${seconds} s, ${sources.length} source captures`);

const deadline = Date.now() + seconds * 1000;
let found = 0;
let start = 0;
let totalIter = 0, totalPackets = 0;
const heaps = [];

function save(kind, iter, desc, error) {
  const [, bytes] = mutate(sources, seed, iter);
  const name = `${kind}-${seed}-${iter}.bin`;
  writeFileSync(join(crashDir, name), bytes);
  writeFileSync(join(crashDir, name + ".txt"), `${desc}\n${error}\n`);
  console.log(`FOUND ${kind} at iteration ${iter} (${desc}): saved ${basename(name)}\n${error.split("\n").slice(0, 6).join("\n")}`);
  found++;
}

while (Date.now() < deadline) {
  const progress = new SharedArrayBuffer(4);
  const cur = new Int32Array(progress);
  Atomics.store(cur, 0, start);
  const w = new Worker(join(root, "scripts/fuzz-worker.mjs"), { workerData: { root, seed, start, sources, progress, deadline, tmp: tmpdir() }, resourceLimits: { maxOldGenerationSizeMb: 512 } });
  const result = await new Promise((res) => {
    let last = -1, stuck = 0;
    const timer = setInterval(() => {
      const now = Atomics.load(cur, 0);
      if (now === last) stuck++; else { stuck = 0; last = now; }
      if (stuck >= 10) { clearInterval(timer); w.terminate(); res({ hang: now }); }
    }, 1000);
    w.on("message", (m) => {
      if (m.crash) save("crash", m.crash.iter, m.crash.desc, m.crash.error);
      if (m.heap) heaps.push(m.heap);
      if (m.done) { totalIter = m.iter; totalPackets += m.packets; clearInterval(timer); res({ done: true }); }
      else if (m.packets !== undefined) totalPackets = Math.max(totalPackets, m.packets);
    });
    w.on("error", (e) => { clearInterval(timer); res({ error: e, at: Atomics.load(cur, 0) }); });
  });
  if (result.done) break;
  if (result.hang !== undefined) { save("hang", result.hang, mutate(sources, seed, result.hang)[0], "no progress for 10 s"); start = result.hang + 1; }
  if (result.error) { save("crash", result.at, mutate(sources, seed, result.at)[0], String(result.error?.stack ?? result.error)); start = result.at + 1; }
}
const mb = (x) => (x / 1048576).toFixed(1);
const early = heaps.slice(1, 4), late = heaps.slice(-3);
const avg = (a) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
const growth = heaps.length > 6 ? avg(late) - avg(early) : 0;
console.log(`fuzz: ${totalIter} inputs, ${totalPackets} packets decoded, ${found} problems; heap ${mb(avg(early))} MB early, ${mb(avg(late))} MB late`);
if (growth > 64 * 1048576) { console.log("fuzz: heap kept growing"); process.exit(1); }
process.exit(found ? 1 : 0);
