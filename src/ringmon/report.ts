// The replay report: one plain object (what --json prints) built from the model's counters, the
// monitor's occupancy statistics and series, the sizing advice and the cost model. The table,
// CSV and HTML outputs all format this object.
import { macText, ipv4Text } from "../nicmodel/classify.js";
import { endpointText, type ModelConfig } from "../nicmodel/config.js";
import { copyMapCrossover, mapUnmapNs, SCHEMES, schemeCost, schemeCycles, type CostParams, type Delivered, type Scheme, type SchemeCost } from "../nicmodel/cost.js";
import { REASON_KEYS, type NicModel } from "../nicmodel/model.js";
import { rateOf, type RateAdvice } from "../nicmodel/sizing.js";
import type { RingMonitor, QueueStats } from "./monitor.js";

export interface RateText {
  /** Slowest release rate (packets/s) with zero overflow; exact for batch 1. null: no rate works; 0: any rate (even none). */
  packetsPerSecond: number | null;
  nsPerPacket: number | null;
  exact: boolean;
  /** Batch > 1: below this rate overflow is certain (packets/s). */
  overflowCertainBelow: number | null;
  note: string;
}

export interface QueueReport {
  queue: number;
  name: string;
  kind: "kernel" | "app";
  mac: string | null;
  macs: string[];
  endpoints: string[];
  source: string;
  active: boolean;
  ring: { size: number; bufferSize: number; nsPerPacket: number; packetsPerSecond: number | null; batch: number };
  packets: {
    arrived: number;
    arrivedBytes: number;
    accepted: number;
    delivered: number;
    deliveredBytes: number;
    /** App: refused by the ring and taken by the kernel queue. */
    overflowed: number;
    /** App: refused by the ring and lost (kernel queue full). Kernel: all frames it refused. */
    dropped: number;
    queued: number;
    /** Kernel: frames that came from applications' overflow. */
    fromOverflow?: number;
  };
  overflow: { count: number; perSecond: number | null; ratio: number | null; firstSec: number | null; ringFull: number; fillRingEmpty: number };
  occupancy: { mean: number; p50: number; p99: number; max: number; highWater: number; timeFullSec: number; timeFullRatio: number | null };
  /** The same facts under the names existing tools give them. */
  counters: Record<string, number>;
  sizing: { minRing: number; slowestRate: RateText };
  /** Kernel only: why frames came to the kernel queue. */
  reasons?: Record<string, number>;
}

export interface CostReport {
  params: CostParams;
  /** Derived: fault + unmap + shootdown per page at params.cores (ns). */
  mapUnmapNsPerPage: number;
  /** Frame size (bytes) from which a CPU copy costs more than a map/unmap; null: never. */
  crossoverBytes: number | null;
  perQueue: { name: string; packets: number; bytes: number; schemes: SchemeCost[] }[];
  /** Applications under each scheme + the kernel queue's traffic copied. */
  total: SchemeCost[];
  profile: string | null;
}

export interface SeriesReport {
  intervalSec: number;
  bins: number;
  queues: { name: string; arrivals: number[]; accepted: number[]; overflows: number[]; drops: number[]; delivered: number[]; meanOccupancy: number[]; maxOccupancy: number[] }[];
}

export interface Report {
  file: string;
  dispatch: "mac" | "port";
  filter: "promiscuous" | "mac";
  speed: number;
  learn: string[];
  host: { mac: string | null; ip: string | null; guessed: boolean; basis: string | null };
  startEpoch: number;
  durationSec: number;
  frames: { read: number; transmitted: number; filtered: number; arrived: number; arrivedBytes: number; timeWentBack: number; xarp: number; xarpLearned: number; xarpReleased: number };
  queues: QueueReport[];
  totals: { arrived: number; deliveredToApps: number; deliveredByKernel: number; overflowedToKernel: number; dropped: number; queued: number };
  invariants: { ok: boolean; violations: string[] };
  cost: CostReport;
  notes: string[];
  series?: SeriesReport;
}

export interface ReportContext {
  file: string;
  speed: number;
  hostGuessed: boolean;
  hostBasis: string | null;
  startEpoch: number;
  cost: CostParams;
  profile: string | null;
  includeSeries: boolean;
}

function round(x: number, d = 3): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function rateText(r: RateAdvice, batch: number): RateText {
  if (r.oversize) return { packetsPerSecond: null, nsPerPacket: null, exact: true, overflowCertainBelow: null, note: "no rate: a frame needs more descriptors than the ring has" };
  if (r.necessaryNs === 0) return { packetsPerSecond: null, nsPerPacket: null, exact: true, overflowCertainBelow: null, note: "no rate: more descriptors than the ring holds arrive at one instant" };
  if (r.necessaryNs === Infinity) return { packetsPerSecond: 0, nsPerPacket: null, exact: true, overflowCertainBelow: null, note: "any rate: the ring never fills even with no release" };
  if (batch === 1 || r.exact) return { packetsPerSecond: rateOf(r.necessaryNs), nsPerPacket: r.necessaryNs, exact: true, overflowCertainBelow: null, note: "exact" };
  const safe = r.safeNs === 0 ? null : rateOf(r.safeNs);
  return {
    packetsPerSecond: safe,
    nsPerPacket: r.safeNs === 0 ? null : r.safeNs,
    exact: false,
    overflowCertainBelow: rateOf(r.necessaryNs),
    note: safe === null ? `batch ${batch}: no guaranteed rate from the closed form; below the other figure overflow is certain` : `batch ${batch}: zero overflow guaranteed at or above this rate; overflow certain below the other figure`,
  };
}

