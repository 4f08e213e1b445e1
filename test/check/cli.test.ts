// `arpx check` end to end: exit statuses, the pass/fail list, --json, -q, bad input, stdin.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runArpx } from "../helpers.js";
import { generate, type Generated } from "./captures.js";

let g: Generated;
let xarpPolicy = "";
let slowPolicy = "";

beforeAll(() => {
  g = generate(["clean", "unanswered", "slow"]);
  xarpPolicy = g.write(
    "xarp.yaml",
    [
      "name: xarp gates",
      "rules:",
      "  - { rule: resolution, withinMs: 1000 }",
      "  - { rule: collisions }",
      "  - { rule: spec }",
      "  - { rule: app-macs }",
      "  - { rule: filter, name: two announcements, filter: 'xarp.opcode == 4', exactly: 2 }",
      "",
    ].join("\n"),
  );
  slowPolicy = g.write("slow.yaml", "model:\n  config: slow.host.json\nrules:\n  - { rule: overflows, app: slow, max: 0 }\n  - { rule: kernel-drops, max: 0 }\n");
});
afterAll(() => g?.cleanup());

describe("arpx check", () => {
  it("exits 0 and lists every rule as PASS with its measured value and bound", () => {
    const r = runArpx(["check", g.cap("clean"), "--policy", xarpPolicy]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${g.cap("clean")}: 8 frames over 5.990 s`);
    expect(lines.slice(1)).toEqual([
      "  PASS  port resolution answered within 1,000 ms: 1 request, slowest answered in 0.080 ms, 0 unanswered (bound: every request answered within 1,000 ms)",
      "  PASS  no unresolved MAC collision: no MAC collisions (bound: 0 unresolved)",
      "  PASS  XARP messages follow the spec: 8 XARP messages, none with a warning or an error (bound: no warning or error expert info)",
      "  PASS  application MACs are locally administered unicast: 1 application MAC, all locally administered unicast (bound: every application MAC locally administered unicast)",
      "  PASS  two announcements: 2 packets match (bound: exactly 2 packets)",
      "  PASS  5 rules: 5 passed, 0 failed",
    ]);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour off a terminal
  });

  it("exits 1 when a rule fails, with the frames at fault; -q lists only failures", () => {
    const r = runArpx(["check", g.cap("unanswered"), "-p", xarpPolicy]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("  FAIL  port resolution answered within 1,000 ms: 3 requests, slowest answered in 0.080 ms, 2 unanswered (bound: every request answered within 1,000 ms)\n          frame 8: 10.0.0.2:9000/udp asked by 00:16:3e:aa:bb:cc: no reply\n");
    expect(r.stdout).toContain("  FAIL  5 rules: 4 passed, 1 failed");
    const q = runArpx(["check", g.cap("unanswered"), g.cap("clean"), "-p", xarpPolicy, "-q"]);
    expect(q.status).toBe(1);
    expect(q.stdout).not.toContain("PASS  no unresolved");
    expect(q.stdout.trimEnd().split("\n").at(-1)).toBe("FAIL  2 captures, 10 rules: 9 passed, 1 failed");
  });

  it("judges NIC model rules", () => {
    const r = runArpx(["check", g.cap("slow"), "-p", slowPolicy]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/  FAIL  overflows of slow: [\d,]+ overflows \([\d,.]+\/s, [\d.]+% of 2,000 arrivals\) \(bound: <= 0 overflows\)/);
    expect(r.stdout).toMatch(/  PASS  kernel queue drops: 0 drops/);
  });

  it("prints a JSON report with --json", () => {
    const r = runArpx(["check", g.cap("unanswered"), g.cap("clean"), "-p", xarpPolicy, "--json"]);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ policy: xarpPolicy, policyName: "xarp gates", ok: false, status: 1, summary: { captures: 2, rules: 10, passed: 9, failed: 1, errors: 0 } });
    expect(j.captures[0]).toMatchObject({ file: g.cap("unanswered"), ok: false, error: null, frames: 10 });
    expect(j.captures[0].rules[0]).toMatchObject({ index: 0, rule: "resolution", name: "port resolution answered within 1,000 ms", ok: false, limit: 1000, unit: "ms", data: { requests: 3, unanswered: 2 } });
    expect(j.captures[1].ok).toBe(true);
    expect(j.captures[1].rules[4]).toMatchObject({ rule: "filter", ok: true, value: 2, limit: 2 });
  });

  it("exits 2 for a bad policy, naming the key, before reading any capture", () => {
    const bad = g.write("bad.yaml", "rules:\n  - { rule: overflows, app: x }\n  - { rule: filter, filter: 'udp ==', min: 1 }\n");
    const r = runArpx(["check", g.cap("clean"), "-p", bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`arpx: ${bad}: rules[0]: give a bound: max (overflows), maxPerSecond or maxRatio (of arrivals)\n`);
    const r2 = runArpx(["check", g.cap("clean"), "-p", g.write("bad2.yaml", "rules: [{ rule: filter, filter: 'udp ==', min: 1 }]\n")]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/^arpx: .*bad2\.yaml: rules\[0\]\.filter: .*\n$/);
  });

  it("exits 2 without --policy, and for missing or damaged captures (after judging the others)", () => {
    expect(runArpx(["check", g.cap("clean")]).stderr).toBe("arpx: arpx check needs --policy FILE (docs/check.md)\n");
    expect(runArpx(["check", g.cap("clean")]).status).toBe(2);
    const damaged = g.write("damaged.pcapng", "");
    writeFileSync(damaged, readFileSync(g.cap("clean")).subarray(0, 300));
    const missing = g.cap("clean").replace("clean", "missing");
    const r = runArpx(["check", missing, damaged, g.cap("unanswered"), "-p", xarpPolicy, "--json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`arpx: ${missing}: `);
    expect(r.stderr).toContain(`arpx: ${damaged}: `);
    const j = JSON.parse(r.stdout);
    expect(j.summary).toMatchObject({ captures: 3, errors: 2, failed: 1 });
    expect(j.captures[0].error).toMatch(/missing\.pcapng/);
    expect(j.captures[1].error).toMatch(/damaged\.pcapng: .*byte offset/);
    expect(j.captures[2].rules).toHaveLength(5);
    const text = runArpx(["check", missing, "-p", xarpPolicy]);
    expect(text.stdout).toMatch(/missing\.pcapng: ERROR /);
  });

  it("reads standard input, guessing the host from buffered frames when the model needs it", () => {
    const pol = g.write("stdin.yaml", "rules:\n  - { rule: apps, expect: [{ endpoint: 10.0.0.2:8080/udp }] }\n  - { rule: spec }\n");
    const r = runArpx(["check", "-", "-p", pol], readFileSync(g.cap("clean")));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^-: 8 frames over 5\.990 s\n  \(NIC model: host guessed from the first 8 frames: /);
  });
});
