import { describe, expect, it } from "vitest";
import { decode, everyPrefixIsSafe, ETH_BCAST, hex } from "./l3-helpers.js";

const SRC = "fe800000000000000211 22fffe334455"; // SLAAC from 00:11:22:33:44:55
const DST = "20010db8000000000000000000000002";

describe("ipv6", () => {
  it("decodes the header, address details and no-next-header", () => {
    const { p, v, text } = decode(hex(`${ETH_BCAST} 86dd 6fe12345 0004 3b 40 ${SRC} ${DST} deadbeef`));
    expect(v("frame.protocols")).toEqual(["eth:ethertype:ipv6:data"]);
    expect(v("ipv6.tclass.dscp")).toEqual(["63"]);
    expect(v("ipv6.plen")).toEqual(["4"]);
    expect(v("ipv6.addr")).toEqual(["fe80::211:22ff:fe33:4455", "2001:db8::2"]);
    expect(v("ipv6.src_slaac_mac")).toEqual(["00:11:22:33:44:55"]);
    expect(p.info.toString()).toBe("IPv6 no next header");
    expect(p.ipVersion).toBe(6);
    expect(text).toContain("Internet Protocol Version 6, Src: fe80::211:22ff:fe33:4455, Dst: 2001:db8::2");
    expect(text).toContain("    [Source SLAAC MAC: 00:11:22:33:44:55]");
  });

  it("walks hop-by-hop, routing, fragment and destination options headers", () => {
    const bytes = hex(`${ETH_BCAST} 86dd 60000000 0034 00 40 ${SRC} ${DST}
      2b00 0104 00000000
      2c02 00 01 00000000 20010db8000000000000000000000003
      3c00 0000 00000001
      fd00 0502 0000 0100
      aabbccdd`);
    const { p, v } = decode(bytes);
    expect(v("frame.protocols")).toEqual(["eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.fraghdr:ipv6.dstopts:data"]);
    expect(v("ipv6.hopopts.len_oct")).toEqual(["8"]);
    expect(v("ipv6.opt.type")).toEqual(["0x01", "0x05", "0x01"]);
    expect(v("ipv6.opt.header_mismatch")).toEqual(["1"]);
    expect(v("ipv6.routing.src.addr")).toEqual(["2001:db8::3"]);
    expect(v("ipv6.fraghdr.ident")).toEqual(["0x00000001"]);
    expect(p.info.toString()).toBe("Unknown IP Protocol: Unknown (253)");
    // Segments left: the destination column names the final hop.
    expect(p.dstOff).toBe(14 + 40 + 8 + 8);
  });

  it("does not hand fragments on", () => {
    const { p, v } = decode(hex(`${ETH_BCAST} 86dd 60000000 0010 2c 40 ${SRC} ${DST} 11000009 12345678 deadbeefdeadbeef`));
    expect(p.info.toString()).toBe("IPv6 fragment (off=8 more=y ident=0x12345678 nxt=17)");
    expect(v("frame.protocols")).toEqual(["eth:ethertype:ipv6:ipv6.fraghdr:data"]);
  });

  it("reports payload length problems", () => {
    const exceeds = decode(hex(`${ETH_BCAST} 86dd 60000000 0041 3b 40 ${SRC} ${DST} 00`));
    expect(exceeds.text).toContain("IPv6 payload length exceeds framing length (1 bytes)");
    const jumbo = decode(hex(`${ETH_BCAST} 86dd 60000000 0000 00 40 ${SRC} ${DST} 3b00 0102 0000 0000`));
    expect(jumbo.v("ipv6.opt.jumbo.missing")).toEqual(["1"]);
    expect(jumbo.p.info.toString()).toContain("Invalid IPv6 payload length");
  });

  it("disowns a non-6 version arriving by ethertype, as tshark", () => {
    const { p, v } = decode(hex(`${ETH_BCAST} 86dd 45000000 0000 11 40 ${SRC} ${DST}`));
    expect(v("frame.protocols")).toEqual(["eth:ethertype:data"]);
    expect(p.protocol).toBe("0x86dd");
    expect(v("ipv6.bogus_ipv6_version")).toEqual(["1"]);
  });

  it("never throws on truncated or lying extension headers", () => {
    everyPrefixIsSafe(hex(`${ETH_BCAST} 86dd 60000000 0030 00 40 ${SRC} ${DST}
      2bff 30040102 0304 2c30 0030 ff ff 3c00 c2040000ffff 3c00 0000 00000001`));
    everyPrefixIsSafe(hex(`${ETH_BCAST} 86dd 60000000 3030 2b 40 ${SRC} ${DST} 3bff 0430 3030 3030 3030`));
  });
});
