// Address Resolution Protocol (RFC 826) and its reverse/inverse variants, as Wireshark 4.0's
// packet-arp.c shows them.
//   hardware type 0..2 | protocol type 2..4 | hardware size 4 | protocol size 5 | opcode 6..8
//   sender hardware, sender protocol, target hardware, target protocol addresses (sizes as given)
// Ethernet/IPv4 addresses get typed fields (arp.src.hw_mac, arp.src.proto_ipv4); other sizes get
// the generic byte fields (arp.src.hw, arp.src.proto).
//
// Extensions: a plugin can claim ARP frames before the generic decoding, e.g. an "extended ARP"
// that resolves IP+port and so uses protocol type 0x0800 with a protocol size other than 4:
//   registerArpExtension((d, off, hwSize, protoSize, ptype) => ptype === 0x0800 && protoSize === 6, dissectXarp)
// The extension's dissector then owns the bytes from the ARP header on (its own proto item,
// columns and fields); arpx's ARP adds nothing.
import { Base, FT, registerProtocol, TFS_TRUE, vals } from "../fields.js";
import { etherTypes, type Dissector } from "../dispatch.js";
import { bytesToHex } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE, ETHERTYPE_NAMES } from "./ethertypes.js";
import { putMac, putU16, putU32, type Layer } from "../build.js";

const HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPCODE = 6, ADDRS = 8;

/** ARPHRD_* hardware types (shared with Linux cooked capture's sll.hatype). */
export const ARP_HW_TYPES = vals({
  0: "NET/ROM pseudo", 1: "Ethernet", 2: "Experimental Ethernet", 3: "AX.25", 4: "ProNET", 5: "Chaos",
  6: "IEEE 802", 7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar", 10: "Autonet Short Address", 11: "Localtalk",
  12: "LocalNet", 13: "Ultra link", 14: "SMDS", 15: "Frame Relay DLCI", 16: "ATM", 17: "HDLC",
  18: "Fibre Channel", 19: "ATM (RFC 2225)", 20: "Serial Line", 21: "ATM", 22: "MIL-STD-188-220",
  23: "Metricom STRIP", 24: "IEEE 1394.1995", 25: "MAPOS", 26: "Twinaxial", 27: "EUI-64", 28: "HIPARP",
  29: "IP and ARP over ISO 7816-3", 30: "ARPSec", 31: "IPsec tunnel", 32: "InfiniBand",
  33: "TIA-102 Project 25 CAI", 34: "Wiegand Interface", 35: "Pure IP", 36: "Experimental 1", 37: "HFI",
  256: "Experimental 2", 257: "AEthernet", 260: "Notional KISS type", 264: "ADAPT", 270: "ROSE",
  271: "CCITT X.25", 272: "Boards with X.25 in firmware", 280: "Controller Area Network", 512: "PPP",
  513: "Cisco HDLC", 516: "LAPB", 517: "Digital's DDCMP protocol", 518: "Raw HDLC", 519: "Raw IP",
  768: "IPIP tunnel", 769: "IP6IP6 tunnel", 770: "Frame Relay Access Device", 771: "SKIP vif",
  772: "Loopback", 774: "Fiber Distributed Data Interface", 775: "AP1000 BIF",
  776: "sit0 device - IPv6-in-IPv4", 777: "IP over DDP tunneller", 778: "GRE over IP",
  779: "PIMSM register interface", 780: "High Performance Parallel Interface", 781: "Nexus 64Mbps Ash",
  782: "Acorn Econet", 783: "Linux-IrDA", 784: "Point to point fibrechannel",
  785: "Fibrechannel arbitrated loop", 786: "Fibrechannel public loop", 787: "Fibrechannel fabric",
  800: "Magic type ident for TR", 801: "IEEE 802.11", 802: "IEEE 802.11 + Prism2 header",
  803: "IEEE 802.11 + radiotap header", 804: "IEEE 802.15.4", 805: "IEEE 802.15.4 network monitor",
  820: "PhoNet media type", 821: "PhoNet pipe header", 822: "CAIF media type", 823: "GRE over IPv6",
  824: "Netlink", 825: "IPv6 over LoWPAN", 826: "Vsock monitor header", 65535: "Void type, nothing is known",
  65534: "zero header length",
});
const OPCODES = vals({
  1: "request", 2: "reply", 3: "reverse request", 4: "reverse reply", 5: "drarp request", 6: "drarp reply",
  7: "drarp error", 8: "inverse request", 9: "inverse reply", 10: "arp nak", 11: "mars request", 12: "mars multi",
  13: "mars mserv", 14: "mars join", 15: "mars leave", 16: "mars nak", 17: "mars unserv", 18: "mars sjoin",
  19: "mars sleave", 20: "mars grouplist request", 21: "mars grouplist reply", 22: "mars redirect map",
  23: "mapos unarp", 24: "experimental 1", 25: "experimental 2", 0: "reserved", 65535: "reserved",
});

