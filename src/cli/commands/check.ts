// `arpx check FILE... --policy POLICY`: captures as CI gates. Each capture is read once (src/check/
// collect.ts: dissection and the NIC model side by side), judged against the policy's rules
// (src/check/rules.ts) and reported as a pass/fail list, JSON (--json) or JUnit XML (--junit).
// Exit status: 0 every rule passed, 1 a rule failed, 2 bad input (policy, capture, options).
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { CaptureFileError } from "../../capture/types.js";
import { colorFor } from "../color.js";
import { errorLine, Out, UsageError } from "../out.js";

interface Options {
  policy?: string;
  junit?: string;
  json?: boolean;
  quiet?: boolean;
}

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("check")
    .description("judge captures against a policy of rules (ring overflow and occupancy, kernel drops, resolution times, MAC collisions, XARP spec, display filters) for CI")
    .argument("<files...>", "capture files (pcap or pcapng, gzip read directly; - for standard input)")
    .option("-p, --policy <file>", "the policy: YAML, or JSON for a .json file (docs/check.md)")
    .option("--junit <file>", "also write a JUnit XML report (one testsuite per capture, one testcase per rule)")
    .option("--json", "print a JSON report instead of the pass/fail list")
    .option("-q, --quiet", "list only failed rules (and each capture's verdict)")
    .action(async (files: string[], o: Options) => {
      done(await check(files, o));
    });
}

export async function check(files: string[], o: Options): Promise<number> {
  if (o.policy === undefined) throw new UsageError("arpx check needs --policy FILE (docs/check.md)");
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
  const { loadPolicy, PolicyError } = await import("../../check/policy.js");
  let policy;
  try {
    policy = await loadPolicy(o.policy);
  } catch (e) {
    if (e instanceof PolicyError) {
      for (const l of e.message.split("\n")) errorLine(l);
      return 2;
    }
    throw e;
  }
  const { collect } = await import("../../check/collect.js");
  const { evaluate } = await import("../../check/rules.js");
  const { buildCheckReport, captureLines, reportJson, summaryLine } = await import("../../check/report.js");
  type CaptureResult = import("../../check/report.js").CaptureResult;

  const c = colorFor("auto");
  const paint = { pass: (s: string) => c.green(s), fail: (s: string) => c.red.bold(s), dim: (s: string) => c.dim(s), bold: (s: string) => c.bold(s) };
  const out = new Out();
  const results: CaptureResult[] = [];
  for (const file of files) {
    const started = performance.now();
    let hostGuess: string | null = null;
    let res: CaptureResult;
    try {
      const facts = await collect(file, policy, { onHostGuess: (t) => (hostGuess = t) });
      res = { file, ok: false, error: null, frames: facts.frames, durationSec: facts.durationSec, timeSec: 0, hostGuess, rules: evaluate(policy, facts) };
      res.ok = res.rules.every((r) => r.ok);
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
      errorLine(e.message);
      res = { file, ok: false, error: e.message, frames: 0, durationSec: 0, timeSec: 0, hostGuess: null, rules: [] };
    }
    res.timeSec = (performance.now() - started) / 1e3;
    results.push(res);
    if (!o.json) {
      for (const l of captureLines(res, paint, o.quiet === true)) out.line(l);
      out.flush();
    }
  }
  const report = buildCheckReport(o.policy, policy.name ?? null, results);
  if (o.json) out.write(reportJson(report));
  else if (results.length > 1) out.line(summaryLine(report, paint));
  out.flush();
  if (o.junit !== undefined) {
    const { junitXml } = await import("../../check/junit.js");
    try {
      writeFileSync(o.junit, junitXml(report));
    } catch (e) {
      errorLine(`${o.junit}: cannot write the JUnit report: ${(e as Error).message}`);
      return 2;
    }
  }
  return report.status;
}
