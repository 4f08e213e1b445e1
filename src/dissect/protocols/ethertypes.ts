// Ethertype names shared by every protocol with a type field (eth.type, vlan.etype, sll.etype).
import { vals } from "../fields.js";

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  LLDP: 0x88cc,
} as const;

export const ETHERTYPE_NAMES = vals({
  0x0800: "IPv4",
  0x0806: "ARP",
  0x0842: "Wake on LAN",
  0x22f0: "IEEE 1722 Audio Video Bridging Transport Protocol",
  0x22f3: "TRILL",
  0x6003: "DECnet Phase IV",
  0x8035: "RARP",
  0x809b: "AppleTalk LLAP bridging",
  0x80f3: "AARP",
  0x8100: "802.1Q Virtual LAN",
  0x8137: "Netware IPX/SPX",
  0x8204: "QNX 6 QNET protocol",
  0x86dd: "IPv6",
  0x8808: "MAC Control",
  0x8809: "Slow Protocols",
  0x8847: "MPLS label switched packet",
  0x8848: "MPLS multicast label switched packet",
  0x8863: "PPPoE Discovery",
  0x8864: "PPPoE Session",
  0x888e: "802.1X Authentication",
  0x88a8: "802.1ad Provider Bridge (Q-in-Q)",
  0x88b5: "Local Experimental Ethertype 1",
  0x88b6: "Local Experimental Ethertype 2",
  0x88cc: "802.1 Link Layer Discovery Protocol (LLDP)",
  0x88e5: "802.1AE (MACsec)",
  0x88f7: "PTPv2 over Ethernet (IEEE1588)",
  0x8902: "IEEE 802.1ag Connectivity Fault Management (CFM) protocol",
  0x8906: "Fibre Channel over Ethernet",
  0x8926: "VN-Tag",
  0x9000: "Loopback",
  0x9100: "QinQ: old non-standard 802.1ad",
});

/** Types tshark has no dissector for either: its Info column shows the type's name. */
export const UNDISSECTED_NAMED = new Set([0x88b5, 0x88b6]);
