// `arpx replay FILE`: pushes a capture through the multi-MAC NIC model (src/nicmodel) and reports,
// per application, what its RX ring went through (src/ringmon), sizing advice and copy-vs-map
// costs. Semantics: docs/nic-model.md; costs: docs/cost-model.md.
import { statSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { CaptureFileError } from "../../capture/types.js";
import { parseIpv4, parseMac, macText, ipv4Text } from "../../nicmodel/classify.js";
import { ConfigError, loadConfigFile, resolveConfig, type ConfigInput, type Learn } from "../../nicmodel/config.js";
import { resolveCost } from "../../nicmodel/cost.js";
import { feedAll, startRun, type ModelRun } from "../../nicmodel/run.js";
import { RingMonitor } from "../../ringmon/monitor.js";
import { Progress } from "../../ringmon/progress.js";
import { buildReport } from "../../ringmon/report.js";
import { num, summaryLines } from "../../ringmon/format.js";
import { errorLine, Out, UsageError } from "../out.js";

interface Options {
  config?: string | undefined;
  dispatch?: "mac" | "port" | undefined;
  filter?: "promiscuous" | "mac" | undefined;
  learn?: string | undefined;
  hostMac?: string | undefined;
  hostIp?: string | undefined;
  speed: number;
  interval?: number | undefined;
  json?: boolean | undefined;
  csv?: boolean | undefined;
  csvSeries?: boolean | undefined;
  html?: string | undefined;
  profile?: string | undefined;
  cores?: number | undefined;
  quiet?: boolean | undefined;
  guessFrames: number;
}

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("replay")
    .description("push a capture through the multi-MAC NIC model: per-application RX rings, overflow to the kernel queue, occupancy, sizing advice and copy-vs-map costs")
    .argument("<file>", "capture file (pcap or pcapng, gzip read directly; - for standard input)")
    .option("-c, --config <file>", "host configuration, YAML or JSON (docs/nic-model.md); default: guessed from the capture")
    .option("--dispatch <mode>", "mac: steer by destination MAC as captured; port: what if frames had been steered by destination IP:port")
    .option("--filter <mode>", "NIC filter: promiscuous (every frame arrives) or mac (only frames for the host's MACs, broadcast and multicast)")
    .option("--learn <sources>", "learn applications from: xarp, lamac (locally administered destination MACs), listen (TCP SYNs, UDP below 1024), comma-separated, or none")
    .option("--host-mac <mac>", "the host's canonical MAC (overrides the configuration and the guess)")
    .option("--host-ip <ip>", "the host's IPv4 address")
    .option("--speed <x>", "replay speed: capture times are divided by x", "1")
    .option("--interval <seconds>", "time-series interval (default: automatic, at most 512 intervals)")
    .option("--json", "print the whole report as JSON")
    .option("--csv", "print one CSV row per queue")
    .option("--csv-series", "print the time series as CSV (one row per interval and queue)")
    .option("--html <file>", "write a self-contained HTML report with occupancy and overflow charts")
    .option("--profile <file>", "calibration profile from arpx calibrate (replaces the published cost defaults it measured)")
    .option("--cores <n>", "cores running each application's address space (TLB shootdown reach)")
    .option("-q, --quiet", "print nothing but the final summary")
    .option("--guess-frames <n>", "frames read to guess the host when nothing names it", "50000")
    .action(async (file: string, raw: Record<string, unknown>) => {
      done(await replay(file, raw));
    });
}

