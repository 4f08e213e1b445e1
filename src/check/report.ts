// The results of `arpx check`: one object (what --json prints) and the readable pass/fail list.
// Colour is the caller's business (a Paint; plain text when none is given).
import { num } from "../ringmon/format.js";
import type { RuleResult } from "./rules.js";

export interface CaptureResult {
  file: string;
  ok: boolean;
  /** The capture could not be read (the rules were not judged). */
  error: string | null;
  frames: number;
  durationSec: number;
  /** Wall-clock seconds spent on this capture. */
  timeSec: number;
  /** How the NIC model's host was chosen, when it was guessed. */
  hostGuess: string | null;
  rules: RuleResult[];
}

export interface CheckReport {
  policy: string;
  policyName: string | null;
  ok: boolean;
  /** The exit status: 0 every rule passed, 1 a rule failed, 2 a capture could not be read. */
  status: 0 | 1 | 2;
  captures: CaptureResult[];
  summary: { captures: number; rules: number; passed: number; failed: number; errors: number };
}

export function buildCheckReport(policy: string, policyName: string | null, captures: CaptureResult[]): CheckReport {
  let rules = 0, passed = 0, errors = 0;
  for (const c of captures) {
    if (c.error !== null) errors++;
    rules += c.rules.length;
    passed += c.rules.filter((r) => r.ok).length;
  }
  const failed = rules - passed;
  const status = errors > 0 ? 2 : failed > 0 ? 1 : 0;
  return { policy, policyName, ok: status === 0, status, captures, summary: { captures: captures.length, rules, passed, failed, errors } };
}

export function reportJson(r: CheckReport): string {
  return JSON.stringify(r, (_k, v) => (v === Infinity ? "Infinity" : v), 2) + "\n";
}

export interface Paint {
  pass(s: string): string;
  fail(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const PLAIN: Paint = { pass: (s) => s, fail: (s) => s, dim: (s) => s, bold: (s) => s };

/** Lines for one capture: a heading, then one line per rule (failures with their details). */
export function captureLines(c: CaptureResult, paint: Paint = PLAIN, quiet = false): string[] {
  const out: string[] = [];
  if (c.error !== null) {
    const detail = c.error.startsWith(`${c.file}: `) ? c.error.slice(c.file.length + 2) : c.error;
    out.push(`${paint.bold(c.file)}: ${paint.fail("ERROR")} ${detail}`);
    return out;
  }
  out.push(`${paint.bold(c.file)}: ${num(c.frames)} frames over ${num(c.durationSec, 3)} s`);
  if (c.hostGuess !== null && !quiet) out.push(paint.dim(`  (NIC model: ${c.hostGuess})`));
  for (const r of c.rules) {
    if (quiet && r.ok) continue;
    const tag = r.ok ? paint.pass("PASS") : paint.fail("FAIL");
    out.push(`  ${tag}  ${r.name}: ${r.measured} ${paint.dim(`(bound: ${r.bound})`)}`);
    if (!r.ok) for (const d of r.details) out.push(`          ${d}`);
  }
  const passed = c.rules.filter((r) => r.ok).length;
  const failed = c.rules.length - passed;
  const verdict = failed === 0 ? paint.pass("PASS") : paint.fail("FAIL");
  out.push(`  ${verdict}  ${num(c.rules.length)} rule${c.rules.length === 1 ? "" : "s"}: ${num(passed)} passed, ${num(failed)} failed`);
  return out;
}

export function summaryLine(r: CheckReport, paint: Paint = PLAIN): string {
  const s = r.summary;
  const verdict = r.status === 0 ? paint.pass("PASS") : r.status === 1 ? paint.fail("FAIL") : paint.fail("ERROR");
  return `${verdict}  ${num(s.captures)} captures, ${num(s.rules)} rules: ${num(s.passed)} passed, ${num(s.failed)} failed${s.errors ? `, ${num(s.errors)} capture${s.errors === 1 ? "" : "s"} unreadable` : ""}`;
}
