// writeSummary encodes summary lines straight into the output buffer; it must print exactly what
// the string formatter (summaryLine + timeColumn) prints, for every capture and time format.
import { mkdtempSync, openSync, closeSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Out } from "../../../src/cli/out.js";
import { openCapture } from "../../../src/capture/open.js";
import type { CaptureRecord } from "../../../src/capture/types.js";
import { digitsFor } from "../../../src/cli/packet-printer.js";
import { Engine } from "../../../src/dissect/engine.js";
import { TIME_FORMATS, timeColumn, type TimeRefs } from "../../../src/dissect/output/columns.js";
import { summaryLine, writeSummary } from "../../../src/dissect/output/summary.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ownCaptureFiles, sharedCaptureFiles } from "../../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "arpx-summary-"));

/** Runs `write` against an Out on a temporary file and returns what reached the file. */
function captureOut(write: (out: Out) => void, size?: number): string {
  const path = join(dir, "out.txt");
  const fd = openSync(path, "w");
  const out = new Out(fd, size);
  write(out);
  out.flush();
  closeSync(fd);
  return readFileSync(path, "utf8");
}

async function records(file: string): Promise<{ recs: CaptureRecord[]; digits: number[] }> {
  const reader = await openCapture(file);
  const recs: CaptureRecord[] = [];
  const digits: number[] = [];
  try {
    for (;;) {
      let r;
      while ((r = reader.next()) !== null) {
        recs.push({ ...r, data: r.data.slice() });
        digits.push(digitsFor(reader.interfaces[r.ifIndex]?.tsResol));
      }
      if (!(await reader.fill())) break;
    }
  } catch {
    // a damaged file: compare the packets before the damage
  }
  await reader.close();
  return { recs, digits };
}

async function bothWays(file: string): Promise<{ bytes: string; strings: string; n: number }> {
  const { recs, digits } = await records(file);
  const engine = new Engine({ mode: TreeMode.SUMMARY });
  const s = engine.session;
  const lines: string[] = [];
  const refs: TimeRefs = { firstSec: NaN, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };
  const bytes = captureOut((out) => {
    recs.forEach((r, i) => {
      refs.prevSec = s.prevSec;
      refs.prevNsec = s.prevNsec;
      const p = engine.dissect(r);
      refs.firstSec = s.firstSec;
      refs.firstNsec = s.firstNsec;
      // Every time format in turn, so each is exercised on every capture.
      const fmt = TIME_FORMATS[p.num % TIME_FORMATS.length]!;
      writeSummary(out, p, fmt, refs, digits[i]!);
      lines.push(summaryLine(p, timeColumn(fmt, p, refs, digits[i]!)));
      refs.prevDispSec = p.tsSec;
      refs.prevDispNsec = p.tsNsec;
    });
  });
  return { bytes, strings: lines.map((l) => l + "\n").join(""), n: lines.length };
}

describe("writeSummary", () => {
  const files = [...ownCaptureFiles(), ...sharedCaptureFiles()];
  it("prints the same lines as summaryLine on every capture, in every time format", async () => {
    let total = 0;
    for (const f of files) {
      let r;
      try {
        r = await bothWays(f);
      } catch {
        continue; // a file the reader rejects outright has no lines to compare
      }
      expect(r.bytes, f).toBe(r.strings);
      total += r.n;
    }
    expect(total).toBeGreaterThan(1000);
  });
});

describe("Out", () => {
  it("encodes UTF-8 (2-, 3- and 4-byte characters, lone surrogates) like Buffer.from", () => {
    const samples = ["plain", "é and ü", "a → b", "emoji 😀 in a long info column string text", "😀", "lone \ud800 surrogate", "x".repeat(30) + "→" + "😀".repeat(3)];
    for (const s of samples) expect(captureOut((o) => o.line(s))).toBe(Buffer.from(s + "\n", "utf8").toString("utf8"));
  });

  it("splits output across flushes without losing or reordering bytes", () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${i} ${"→".repeat(i % 7)} ${"z".repeat(i % 90)}`);
    expect(captureOut((o) => lines.forEach((l) => o.line(l)), 256)).toBe(lines.map((l) => l + "\n").join(""));
    const huge = "h".repeat(5000) + "→";
    expect(captureOut((o) => o.write(huge), 256)).toBe(huge);
  });
});
