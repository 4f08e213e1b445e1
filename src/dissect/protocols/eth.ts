// Ethernet II and IEEE 802.3 headers.
//   destination 0..6 | source 6..12 | type-or-length 12..14 | payload 14..
import { FT, Base, registerExperts, registerFields, type Field } from "../fields.js";
import { callData, linkTypes, llcSaps } from "../dispatch.js";
import { AddrKind, type Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { macLabelAt, macNameAt, ouiName } from "../mac-names.js";
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
    dst_resolved: { abbrev: "eth.dst_resolved", name: "Destination (resolved)", type: FT.STRING, generated: true, hidden: true },
    dst_oui: { abbrev: "eth.dst.oui", name: "Destination OUI", type: FT.UINT24, generated: true, hidden: true },
    dst_oui_resolved: { abbrev: "eth.dst.oui_resolved", name: "Destination OUI (resolved)", type: FT.STRING, generated: true, hidden: true },
    src_resolved: { abbrev: "eth.src_resolved", name: "Source (resolved)", type: FT.STRING, generated: true, hidden: true },
    src_oui: { abbrev: "eth.src.oui", name: "Source OUI", type: FT.UINT24, generated: true, hidden: true },
    src_oui_resolved: { abbrev: "eth.src.oui_resolved", name: "Source OUI (resolved)", type: FT.STRING, generated: true, hidden: true },
    addr_resolved: { abbrev: "eth.addr_resolved", name: "Address (resolved)", type: FT.STRING, generated: true, hidden: true },
    addr_oui: { abbrev: "eth.addr.oui", name: "Address OUI", type: FT.UINT24, generated: true, hidden: true },
    addr_oui_resolved: { abbrev: "eth.addr.oui_resolved", name: "Address OUI (resolved)", type: FT.STRING, generated: true, hidden: true },
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

type Names = readonly [resolved: Field, oui: Field, ouiResolved: Field];
const DST_NAMES: Names = [hf.dst_resolved, hf.dst_oui, hf.dst_oui_resolved];
const SRC_NAMES: Names = [hf.src_resolved, hf.src_oui, hf.src_oui_resolved];
const ADDR_NAMES: Names = [hf.addr_resolved, hf.addr_oui, hf.addr_oui_resolved];

/** The hidden name items under an address: its resolved name, its OUI (`v`) and the OUI's owner. */
function names(t: Tree, off: number, v: number, n: Names): void {
  const [resolved, oui, ouiResolved] = n;
  if (t.wants(resolved)) t.str(resolved, off, 6, macNameAt(t.d, off));
  t.uint(oui, off, 3, v);
  if (t.wants(ouiResolved)) {
    const owner = ouiName(v);
    if (owner !== undefined) t.str(ouiResolved, off, 3, owner);
  }
}

function address(p: Packet, t: Tree, off: number, which: "dst" | "src"): void {
  const d = t.d;
  const f = which === "dst" ? hf.dst : hf.src;
  t.ether(f, off);
  // The first three bytes: the OUI, and the LG/IG bits below.
  const raw = (d[off]! << 16) | (d[off + 1]! << 8) | d[off + 2]!;
  if (t.full) t.label(`${which === "dst" ? "Destination" : "Source"}: ${macLabelAt(d, off)}`);
  t.down();
  if (which === "src" && (d[off]! & 1) !== 0) t.expert(p, ei.src_not_group, off, 6);
  // Only when something is recorded: the summary line's path stays as short as it was.
  if (t.buildsTree) names(t, off, raw, which === "dst" ? DST_NAMES : SRC_NAMES);
  t.ether(hf.addr, off);
  if (t.full) t.label(`Address: ${macLabelAt(d, off)}`);
  if (t.buildsTree) names(t, off, raw, ADDR_NAMES);
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
  if (t.full) t.label(ieee8023 ? "IEEE 802.3 Ethernet " : `Ethernet II, Src: ${macLabelAt(d, off + SRC)}, Dst: ${macLabelAt(d, off + DST)}`);
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
