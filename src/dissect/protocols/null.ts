// BSD loopback encapsulation: LINKTYPE_NULL (0), a 4-byte address family in the capturing host's
// byte order, and LINKTYPE_LOOP (108, OpenBSD), the same in network byte order. As Wireshark's
// packet-null.c, a LINKTYPE_NULL header is read in both orders: a value with only its high 16 bits
// set is byte-swapped; one above 1500 with low bits set is taken as an ethertype (null.type).
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { callData, etherTypes, linkTypes } from "../dispatch.js";
import { LINKTYPE } from "../linktypes.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE_NAMES } from "./ethertypes.js";
import { dissectIPv4 } from "./ipv4.js";
import { dissectIPv6 } from "./ipv6.js";

const HDR = 4;
const IEEE_802_3_MAX_LEN = 1500;

const FAMILIES = vals({ 2: "IP", 7: "OSI", 16: "Appletalk", 23: "Netware IPX/SPX", 24: "IPv6", 28: "IPv6", 30: "IPv6" });

export const hf = registerProtocol("null", "Null/Loopback", {
  type: { abbrev: "null.type", name: "Type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
  family: { abbrev: "null.family", name: "Family", type: FT.UINT32, strings: FAMILIES },
});

/** The columns Wireshark's null and raw dissectors start from. */
export function linkColumns(p: Packet, info: string): void {
  p.protocol = "N/A";
  if (p.wantCols) {
    p.info.set(info);
    p.setSrcText("N/A");
    p.setDstText("N/A");
  }
}

function byFamily(p: Packet, t: Tree, off: number, family: number): void {
  t.uint(hf.family, off, HDR, family);
  t.up();
  switch (family) {
    case 2: dissectIPv4(p, t, off + HDR); break;
    case 24: case 28: case 30: dissectIPv6(p, t, off + HDR); break;
    default: callData(p, t, off + HDR);
  }
}

export function dissectNull(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  linkColumns(p, "Null/Loopback");
  t.proto(p, hf.proto, off, HDR);
  t.check(off, HDR);
  // As read on a little-endian host, Wireshark's usual one.
  let v = (d[off]! | (d[off + 1]! << 8) | (d[off + 2]! << 16) | (d[off + 3]! << 24)) >>> 0;
  if ((v & 0xffff0000) !== 0 && (v & 0x0000ffff) === 0) {
    v = ((d[off]! << 24) | (d[off + 1]! << 16) | (d[off + 2]! << 8) | d[off + 3]!) >>> 0;
  }
  if (v > IEEE_802_3_MAX_LEN) {
    const type = v & 0xffff;
    t.uint(hf.type, off, HDR, type);
    t.up();
    const next = etherTypes.get(type);
    if (next) next(p, t, off + HDR);
    else callData(p, t, off + HDR);
    return;
  }
  byFamily(p, t, off, v);
}

export function dissectLoop(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  linkColumns(p, "Null/Loopback");
  t.proto(p, hf.proto, off, HDR);
  t.check(off, HDR);
  byFamily(p, t, off, ((d[off]! << 24) | (d[off + 1]! << 16) | (d[off + 2]! << 8) | d[off + 3]!) >>> 0);
}

linkTypes.add(LINKTYPE.NULL, dissectNull);
linkTypes.add(LINKTYPE.LOOP, dissectLoop);
