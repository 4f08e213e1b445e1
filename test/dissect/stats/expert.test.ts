// -z expert[,LEVEL][,FILTER]: spec parsing as tshark 4.0 reads it, and the "Errors (N)" /
// "Warns (N)" / ... sections compared byte for byte with tshark on every capture (no tree, a
// filter's tree, -V), on frames built here (experts in every severity, frame comments, experts
// that need a tree, experts inside an ICMP error's quoted packet, which taps never see) and with
// the short protocol names Wireshark reports.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, ownCaptureFiles, runArpx, runTshark, sharedCaptureFiles, skipReason } from "../../helpers.js";
import { effectiveLevel, parseExpertSpec, protocolShortName, SHORT_NAMES, type ExpertStatSpec } from "../../../src/dissect/stats/expert.js";
import { allFields, FT } from "../../../src/dissect/fields.js";
import { createWriter } from "../../../src/capture/write.js";
import { A4, B4, eth, icmp, ip4, tcp, udp, ACK, RST, SYN } from "../protocols/transport-build.js";
import { writePcap } from "../protocols/tshark-compare.js";
import "../../../src/dissect/protocols/index.js";

describe("expert spec parsing", () => {
  it("reads the level as a case-insensitive prefix and the rest as the filter, as tshark", () => {
    expect(parseExpertSpec("expert")).toEqual({ level: undefined, filter: undefined });
    expect(parseExpertSpec("expert,error")).toEqual({ level: 4, filter: undefined });
    expect(parseExpertSpec("expert,WARN")).toEqual({ level: 3, filter: undefined });
    expect(parseExpertSpec("expert,warning")).toEqual({ level: 3, filter: undefined });
    expect(parseExpertSpec("expert,note,http")).toEqual({ level: 2, filter: "http" });
    expect(parseExpertSpec("expert,chat,tcp.port in {80,443}")).toEqual({ level: 1, filter: "tcp.port in {80,443}" });
    expect(parseExpertSpec("expert,comment")).toEqual({ level: 0, filter: undefined });
    expect(parseExpertSpec("expert,tcp")).toEqual({ level: undefined, filter: "tcp" });
    expect(parseExpertSpec("expert,error,")).toEqual({ level: 4, filter: undefined });
    expect(typeof parseExpertSpec("experts")).toBe("string");
  });

  it("keeps one level for all expert statistics of a run: the last one named", () => {
    const spec = (s: string) => parseExpertSpec(s) as ExpertStatSpec;
    expect(effectiveLevel([spec("expert"), spec("expert,warn"), spec("expert,chat,tcp")])).toBe(1);
    expect(effectiveLevel([spec("expert,warn"), spec("expert")])).toBe(3);
    expect(effectiveLevel([spec("expert")])).toBe(0);
  });

  it("rejects a bad filter with one line and exit status 2", () => {
    const file = writePcap("expert-usage.pcap", [Uint8Array.from(eth(ip4(A4, B4, 17, udp(1, 2, [1]))))]);
    for (const spec of ["expert,,http", "expert,error,ip.src ==", "expert,nosuchfield"]) {
      for (const cmd of [["read", "-q", "-r", file], ["stats", file]]) {
        const r = runArpx([...cmd, "-z", spec]);
        expect(r.status, spec).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n"), spec).toHaveLength(1);
        expect(r.stderr).toMatch(/^arpx: expert: invalid filter/);
      }
    }
  });
});

const noTshark = skipReason(HAVE_TSHARK, "tshark is not installed: -z expert not compared with tshark");

describe.skipIf(noTshark)("protocol names", () => {
  it("the short names arpx knows are Wireshark's", () => {
    const ts = runTshark(["-G", "protocols"]);
    const short = new Map<string, string>();
    for (const line of ts.stdout.split("\n")) {
      const [, s, abbrev] = line.split("\t");
      if (abbrev !== undefined && s !== undefined) short.set(abbrev, s);
    }
    const wrong: string[] = [];
    for (const abbrev of Object.keys(SHORT_NAMES)) {
      const want = short.get(abbrev);
      if (want !== undefined && SHORT_NAMES[abbrev] !== want) wrong.push(`${abbrev}: "${want}"`);
    }
    expect(wrong).toEqual([]);
    // A protocol whose dissector leaves Tree.curProto at its arpx name needs an entry when that
    // name is not Wireshark's short name; the captures compared below show such gaps. Listed here
    // (not failed on) so that a new protocol's author sees it.
    const missing: string[] = [];
    for (const f of allFields()) {
      if (f.type !== FT.PROTOCOL || f.proto !== null) continue;
      const want = short.get(f.abbrev);
      if (want !== undefined && protocolShortName(f.abbrev) !== want) missing.push(`${f.abbrev} ("${want}")`);
    }
    if (missing.length) console.warn(`expert: protocols without their Wireshark short name in SHORT_NAMES: ${missing.join(", ")}`);
  });
});

