// -z follow,tcp|udp,MODE,FILTER[,RANGE]: spec parsing (tshark's rules, arpx's one-line errors),
// and the output compared byte for byte with tshark 4.0 on streams built here (out-of-order and
// retransmitted segments, a gap the peer acknowledges, a SYN carrying data across the 2^32
// sequence wrap, a snaplen-cut segment, IPv6, empty and cut UDP datagrams, a datagram quoted in
// an ICMP error) and on real captures (retransmissions, out-of-order, IPv6, UDP).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, OWN_CAPTURES, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { fixed9, parseFollowSpec, parseIPv6, type FollowSpec } from "../../../src/dissect/stats/follow.js";
import { A4, A6, B4, B6, C4, eth, icmp, ip4, ip6, tcp, udp, ACK, FIN, PSH, SYN } from "../protocols/transport-build.js";
import { writePcap } from "../protocols/tshark-compare.js";

const bytes = (s: string): number[] => Array.from(Buffer.from(s, "latin1"));

function seg4(src: number[], dst: number[], sport: number, dport: number, seq: number, ack: number, flags: number, data: number[] | string = []): number[] {
  return eth(ip4(src, dst, 6, tcp(sport, dport, seq, ack, flags, { data: typeof data === "string" ? bytes(data) : data })));
}

function seg6(src: number[], dst: number[], sport: number, dport: number, seq: number, ack: number, flags: number, data: string): number[] {
  return eth(ip6(src, dst, 6, tcp(sport, dport, seq, ack, flags, { data: bytes(data) })), 0x86dd);
}

const isCut = (f: number[] | readonly [number[], number]): f is readonly [number[], number] => Array.isArray(f[0]);

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => i);

/** TCP streams 0 (IPv4, reordered, retransmitted, a gap), 1 (SYN data across the wrap), 2 (IPv6). */
function tcpFrames(): (Uint8Array | readonly [Uint8Array, number])[] {
  const c = (seq: number, ack: number, flags: number, data: number[] | string = []) => seg4(A4, B4, 40000, 47000, seq, ack, flags, data);
  const s = (seq: number, ack: number, flags: number, data: number[] | string = []) => seg4(B4, A4, 47000, 40000, seq, ack, flags, data);
  const cut = c(1043, 5274, PSH | ACK, Array.from({ length: 100 }, (_, i) => 0x41 + (i % 26)));
  const frames: (number[] | readonly [number[], number])[] = [
    c(1000, 0, SYN),
    s(5000, 1001, SYN | ACK),
    c(1001, 5001, ACK),
    c(1001, 5001, PSH | ACK, "hello "),
    c(1013, 5001, PSH | ACK, "world\r\n"), // ahead of "there "
    c(1007, 5001, PSH | ACK, "there "),
    c(1001, 5001, PSH | ACK, "hello there "), // all seen already
    c(1018, 5001, PSH | ACK, "d\r\nMORE "), // partly new
    s(5001, 1025, PSH | ACK, "REPLY-LINE 2000\r\n"),
    c(1035, 5018, PSH | ACK, "late"), // 1025..1035 never captured
    s(5018, 1039, ACK), // acknowledges past the gap
    s(5018, 1039, PSH | ACK, ALL_BYTES),
    c(1039, 5274, PSH | ACK, "ab  "),
    [cut.slice(0, 54 + 20), cut.length] as const, // snaplen: 20 of 100 payload bytes
    c(1143, 5274, FIN | ACK),
    s(5274, 1144, FIN | ACK),
    // stream 1: a SYN with data whose sequence numbers wrap past 2^32
    seg4(C4, B4, 40001, 47000, 0xfffffff0, 0, SYN, "syn-data"),
    seg4(B4, C4, 47000, 40001, 77, 0xfffffff9, SYN | ACK),
    seg4(C4, B4, 40001, 47000, 0xfffffff9, 78, PSH | ACK, "across the wrap here"),
    // stream 2: IPv6, the second segment first
    seg6(A6, B6, 1234, 47001, 101, 900, PSH | ACK, "second"),
    seg6(A6, B6, 1234, 47001, 95, 900, PSH | ACK, "first "),
    seg6(B6, A6, 47001, 1234, 900, 107, PSH | ACK, "reply"),
  ];
  return frames.map((f) => (isCut(f) ? ([Uint8Array.from(f[0]), f[1]] as const) : Uint8Array.from(f)));
}