// Options are checked here by hand: zod (used for configuration files) costs more to load than a
// small replay takes.
function parseOptions(raw: Record<string, unknown>): Options {
  const str = (k: string): string | undefined => (raw[k] === undefined ? undefined : String(raw[k]));
  const oneOf = <T extends string>(k: string, flag: string, allowed: readonly T[]): T | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag}: expected ${allowed.join(" or ")}, not "${v}"`);
    return v as T;
  };
  const number = (k: string, flag: string, what: string, int = false): number | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n <= 0 || (int && !Number.isInteger(n))) throw new UsageError(`${flag}: expected ${what}, not "${v}"`);
    return n;
  };
  return {
    config: str("config"),
    dispatch: oneOf("dispatch", "--dispatch", ["mac", "port"] as const),
    filter: oneOf("filter", "--filter", ["promiscuous", "mac"] as const),
    learn: str("learn"),
    hostMac: str("hostMac"),
    hostIp: str("hostIp"),
    speed: number("speed", "--speed", "a factor above 0") ?? 1,
    interval: number("interval", "--interval", "seconds above 0"),
    json: raw.json === true,
    csv: raw.csv === true,
    csvSeries: raw.csvSeries === true,
    html: str("html"),
    profile: str("profile"),
    cores: number("cores", "--cores", "a whole number of cores", true),
    quiet: raw.quiet === true,
    guessFrames: number("guessFrames", "--guess-frames", "a whole number of frames", true) ?? 50000,
  };
}

function parseLearn(s: string | undefined): Learn[] | undefined {
  if (s === undefined) return undefined;
  if (s === "none") return [];
  const out: Learn[] = [];
  for (const p of s.split(",").map((x) => x.trim()).filter(Boolean)) {
    if (p !== "xarp" && p !== "lamac" && p !== "listen") throw new UsageError(`--learn: unknown source "${p}" (xarp, lamac, listen or none)`);
    out.push(p);
  }
  return out;
}

export async function replay(file: string, raw: Record<string, unknown>): Promise<number> {
  let o: Options;
  let input: ConfigInput | null = null;
  let profileCost = {};
  let profileName: string | null = null;
  let hostMac: number | undefined, hostIp: number | undefined;
  let learn: Learn[] | undefined;
  try {
    o = parseOptions(raw);
    learn = parseLearn(o.learn);
    if (o.hostMac !== undefined) {
      const m = parseMac(o.hostMac);
      if (m === null) throw new UsageError(`--host-mac: "${o.hostMac}" is not a MAC address`);
      hostMac = m;
    }
    if (o.hostIp !== undefined) {
      const v = parseIpv4(o.hostIp);
      if (v === null) throw new UsageError(`--host-ip: "${o.hostIp}" is not an IPv4 address`);
      hostIp = v;
    }
    if (o.config !== undefined) input = await loadConfigFile(o.config);
    if (o.profile !== undefined) {
      const { loadProfile } = await import("../../nicmodel/profile.js");
      profileCost = loadProfile(o.profile).cost;
      profileName = o.profile;
    }
    // validate the configuration before reading the capture
    resolveConfig(input, { dispatch: o.dispatch, filter: o.filter, learn, hostMac, hostIp });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const l of e.message.split("\n")) errorLine(l);
      return 2;
    }
    throw e;
  }
  // 1. the host (from the configuration / options, or guessed from the first frames), the model
  //    and its monitor: src/nicmodel/run.ts
  const wantSeries = o.interval !== undefined || o.html !== undefined || o.json === true || o.csvSeries === true;
  const mon = new RingMonitor({ intervalNs: o.interval !== undefined ? o.interval * 1e9 : undefined, series: wantSeries });
  let run: ModelRun;
  try {
    run = await startRun({ file, config: input, dispatch: o.dispatch, filter: o.filter, learn, hostMac, hostIp, speed: o.speed, guessFrames: o.guessFrames }, mon);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    errorLine(e.message);
    return 2;
  }
  const { model, feeder, guess } = run;
  if (guess !== null && !o.quiet && !o.json && !o.csv && !o.csvSeries) {
    const ip = hostIp ?? (input?.host?.ip === undefined ? guess.ip : null); // what the guess decided
    process.stderr.write(`arpx: host guessed from the first ${num(guess.frames)} frames: ${guess.mac !== null ? macText(guess.mac) : "no MAC"}${ip !== null ? ` (${ipv4Text(ip)})` : ""}: ${guess.basis}\n`);
  }
  let totalBytes: number | null = null;
  if (file !== "-" && !/\.gz$/i.test(file)) {
    try {
      totalBytes = statSync(file).size;
    } catch {
      totalBytes = null;
    }
  }
  const progress = new Progress(totalBytes, !o.quiet && process.stderr.isTTY === true);
  const cost = resolveCost(run.cfg.cost, profileCost, o.cores !== undefined ? { cores: o.cores } : undefined);

  // 2. the frames
  let status = 0;
  try {
    await feedAll(run, progress.enabled ? () => progress.update(run.reader.offset, model.counters.framesRead) : undefined);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    progress.done();
    errorLine(e.message);
    status = 2;
  }
  progress.done();
  await run.reader.close();
  model.finish();

  // 3. the report
  const report = buildReport(model, mon, { file, speed: o.speed, hostGuessed: guess !== null, hostBasis: guess?.basis ?? null, startEpoch: feeder.startEpoch, cost, profile: profileName, includeSeries: wantSeries });
  const out = new Out();
  if (o.json) out.write(JSON.stringify(report, (_k, v) => (v === Infinity ? "Infinity" : v), 2) + "\n");
  else if (o.csv) out.write((await import("../../ringmon/csv.js")).summaryCsv(report));
  else if (o.csvSeries) out.write((await import("../../ringmon/csv.js")).seriesCsv(report));
  else if (o.quiet) out.write(summaryLines(report).join("\n") + "\n");
  else out.write((await import("../../ringmon/table.js")).renderTables(report, { series: o.interval !== undefined }));
  out.flush();
  if (o.html !== undefined) {
    try {
      const { renderHtml } = await import("../../ringmon/html.js");
      writeFileSync(o.html, renderHtml(report));
      if (!o.quiet) process.stderr.write(`arpx: HTML report written to ${o.html}\n`);
    } catch (e) {
      errorLine(`${o.html}: cannot write the HTML report: ${(e as Error).message}`);
      return 2;
    }
  }
  if (!report.invariants.ok) {
    errorLine(`internal error: the model broke conservation: ${report.invariants.violations.join("; ")}`);
    return 3;
  }
  return status;
}
