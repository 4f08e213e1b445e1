import { describe, expect, it } from "vitest";
import { registerArpExtension } from "../../../src/dissect/protocols/arp.js";
import { decode, everyPrefixIsSafe, ETH_BCAST, hex } from "./l3-helpers.js";

const HDR = "0001 0800 06 04";
const MAC = "001122334455";
const arp = (op: string, sha: string, spa: string, tha: string, tpa: string) => hex(`${ETH_BCAST} 0806 ${HDR} ${op} ${sha} ${spa} ${tha} ${tpa}`);

describe("arp", () => {
  it("decodes a request and a reply", () => {
    const req = decode(arp("0001", MAC, "0a000002", "000000000000", "0a000001"));
    expect(req.p.info.toString()).toBe("Who has 10.0.0.1? Tell 10.0.0.2");
    expect(req.p.protocol).toBe("ARP");
    expect(req.v("arp.src.hw_mac")).toEqual(["00:11:22:33:44:55"]);
    expect(req.v("arp.dst.proto_ipv4")).toEqual(["10.0.0.1"]);
    expect(req.v("arp.isgratuitous")).toEqual([]);
    expect(req.text).toContain("Address Resolution Protocol (request)");
    expect(req.text).toContain("    Opcode: request (1)");
    const rep = decode(arp("0002", MAC, "0a000001", "665544332211", "0a000002"));
    expect(rep.p.info.toString()).toBe("10.0.0.1 is at 00:11:22:33:44:55");
  });

  it("tells gratuitous ARP, announcements and probes apart", () => {
    const ann = decode(arp("0001", MAC, "0a000001", "000000000000", "0a000001"));
    expect(ann.p.info.toString()).toBe("ARP Announcement for 10.0.0.1");
    expect(ann.v("arp.isannouncement")).toEqual(["1"]);
    expect(ann.v("arp.isgratuitous")).toEqual(["1"]);
    const grat = decode(arp("0001", MAC, "0a000001", "ffffffffffff", "0a000001"));
    expect(grat.p.info.toString()).toBe("Gratuitous ARP for 10.0.0.1 (Request)");
    expect(grat.text).toContain("Address Resolution Protocol (request/gratuitous ARP)");
    const probe = decode(arp("0001", MAC, "00000000", "000000000000", "0a000002"));
    expect(probe.p.info.toString()).toBe("Who has 10.0.0.2? (ARP Probe)");
    expect(probe.v("arp.isprobe")).toEqual(["1"]);
    const rarp = decode(arp("0003", MAC, "00000000", MAC, "00000000"));
    expect(rarp.p.protocol).toBe("RARP");
    expect(rarp.p.info.toString()).toBe("Who is 00:11:22:33:44:55? Tell 00:11:22:33:44:55");
  });

  it("uses the generic byte fields for other address sizes", () => {
    const { p, v } = decode(hex(`${ETH_BCAST} 0806 0001 0800 06 06 0001 ${MAC} 0a0000011f90 ${MAC} 0a0000021f90`));
    expect(v("arp.src.proto")).toEqual(["0a0000011f90"]);
    expect(v("arp.src.proto_ipv4")).toEqual([]);
    expect(p.info.toString()).toBe("Who has 0a0000021f90? Tell 0a0000011f90");
  });

  it("shows padding after the 28 ARP bytes", () => {
    const { v } = decode([...arp("0001", MAC, "0a000002", "000000000000", "0a000001"), ...new Array(18).fill(0)]);
    expect(v("eth.padding")).toEqual(["000000000000000000000000000000000000"]);
  });

  it("lets an extension claim frames before generic decoding", () => {
    let claimed = 0;
    registerArpExtension((d, off, hw, proto, ptype) => ptype === 0x0800 && proto === 7, (p, t, off) => {
      claimed++;
      p.protocol = "XARP-TEST";
      return off + 8;
    });
    const mine = decode(hex(`${ETH_BCAST} 0806 0001 0800 06 07 0001 ${MAC} 0a0000011f9000 ${MAC} 0a0000021f9000`));
    expect(claimed).toBe(1);
    expect(mine.p.protocol).toBe("XARP-TEST");
    const plain = decode(arp("0001", MAC, "0a000002", "000000000000", "0a000001"));
    expect(claimed).toBe(1);
    expect(plain.p.protocol).toBe("ARP");
  });

  it("never throws on truncated packets", () => {
    everyPrefixIsSafe(arp("0001", MAC, "0a000002", "000000000000", "0a000001"));
    everyPrefixIsSafe(hex(`${ETH_BCAST} 0806 ff00 8b01 ff ff 0004 0102`));
    const short = decode(arp("0001", MAC, "0a000002", "000000000000", "0a000001").slice(0, 30));
    expect(short.p.malformed).toBe(true);
    expect(short.v("arp.opcode")).toEqual(["1"]);
    expect(short.p.info.toString()).toBe("[Malformed Packet]");
  });
});