export const hf = registerProtocol("arp", "Address Resolution Protocol", {
  hw_type: { abbrev: "arp.hw.type", name: "Hardware type", type: FT.UINT16, strings: ARP_HW_TYPES },
  proto_type: { abbrev: "arp.proto.type", name: "Protocol type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
  hw_size: { abbrev: "arp.hw.size", name: "Hardware size", type: FT.UINT8 },
  proto_size: { abbrev: "arp.proto.size", name: "Protocol size", type: FT.UINT8 },
  opcode: { abbrev: "arp.opcode", name: "Opcode", type: FT.UINT16, strings: OPCODES },
  isgratuitous: { abbrev: "arp.isgratuitous", name: "Is gratuitous", type: FT.BOOLEAN, tfs: TFS_TRUE, generated: true },
  isprobe: { abbrev: "arp.isprobe", name: "Is probe", type: FT.BOOLEAN, tfs: TFS_TRUE, generated: true },
  isannouncement: { abbrev: "arp.isannouncement", name: "Is announcement", type: FT.BOOLEAN, tfs: TFS_TRUE, generated: true },
  src_hw: { abbrev: "arp.src.hw", name: "Sender hardware address", type: FT.BYTES },
  src_hw_mac: { abbrev: "arp.src.hw_mac", name: "Sender MAC address", type: FT.ETHER },
  src_proto: { abbrev: "arp.src.proto", name: "Sender protocol address", type: FT.BYTES },
  src_proto_ipv4: { abbrev: "arp.src.proto_ipv4", name: "Sender IP address", type: FT.IPV4 },
  dst_hw: { abbrev: "arp.dst.hw", name: "Target hardware address", type: FT.BYTES },
  dst_hw_mac: { abbrev: "arp.dst.hw_mac", name: "Target MAC address", type: FT.ETHER },
  dst_proto: { abbrev: "arp.dst.proto", name: "Target protocol address", type: FT.BYTES },
  dst_proto_ipv4: { abbrev: "arp.dst.proto_ipv4", name: "Target IP address", type: FT.IPV4 },
});

// ---- extension hook ----

/** Decides from the fixed header whether an extension claims this ARP packet. */
export type ArpMatch = (d: Uint8Array, off: number, hwSize: number, protoSize: number, ptype: number, htype: number) => boolean;

const extensions: { match: ArpMatch; dissector: Dissector }[] = [];

/**
 * Lets another protocol module claim ARP-ethertype frames before the generic ARP decoding (e.g.
 * an extended ARP with IP+port protocol addresses). Matchers run in registration order on every
 * ARP frame whose fixed 8-byte header is captured; the first that returns true gets the frame.
 */
export function registerArpExtension(match: ArpMatch, dissector: Dissector): void {
  extensions.push({ match, dissector });
}

// ---- decoding ----

const ARPOP_REQUEST = 1, ARPOP_REPLY = 2, ARPOP_RREQUEST = 3, ARPOP_RREPLY = 4, ARPOP_DRARPREQUEST = 5,
  ARPOP_DRARPREPLY = 6, ARPOP_DRARPERROR = 7, ARPOP_IREQUEST = 8, ARPOP_IREPLY = 9, ARPOP_NAK = 10;

/** Hardware types whose 6-byte addresses are MAC addresses. */
function isEtherLike(htype: number): boolean {
  return htype === 1 || htype === 6 || htype === 15 || htype === 18 || htype === 24 || htype === 27 || htype === 32 || htype === 257;
}

function allZero(d: Uint8Array, o: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (d[o + i] !== 0) return false;
  return true;
}

function same(d: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return false;
  return true;
}

function protocolName(op: number): string {
  if (op === ARPOP_RREQUEST || op === ARPOP_RREPLY) return "RARP";
  if (op === ARPOP_DRARPREQUEST || op === ARPOP_DRARPREPLY || op === ARPOP_DRARPERROR) return "DRARP";
  if (op === ARPOP_IREQUEST || op === ARPOP_IREPLY) return "Inverse ARP";
  return "ARP";
}

export function dissectArp(p: Packet, t: Tree, off: number): number | void {
  const d = t.d;
  if (extensions.length > 0 && t.avail(off, ADDRS)) {
    const htype = (d[off + HTYPE]! << 8) | d[off + HTYPE + 1]!;
    const ptype = (d[off + PTYPE]! << 8) | d[off + PTYPE + 1]!;
    for (const x of extensions) {
      if (x.match(d, off, d[off + HLEN]!, d[off + PLEN]!, ptype, htype)) return x.dissector(p, t, off);
    }
  }
  p.protocol = "ARP";
  if (p.wantCols) p.info.clear();
  const hlen = t.avail(off + HLEN, 1) ? d[off + HLEN]! : 0;
  const plen = t.avail(off + PLEN, 1) ? d[off + PLEN]! : 0;
  const total = ADDRS + 2 * hlen + 2 * plen;
  t.proto(p, hf.proto, off, total);
  t.curProto = "ARP/RARP";
  t.check(off, ADDRS);
  const htype = (d[off + HTYPE]! << 8) | d[off + HTYPE + 1]!;
  const ptype = (d[off + PTYPE]! << 8) | d[off + PTYPE + 1]!;
  const op = (d[off + OPCODE]! << 8) | d[off + OPCODE + 1]!;
  const sha = off + ADDRS, spa = sha + hlen, tha = spa + plen, tpa = tha + hlen;
  const mac = hlen === 6 && isEtherLike(htype);
  const ip = plen === 4 && ptype === ETHERTYPE.IPV4;

  const complete = t.avail(off, total);
  const gratuitous = complete && (op === ARPOP_REQUEST || op === ARPOP_REPLY) && same(d, spa, tpa, plen);
  const announcement = complete && op === ARPOP_REQUEST && gratuitous && allZero(d, tha, hlen);
  const probe = complete && op === ARPOP_REQUEST && !gratuitous && allZero(d, spa, plen) && allZero(d, tha, hlen);

  p.protocol = protocolName(op);
  if (t.full && complete) {
    const what = announcement ? "ARP Announcement" : probe ? "ARP Probe"
      : gratuitous ? `${OPCODES.get(op)}/gratuitous ARP` : OPCODES.get(op) ?? `opcode 0x${op.toString(16).padStart(4, "0")}`;
    t.label(`${hf.proto.name} (${what})`);
  }
  t.uint(hf.hw_type, off + HTYPE, 2, htype);
  t.uint(hf.proto_type, off + PTYPE, 2, ptype);
  t.uint(hf.hw_size, off + HLEN, 1, hlen);
  t.uint(hf.proto_size, off + PLEN, 1, plen);
  t.uint(hf.opcode, off + OPCODE, 2, op);
  // Wireshark fetches all four addresses before it shows any (and before the Info column).
  t.check(off, total);
  if (p.wantCols) {
    const c = p.info.clear();
    const hw = (o: number) => (hlen === 0 ? c.add("<No address>") : mac ? c.ether(d, o) : c.add(bytesToHex(d.subarray(o, o + hlen))));
    const pa = (o: number) => (plen === 0 ? c.add("<No address>") : ip ? c.ipv4(d, o) : c.add(bytesToHex(d.subarray(o, o + plen))));
    switch (op) {
      case ARPOP_REQUEST:
        if (announcement) {
          c.add("ARP Announcement for ");
          pa(spa);
        } else if (gratuitous) {
          c.add("Gratuitous ARP for ");
          pa(tpa).add(" (Request)");
        } else {
          c.add("Who has ");
          pa(tpa);
          if (probe) c.add("? (ARP Probe)");
          else {
            c.add("? Tell ");
            pa(spa);
          }
        }
        break;
      case ARPOP_REPLY:
        if (gratuitous) {
          c.add("Gratuitous ARP for ");
          pa(spa).add(" (Reply)");
        } else {
          pa(spa).add(" is at ");
          hw(sha);
        }
        break;
      case ARPOP_RREQUEST: case ARPOP_DRARPREQUEST: case ARPOP_IREQUEST:
        c.add("Who is ");
        hw(tha).add("? Tell ");
        hw(sha);
        break;
      case ARPOP_RREPLY: case ARPOP_DRARPREPLY:
        hw(tha).add(" is at ");
        pa(tpa);
        break;
      case ARPOP_IREPLY:
        hw(sha).add(" is at ");
        pa(spa);
        break;
      case ARPOP_DRARPERROR:
        c.add("DRARP Error");
        break;
      case ARPOP_NAK:
        c.add("ARP NAK");
        break;
      default:
        c.add("Unknown ARP opcode 0x").hex(op, 4);
    }
  }
  if (gratuitous) t.num(hf.isgratuitous, 1);
  if (probe) t.num(hf.isprobe, 1);
  if (announcement) t.num(hf.isannouncement, 1);
  addr(t, sha, hlen, mac, hf.src_hw_mac, hf.src_hw);
  addr(t, spa, plen, false, hf.src_proto, hf.src_proto, ip ? hf.src_proto_ipv4 : null);
  addr(t, tha, hlen, mac, hf.dst_hw_mac, hf.dst_hw);
  addr(t, tpa, plen, false, hf.dst_proto, hf.dst_proto, ip ? hf.dst_proto_ipv4 : null);
  t.up();
  return off + total;
}

function addr(t: Tree, o: number, len: number, mac: boolean, macField: typeof hf.src_hw_mac, bytesField: typeof hf.src_hw, ipField: typeof hf.src_proto_ipv4 | null = null): void {
  if (len === 0) return;
  if (ipField) t.ipv4(ipField, o);
  else if (mac) t.ether(macField, o);
  else t.bytes(bytesField, o, len);
}

etherTypes.add(ETHERTYPE.ARP, dissectArp);
etherTypes.add(0x8035, dissectArp); // RARP

// ---- building (the mirror of dissectArp, for Ethernet/IPv4) ----

export interface ArpRepr {
  op: number;
  sha: number;
  spa: number;
  tha: number;
  tpa: number;
}

/** An Ethernet/IPv4 ARP packet (28 bytes) as a build layer. */
export function arpLayer(r: ArpRepr): Layer {
  return {
    headerLen: ADDRS + 20,
    emit(b, off) {
      putU16(b, off + HTYPE, 1);
      putU16(b, off + PTYPE, ETHERTYPE.IPV4);
      b[off + HLEN] = 6;
      b[off + PLEN] = 4;
      putU16(b, off + OPCODE, r.op);
      putMac(b, off + ADDRS, r.sha);
      putU32(b, off + ADDRS + 6, r.spa);
      putMac(b, off + ADDRS + 10, r.tha);
      putU32(b, off + ADDRS + 16, r.tpa);
    },
  };
}