/** UDP stream 0 (with an empty datagram, one cut to no payload, and one quoted in an ICMP error) and an IPv6 stream 1. */
function udpFrames(): (Uint8Array | readonly [Uint8Array, number])[] {
  const q = eth(ip4(A4, B4, 17, udp(5000, 47002, bytes("query"))));
  const cutDatagram = eth(ip4(A4, B4, 17, udp(5000, 47002, bytes("0123456789"))));
  const quoted = ip4(A4, B4, 17, udp(5000, 47002, bytes("query")));
  return [
    Uint8Array.from(q),
    Uint8Array.from(eth(ip4(B4, A4, 17, udp(47002, 5000, bytes("answer with more than fifty-seven bytes of text, to wrap the base64 lines"))))),
    Uint8Array.from(eth(ip4(A4, B4, 17, udp(5000, 47002, [])))),
    [Uint8Array.from(cutDatagram.slice(0, 42)), cutDatagram.length] as const,
    Uint8Array.from(eth(ip4(B4, A4, 1, icmp(3, 3, [0, 0, 0, 0], quoted)))),
    Uint8Array.from(eth(ip6(A6, B6, 17, udp(46000, 46001, bytes("v6 datagram"))), 0x86dd)),
    Uint8Array.from(eth(ip6(B6, A6, 17, udp(46001, 46000, bytes("v6 reply"))), 0x86dd)),
  ];
}

