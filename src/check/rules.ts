// Judging a capture's facts (collect.ts) against a policy's rules. Every rule gives one result: a
// name, pass or fail, the measured value and the bound as text (for people) and as numbers (for
// --json), and detail lines naming the frames or applications at fault. docs/check.md describes
// each rule's exact semantics.
import { FLAG_CANONICAL, XarpOp, endpointText as xarpEndpointText } from "../dissect/protocols/xarp-wire.js";
import { isLocalUnicastMac, macText, parseMac } from "../nicmodel/classify.js";
import { endpointText as cfgEndpointText, parseEndpoint, type Endpoint as CfgEndpoint } from "../nicmodel/config.js";
import { num } from "../ringmon/format.js";
import type { QueueReport } from "../ringmon/report.js";
import type { Facts, XarpEndpoint, XarpRecord } from "./collect.js";
import type { AppExpectation, AppsRule, CollisionsRule, FilterRule, KernelDropsRule, OccupancyRule, OverflowsRule, Policy, ResolutionRule, Rule, RuleKind, SpecRule } from "./policy.js";

export interface RuleResult {
  /** Position of the rule in the policy. */
  index: number;
  rule: RuleKind;
  name: string;
  ok: boolean;
  /** What was measured, for people ("1,745 overflows (34,222.4/s)"). */
  measured: string;
  /** The bound, for people ("<= 0 overflows"). */
  bound: string;
  /** The measured number compared with `limit` (null when the rule is not one number). */
  value: number | null;
  limit: number | null;
  unit: string;
  /** Frames, applications or MACs at fault (at most MAX_DETAILS lines, then a count). */
  details: string[];
  /** Rule-specific figures for machines. */
  data?: Record<string, unknown>;
}

const MAX_DETAILS = 10;

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_DETAILS) return lines;
  return [...lines.slice(0, MAX_DETAILS), `... and ${num(lines.length - MAX_DETAILS)} more`];
}

function ms(ns: number): string {
  return num(ns / 1e6, 3);
}

/** A bound as the policy gave it: 5 -> "5", 0.25 -> "0.25", 12000 -> "12,000". */
function plain(n: number): string {
  n = Math.round(n * 1e9) / 1e9;
  if (Number.isInteger(n)) return num(n);
  const s = String(n);
  return s.includes("e") ? s : num(n, s.length - s.indexOf(".") - 1);
}

export function defaultName(r: Rule): string {
  switch (r.rule) {
    case "overflows":
      return `overflows of ${r.app === "*" ? "every application" : r.app}`;
    case "occupancy":
      return `occupancy (${r.stat}) of ${r.app === "*" ? "every application" : r.app}`;
    case "kernel-drops":
      return "kernel queue drops";
    case "resolution":
      return `port resolution answered within ${plain(r.withinMs)} ms`;
    case "collisions":
      return "no unresolved MAC collision";
    case "spec":
      return "XARP messages follow the spec";
    case "app-macs":
      return "application MACs are locally administered unicast";
    case "apps":
      return "expected applications present";
    case "filter":
      return `filter "${r.filter}"`;
  }
}

export function evaluate(policy: Policy, facts: Facts): RuleResult[] {
  return policy.rules.map((r, i) => {
    const base = { index: i, rule: r.rule, name: r.name ?? defaultName(r) };
    switch (r.rule) {
      case "overflows":
        return { ...base, ...overflows(r, facts) };
      case "occupancy":
        return { ...base, ...occupancy(r, facts) };
      case "kernel-drops":
        return { ...base, ...kernelDrops(r, facts) };
      case "resolution":
        return { ...base, ...resolution(r, facts) };
      case "collisions":
        return { ...base, ...collisions(r, facts) };
      case "spec":
        return { ...base, ...spec(r, facts) };
      case "app-macs":
        return { ...base, ...appMacs(policy, facts) };
      case "apps":
        return { ...base, ...apps(r, facts) };
      case "filter":
        return { ...base, ...filter(r, i, facts) };
    }
  });
}

