// IPsec: ESP (IP protocol 50) with its per-SPI sequence analysis, AH (IP protocol 51) over IPv4
// and IPv6 and what it carries, and UDP encapsulation on port 4500 (ESP, NAT-keepalive, the
// non-ESP marker). Frames built here are read by arpx and by tshark, which must print the same
// summary lines, frame.protocols and esp/ah/udpencap fields; the public capture with ESP in UDP
// too. Truncated and lying frames decode as far as their bytes go, whatever the prefix.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { A4, A6, B4, B6, eth, icmp, icmp6, ip4, ip6, run, SYN, tcp, u16, u32, udp } from "./transport-build.js";
import { expectSameAsTshark, writePcap } from "./tshark-compare.js";
import { everyPrefixIsSafe } from "./l3-helpers.js";

const FIELDS = [
  "esp.spi", "esp.sequence", "esp.sequence-analysis.expected-sn", "esp.sequence-analysis.previous-frame",
  "esp.sequence-analysis.wrong-sequence-number", "esp.pad_len", "esp.protocol", "esp.encrypted_data", "esp.icv",
  "ah.next_header", "ah.length", "ah.reserved", "ah.spi", "ah.sequence", "ah.icv",
  "udpencap.nat_keepalive", "udpencap.non_esp_marker", "data.len", "tcp.srcport", "icmpv6.type",
];

const BODY = Array.from({ length: 40 }, (_, i) => (i * 13) & 0xff);

function esp(spi: number, seq: number, body: number[] = BODY): number[] {
  return [...u32(spi), ...u32(seq), ...body];
}

/** AH with an ICV of `icv` bytes; the length field is computed unless given. */
function ah(next: number, spi: number, seq: number, icv: number, len?: number): number[] {
  return [next, len ?? (12 + icv) / 4 - 2, 0, 0, ...u32(spi), ...u32(seq), ...Array.from({ length: icv }, (_, i) => 0xa0 + i)];
}

const esp4 = (spi: number, seq: number, body?: number[]) => eth(ip4(A4, B4, 50, esp(spi, seq, body)));
const esp6 = (spi: number, seq: number, body?: number[]) => eth(ip6(A6, B6, 50, esp(spi, seq, body)), 0x86dd);
const ECHO6 = icmp6(A6, B6, 128, 0, [...u16(7), ...u16(1), 1, 2, 3, 4]);
const SYN_SEG = tcp(40000, 80, 1, 0, SYN);
const ESP_IN_UDP = eth(ip4(A4, B4, 17, udp(4500, 4500, esp(0x5000, 1))));
const AH_TCP = eth(ip4(A4, B4, 51, [...ah(6, 0x3000, 1, 12), ...SYN_SEG]));
const AH6_ICMP6 = eth(ip6(A6, B6, 51, [...ah(58, 0x3001, 1, 12), ...ECHO6]), 0x86dd);

/** Frames cut by the snaplen: [bytes, wire length]. */
const cutAt = (f: number[], n: number): [number[], number] => [f.slice(0, n), f.length];

const SCENARIOS: Record<string, (number[] | [number[], number])[]> = {
  "ESP over IPv4: sequence analysis per SPI (repeated, skipped, backwards, wrapping)": [
    esp4(0x1000, 1), esp4(0x1000, 2), esp4(0x1000, 2), esp4(0x1000, 5), esp4(0x2000, 7), esp4(0x1000, 3),
    esp4(0x1000, 0, []), esp4(0x1000, 6, [1]), esp4(0xabcdef01, 1, [0, 0, 0, 0]),
    esp4(0x3000, 0xfffffffe), esp4(0x3000, 0xffffffff), esp4(0x3000, 0), esp4(0x3000, 0), esp4(0x3000, 0xffffffff),
  ],
  "ESP over IPv6": [esp6(0x1000, 7), esp6(0x1000, 8), esp6(0x1000, 10), eth(ip6(A6, B6, 50, []), 0x86dd)],
  "AH over IPv4 and IPv6": [
    AH_TCP,
    AH6_ICMP6,
    eth(ip4(A4, B4, 51, [...ah(253, 0x3000, 2, 12), 1, 2, 3, 4, 5, 6])), // no dissector for 253: data
    eth(ip6(A6, B6, 51, [...ah(253, 0x3001, 2, 12), 1, 2, 3, 4, 5, 6]), 0x86dd), // IPv6: "Unknown IP Protocol"
    eth(ip6(A6, B6, 51, [...ah(59, 0x3001, 3, 12), 1, 2, 3, 4, 5, 6]), 0x86dd), // no next header
    eth(ip4(A4, B4, 51, [...ah(50, 0x3000, 3, 16), ...esp(0x1000, 9)])), // AH then ESP
    eth(ip4(A4, B4, 51, [...ah(6, 0x3000, 4, 0, 1), ...SYN_SEG])), // length 1: no ICV
    eth(ip4(A4, B4, 51, [...ah(6, 0x3000, 5, 0, 0), ...SYN_SEG])), // length 0: the next header starts at 8
  ],
  "ESP in UDP (port 4500) and NAT-keepalives": [
    ESP_IN_UDP,
    eth(ip4(A4, B4, 17, udp(4500, 4500, esp(0x5000, 2)))),
    eth(ip4(A4, B4, 17, udp(33000, 4500, [0xff]))),
    cutAt(eth(ip4(A4, B4, 17, udp(4500, 4500, [0xff, 1, 2, 3, 4, 5, 6, 7]))), 43), // one 0xff captured: a keepalive
    eth(ip4(A4, B4, 17, udp(4500, 4500, [0x7f]))), // one byte, not 0xff: too short for an SPI
    eth(ip4(A4, B4, 17, udp(4500, 4500, [1, 2]))),
  ],
  "truncated and lying headers": [
    cutAt(esp4(0x1000, 1), 38), // SPI only
    cutAt(esp4(0x1000, 1), 40), // SPI and half the sequence number
    eth(ip4(A4, B4, 50, [0, 0, 0x10, 0, 0, 0])), // IP says 6 bytes of ESP
    eth(ip4(A4, B4, 51, [6])), // one byte of AH
    eth(ip4(A4, B4, 51, [...ah(6, 0x3000, 6, 12, 40), 0, 0, 0, 0])), // length past the datagram
    cutAt(AH_TCP, 14 + 20 + 3),
    cutAt(AH_TCP, 14 + 20 + 18), // inside the ICV
    // (UDP with none of its payload captured is not compared: there tshark's UDP stops short
    // before any payload dissector, arpx's UDP hands the empty payload on.)
    cutAt(ESP_IN_UDP, 14 + 20 + 8 + 3),
  ],
};

