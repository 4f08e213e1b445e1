// Linux "cooked" capture headers (LINKTYPE_LINUX_SLL 113 and LINKTYPE_LINUX_SLL2 276), as
// Wireshark 4.0's packet-sll.c shows them.
//   v1: packet type 0..2 | link-layer address type 2..4 | address length 4..6 | address 6..14
//       | protocol 14..16 | payload 16..
//   v2: protocol 0..2 | reserved 2..4 | interface index 4..8 | address type 8..10
//       | packet type 10 | address length 11 | address 12..20 | payload 20..
// The protocol is an ethertype, or (at most 1536) one of Linux's ETH_P_* pseudo types (802.2 LLC,
// raw 802.3, ...). What follows the payload's own end is eth.padding (frames of 60 bytes or
// more) and sll.trailer.
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { callData, linkTypes, llcSaps } from "../dispatch.js";
import { LINKTYPE } from "../linktypes.js";
import { AddrKind, type Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ARP_HW_TYPES } from "./arp.js";
import { ETHERTYPE_NAMES } from "./ethertypes.js";
import { dispatchEthertype } from "./vlan.js";

const PKTTYPES = vals({ 0: "Unicast to us", 1: "Broadcast", 2: "Multicast", 3: "Unicast to another host", 4: "Sent by us" });
const LTYPES = vals({
  0x0001: "Raw 802.3", 0x0003: "Ethernet", 0x0004: "802.2 LLC", 0x0007: "PPP (HDLC)", 0x000c: "CAN", 0x000d: "CAN FD",
  0x0017: "IrDA LAP", 0x00f5: "ISI", 0x00f6: "IEEE 802.15.4",
});
const LINUX_SLL_P_802_2 = 0x0004;
/** ARPHRD_* types whose 6-byte link-layer addresses are MACs. */
const ETHER_LIKE = new Set([1, 6, 772, 774, 801, 802, 803, 804]);
const ARPHRD_IPGRE = 778;
const MAX_ADDR = 8;

export const hf = registerProtocol("sll", "Linux cooked capture", {
  pkttype: { abbrev: "sll.pkttype", name: "Packet type", type: FT.UINT16, strings: PKTTYPES },
  hatype: { abbrev: "sll.hatype", name: "Link-layer address type", type: FT.UINT16, strings: ARP_HW_TYPES },
  halen: { abbrev: "sll.halen", name: "Link-layer address length", type: FT.UINT16 },
  src_eth: { abbrev: "sll.src.eth", name: "Source", type: FT.ETHER },
  src_ipv4: { abbrev: "sll.src.ipv4", name: "Source", type: FT.IPV4 },
  src_other: { abbrev: "sll.src.other", name: "Source", type: FT.BYTES },
  unused: { abbrev: "sll.unused", name: "Unused", type: FT.BYTES },
  ltype: { abbrev: "sll.ltype", name: "Protocol", type: FT.UINT16, base: Base.HEX, strings: LTYPES },
  etype: { abbrev: "sll.etype", name: "Protocol", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
  trailer: { abbrev: "sll.trailer", name: "Trailer", type: FT.BYTES },
  ifindex: { abbrev: "sll.ifindex", name: "Interface index", type: FT.UINT32 },
});

/** Source address of `halen` bytes at `o` in an 8-byte slot; sets the Source column when it can. */
function address(p: Packet, t: Tree, o: number, hatype: number, halen: number): void {
  const n = Math.min(halen, MAX_ADDR);
  if (n === 6 && ETHER_LIKE.has(hatype)) {
    t.ether(hf.src_eth, o);
    p.setSrc(AddrKind.ETHER, o, t.d);
    p.dlSrcOff = o;
  } else if (n === 4 && hatype === ARPHRD_IPGRE) {
    t.ipv4(hf.src_ipv4, o);
    p.setSrc(AddrKind.IPV4, o, t.d);
  } else if (n > 0) t.bytes(hf.src_other, o, n);
  if (n < MAX_ADDR) t.bytes(hf.unused, o + n, MAX_ADDR - n);
}

function payload(p: Packet, t: Tree, o: number, proto: number, protoOff: number): void {
  if (proto <= 1536) {
    t.uint(hf.ltype, protoOff, 2, proto);
    t.up();
    const llc = proto === LINUX_SLL_P_802_2 ? llcSaps.get(0) : undefined;
    if (llc) llc(p, t, o);
    else callData(p, t, o);
    return;
  }
  t.uint(hf.etype, protoOff, 2, proto);
  t.up();
  dispatchEthertype(p, t, o, proto, hf.proto, hf.trailer);
}

function start(p: Packet, t: Tree, v2: boolean, pkttype: number): void {
  p.protocol = "SLL";
  if (p.wantCols) p.info.set(PKTTYPES.get(pkttype) ?? `Unknown (${pkttype})`);
  if (t.full) t.label(v2 ? "Linux cooked capture v2" : "Linux cooked capture v1");
}

export function dissectSll(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  t.proto(p, hf.proto, off, 16);
  t.curProto = "SLL";
  t.check(off, 16);
  const pkttype = (d[off]! << 8) | d[off + 1]!;
  const hatype = (d[off + 2]! << 8) | d[off + 3]!;
  const halen = (d[off + 4]! << 8) | d[off + 5]!;
  start(p, t, false, pkttype);
  t.uint(hf.pkttype, off, 2, pkttype);
  t.uint(hf.hatype, off + 2, 2, hatype);
  t.uint(hf.halen, off + 4, 2, halen);
  address(p, t, off + 6, hatype, halen);
  payload(p, t, off + 16, (d[off + 14]! << 8) | d[off + 15]!, off + 14);
}

export function dissectSll2(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  t.proto(p, hf.proto, off, 20);
  t.curProto = "SLL";
  t.check(off, 20);
  const proto = (d[off]! << 8) | d[off + 1]!;
  const ifindex = ((d[off + 4]! << 24) >>> 0) + (d[off + 5]! << 16) + (d[off + 6]! << 8) + d[off + 7]!;
  const hatype = (d[off + 8]! << 8) | d[off + 9]!;
  const pkttype = d[off + 10]!;
  const halen = d[off + 11]!;
  start(p, t, true, pkttype);
  // v2 shows the protocol first; the ltype/etype choice is the same as v1's.
  const isLtype = proto <= 1536;
  t.uint(isLtype ? hf.ltype : hf.etype, off, 2, proto);
  t.uint(hf.ifindex, off + 4, 4, ifindex);
  t.uint(hf.hatype, off + 8, 2, hatype);
  t.uint(hf.pkttype, off + 10, 1, pkttype);
  t.uint(hf.halen, off + 11, 1, halen);
  address(p, t, off + 12, hatype, halen);
  t.up();
  const o = off + 20;
  if (isLtype) {
    const llc = proto === LINUX_SLL_P_802_2 ? llcSaps.get(0) : undefined;
    if (llc) llc(p, t, o);
    else callData(p, t, o);
  } else dispatchEthertype(p, t, o, proto, hf.proto, hf.trailer);
}

linkTypes.add(LINKTYPE.LINUX_SLL, dissectSll);
linkTypes.add(LINKTYPE.LINUX_SLL2, dissectSll2);
