// Self-contained HTML report: tables and inline SVG charts (occupancy and overflow per queue over
// time). No script, no external file, no web font: it opens offline in any browser.
import { SCHEME_TITLES } from "../nicmodel/cost.js";
import { REASONS, REASON_KEYS } from "../nicmodel/model.js";
import type { Report, SeriesReport } from "./report.js";
import { header, num, rate, slowestText } from "./format.js";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function niceStep(range: number, target: number): number {
  if (!(range > 0)) return 1;
  const raw = range / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function fmtAxis(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

interface Line {
  values: number[];
  color: string;
  label: string;
  kind: "area" | "line" | "bars";
}

const W = 1040, H = 200, PAD_L = 60, PAD_R = 16, PAD_T = 14, PAD_B = 30;

/** One chart: x = time bins, y = values; an optional horizontal reference line (ring size). */
function chart(title: string, intervalSec: number, bins: number, lines: Line[], ref: { value: number; label: string } | null, yLabel: string): string {
  const iw = W - PAD_L - PAD_R, ih = H - PAD_T - PAD_B;
  let ymax = ref ? ref.value : 0;
  for (const l of lines) for (const v of l.values) if (v > ymax) ymax = v;
  if (ymax <= 0) ymax = 1;
  const ystep = niceStep(ymax, 4);
  ymax = Math.ceil((ymax * 1.05) / ystep) * ystep;
  const n = Math.max(1, bins);
  const x = (i: number) => PAD_L + (i / n) * iw;
  const y = (v: number) => PAD_T + ih - (v / ymax) * ih;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}">`);
  parts.push(`<rect x="${PAD_L}" y="${PAD_T}" width="${iw}" height="${ih}" fill="#fafafa" stroke="#ccc"/>`);
  for (let v = 0; v <= ymax + 1e-9; v += ystep) {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${PAD_L}" x2="${PAD_L + iw}" y1="${yy}" y2="${yy}" stroke="#e4e4e4"/><text x="${PAD_L - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" class="ax">${fmtAxis(v)}</text>`);
  }
  const span = n * intervalSec;
  const xstep = niceStep(span, 8);
  for (let t = 0; t <= span + 1e-12; t += xstep) {
    const xx = (PAD_L + (t / span) * iw).toFixed(1);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${PAD_T + ih}" y2="${PAD_T + ih + 4}" stroke="#888"/><text x="${xx}" y="${PAD_T + ih + 16}" text-anchor="middle" class="ax">${+t.toPrecision(4)}</text>`);
  }
  parts.push(`<text x="${PAD_L + iw}" y="${H - 2}" text-anchor="end" class="ax">time (s)</text>`);
  parts.push(`<text x="12" y="${PAD_T + ih / 2}" transform="rotate(-90 12 ${PAD_T + ih / 2})" text-anchor="middle" class="ax">${esc(yLabel)}</text>`);
  for (const l of lines) {
    if (l.kind === "bars") {
      const bw = Math.max(0.5, iw / n - 0.5);
      let path = "";
      l.values.forEach((v, i) => {
        if (v > 0) path += `M${x(i).toFixed(2)} ${y(0).toFixed(2)}h${bw.toFixed(2)}V${y(v).toFixed(2)}h${(-bw).toFixed(2)}Z`;
      });
      if (path) parts.push(`<path d="${path}" fill="${l.color}"><title>${esc(l.label)}</title></path>`);
    } else {
      // a step line: each bin's value held across the bin
      let d = "";
      l.values.forEach((v, i) => {
        d += `${i === 0 ? "M" : "L"}${x(i).toFixed(2)} ${y(v).toFixed(2)}H${x(i + 1).toFixed(2)}`;
      });
      if (!d) continue;
      if (l.kind === "area") parts.push(`<path d="${d}V${y(0).toFixed(2)}H${x(0).toFixed(2)}Z" fill="${l.color}" fill-opacity="0.35" stroke="${l.color}" stroke-width="1"><title>${esc(l.label)}</title></path>`);
      else parts.push(`<path d="${d}" fill="none" stroke="${l.color}" stroke-width="1.5"><title>${esc(l.label)}</title></path>`);
    }
  }
  if (ref) {
    const yy = y(ref.value).toFixed(1);
    parts.push(`<line x1="${PAD_L}" x2="${PAD_L + iw}" y1="${yy}" y2="${yy}" stroke="#c0392b" stroke-dasharray="6 4"/><text x="${PAD_L + iw - 4}" y="${(+yy - 4).toFixed(1)}" text-anchor="end" class="ref">${esc(ref.label)}</text>`);
  }
  parts.push("</svg>");
  const legend = lines.map((l) => `<span class="key"><i style="background:${l.color}"></i>${esc(l.label)}</span>`).join("") + (ref ? `<span class="key"><i style="background:#c0392b"></i>${esc(ref.label)}</span>` : "");
  return `<figure><figcaption>${esc(title)}</figcaption>${parts.join("")}<div class="legend">${legend}</div></figure>`;
}

function table(head: string[], rows: (string | number)[][], cls = ""): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join("");
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${i > 0 && /^[-\d.,∞≥<% ]/.test(String(c)) ? ' class="n"' : ""}>${esc(String(c))}</td>`).join("")}</tr>`).join("\n");
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

