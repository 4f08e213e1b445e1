import { describe, expect, it } from "vitest";
import { TreeMode } from "../../../src/dissect/tree.js";
import { A4, B4, C4, A6, B6, eth, ip4, ip6, run, udp } from "./transport-build.js";

const F = ["udp.srcport", "udp.dstport", "udp.port", "udp.length", "udp.checksum", "udp.checksum.status",
  "udp.stream", "udp.time_relative", "udp.time_delta", "udp.payload", "data.data"];

describe("udp", () => {
  it("decodes the header, payload and Info like tshark", () => {
    const [r] = run([{ bytes: eth(ip4(A4, B4, 17, udp(12345, 31337, [0x31, 0x32, 0x33], { checksum: 0xfe21 }))) }], F);
    expect(r!.protocol).toBe("UDP");
    expect(r!.info).toBe("12345 \u2192 31337 Len=3");
    expect(r!.f["udp.srcport"]).toBe("12345");
    expect(r!.f["udp.port"]).toBe("12345,31337");
    expect(r!.f["udp.length"]).toBe("11");
    expect(r!.raw["udp.checksum"]).toEqual([0xfe21]);
    expect(r!.f["udp.checksum.status"]).toBe("2");
    expect(r!.raw["udp.payload"]).toEqual([[0x31, 0x32, 0x33]]);
    expect(r!.raw["data.data"]).toEqual([[0x31, 0x32, 0x33]]);
    expect(r!.layers).toBe("eth:ethertype:ip:udp:data");
  });

  it("numbers streams per address/port pair in either direction and times them", () => {
    const rs = run([
      { bytes: eth(ip4(A4, B4, 17, udp(1000, 2000, [1]))), sec: 10, nsec: 0 },
      { bytes: eth(ip4(B4, A4, 17, udp(2000, 1000, [1]))), sec: 10, nsec: 500_000_000 },
      { bytes: eth(ip4(A4, C4, 17, udp(1000, 2000, [1]))), sec: 11, nsec: 0 },
      { bytes: eth(ip4(A4, B4, 17, udp(1000, 2000, [1]))), sec: 12, nsec: 0 },
      { bytes: eth(ip6(A6, B6, 17, udp(1000, 2000, [1])), 0x86dd), sec: 12, nsec: 0 },
    ], F);
    expect(rs.map((r) => r.f["udp.stream"])).toEqual(["0", "0", "1", "0", "2"]);
    expect(rs[1]!.raw["udp.time_relative"]).toEqual([0.5]);
    expect(rs[3]!.raw["udp.time_relative"]).toEqual([2]);
    expect(rs[3]!.raw["udp.time_delta"]).toEqual([1.5]);
  });

  it("hands off by the lower port first (DNS on 53)", () => {
    const q = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1];
    const [r] = run([{ bytes: eth(ip4(A4, B4, 17, udp(40000, 53, q))) }], F);
    expect(r!.layers).toBe("eth:ethertype:ip:udp:dns");
    expect(r!.protocol).toBe("DNS");
  });

  it("flags a length below 8 and stops", () => {
    const [r] = run([{ bytes: eth(ip4(A4, B4, 17, udp(1, 2, [9, 9], { length: 4 }))) }], ["udp.length", "udp.checksum", "udp.length.bad"]);
    expect(r!.info).toBe("1 \u2192 2 [BAD UDP LENGTH 4 < 8]");
    expect(r!.experts).toContain("Bad length value 4 < 8");
    expect(r!.f["udp.checksum"]).toBe("");
    expect(r!.malformed).toBe(false);
  });

  it("flags a length past the IP payload but still decodes", () => {
    const [r] = run([{ bytes: eth(ip4(A4, B4, 17, udp(1, 2, [9, 9], { length: 30 }))) }], F);
    expect(r!.info).toBe("1 \u2192 2 [BAD UDP LENGTH 30 > IP PAYLOAD LENGTH] Len=22");
    expect(r!.experts).toContain("Bad length value 30 > IP payload length");
    expect(r!.raw["udp.payload"]).toEqual([[9, 9]]);
  });

  it("cuts the payload at the UDP length (trailing bytes are not the payload's)", () => {
    const [r] = run([{ bytes: eth(ip4(A4, B4, 17, udp(1, 2, [1, 2, 3, 4], { length: 10 }))) }], F);
    expect(r!.raw["data.data"]).toEqual([[1, 2]]);
    expect(r!.info).toBe("1 \u2192 2 Len=2");
  });

  it("reports a zero checksum as not present over IPv4 and illegal over IPv6", () => {
    const rs = run([
      { bytes: eth(ip4(A4, B4, 17, udp(1, 2, [1], { checksum: 0 }))) },
      { bytes: eth(ip6(A6, B6, 17, udp(1, 2, [1], { checksum: 0 })), 0x86dd) },
    ], ["udp.checksum.status", "udp.checksum.zero"]);
    expect(rs[0]!.f["udp.checksum.status"]).toBe("3");
    expect(rs[1]!.f["udp.checksum.status"]).toBe("4");
    expect(rs[1]!.info).toContain("[ILLEGAL CHECKSUM (0)]");
  });

  it("decodes a snaplen-cut header as far as it goes", () => {
    const full = eth(ip4(A4, B4, 17, udp(5353, 5353, [1, 2, 3])));
    const [r] = run([{ bytes: full.slice(0, 14 + 20 + 5), wire: full.length }], F);
    expect(r!.short).toBe(true);
    expect(r!.malformed).toBe(false);
    expect(r!.f["udp.srcport"]).toBe("5353");
    expect(r!.f["udp.length"]).toBe("");
  });

  it("builds a detail tree without throwing", () => {
    const rs = run([{ bytes: eth(ip4(A4, B4, 17, udp(1, 2, [1, 2]))) }], [], TreeMode.FULL);
    expect(rs[0]!.malformed).toBe(false);
  });
});
