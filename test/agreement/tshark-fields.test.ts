// arpx and tshark read the same captures and must print the same values for a fixed list of
// fields across every protocol arpx decodes. Differences are failures unless listed, with a
// reason, in EXCEPTIONS below.
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, ownCaptureFiles, runArpx, runTshark, sharedCaptureFiles, skipReason } from "../helpers.js";
import { TCP_ANALYSIS_FIELDS } from "../dissect/protocols/tcp-scenarios.js";

export const AGREEMENT_FIELDS = [
  // frame
  "frame.number", "frame.len", "frame.cap_len", "frame.time_epoch", "frame.time_relative", "frame.time_delta", "frame.protocols",
  "frame.section_number", "frame.interface_id", "frame.interface_name", "frame.interface_description", "frame.offset_shift",
  "frame.encap_type",
  // link layers
  "eth.dst", "eth.src", "eth.type", "eth.len", "eth.padding", "eth.trailer", "eth.fcs", "vlan.id", "vlan.priority", "vlan.etype",
  "sll.pkttype", "sll.etype", "null.family", "llc.dsap", "llc.control",
  // ARP
  "arp.hw.type", "arp.proto.type", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
  // IPv4 / IPv6
  "ip.version", "ip.hdr_len", "ip.dsfield", "ip.len", "ip.id", "ip.flags", "ip.flags.df", "ip.flags.mf", "ip.frag_offset",
  "ip.ttl", "ip.proto", "ip.checksum", "ip.src", "ip.dst",
  "ipv6.tclass", "ipv6.flow", "ipv6.plen", "ipv6.nxt", "ipv6.hlim", "ipv6.src", "ipv6.dst",
  // ICMP / ICMPv6
  "icmp.type", "icmp.code", "icmp.checksum", "icmp.seq", "icmpv6.type", "icmpv6.code", "icmpv6.checksum",
  "icmpv6.nd.ns.target_address", "icmpv6.opt.type",
  // UDP / TCP
  "udp.srcport", "udp.dstport", "udp.length", "udp.checksum",
  "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.len", "tcp.seq", "tcp.seq_raw", "tcp.ack", "tcp.hdr_len", "tcp.flags",
  "tcp.flags.syn", "tcp.flags.ack", "tcp.window_size_value", "tcp.checksum", "tcp.options.mss_val", "tcp.options.wscale.shift",
  // TCP sequence analysis (one pass, as `tshark -r` without -2)
  ...TCP_ANALYSIS_FIELDS,
  // DNS / DHCP
  "dns.id", "dns.flags.response", "dns.flags.rcode", "dns.count.queries", "dns.count.answers", "dns.qry.name", "dns.qry.type",
  "dns.resp.ttl", "dns.a", "dns.aaaa",
  "dhcp.type", "dhcp.id", "dhcp.ip.your", "dhcp.hw.mac_addr", "dhcp.option.dhcp",
  // IGMP / STP / HTTP and SSDP (SSDP's fields are http.*, as tshark decodes it with its HTTP dissector)
  "igmp.version", "igmp.type", "igmp.max_resp", "igmp.checksum", "igmp.checksum.status", "igmp.maddr", "igmp.num_grp_recs",
  "igmp.record_type", "igmp.num_src",
  "stp.version", "stp.type", "stp.flags", "stp.root.hw", "stp.root.prio", "stp.root.cost", "stp.bridge.hw", "stp.port",
  "stp.msg_age", "stp.max_age", "stp.hello", "stp.forward",
  "http.request.method", "http.request.uri", "http.request.version", "http.response.code", "http.host", "http.location",
  "http.server", "http.cache_control", "http.content_type", "http.content_length", "http.request.full_uri",
  "http.request_number", "http.response_number", "http.request_in", "http.time", "http.response_for.uri",
  "tcp.segment", "tcp.segment.count", "tcp.reassembled.length", "tcp.segment_data", "tcp.pdu.size",
  // IP reassembly
  "ip.fragment", "ip.fragment.count", "ip.reassembled.length", "ip.fragment.overlap", "ip.fragment.overlap.conflict",
  "ipv6.fraghdr.ident", "ipv6.fragment", "ipv6.fragment.count", "ipv6.reassembled.length",
  // TLS
  "tls.record.content_type", "tls.record.opaque_type", "tls.record.version", "tls.record.length", "tls.handshake.type",
  "tls.handshake.length", "tls.handshake.version", "tls.handshake.ciphersuite", "tls.handshake.extensions.supported_version",
  "tls.handshake.extensions_server_name", "tls.alert_message.desc",
  // SSH
  "ssh.protocol", "ssh.packet_length", "ssh.padding_length", "ssh.message_code", "ssh.direction", "ssh.cookie",
  "ssh.kex_algorithms", "ssh.kex.hassh", "ssh.kex.hasshserver", "ssh.ecdh.q_s", "ssh.host_key.type", "ssh.encrypted_packet",
] as const;