function queueCharts(r: Report, s: SeriesReport): string {
  const out: string[] = [];
  for (const q of r.queues) {
    const sq = s.queues.find((x) => x.name === q.name);
    if (!sq) continue;
    const total = sq.arrivals.reduce((a, b) => a + b, 0);
    const overflowName = q.kind === "kernel" ? "drops" : "overflows to the kernel";
    out.push(`<section class="q"><h3>${esc(q.kind === "kernel" ? "kernel queue" : q.name)} <small>${esc([q.mac ?? "", q.endpoints.join(", ")].filter(Boolean).join(" · "))}</small></h3>`);
    out.push(`<p class="facts">ring ${num(q.ring.size)} descriptors × ${num(q.ring.bufferSize)} B · release ${rate(q.ring.packetsPerSecond)}, batch ${q.ring.batch} · arrived ${num(q.packets.arrived)} · ${overflowName} ${num(q.overflow.count)} · occupancy mean ${num(q.occupancy.mean, 2)}, p99 ${num(q.occupancy.p99)}, max ${num(q.occupancy.max)} · smallest ring with zero overflow ${num(q.sizing.minRing)} · slowest rate ${esc(slowestText(q))}</p>`);
    if (total === 0) {
      out.push(`<p class="facts">No traffic.</p></section>`);
      continue;
    }
    out.push(
      chart(
        `Occupancy (descriptors in use) per ${num(s.intervalSec, 6)} s`,
        s.intervalSec,
        s.bins,
        [
          { values: sq.maxOccupancy, color: "#e67e22", label: "max in interval", kind: "line" },
          { values: sq.meanOccupancy, color: "#2e86c1", label: "time-weighted mean", kind: "area" },
        ],
        { value: q.ring.size, label: `ring size ${num(q.ring.size)}` },
        "descriptors",
      ),
    );
    out.push(
      chart(
        `Arrivals and ${overflowName} per interval`,
        s.intervalSec,
        s.bins,
        [
          { values: sq.arrivals, color: "#95a5a6", label: "arrivals", kind: "line" },
          { values: q.kind === "kernel" ? sq.drops : sq.overflows, color: "#c0392b", label: overflowName, kind: "bars" },
        ],
        null,
        "frames",
      ),
    );
    out.push("</section>");
  }
  return out.join("\n");
}

