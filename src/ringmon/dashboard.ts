// The live terminal view of `arpx capture --dashboard`: per-application rings of the NIC model
// (occupancy bar, high water, overflow to the kernel queue and its two AF_XDP reasons, drops),
// the kernel queue, and what the real capture itself received and dropped. Rendering is a pure
// function of the model, its monitor and the capture's facts (testable without a terminal);
// LiveView redraws it in place a few times a second, and only on a terminal.
import { macText } from "../nicmodel/classify.js";
import type { NicModel } from "../nicmodel/model.js";
import type { RingMonitor } from "./monitor.js";
import { num, rate } from "./format.js";

/** What the capture knows at the moment of drawing. */
export interface CaptureFacts {
  iface: string;
  backend: string;
  /** Timestamp digits the backend delivers (9: nanoseconds). */
  digits: number;
  elapsedSec: number;
  packets: number;
  bytes: number;
  /** Packets per second over the last refresh period. */
  pps: number;
  /** Whether the backend reports libpcap's counters during the capture (arpx-pcap) or only at the end (dumpcap). */
  liveCounters: boolean;
  /** libpcap's counters (null: not reported yet). */
  received: number | null;
  droppedKernel: number | null;
  droppedInterface: number | null;
  written: number | null;
  output: string | null;
  /** Why the capture stopped, once it has. */
  stopped?: string | undefined;
}

const BAR = 24;

function bar(occ: number, size: number): string {
  const f = size > 0 && Number.isFinite(size) ? Math.min(1, occ / size) : 0;
  const n = Math.round(f * BAR);
  return `[${"#".repeat(n)}${".".repeat(BAR - n)}]`;
}

function pad(s: string, w: number, right = false): string {
  if (s.length > w) return s.slice(0, Math.max(0, w - 1)) + "…";
  return right ? s.padStart(w) : s.padEnd(w);
}

/**
 * Advances every ring to the last frame's time, so occupancy is current as of that frame (the
 * model advances rings lazily, when a frame arrives for them). Frames arrive in time order, so
 * this changes nothing the model would not do itself.
 */
export function syncRings(model: NicModel): void {
  const t = model.endNs;
  model.kernel.ring.advance(t);
  model.kernel.shadow?.advance(t);
  for (const a of model.apps) {
    a.ring.advance(t);
    a.shadow?.advance(t);
  }
}