interface Exception {
  file: RegExp;
  field: string;
  /** Frame numbers the exception applies to; all frames when absent. */
  frames?: number[];
  why: string;
}

// Every known, explained difference between arpx and tshark. Keep each entry narrow.
export const EXCEPTIONS: Exception[] = [
  // Frames after timestamp-less Simple Packet Blocks are ~1.3e9 s after the first frame; tshark
  // 4.0 rounds such relative times to microseconds, arpx keeps the file's nanoseconds.
  // A fraction of -2^31 ns: tshark's relative/delta arithmetic wraps; arpx subtracts exactly.
  // The same frame's TCP round-trip times (time since the SYN / the acknowledged segment) too.
  ...["frame.time_relative", "frame.time_delta"].map((field) => ({ file: /^tcpdump-timestamp_invalid_nano\.pcap$/, field, frames: [3, 4], why: "tshark wraps an invalid negative fraction" })),
  ...["tcp.analysis.ack_rtt", "tcp.analysis.initial_rtt"].map((field) => ({ file: /^tcpdump-timestamp_invalid_nano\.pcap$/, field, frames: [3], why: "tshark wraps an invalid negative fraction" })),
  // Payload protocols arpx does not decode but tshark reassembles (RPKI-RTR on port 323; a
  // 4-byte SYN payload to port 13054 that a tshark heuristic dissector holds back): tshark shows
  // the bytes as tcp.segment_data, arpx as the TCP payload only.
  { file: /^tcpdump-tfo-5c1fa7f9ae91\.pcap$/, field: "tcp.segment_data", frames: [13], why: "reassembly by a protocol arpx does not decode" },
  // The second section's interface 0 is "silly ethernet interface 2"; tshark 4.0 looks the name
  // up by the section-local id among all interfaces and prints the first section's ("eth0").
  { file: /^pcapngtg-(be|le)-difficult-test201\.pcapng$/, field: "frame.interface_name", frames: [2, 3], why: "tshark 4.0 names a later section's interface from the first section" },
  // tshark decodes the server's certificate (X.509: x509sat, x509ce) between the two TLS calls
  // of that segment; arpx does not decode certificates.
  // tshark raises a second error after the missing jumbo option and then shows the padding; arpx
  // stops at the first error, as for every other malformed packet.
  ...["eth.padding", "eth.trailer"].map((field) => ({ file: /^tcpdump-ipv6_missing_jumbo_payload_option\.pcap$/, field, why: "arpx stops at the first error" })),
  // The same after a malformed ICMP/VRRP payload in a frame the snaplen cut: tshark still shows
  // the trailer the IP length implies; arpx stops at the first error.
  { file: /^tcpdump-icmp-icmp_print-oobr-1\.pcap$/, field: "eth.trailer", frames: [1, 2], why: "arpx stops at the first error" },
];

/**
 * Extended ARP (docs/extended-arp.md) is arpx's own protocol: tshark decodes those frames as ARP
 * with an 8-byte protocol address. Their xarp.* fields are compared with tshark running arpx's
 * Lua plugin instead (test/dissect/xarp-lua.test.ts).
 */
function xarpFrame(field: string, axProtocols: string): boolean {
  return axProtocols.endsWith(":xarp") && (field === "frame.protocols" || field.startsWith("arp."));
}

// Files where tshark and arpx legitimately print a different number of packets.
export const COUNT_EXCEPTIONS: { file: RegExp; why: string }[] = [
  { file: /^pcapngtg-(be|le)-basic-test017\.pcapng$/, why: "tshark 4.0 shows pcapng custom blocks as frames; arpx skips them as the pcapng spec asks" },
  { file: /^libpcap-pcapng-truncated-shb\.pcapng$/, why: "tshark falls back to reading the 16 bytes as a MIME file; arpx reports the truncated section header" },
];

