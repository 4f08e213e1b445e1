import { describe, expect, it } from "vitest";
import { decode, everyPrefixIsSafe, ETH_BCAST, hex } from "./l3-helpers.js";

// Ethernet + IPv4 (proto 253, unknown) + 4 bytes payload; header checksum left 0.
const IP_UNKNOWN = hex(`${ETH_BCAST} 0800 4500 0018 1234 4000 40fd 0000 0a000001 0a000002 deadbeef`);

describe("ipv4", () => {
  it("decodes the fixed header as tshark does", () => {
    const { p, v, text } = decode(IP_UNKNOWN);
    expect(v("frame.protocols")).toEqual(["eth:ethertype:ip:data"]);
    expect(v("ip.version")).toEqual(["4"]);
    expect(v("ip.hdr_len")).toEqual(["20"]);
    expect(v("ip.len")).toEqual(["24"]);
    expect(v("ip.id")).toEqual(["0x1234"]);
    expect(v("ip.flags.df")).toEqual(["1"]);
    expect(v("ip.proto")).toEqual(["253"]);
    expect(v("ip.checksum.status")).toEqual(["2"]);
    expect(v("ip.addr")).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(v("ip.src_host")).toEqual(["10.0.0.1"]);
    expect(p.protocol).toBe("IPv4");
    expect(p.info.toString()).toBe("Unknown (253)");
    expect(p.ipVersion).toBe(4);
    expect(text).toContain("Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2");
    expect(text).toContain("    010. .... = Flags: 0x2, Don't fragment");
    expect(text).toContain("    Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)");
    expect(text).toContain("    Protocol: Unknown (253)");
  });

  it("shows bytes past the total length as Ethernet trailer", () => {
    const { v } = decode([...IP_UNKNOWN, 1, 2, 3]);
    expect(v("data.len")).toEqual(["4"]);
    expect(v("eth.trailer")).toEqual(["010203"]);
  });

  it("does not hand fragments to the transport layer", () => {
    // MF set, UDP: data only, Info as tshark's unreassembled fragments.
    const { p, v } = decode(hex(`${ETH_BCAST} 0800 4500 001c 0042 2000 4011 0000 0a000001 0a000002 0001000200080000`));
    expect(v("frame.protocols")).toEqual(["eth:ethertype:ip:data"]);
    expect(p.info.toString()).toBe("Fragmented IP protocol (proto=UDP 17, off=0, ID=0042)");
    const later = decode(hex(`${ETH_BCAST} 0800 4500 001c 0042 0003 4011 0000 0a000001 0a000002 0001000200080000`));
    expect(later.p.info.toString()).toBe("Fragmented IP protocol (proto=UDP 17, off=24, ID=0042)");
    expect(later.v("ip.frag_offset")).toEqual(["3"]);
  });

  it("flags bogus header and total lengths and a bogus version", () => {
    const hl = decode(hex(`${ETH_BCAST} 0800 4400 0018 0000 0000 40fd 0000 0a000001 0a000002`));
    expect(hl.p.info.toString()).toBe("Bogus IP header length (16, must be at least 20)");
    expect(hl.v("ip.bogus_header_length")).toEqual(["1"]);
    const tl = decode(hex(`${ETH_BCAST} 0800 4500 0013 0000 0000 40fd 0000 0a000001 0a000002`));
    expect(tl.p.info.toString()).toBe("Bogus IP length (19, less than header length 20)");
    expect(tl.v("ip.src")).toEqual([]);
    const ver = decode(hex(`${ETH_BCAST} 0800 5500 0018 0000 0000 40fd 0000 0a000001 0a000002`));
    expect(ver.p.info.toString()).toBe("Bogus IPv4 version (5, must be 4)");
    expect(ver.v("ip.bogus_ip_version")).toEqual(["1"]);
  });

  it("reports a total length beyond the frame, then runs out of bytes as malformed", () => {
    const { p, v, text } = decode(hex(`${ETH_BCAST} 0800 4500 0054 0000 0000 40fd 0000 0a000001 0a00`));
    expect(v("ip.bogus_ip_length")).toEqual(["1"]);
    expect(text).toContain("IPv4 total length exceeds packet length (18 bytes)");
    expect(p.malformed).toBe(true);
    expect(text).toContain("[Malformed Packet: IPv4]");
    expect(p.srcKind).not.toBe(0);
  });

  it("decodes options, and takes the destination from a source route", () => {
    // Router alert, then loose source route with pointer 8: recorded 1.2.3.4, final 5.6.7.8.
    const { p, v, text } = decode(hex(`${ETH_BCAST} 0800 4900 0024 0000 0000 40fd 0000 0a000001 0a000002
      94040000 830b08 01020304 05060708 00`));
    expect(v("ip.opt.type")).toEqual(["148", "131", "0"]);
    expect(v("ip.opt.ra")).toEqual(["0"]);
    expect(v("ip.rec_rt")).toEqual(["1.2.3.4"]);
    expect(v("ip.dst")).toEqual(["5.6.7.8"]);
    expect(v("ip.cur_rt")).toEqual(["10.0.0.2"]);
    expect(p.ipDstOff).toBe(14 + 20 + 4 + 7);
    expect(text).toContain("    Options: (16 bytes), Router Alert, Loose Source Route");
    expect(text).toContain("IP Option - Router Alert (4 bytes): Router shall examine packet (0)");
    expect(text).toContain("Internet Protocol Version 4, Src: 10.0.0.1, Dst: 5.6.7.8, Via: 10.0.0.2");
  });

  it("warns about a short TTL and about 4 NOPs", () => {
    const { v } = decode(hex(`${ETH_BCAST} 0800 4600 0018 0000 0000 02fd 0000 0a000001 0a000002 01010101`));
    expect(v("ip.ttl.too_small")).toEqual(["1"]);
    expect(v("ip.nop")).toEqual(["1"]);
  });

  it("never throws on truncated or lying headers", () => {
    everyPrefixIsSafe(hex(`${ETH_BCAST} 0800 4f00 0040 0000 0000 40fd 0000 0a000001 0a000002
      830b04 01020304 05060708 00 44 0c 05 01 00000001 0000 0702 00 ff 30 000000`));
    everyPrefixIsSafe(hex(`${ETH_BCAST} 0800 4700 0018 0000 0000 40fd 0000 0a000001 0a000002 8801 0000 0000`));
  });
});