/** The statistic's text: from its first section heading to the end (after the packets, if any). */
function statText(out: string): string {
  const m = /^(Errors|Warns|Notes|Chats|Comments) \(\d+\)$/m.exec(out);
  return m ? out.slice(m.index) : "";
}

function expectSame(file: string, args: string[], tail = false): void {
  const a = ["-n", ...args, "-r", file];
  const ts = runTshark(a);
  const ax = runArpx(["read", ...a]);
  expect(ax.stderr, file).toBe("");
  if (tail) expect(statText(ax.stdout), `${file} ${args.join(" ")}`).toBe(statText(ts.stdout));
  else expect(ax.stdout, `${file} ${args.join(" ")}`).toBe(ts.stdout);
}

/**
 * The captures in which tshark finds expert infos (the others print nothing, which a few of the
 * captures below also check), by name: comparing on all 130 would take minutes.
 */
const WITH_EXPERTS = [
  "libpcap-ipv6_ext_headers.pcap", "tcpdump-LINKTYPE_IPV6_invalid.pcap", "tcpdump-dhcp-option-33.pcap", "tcpdump-dns_fwdptr.pcap",
  "tcpdump-dns_tcp.pcap", "tcpdump-ip_printroute_asan.pcap", "tcpdump-ipv4_invalid_length.pcap", "tcpdump-ipv4_invalid_total_length_2.pcap",
  "tcpdump-ipv6-next-header-oobr-2.pcap", "tcpdump-ipv6-routing-header.pcap", "tcpdump-ipv6_invalid_length_2.pcap",
  "tcpdump-ipv6_missing_jumbo_payload_option.pcap", "tcpdump-kday2.pcap", "tcpdump-mptcp-v1.pcap", "tcpdump-tcp_eight_lowest_weight_flags_set.pcap",
  "tcpdump-tcp_rst_diag_payload-trunc.pcap", "tcpdump-tfo-5c1fa7f9ae91.pcap", "zeek-arp-who-has.pcap", "zeek-chksums-ip4-icmp-bad-chksum.pcap",
  "zeek-chksums-ip6-tcp-bad-chksum.pcap", "zeek-chksums-localhost-bad-chksum.pcap", "zeek-communityid-tcp.pcap", "zeek-dns-dns-edns-bad-length.pcap",
  "zeek-dns-dns_notify2.pcap", "zeek-dns-edns-tcp-keepalive.pcap", "zeek-dns-svcb-port-malformed.pcap", "zeek-icmp-icmp6-mldv2.pcap",
  "zeek-icmp-icmp6-nd-short-options.pcap", "zeek-ipv4-fragmented-4.pcap", "zeek-ipv6-hbh-routing0.pcap", "zeek-ipv6-http-atomic-frag.pcap",
  "zeek-raw_packets.pcap", "zeek-tcp-missing-syn.pcap", "zeek-tcp-option-sack.pcap", "zeek-tcp-payload-syn.pcap", "zeek-tcp-retransmit-fast009.pcap",
  "zeek-tcp-ssh-dups.pcap", "zeek-tcp-syn-bad.pcap", "zeek-tcp-syn-synack.pcap", "zeek-tcp-tcp-fast-open.pcap", "zeek-vlan-pcp-dei.pcapng",
  "zeek-vntag_vlan_sandwich_clean.pcap", "lan-basics.pcapng", "quic-handshakes.pcapng", "tls-basics.pcapng", "xarp-legacy-gateway.pcapng",
  "xarp-traffic.pcapng", "zeek-udp-packet.pcap", "xarp-slow-app.pcapng", "ip-fragments.pcapng",
];

/**
 * Captures whose experts differ for reasons of the dissectors, not of the statistic (each an
 * expert arpx does not raise, or raises where tshark does not): not compared.
 */
const EXCEPTIONS: Record<string, string> = {
  "tcpdump-esp_truncated.pcap": "UDP length check inside a first fragment (arpx flags the length as bogus)",
  "tcpdump-icmp-icmp_print-oobr-1.pcap": "Ethernet trailer of the frames after the first error (arpx stops at the error)",
  "tcpdump-rpl-dao-oobr.pcap": "ICMPv6 RPL options are not decoded (tshark's 'not implemented' notes)",
  "tcpdump-timestamp_invalid_nano.pcap": "tshark's notes on invalid timestamp fractions",
  "zeek-dns-mdns.pcap": "DNS query/response retransmission notes (arpx's DNS does not match requests)",
  "zeek-dns-two-responses.pcap": "DNS query/response retransmission notes (arpx's DNS does not match requests)",
  "xarp-mac-probe.pcapng": "xarp is arpx's own protocol (tshark knows no xarp experts)",
  "libpcap-pcapng-truncated-shb.pcapng": "tshark dissects the damaged file header as a File-PCAPNG record",
};

