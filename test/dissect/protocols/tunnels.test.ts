// GRE (IP protocol 47) and VXLAN (UDP 4789): frames built here are read by arpx and by tshark,
// which must print the same summary lines (the inner packet's columns), frame.protocols and
// gre.* / vxlan.* / inner address fields; every prefix of every frame decodes without an error
// other than the Tree's bounds signals.
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, runArpx, runTshark, skipReason } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { A4, A6, B4, B6, C4, cksum, eth, icmp, icmp6, ip4, ip6, u16, u32, udp } from "./transport-build.js";
import { expectSameAsTshark, writePcap } from "./tshark-compare.js";

const D4 = [10, 0, 0, 4];
const ECHO = icmp(8, 0, [...u16(0x4242), ...u16(1)], Array.from({ length: 32 }, (_, i) => i));
const INNER4 = ip4(C4, D4, 1, ECHO);
const INNER6 = ip6(A6, B6, 58, icmp6(A6, B6, 128, 0, [...u16(7), ...u16(1), 1, 2, 3, 4]));
const INNER_UDP = ip4(C4, D4, 17, udp(5000, 6000, [...Buffer.from("hello")]));
const MAC_A = [2, 0, 0, 0, 0, 1];
const MAC_B = [2, 0, 0, 0, 0, 2];
/** An inner Ethernet frame (02:..:01 -> 02:..:02). */
const innerEth = (payload: number[], type = 0x0800) => [...MAC_B, ...MAC_A, ...u16(type), ...payload];
const ARP_REQ = [0, 1, 8, 0, 6, 4, 0, 1, ...MAC_A, ...C4, 0, 0, 0, 0, 0, 0, ...D4];

interface GreOpts {
  checksum?: number | "good";
  routing?: number[];
  key?: number;
  seq?: number;
  ack?: number;
  offset?: number;
}

/** A GRE header (flags as given, so tests can lie) and payload; "good" computes the checksum. */
function gre(flags: number, type: number, payload: number[], o: GreOpts = {}): number[] {
  const h = [...u16(flags), ...u16(type)];
  if (o.checksum !== undefined || o.routing) h.push(0, 0, ...u16(o.offset ?? 0));
  if (o.key !== undefined) h.push(...u32(o.key));
  if (o.seq !== undefined) h.push(...u32(o.seq));
  if (o.ack !== undefined) h.push(...u32(o.ack));
  if (o.routing) h.push(...o.routing);
  const m = [...h, ...payload];
  if (o.checksum !== undefined) {
    const c = o.checksum === "good" ? cksum(m) : o.checksum;
    m[4] = c >> 8;
    m[5] = c & 0xff;
  }
  return m;
}

/** GRE in IPv4 (A4 -> B4) in Ethernet. */
const gre4 = (g: number[]) => eth(ip4(A4, B4, 47, g));

/** A VXLAN header (flags, group policy ID, VNI, reserved) and payload, in UDP in IPv4. */
function vxlan(flags: number, vni: number, payload: number[], gbp = 0, reserved = 0, sport = 40000): number[] {
  return eth(ip4(A4, B4, 17, udp(sport, 4789, [...u16(flags), ...u16(gbp), ...u32(((vni << 8) | reserved) >>> 0), ...payload], { checksum: 0 })));
}

type Frame = number[] | [number[], number];

