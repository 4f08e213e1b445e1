// AppleTalk ARP (Inside AppleTalk, chapter 2), ethertype 0x80f3, as Wireshark 4.0 shows it.
//   hardware type 0..2 | protocol type 2..4 | hardware size 4 | protocol size 5 | opcode 6..8 |
//   sender hardware, sender protocol, target hardware, target protocol addresses 8..
// An AppleTalk address (protocol size 4) is a pad byte, a 16-bit network and an 8-bit node,
// shown "network.node".
import { Base, FT, registerProtocol, vals, type Field } from "../fields.js";
import { etherTypes } from "../dispatch.js";
import { bytesToHex, etherStringAt } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE_NAMES } from "./ethertypes.js";

const HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPCODE = 6, ADDRS = 8;
const ETHERTYPE_AARP = 0x80f3;
const PTYPE_APPLETALK = 0x809b;
const OP_REQUEST = 1, OP_REPLY = 2, OP_PROBE = 3;

const HW_TYPES = vals({ 1: "Ethernet", 2: "Token Ring" });
const OPCODES = vals({ [OP_REQUEST]: "request", [OP_REPLY]: "reply", [OP_PROBE]: "probe" });

export const hf = registerProtocol("aarp", "AppleTalk Address Resolution Protocol", {
  hw_type: { abbrev: "aarp.hard.type", name: "Hardware type", type: FT.UINT16, base: Base.HEX, strings: HW_TYPES },
  proto_type: { abbrev: "aarp.proto.type", name: "Protocol type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
  hw_size: { abbrev: "aarp.hard.size", name: "Hardware size", type: FT.UINT8 },
  proto_size: { abbrev: "aarp.proto.size", name: "Protocol size", type: FT.UINT8 },
  opcode: { abbrev: "aarp.opcode", name: "Opcode", type: FT.UINT16, strings: OPCODES },
  src_hw: { abbrev: "aarp.src.hw", name: "Sender hardware address", type: FT.BYTES },
  src_hw_mac: { abbrev: "aarp.src.hw_mac", name: "Sender MAC address", type: FT.ETHER },
  src_proto: { abbrev: "aarp.src.proto", name: "Sender protocol address", type: FT.BYTES },
  src_proto_id: { abbrev: "aarp.src.proto_id", name: "Sender ID", type: FT.BYTES },
  dst_hw: { abbrev: "aarp.dst.hw", name: "Target hardware address", type: FT.BYTES },
  dst_hw_mac: { abbrev: "aarp.dst.hw_mac", name: "Target MAC address", type: FT.ETHER },
  dst_proto: { abbrev: "aarp.dst.proto", name: "Target protocol address", type: FT.BYTES },
  dst_proto_id: { abbrev: "aarp.dst.proto_id", name: "Target ID", type: FT.BYTES },
});

/** Returns nothing: like Wireshark's, the dissector leaves the rest of the frame unclaimed (no padding item). */
export function dissectAarp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "AARP";
  t.curProto = "AARP";
  // Wireshark reads the header and all four addresses (for the Info column) before its tree item:
  // a cut packet has no AARP item, though frame.protocols lists it.
  p.layers.push(hf.proto.abbrev);
  t.check(off, ADDRS);
  const hlen = d[off + HLEN]!, plen = d[off + PLEN]!;
  const total = ADDRS + 2 * hlen + 2 * plen;
  t.check(off, total);
  p.layers.pop();
  const htype = (d[off + HTYPE]! << 8) | d[off + HTYPE + 1]!;
  const ptype = (d[off + PTYPE]! << 8) | d[off + PTYPE + 1]!;
  const op = (d[off + OPCODE]! << 8) | d[off + OPCODE + 1]!;
  const sha = off + ADDRS, spa = sha + hlen, tha = spa + plen, tpa = tha + hlen;
  const mac = hlen === 6 && (htype === 1 || htype === 2);
  const id = plen === 4 && ptype === PTYPE_APPLETALK;
  const hwText = (o: number) => (mac ? etherStringAt(d, o) : bytesToHex(d.subarray(o, o + hlen)));
  const paText = (o: number) => (id ? `${(d[o + 1]! << 8) | d[o + 2]!}.${d[o + 3]!}` : bytesToHex(d.subarray(o, o + plen)));

  if (p.wantCols) {
    if (op === OP_REQUEST) p.info.set(`Who has ${paText(tpa)}?  Tell ${paText(spa)}`);
    else if (op === OP_REPLY) p.info.set(`${paText(spa)} is at ${hwText(sha)}`);
    else if (op === OP_PROBE) p.info.set(`Is there a ${paText(tpa)}`);
    else p.info.set(`Unknown AARP opcode 0x${op.toString(16).padStart(4, "0")}`);
  }

  t.proto(p, hf.proto, off, total);
  if (t.full) t.label(`${hf.proto.name} (${OPCODES.get(op) ?? `opcode 0x${op.toString(16).padStart(4, "0")}`})`);
  t.uint(hf.hw_type, off + HTYPE, 2, htype);
  t.uint(hf.proto_type, off + PTYPE, 2, ptype);
  t.uint(hf.hw_size, off + HLEN, 1, hlen);
  t.uint(hf.proto_size, off + PLEN, 1, plen);
  t.uint(hf.opcode, off + OPCODE, 2, op);
  address(t, sha, hlen, mac ? hf.src_hw_mac : hf.src_hw);
  protoAddress(t, spa, plen, id ? hf.src_proto_id : hf.src_proto, paText);
  address(t, tha, hlen, mac ? hf.dst_hw_mac : hf.dst_hw);
  protoAddress(t, tpa, plen, id ? hf.dst_proto_id : hf.dst_proto, paText);
  t.up();
}

function address(t: Tree, o: number, len: number, f: Field): void {
  if (len === 0) return;
  if (f.type === FT.ETHER) t.ether(f, o);
  else t.bytes(f, o, len);
}

function protoAddress(t: Tree, o: number, len: number, f: Field, text: (o: number) => string): void {
  if (len === 0) return;
  t.bytes(f, o, len);
  if (t.full && (f === hf.src_proto_id || f === hf.dst_proto_id)) t.label(`${f.name}: ${text(o)}`);
}

etherTypes.add(ETHERTYPE_AARP, dissectAarp);