describe.skipIf(noTshark)("expert agrees with tshark on real captures", () => {
  const byName = new Map([...sharedCaptureFiles(), ...ownCaptureFiles()].map((f) => [basename(f), f]));
  const skipped = Object.entries(EXCEPTIONS).filter(([n]) => byName.has(n));
  if (skipped.length) console.warn(`expert: not compared on ${skipped.length} captures:\n  ${skipped.map(([n, why]) => `${n}: ${why}`).join("\n  ")}`);
  for (const name of WITH_EXPERTS) {
    const file = byName.get(name);
    it.skipIf(file === undefined)(name, () => expectSame(file!, ["-q", "-z", "expert"]));
  }

  const some = (re: RegExp) => [...byName.values()].filter((f) => re.test(f));
  it("with a filter's tree, per level, several at once (one level for all, as tshark)", () => {
    for (const file of some(/mptcp-v1|rst_diag|communityid|ssh-dups|ipv6_ext_headers|kday2|lan-basics|dns_notify2/)) {
      expectSame(file, ["-q", "-z", "expert,frame"]);
      expectSame(file, ["-q", "-z", "expert", "-z", "expert,warn", "-z", "expert,chat,tcp || udp"]);
    }
  });

  it("after the packets (no -q) and after a detail tree (-V)", () => {
    for (const file of some(/ssh-dups|communityid|mptcp-v1|rst_diag|ipv6_ext_headers|kday2|lan-basics/)) {
      expectSame(file, ["-z", "expert"]);
      expectSame(file, ["-V", "-z", "expert"], true);
    }
  });
});

/** Frames raising experts of every severity, some only with a tree, some inside an ICMP error. */
function expertFrames(): Uint8Array[] {
  const nop4 = [1, 1, 1, 1, 2, 4, 5, 0xb4];
  const f = (b: number[]) => Uint8Array.from(b);
  const syn = tcp(40000, 47000, 1000, 0, SYN);
  return [
    f(eth(ip4(A4, B4, 6, syn))), // chat: SYN
    f(eth(ip4(B4, A4, 6, tcp(47000, 40000, 5000, 1001, SYN | ACK, { options: nop4 })))), // warn: 4 NOPs (tree only)
    f(eth(ip4(A4, B4, 6, tcp(40000, 47000, 1001, 5001, RST | ACK, { data: [0x61, 0, 0x62] })))), // warn: RST; stray text (-V only)
    f(eth(ip4(A4, B4, 17, udp(5000, 47002, [1, 2, 3], { length: 40 })))), // error: bad UDP length
    f(eth(ip4(B4, A4, 1, icmp(3, 3, [0, 0, 0, 0], ip4(A4, B4, 6, syn))))), // the quoted SYN: no expert
    f(eth(ip4(B4, A4, 1, icmp(3, 3, [0, 0, 0, 0], ip4(A4, B4, 17, udp(5000, 47002, [1], { length: 40 })))))),
    f(eth(ip4(A4, B4, 6, tcp(40000, 47000, 1000, 0, SYN))).concat([1, 2, 3, 4, 5, 6])), // a trailer that is not zeros
  ];
}

describe.skipIf(noTshark)("expert agrees with tshark on frames built here", () => {
  it("every severity, tree-only experts, ICMP-quoted packets", () => {
    const file = writePcap("expert.pcap", expertFrames());
    for (const args of [["-q", "-z", "expert"], ["-q", "-z", "expert,frame"], ["-q", "-z", "expert,note"], ["-q", "-z", "expert,error,udp"]]) expectSame(file, args);
    expectSame(file, ["-V", "-z", "expert"], true);
  });

  it("frame comments are Comments, and only at the comment level", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "arpx-test-")), "comments.pcapng");
    const w = createWriter(path, { format: "pcapng", interfaces: [{ linkType: 1, snapLen: 65535 }] });
    const frames = expertFrames();
    const notes = ["first look", "second look", "first look", undefined, "naïve ünïcode"];
    notes.forEach((comment, i) => w.writePacket({ data: frames[i]!, wireLen: frames[i]!.length, tsSec: 1_700_000_000 + i, tsNsec: 0, linkType: 1, ifIndex: 0, comment }));
    await w.close();
    expect(existsSync(path)).toBe(true);
    for (const spec of ["expert", "expert,comment", "expert,chat", "expert,comment,tcp"]) expectSame(path, ["-q", "-z", spec]);
  });
});
