import { describe, expect, it } from "vitest";
import { TreeMode } from "../../../src/dissect/tree.js";
import { A6, B6, eth, icmp6, ip6, run, u16, u32, udp } from "./transport-build.js";

const F = ["icmpv6.type", "icmpv6.code", "icmpv6.checksum.status", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number",
  "icmpv6.resp_to", "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.nd.na.flag.s",
  "icmpv6.nd.ra.cur_hop_limit", "icmpv6.nd.ra.flag.prf", "icmpv6.nd.ra.router_lifetime", "icmpv6.opt.type",
  "icmpv6.opt.length", "icmpv6.opt.linkaddr", "icmpv6.opt.src_linkaddr", "icmpv6.opt.target_linkaddr",
  "icmpv6.opt.prefix", "icmpv6.opt.prefix.length", "icmpv6.opt.mtu", "icmpv6.opt.rdnss", "icmpv6.opt.dnssl",
  "icmpv6.opt.nonce", "icmpv6.mtu", "icmpv6.mldr.nb_mcast_records", "icmpv6.mldr.mar.multicast_address",
  "icmpv6.mldr.mar.source_address", "icmpv6.mld.multicast_address", "udp.srcport", "ipv6.src", "data.len"];

const MAC = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
const TARGET = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3];
const MCAST = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb];

function frame(type: number, code: number, body: number[], src = A6, dst = B6, hop = 255) {
  return eth(ip6(src, dst, 58, icmp6(src, dst, type, code, body), hop), 0x86dd);
}