type Judged = Omit<RuleResult, "index" | "rule" | "name">;

// ---- applications of the NIC model ----

function ipEq(a: CfgEndpoint["ip"], b: CfgEndpoint["ip"]): boolean {
  if (a.kind === "any" || b.kind === "any") return true;
  if (a.kind === 4 && b.kind === 4) return a.v === b.v;
  if (a.kind === 6 && b.kind === 6) return a.b.every((x, i) => x === b.b[i]);
  return false;
}

function endpointMatches(want: CfgEndpoint, have: CfgEndpoint): boolean {
  return want.port === have.port && want.proto === have.proto && ipEq(want.ip, have.ip);
}

/** Applications a selector names: by name first, then by endpoint, then by MAC; "*" = all. */
function selectApps(facts: Facts, sel: string): { apps: QueueReport[]; all: QueueReport[] } {
  const all = facts.model!.queues.filter((q) => q.kind === "app");
  if (sel === "*") return { apps: all, all };
  const byName = all.filter((q) => q.name === sel);
  if (byName.length > 0) return { apps: byName, all };
  const e = sel.includes("/") ? parseEndpoint(sel) : null;
  if (e !== null) return { apps: all.filter((q) => q.endpoints.some((t) => { const h = parseEndpoint(t); return h !== null && endpointMatches(e, h); })), all };
  const m = parseMac(sel);
  if (m !== null) return { apps: all.filter((q) => q.macs.includes(macText(m))), all };
  return { apps: [], all };
}

function noSuchApp(sel: string, all: QueueReport[]): Judged {
  const names = all.map((q) => q.name);
  return {
    ok: false,
    measured: `no application matches "${sel}"`,
    bound: "the application exists in the NIC model",
    value: null,
    limit: null,
    unit: "",
    details: [names.length ? `applications: ${names.slice(0, 20).join(", ")}${names.length > 20 ? ", ..." : ""}` : "the NIC model has no applications (give model.config in the policy)"],
  };
}

function overflows(r: OverflowsRule, facts: Facts): Judged {
  const { apps, all } = selectApps(facts, r.app);
  if (apps.length === 0 && r.app !== "*") return noSuchApp(r.app, all);
  const bounds: string[] = [];
  if (r.max !== undefined) bounds.push(`<= ${plain(r.max)} overflows`);
  if (r.maxPerSecond !== undefined) bounds.push(`<= ${plain(r.maxPerSecond)}/s`);
  if (r.maxRatio !== undefined) bounds.push(`<= ${plain(r.maxRatio * 100)}% of arrivals`);
  const bound = bounds.join(", ");
  const per = apps.map((q) => {
    const count = q.overflow.count;
    const perSecond = q.overflow.perSecond ?? (count > 0 ? Infinity : 0);
    const ratio = q.overflow.ratio ?? 0;
    const ok = (r.max === undefined || count <= r.max) && (r.maxPerSecond === undefined || perSecond <= r.maxPerSecond) && (r.maxRatio === undefined || ratio <= r.maxRatio);
    const text = `${num(count)} overflow${count === 1 ? "" : "s"} (${num(perSecond, 3)}/s, ${num(ratio * 100, 3)}% of ${num(q.packets.arrived)} arrivals)`;
    return { q, count, perSecond, ratio, ok, text };
  });
  if (per.length === 0) return { ok: true, measured: "no applications", bound, value: 0, limit: r.max ?? r.maxPerSecond ?? r.maxRatio ?? null, unit: "overflows", details: [] };
  const primary = (x: (typeof per)[number]) => (r.max !== undefined ? x.count : r.maxPerSecond !== undefined ? x.perSecond : x.ratio);
  const worst = per.reduce((a, b) => (primary(b) > primary(a) ? b : a));
  const bad = per.filter((x) => !x.ok);
  const single = per.length === 1 && r.app !== "*";
  const measured = single ? worst.text : primary(worst) === 0 ? `${num(per.length)} application${per.length === 1 ? "" : "s"}, none overflowed` : `worst ${worst.q.name}: ${worst.text}`;
  return {
    ok: bad.length === 0,
    measured,
    bound,
    value: primary(worst),
    limit: r.max ?? r.maxPerSecond ?? r.maxRatio ?? null,
    unit: r.max !== undefined ? "overflows" : r.maxPerSecond !== undefined ? "overflows/s" : "ratio",
    details: capped(bad.map((x) => `${x.q.name}: ${x.text}`)),
    data: { apps: per.map((x) => ({ name: x.q.name, overflows: x.count, perSecond: x.perSecond === Infinity ? "Infinity" : x.perSecond, ratio: x.ratio, arrived: x.q.packets.arrived, ok: x.ok })) },
  };
}

