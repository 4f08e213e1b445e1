// Virtual eXtensible Local Area Network (RFC 7348, with the Group Based Policy extension of
// draft-smith-vxlan-group-policy), UDP port 4789, as Wireshark 4.0's packet-vxlan.c shows it.
//   flags 0..2 (G, I, D, A bits) | group policy ID 2..4 | VNI 4..7 | reserved 7 | Ethernet frame 8..
//
// Wireshark always shows the group policy ID (zero without the G bit) and always hands what
// follows to Ethernet, even nothing (then "[Malformed Packet: Ethernet]").
import { Base, FT, registerProtocol } from "../fields.js";
import { udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { dissectInnerEth } from "./gre.js";

const FLAGS = 0, GBP = 2, VNI = 4, RESERVED = 7, HDR = 8;
export const VXLAN_PORT = 4789;

const G = 0x8000, I = 0x0800, D = 0x0040, A = 0x0008;

export const hf = registerProtocol("vxlan", "Virtual eXtensible Local Area Network", {
  flags: { abbrev: "vxlan.flags", name: "Flags", type: FT.UINT16, base: Base.HEX },
  flag_g: { abbrev: "vxlan.flag_g", name: "GBP Extension", type: FT.BOOLEAN, mask: G, bitWidth: 16, tfs: ["Defined", "Not defined"] },
  flag_i: { abbrev: "vxlan.flag_i", name: "VXLAN Network ID (VNI)", type: FT.BOOLEAN, mask: I, bitWidth: 16 },
  flag_d: { abbrev: "vxlan.flag_d", name: "Don't Learn", type: FT.BOOLEAN, mask: D, bitWidth: 16 },
  flag_a: { abbrev: "vxlan.flag_a", name: "Policy Applied", type: FT.BOOLEAN, mask: A, bitWidth: 16 },
  flags_reserved: { abbrev: "vxlan.flags_reserved", name: "Reserved(R)", type: FT.UINT16, base: Base.HEX, mask: 0x77b7 },
  gbp: { abbrev: "vxlan.gbp", name: "Group Policy ID", type: FT.UINT16 },
  vni: { abbrev: "vxlan.vni", name: "VXLAN Network Identifier (VNI)", type: FT.UINT24 },
  reserved8: { abbrev: "vxlan.reserved8", name: "Reserved", type: FT.UINT8 },
});

/** "Flags: 0x0800, VXLAN Network ID (VNI)": the value and the names of the flags set. */
function flagsLabel(v: number): string {
  let s = `Flags: 0x${v.toString(16).padStart(4, "0")}`;
  if (v & G) s += ", GBP Extension";
  if (v & I) s += ", VXLAN Network ID (VNI)";
  if (v & D) s += ", Don't Learn";
  if (v & A) s += ", Policy Applied";
  return s;
}

export function dissectVxlan(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "VxLAN";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, HDR);
  t.curProto = "VXLAN";

  t.check(off + FLAGS, 2);
  const flags = (d[off + FLAGS]! << 8) | d[off + FLAGS + 1]!;
  t.uint(hf.flags, off + FLAGS, 2, flags);
  if (t.full) t.label(flagsLabel(flags));
  t.down();
  t.bool(hf.flag_g, off + FLAGS, 2, flags);
  t.bool(hf.flag_i, off + FLAGS, 2, flags);
  t.bool(hf.flag_d, off + FLAGS, 2, flags);
  t.bool(hf.flag_a, off + FLAGS, 2, flags);
  t.uint(hf.flags_reserved, off + FLAGS, 2, flags);
  t.up();

  t.check(off + GBP, 2);
  t.uint(hf.gbp, off + GBP, 2, (d[off + GBP]! << 8) | d[off + GBP + 1]!);
  t.check(off + VNI, 3);
  t.uint(hf.vni, off + VNI, 3, (d[off + VNI]! << 16) | (d[off + VNI + 1]! << 8) | d[off + VNI + 2]!);
  t.check(off + RESERVED, 1);
  t.uint(hf.reserved8, off + RESERVED, 1, d[off + RESERVED]!);
  t.up();

  dissectInnerEth(p, t, off + HDR);
}

udpPorts.add(VXLAN_PORT, dissectVxlan);
