// Ethernet II and IEEE 802.3 headers.
//   destination 0..6 | source 6..12 | type-or-length 12..14 | payload 14..
import { FT, Base, registerExperts, registerFields } from "../fields.js";
import { callData, linkTypes, llcSaps } from "../dispatch.js";
import { AddrKind, type Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { etherStringAt } from "../format.js";
import { LINKTYPE } from "../linktypes.js";
import { putMac, putU16, type Layer } from "../build.js";
import { dissectEthertype, eth, showTrailer } from "./ethertype.js";
import { ETHERTYPE_NAMES } from "./ethertypes.js";

const DST = 0, SRC = 6, TYPE = 12, HDR = 14;

const LG = ["Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)"] as const;
const IG = ["Group address (multicast/broadcast)", "Individual address (unicast)"] as const;

export const hf = {
  proto: eth.proto,
  ...registerFields(eth.proto, {
    dst: { abbrev: "eth.dst", name: "Destination", type: FT.ETHER },
    src: { abbrev: "eth.src", name: "Source", type: FT.ETHER },
    addr: { abbrev: "eth.addr", name: "Address", type: FT.ETHER },
    dst_lg: { abbrev: "eth.dst.lg", name: "LG bit", type: FT.BOOLEAN, mask: 0x20000, bitWidth: 24, tfs: LG },
    dst_ig: { abbrev: "eth.dst.ig", name: "IG bit", type: FT.BOOLEAN, mask: 0x10000, bitWidth: 24, tfs: IG },
    src_lg: { abbrev: "eth.src.lg", name: "LG bit", type: FT.BOOLEAN, mask: 0x20000, bitWidth: 24, tfs: LG },
    src_ig: { abbrev: "eth.src.ig", name: "IG bit", type: FT.BOOLEAN, mask: 0x10000, bitWidth: 24, tfs: IG },
    lg: { abbrev: "eth.lg", name: "LG bit", type: FT.BOOLEAN, mask: 0x20000, bitWidth: 24, tfs: LG, hidden: true },
    ig: { abbrev: "eth.ig", name: "IG bit", type: FT.BOOLEAN, mask: 0x10000, bitWidth: 24, tfs: IG, hidden: true },
    type: { abbrev: "eth.type", name: "Type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
    len: { abbrev: "eth.len", name: "Length", type: FT.UINT16 },
  }),
};

export const ei = registerExperts(eth.proto, {
  len_past_end: { abbrev: "eth.len.past_end", group: "malformed", severity: "error", summary: "Length field value goes past the end of the payload" },
  src_not_group: { abbrev: "eth.src_not_group", group: "protocol", severity: "warn", summary: "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)" },
});

function address(p: Packet, t: Tree, off: number, which: "dst" | "src"): void {
  const d = t.d;
  const f = which === "dst" ? hf.dst : hf.src;
  t.ether(f, off);
  if (t.full) t.label(`${which === "dst" ? "Destination" : "Source"}: ${etherStringAt(d, off)}`);
  t.down();
  if (which === "src" && (d[off]! & 1) !== 0) t.expert(p, ei.src_not_group, off, 6);
  t.ether(hf.addr, off);
  if (t.full) t.label(`Address: ${etherStringAt(d, off)}`);
  const raw = (d[off]! << 16) | (d[off + 1]! << 8) | d[off + 2]!;
  t.bool(which === "dst" ? hf.dst_lg : hf.src_lg, off, 3, raw);
  t.bool(hf.lg, off, 3, raw);
  t.bool(which === "dst" ? hf.dst_ig : hf.src_ig, off, 3, raw);
  t.bool(hf.ig, off, 3, raw);
  t.up();
}

export function dissectEth(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "Ethernet";
  p.setSrc(AddrKind.ETHER, off + SRC, d);
  p.setDst(AddrKind.ETHER, off + DST, d);
  p.dlSrcOff = off + SRC;
  p.dlDstOff = off + DST;
  t.proto(p, hf.proto, off, HDR);
  t.check(off, HDR);
  const type = (d[off + TYPE]! << 8) | d[off + TYPE + 1]!;
  const ieee8023 = type <= 1500;
  if (t.full) t.label(ieee8023 ? "IEEE 802.3 Ethernet " : `Ethernet II, Src: ${etherStringAt(d, off + SRC)}, Dst: ${etherStringAt(d, off + DST)}`);
  address(p, t, off + DST, "dst");
  address(p, t, off + SRC, "src");
  if (ieee8023) {
    t.uint(hf.len, off + TYPE, 2, type);
    const end = off + HDR + type;
    if (end > t.rep) t.expert(p, ei.len_past_end, off + TYPE, 2);
    t.up();
    const cap = t.cap;
    t.enter(end);
    const llc = llcSaps.get(0);
    try {
      if (llc) llc(p, t, off + HDR);
      else callData(p, t, off + HDR);
    } finally {
      t.leave();
    }
    if (end < cap) showTrailer(p, t, end, cap, off);
    return;
  }
  t.uint(hf.type, off + TYPE, 2, type);
  t.up();
  dissectEthertype(p, t, off + HDR, type, true);
}

linkTypes.add(LINKTYPE.ETHERNET, dissectEth);

export interface EthRepr {
  dst: number;
  src: number;
  type: number;
}

/** The Ethernet II header as a build layer (the mirror of dissectEth). */
export function ethLayer(r: EthRepr): Layer {
  return {
    headerLen: HDR,
    emit(b, off) {
      putMac(b, off + DST, r.dst);
      putMac(b, off + SRC, r.src);
      putU16(b, off + TYPE, r.type);
    },
  };
}