function occupancy(r: OccupancyRule, facts: Facts): Judged {
  const { apps, all } = selectApps(facts, r.app);
  if (apps.length === 0 && r.app !== "*") return noSuchApp(r.app, all);
  const bound = `<= ${plain(r.maxPercent)}% of the ring`;
  const per = apps.map((q) => {
    const level = q.occupancy[r.stat];
    const pct = q.ring.size > 0 ? (level / q.ring.size) * 100 : 0;
    return { q, level, pct, ok: pct <= r.maxPercent, text: `${num(pct, 2)}% of the ring (${r.stat} ${num(level, r.stat === "mean" ? 3 : 0)} of ${num(q.ring.size)} descriptors)` };
  });
  if (per.length === 0) return { ok: true, measured: "no applications", bound, value: 0, limit: r.maxPercent, unit: "%", details: [] };
  const worst = per.reduce((a, b) => (b.pct > a.pct ? b : a));
  const bad = per.filter((x) => !x.ok);
  const single = per.length === 1 && r.app !== "*";
  const measured = single ? worst.text : worst.level === 0 ? `${num(per.length)} application${per.length === 1 ? "" : "s"}, ${r.stat} 0 (ring${per.length === 1 ? "" : "s"} empty)` : `worst ${worst.q.name}: ${worst.text}`;
  return {
    ok: bad.length === 0,
    measured,
    bound,
    value: Math.round(worst.pct * 1000) / 1000,
    limit: r.maxPercent,
    unit: "%",
    details: capped(bad.map((x) => `${x.q.name}: ${x.text}`)),
    data: { apps: per.map((x) => ({ name: x.q.name, percent: x.pct, level: x.level, ring: x.q.ring.size, ok: x.ok })) },
  };
}

function kernelDrops(r: KernelDropsRule, facts: Facts): Judged {
  const k = facts.model!.queues.find((q) => q.kind === "kernel")!;
  const drops = k.packets.dropped;
  const perSecond = k.overflow.perSecond ?? (drops > 0 ? Infinity : 0);
  const ok = (r.max === undefined || drops <= r.max) && (r.maxPerSecond === undefined || perSecond <= r.maxPerSecond);
  const bounds: string[] = [];
  if (r.max !== undefined) bounds.push(`<= ${plain(r.max)} drops`);
  if (r.maxPerSecond !== undefined) bounds.push(`<= ${plain(r.maxPerSecond)}/s`);
  return {
    ok,
    measured: `${num(drops)} drop${drops === 1 ? "" : "s"} (${num(perSecond, 3)}/s) of ${num(k.packets.arrived)} arrivals (${num(k.packets.fromOverflow ?? 0)} from application overflow)`,
    bound: bounds.join(", "),
    value: r.max !== undefined ? drops : perSecond,
    limit: r.max ?? r.maxPerSecond ?? null,
    unit: r.max !== undefined ? "drops" : "drops/s",
    details: drops > 0 && k.overflow.firstSec !== null ? [`first drop at ${num(k.overflow.firstSec, 6)} s; kernel queue of ${num(k.ring.size)} descriptors released at ${k.ring.packetsPerSecond !== null ? num(k.ring.packetsPerSecond) : "-"} packets/s`] : [],
    data: { drops, perSecond: perSecond === Infinity ? "Infinity" : perSecond, arrived: k.packets.arrived, fromOverflow: k.packets.fromOverflow ?? 0 },
  };
}

