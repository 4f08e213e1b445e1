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

/**
 * Link types by name, with the number Wireshark's frame.encap_type shows for each (its own
 * WTAP_ENCAP_* numbering, not the pcap link type). Checked against tshark 4.0 one by one.
 */
const LINKTYPES: readonly [linkType: number, encap: number, name: string][] = [
  [0, 15, "NULL/Loopback"],
  [1, 1, "Ethernet"],
  [6, 2, "Token Ring"],
  [9, 4, "PPP"],
  [10, 6, "FDDI with bit-swapped MAC addresses"],
  [12, 7, "Raw IP"],
  [101, 7, "Raw IP"],
  [104, 28, "Cisco HDLC"],
  [105, 20, "IEEE 802.11 Wireless LAN"],
  [108, 174, "OpenBSD loopback"],
  [113, 25, "Linux cooked-mode capture v1"],
  [127, 23, "IEEE 802.11 plus radiotap radio header"],
  [147, 45, "USER 0"],
  [187, 41, "Bluetooth H4"],
  [195, 104, "IEEE 802.15.4 Wireless PAN"],
  [220, 115, "USB packets with Linux header and padding"],
  [228, 129, "Raw IPv4"],
  [229, 130, "Raw IPv6"],
  [249, 152, "USB packets with USBPcap header"],
  [276, 210, "Linux cooked-mode capture v2"],
];

export const LINKTYPE_NAMES: ReadonlyMap<number, string> = new Map(LINKTYPES.map(([lt, , name]) => [lt, name]));
const ENCAPS: ReadonlyMap<number, number> = new Map(LINKTYPES.map(([lt, encap]) => [lt, encap]));

/** frame.encap_type of a link type (-1 when arpx does not know Wireshark's number). */
export function encapType(linkType: number): number {
  return ENCAPS.get(linkType) ?? -1;
}

export function linkTypeName(lt: number): string {
  return LINKTYPE_NAMES.get(lt) ?? `link type ${lt}`;
}
