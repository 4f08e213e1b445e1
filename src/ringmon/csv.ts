// CSV output of a replay report (RFC 4180 quoting): one row per queue, or the time series in
// long form (one row per interval and queue).
import { SCHEMES } from "../nicmodel/cost.js";
import type { Report } from "./report.js";

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : v > 0 ? "inf" : "-inf") : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function line(cells: unknown[]): string {
  return cells.map(cell).join(",") + "\n";
}

export function summaryCsv(r: Report): string {
  const head = [
    "queue", "name", "kind", "mac", "endpoints", "source", "ring_size", "buffer_size", "release_pps", "batch",
    "arrived", "arrived_bytes", "accepted", "delivered", "delivered_bytes", "overflowed_to_kernel", "dropped", "queued",
    "overflows", "overflows_per_s", "overflow_ratio", "first_overflow_s", "rx_ring_full", "rx_fill_ring_empty_descs",
    "occupancy_mean", "occupancy_p50", "occupancy_p99", "occupancy_max", "time_full_s", "time_full_ratio",
    "min_ring_zero_overflow", "slowest_rate_pps", "slowest_rate_exact", "overflow_certain_below_pps",
    ...SCHEMES.map((s) => `${s}_cycles_per_packet`),
  ];
  let out = line(head);
  for (const q of r.queues) {
    const cost = r.cost.perQueue.find((c) => c.name === q.name && (q.kind === "kernel") === (c.name === "kernel"));
    out += line([
      q.queue, q.name, q.kind, q.mac, q.endpoints.join(" "), q.source, q.ring.size, q.ring.bufferSize, q.ring.packetsPerSecond, q.ring.batch,
      q.packets.arrived, q.packets.arrivedBytes, q.packets.accepted, q.packets.delivered, q.packets.deliveredBytes, q.packets.overflowed, q.packets.dropped, q.packets.queued,
      q.overflow.count, q.overflow.perSecond, q.overflow.ratio, q.overflow.firstSec, q.kind === "app" ? q.overflow.ringFull : null, q.kind === "app" ? q.overflow.fillRingEmpty : null,
      q.occupancy.mean, q.occupancy.p50, q.occupancy.p99, q.occupancy.max, q.occupancy.timeFullSec, q.occupancy.timeFullRatio,
      q.sizing.minRing, q.sizing.slowestRate.packetsPerSecond, q.sizing.slowestRate.exact, q.sizing.slowestRate.overflowCertainBelow,
      ...SCHEMES.map((_, i) => cost?.schemes[i]?.cyclesPerPacket ?? null),
    ]);
  }
  return out;
}

export function seriesCsv(r: Report): string {
  let out = line(["start_s", "queue", "arrivals", "accepted", "overflows", "drops", "delivered", "occupancy_mean", "occupancy_max"]);
  const s = r.series;
  if (!s) return out;
  for (let b = 0; b < s.bins; b++) {
    const t = Math.round(b * s.intervalSec * 1e9) / 1e9;
    for (const q of s.queues) out += line([t, q.name, q.arrivals[b], q.accepted[b], q.overflows[b], q.drops[b], q.delivered[b], q.meanOccupancy[b], q.maxOccupancy[b]]);
  }
  return out;
}