// ---- XARP ----

function epKey(e: XarpEndpoint): string {
  return `${e.ip}:${e.port}:${e.proto}`;
}

function sameEndpoint(a: XarpEndpoint, b: XarpEndpoint): boolean {
  return a.ip === b.ip && a.port === b.port && a.proto === b.proto;
}

function epText(e: XarpEndpoint): string {
  return xarpEndpointText(e);
}

function hostText(e: XarpEndpoint): string {
  return xarpEndpointText({ ...e, port: 0, proto: 0 });
}

function resolution(r: ResolutionRule, facts: Facts): Judged {
  interface Req { rec: XarpRecord; answer: XarpRecord | null }
  const reqs: Req[] = [];
  const pending = new Map<string, Req[]>();
  for (const x of facts.xarp) {
    if (x.op === XarpOp.REQUEST) {
      const q: Req = { rec: x, answer: null };
      reqs.push(q);
      const key = `${epKey(x.tpa)}|${x.sha}`;
      const list = pending.get(key);
      if (list) list.push(q);
      else pending.set(key, [q]);
    } else if (x.op === XarpOp.REPLY) {
      // a reply answers every request still waiting for that endpoint from that requester (retries too)
      const key = `${epKey(x.spa)}|${x.tha}`;
      const list = pending.get(key);
      if (!list) continue;
      for (const q of list) q.answer = x;
      pending.delete(key);
    }
  }
  const limitNs = r.withinMs * 1e6;
  const bound = `every request answered within ${plain(r.withinMs)} ms`;
  if (reqs.length === 0) return { ok: true, measured: "no resolution requests", bound, value: null, limit: r.withinMs, unit: "ms", details: [], data: { requests: 0, unanswered: 0, late: 0, slowestMs: null } };
  let slowest = -1;
  let unanswered = 0, late = 0;
  const bad: string[] = [];
  for (const q of reqs) {
    const what = `frame ${q.rec.frame}: ${epText(q.rec.tpa)} asked by ${macText(q.rec.sha)}`;
    if (q.answer === null) {
      unanswered++;
      bad.push(`${what}: no reply`);
      continue;
    }
    const ns = q.answer.tNs - q.rec.tNs;
    if (ns > slowest) slowest = ns;
    if (ns > limitNs + 1e-6) {
      late++;
      bad.push(`${what}: answered in ${ms(ns)} ms (frame ${q.answer.frame})`);
    }
  }
  const parts = [`${num(reqs.length)} request${reqs.length === 1 ? "" : "s"}`];
  if (slowest >= 0) parts.push(`slowest answered in ${ms(slowest)} ms`);
  parts.push(`${num(unanswered)} unanswered`);
  if (late > 0) parts.push(`${num(late)} late`);
  return {
    ok: bad.length === 0,
    measured: parts.join(", "),
    bound,
    value: unanswered > 0 ? null : slowest / 1e6,
    limit: r.withinMs,
    unit: "ms",
    details: capped(bad),
    data: { requests: reqs.length, unanswered, late, slowestMs: slowest >= 0 ? slowest / 1e6 : null },
  };
}

interface Collision {
  kind: "probe" | "announce";
  mac: number;
  /** probe: the host that must move (IPv4); announce: both endpoints claiming the MAC. */
  ip: number;
  parties: XarpEndpoint[];
  frames: number[];
  what: string;
  resolvedBy: number | null;
}

