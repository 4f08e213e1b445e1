// One pass over a capture gathers every fact the policy's rules need: XARP messages and expert
// infos from the dissectors (src/dissect, FIELDS mode, only the fields asked for), display filter
// match counts, and the NIC model's per-queue report (src/nicmodel + src/ringmon, exactly what
// `arpx replay --json` reports for the same settings). Rules are judged afterwards (rules.ts).
import { openCapture } from "../capture/open.js";
import { CaptureFileError, type CaptureReader, type CaptureRecord } from "../capture/types.js";
import type { Field, Severity } from "../dissect/fields.js";
import { resolveCost } from "../nicmodel/cost.js";
import { startRun } from "../nicmodel/run.js";
import { RingMonitor } from "../ringmon/monitor.js";
import { buildReport, type Report } from "../ringmon/report.js";
import { needsDissection, needsModel, type Policy } from "./policy.js";

export interface XarpEndpoint {
  ip: number;
  port: number;
  proto: number;
  flags: number;
}

/** One XARP message as the dissector decoded it. */
export interface XarpRecord {
  frame: number;
  /** Nanoseconds since the first frame of the capture. */
  tNs: number;
  op: number;
  sha: number;
  spa: XarpEndpoint;
  tha: number;
  tpa: XarpEndpoint;
  /** The dissector flagged it xarp.conflict. */
  conflict: boolean;
  /** xarp.conflict_with: the probe this message conflicts with. */
  conflictWith: number | null;
  /** xarp.app_mac when the message carries an application MAC. */
  appMac: number | null;
}

export interface ExpertRecord {
  frame: number;
  abbrev: string;
  severity: Severity;
  text: string;
  /** xarp.app_mac of the frame (for xarp.not_local_unicast). */
  appMac: number | null;
}

export interface FilterCount {
  count: number;
  /** First matching frame numbers (at most 10). */
  frames: number[];
}

export interface Facts {
  file: string;
  frames: number;
  durationSec: number;
  /** Present when some rule needs dissection. */
  xarp: XarpRecord[];
  /** Every xarp.* expert info, any severity. */
  experts: ExpertRecord[];
  /** Frames with an XARP layer the dissector marked malformed. */
  malformedXarp: number[];
  /** By rule index. */
  filters: Map<number, FilterCount>;
  /** The NIC model's report, when some rule needs it. */
  model: Report | null;
}

/** How the host was chosen when the policy names none (as arpx replay prints it). */
export interface CollectOptions {
  onHostGuess?: (text: string) => void;
}

const MAX_EXAMPLES = 10;

/**
 * Reads `file` once (twice when the model needs the host guessed, as arpx replay does) and returns
 * its facts. Throws CaptureFileError for a file that cannot be read or is damaged.
 */
export async function collect(file: string, policy: Policy, opts: CollectOptions = {}): Promise<Facts> {
  const wantModel = policy.rules.some(needsModel);
  const wantDissect = policy.rules.some(needsDissection);
  const ms = policy.model;
  const facts: Facts = { file, frames: 0, durationSec: 0, xarp: [], experts: [], malformedXarp: [], filters: new Map(), model: null };

  // 1. the model, as arpx replay sets it up (src/nicmodel/run.ts: the host guessed from the first
  //    frames when nothing names it), or just the capture
  const mon = wantModel ? new RingMonitor({ series: false }) : null;
  const run = wantModel ? await startRun({ ...ms, file }, mon) : null;
  const reader: CaptureReader = run !== null ? run.reader : await openCapture(file);
  try {
    if (run?.guess) {
      opts.onHostGuess?.(`host guessed from the first ${run.guess.frames} frames: ${run.guess.basis}`);
      if (run.guess.cut) throw new CaptureFileError("stdin", -1, "more than 16 MB of frames were needed to guess the host: set model.hostMac in the policy, or give a file");
    }

    // 2. the model and the dissection engine, fed the same frames
    const feeder = run?.feeder ?? null;
    const dissect = wantDissect ? await dissector(policy, facts) : null;
    let t0Sec = 0, t0Nsec = 0, lastNs = 0, first = true;
    const handle = (r: CaptureRecord): void => {
      facts.frames++;
      if (!r.noTimestamp) {
        if (first) {
          first = false;
          t0Sec = r.tsSec;
          t0Nsec = r.tsNsec;
        }
        lastNs = (r.tsSec - t0Sec) * 1e9 + (r.tsNsec - t0Nsec);
      }
      feeder?.feed(r);
      dissect?.(r, lastNs);
    };
    if (run !== null) {
      for (const r of run.buffered) handle(r);
      run.buffered.length = 0;
    }
    for (;;) {
      let r: CaptureRecord | null;
      while ((r = reader.next()) !== null) handle(r);
      if (!(await reader.fill())) break;
    }
    facts.durationSec = lastNs / 1e9;

    if (run !== null) {
      const { model } = run;
      model.finish();
      const cost = resolveCost(model.cfg.cost);
      facts.model = buildReport(model, mon, { file, speed: ms.speed, hostGuessed: run.guess !== null, hostBasis: run.guess?.basis ?? null, startEpoch: run.feeder.startEpoch, cost, profile: null, includeSeries: false });
      if (!facts.model.invariants.ok) throw new Error(`the NIC model broke conservation: ${facts.model.invariants.violations.join("; ")}`);
    }
  } finally {
    await reader.close();
  }
  return facts;
}

