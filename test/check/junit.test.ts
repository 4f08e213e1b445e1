// `arpx check --junit`: the XML validates against the JUnit report format as Ant writes it and CI
// systems read it (test/fixtures/junit/junit-ant.xsd) with xmllint from libxml2-utils, and carries one testsuite per
// capture, one testcase per rule, failures with the measured value and the bound.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runArpx, skipReason } from "../helpers.js";
import { generate, type Generated } from "./captures.js";

const XSD = join(ROOT, "test/fixtures/junit/junit-ant.xsd");
const HAVE_XMLLINT = spawnSync("sh", ["-c", "command -v xmllint"], { stdio: "ignore" }).status === 0;
const noXmllint = skipReason(HAVE_XMLLINT, "xmllint is not installed (Debian package libxml2-utils): JUnit output not validated against the JUnit XSD");

let g: Generated;
let policy = "";
beforeAll(() => {
  g = generate(["clean", "unanswered", "globalMac"]);
  policy = g.write(
    "p.yaml",
    [
      "name: 'gates & <limits>'",
      "rules:",
      "  - { rule: resolution, withinMs: 1 }",
      "  - { rule: spec }",
      "  - { rule: app-macs }",
      `  - { rule: filter, name: "quote \\" and <tag> & \\u0001 control", filter: 'xarp.opcode == 4 && frame.len < 100', exactly: 2 }`,
      "",
    ].join("\n"),
  );
});
afterAll(() => g?.cleanup());

function validate(file: string): { status: number; stderr: string } {
  const r = spawnSync("xmllint", ["--noout", "--schema", XSD, file], { encoding: "utf8" });
  return { status: r.status ?? -1, stderr: r.stderr };
}

describe("arpx check --junit", () => {
  it("writes one testsuite per capture and one testcase per rule, failures with measured vs bound", () => {
    const out = join(g.dir, "report.xml");
    const r = runArpx(["check", g.cap("clean"), g.cap("unanswered"), g.cap("globalMac"), "-p", policy, "--junit", out, "-q"]);
    expect(r.status).toBe(1);
    const xml = readFileSync(out, "utf8");
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml.match(/<testcase /g)).toHaveLength(12);
    expect(xml).toMatch(/<testsuite name="[^"]*clean\.pcapng" package="arpx\.check" id="0" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d" hostname="[^"]+" tests="4" failures="0" errors="0" skipped="0" time="[\d.]+">/);
    expect(xml).toMatch(/<testsuite name="[^"]*unanswered\.pcapng" package="arpx\.check" id="1" [^>]* tests="4" failures="1" errors="0"/);
    expect(xml).toContain('<failure type="resolution" message="3 requests, slowest answered in 0.080 ms, 2 unanswered; bound: every request answered within 1 ms">');
    expect(xml).toContain("frame 8: 10.0.0.2:9000/udp asked by 00:16:3e:aa:bb:cc: no reply");
    expect(xml).toMatch(/<testsuite name="[^"]*globalMac\.pcapng"[^>]* tests="4" failures="2"/);
    expect(xml).toContain('<property name="policyName" value="gates &amp; &lt;limits&gt;"/>');
    expect(xml).toContain('name="quote &quot; and &lt;tag&gt; &amp; ? control"');
    expect(xml).toContain('classname="arpx.check.clean"');
  });

  it.skipIf(noXmllint)("validates against the JUnit XSD (passing, failing and unreadable captures)", () => {
    const out = join(g.dir, "all.xml");
    const r = runArpx(["check", g.cap("clean"), g.cap("unanswered"), g.cap("globalMac"), join(g.dir, "missing.pcapng"), "-p", policy, "--junit", out]);
    expect(r.status).toBe(2);
    const xml = readFileSync(out, "utf8");
    expect(xml).toMatch(/<testcase name="read capture" classname="arpx\.check\.missing" time="[\d.]+">\n\s*<error type="capture" message="[^"]*missing\.pcapng: /);
    expect(validate(out)).toEqual({ status: 0, stderr: `${out} validates\n` });
    const pass = join(g.dir, "pass.xml");
    expect(runArpx(["check", g.cap("clean"), "-p", policy, "--junit", pass]).status).toBe(0);
    expect(validate(pass).status).toBe(0);
  });

  it.skipIf(noXmllint)("the schema check itself rejects a report that breaks the schema", () => {
    const bad = g.write("bad.xml", '<?xml version="1.0"?>\n<testsuites><testsuite name="x" tests="1"/></testsuites>\n');
    expect(validate(bad).status).not.toBe(0);
  });

  it("exits 2 when the JUnit file cannot be written", () => {
    const r = runArpx(["check", g.cap("clean"), "-p", policy, "--junit", join(g.dir, "no/such/dir/r.xml")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write the JUnit report/);
  });
});