function collisions(_r: CollisionsRule, facts: Facts): Judged {
  const groups = new Map<string, Collision>();
  const announcer = new Map<number, XarpEndpoint>();
  for (const x of facts.xarp) {
    if (x.conflict) {
      let key: string, c: Omit<Collision, "frames" | "resolvedBy">;
      if (x.op === XarpOp.DEFEND || x.op === XarpOp.PROBE) {
        const prober = x.op === XarpOp.DEFEND ? x.tpa.ip : x.spa.ip;
        const mac = x.op === XarpOp.DEFEND ? x.sha : x.tha;
        const who = hostText({ ...x.tpa, ip: prober });
        key = `p|${mac}|${prober}`;
        c = {
          kind: "probe",
          mac,
          ip: prober,
          parties: [],
          what:
            x.op === XarpOp.DEFEND
              ? `${macText(mac)} probed by ${who}${x.conflictWith !== null ? ` (frame ${x.conflictWith})` : ""} is defended by ${epText(x.spa)} (frame ${x.frame})`
              : `${macText(mac)} probed by ${who} (frame ${x.frame}) is being probed by another station${x.conflictWith !== null ? ` (frame ${x.conflictWith})` : ""}`,
        };
      } else if (x.op === XarpOp.ANNOUNCE) {
        const prev = announcer.get(x.sha);
        key = `a|${x.sha}|${epKey(x.spa)}`;
        c = {
          kind: "announce",
          mac: x.sha,
          ip: x.spa.ip,
          parties: prev ? [x.spa, prev] : [x.spa],
          what: `${macText(x.sha)} announced for ${epText(x.spa)} (frame ${x.frame})${prev ? ` is already announced for ${epText(prev)}` : " is announced by another host"}`,
        };
      } else continue;
      const g = groups.get(key);
      if (g) {
        g.frames.push(x.frame);
        g.resolvedBy = null; // a new conflict after a resolution opens it again
      } else groups.set(key, { ...c, frames: [x.frame], resolvedBy: null });
    }
    if (x.op === XarpOp.ANNOUNCE) {
      for (const g of groups.values()) {
        if (g.resolvedBy !== null || x.sha === g.mac) continue;
        const moved = g.kind === "probe" ? x.spa.ip === g.ip : g.parties.some((p) => sameEndpoint(p, x.spa));
        if (moved) g.resolvedBy = x.frame;
      }
      announcer.set(x.sha, x.spa);
    }
  }
  const all = [...groups.values()];
  const open = all.filter((g) => g.resolvedBy === null);
  const bound = "0 unresolved";
  if (all.length === 0) return { ok: true, measured: "no MAC collisions", bound, value: 0, limit: 0, unit: "collisions", details: [], data: { collisions: 0, unresolved: 0 } };
  const who = (g: Collision) => (g.kind === "probe" ? hostText({ ip: g.ip, port: 0, proto: 0, flags: 0 }) : g.parties.map(epText).join(" or "));
  return {
    ok: open.length === 0,
    measured: `${num(all.length)} collision${all.length === 1 ? "" : "s"}, ${num(open.length)} unresolved${open.length === 0 ? ` (resolved in frame${all.length === 1 ? "" : "s"} ${all.map((g) => g.resolvedBy).join(", ")})` : ""}`,
    bound,
    value: open.length,
    limit: 0,
    unit: "collisions",
    details: capped(open.map((g) => `${g.what}; ${who(g)} never announced another MAC afterwards`)),
    data: { collisions: all.length, unresolved: open.length, frames: all.map((g) => ({ mac: macText(g.mac), frames: g.frames, resolvedBy: g.resolvedBy })) },
  };
}

const RANK = { chat: 0, note: 1, warn: 2, error: 3 } as const;

