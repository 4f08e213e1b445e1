// Captures whose -V tree differs from tshark's, and why (shared by the tree and JSON agreement
// tests: the same differences show in both).
const FIRST_ERROR = "a damaged frame: tshark goes on after the first error, arpx stops there";

/** Captures whose trees differ, and why. */
export const TREE_EXCEPTIONS: Record<string, string> = {
  "pcapngtg-be-difficult-test201.pcapng": "tshark names a later section's interface from the first",
  "pcapngtg-le-difficult-test201.pcapng": "tshark names a later section's interface from the first",
  "tcpdump-mptcp-v1.pcap": "MPTCP option details and MPTCP analysis (arpx decodes the option's header only)",
  "tcpdump-tfo-5c1fa7f9ae91.pcap": "a TFO SYN payload a tshark heuristic dissector holds back",
  "zeek-tcp-ssh-dups.pcap": "the SSH packets' sequence number items (not shown by arpx)",
  "pcapngtg-be-basic-test017.pcapng": "tshark shows pcapng custom blocks as packets",
  "pcapngtg-le-basic-test017.pcapng": "tshark shows pcapng custom blocks as packets",
  "libpcap-pcapng-truncated-shb.pcapng": "tshark reads the damaged file as a MIME file; arpx reports the truncated section header",
  "tcpdump-timestamp_invalid_nano.pcap": "tshark's expert infos and wrapped arithmetic for invalid timestamp fractions",
  "tcpdump-icmp-icmp_print-oobr-1.pcap": FIRST_ERROR,
  "tcpdump-ipv6_missing_jumbo_payload_option.pcap": FIRST_ERROR,
  "tcpdump-rpl-dao-oobr.pcap": "ICMPv6 RPL options (arpx shows their header only)",
  "tcpdump-esp_truncated.pcap": "UDP length check inside a first fragment (arpx flags the length as bogus)",
  "zeek-ipv6-hbh-routing0.pcap": "where tshark stops on a malformed routing header",
  // arpx's own protocol: tshark without arpx's Lua plugin reads it as ARP.
  "xarp-control-mix.pcapng": "extended ARP (arpx's own protocol)",
  "xarp-gateway-resolve.pcapng": "extended ARP (arpx's own protocol)",
  "xarp-legacy-gateway.pcapng": "extended ARP (arpx's own protocol)",
  "xarp-mac-probe.pcapng": "extended ARP (arpx's own protocol)",
  "xarp-slow-app.pcapng": "extended ARP (arpx's own protocol), and RX/AFS on the application ports",
  "xarp-traffic.pcapng": "extended ARP (arpx's own protocol)",
};
