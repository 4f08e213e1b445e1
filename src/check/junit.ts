// JUnit XML for `arpx check --junit FILE`: one <testsuite> per capture, one <testcase> per rule, a
// <failure> (measured value and bound) for each rule that failed, an <error> for a capture that
// could not be read. The shape is the Apache Ant JUnit report (the schema CI systems read:
// Jenkins, GitLab, GitHub test reporters), valid against its published XSD: <testsuites> has no
// attributes, every <testsuite> has package/id/timestamp/hostname/tests/failures/errors/time and
// <properties>, <system-out>, <system-err> in that order.
import { hostname } from "node:os";
import { basename } from "node:path";
import type { CaptureResult, CheckReport } from "./report.js";
import { captureLines } from "./report.js";

/** XML 1.0 text: escaped, and without the control characters XML cannot carry. */
function text(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "?")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

function secs(x: number): string {
  return Math.max(0, x).toFixed(3);
}

function className(file: string): string {
  const b = basename(file).replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, "").replace(/\s+/g, "_");
  return `arpx.check.${b || "capture"}`;
}

function suite(c: CaptureResult, id: number, r: CheckReport, stamp: string, host: string): string {
  const cls = className(c.file);
  const out: string[] = [];
  const tests = c.error !== null ? 1 : c.rules.length;
  const failures = c.error !== null ? 0 : c.rules.filter((x) => !x.ok).length;
  const errors = c.error !== null ? 1 : 0;
  out.push(
    `  <testsuite name="${attr(c.file)}" package="arpx.check" id="${id}" timestamp="${stamp}" hostname="${attr(host)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${secs(c.timeSec)}">`,
  );
  out.push("    <properties>");
  const props: [string, string][] = [
    ["policy", r.policy],
    ["frames", String(c.frames)],
    ["durationSec", String(c.durationSec)],
  ];
  if (r.policyName !== null) props.push(["policyName", r.policyName]);
  if (c.hostGuess !== null) props.push(["hostGuess", c.hostGuess]);
  for (const [k, v] of props) out.push(`      <property name="${attr(k)}" value="${attr(v)}"/>`);
  out.push("    </properties>");
  if (c.error !== null) {
    out.push(`    <testcase name="read capture" classname="${attr(cls)}" time="${secs(c.timeSec)}">`);
    out.push(`      <error type="capture" message="${attr(c.error)}">${text(c.error)}</error>`);
    out.push("    </testcase>");
  }
  for (const x of c.rules) {
    const open = `    <testcase name="${attr(x.name)}" classname="${attr(cls)}" time="0.000"`;
    if (x.ok) {
      out.push(`${open}/>`);
      continue;
    }
    const msg = `${x.measured}; bound: ${x.bound}`;
    const body = [`rule: ${x.rule}`, `measured: ${x.measured}`, `bound: ${x.bound}`, ...x.details].join("\n");
    out.push(`${open}>`);
    out.push(`      <failure type="${attr(x.rule)}" message="${attr(msg)}">${text(body)}</failure>`);
    out.push("    </testcase>");
  }
  out.push(`    <system-out>${text(captureLines(c).join("\n"))}</system-out>`);
  out.push("    <system-err></system-err>");
  out.push("  </testsuite>");
  return out.join("\n");
}

export function junitXml(r: CheckReport, now = new Date()): string {
  // the schema's timestamp is ISO 8601 without a zone; the time is UTC
  const stamp = now.toISOString().slice(0, 19);
  const host = hostname() || "localhost";
  const suites = r.captures.map((c, i) => suite(c, i, r, stamp, host));
  return ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>", ...suites, "</testsuites>", ""].join("\n");
}