/** The per-frame dissection step: records XARP messages, xarp.* experts and filter matches. */
async function dissector(policy: Policy, facts: Facts): Promise<(r: CaptureRecord, tNs: number) => void> {
  const { Engine } = await import("../dissect/engine.js");
  const { TreeMode } = await import("../dissect/tree.js");
  const { fieldByName } = await import("../dissect/fields.js");
  await import("../dissect/protocols/index.js");
  const field = (abbrev: string): Field => {
    const f = fieldByName(abbrev);
    if (f === undefined) throw new Error(`field ${abbrev} is not registered`);
    return f;
  };
  const hf = {
    opcode: field("xarp.opcode"),
    src_hw: field("xarp.src.hw_mac"),
    src_ip: field("xarp.src.ipv4"),
    src_port: field("xarp.src.port"),
    src_tproto: field("xarp.src.proto"),
    src_flags: field("xarp.src.flags"),
    dst_hw: field("xarp.dst.hw_mac"),
    dst_ip: field("xarp.dst.ipv4"),
    dst_port: field("xarp.dst.port"),
    dst_tproto: field("xarp.dst.proto"),
    dst_flags: field("xarp.dst.flags"),
    app_mac: field("xarp.app_mac"),
    conflict_with: field("xarp.conflict_with"),
  };
  const xarpFields = Object.values(hf);
  const filters = [...policy.filters];
  const fields = new Set(xarpFields);
  for (const [, f] of filters) for (const x of f.fields) fields.add(x);
  for (const [i] of filters) facts.filters.set(i, { count: 0, frames: [] });
  const engine = new Engine({ mode: TreeMode.FIELDS, fields, columns: false });
  const tree = engine.tree;
  const num = (f: Field): number | null => {
    const v = tree.get(f)[0];
    return typeof v === "number" ? v : null;
  };
  const ep = (ip: Field, port: Field, proto: Field, flags: Field): XarpEndpoint | null => {
    const a = num(ip), b = num(port), c = num(proto), d = num(flags);
    return a === null || b === null || c === null || d === null ? null : { ip: a, port: b, proto: c, flags: d };
  };

  return (r, tNs) => {
    const p = engine.dissect(r);
    for (const [i, f] of filters) {
      if (!f.test(tree)) continue;
      const c = facts.filters.get(i)!;
      c.count++;
      if (c.frames.length < MAX_EXAMPLES) c.frames.push(p.num);
    }
    const op = num(hf.opcode);
    if (op === null) return; // no XARP in this frame
    let conflict = false;
    for (const e of p.experts) {
      const a = e.expert.abbrev;
      if (!a.startsWith("xarp.")) continue;
      if (a === "xarp.conflict") conflict = true;
      facts.experts.push({ frame: p.num, abbrev: a, severity: e.expert.severity, text: e.text, appMac: num(hf.app_mac) });
    }
    if (p.malformed) facts.malformedXarp.push(p.num);
    const sha = num(hf.src_hw), tha = num(hf.dst_hw);
    const spa = ep(hf.src_ip, hf.src_port, hf.src_tproto, hf.src_flags);
    const tpa = ep(hf.dst_ip, hf.dst_port, hf.dst_tproto, hf.dst_flags);
    if (sha === null || tha === null || spa === null || tpa === null) return; // cut short
    facts.xarp.push({ frame: p.num, tNs, op, sha, spa, tha, tpa, conflict, conflictWith: num(hf.conflict_with), appMac: num(hf.app_mac) });
  };
}