describe("icmpv6", () => {
  it("decodes echo request and reply with hop limit, verifies checksums, links the reply", () => {
    const rs = run([
      { bytes: frame(128, 0, [...u16(1), ...u16(3), 1, 2, 3, 4], A6, B6, 128) },
      { bytes: frame(129, 0, [...u16(1), ...u16(3), 1, 2, 3, 4], B6, A6, 47) },
    ], F);
    expect(rs[0]!.protocol).toBe("ICMPv6");
    expect(rs[0]!.info).toBe("Echo (ping) request id=0x0001, seq=3, hop limit=128");
    expect(rs[0]!.f["icmpv6.checksum.status"]).toBe("1");
    expect(rs[0]!.f["data.len"]).toBe("4");
    expect(rs[1]!.info).toBe("Echo (ping) reply id=0x0001, seq=3, hop limit=47 (request in 1)");
    expect(rs[1]!.f["icmpv6.resp_to"]).toBe("1");
  });

  it("flags a bad checksum", () => {
    const b = frame(128, 0, [0, 1, 0, 1]);
    b[14 + 40 + 2] ^= 0x55;
    const [r] = run([{ bytes: b }], F);
    expect(r!.f["icmpv6.checksum.status"]).toBe("0");
    expect(r!.experts[0]).toMatch(/^Bad checksum \[should be 0x[0-9a-f]{4}\]$/);
  });

  it("decodes neighbor solicitation and advertisement with link-layer options", () => {
    const rs = run([
      { bytes: frame(135, 0, [0, 0, 0, 0, ...TARGET, 1, 1, ...MAC]) },
      { bytes: frame(136, 0, [0x60, 0, 0, 0, ...TARGET, 2, 1, ...MAC]) },
    ], F);
    expect(rs[0]!.info).toBe("Neighbor Solicitation for fe80::3 from 00:11:22:33:44:55");
    expect(rs[0]!.f["icmpv6.nd.ns.target_address"]).toBe("fe80::3");
    expect(rs[0]!.f["icmpv6.opt.linkaddr"]).toBe("00:11:22:33:44:55");
    expect(rs[0]!.f["icmpv6.opt.src_linkaddr"]).toBe("00:11:22:33:44:55");
    expect(rs[1]!.info).toBe("Neighbor Advertisement fe80::3 (sol, ovr) is at 00:11:22:33:44:55");
    expect(rs[1]!.f["icmpv6.nd.na.flag.s"]).toBe("1");
    expect(rs[1]!.f["icmpv6.opt.target_linkaddr"]).toBe("00:11:22:33:44:55");
  });

  it("decodes a router advertisement with prefix, MTU, RDNSS and DNSSL options", () => {
    const prefix = [0xfd, 0x8d, 0x4f, 0xb3, 0x5b, 0x2e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const dns = [...prefix.slice(0, 15), 1];
    const body = [64, 0x08, ...u16(1800), ...u32(0), ...u32(0),
      1, 1, ...MAC,
      5, 1, 0, 0, ...u32(1500),
      3, 4, 64, 0xc0, ...u32(7200), ...u32(1800), 0, 0, 0, 0, ...prefix,
      25, 3, 0, 0, ...u32(1800), ...dns,
      31, 2, 0, 0, ...u32(1800), 3, 0x6c, 0x61, 0x6e, 0, 0, 0, 0];
    const [r] = run([{ bytes: frame(134, 0, body) }], F);
    expect(r!.info).toBe("Router Advertisement from 00:11:22:33:44:55");
    expect(r!.f["icmpv6.nd.ra.flag.prf"]).toBe("1");
    expect(r!.f["icmpv6.nd.ra.router_lifetime"]).toBe("1800");
    expect(r!.f["icmpv6.opt.type"]).toBe("1,5,3,25,31");
    expect(r!.f["icmpv6.opt.mtu"]).toBe("1500");
    expect(r!.f["icmpv6.opt.prefix"]).toBe("fd8d:4fb3:5b2e::");
    expect(r!.f["icmpv6.opt.rdnss"]).toBe("fd8d:4fb3:5b2e::1");
    expect(r!.f["icmpv6.opt.dnssl"]).toBe("lan");
    expect(r!.malformed).toBe(false);
  });

  it("stops at a zero-length option instead of looping", () => {
    const [r] = run([{ bytes: frame(133, 0, [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, ...MAC]) }], F);
    expect(r!.experts).toContain("Invalid option length (Zero)");
    expect(r!.f["icmpv6.opt.type"]).toBe("1");
  });

  it("marks an option longer than the message as malformed", () => {
    const [r] = run([{ bytes: frame(133, 0, [0, 0, 0, 0, 1, 4, ...MAC]) }], F);
    expect(r!.malformed).toBe(true);
    expect(r!.info).toBe("Router Solicitation[Malformed Packet]");
  });

  it("decodes MLDv2 reports", () => {
    const body = [0, 0, ...u16(1), 4, 0, ...u16(1), ...MCAST, ...A6];
    const [r] = run([{ bytes: frame(143, 0, body) }], F);
    expect(r!.info).toBe("Multicast Listener Report Message v2");
    expect(r!.f["icmpv6.mldr.nb_mcast_records"]).toBe("1");
    expect(r!.f["icmpv6.mldr.mar.multicast_address"]).toBe("ff02::fb");
    expect(r!.f["icmpv6.mldr.mar.source_address"]).toBe("fe80::1");
  });

  it("dissects the packet quoted in an error message", () => {
    const inner = ip6(B6, A6, 17, udp(5353, 5353, [1, 2]));
    const [r] = run([{ bytes: frame(2, 0, [...u32(1280), ...inner]) }], F);
    expect(r!.info).toBe("Packet Too Big");
    expect(r!.f["icmpv6.mtu"]).toBe("1280");
    expect(r!.f["ipv6.src"]).toBe("fe80::1,fe80::2");
    expect(r!.f["udp.srcport"]).toBe("5353");
    expect(r!.protocol).toBe("ICMPv6");
  });

  it("builds a detail tree", () => {
    const rs = run([{ bytes: frame(135, 0, [0, 0, 0, 0, ...TARGET, 1, 1, ...MAC]) }], [], TreeMode.FULL);
    expect(rs[0]!.malformed).toBe(false);
  });
});