function occupancy(s: QueueStats | undefined, T: number, fallbackMax: number): QueueReport["occupancy"] {
  if (s === undefined) return { mean: 0, p50: 0, p99: 0, max: fallbackMax, highWater: fallbackMax, timeFullSec: 0, timeFullRatio: null };
  return {
    mean: T > 0 ? round(s.area / T, 3) : 0,
    p50: s.quantile(0.5, T),
    p99: s.quantile(0.99, T),
    max: s.maxOcc,
    highWater: s.maxOcc,
    timeFullSec: round(s.timeFull / 1e9, 9),
    timeFullRatio: T > 0 ? round(s.timeFull / T, 6) : null,
  };
}

export function buildReport(model: NicModel, mon: RingMonitor | null, ctx: ReportContext): Report {
  const cfg: ModelConfig = model.cfg;
  const T = model.endNs;
  const durSec = T / 1e9;
  const queues: QueueReport[] = [];
  const K = model.kernel;
  const kStats = mon?.queues[0];
  const perSec = (n: number) => (durSec > 0 ? round(n / durSec, 3) : null);
  const reasons: Record<string, number> = {};
  REASON_KEYS.forEach((k, i) => (reasons[k] = K.reasons[i]!));
  const kr = K.ring;
  queues.push({
    queue: 0,
    name: "kernel",
    kind: "kernel",
    mac: cfg.hostMac !== null ? macText(cfg.hostMac) : null,
    macs: cfg.hostMac !== null ? [macText(cfg.hostMac)] : [],
    endpoints: [],
    source: "kernel",
    active: true,
    ring: { size: kr.size, bufferSize: kr.bufferSize, nsPerPacket: kr.nsPerPacket, packetsPerSecond: kr.nsPerPacket > 0 ? round(1e9 / kr.nsPerPacket, 3) : null, batch: kr.batch },
    packets: { arrived: K.arrived, arrivedBytes: K.arrivedBytes, accepted: kr.accepted, delivered: kr.released, deliveredBytes: kr.releasedBytes, overflowed: 0, dropped: K.dropped, queued: kr.held, fromOverflow: K.reasons[7]! },
    overflow: { count: K.dropped, perSecond: perSec(K.dropped), ratio: K.arrived > 0 ? round(K.dropped / K.arrived, 6) : null, firstSec: K.firstDropNs >= 0 ? K.firstDropNs / 1e9 : null, ringFull: 0, fillRingEmpty: 0 },
    occupancy: occupancy(kStats, T, kr.maxOcc),
    counters: { rx_queue_0_packets: kr.accepted, rx_queue_0_bytes: kr.acceptedBytes, rx_missed_errors: K.dropped },
    sizing: { minRing: (K.shadow ?? kr).maxOcc, slowestRate: rateText(K.rate.result(), kr.batch) },
    reasons,
  });
  let deliveredApps = 0, overflowed = 0, dropped = K.dropped, queued = kr.held;
  for (const a of model.apps) {
    const r = a.ring;
    const s = mon?.queues[a.queue];
    const refused = a.overflowed + a.dropped;
    deliveredApps += r.released;
    overflowed += a.overflowed;
    queued += r.held;
    const n = a.queue;
    queues.push({
      queue: n,
      name: a.name,
      kind: "app",
      mac: a.mac !== null ? macText(a.mac) : null,
      macs: a.macs.map(macText),
      endpoints: a.endpoints.map(endpointText),
      source: a.source,
      active: a.active,
      ring: { size: r.size, bufferSize: r.bufferSize, nsPerPacket: r.nsPerPacket, packetsPerSecond: r.nsPerPacket > 0 ? round(1e9 / r.nsPerPacket, 3) : null, batch: r.batch },
      packets: { arrived: a.arrived, arrivedBytes: a.arrivedBytes, accepted: r.accepted, delivered: r.released, deliveredBytes: r.releasedBytes, overflowed: a.overflowed, dropped: a.dropped, queued: r.held },
      overflow: { count: refused, perSecond: perSec(refused), ratio: a.arrived > 0 ? round(refused / a.arrived, 6) : null, firstSec: a.firstOverflowNs >= 0 ? a.firstOverflowNs / 1e9 : null, ringFull: a.overflowRingFull, fillRingEmpty: a.overflowFillEmpty },
      occupancy: occupancy(s, T, r.maxOcc),
      counters: {
        [`rx_queue_${n}_packets`]: r.accepted,
        [`rx_queue_${n}_bytes`]: r.acceptedBytes,
        rx_ring_full: a.overflowRingFull,
        rx_fill_ring_empty_descs: a.overflowFillEmpty,
        imissed: refused,
      },
      sizing: { minRing: (a.shadow ?? r).maxOcc, slowestRate: rateText(a.rate.result(), r.batch) },
    });
  }
  const c = model.counters;
  const violations = model.checkInvariants();
  const report: Report = {
    file: ctx.file,
    dispatch: cfg.dispatch,
    filter: cfg.filter,
    speed: ctx.speed,
    learn: [...cfg.learn],
    host: { mac: cfg.hostMac !== null ? macText(cfg.hostMac) : null, ip: cfg.hostIp !== null ? ipv4Text(cfg.hostIp) : null, guessed: ctx.hostGuessed, basis: ctx.hostBasis },
    startEpoch: ctx.startEpoch,
    durationSec: round(durSec, 9),
    frames: { read: c.framesRead, transmitted: c.transmitted, filtered: c.filtered, arrived: c.arrived, arrivedBytes: c.arrivedBytes, timeWentBack: c.timeWentBack, xarp: c.xarpSeen, xarpLearned: c.xarpLearned, xarpReleased: c.xarpReleased },
    queues,
    totals: { arrived: c.arrived, deliveredToApps: deliveredApps, deliveredByKernel: kr.released, overflowedToKernel: overflowed, dropped, queued },
    invariants: { ok: violations.length === 0, violations },
    cost: costReport(model, ctx.cost, durSec, ctx.profile),
    notes: [...new Set(model.notes)].slice(0, 50),
  };
  if (ctx.includeSeries && mon !== null && mon.seriesOn) report.series = seriesReport(mon, queues);
  return report;
}

