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
      const t = new Table({ head: ["Protocol", "Frames", "Bytes"], style: { head: [], border: [] } });
      for (const r of this.phs.rows()) t.push(["  ".repeat(r.depth) + r.name, n(r.frames), n(r.bytes)]);
      out.line(`Protocol Hierarchy Statistics (${filt})`);
      out.line(t.toString());
    }
    for (const type of req.conv) {
      const t = new Table({ head: ["Address A", "Address B", "Frames A→B", "Bytes A→B", "Frames B→A", "Bytes B→A", "Frames", "Bytes", "Duration (s)"], style: { head: [], border: [] } });
      for (const c of this.convs.get(type)!.conversations()) {
        const dur = c.lastSec - c.firstSec + (c.lastNsec - c.firstNsec) / 1e9;
        t.push([c.a, c.b, n(c.framesAB), n(c.bytesAB), n(c.framesBA), n(c.bytesBA), n(c.framesAB + c.framesBA), n(c.bytesAB + c.bytesBA), dur.toFixed(6)]);
      }
      out.line(`${LABEL[type]} Conversations (${filt})`);
      out.line(t.toString());
    }
    for (const type of req.endpoints) {
      const t = new Table({ head: ["Address", "Frames", "Bytes", "Tx Frames", "Tx Bytes", "Rx Frames", "Rx Bytes"], style: { head: [], border: [] } });
      for (const e of this.convs.get(type)!.endpointList()) {
        t.push([e.addr, n(e.txFrames + e.rxFrames), n(e.txBytes + e.rxBytes), n(e.txFrames), n(e.txBytes), n(e.rxFrames), n(e.rxBytes)]);
      }
      out.line(`${LABEL[type]} Endpoints (${filt})`);
      out.line(t.toString());
    }
    for (const io of this.ios) {
      const t = new Table({ head: ["Interval (s)", "Frames", "Bytes"], style: { head: [], border: [] } });
      for (const r of io.rows()) t.push([`${fmt(r.start)} <> ${fmt(r.end)}`, n(r.frames), n(r.bytes)]);
      out.line(`I/O Statistics, interval ${io.interval} s (${filt})`);
      out.line(t.toString());
    }
  }
}

function n(x: number): string {
  return x.toLocaleString("en-US");
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

const LABEL: Record<ConvType, string> = { eth: "Ethernet", ip: "IPv4", ipv6: "IPv6", tcp: "TCP", udp: "UDP" };
