// IPv4 and IPv6 fragment reassembly: fragments built here (in order, backwards, duplicated,
// overlapping with other bytes, two tails, bytes past the end, interleaved datagrams, a late
// copy, a tunnel) are read by arpx and by tshark, which must print the same summary lines,
// frame.protocols and fragment fields; the recorded capture (captures/ip-fragments.pcapng) and
// the public ones with fragments too. The table's memory bound needs no tshark.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, OWN_CAPTURES, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { FragmentTable } from "../../../src/dissect/protocols/ip-reassembly.js";
import { A4, A6, B4, B6, cksum, eth, u16, u32, udp } from "./transport-build.js";
import { expectSameAsTshark, writePcap } from "./tshark-compare.js";

const FIELDS = [
  "ip.fragment", "ip.fragment.count", "ip.reassembled.length", "ip.fragments", "ip.fragment.overlap",
  "ip.fragment.overlap.conflict", "ip.fragment.multipletails", "ip.fragment.toolongfragment", "ip.fragment.error",
  "ipv6.fragment", "ipv6.fragment.count", "ipv6.reassembled.length", "ipv6.reassembled.data", "ipv6.fragment.overlap",
  "ipv6.src", "ipv6.dst", "data.len", "icmp.checksum.status", "icmp.seq", "icmpv6.checksum.status", "icmpv6.echo.sequence_number",
  "udp.length", "udp.srcport",
];

