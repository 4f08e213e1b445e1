// `-z` statistics (tshark's io,phs  conv,TYPE  endpoints,TYPE  io,stat,SECONDS): the requests,
// the tables fed one dissected packet at a time, and their text. Used by `stats` and `read -z`.
import Table from "cli-table3";
import type { Packet } from "../dissect/packet.js";
import { ProtocolHierarchy } from "../dissect/stats/phs.js";
import { CONV_TYPES, ConversationTable, type ConvType } from "../dissect/stats/conversations.js";
import { IoStat } from "../dissect/stats/iostat.js";
import { UsageError, type Out } from "./out.js";

export const STAT_SPECS = "io,phs | conv,eth|ip|ipv6|tcp|udp | endpoints,TYPE | io,stat,SECONDS";

export interface StatsRequest {
  phs: boolean;
  conv: ConvType[];
  endpoints: ConvType[];
  io: number[];
}

/** Parses tshark-style `-z` specs: io,phs  conv,TYPE  endpoints,TYPE  io,stat,SECONDS. */
export function parseStatSpecs(specs: readonly string[]): StatsRequest {
  const req: StatsRequest = { phs: false, conv: [], endpoints: [], io: [] };
  for (const s of specs) {
    const parts = s.split(",");
    if (s === "io,phs" || s === "phs") req.phs = true;
    else if ((parts[0] === "conv" || parts[0] === "endpoints") && parts.length === 2) {
      const t = parts[1] as ConvType;
      if (!CONV_TYPES.includes(t)) throw new UsageError(`unknown ${parts[0]} type "${parts[1]}" (${CONV_TYPES.join(", ")})`);
      (parts[0] === "conv" ? req.conv : req.endpoints).push(t);
    } else if (parts[0] === "io" && parts[1] === "stat" && parts.length === 3) {
      const v = Number(parts[2]);
      if (!(v > 0)) throw new UsageError(`invalid interval in "${s}"`);
      req.io.push(v);
    } else throw new UsageError(`unknown statistic "${s}" (io,phs  conv,TYPE  endpoints,TYPE  io,stat,SECONDS)`);
  }
  return req;
}

/** The tables `-z` asks for, fed one dissected packet at a time (by `stats` and by `read -z`). */
export class StatsCollector {
  private readonly phs = new ProtocolHierarchy();
  private readonly convs = new Map<ConvType, ConversationTable>();
  private readonly ios: IoStat[];

  constructor(private readonly req: StatsRequest) {
    for (const t of [...req.conv, ...req.endpoints]) if (!this.convs.has(t)) this.convs.set(t, new ConversationTable(t));
    this.ios = req.io.map((i) => new IoStat(i));
  }

  add(p: Packet): void {
    if (this.req.phs) this.phs.add(p);
    for (const c of this.convs.values()) c.add(p);
    for (const io of this.ios) io.add(p);
  }

  print(out: Out, filt: string): void {
    const req = this.req;
    if (req.phs) {
      const rows = this.phs.rows();
      printTable(out, `Protocol Hierarchy Statistics (${filt})`, ["Protocol", "Frames", "Bytes"], rows.length, (i) => {
        const r = rows[i]!;
        return ["  ".repeat(r.depth) + r.name, n(r.frames), n(r.bytes)];
      });
    }
    for (const type of req.conv) {
      const table = this.convs.get(type)!;
      const order = table.conversationOrder();
      const head = ["Address A", "Address B", "Frames A→B", "Bytes A→B", "Frames B→A", "Bytes B→A", "Frames", "Bytes", "Duration (s)"];
      printTable(out, `${LABEL[type]} Conversations (${filt})`, head, order.length, (i) => {
        const c = table.conversation(order[i]!);
        const dur = c.lastSec - c.firstSec + (c.lastNsec - c.firstNsec) / 1e9;
        return [c.a, c.b, n(c.framesAB), n(c.bytesAB), n(c.framesBA), n(c.bytesBA), n(c.framesAB + c.framesBA), n(c.bytesAB + c.bytesBA), dur.toFixed(6)];
      });
    }
    for (const type of req.endpoints) {
      const table = this.convs.get(type)!;
      const order = table.endpointOrder();
      const head = ["Address", "Frames", "Bytes", "Tx Frames", "Tx Bytes", "Rx Frames", "Rx Bytes"];
      printTable(out, `${LABEL[type]} Endpoints (${filt})`, head, order.length, (i) => {
        const e = table.endpoint(order[i]!);
        return [e.addr, n(e.txFrames + e.rxFrames), n(e.txBytes + e.rxBytes), n(e.txFrames), n(e.txBytes), n(e.rxFrames), n(e.rxBytes)];
      });
    }
    for (const io of this.ios) {
      const rows = io.rows();
      printTable(out, `I/O Statistics, interval ${io.interval} s (${filt})`, ["Interval (s)", "Frames", "Bytes"], rows.length, (i) => {
        const r = rows[i]!;
        return [`${fmt(r.start)} <> ${fmt(r.end)}`, n(r.frames), n(r.bytes)];
      });
    }
  }
}

/**
 * Tables up to this many rows are drawn by cli-table3; longer ones (a capture with a million
 * conversations) as plain aligned columns written row by row, since cli-table3 keeps an object
 * per cell and overflows the stack near 100,000 rows.
 */
export const BOXED_MAX = 5000;

/** Prints a titled table of `count` rows, `row(i)` giving the cells of row i. */
export function printTable(out: Out, title: string, head: string[], count: number, row: (i: number) => string[]): void {
  out.line(title);
  if (count <= BOXED_MAX) {
    const t = new Table({ head, style: { head: [], border: [] } });
    for (let i = 0; i < count; i++) t.push(row(i));
    out.line(t.toString());
    return;
  }
  const w = head.map((h) => h.length);
  for (let i = 0; i < count; i++) {
    const cells = row(i);
    for (let j = 0; j < cells.length; j++) if (cells[j]!.length > w[j]!) w[j] = cells[j]!.length;
  }
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(w[j]!)).join("  ").trimEnd();
  out.line(line(head));
  out.line(w.map((x) => "-".repeat(x)).join("  "));
  for (let i = 0; i < count; i++) out.line(line(row(i)));
}

/** An integer with thousands separators, as toLocaleString("en-US") gives, without ICU's cost. */
function n(x: number): string {
  const s = String(x);
  if (s.length <= 3 || !Number.isInteger(x) || x < 0) return x.toLocaleString("en-US");
  let r = s.slice(0, s.length % 3 || 3);
  for (let i = r.length; i < s.length; i += 3) r += "," + s.slice(i, i + 3);
  return r;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

const LABEL: Record<ConvType, string> = { eth: "Ethernet", ip: "IPv4", ipv6: "IPv6", tcp: "TCP", udp: "UDP" };
