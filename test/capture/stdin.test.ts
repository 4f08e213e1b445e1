// "-" reads stdin and writes stdout: a child node process (running src/capture transpiled to
// plain JS) gets a capture piped in, plain or gzipped, and writes a converted copy to stdout.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAVE_SHARED, ROOT, SHARED_CAPTURES } from "../helpers.js";
import { readAll } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-cap-stdin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { openCapture } from "./capture/open.js";
import { createWriter } from "./capture/write.js";
const [mode] = process.argv.slice(2);
const r = await openCapture("-");
const w = mode === "copy" ? createWriter("-", { format: "pcap", interfaces: r.interfaces, nanosecond: true }) : null;
let n = 0, bytes = 0, first = null;
try {
  for (;;) {
    let x;
    while ((x = r.next()) !== null) { n++; bytes += x.data.length; first ??= [x.tsSec, x.tsNsec]; w?.writePacket(x); }
    if (!(await r.fill())) break;
  }
} catch (e) { console.error(e.message); process.exitCode = 2; }
await r.close();
await w?.close();
if (!w) console.log(JSON.stringify({ format: r.format, n, bytes, first, interfaces: r.interfaces.length }));
`;

beforeAll(() => {
  // src/capture has no dependencies outside node: transpiling it file by file is enough
  const out = join(dir, "capture");
  mkdirSync(out);
  const src = join(ROOT, "src/capture");
  for (const f of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
    const js = ts.transpileModule(readFileSync(join(src, f), "utf8"), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(out, f.replace(/\.ts$/, ".js")), js.outputText);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", name: "arpx", version: "0.0.0-test" }));
  writeFileSync(join(dir, "run.mjs"), SCRIPT);
});

function run(input: Uint8Array, mode = "count") {
  return spawnSync(process.execPath, [join(dir, "run.mjs"), mode], { input, maxBuffer: 1 << 28 });
}

describe.skipIf(!HAVE_SHARED)("stdin and stdout", () => {
  const file = join(SHARED_CAPTURES, "zeek-tcp-ssh-dups.pcap");
  const ng = join(SHARED_CAPTURES, "pcapngtg-le-difficult-test201.pcapng");

  it("reads a pcap piped in", async () => {
    const want = await readAll(file);
    const r = run(readFileSync(file));
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString())).toEqual({
      format: "pcap", n: want.records.length, bytes: want.records.reduce((a, x) => a + x.data.length, 0),
      first: [want.records[0]!.tsSec, want.records[0]!.tsNsec], interfaces: 1,
    });
  });

  it("reads gzipped pcapng piped in", () => {
    const r = run(gzipSync(readFileSync(ng)));
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString())).toMatchObject({ format: "pcapng", n: 4, interfaces: 5 });
  });

  it("reports a truncated stream after its good records", () => {
    const bytes = readFileSync(file);
    const r = run(bytes.subarray(0, bytes.length - 10));
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toMatch(/^stdin: truncated packet record: \d+ of \d+ bytes \(at byte offset \d+\)\n$/);
  });

  it("empty stdin", () => {
    const r = run(new Uint8Array(0));
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toContain("stdin: the file is empty (0 bytes)");
  });

  it("writes to stdout", async () => {
    const r = run(readFileSync(file), "copy");
    expect(r.stderr.toString()).toBe("");
    const out = join(dir, "copy.pcap");
    writeFileSync(out, r.stdout);
    const a = await readAll(file);
    const b = await readAll(out);
    expect(b.records.map((x) => [x.tsSec, x.tsNsec, Buffer.from(x.data).toString("hex")])).toEqual(a.records.map((x) => [x.tsSec, x.tsNsec, Buffer.from(x.data).toString("hex")]));
  });
});
