// Terminal output of a replay report: cli-table3 tables, plain text when not on a terminal.
import Table from "cli-table3";
import { SCHEME_TITLES, SCHEMES } from "../nicmodel/cost.js";
import { REASONS, REASON_KEYS } from "../nicmodel/model.js";
import type { Report } from "./report.js";
import { header, num, pct, rate, secs, slowestText, who } from "./format.js";

export { header, num, rate, slowestText, summaryLines } from "./format.js";

const STYLE = { head: [] as string[], border: [] as string[] };

export function renderTables(r: Report, opts: { series?: boolean } = {}): string {
  const out: string[] = [];
  out.push(...header(r), "");

  const t1 = new Table({ head: ["Queue", "MAC / endpoints", "Ring (desc × bytes)", "Release rate, batch", "Arrived", "Delivered", "Overflowed → kernel", "Dropped", "Queued"], style: STYLE });
  for (const q of r.queues) {
    t1.push([
      q.kind === "kernel" ? "kernel" : `${q.name}${q.source !== "config" ? `\n(learned: ${q.source})` : ""}`,
      who(q),
      `${num(q.ring.size)} × ${num(q.ring.bufferSize)}`,
      `${rate(q.ring.packetsPerSecond)}, ${q.ring.batch}`,
      num(q.packets.arrived),
      num(q.packets.delivered),
      q.kind === "kernel" ? `(${num(q.packets.fromOverflow ?? 0)} from apps)` : num(q.packets.overflowed),
      num(q.packets.dropped),
      num(q.packets.queued),
    ]);
  }
  out.push("Queues", t1.toString(), "");

  const t2 = new Table({ head: ["Queue", "Occupancy mean", "p50", "p99", "Max (high water)", "Time full", "Overflows", "Overflows/s", "First (s)", "rx_ring_full", "rx_fill_ring_empty_descs"], style: STYLE });
  for (const q of r.queues) {
    const o = q.occupancy;
    t2.push([q.name, num(o.mean, 2), num(o.p50), num(o.p99), num(o.max), `${secs(o.timeFullSec)} s (${pct(o.timeFullRatio)})`, num(q.overflow.count), num(q.overflow.perSecond, 1), secs(q.overflow.firstSec), q.kind === "kernel" ? "-" : num(q.overflow.ringFull), q.kind === "kernel" ? "-" : num(q.overflow.fillRingEmpty)]);
  }
  out.push("Occupancy (descriptors, time-weighted over the capture) and overflows (kernel: drops)", t2.toString(), "");

  const t3 = new Table({ head: ["Queue", "Ring", "Smallest ring with zero overflow", "Release rate", "Slowest release rate with zero overflow"], style: STYLE });
  for (const q of r.queues) t3.push([q.name, num(q.ring.size), num(q.sizing.minRing), rate(q.ring.packetsPerSecond), slowestText(q)]);
  out.push("Sizing advice (exact for this capture; kernel: zero drops)", t3.toString(), "");

  const k = r.queues[0]!;
  if (k.reasons) {
    const t4 = new Table({ head: ["Why frames reached the kernel queue", "Frames"], style: STYLE });
    REASON_KEYS.forEach((key, i) => {
      const n = k.reasons![key] ?? 0;
      if (n > 0) t4.push([REASONS[i]!, num(n)]);
    });
    if (t4.length > 0) out.push(t4.toString(), "");
  }

  const c = r.cost;
  const t5 = new Table({ head: ["Queue", "Packets", "Avg bytes", ...SCHEMES.map((s) => `${SCHEME_TITLES[s]}\ncycles/pkt`)], style: STYLE });
  for (const q of c.perQueue) {
    const avg = q.packets > 0 ? q.bytes / q.packets : null;
    t5.push([q.name, num(q.packets), num(avg, 0), ...q.schemes.map((s) => (q.name === "kernel" ? `${num(s.cyclesPerPacket, 0)} (copy)` : num(s.cyclesPerPacket, 0)))]);
  }
  const t6 = new Table({ head: ["All traffic (apps under the scheme, kernel queue copied)", "Cycles/packet", "CPU-seconds per second", "Packets/s one core sustains"], style: STYLE });
  for (const s of c.total) t6.push([SCHEME_TITLES[s.scheme], num(s.cyclesPerPacket, 0), num(s.cpuSecondsPerSecond, 6), rate(s.packetsPerSecondPerCore)]);
  const p = c.params;
  out.push(`Copy vs map (${p.clockGHz} GHz, ${p.cores} cores on each app's address space${c.profile ? `, profile ${c.profile}` : ", published defaults: docs/cost-model.md"})`, t5.toString(), t6.toString());
  out.push(c.crossoverBytes === null ? `A CPU copy costs less than a map/unmap (${num(c.mapUnmapNsPerPage, 0)} ns per page) at every frame size.` : `A CPU copy costs more than a per-packet map/unmap (${num(c.mapUnmapNsPerPage, 0)} ns per page) from ${num(c.crossoverBytes)} bytes per frame.`, "");

  if (opts.series && r.series) {
    const s = r.series;
    const t7 = new Table({ head: ["Start (s)", "Queue", "Arrivals", "Overflows", "Drops", "Delivered", "Occupancy mean", "Max"], style: STYLE });
    for (let b = 0; b < s.bins; b++) {
      for (const q of s.queues) {
        if (q.arrivals[b] === 0 && q.maxOccupancy[b] === 0 && q.delivered[b] === 0) continue;
        t7.push([num(b * s.intervalSec, 6), q.name, num(q.arrivals[b]), num(q.overflows[b]), num(q.drops[b]), num(q.delivered[b]), num(q.meanOccupancy[b], 2), num(q.maxOccupancy[b])]);
      }
    }
    out.push(`Time series (interval ${num(s.intervalSec, 6)} s; idle bins left out)`, t7.toString(), "");
  }
  out.push(r.invariants.ok ? "Conservation holds for every queue: arrived = delivered + overflowed to the kernel + dropped + still queued." : `CONSERVATION VIOLATED: ${r.invariants.violations.join("; ")}`);
  if (r.notes.length > 0) out.push(...r.notes.slice(0, 10).map((n) => `note: ${n}`));
  return out.join("\n") + "\n";
}
