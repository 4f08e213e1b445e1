// Compare arpx with tshark on frames built in a test: the frames are written to a temporary
// classic pcap (Ethernet), and both tools read it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { runArpx, runTshark } from "../../helpers.js";

/**
 * Writes `frames` as a little-endian pcap (link type Ethernet, one second apart); returns its path.
 * A frame given as [bytes, wire length] was cut by the snaplen.
 */
export function writePcap(name: string, frames: readonly (Uint8Array | readonly [Uint8Array, number])[]): string {
  const recs = frames.map((f) => (f instanceof Uint8Array ? ([f, f.length] as const) : f));
  const b = Buffer.alloc(24 + recs.reduce((n, [f]) => n + 16 + f.length, 0));
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  let o = 24;
  recs.forEach(([f, wire], i) => {
    b.writeUInt32LE(1_700_000_000 + i, o);
    b.writeUInt32LE(0, o + 4);
    b.writeUInt32LE(f.length, o + 8);
    b.writeUInt32LE(wire, o + 12);
    b.set(f, o + 16);
    o += 16 + f.length;
  });
  const path = join(mkdtempSync(join(tmpdir(), "arpx-test-")), name);
  writeFileSync(path, b);
  return path;
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");

/**
 * Summary lines (`arpx read -r F` and `tshark -r F`, both resolving MAC names as they do by
 * default), optionally only the given frame numbers.
 */
export function summaries(file: string, frames?: readonly number[]): { ts: string[]; ax: string[] } {
  const keep = (ls: string[]) => (frames ? ls.filter((l) => frames.includes(Number(l.trim().split(/\s+/)[0]))) : ls);
  return { ts: keep(lines(runTshark(["-r", file]).stdout)), ax: keep(lines(runArpx(["read", "-r", file]).stdout)) };
}

/** `-T fields` output of both tools for `fields`, one array of lines each. */
export function fieldLines(file: string, fields: readonly string[], filter?: string): { ts: string[]; ax: string[] } {
  const args = ["-T", "fields", "-E", "separator=|", ...fields.flatMap((f) => ["-e", f]), ...(filter ? ["-Y", filter] : [])];
  return { ts: lines(runTshark(["-n", "-r", file, ...args]).stdout), ax: lines(runArpx(["read", "-n", "-r", file, ...args]).stdout) };
}

/** Frame numbers tshark matches with a display filter. */
export function tsharkFrames(file: string, filter: string): number[] {
  return lines(runTshark(["-n", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number"]).stdout).map(Number);
}

/** Summary lines and frame.protocols + `fields` equal tshark's for all `count` frames of `file`. */
export function expectSameAsTshark(file: string, fields: readonly string[], count: number): void {
  const s = summaries(file);
  expect(s.ax).toEqual(s.ts);
  const v = fieldLines(file, ["frame.protocols", ...fields]);
  expect(v.ax).toEqual(v.ts);
  expect(v.ts.length).toBe(count);
}

/** The same for the frames of a capture that tshark's display `filter` matches (at least one). */
export function expectSameOnFiltered(file: string, filter: string, fields: readonly string[]): void {
  const nums = tsharkFrames(file, filter);
  expect(nums.length).toBeGreaterThan(0);
  const s = summaries(file, nums);
  expect(s.ax).toEqual(s.ts);
  const v = fieldLines(file, ["frame.number", "frame.protocols", ...fields], filter);
  expect(v.ax).toEqual(v.ts);
}

/** A -V text's lines, for a line-by-line comparison (every line counts, expert sub-lines and data dumps too). */
export function comparableTree(text: string): string[] {
  return text.split("\n");
}