/** The dashboard's lines, at most `rows` of them (queues beyond are summarised in one line). */
export function renderDashboard(model: NicModel, mon: RingMonitor, f: CaptureFacts, rows = 40, width = 100): string[] {
  const lines: string[] = [];
  const precision = f.digits >= 9 ? "ns" : f.digits >= 6 ? "µs" : `${f.digits}-digit`;
  const state = f.stopped !== undefined ? `stopped (${f.stopped})` : "capturing";
  lines.push(`arpx capture on ${f.iface} — ${state} — ${num(f.elapsedSec, 1)} s — backend ${f.backend} (${precision} timestamps)`);
  const mbps = f.elapsedSec > 0 ? (f.bytes * 8) / f.elapsedSec / 1e6 : 0;
  lines.push(`packets: ${num(f.packets)} captured (${rate(f.pps)} now, ${num(mbps, 1)} Mbit/s average)${f.written !== null ? `, ${num(f.written)} written${f.output ? ` to ${f.output}` : ""}` : ""}`);
  const dk = f.droppedKernel, di = f.droppedInterface;
  if (f.received === null && dk === null) {
    lines.push(f.liveCounters ? "libpcap: no counters reported yet" : "libpcap: counters come at the end with this backend");
  } else {
    const drops = (dk ?? 0) + (di ?? 0);
    lines.push(`libpcap: ${num(f.received)} received, dropped ${num(dk)} by the kernel/buffer, ${num(di)} by the interface${drops > 0 ? "  << DROPS" : ""}`);
  }
  const c = model.cfg;
  const k = model.counters;
  lines.push(`model: host ${c.hostMac !== null ? macText(c.hostMac) : "(no MAC)"}, dispatch by ${c.dispatch === "mac" ? "destination MAC" : "destination IP:port"}, NIC ${c.filter === "mac" ? "MAC-filtered" : "promiscuous"}; ${num(k.arrived)} arrived, ${num(k.transmitted)} sent by the host, ${num(k.filtered)} filtered${k.xarpSeen ? `, ${num(k.xarpSeen)} XARP` : ""}`);
  lines.push("");
  const withMac = width >= 100;
  const nameW = Math.max(10, Math.min(30, width - 82 - (withMac ? 18 : 0)));
  const macCol = (m: string) => (withMac ? ` ${pad(m, 17)}` : "");
  lines.push(`${pad("queue", nameW)}${macCol("MAC")} ${pad("ring", 6, true)} ${pad("occupancy", BAR + 2)} ${pad("now", 6, true)} ${pad("max", 6, true)} ${pad("arrived", 10, true)} ${pad("overflow", 10, true)} ${pad("dropped", 9, true)}`);

  type Row = { name: string; mac: string; size: number; occ: number; max: number; arrived: number; overflow: string; dropped: number; weight: number };
  const rowsOut: Row[] = [];
  const K = model.kernel;
  const ks = mon.queues[0];
  rowsOut.push({ name: "kernel", mac: c.hostMac !== null ? macText(c.hostMac) : "", size: K.ring.size, occ: K.ring.occ, max: ks?.maxOcc ?? K.ring.maxOcc, arrived: K.arrived, overflow: "-", dropped: K.dropped, weight: Infinity });
  for (const a of model.apps) {
    const s = mon.queues[a.queue];
    const ov = a.overflowed + a.dropped;
    rowsOut.push({
      name: `${a.name}${a.active ? "" : " (released)"}`,
      mac: a.mac !== null ? macText(a.mac) : "not learned",
      size: a.ring.size,
      occ: a.ring.occ,
      max: s?.maxOcc ?? a.ring.maxOcc,
      arrived: a.arrived,
      overflow: num(ov),
      dropped: a.dropped,
      weight: a.arrived + ov * 1e6,
    });
  }
  const room = Math.max(6, rows - lines.length - 3);
  const shown = rowsOut.length <= room ? rowsOut : [rowsOut[0]!, ...rowsOut.slice(1).sort((x, y) => y.weight - x.weight).slice(0, room - 2)];
  for (const r of shown) {
    lines.push(`${pad(r.name, nameW)}${macCol(r.mac)} ${pad(num(r.size), 6, true)} ${bar(r.occ, r.size)} ${pad(num(r.occ), 6, true)} ${pad(num(r.max), 6, true)} ${pad(num(r.arrived), 10, true)} ${pad(r.overflow, 10, true)} ${pad(num(r.dropped), 9, true)}`);
  }
  if (shown.length < rowsOut.length) lines.push(`… ${rowsOut.length - shown.length} more application rings (the busiest and those that overflowed are shown)`);
  const ovApps = model.apps.filter((a) => a.overflowRingFull + a.overflowFillEmpty > 0);
  if (ovApps.length > 0) {
    const rf = ovApps.reduce((s, a) => s + a.overflowRingFull, 0);
    const fe = ovApps.reduce((s, a) => s + a.overflowFillEmpty, 0);
    lines.push(`overflow reasons: ${num(rf)} RX ring full (rx_ring_full), ${num(fe)} buffers held by the application (rx_fill_ring_empty_descs)`);
  }
  if (model.apps.length === 0) lines.push("(no application rings yet: configure them with --config, or they are learned from XARP announcements)");
  // a wrapped line would break redrawing in place
  return lines.map((l) => (l.length >= width ? l.slice(0, width - 1) : l));
}

/** Redraws the dashboard in place on a terminal. */
export class LiveView {
  private timer: NodeJS.Timeout | null = null;
  private drawn = 0;

  constructor(private readonly write: (s: string) => void, private readonly frame: () => string[], private readonly refreshMs = 250) {}

  start(): void {
    this.write("\x1b[?25l"); // hide the cursor while drawing
    this.draw();
    this.timer = setInterval(() => this.draw(), this.refreshMs);
  }

  draw(): void {
    const lines = this.frame();
    let s = this.drawn > 0 ? `\x1b[${this.drawn}F` : "";
    for (const l of lines) s += `${l}\x1b[K\n`;
    s += "\x1b[J";
    this.write(s);
    this.drawn = lines.length;
  }

  /** Draws a last frame and leaves it on the screen. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.draw();
    this.write("\x1b[?25h");
  }
}