const toPcapFrames = (fs: (number[] | [number[], number])[]) =>
  fs.map((f) => (typeof f[0] === "number" ? Uint8Array.from(f as number[]) : ([Uint8Array.from((f as [number[], number])[0]), (f as [number[], number])[1]] as const)));

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: IPsec not compared with tshark");

describe.skipIf(skip)("ESP, AH and UDP encapsulation as tshark shows them", () => {
  it.each(Object.keys(SCENARIOS))("%s", (name) => {
    const frames = toPcapFrames(SCENARIOS[name]!);
    expectSameAsTshark(writePcap("ipsec.pcap", frames), FIELDS, frames.length);
  });

  it("AH over IPv4 carrying ICMP (no ', ttl=' in Info: ICMP is not IPv4's direct payload)", () => {
    const frames = [eth(ip4(A4, B4, 51, [...ah(1, 0x3000, 1, 12), ...icmp(8, 0, [...u16(1), ...u16(1)], [104, 105])]))];
    expectSameAsTshark(writePcap("ipsec.pcap", frames.map((f) => Uint8Array.from(f))), [...FIELDS, "icmp.seq", "icmp.checksum.status"], 1);
  });

  it.skipIf(!HAVE_SHARED)("on the public capture of a truncated ESP in UDP (tcpdump-esp_truncated.pcap)", () => {
    expectSameAsTshark(join(SHARED_CAPTURES, "tcpdump-esp_truncated.pcap"), FIELDS, 1);
  });
});
if (!HAVE_SHARED) console.warn("SKIPPED: ../shared/captures/public absent: tcpdump-esp_truncated.pcap not compared");

describe("ESP sequence analysis", () => {
  const NAMES = ["esp.sequence-analysis.expected-sn", "esp.sequence-analysis.previous-frame", "esp.sequence-analysis.wrong-sequence-number"];

  it("reports a number other than the previous one + 1 for the same SPI, as Wireshark words it", () => {
    const r = run([esp4(0x1000, 1), esp4(0x2000, 9), esp4(0x1000, 1), esp4(0x1000, 4), esp4(0x1000, 2), esp4(0x1000, 3)].map((bytes) => ({ bytes })), NAMES);
    expect(r.map((x) => x.f["esp.sequence-analysis.expected-sn"])).toEqual(["", "", "2", "2", "5", ""]);
    expect(r.map((x) => x.f["esp.sequence-analysis.previous-frame"])).toEqual(["", "", "1", "3", "4", ""]);
    expect(r.map((x) => x.experts)).toEqual([
      [], [],
      ["Wrong Sequence Number for SPI 00001000 - 1 repeated"],
      ["Wrong Sequence Number for SPI 00001000 - 2 missing"],
      ["Wrong Sequence Number for SPI 00001000 - 3 less than expected"],
      [],
    ]);
    expect(r.map((x) => x.info)).toEqual(Array(6).fill("").map((_, i) => (i === 1 ? "ESP (SPI=0x00002000)" : "ESP (SPI=0x00001000)")));
  });

  it("counts modulo 2^32", () => {
    const r = run([esp4(7, 0xffffffff), esp4(7, 0), esp4(7, 0xffffffff)].map((bytes) => ({ bytes })), NAMES);
    expect(r.map((x) => x.f["esp.sequence-analysis.expected-sn"])).toEqual(["", "", "1"]);
  });
});

describe("UDP encapsulation", () => {
  it("hands IKE (non-ESP marker) on as data: arpx has no ISAKMP dissector", () => {
    const ike = eth(ip4(A4, B4, 17, udp(4500, 4500, [0, 0, 0, 0, ...Array.from({ length: 28 }, (_, i) => i)])));
    const [r] = run([{ bytes: ike }], ["udpencap.non_esp_marker", "data.len"]);
    expect(r!.layers).toBe("eth:ethertype:ip:udp:udpencap:data");
    expect(r!.protocol).toBe("UDPENCAP");
    expect(r!.info).toBe("ISAKMP");
    expect(r!.f).toEqual({ "udpencap.non_esp_marker": "1", "data.len": "28" });
  });
});

describe("every prefix decodes without a dissector error", () => {
  const all = Object.values(SCENARIOS).flat().map((f) => (typeof f[0] === "number" ? (f as number[]) : (f as [number[], number])[0]));
  it.each(all.map((f, i) => [i, f] as const))("frame %i", (_i, f) => {
    everyPrefixIsSafe(f);
  });
  it("AH over IPv6 with ICMPv6, and ESP over IPv6", () => {
    everyPrefixIsSafe(AH6_ICMP6);
    everyPrefixIsSafe(esp6(1, 1));
  });
});
