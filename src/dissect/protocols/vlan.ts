// IEEE 802.1Q VLAN tags (ethertype 0x8100, and the old QinQ 0x9100) and IEEE 802.1ad service tags
// (0x88a8), as Wireshark 4.0 shows them.
//   TCI 0..2 (priority 3 bits | DEI 1 bit | VLAN ID 12 bits) | type-or-length 2..4 | payload 4..
// Bytes after the payload's own end are shown as eth.padding (up to the 60-byte Ethernet minimum)
// then <proto>.trailer (vlan.trailer), like tshark does for the innermost tag.
import { Base, FT, registerExperts, registerProtocol, vals, type Field } from "../fields.js";
import { callData, etherTypes, llcSaps } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { eth } from "./ethertype.js";
import { ETHERTYPE, ETHERTYPE_NAMES } from "./ethertypes.js";

const TCI = 0, TYPE = 2, HDR = 4;

/** IEEE 802.1Q-2005 traffic types (Wireshark's default 8-queue table). */
const PRIORITY = vals({
  0: "Best Effort (default)", 1: "Background", 2: "Excellent Effort", 3: "Critical Applications",
  4: "Video, < 100ms latency and jitter", 5: "Voice, < 10ms latency and jitter", 6: "Internetwork Control", 7: "Network Control",
});

