// Worker for scripts/fuzz.mjs: runs mutated captures through the readers, every dissector in
// full-tree mode, and every output format. Reports progress through shared memory so the driver
// can tell a hang from slowness.
import { parentPort, workerData } from "node:worker_threads";
import { writeFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { mutate } from "./fuzz-lib.mjs";

const { root, seed, start, sources, progress, deadline, tmp } = workerData;
const { openCapture } = await import(join(root, "dist/capture/open.js"));
const { CaptureFileError } = await import(join(root, "dist/capture/types.js"));
const { Engine } = await import(join(root, "dist/dissect/engine.js"));
const { TreeMode } = await import(join(root, "dist/dissect/tree.js"));
const { treeText } = await import(join(root, "dist/dissect/output/tree-text.js"));
const { packetJson } = await import(join(root, "dist/dissect/output/json.js"));
const { summaryLine } = await import(join(root, "dist/dissect/output/summary.js"));

const cur = new Int32Array(progress);
let iter = start;
let packets = 0;
while (Date.now() < deadline) {
  Atomics.store(cur, 0, iter);
  const [desc, bytes] = mutate(sources, seed, iter);
  const path = join(tmp, `fuzz-${seed}-${process.pid}.bin`);
  writeFileSync(path, bytes);
  try {
    const reader = await openCapture(path);
    const engine = new Engine({ mode: TreeMode.FULL });
    try {
      for (;;) {
        let r;
        while ((r = reader.next()) !== null) {
          const p = engine.dissect(r);
          treeText(engine.tree.root, true);
          packetJson(engine.tree.root, p.num, p.tsSec);
          summaryLine(p, "0");
          packets++;
        }
        if (!(await reader.fill())) break;
      }
    } finally {
      await reader.close();
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) {
      parentPort.postMessage({ crash: { iter, desc, error: String(e?.stack ?? e) } });
    }
  }
  if (iter % 200 === 0) parentPort.postMessage({ iter, packets, heap: process.memoryUsage().heapUsed });
  iter++;
}
try { unlinkSync(join(tmp, `fuzz-${seed}-${process.pid}.bin`)); } catch {}
parentPort.postMessage({ done: true, iter, packets, heap: process.memoryUsage().heapUsed });