// Protocols tshark decodes that arpx does not (yet): arpx shows their bytes as `data`, so
// frame.protocols may stop there with ":data" while tshark names them. Anything else that
// differs in frame.protocols is a failure.
export const NOT_DECODED = new Set([
  "isup", "llc", "mpls", "nbns", "vntag",
  "websocket", "rx", "afs", "gquic", "ssl", "smb", "nbss", "snmp", "syslog", "tftp",
]);

/** Why two frame.protocols values may differ, or null when they must not. */
export function protocolsExplained(ts: string, ax: string): string | null {
  const t = ts.split(":"), a = ax.split(":");
  let i = 0;
  while (i < t.length && i < a.length && t[i] === a[i]) i++;
  const rest = a.slice(i).join(":");
  if ((rest === "data" || rest === "") && i < t.length && NOT_DECODED.has(t[i]!)) return `tshark decodes ${t[i]}, arpx shows it as data`;
  // tshark holds a TCP segment's payload back for reassembly (no reassembly in arpx).
  if (i === t.length && rest === "data" && t[i - 1] === "tcp") return "tshark reassembles TCP payloads";
  return null;
}

/** Exceptions that explained a difference in this run (the others must be removed), and the files compared. */
const used = new Set<Exception>();
const compared = new Set<string>();

function excepted(file: string, field: string, frame: number): Exception | undefined {
  const matches = (pattern: string) => pattern === field || (pattern.endsWith(".*") && field.startsWith(pattern.slice(0, -1)));
  const e = EXCEPTIONS.find((e) => e.file.test(file) && matches(e.field) && (!e.frames || e.frames.includes(frame)));
  if (e) used.add(e);
  return e;
}

const files = [...sharedCaptureFiles(), ...ownCaptureFiles()];
const skip = skipReason(HAVE_TSHARK, "tshark is not installed: field agreement with tshark not checked") ||
  skipReason(HAVE_SHARED || ownCaptureFiles().length > 0, "no captures to compare (../shared/captures/public absent)");
if (!HAVE_SHARED) console.warn("SKIPPED: ../shared/captures/public absent: only the project's own captures are compared with tshark");

describe.skipIf(skip)("field values agree with tshark", () => {
  const args = AGREEMENT_FIELDS.flatMap((f) => ["-e", f]);
  it.each(files.map((f) => [basename(f), f]))("%s", (_name, file) => {
    const ts = runTshark(["-n", "-r", file, "-T", "fields", "-E", "separator=|", ...args]);
    const ax = runArpx(["read", "-r", file, "-T", "fields", "-E", "separator=|", ...args]);
    const tl = ts.stdout.split("\n").filter((l) => l !== "");
    const al = ax.stdout.split("\n").filter((l) => l !== "");
    expect(ax.stderr).not.toMatch(/internal error|TypeError|RangeError|at .*\.js:\d+/);
    compared.add(basename(file));
    const countWhy = COUNT_EXCEPTIONS.find((e) => e.file.test(basename(file)));
    if (countWhy) {
      expect(ax.stderr).not.toMatch(/\n\s+at /);
      return;
    }
    // tshark may stop earlier or later on a damaged file; both must print the same good packets.
    expect(al.length, `packet count (tshark stderr: ${ts.stderr.trim()}; arpx stderr: ${ax.stderr.trim()})`).toBe(tl.length);
    const diffs: string[] = [];
    for (let i = 0; i < tl.length; i++) {
      const tv = tl[i]!.split("|");
      const av = (al[i] ?? "").split("|");
      for (let j = 0; j < AGREEMENT_FIELDS.length; j++) {
        if (tv[j] === av[j]) continue;
        const field = AGREEMENT_FIELDS[j]!;
        if (excepted(basename(file), field, i + 1)) continue;
        if (field === "frame.protocols" && protocolsExplained(tv[j] ?? "", av[j] ?? "")) continue;
        if (xarpFrame(field, av[AGREEMENT_FIELDS.indexOf("frame.protocols")] ?? "")) continue;
        diffs.push(`frame ${i + 1} ${field}: tshark "${tv[j]}" arpx "${av[j] ?? ""}"`);
      }
    }
    expect(diffs.slice(0, 40)).toEqual([]);
  });

  it("has no exception left that no longer explains a difference", () => {
    const stale = EXCEPTIONS.filter((e) => [...compared].some((f) => e.file.test(f)) && !used.has(e));
    expect(stale.map((e) => `${e.file} ${e.field}: ${e.why}`)).toEqual([]);
  });
});
