// tshark's `-z expert[,error|warn|note|chat|comment][,FILTER]`: the expert infos of a capture,
// counted per severity and per (protocol, summary) in the order first seen, printed as tshark
// 4.0 prints them (an "Errors (N)" / "Warns (N)" / ... section per severity, most severe first).
//
// The dissectors record every expert info they raise in Packet.experts, whatever the tree mode,
// so a run without -z expert pays nothing. With it, the engine records EXPERT_FIELD, which makes
// it build a tree: some dissectors write an expert's text only then (HTTP's start line). What
// tshark does besides counting is kept:
//  - a frame comment (pcapng) is an expert of its own, severity "comment", protocol "Frame";
//  - some expert infos exist only when tshark builds a tree (a display filter, -V, a filtering
//    statistic) or only for items it really creates (-V): TREE_ONLY and VISIBLE_ONLY;
//  - the protocol named is the one being dissected when the expert was raised, and experts raised
//    inside an ICMP error's quoted packet are not counted (noteExpertProtocols);
//  - all expert statistics of a run share one level, the last one named (effectiveLevel).
import { compileFilter, type CompiledFilter } from "../filter/index.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { allFields, fieldByName, FT } from "../fields.js";
import { GROUP_CODE, ws, wsEi } from "../ws.js";
import { inErrorPkt } from "../protocols/udp.js";

export type ExpertLevel = "comment" | "chat" | "note" | "warn" | "error";
/** Lowest severity first, as tshark numbers its levels. */
export const EXPERT_LEVELS: readonly ExpertLevel[] = ["comment", "chat", "note", "warn", "error"];
const TITLES = ["Comments", "Chats", "Notes", "Warns", "Errors"];

export interface ExpertStatSpec {
  /**
   * Index in EXPERT_LEVELS of the lowest severity reported, when the spec names one. tshark keeps
   * one level for all its expert statistics: the last one named (see effectiveLevel).
   */
  level: number | undefined;
  /** Display filter the frames must pass, or undefined. */
  filter: string | undefined;
}

/** The lowest level every expert statistic of a run reports: the last one named, else all. */
export function effectiveLevel(specs: readonly ExpertStatSpec[]): number {
  let level = 0;
  for (const s of specs) if (s.level !== undefined) level = s.level;
  return level;
}

/**
 * Parses `expert[,LEVEL][,FILTER]` as tshark 4.0 does: LEVEL is matched case-insensitively as a
 * prefix, and whatever follows its comma is the filter. Returns the spec or a one-line message.
 */
export function parseExpertSpec(spec: string): ExpertStatSpec | string {
  if (spec !== "expert" && !spec.startsWith("expert,")) return `not an expert statistic: "${spec}"`;
  let args = spec.slice("expert".length);
  let level: number | undefined;
  const lower = args.toLowerCase();
  for (let i = EXPERT_LEVELS.length - 1; i >= 0; i--) {
    const l = EXPERT_LEVELS[i]!;
    if (lower.startsWith("," + l)) {
      level = i;
      args = args.slice(l.length + 1);
      break;
    }
  }
  const filter = args.startsWith(",") ? args.slice(1) : undefined;
  return { level, filter: filter === "" ? undefined : filter };
}

/**
 * Wireshark's short protocol names (proto_register_protocol's second argument) by filter name, for
 * the protocols whose dissector leaves Tree.curProto at the name it registered with arpx.
 */
