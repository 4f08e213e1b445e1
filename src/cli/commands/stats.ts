// `arpx stats FILE`: protocol hierarchy, conversations, endpoints and I/O per interval.
import type { Command } from "commander";
import Table from "cli-table3";
import { Engine } from "../../dissect/engine.js";
import { compileFilter, FilterError, type CompiledFilter } from "../../dissect/filter/index.js";
import { ProtocolHierarchy } from "../../dissect/stats/phs.js";
import { CONV_TYPES, ConversationTable, type ConvType } from "../../dissect/stats/conversations.js";
import { IoStat } from "../../dissect/stats/iostat.js";
import { TreeMode } from "../../dissect/tree.js";
import { Out, UsageError } from "../out.js";
import { openOrReport, walk } from "../readloop.js";

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

const collect = (v: string, acc: string[]) => [...acc, v];

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("stats")
    .description("protocol hierarchy, conversations, endpoints and I/O statistics of a capture")
    .argument("<file>", "capture file ('-' for standard input)")
    .option("-z, --stat <spec>", "io,phs | conv,eth|ip|ipv6|tcp|udp | endpoints,TYPE | io,stat,SECONDS (repeatable; default: phs, conv,ip, conv,tcp, conv,udp, io,stat,1)", collect, [])
    .option("-Y, --display-filter <filter>", "count only packets matching this display filter")
    .action(async (file: string, o: { stat: string[]; displayFilter?: string }) => {
      const specs = o.stat.length ? o.stat : ["io,phs", "conv,ip", "conv,tcp", "conv,udp", "io,stat,1"];
      done(await statsCommand(file, parseStatSpecs(specs), o.displayFilter));
    });
}

function n(x: number): string {
  return x.toLocaleString("en-US");
}

export async function statsCommand(file: string, req: StatsRequest, filterText?: string): Promise<number> {
  let filter: CompiledFilter | undefined;
  if (filterText) {
    try {
      filter = compileFilter(filterText);
    } catch (e) {
      if (e instanceof FilterError) {
        process.stderr.write(e.caretMessage() + "\n");
        return 2;
      }
      throw e;
    }
  }
  const engine = new Engine({ mode: filter ? TreeMode.FIELDS : TreeMode.SUMMARY, fields: filter?.fields ?? [], columns: false });
  const phs = new ProtocolHierarchy();
  const convs = new Map<ConvType, ConversationTable>();
  for (const t of [...req.conv, ...req.endpoints]) if (!convs.has(t)) convs.set(t, new ConversationTable(t));
  const ios = req.io.map((i) => new IoStat(i));
  const reader = await openOrReport(file);
  if (!reader) return 2;
  const status = await walk(reader, (r) => {
    const p = engine.dissect(r);
    if (filter && !filter.test(engine.tree)) return;
    if (req.phs) phs.add(p);
    for (const c of convs.values()) c.add(p);
    for (const io of ios) io.add(p);
  });
  await reader.close();

  const out = new Out();
  const filt = filterText ? `Filter: ${filterText}` : "Filter: <none>";
  if (req.phs) {
    const t = new Table({ head: ["Protocol", "Frames", "Bytes"], style: { head: [], border: [] } });
    for (const r of phs.rows()) t.push(["  ".repeat(r.depth) + r.name, n(r.frames), n(r.bytes)]);
    out.line(`Protocol Hierarchy Statistics (${filt})`);
    out.line(t.toString());
  }
  for (const type of req.conv) {
    const t = new Table({ head: ["Address A", "Address B", "Frames A→B", "Bytes A→B", "Frames B→A", "Bytes B→A", "Frames", "Bytes", "Duration (s)"], style: { head: [], border: [] } });
    for (const c of convs.get(type)!.conversations()) {
      const dur = c.lastSec - c.firstSec + (c.lastNsec - c.firstNsec) / 1e9;
      t.push([c.a, c.b, n(c.framesAB), n(c.bytesAB), n(c.framesBA), n(c.bytesBA), n(c.framesAB + c.framesBA), n(c.bytesAB + c.bytesBA), dur.toFixed(6)]);
    }
    out.line(`${LABEL[type]} Conversations (${filt})`);
    out.line(t.toString());
  }
  for (const type of req.endpoints) {
    const t = new Table({ head: ["Address", "Frames", "Bytes", "Tx Frames", "Tx Bytes", "Rx Frames", "Rx Bytes"], style: { head: [], border: [] } });
    for (const e of convs.get(type)!.endpointList()) {
      t.push([e.addr, n(e.txFrames + e.rxFrames), n(e.txBytes + e.rxBytes), n(e.txFrames), n(e.txBytes), n(e.rxFrames), n(e.rxBytes)]);
    }
    out.line(`${LABEL[type]} Endpoints (${filt})`);
    out.line(t.toString());
  }
  for (const io of ios) {
    const t = new Table({ head: ["Interval (s)", "Frames", "Bytes"], style: { head: [], border: [] } });
    for (const r of io.rows()) t.push([`${fmt(r.start)} <> ${fmt(r.end)}`, n(r.frames), n(r.bytes)]);
    out.line(`I/O Statistics, interval ${io.interval} s (${filt})`);
    out.line(t.toString());
  }
  out.flush();
  return status;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

const LABEL: Record<ConvType, string> = { eth: "Ethernet", ip: "IPv4", ipv6: "IPv6", tcp: "TCP", udp: "UDP" };
