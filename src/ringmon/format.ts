// Number and text formatting shared by the replay outputs (no table library here, so the quiet,
// JSON and CSV outputs do not load one).
import type { QueueReport, Report } from "./report.js";

/** 1234567.891 -> "1,234,567.89" (digits after the point); without Intl, whose first use is slow. */
export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "-";
  if (n === Infinity) return "∞";
  if (n === -Infinity) return "-∞";
  const neg = n < 0;
  const s = Math.abs(n).toFixed(digits);
  const dot = s.indexOf(".");
  let int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? "" : s.slice(dot);
  if (int.length > 3 && !int.includes("e")) int = int.replace(/\B(?=(\d{3})+$)/g, ",");
  return (neg && Number(s) !== 0 ? "-" : "") + int + frac;
}

export function rate(pps: number | null | undefined): string {
  if (pps === null || pps === undefined) return "-";
  if (pps === Infinity) return "∞";
  if (pps >= 1e6) return `${num(pps / 1e6, 3)} Mpps`;
  if (pps >= 1e3) return `${num(pps / 1e3, 3)} kpps`;
  return `${num(pps, 3)} pps`;
}

export function pct(x: number | null): string {
  return x === null ? "-" : `${num(x * 100, 2)}%`;
}

export function secs(x: number | null): string {
  return x === null ? "-" : num(x, 6);
}

export function who(q: QueueReport): string {
  if (q.kind === "kernel") return q.mac ? `canonical ${q.mac}` : "canonical (unknown)";
  const parts: string[] = [];
  if (q.mac) parts.push(q.mac + (q.active ? "" : " (released)"));
  else parts.push("MAC not learned");
  if (q.endpoints.length > 0) parts.push(q.endpoints.slice(0, 3).join(", ") + (q.endpoints.length > 3 ? ` +${q.endpoints.length - 3}` : ""));
  return parts.join("\n");
}

export function slowestText(q: QueueReport): string {
  const r = q.sizing.slowestRate;
  if (r.packetsPerSecond === null && r.overflowCertainBelow === null) return r.note.replace(/^no rate: /, "none: ");
  if (r.packetsPerSecond === 0) return "any (never fills)";
  if (r.exact) return `${rate(r.packetsPerSecond)} (${num(r.nsPerPacket, 1)} ns/pkt)`;
  return `≥ ${rate(r.packetsPerSecond)} safe; < ${rate(r.overflowCertainBelow)} overflows`;
}

export function header(r: Report): string[] {
  const lines: string[] = [];
  lines.push(`arpx replay ${r.file}: dispatch by ${r.dispatch === "mac" ? "destination MAC" : "destination IP:port"}, NIC ${r.filter === "mac" ? "MAC-filtered" : "promiscuous"}, speed ${r.speed}x, learning ${r.learn.join("+") || "off"}`);
  const host = `host ${r.host.mac ?? "(no MAC)"}${r.host.ip ? ` ${r.host.ip}` : ""}`;
  lines.push(r.host.guessed ? `${host} (guessed: ${r.host.basis}; set host.mac in a config or --host-mac)` : host);
  const f = r.frames;
  lines.push(`frames: ${num(f.read)} read, ${num(f.transmitted)} sent by the host (not modelled), ${num(f.filtered)} filtered by the NIC, ${num(f.arrived)} arrived (${num(f.arrivedBytes)} bytes) over ${num(r.durationSec, 6)} s${f.timeWentBack ? `; ${num(f.timeWentBack)} timestamps went back in time (taken as the previous frame's)` : ""}`);
  if (f.xarp > 0) lines.push(`extended ARP: ${num(f.xarp)} messages, ${num(f.xarpLearned)} application MACs learned, ${num(f.xarpReleased)} releases`);
  return lines;
}

export function summaryLines(r: Report): string[] {
  const t = r.totals;
  const lines = header(r);
  lines.push(`totals: ${num(t.arrived)} arrived = ${num(t.deliveredToApps)} delivered to applications + ${num(t.deliveredByKernel)} delivered by the kernel + ${num(t.dropped)} dropped + ${num(t.queued)} still queued; ${num(t.overflowedToKernel)} overflowed from application rings to the kernel`);
  lines.push(r.invariants.ok ? "conservation holds for every queue (arrived = delivered + overflowed + dropped + queued)" : `CONSERVATION VIOLATED: ${r.invariants.violations.join("; ")}`);
  return lines;
}

