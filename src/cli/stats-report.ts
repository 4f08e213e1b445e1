// `-z` statistics (tshark's io,phs  conv,TYPE  endpoints,TYPE  io,stat,SECONDS  follow,...
// expert): the requests, the tables fed one dissected packet at a time, and their text. Used by
// `stats` and `read -z`. follow and expert print exactly what tshark 4.0 prints.
import Table from "cli-table3";
import type { Field } from "../dissect/fields.js";
import { compileFilter, FilterError } from "../dissect/filter/index.js";
import type { Packet } from "../dissect/packet.js";
import type { Session } from "../dissect/session.js";
import type { Tree } from "../dissect/tree.js";
import { ProtocolHierarchy } from "../dissect/stats/phs.js";
import { CONV_TYPES, ConversationTable, type ConvType } from "../dissect/stats/conversations.js";
import { IoStat } from "../dissect/stats/iostat.js";
import { FollowStream, FollowTaps, parseFollowSpec, type FollowSpec } from "../dissect/stats/follow.js";
import { effectiveLevel, EXPERT_FIELD, ExpertStats, parseExpertSpec, type ExpertStatSpec } from "../dissect/stats/expert.js";
import { UsageError, type Out } from "./out.js";

export const STAT_SPECS =
  "io,phs | conv,eth|ip|ipv6|tcp|udp | endpoints,TYPE | io,stat,SECONDS | follow,tcp|udp,ascii|hex|raw|yaml|ebcdic,STREAM[,RANGE] | expert[,error|warn|note|chat|comment][,FILTER]";

/** A statistic printed the way tshark prints it (in reverse order of the -z options, as tshark). */
export type TsharkStat = { kind: "follow"; spec: FollowSpec } | { kind: "expert"; spec: ExpertStatSpec };

export interface StatsRequest {
  phs: boolean;
  conv: ConvType[];
  endpoints: ConvType[];
  io: number[];
  /** follow and expert, in the order given. */
  tshark: TsharkStat[];
}

/** Parses tshark-style `-z` specs: io,phs  conv,TYPE  endpoints,TYPE  io,stat,SECONDS  follow,...  expert. */
export function parseStatSpecs(specs: readonly string[]): StatsRequest {
  const req: StatsRequest = { phs: false, conv: [], endpoints: [], io: [], tshark: [] };
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
    } else if (parts[0] === "follow") {
      const f = parseFollowSpec(s);
      if (typeof f === "string") throw new UsageError(f);
      req.tshark.push({ kind: "follow", spec: f });
    } else if (parts[0] === "expert") {
      const e = parseExpertSpec(s);
      if (typeof e === "string") throw new UsageError(e);
      if (e.filter !== undefined) {
        try {
          compileFilter(e.filter);
        } catch (err) {
          if (err instanceof FilterError) throw new UsageError(`expert: invalid filter "${e.filter}": ${err.message}`);
          throw err;
        }
      }
      req.tshark.push({ kind: "expert", spec: e });
    } else throw new UsageError(`unknown statistic "${s}" (io,phs  conv,TYPE  endpoints,TYPE  io,stat,SECONDS  follow,tcp|udp,MODE,STREAM[,RANGE]  expert[,LEVEL][,FILTER])`);
  }
  return req;
}

/** The tables `-z` asks for, fed one dissected packet at a time (by `stats` and by `read -z`). */
export class StatsCollector {
  private readonly phs = new ProtocolHierarchy();
  private readonly convs = new Map<ConvType, ConversationTable>();
  private readonly ios: IoStat[];
  private readonly follows = new FollowTaps();
  /** follow and expert statistics, in the order of the -z options. */
  private readonly tshark: (FollowStream | ExpertStats)[] = [];
  private readonly experts: ExpertStats[] = [];
  private readonly hasFollow: boolean;

  constructor(private readonly req: StatsRequest) {
    for (const t of [...req.conv, ...req.endpoints]) if (!this.convs.has(t)) this.convs.set(t, new ConversationTable(t));
    this.ios = req.io.map((i) => new IoStat(i));
    // As tshark, every expert statistic reports from the same lowest level.
    const lowest = effectiveLevel(req.tshark.flatMap((s) => (s.kind === "expert" ? [s.spec] : [])));
    for (const s of req.tshark) {
      if (s.kind === "follow") {
        const f = new FollowStream(s.spec);
        this.follows.add(f);
        this.tshark.push(f);
      } else {
        const e = new ExpertStats(s.spec, lowest);
        this.experts.push(e);
        this.tshark.push(e);
      }
    }
    this.hasFollow = this.tshark.length > this.experts.length;
  }

  /**
   * Fields the engine must record for these statistics: those of their display filters (follow's
   * stream filter, expert's FILTER; as in tshark, a filtering statistic makes the run build a
   * tree), and for expert the one that has dissectors write every expert's text.
   */
  get fields(): Field[] {
    const out: Field[] = [...this.follows.fields];
    for (const e of this.experts) if (e.filter) out.push(...e.filter.fields);
    if (this.experts.length > 0) out.push(EXPERT_FIELD);
    return out;
  }

  /** Installs what follow and expert need on the engine (its session and tree); call before the first packet. */
  attach(engine: { readonly session: Session; readonly tree: Tree }): void {
    if (this.hasFollow) this.follows.attach(engine.session);
    for (const e of this.experts) e.attach(engine.tree);
  }

  add(p: Packet, tree: Tree): void {
    if (this.req.phs) this.phs.add(p);
    for (const c of this.convs.values()) c.add(p);
    for (const io of this.ios) io.add(p);
    if (this.hasFollow) this.follows.frame(p, tree);
    for (let i = 0; i < this.experts.length; i++) this.experts[i]!.add(p, tree);
  }

  /**
   * Prints every statistic: arpx's tables first (after a blank line when packets were printed
   * before them), then follow and expert as tshark prints them, last option first.
   */
  print(out: Out, filt: string, afterPackets = false): void {
    const req = this.req;
    if (afterPackets && (req.phs || req.conv.length || req.endpoints.length || req.io.length)) out.write("\n");
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
    const write = (s: string) => out.write(s);
    for (let i = this.tshark.length - 1; i >= 0; i--) this.tshark[i]!.print(write);
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