const GRE_FRAMES: Record<string, Frame> = {
  "IPv4 carrying an ICMP echo": gre4(gre(0, 0x0800, INNER4)),
  "checksum, key and sequence number": gre4(gre(0xb000, 0x0800, INNER4, { checksum: "good", key: 0x1234abcd, seq: 7 })),
  "a wrong checksum": gre4(gre(0x8000, 0x0800, INNER4, { checksum: 0 })),
  "a checksum over bytes the snaplen cut (unverified)": [gre4(gre(0x8000, 0x0800, INNER4, { checksum: "good" })).slice(0, 70), 102],
  "IPv6 carrying an ICMPv6 echo": gre4(gre(0x2000, 0x86dd, INNER6, { key: 5 })),
  "transparent Ethernet bridging": gre4(gre(0x2000, 0x6558, innerEth(INNER4), { key: 0x10 })),
  "transparent Ethernet bridging, inner UDP": gre4(gre(0, 0x6558, innerEth(INNER_UDP))),
  "ARP": gre4(gre(0, 0x0806, ARP_REQ)),
  "an unknown protocol type": gre4(gre(0, 0xabcd, [1, 2, 3, 4, 5, 6, 7, 8])),
  "a VLAN tag (not in GRE's table)": gre4(gre(0, 0x8100, [0, 5, 8, 0, ...INNER4])),
  "a keepalive without payload": gre4(gre(0, 0x0000, [])),
  "reserved bits, recursion, strict source route, version 2": gre4(gre(0x0ffa, 0x0800, INNER4)),
  "routing entries (RFC 1701)": gre4(gre(0x4000, 0x0800, INNER4, { routing: [...u16(0x0800), 0, 4, ...C4, 0, 0, 0, 0] })),
  "WCCP carrying IPv4 directly": gre4(gre(0, 0x883e, INNER4)),
  "WCCP2 redirect header": gre4(gre(0, 0x883e, [1, 2, 3, 4, ...INNER4])),
  "enhanced GRE (PPTP) acknowledgment only": gre4(gre(0x2081, 0x880b, [], { key: 0x00000063, ack: 9 })),
  "enhanced GRE carrying IPv4": gre4(gre(0x3001, 0x0800, INNER4, { key: 0x00100063, seq: 4 })),
  "version 0 PPP type with the A bit (not enhanced)": gre4(gre(0x0080, 0x880b, [])),
  "type IPv4 carrying IPv6": gre4(gre(0, 0x0800, INNER6)),
  "type IPv6 carrying IPv4 (refused by IPv6)": gre4(gre(0, 0x86dd, INNER4)),
  "GRE over IPv6": eth(ip6(A6, B6, 47, gre(0x8000, 0x0800, INNER4, { checksum: "good" })), 0x86dd),
  "truncated: one byte": gre4([0x20]),
  "truncated: flags ask for fields past the end": gre4(gre(0xb000, 0x0800, []).slice(0, 10)),
  "truncated: sequence number and no payload": gre4(gre(0x1000, 0x0800, [], { seq: 1 })),
  "truncated: inner Ethernet of 10 bytes": gre4(gre(0, 0x6558, innerEth(INNER4).slice(0, 10))),
  "truncated: inner Ethernet of 12 bytes": gre4(gre(0, 0x6558, innerEth(INNER4).slice(0, 12))),
  "truncated: routing entry past the end": gre4(gre(0x4000, 0x0800, [], { routing: [0, 1, 0, 200, 1, 2] })),
  "snaplen inside the GRE header": [gre4(gre(0x3000, 0x0800, INNER4, { key: 1, seq: 2 })).slice(0, 44), 114],
  "snaplen right after the GRE header": [gre4(gre(0x1000, 0x0800, INNER4, { seq: 2 })).slice(0, 42), 102],
};

const VXLAN_FRAMES: Record<string, Frame> = {
  "Ethernet / IPv4 / UDP": vxlan(0x0800, 4242, innerEth(INNER_UDP)),
  "Ethernet / IPv4 / ICMP echo": vxlan(0x0800, 1, innerEth(INNER4)),
  "group policy, don't learn, policy applied, reserved byte": vxlan(0x8848, 0xffffff, innerEth(INNER4), 0x1234, 0x55),
  "every flag bit": vxlan(0xffff, 7, innerEth([1, 2, 3], 0x9999)),
  "no flags": vxlan(0, 0, innerEth(ARP_REQ, 0x0806)),
  "inner IPv6": vxlan(0x0800, 99, innerEth(INNER6, 0x86dd)),
  "inner VLAN tag": vxlan(0x0800, 99, innerEth([0, 7, 8, 0, ...INNER4], 0x8100)),
  "truncated: no inner frame": vxlan(0x0800, 1, []),
  "truncated: three bytes of VXLAN": eth(ip4(A4, B4, 17, udp(40000, 4789, [8, 0, 0]))),
  "truncated: inner Ethernet of 10 bytes": vxlan(0x0800, 1, innerEth(INNER4).slice(0, 10)),
  "snaplen inside the VXLAN header": [vxlan(0x0800, 1, innerEth(INNER4)).slice(0, 46), 124],
  "snaplen inside the inner Ethernet header": [vxlan(0x0800, 1, innerEth(INNER4)).slice(0, 60), 124],
};

const GRE_FIELDS = [
  "gre", "gre.flags_and_version", "gre.flags.checksum", "gre.flags.routing", "gre.flags.key", "gre.flags.sequence_number",
  "gre.flags.strict_source_route", "gre.flags.recursion_control", "gre.flags.ack", "gre.flags.reserved", "gre.flags.version",
  "gre.proto", "gre.checksum", "gre.checksum.status", "gre.offset", "gre.key", "gre.key.payload_length", "gre.key.call_id",
  "gre.sequence_number", "gre.ack_number", "gre.routing", "gre.routing.address_family", "gre.routing.sre_offset",
  "gre.routing.src_length", "gre.routing.information", "gre.wccp.redirect_header", "gre.wccp.dynamic_service",
  "gre.wccp.alternative_bucket_used", "gre.wccp.redirect_header_valid", "gre.wccp.service_id",
  "gre.wccp.alternative_bucket", "gre.wccp.primary_bucket", "gre.checksum.incorrect",
  "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "eth.src", "eth.dst", "eth.type", "data.len", "icmp.type", "arp.dst.proto_ipv4",
];
const VXLAN_FIELDS = [
  "vxlan", "vxlan.flags", "vxlan.flag_g", "vxlan.flag_i", "vxlan.flag_d", "vxlan.flag_a", "vxlan.flags_reserved",
  "vxlan.gbp", "vxlan.vni", "vxlan.reserved8", "eth.src", "eth.dst", "eth.type", "eth.trailer", "ip.src", "ip.dst",
  "ipv6.src", "udp.srcport", "udp.dstport", "icmp.type", "data.len", "vlan.id",
];

