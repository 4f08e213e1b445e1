// Inputs the fuzzer (npm run fuzz) once found to crash or hang arpx, replayed through every
// output mode; plus a short deterministic fuzz run over the project's own captures.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCapture } from "../src/capture/open.js";
import { CaptureFileError } from "../src/capture/types.js";
import { Engine } from "../src/dissect/engine.js";
import { packetJson } from "../src/dissect/output/json.js";
import { treeText } from "../src/dissect/output/tree-text.js";
import { TreeMode } from "../src/dissect/tree.js";
import { ARPX, OWN_CAPTURES, ROOT } from "./helpers.js";
// Plain JavaScript, shared with scripts/fuzz.mjs so a failure here replays there too.
import { mutate } from "../scripts/fuzz-lib.mjs";

const CRASHERS = join(ROOT, "test/fixtures/crashers");
const crashers = readdirSync(CRASHERS).filter((f) => f.endsWith(".bin"));

describe("fuzz corpus", () => {
  it("has inputs to replay", () => expect(crashers.length).toBeGreaterThan(0));

  it.each(crashers)("%s: every output mode finishes in time without an internal error", (name) => {
    for (const mode of [[], ["-T", "json"]]) {
      const r = spawnSync(process.execPath, [ARPX, "read", "-r", join(CRASHERS, name), ...mode], { encoding: "utf8", timeout: 30_000, maxBuffer: 1 << 28 });
      expect(r.error, `${name} ${mode.join(" ")} did not finish`).toBeUndefined();
      expect([0, 2]).toContain(r.status);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it("decodes 300 deterministic mutations of the project's captures without an escaping exception", async () => {
    const sources = readdirSync(OWN_CAPTURES)
      .filter((f) => f.endsWith(".pcapng"))
      .map((f) => ({ name: f, bytes: readFileSync(join(OWN_CAPTURES, f)) }))
      .filter((s) => s.bytes.length < 100_000);
    const dir = mkdtempSync(join(tmpdir(), "arpx-fuzz-"));
    let packets = 0;
    for (let i = 0; i < 300; i++) {
      const [, bytes] = mutate(sources, 12345, i) as [string, Buffer];
      const path = join(dir, "m.bin");
      writeFileSync(path, bytes);
      try {
        const reader = await openCapture(path);
        const engine = new Engine({ mode: TreeMode.FULL });
        try {
          for (;;) {
            let r;
            while ((r = reader.next()) !== null && packets < 1e9) {
              const p = engine.dissect(r);
              treeText(engine.tree.root);
              packetJson(engine.tree.root, p.num, p.tsSec);
              packets++;
            }
            if (!(await reader.fill())) break;
          }
        } finally {
          await reader.close();
        }
      } catch (e) {
        if (!(e instanceof CaptureFileError)) throw new Error(`mutation ${i}: ${String((e as Error)?.stack ?? e)}`);
      }
    }
    expect(packets).toBeGreaterThan(300);
  });
});