function spec(r: SpecRule, facts: Facts): Judged {
  const min = RANK[r.severity];
  const hits = facts.experts.filter((e) => RANK[e.severity] >= min && !r.ignore.includes(e.abbrev));
  const frames = new Set<number>(hits.map((e) => e.frame));
  for (const f of facts.malformedXarp) frames.add(f);
  const byAbbrev = new Map<string, number>();
  for (const e of hits) byAbbrev.set(e.abbrev, (byAbbrev.get(e.abbrev) ?? 0) + 1);
  if (facts.malformedXarp.length) byAbbrev.set("_ws.malformed", facts.malformedXarp.length);
  const lines = hits.map((e) => ({ frame: e.frame, text: `frame ${e.frame}: ${e.abbrev} (${e.severity}): ${e.text}` }));
  for (const f of facts.malformedXarp) lines.push({ frame: f, text: `frame ${f}: malformed XARP message` });
  lines.sort((a, b) => a.frame - b.frame);
  const n = frames.size;
  const counted = r.severity === "warn" ? "warning or error" : "error";
  const aCounted = r.severity === "warn" ? "a warning or an error" : "an error";
  return {
    ok: n === 0,
    measured:
      n === 0
        ? `${num(facts.xarp.length)} XARP message${facts.xarp.length === 1 ? "" : "s"}, none with ${aCounted}`
        : `${num(n)} of ${num(Math.max(n, facts.xarp.length))} XARP messages break the spec (${[...byAbbrev].map(([k, v]) => `${k} x${v}`).join(", ")})`,
    bound: `no ${counted} expert info${r.ignore.length ? ` (ignoring ${r.ignore.join(", ")})` : ""}`,
    value: n,
    limit: 0,
    unit: "messages",
    details: capped(lines.map((l) => l.text)),
    data: { messages: facts.xarp.length, violating: n, byExpert: Object.fromEntries(byAbbrev) },
  };
}

/** The application MAC an XARP message carries (spec section 3), or null (canonical / none). */
function appMacOf(x: XarpRecord): number | null {
  switch (x.op) {
    case XarpOp.REPLY:
    case XarpOp.DEFEND:
      return (x.spa.flags & FLAG_CANONICAL) !== 0 ? null : x.sha;
    case XarpOp.ANNOUNCE:
    case XarpOp.RELEASE:
      return x.sha;
    case XarpOp.PROBE:
      return x.tha;
    default:
      return null;
  }
}

const OP_TEXT: Record<number, string> = { 2: "reply", 3: "probe", 4: "announce", 5: "defend", 6: "release" };

function appMacs(policy: Policy, facts: Facts): Judged {
  const seen = new Map<number, string>();
  const bad = new Map<number, string>();
  for (const x of facts.xarp) {
    const m = appMacOf(x);
    if (m === null || seen.has(m)) continue;
    const where = `${OP_TEXT[x.op]} ${x.op === XarpOp.PROBE ? `by ${hostText(x.spa)}` : `for ${epText(x.spa)}`} (frame ${x.frame})`;
    seen.set(m, where);
    if (!isLocalUnicastMac(m)) bad.set(m, where);
  }
  for (const a of policy.model.config?.apps ?? []) {
    if (a.mac === undefined || a.mac === "auto") continue;
    const m = parseMac(a.mac)!;
    const where = `configured for application "${a.name}" (model.config)`;
    if (!seen.has(m)) seen.set(m, where);
    if (!isLocalUnicastMac(m) && !bad.has(m)) bad.set(m, where);
  }
  const total = seen.size;
  return {
    ok: bad.size === 0,
    measured:
      total === 0
        ? "no application MACs"
        : bad.size === 0
          ? `${num(total)} application MAC${total === 1 ? "" : "s"}, all locally administered unicast`
          : `${num(bad.size)} of ${num(total)} application MAC${total === 1 ? "" : "s"} not locally administered unicast`,
    bound: "every application MAC locally administered unicast",
    value: bad.size,
    limit: 0,
    unit: "MACs",
    details: capped([...bad].map(([m, w]) => `${macText(m)}: ${w}`)),
    data: { macs: total, bad: [...bad.keys()].map(macText) },
  };
}

interface Candidate {
  names: string[];
  macs: string[];
  endpoints: CfgEndpoint[];
  label: string;
}

