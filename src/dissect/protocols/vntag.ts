// Cisco VN-Tag (ethertype 0x8926), as Wireshark decodes it.
//   dir/ptr/dst 0..2 | looped/r/version/src 2..4 | ethertype 4..6 | payload 6..
import { Base, FT, registerProtocol } from "../fields.js";
import { etherTypes } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { dissectEthertype } from "./ethertype.js";
import { ETHERTYPE_NAMES } from "./ethertypes.js";

const TAG = 0, TYPE = 4, HDR = 6;

export const hf = registerProtocol("vntag", "VN-Tag", {
  dir: { abbrev: "vntag.dir", name: "Direction", type: FT.BOOLEAN, mask: 0x80000000, bitWidth: 32, tfs: ["From Bridge", "To Bridge"] },
  ptr: { abbrev: "vntag.ptr", name: "Pointer", type: FT.BOOLEAN, mask: 0x40000000, bitWidth: 32, tfs: ["vif_list_id", "vif_id"] },
  dst: { abbrev: "vntag.dst", name: "Destination", type: FT.UINT32, mask: 0x3fff0000, bitWidth: 32 },
  looped: { abbrev: "vntag.looped", name: "Looped", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 32, tfs: ["Yes", "No"] },
  r: { abbrev: "vntag.r", name: "Reserved", type: FT.UINT32, mask: 0x4000, bitWidth: 32 },
  version: { abbrev: "vntag.version", name: "Version", type: FT.UINT32, mask: 0x3000, bitWidth: 32 },
  src: { abbrev: "vntag.src", name: "Source", type: FT.UINT32, mask: 0xfff, bitWidth: 32 },
  etype: { abbrev: "vntag.etype", name: "Type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
});


export function dissectVntag(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "VNTAG";
  t.proto(p, hf.proto, off, HDR);
  t.check(off, HDR);
  const tag = ((d[off + TAG]! << 24) >>> 0) + (d[off + TAG + 1]! << 16) + (d[off + TAG + 2]! << 8) + d[off + TAG + 3]!;
  t.bool(hf.dir, off, 4, tag);
  t.bool(hf.ptr, off, 4, tag);
  t.uint(hf.dst, off, 4, tag);
  t.bool(hf.looped, off, 4, tag);
  t.uint(hf.r, off, 4, tag);
  t.uint(hf.version, off, 4, tag);
  t.uint(hf.src, off, 4, tag);
  const type = (d[off + TYPE]! << 8) | d[off + TYPE + 1]!;
  t.uint(hf.etype, off + TYPE, 2, type);
  t.up();
  dissectEthertype(p, t, off + HDR, type, false);
}

etherTypes.add(0x8926, dissectVntag);