describe("follow spec parsing", () => {
  const ok = (s: string): FollowSpec => {
    const r = parseFollowSpec(s);
    if (typeof r === "string") throw new Error(r);
    return r;
  };

  it("reads stream indexes, modes and ranges as tshark does", () => {
    expect(ok("follow,tcp,ascii,0")).toMatchObject({ proto: "tcp", mode: "ascii", stream: 0, chunkMin: 1, chunkMax: 0xffffffff, filter: "tcp.stream eq 0" });
    expect(ok("follow,udp,yaml,12,3")).toMatchObject({ proto: "udp", mode: "yaml", stream: 12, chunkMin: 3, chunkMax: 3, filter: "udp.stream eq 12" });
    expect(ok("follow,tcp,hex,00,2-5")).toMatchObject({ stream: 0, chunkMin: 2, chunkMax: 5 });
    expect(ok("follow,tcp,ebcdic,+7").stream).toBe(7);
  });

  it("reads address pairs, IPv6 in brackets, into tshark's filter text", () => {
    expect(ok("follow,tcp,raw,10.0.0.1:80,10.0.0.2:1234").filter).toBe(
      "((ip.src eq 10.0.0.1 and tcp.srcport eq 80) and (ip.dst eq 10.0.0.2 and tcp.dstport eq 1234)) or ((ip.src eq 10.0.0.2 and tcp.srcport eq 1234) and (ip.dst eq 10.0.0.1 and tcp.dstport eq 80))",
    );
    expect(ok("follow,udp,hex,[2001:DB8:0::1]:53,[::ffff:10.0.0.1]:5353,4").filter).toBe(
      "((ipv6.src eq 2001:db8::1 and udp.srcport eq 53) and (ipv6.dst eq ::ffff:10.0.0.1 and udp.dstport eq 5353)) or ((ipv6.src eq ::ffff:10.0.0.1 and udp.srcport eq 5353) and (ipv6.dst eq 2001:db8::1 and udp.dstport eq 53))",
    );
  });

  it("says what is wrong in one line", () => {
    const bad: [string, RegExp][] = [
      ["follow,tcp", /invalid display mode/],
      ["follow,tcp,asc,0", /invalid display mode "asc"/],
      ["follow,tcp,utf-8,0", /invalid display mode/],
      ["follow", /missing arguments/],
      ["follow,tcp,ascii", /no stream given/],
      ["follow,tcp,asciix,0", /invalid display mode "asciix"/],
      ["follow,tcp,ascii,x", /invalid stream "x"/],
      ["follow,tcp,ascii,-1", /invalid stream index "-1"/],
      ["follow,tcp,ascii,1.2.3.4:5", /the second ADDR:PORT is missing/],
      ["follow,tcp,ascii,1.2.3.4:0,1.2.3.4:5", /invalid port "0"/],
      ["follow,tcp,ascii,host:5,1.2.3.4:5", /invalid IPv4 address "host"/],
      ["follow,tcp,ascii,[fe80::1::2]:5,[::1]:5", /invalid IPv6 address/],
      ["follow,tcp,ascii,[::1]:5,1.2.3.4:5", /mismatched IP address types/],
      ["follow,tcp,ascii,0,0", /invalid range/],
      ["follow,tcp,ascii,0,3-2", /invalid range/],
      ["follow,tcp,ascii,0,x", /invalid range "x"/],
      ["follow,tcp,ascii,0,1,3", /unexpected ",3"/],
      ["follow,tls,ascii,0", /only tcp and udp streams can be followed, not tls/],
      ["follow,quic,ascii,0", /only tcp and udp/],
      ["follow,sctp,ascii,0", /unknown protocol "sctp"/],
    ];
    for (const [spec, re] of bad) {
      const r = parseFollowSpec(spec);
      expect(typeof r, spec).toBe("string");
      expect(r as string, spec).toMatch(re);
      expect(r as string).not.toContain("\n");
    }
  });

  it("parses IPv6 text as inet_pton does", () => {
    expect(Array.from(parseIPv6("::")!)).toEqual(new Array(16).fill(0));
    expect(Array.from(parseIPv6("1:2:3:4:5:6:7:8")!).slice(14)).toEqual([0, 8]);
    expect(Array.from(parseIPv6("::ffff:1.2.3.4")!).slice(10)).toEqual([255, 255, 1, 2, 3, 4]);
    for (const bad of ["", ":", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "::1::", "::1.2.3", "g::"]) expect(parseIPv6(bad), bad).toBeNull();
  });

  it("prints timestamps as printf's %.9f (ties to even on the double's exact value)", () => {
    expect(fixed9(1700000000 + 28320312 / 1e9)).toBe("1700000000.028320312");
    expect(fixed9(1071580905 + 37333000 / 1e9)).toBe("1071580905.037333012");
    expect(fixed9(0)).toBe("0.000000000");
    expect(fixed9(2.5e-9)).toBe("0.000000003");
  });
});

describe("follow usage errors on the command line", () => {
  it("exits 2 with one line naming the problem", () => {
    const file = writePcap("follow-usage.pcap", udpFrames());
    for (const spec of ["follow,tcp,bogus,0", "follow,tcp,ascii", "follow,tcp,ascii,-3", "follow,tls,ascii,0", "follow,udp,hex,0,0"]) {
      for (const cmd of [["read", "-q", "-r", file], ["stats", file]]) {
        const r = runArpx([...cmd, "-z", spec]);
        expect(r.status, spec).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n"), spec).toHaveLength(1);
        expect(r.stderr).toMatch(/^arpx: follow: /);
      }
    }
  });
});

const noTshark = skipReason(HAVE_TSHARK, "tshark is not installed: -z follow not compared with tshark");

/** `arpx read -n -q -r F -z SPEC...` and `tshark` with the same arguments print the same bytes. */
function expectSame(file: string, specs: string[], quiet = true): void {
  const z = specs.flatMap((s) => ["-z", s]);
  const args = ["-n", ...(quiet ? ["-q"] : []), "-r", file, ...z];
  const ts = runTshark(args);
  const ax = runArpx(["read", ...args]);
  expect(ts.status, ts.stderr).toBe(0);
  expect(ax.stderr).toBe("");
  expect(ax.stdout, `${file} ${specs.join(" ")}`).toBe(ts.stdout);
}

const MODES = ["ascii", "hex", "raw", "yaml", "ebcdic"];