export const hf = registerProtocol("vlan", "802.1Q Virtual LAN", {
  priority: { abbrev: "vlan.priority", name: "Priority", type: FT.UINT16, mask: 0xe000, strings: PRIORITY },
  dei: { abbrev: "vlan.dei", name: "DEI", type: FT.BOOLEAN, mask: 0x1000, bitWidth: 16, tfs: ["Eligible", "Ineligible"] },
  id: { abbrev: "vlan.id", name: "ID", type: FT.UINT16, mask: 0x0fff },
  etype: { abbrev: "vlan.etype", name: "Type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
  len: { abbrev: "vlan.len", name: "Length", type: FT.UINT16 },
  trailer: { abbrev: "vlan.trailer", name: "Trailer", type: FT.BYTES },
});
const ei = registerExperts(hf.proto, {
  len_past_end: { abbrev: "vlan.len.past_end", group: "malformed", severity: "error", summary: "Length field value goes past the end of the payload" },
  too_many_tags: { abbrev: "vlan.too_many_tags", group: "undecoded", severity: "warn", summary: "Too many nested VLAN tags" },
});

export const ad = registerProtocol("ieee8021ad", "IEEE 802.1ad", {
  priority: { abbrev: "ieee8021ad.priority", name: "Priority", type: FT.UINT16, mask: 0xe000 },
  dei: { abbrev: "ieee8021ad.dei", name: "DEI", type: FT.UINT16, mask: 0x1000 },
  id: { abbrev: "ieee8021ad.id", name: "ID", type: FT.UINT16, mask: 0x0fff },
});
// Wireshark's 802.1ad dissector labels its type field with the 802.1ah protocol's field.
const ah = registerProtocol("ieee8021ah", "IEEE 802.1ah", {
  etype: { abbrev: "ieee8021ah.etype", name: "Type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
});

/** Minimum Ethernet frame without FCS: shorter frames are padded by the sender. */
const ETH_MIN_FRAME = 60;

/**
 * The "ethertype" hand-off with the trailer attributed to the calling protocol `owner` (vlan.trailer,
 * sll.trailer, in that protocol's item), as Wireshark's ethertype dissector does with its caller's
 * tree and trailer field. Returns nothing: the trailer is dealt with here.
 */
export function dispatchEthertype(p: Packet, t: Tree, off: number, type: number, owner: Field, trailer: Field, padding = true): void {
  p.layers.push("ethertype");
  const d = etherTypes.get(type);
  if (d === undefined) {
    p.protocol = "0x" + type.toString(16).padStart(4, "0");
    if (p.wantCols) p.info.set(ETHERTYPE_NAMES.get(type) ?? "Ethernet II");
    callData(p, t, off);
    return;
  }
  const end = d(p, t, off);
  if (typeof end === "number" && end < t.cap) showTrailer(t, end, owner, trailer, padding);
}

export function showTrailer(t: Tree, end: number, owner: Field, trailer: Field, padding: boolean): void {
  const total = t.cap;
  // Padding only makes sense in a frame that reaches the minimum (a shorter one was not padded),
  // and only if it is zeros; otherwise Wireshark calls it all trailer.
  let pad = padding && t.rep >= ETH_MIN_FRAME ? Math.max(0, Math.min(total, ETH_MIN_FRAME) - end) : 0;
  for (let i = 0; i < pad; i++) {
    if (t.d[end + i] !== 0) {
      pad = 0;
      break;
    }
  }
  t.reopen(owner);
  if (pad > 0) t.bytes(eth.padding, end, pad);
  if (end + pad < total) t.bytes(trailer, end + pad, total - end - pad);
  t.up();
}

/** Nesting depth of tags in the current frame (Wireshark stops decoding past 20). */
let depth = 0;
let depthFrame: Packet | null = null;
let depthNum = -1;
const MAX_TAGS = 20;

function tooDeep(p: Packet): boolean {
  if (depthFrame !== p || depthNum !== p.num) {
    depthFrame = p;
    depthNum = p.num;
    depth = 0;
  }
  return ++depth > MAX_TAGS;
}

export function dissectVlan(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "VLAN";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, HDR);
  t.curProto = "VLAN";
  t.check(off, 2);
  const tci = (d[off + TCI]! << 8) | d[off + TCI + 1]!;
  const pri = tci >> 13, dei = (tci >> 12) & 1, id = tci & 0xfff;
  if (p.wantCols) p.info.set(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
  if (t.full) t.label(`${hf.proto.name}, PRI: ${pri}, DEI: ${dei}, ID: ${id}`);
  t.uint(hf.priority, off + TCI, 2, tci);
  t.bool(hf.dei, off + TCI, 2, tci);
  t.uint(hf.id, off + TCI, 2, tci);
  if (tooDeep(p)) {
    t.expert(p, ei.too_many_tags, off, HDR);
    t.up();
    callData(p, t, off + HDR);
    return;
  }
  t.check(off + TYPE, 2);
  const type = (d[off + TYPE]! << 8) | d[off + TYPE + 1]!;
  if (type <= 1500) {
    // An 802.3 length: IEEE 802.2 LLC follows, whatever the length leaves is a trailer.
    t.uint(hf.len, off + TYPE, 2, type);
    const end = off + HDR + type;
    if (end > t.rep) t.expert(p, ei.len_past_end, off + TYPE, 2);
    // Wireshark shows the trailer before it decodes the payload.
    if (end < t.cap) t.bytes(hf.trailer, end, t.cap - end);
    t.up();
    t.enter(end);
    const llc = llcSaps.get(0);
    if (llc) llc(p, t, off + HDR);
    else callData(p, t, off + HDR);
    t.leave();
    return;
  }
  t.uint(hf.etype, off + TYPE, 2, type);
  t.up();
  dispatchEthertype(p, t, off + HDR, type, hf.proto, hf.trailer);
}

export function dissect8021ad(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "802.1ad";
  t.proto(p, ad.proto, off, HDR);
  t.curProto = "IEEE 802.1ad";
  t.check(off, 2);
  const tci = (d[off + TCI]! << 8) | d[off + TCI + 1]!;
  if (t.full) t.label(`${ad.proto.name}, ID: ${tci & 0xfff}`);
  t.uint(ad.priority, off + TCI, 2, tci);
  t.uint(ad.dei, off + TCI, 2, tci);
  t.uint(ad.id, off + TCI, 2, tci);
  t.check(off + TYPE, 2);
  const type = (d[off + TYPE]! << 8) | d[off + TYPE + 1]!;
  t.uint(ah.etype, off + TYPE, 2, type);
  t.up();
  // 802.1ad has no trailer field of its own (an inner 802.1Q tag normally shows it).
  dispatchEthertype(p, t, off + HDR, type, ad.proto, eth.trailer);
}

etherTypes.add(ETHERTYPE.VLAN, dissectVlan);
etherTypes.add(ETHERTYPE.QINQ_OLD, dissectVlan);
etherTypes.add(ETHERTYPE.QINQ, dissect8021ad);
