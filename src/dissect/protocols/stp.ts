// Spanning Tree BPDUs (IEEE 802.1D STP, 802.1w RSTP) over LLC SAP 0x42, as Wireshark 4.0 shows
// them. MSTP (version 3) and SPB (version 4) extensions after the common part are not decoded.
//   protocol id 0..2 | version 2 | BPDU type 3 | flags 4 | root id 5..13 | root path cost 13..17
//   | bridge id 17..25 | port id 25..27 | message age 27..29 | max age 29..31 | hello 31..33
//   | forward delay 33..35 | version 1 length 35 (RST/MST only)
// A bridge id is priority (top 4 bits) and system id extension (low 12 bits), then a MAC. Times
// are in 1/256 s.
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { llcSaps } from "../dispatch.js";
import { etherStringAt } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

const PROTOCOL = 0, VERSION = 2, TYPE = 3, FLAGS = 4, ROOT = 5, ROOT_COST = 13, BRIDGE = 17, PORT = 25,
  MSG_AGE = 27, MAX_AGE = 29, HELLO = 31, FORWARD = 33, V1_LEN = 35;
const CONF_LEN = 35, RST_LEN = 36;

const TYPE_CONF = 0x00, TYPE_RST = 0x02, TYPE_TCN = 0x80;

const PROTOCOLS = vals({ 0: "Spanning Tree Protocol" });
const VERSIONS = vals({ 0: "Spanning Tree", 2: "Rapid Spanning Tree", 3: "Multiple Spanning Tree", 4: "Shortest Path Tree" });
const TYPES = vals({ 0x00: "Configuration", 0x02: "Rapid/Multiple Spanning Tree", 0x80: "Topology Change Notification" });
const ROLES = vals({ 0: "Unknown", 1: "Alternate or Backup", 2: "Root", 3: "Designated" });
const YES_NO: readonly [string, string] = ["Yes", "No"];

export const hf = registerProtocol("stp", "Spanning Tree Protocol", {
  protocol: { abbrev: "stp.protocol", name: "Protocol Identifier", type: FT.UINT16, base: Base.HEX, strings: PROTOCOLS },
  version: { abbrev: "stp.version", name: "Protocol Version Identifier", type: FT.UINT8, strings: VERSIONS },
  type: { abbrev: "stp.type", name: "BPDU Type", type: FT.UINT8, base: Base.HEX, strings: TYPES },
  flags: { abbrev: "stp.flags", name: "BPDU flags", type: FT.UINT8, base: Base.HEX },
  tcack: { abbrev: "stp.flags.tcack", name: "Topology Change Acknowledgment", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: YES_NO },
  agreement: { abbrev: "stp.flags.agreement", name: "Agreement", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8, tfs: YES_NO },
  forwarding: { abbrev: "stp.flags.forwarding", name: "Forwarding", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: YES_NO },
  learning: { abbrev: "stp.flags.learning", name: "Learning", type: FT.BOOLEAN, mask: 0x10, bitWidth: 8, tfs: YES_NO },
  port_role: { abbrev: "stp.flags.port_role", name: "Port Role", type: FT.UINT8, mask: 0x0c, strings: ROLES },
  proposal: { abbrev: "stp.flags.proposal", name: "Proposal", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: YES_NO },
  tc: { abbrev: "stp.flags.tc", name: "Topology Change", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: YES_NO },
  root_prio: { abbrev: "stp.root.prio", name: "Root Bridge Priority", type: FT.UINT16 },
  root_ext: { abbrev: "stp.root.ext", name: "Root Bridge System ID Extension", type: FT.UINT16 },
  root_hw: { abbrev: "stp.root.hw", name: "Root Bridge System ID", type: FT.ETHER },
  root_cost: { abbrev: "stp.root.cost", name: "Root Path Cost", type: FT.UINT32 },
  bridge_prio: { abbrev: "stp.bridge.prio", name: "Bridge Priority", type: FT.UINT16 },
  bridge_ext: { abbrev: "stp.bridge.ext", name: "Bridge System ID Extension", type: FT.UINT16 },
  bridge_hw: { abbrev: "stp.bridge.hw", name: "Bridge System ID", type: FT.ETHER },
  port: { abbrev: "stp.port", name: "Port identifier", type: FT.UINT16, base: Base.HEX },
  msg_age: { abbrev: "stp.msg_age", name: "Message Age", type: FT.DOUBLE },
  max_age: { abbrev: "stp.max_age", name: "Max Age", type: FT.DOUBLE },
  hello: { abbrev: "stp.hello", name: "Hello Time", type: FT.DOUBLE },
  forward: { abbrev: "stp.forward", name: "Forward Delay", type: FT.DOUBLE },
  version_1_length: { abbrev: "stp.version_1_length", name: "Version 1 Length", type: FT.UINT8 },
});

export const ei = registerExperts(hf.proto, {
  type_unknown: { abbrev: "stp.type.unknown", group: "protocol", severity: "warn", summary: "Unknown BPDU type data" },
});

const u16 = (d: Uint8Array, o: number): number => (d[o]! << 8) | d[o + 1]!;
const u32 = (d: Uint8Array, o: number): number => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;