function costReport(model: NicModel, p: CostParams, durSec: number, profile: string | null): CostReport {
  const kr = model.kernel.ring;
  const kernelDelivered: Delivered = { packets: kr.accepted, bytes: kr.acceptedBytes, pages: model.kernel.acceptedPages, batches: kr.batches };
  const kernelCopy = schemeCycles(p, "copy", kernelDelivered);
  const perQueue: CostReport["perQueue"] = [];
  const sums = new Map<Scheme, Delivered>();
  for (const s of SCHEMES) sums.set(s, { packets: 0, bytes: 0, pages: 0, batches: 0 });
  const all: Delivered = { packets: 0, bytes: 0, pages: 0, batches: 0 };
  for (const a of model.apps) {
    const d: Delivered = { packets: a.ring.accepted, bytes: a.ring.acceptedBytes, pages: a.acceptedPages, batches: a.ring.batches };
    all.packets += d.packets;
    all.bytes += d.bytes;
    all.pages += d.pages;
    all.batches += d.batches;
    perQueue.push({ name: a.name, packets: d.packets, bytes: d.bytes, schemes: SCHEMES.map((s) => schemeCost(p, s, d, durSec)) });
  }
  perQueue.push({ name: "kernel", packets: kernelDelivered.packets, bytes: kernelDelivered.bytes, schemes: SCHEMES.map(() => schemeCost(p, "copy", kernelDelivered, durSec)) });
  const totalDelivered: Delivered = { packets: all.packets + kernelDelivered.packets, bytes: all.bytes + kernelDelivered.bytes, pages: all.pages + kernelDelivered.pages, batches: all.batches + kernelDelivered.batches };
  const total = SCHEMES.map((s) => {
    const apps = schemeCycles(p, s, all);
    const cycles = apps + kernelCopy;
    const cpp = totalDelivered.packets > 0 ? cycles / totalDelivered.packets : null;
    return {
      scheme: s,
      cycles,
      cyclesPerPacket: cpp,
      cpuSecondsPerSecond: durSec > 0 ? cycles / (p.clockGHz * 1e9) / durSec : null,
      packetsPerSecondPerCore: cpp !== null && cpp > 0 ? (p.clockGHz * 1e9) / cpp : null,
    };
  });
  const x = copyMapCrossover(p);
  return { params: p, mapUnmapNsPerPage: mapUnmapNs(p), crossoverBytes: Number.isFinite(x) ? x : null, perQueue, total, profile };
}

function seriesReport(mon: RingMonitor, queues: QueueReport[]): SeriesReport {
  const I = mon.intervalNs;
  const n = mon.bins;
  const T = mon.endNs;
  const out: SeriesReport = { intervalSec: I / 1e9, bins: n, queues: [] };
  for (const q of queues) {
    const s = mon.queues[q.queue];
    if (s === undefined) continue;
    const arr = (a: Float64Array) => Array.from(a.subarray(0, n));
    const mean: number[] = [];
    for (let b = 0; b < n; b++) {
      const len = Math.min(I, T - b * I);
      mean.push(len > 0 ? round(s.s.area[b]! / len, 3) : s.s.max[b]!);
    }
    out.queues.push({ name: q.name, arrivals: arr(s.s.arrivals), accepted: arr(s.s.accepted), overflows: arr(s.s.overflows), drops: arr(s.s.drops), delivered: arr(s.s.delivered), meanOccupancy: mean, maxOccupancy: arr(s.s.max) });
  }
  return out;
}

export { SCHEMES };