const bytesOf = (f: Frame) => Uint8Array.from(Array.isArray(f[0]) ? f[0] : (f as number[]));
const toPcap = (f: Frame): Uint8Array | [Uint8Array, number] => (Array.isArray(f[0]) ? [bytesOf(f), f[1] as number] : bytesOf(f));

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: GRE and VXLAN not compared with tshark");

describe.skipIf(skip)("GRE and VXLAN as tshark shows them", () => {
  it.each(Object.keys(GRE_FRAMES))("GRE: %s", (name) => {
    expectSameAsTshark(writePcap("gre.pcap", [toPcap(GRE_FRAMES[name]!)]), GRE_FIELDS, 1);
  });

  it.each(Object.keys(VXLAN_FRAMES))("VXLAN: %s", (name) => {
    expectSameAsTshark(writePcap("vxlan.pcap", [toPcap(VXLAN_FRAMES[name]!)]), VXLAN_FIELDS, 1);
  });

  it("prints the GRE and VXLAN items of the detail tree as tshark -V does", () => {
    const frames = [
      GRE_FRAMES["checksum, key and sequence number"]!, GRE_FRAMES["a wrong checksum"]!,
      GRE_FRAMES["enhanced GRE (PPTP) acknowledgment only"]!, GRE_FRAMES["routing entries (RFC 1701)"]!,
      GRE_FRAMES["WCCP2 redirect header"]!, GRE_FRAMES["an unknown protocol type"]!,
      VXLAN_FRAMES["group policy, don't learn, policy applied, reserved byte"]!, VXLAN_FRAMES["every flag bit"]!,
    ];
    const file = writePcap("tunnels.pcap", frames.map(toPcap));
    // The GRE and VXLAN sections: from their item to the next top-level item (expert details
    // and hex dumps of data aside, which arpx prints differently everywhere).
    const sections = (out: string) => {
      const keep: string[] = [];
      let inside = false;
      for (const l of out.split("\n")) {
        if (/^\d{4} |^$/.test(l)) continue;
        if (!l.startsWith(" ")) inside = /^(Generic Routing|Virtual eXtensible)/.test(l);
        if (inside && !/^ +\[(Incorrect GRE|Severity|Group)/.test(l)) keep.push(l);
      }
      return keep;
    };
    const ts = sections(runTshark(["-n", "-r", file, "-V"]).stdout);
    expect(ts.length).toBeGreaterThan(80);
    expect(sections(runArpx(["read", "-r", file, "-V"]).stdout)).toEqual(ts);
  });
});

describe("GRE and VXLAN without tshark", () => {
  it("decodes the GRE header and the inner packet", () => {
    const r = decode(GRE_FRAMES["checksum, key and sequence number"] as number[]);
    expect(r.p.layers.join(":")).toBe("eth:ethertype:ip:gre:ip:icmp:data");
    expect(r.v("gre.key")).toEqual(["0x1234abcd"]);
    expect(r.v("gre.sequence_number")).toEqual(["7"]);
    expect(r.v("gre.checksum.status")).toEqual(["1"]);
    expect(r.v("ip.src")).toEqual(["10.0.0.1", "10.0.0.3"]);
    expect(r.p.protocol).toBe("ICMP");
    expect(r.text).toContain("Generic Routing Encapsulation (IP)\n");
  });

  it("flags a wrong checksum with what it should be", () => {
    const r = decode(GRE_FRAMES["a wrong checksum"] as number[]);
    expect(r.v("gre.checksum.status")).toEqual(["0"]);
    expect(r.p.experts.map((e) => e.text)).toEqual(["Incorrect GRE Checksum [should be 0x" + cksum(gre(0x8000, 0x0800, INNER4, { checksum: 0 })).toString(16).padStart(4, "0") + "]"]);
  });

  it("decodes VXLAN and the inner Ethernet frame", () => {
    const r = decode(VXLAN_FRAMES["group policy, don't learn, policy applied, reserved byte"] as number[]);
    expect(r.p.layers.join(":")).toBe("eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data");
    expect(r.v("vxlan.vni")).toEqual(["16777215"]);
    expect(r.v("vxlan.gbp")).toEqual(["4660"]);
    expect(r.v("eth.src")).toEqual(["66:77:88:99:aa:bb", "02:00:00:00:00:01"]);
    expect(r.text).toContain("Flags: 0x8848, GBP Extension, VXLAN Network ID (VNI), Don't Learn, Policy Applied\n");
  });

  it("keeps the outer addresses when the inner Ethernet header is cut before the source", () => {
    const r = decode(GRE_FRAMES["truncated: inner Ethernet of 10 bytes"] as number[]);
    expect(r.p.malformed).toBe(true);
    expect(r.p.protocol).toBe("Ethernet");
    expect(r.p.layers.join(":")).toBe("eth:ethertype:ip:gre:eth");
  });

  it.each([...Object.entries(GRE_FRAMES), ...Object.entries(VXLAN_FRAMES)])("every prefix decodes safely: %s", (_, f) => {
    everyPrefixIsSafe(Array.from(bytesOf(f)));
  });
});