/** "0x3c, Forwarding, Learning, Port Role: Designated" (the set flags, as Wireshark's bitmask header). */
function flagsText(flags: number, rst: boolean): string {
  let s = "0x" + flags.toString(16).padStart(2, "0");
  if (flags & 0x80) s += ", Topology Change Acknowledgment";
  if (rst) {
    if (flags & 0x40) s += ", Agreement";
    if (flags & 0x20) s += ", Forwarding";
    if (flags & 0x10) s += ", Learning";
    s += ", Port Role: " + ROLES.get((flags & 0x0c) >> 2)!;
    if (flags & 0x02) s += ", Proposal";
  }
  if (flags & 0x01) s += ", Topology Change";
  return s;
}

/** A bridge identifier: a summary line and its priority, extension and MAC below it. */
function bridgeId(t: Tree, o: number, label: string, prio: typeof hf.root_prio, ext: typeof hf.root_ext, hw: typeof hf.root_hw): void {
  const d = t.d;
  const v = u16(d, o);
  if (t.full) t.text(`${label}: ${v & 0xf000} / ${v & 0x0fff} / ${etherStringAt(d, o + 2)}`, o, 8);
  t.down();
  t.uint(prio, o, 2, v & 0xf000);
  t.uint(ext, o, 2, v & 0x0fff);
  t.ether(hw, o + 2);
  t.up();
}

function time(t: Tree, f: typeof hf.msg_age, o: number): void {
  t.check(o, 2);
  t.value(f, o, 2, u16(t.d, o) / 256);
}

export function dissectStp(p: Packet, t: Tree, off: number): number {
  const d = t.d;
  p.protocol = "STP";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "STP";
  t.check(off, 4);
  const version = d[off + VERSION]!;
  const type = d[off + TYPE]!;
  if (type !== TYPE_CONF && type !== TYPE_RST) {
    if (p.wantCols) p.info.set(type === TYPE_TCN ? "Topology Change Notification" : `Unknown BPDU type (${type})`);
    t.uint(hf.protocol, off + PROTOCOL, 2, u16(d, off + PROTOCOL));
    t.uint(hf.version, off + VERSION, 1, version);
    t.uint(hf.type, off + TYPE, 1, type);
    if (type !== TYPE_TCN) {
      t.down();
      t.expert(p, ei.type_unknown, off + TYPE, 1);
      t.up();
    }
    t.up();
    return off + 4;
  }
  const rst = type === TYPE_RST;
  // As Wireshark, every value the Info column names is read before any item is added.
  t.check(off, CONF_LEN);
  const flags = d[off + FLAGS]!;
  const root = u16(d, off + ROOT);
  const cost = u32(d, off + ROOT_COST);
  const port = u16(d, off + PORT);
  if (p.wantCols) {
    const kind = type === TYPE_CONF ? "Conf. " : version === 3 ? "MST. " : version === 4 ? "SPT. " : "RST. ";
    p.info.set(`${kind}${flags & 0x01 ? "TC + " : ""}Root = ${root & 0xf000}/${root & 0x0fff}/${etherStringAt(d, off + ROOT + 2)}` +
      `  Cost = ${cost}  Port = 0x${port.toString(16).padStart(4, "0")}`);
  }
  t.uint(hf.protocol, off + PROTOCOL, 2, u16(d, off + PROTOCOL));
  t.uint(hf.version, off + VERSION, 1, version);
  t.uint(hf.type, off + TYPE, 1, type);
  t.uint(hf.flags, off + FLAGS, 1, flags);
  if (t.full) t.label(`BPDU flags: ${flagsText(flags, rst)}`);
  t.down();
  t.bool(hf.tcack, off + FLAGS, 1, flags);
  if (rst) {
    t.bool(hf.agreement, off + FLAGS, 1, flags);
    t.bool(hf.forwarding, off + FLAGS, 1, flags);
    t.bool(hf.learning, off + FLAGS, 1, flags);
    t.uint(hf.port_role, off + FLAGS, 1, flags);
    t.bool(hf.proposal, off + FLAGS, 1, flags);
  }
  t.bool(hf.tc, off + FLAGS, 1, flags);
  t.up();
  bridgeId(t, off + ROOT, "Root Identifier", hf.root_prio, hf.root_ext, hf.root_hw);
  t.uint(hf.root_cost, off + ROOT_COST, 4, cost);
  bridgeId(t, off + BRIDGE, "Bridge Identifier", hf.bridge_prio, hf.bridge_ext, hf.bridge_hw);
  t.uint(hf.port, off + PORT, 2, port);
  time(t, hf.msg_age, off + MSG_AGE);
  time(t, hf.max_age, off + MAX_AGE);
  time(t, hf.hello, off + HELLO);
  time(t, hf.forward, off + FORWARD);
  let end = off + CONF_LEN;
  if (rst) {
    t.check(off + V1_LEN, 1);
    t.uint(hf.version_1_length, off + V1_LEN, 1, d[off + V1_LEN]!);
    end = off + RST_LEN;
  }
  t.up();
  return end;
}

llcSaps.add(0x42, dissectStp);