describe.skipIf(noTshark)("follow agrees with tshark on streams built here", () => {
  it("TCP: reordering, retransmissions, a missing gap, the sequence wrap, a cut segment, IPv6", () => {
    const file = writePcap("follow-tcp.pcap", tcpFrames());
    for (const stream of [0, 1, 2, 3]) expectSame(file, MODES.map((m) => `follow,tcp,${m},${stream}`));
    expectSame(file, ["follow,tcp,hex,0,3-6", "follow,tcp,ascii,0,2"]);
    expectSame(file, ["follow,tcp,yaml,10.0.0.2:47000,10.0.0.1:40000,4-9"]);
    expectSame(file, ["follow,tcp,raw,[fe80::2]:47001,[fe80::1]:1234"]);
  });

  it("UDP: every datagram a chunk, empty ones and ICMP-quoted ones as tshark, IPv6", () => {
    const file = writePcap("follow-udp.pcap", udpFrames());
    for (const stream of [0, 1, 2]) expectSame(file, MODES.map((m) => `follow,udp,${m},${stream}`));
    expectSame(file, ["follow,udp,hex,10.0.0.2:47002,10.0.0.1:5000", "follow,udp,yaml,[fe80::1]:46000,[fe80::2]:46001"]);
  });
});

/** Real captures and the streams worth following in them. */
const REAL: [string, string[]][] = [
  [join(SHARED_CAPTURES, "zeek-tcp-ssh-dups.pcap"), ["tcp,0"]], // 166 retransmissions / out-of-order
  [join(SHARED_CAPTURES, "zeek-tcp-retransmit-fast009.pcap"), ["tcp,0"]],
  [join(SHARED_CAPTURES, "zeek-tcp-missing-syn.pcap"), ["tcp,0"]],
  [join(SHARED_CAPTURES, "zeek-communityid-tcp.pcap"), ["tcp,0"]], // snaplen-cut segments
  [join(SHARED_CAPTURES, "zeek-ipv6-http-atomic-frag.pcap"), ["tcp,0", "tcp,1", "tcp,2"]], // IPv6
  [join(SHARED_CAPTURES, "zeek-tcp-tcp-fast-open.pcap"), ["tcp,0", "tcp,1"]], // data on SYN
  [join(SHARED_CAPTURES, "zeek-dns-mdns.pcap"), ["udp,0", "udp,1"]], // IPv6 UDP
  [join(SHARED_CAPTURES, "zeek-raw_packets.pcap"), ["tcp,0", "udp,0", "udp,1"]],
  [join(SHARED_CAPTURES, "zeek-icmp-icmp-timeexceeded.pcap"), ["udp,0"]], // quoted in an ICMP error only
  [join(SHARED_CAPTURES, "tcpdump-dns_tcp.pcap"), ["tcp,0"]],
  [join(OWN_CAPTURES, "tls-basics.pcapng"), ["tcp,0", "tcp,1"]],
  [join(OWN_CAPTURES, "lan-basics.pcapng"), ["tcp,0", "udp,0"]],
  [join(OWN_CAPTURES, "xarp-traffic.pcapng"), ["tcp,0", "udp,0", "udp,1"]], // 1000 retransmissions
  [join(OWN_CAPTURES, "xarp-legacy-gateway.pcapng"), ["tcp,0", "udp,1"]],
  [join(OWN_CAPTURES, "ip-fragments.pcapng"), ["udp,0", "udp,1"]],
];

describe.skipIf(noTshark)("follow agrees with tshark on real captures", () => {
  for (const [file, streams] of REAL) {
    it.skipIf(!existsSync(file))(file.split("/").pop()!, () => {
      // One run with every follow (tshark prints them last option first, as arpx does).
      expectSame(file, streams.flatMap((s) => MODES.map((m) => `follow,${s.replace(",", `,${m},`)}`)));
    });
  }

  it("prints the packets first, then the follow (no -q)", () => {
    for (const name of ["zeek-tcp-ssh-dups.pcap", "zeek-communityid-tcp.pcap", "zeek-dns-mdns.pcap"]) {
      const file = join(SHARED_CAPTURES, name);
      if (existsSync(file)) expectSame(file, ["follow,tcp,hex,0", "follow,udp,yaml,0"], false);
    }
  });
});
