// pcap LINKTYPE_* values arpx decodes or names (https://www.tcpdump.org/linktypes.html).
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const LINKTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "NULL/Loopback"],
  [1, "Ethernet"],
  [6, "IEEE 802.5 Token Ring"],
  [9, "PPP"],
  [10, "FDDI"],
  [12, "Raw IP (OpenBSD)"],
  [101, "Raw IP"],
  [104, "Cisco HDLC"],
  [105, "IEEE 802.11 Wireless LAN"],
  [108, "OpenBSD loopback"],
  [113, "Linux cooked-mode capture v1"],
  [127, "IEEE 802.11 plus radiotap radio header"],
  [147, "USER0"],
  [187, "Bluetooth H4"],
  [195, "IEEE 802.15.4 Wireless PAN"],
  [220, "USB packets with Linux header and padding"],
  [228, "Raw IPv4"],
  [229, "Raw IPv6"],
  [249, "NetFilter Log"],
  [276, "Linux cooked-mode capture v2"],
]);

export function linkTypeName(lt: number): string {
  return LINKTYPE_NAMES.get(lt) ?? `link type ${lt}`;
}