export const SHORT_NAMES: Readonly<Record<string, string>> = {
  "_ws.string": "String errors", "_ws.unreassembled": "Unreassembled fragmented packet", aarp: "AARP", ah: "AH",
  arp: "ARP/RARP", babel: "Babel", cfm: "CFM", data: "Data", "data-text-lines": "Line-based text data",
  "db-lsp": "DB-LSP", "db-lsp-disc": "DB-LSP-DISC", dhcp: "DHCP/BOOTP", dns: "DNS", esp: "ESP", eth: "Ethernet",
  ethertype: "Ethertype", frame: "Frame", gre: "GRE", http: "HTTP", icmp: "ICMP", icmpv6: "ICMPv6",
  ieee8021ad: "IEEE 802.1AD", ieee8021ah: "IEEE 802.1AH", igmp: "IGMP", ip: "IPv4", ipv6: "IPv6",
  "ipv6.dstopts": "IPv6 Destination", "ipv6.fraghdr": "IPv6 Fragment", "ipv6.hopopts": "IPv6 Hop-by-Hop",
  "ipv6.routing": "IPv6 Routing", json: "JSON", lacp: "Link Aggregation Control Protocol", llc: "LLC", lldp: "LLDP",
  llmnr: "LLMNR", m3ua: "M3UA", marker: "Link Aggregation Marker Protocol", mdns: "mDNS", media: "Media", mptcp: "MPTCP",
  ntp: "NTP", null: "Null", oampdu: "Ethernet OAM PDU", ossp: "Organization Specific Slow Protocol", quic: "QUIC",
  raw: "Raw", rpkirtr: "RPKI-Router Protocol", sctp: "SCTP", sll: "SLL", slow: "802.3 Slow protocols", ssdp: "SSDP",
  ssh: "SSH", stp: "STP", tcp: "TCP", tls: "TLS", udp: "UDP", udpencap: "UDPENCAP", vlan: "VLAN", vntag: "VNTAG",
  vrrp: "VRRP", vxlan: "VXLAN", xarp: "XARP",
};

/** Wireshark's short name of a protocol arpx registers (its arpx name when Wireshark has none). */
export function protocolShortName(abbrev: string): string | undefined {
  return SHORT_NAMES[abbrev] ?? fieldByName(abbrev)?.name;
}

let byLongName: Map<string, string> | undefined;

/** The short name for a Tree.curProto value: a protocol's registered (long) name, or a short name already. */
function shortName(curProto: string): string {
  if (byLongName === undefined) {
    byLongName = new Map();
    for (const f of allFields()) if (f.type === FT.PROTOCOL && f.proto === null) byLongName.set(f.name, f.abbrev);
  }
  const abbrev = byLongName.get(curProto);
  return abbrev !== undefined ? SHORT_NAMES[abbrev] ?? curProto : curProto;
}

/**
 * Experts raised while Tree.curProto does not name the protocol Wireshark is in: Ethernet's
 * trailer check runs in the Ethertype dissector after the payload's dissector returned.
 */
const RAISED_BY: Record<string, string> = { "eth.padding_bad": "Ethertype" };

/** Experts Wireshark raises only while building a protocol tree (TCP's option walk). */
const TREE_ONLY = new Set(["tcp.nop"]);
/** Experts Wireshark raises only for items it really creates: a detail view (string checks). */
const VISIBLE_ONLY = new Set(["_ws.string.trailing_stray_characters"]);

/** The field a run with -z expert records so that dissectors write every expert's text. */
export const EXPERT_FIELD = ws.expert;

/** Would tshark build a tree in this run: a detail view, or a field asked for besides EXPERT_FIELD? */
function tsharkTree(tree: Tree): boolean {
  if (tree.full) return true;
  const w = tree.want;
  for (let i = 0; i < w.length; i++) if (w[i] === 1 && i !== EXPERT_FIELD.id) return true;
  return false;
}

interface Entry {
  group: number;
  protocol: string;
  summary: string;
  count: number;
}

export class ExpertStats {
  readonly filter: CompiledFilter | undefined;
  /** Entries per level, and their index by protocol + summary. */
  private readonly entries: Entry[][] = EXPERT_LEVELS.map(() => []);
  private readonly index: Map<string, Entry>[] = EXPERT_LEVELS.map(() => new Map());

  /** Whether the run builds a tree in tshark (known at the first frame). */
  private treeRun: boolean | undefined;

  /** Protocol of each expert of the current frame (see noteExpertProtocols); set by attach(). */
  private protos: readonly string[] = [];

  /** `lowest`: index in EXPERT_LEVELS of the lowest severity counted (effectiveLevel). */
  constructor(readonly spec: ExpertStatSpec, private readonly lowest: number) {
    this.filter = spec.filter !== undefined ? compileFilter(spec.filter) : undefined;
  }