export function renderHtml(r: Report): string {
  const h = header(r);
  const queues = table(
    ["Queue", "MAC", "Endpoints", "Ring", "Release rate, batch", "Arrived", "Delivered", "Overflowed → kernel", "Dropped", "Queued"],
    r.queues.map((q) => [q.name, q.mac ?? "-", q.endpoints.join(", ") || "-", num(q.ring.size), `${rate(q.ring.packetsPerSecond)}, ${q.ring.batch}`, num(q.packets.arrived), num(q.packets.delivered), q.kind === "kernel" ? `(${num(q.packets.fromOverflow ?? 0)} from apps)` : num(q.packets.overflowed), num(q.packets.dropped), num(q.packets.queued)]),
  );
  const occ = table(
    ["Queue", "Mean", "p50", "p99", "Max", "Time full (s)", "Overflows", "Overflows/s", "First (s)", "rx_ring_full", "rx_fill_ring_empty_descs"],
    r.queues.map((q) => [q.name, num(q.occupancy.mean, 2), num(q.occupancy.p50), num(q.occupancy.p99), num(q.occupancy.max), num(q.occupancy.timeFullSec, 6), num(q.overflow.count), num(q.overflow.perSecond, 1), q.overflow.firstSec === null ? "-" : num(q.overflow.firstSec, 6), q.kind === "kernel" ? "-" : num(q.overflow.ringFull), q.kind === "kernel" ? "-" : num(q.overflow.fillRingEmpty)]),
  );
  const sizing = table(
    ["Queue", "Ring", "Smallest ring with zero overflow", "Release rate", "Slowest release rate with zero overflow"],
    r.queues.map((q) => [q.name, num(q.ring.size), num(q.sizing.minRing), rate(q.ring.packetsPerSecond), slowestText(q)]),
  );
  const k = r.queues[0]!;
  const reasons = k.reasons ? table(["Why frames reached the kernel queue", "Frames"], REASON_KEYS.map((key, i) => [REASONS[i]!, num(k.reasons![key] ?? 0)]).filter((row) => row[1] !== "0")) : "";
  const c = r.cost;
  const cost = table(
    ["All traffic", "Cycles/packet", "CPU-seconds per second", "Packets/s one core sustains"],
    c.total.map((s) => [SCHEME_TITLES[s.scheme], num(s.cyclesPerPacket, 0), num(s.cpuSecondsPerSecond, 6), rate(s.packetsPerSecondPerCore)]),
  );
  const costQ = table(
    ["Queue", "Packets", ...c.total.map((s) => `${SCHEME_TITLES[s.scheme]} (cycles/pkt)`)],
    c.perQueue.map((q) => [q.name, num(q.packets), ...q.schemes.map((s) => num(s.cyclesPerPacket, 0))]),
  );
  const crossover = c.crossoverBytes === null ? `A CPU copy costs less than a map/unmap (${num(c.mapUnmapNsPerPage, 0)} ns per page) at every frame size.` : `A CPU copy costs more than a per-packet map/unmap (${num(c.mapUnmapNsPerPage, 0)} ns per page) from ${num(c.crossoverBytes)} bytes per frame.`;
  const charts = r.series ? queueCharts(r, r.series) : "<p>No time series.</p>";
  const inv = r.invariants.ok ? "Conservation holds for every queue: arrived = delivered + overflowed to the kernel + dropped + still queued." : `CONSERVATION VIOLATED: ${r.invariants.violations.join("; ")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>arpx replay: ${esc(r.file)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 12px}
h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 4px}
h3 small{font-weight:normal;color:#666}.meta{color:#444;margin:2px 0}.facts{color:#444;margin:4px 0;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:6px 0 14px}figcaption{font-size:13px;color:#333;margin-bottom:2px}.ax{font-size:11px;fill:#555}.ref{font-size:11px;fill:#c0392b}
.legend{font-size:12px;color:#444}.key{margin-right:14px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
.ok{color:#1e8449}.bad{color:#c0392b;font-weight:bold}
</style></head><body>
<h1>arpx replay: ${esc(r.file)}</h1>
${h.slice(1).map((l) => `<p class="meta">${esc(l)}</p>`).join("\n")}
<p class="meta">${esc(h[0]!.replace(/^arpx replay [^:]*: /, ""))}</p>
<p class="${r.invariants.ok ? "ok" : "bad"}">${esc(inv)}</p>
<h2>Queues</h2>${queues}
<h2>Occupancy and overflows</h2><p class="facts">Occupancy is in descriptors, time-weighted over the capture. Kernel row: overflows are drops.</p>${occ}
<h2>Sizing advice (exact for this capture)</h2>${sizing}
${reasons ? `<h2>Kernel queue</h2>${reasons}` : ""}
<h2>Copy vs map</h2><p class="facts">${esc(`${c.params.clockGHz} GHz, ${c.params.cores} cores per application address space; ${c.profile ? `calibration profile ${c.profile}` : "published defaults (docs/cost-model.md)"}. Frames in the kernel queue are copied under every scheme.`)}</p>${cost}${costQ}<p>${esc(crossover)}</p>
<h2>Per queue over time</h2>
${charts}
${r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
<p class="facts">Generated by arpx replay. Semantics: docs/nic-model.md; cost model: docs/cost-model.md.</p>
</body></html>
`;
}
