import { describe, expect, it } from "vitest";
import { decode, everyPrefixIsSafe, ETH_BCAST, hex } from "./l3-helpers.js";

const ARP = "0001 0800 06 04 0001 001122334455 0a000002 000000000000 0a000001";

describe("vlan", () => {
  it("decodes 802.1Q with a trailer after the payload", () => {
    const { p, v, text } = decode(hex(`${ETH_BCAST} 8100 b064 0806 ${ARP} ${"00".repeat(14)} deadbeef`));
    expect(v("frame.protocols")).toEqual(["eth:ethertype:vlan:ethertype:arp"]);
    expect(v("vlan.priority")).toEqual(["5"]);
    expect(v("vlan.dei")).toEqual(["1"]);
    expect(v("vlan.id")).toEqual(["100"]);
    expect(v("vlan.etype")).toEqual(["0x0806"]);
    expect(v("eth.padding")).toEqual(["00".repeat(14)]);
    expect(v("vlan.trailer")).toEqual(["deadbeef"]);
    expect(p.info.toString()).toBe("Who has 10.0.0.1? Tell 10.0.0.2");
    expect(text).toContain("802.1Q Virtual LAN, PRI: 5, DEI: 1, ID: 100");
    expect(text).toContain("    101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)");
  });

  it("decodes QinQ (802.1ad outer tag)", () => {
    const { v, text } = decode(hex(`${ETH_BCAST} 88a8 00c8 8100 07d1 0806 ${ARP}`));
    expect(v("frame.protocols")).toEqual(["eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp"]);
    expect(v("ieee8021ad.id")).toEqual(["200"]);
    expect(v("ieee8021ah.etype")).toEqual(["0x8100"]);
    expect(v("vlan.id")).toEqual(["2001"]);
    expect(text).toContain("IEEE 802.1ad, ID: 200");
  });

  it("hands an 802.3 length to LLC", () => {
    const { v } = decode(hex(`${ETH_BCAST} 8100 0001 0006 fafa03 010203 0102`));
    expect(v("frame.protocols")).toEqual(["eth:ethertype:vlan:llc:data"]);
    expect(v("vlan.len")).toEqual(["6"]);
    expect(v("vlan.trailer")).toEqual(["0102"]);
  });

  it("sets its columns and survives truncation", () => {
    const { p } = decode(hex(`${ETH_BCAST} 8100 e001`));
    expect(p.protocol).toBe("VLAN");
    expect(p.info.toString()).toContain("PRI: 7  DEI: 0  ID: 1");
    everyPrefixIsSafe(hex(`${ETH_BCAST} 88a8 00c8 8100 07d1 8100 0001 0800 4500`));
  });

  it("stops at an absurd number of nested tags", () => {
    const { v } = decode(hex(`${ETH_BCAST} ${"8100 0001 ".repeat(30)} 0800`));
    expect(v("vlan.too_many_tags")).toEqual(["1"]);
  });
});