/** An ICMP echo request of `n` data bytes, checksum filled in. */
function echo4(seq: number, n: number): number[] {
  const m = [8, 0, 0, 0, ...u16(0x4242), ...u16(seq), ...Array.from({ length: n }, (_, i) => i & 0xff)];
  const c = cksum(m);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

/** An ICMPv6 echo request (checksum over the pseudo-header of A6 -> B6). */
function echo6(seq: number, n: number, src = A6, dst = B6): number[] {
  const m = [128, 0, 0, 0, ...u16(0x4343), ...u16(seq), ...Array.from({ length: n }, (_, i) => (i * 7) & 0xff)];
  const pseudo = [...src, ...dst, ...u32(m.length), 0, 0, 0, 58];
  const c = cksum([...pseudo, ...m]);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

/** One IPv4 fragment: `bytes` at byte `offset` of datagram `id`. */
function frag4(id: number, proto: number, offset: number, more: boolean, bytes: number[], src = A4, dst = B4): number[] {
  const h = [0x45, 0, ...u16(20 + bytes.length), ...u16(id), ...u16((more ? 0x2000 : 0) | (offset >> 3)), 64, proto, 0, 0, ...src, ...dst];
  const c = cksum(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return eth([...h, ...bytes]);
}

/** One IPv6 fragment: a fragment header right after the fixed header. */
function frag6(ident: number, next: number, offset: number, more: boolean, bytes: number[], src = A6, dst = B6): number[] {
  const fh = [next, 0, ...u16(offset | (more ? 1 : 0)), ...u32(ident)];
  return eth([0x60, 0, 0, 0, ...u16(8 + bytes.length), 44, 64, ...src, ...dst, ...fh, ...bytes], 0x86dd);
}

/** Cuts `d` at the given offsets (multiples of 8) into [offset, bytes, more] pieces. */
function cut(d: number[], at: number[]): [number, number[], boolean][] {
  const edges = [0, ...at, d.length];
  return edges.slice(0, -1).map((a, i) => [a, d.slice(a, edges[i + 1]), i < edges.length - 2]);
}

const PING = echo4(1, 60); // 68 bytes
const P4 = cut(PING, [24, 48]);
const v4 = (pieces: [number, number[], boolean][], id = 0x1234, proto = 1) => pieces.map(([o, b, m]) => frag4(id, proto, o, m, b));
const PING6 = echo6(1, 92); // 100 bytes
const P6 = cut(PING6, [32, 64]);
const v6 = (pieces: [number, number[], boolean][], ident = 0xabcd0001, next = 58) => pieces.map(([o, b, m]) => frag6(ident, next, o, m, b));
const flip = (b: number[]) => b.map((x) => x ^ 0xff);

export const SCENARIOS: Record<string, number[][]> = {
  "IPv4 in order": v4(P4),
  "IPv4 backwards": v4([...P4].reverse()),
  "IPv4 middle last": v4([P4[0]!, P4[2]!, P4[1]!]),
  "IPv4 a fragment twice before the datagram completes": v4([P4[0]!, P4[1]!, P4[1]!, P4[2]!]),
  "IPv4 an overlap with other bytes": v4([P4[0]!, [16, flip(PING.slice(16, 32)), true], P4[1]!, P4[2]!]),
  "IPv4 two tails that disagree": v4([P4[0]!, [48, PING.slice(48, 56), false], P4[2]!, P4[1]!]),
  "IPv4 bytes past the tail": v4([P4[0]!, [72, [1, 2, 3, 4, 5, 6, 7, 8], true], P4[1]!, P4[2]!]),
  "IPv4 a copy after the datagram completed": v4([...P4, P4[1]!]),
  "IPv4 two datagrams interleaved": [
    ...v4([P4[0]!]), ...v4([P4[0]!], 0x99), ...v4([P4[1]!, P4[2]!]), ...v4([P4[1]!, P4[2]!], 0x99),
  ],
  "IPv4 same ID, other protocol: two datagrams": [...v4([P4[0]!]), ...v4([P4[1]!], 0x1234, 17), ...v4([P4[1]!, P4[2]!])],
  "IPv4 UDP over fragments": v4(cut(udp(5000, 6000, Array.from({ length: 100 }, (_, i) => i)).concat([]), [56]), 0x77, 17),
  "IPv4 an empty fragment": [eth([0x45, 0, 0, 20, 0, 5, 0, 3, 64, 1, 0, 0, ...A4, ...B4]), ...v4(P4, 5)],
  "IPv6 in order": v6(P6),
  "IPv6 backwards": v6([...P6].reverse()),
  "IPv6 a fragment twice": v6([P6[0]!, P6[0]!, P6[1]!, P6[2]!]),
  "IPv6 destination options after the fragment header": v6(
    cut([58, 0, 1, 4, 0, 0, 0, 0, ...PING6], [40, 72]),
    0xabcd0002, 60,
  ),
  "IPv6 inside fragmented IPv4 (6in4)": v4(cut([0x60, 0, 0, 0, ...u16(PING6.length), 58, 64, ...A6, ...B6, ...PING6], [64]), 0x66, 41),
};

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: IP reassembly not compared with tshark");

describe.skipIf(skip)("IP fragments are reassembled as tshark does", () => {
  it.each(Object.keys(SCENARIOS))("%s", (name) => {
    const frames = SCENARIOS[name]!.map((f) => Uint8Array.from(f));
    const file = writePcap("frag.pcap", frames);
    expectSameAsTshark(file, FIELDS, frames.length);
  });

  it("shows the fragment list in the IP tree as tshark -V does", () => {
    for (const name of ["IPv4 an overlap with other bytes", "IPv4 two tails that disagree", "IPv6 in order", "IPv4 bytes past the tail"]) {
      const file = writePcap("frag.pcap", SCENARIOS[name]!.map((f) => Uint8Array.from(f)));
      const section = (out: string) => out.split("\n").filter((l) => /^ {4}\[|^ {8}\[|^ {12}\[/.test(l) && /Fragment|Frame: |Reassembled|overlap|tail|too long/i.test(l));
      const ts = section(runTshark(["-n", "-r", file, "-V"]).stdout);
      expect(ts.length, name).toBeGreaterThan(3);
      expect(section(runArpx(["read", "-r", file, "-V"]).stdout), name).toEqual(ts);
    }
  });

  it("on the recorded capture (captures/ip-fragments.pcapng)", () => {
    expectSameAsTshark(join(OWN_CAPTURES, "ip-fragments.pcapng"), [...FIELDS, "dns.count.answers", "dns.a"], 44);
  });

  it.skipIf(!HAVE_SHARED)("on the public captures with fragments", () => {
    for (const f of ["zeek-ipv4-fragmented-2.pcap", "zeek-ipv4-fragmented-4.pcap", "zeek-ipv6-http-atomic-frag.pcap"]) {
      const file = join(SHARED_CAPTURES, f);
      const n = runTshark(["-n", "-r", file]).stdout.split("\n").filter((l) => l).length;
      expectSameAsTshark(file, [...FIELDS, "tcp.seq", "tcp.stream", "http.request.uri"], n);
    }
  });
});
if (!HAVE_SHARED) console.warn("SKIPPED: ../shared/captures/public absent: public captures with fragments not compared");

describe("the fragment table", () => {
  const bytes = new Uint8Array(4096);

  it("keeps at most 4,096 datagrams waiting, dropping the oldest", () => {
    const t = new FragmentTable();
    for (let i = 0; i < 5000; i++) expect(t.add(`k${i}`, i + 1, bytes, 0, 8, 0, true)).toBeNull();
    expect(t.size).toBe(4096);
    // The oldest was dropped: its tail no longer completes it; a recent one's does.
    expect(t.add("k0", 6000, bytes, 0, 8, 8, false)).toBeNull();
    const dg = t.add("k4999", 6001, bytes, 0, 8, 8, false);
    expect(dg?.data.length).toBe(16);
    expect(dg?.frags.map((f) => f.frame)).toEqual([5000, 6001]);
  });

  it("holds at most 8 MiB of fragment bytes", () => {
    const t = new FragmentTable();
    for (let i = 0; i < 3000; i++) t.add(`k${i}`, i + 1, bytes, 0, 4096, 0, true);
    expect(t.heldBytes).toBeLessThanOrEqual(8 << 20);
    expect(t.size).toBe(2048);
  });

  it("a completed datagram leaves the table", () => {
    const t = new FragmentTable();
    t.add("a", 1, bytes, 0, 16, 0, true);
    expect(t.add("a", 2, bytes, 0, 16, 16, false)?.data.length).toBe(32);
    expect(t.size).toBe(0);
    expect(t.heldBytes).toBe(0);
  });
});