function apps(r: AppsRule, facts: Facts): Judged {
  // applications XARP shows: ANNOUNCE, or REPLY without the canonical flag, grouped by MAC
  const xarp = new Map<number, XarpEndpoint[]>();
  for (const x of facts.xarp) {
    const claims = x.op === XarpOp.ANNOUNCE || (x.op === XarpOp.REPLY && (x.spa.flags & FLAG_CANONICAL) === 0);
    if (!claims || (x.spa.port === 0 && x.spa.proto === 0)) continue;
    const list = xarp.get(x.sha) ?? [];
    if (!list.some((e) => sameEndpoint(e, x.spa))) list.push(x.spa);
    xarp.set(x.sha, list);
  }
  const toCfg = (e: XarpEndpoint): CfgEndpoint => ({ ip: { kind: 4, v: e.ip }, proto: e.proto, port: e.port });
  const cands: Candidate[] = [];
  for (const q of facts.model?.queues ?? []) {
    if (q.kind !== "app") continue;
    // a configured application is present when the capture shows it: traffic reached it, or XARP announced its MAC
    const shown = q.source !== "config" || q.packets.arrived > 0 || q.macs.some((m) => xarp.has(parseMac(m)!));
    if (!shown) continue;
    cands.push({ names: [q.name], macs: q.macs, endpoints: q.endpoints.map((t) => parseEndpoint(t)).filter((e): e is CfgEndpoint => e !== null), label: q.name });
  }
  for (const [m, eps] of xarp) {
    const e = eps.map(toCfg);
    cands.push({ names: [cfgEndpointText(e[0]!)], macs: [macText(m)], endpoints: e, label: `${macText(m)} (XARP)` });
  }
  const describe = (x: AppExpectation) => [x.name !== undefined ? `name ${x.name}` : "", x.endpoint !== undefined ? `endpoint ${x.endpoint}` : "", x.mac !== undefined ? `mac ${x.mac}` : ""].filter(Boolean).join(", ");
  const matches = (x: AppExpectation, c: Candidate): boolean => {
    if (x.name !== undefined && !c.names.includes(x.name)) return false;
    if (x.mac !== undefined && !c.macs.includes(macText(parseMac(x.mac)!))) return false;
    if (x.endpoint !== undefined) {
      const want = parseEndpoint(x.endpoint)!;
      if (!c.endpoints.some((h) => endpointMatches(want, h))) return false;
    }
    return true;
  };
  const missing: string[] = [];
  const found: string[] = [];
  for (const x of r.expect) {
    const c = cands.find((k) => matches(x, k));
    if (c) found.push(`${describe(x)}: ${c.label}`);
    else missing.push(describe(x));
  }
  const n = r.expect.length;
  return {
    ok: missing.length === 0,
    measured: `${num(found.length)} of ${num(n)} present${missing.length ? `; missing ${missing.join("; ")}` : ""}`,
    bound: `all ${num(n)} present`,
    value: found.length,
    limit: n,
    unit: "applications",
    details: missing.length ? capped([...missing.map((m) => `missing: ${m}`), `seen: ${cands.map((c) => c.label).join(", ") || "no applications"}`]) : [],
    data: { found, missing },
  };
}

function filter(r: FilterRule, index: number, facts: Facts): Judged {
  const c = facts.filters.get(index) ?? { count: 0, frames: [] };
  let ok: boolean, bound: string, limit: number;
  if (r.exactly !== undefined) {
    ok = c.count === r.exactly;
    bound = `exactly ${num(r.exactly)}`;
    limit = r.exactly;
  } else if (r.min !== undefined && r.max !== undefined) {
    ok = c.count >= r.min && c.count <= r.max;
    bound = `between ${num(r.min)} and ${num(r.max)}`;
    limit = c.count < r.min ? r.min : r.max;
  } else if (r.min !== undefined) {
    ok = c.count >= r.min;
    bound = `at least ${num(r.min)}`;
    limit = r.min;
  } else {
    ok = c.count <= r.max!;
    bound = `at most ${num(r.max!)}`;
    limit = r.max!;
  }
  return {
    ok,
    measured: `${num(c.count)} packet${c.count === 1 ? "" : "s"} match${c.count === 1 ? "es" : ""}`,
    bound: `${bound} packet${limit === 1 ? "" : "s"}`,
    value: c.count,
    limit,
    unit: "packets",
    details: !ok && c.frames.length ? [`first matching frames: ${c.frames.join(", ")}`] : [],
    data: { count: c.count, frames: c.frames },
  };
}