  /** Call with the engine's tree before the first frame. */
  attach(tree: Tree): void {
    let protos = notedProtocols.get(tree);
    if (protos === undefined) {
      protos = noteExpertProtocols(tree);
      notedProtocols.set(tree, protos);
    }
    this.protos = protos;
  }

  /** Counts the experts of a dissected frame (its fields in `tree`). */
  add(p: Packet, tree: Tree): void {
    if (this.filter && !this.filter.test(tree)) return;
    const lowest = this.lowest;
    const treeRun = (this.treeRun ??= tsharkTree(tree));
    if (p.comment !== undefined && lowest === 0) this.count(0, GROUP_COMMENT, "Frame", p.comment);
    const hits = p.experts;
    for (let i = 0; i < hits.length; i++) {
      const h = hits.at(i)!;
      const e = h.expert;
      const level = EXPERT_LEVELS.indexOf(e.severity);
      if (level < lowest || this.protos[i] === "") continue;
      if (!treeRun && TREE_ONLY.has(e.abbrev)) continue;
      if (!tree.full && VISIBLE_ONLY.has(e.abbrev)) continue;
      this.count(level, GROUP_CODE[e.group], protocolOf(p, i, e.abbrev, this.protos), h.text);
    }
  }

  private count(level: number, group: number, protocol: string, summary: string): void {
    const key = protocol + "\u0000" + summary;
    const m = this.index[level]!;
    const e = m.get(key);
    if (e) e.count++;
    else {
      const n: Entry = { group, protocol, summary, count: 1 };
      m.set(key, n);
      this.entries[level]!.push(n);
    }
  }

  /** tshark's text: one section per severity that has entries, most severe first. */
  print(write: (s: string) => void): void {
    for (let level = EXPERT_LEVELS.length - 1; level >= 0; level--) {
      const list = this.entries[level]!;
      if (list.length === 0) continue;
      let total = 0;
      for (const e of list) total += e.count;
      let s = `\n${TITLES[level]} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
      for (const e of list) {
        const group = ws.expert_group.strings?.get(e.group) ?? `Unknown (${e.group})`;
        s += `${String(e.count).padStart(12)} ${group.padStart(10)} ${e.protocol.padStart(18)}  ${e.summary}\n`;
      }
      write(s);
    }
  }
}

const GROUP_COMMENT = GROUP_CODE.comment;

/** One wrapper per tree, however many expert statistics share it. */
const notedProtocols = new WeakMap<Tree, string[]>();

/**
 * Notes, for each expert the dissectors raise with `tree`, the protocol being dissected then
 * (Wireshark's pinfo->current_proto, which its expert tap reports): Packet.experts does not keep
 * it. Slot i belongs to the frame's expert i ("" inside an ICMP error's quoted packet, whose
 * experts Wireshark's taps never see). The Tree's expertUnder (behind expert() and
 * expertItem()) is wrapped for this tree only, so runs without -z expert are untouched.
 */
export function noteExpertProtocols(tree: Tree): string[] {
  const protos: string[] = [];
  const raise = tree.expertUnder;
  tree.expertUnder = function (this: Tree, item, p, e, off, len, text) {
    // Wireshark's taps skip what is queued inside an ICMP error's quoted packet: "" marks it.
    protos[p.experts.length] = inErrorPkt() ? "" : this.curProto;
    raise.call(this, item, p, e, off, len, text);
  };
  return protos;
}

/** The protocol tshark names for expert `i` of the frame. */
function protocolOf(p: Packet, i: number, abbrev: string, protos: readonly string[]): string {
  if (abbrev === MALFORMED) {
    // Raised by the engine after the dissectors unwound: the protocol that failed is the last one entered.
    const last = p.layers.length > 0 ? p.layers.at(p.layers.length - 1)! : "frame";
    return protocolShortName(last) ?? last;
  }
  return RAISED_BY[abbrev] ?? shortName(protos[i] ?? "");
}

const MALFORMED = wsEi.malformed.abbrev;
