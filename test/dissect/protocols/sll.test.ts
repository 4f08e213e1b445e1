import { describe, expect, it } from "vitest";
import { LINKTYPE } from "../../../src/dissect/linktypes.js";
import { decode, everyPrefixIsSafe, hex } from "./l3-helpers.js";

const ARP = "0001 0800 06 04 0001 001122334455 0a000001 000000000000 0a000002";

describe("sll", () => {
  it("decodes v1 with padding and sll.trailer, setting the source column", () => {
    const bytes = hex(`0001 0001 0006 001122334455 0000 0806 ${ARP} ${"00".repeat(16)} 0000`);
    const { p, v, text } = decode(bytes, LINKTYPE.LINUX_SLL);
    expect(v("frame.protocols")).toEqual(["sll:ethertype:arp"]);
    expect(v("sll.pkttype")).toEqual(["1"]);
    expect(v("sll.src.eth")).toEqual(["00:11:22:33:44:55"]);
    expect(v("sll.unused")).toEqual(["0000"]);
    expect(v("sll.etype")).toEqual(["0x0806"]);
    expect(v("eth.padding")).toEqual(["00".repeat(16)]);
    expect(v("sll.trailer")).toEqual(["0000"]);
    expect(p.info.toString()).toBe("Who has 10.0.0.2? Tell 10.0.0.1");
    expect(p.srcKind).not.toBe(0);
    expect(text).toContain("Linux cooked capture v1");
    expect(text).toContain("    Packet type: Broadcast (1)");
  });

  it("decodes v2 and 802.2 pseudo types", () => {
    const v2 = decode(hex(`0806 0000 00000003 0001 04 06 001122334455 0000 ${ARP}`), LINKTYPE.LINUX_SLL2);
    expect(v2.v("frame.protocols")).toEqual(["sll:ethertype:arp"]);
    expect(v2.v("sll.ifindex")).toEqual(["3"]);
    expect(v2.text).toContain("Linux cooked capture v2");
    const llc = decode(hex(`0004 0304 0000 0000000000000000 0004 fafa03 0102`), LINKTYPE.LINUX_SLL);
    expect(llc.v("frame.protocols")).toEqual(["sll:llc:data"]);
    expect(llc.v("sll.ltype")).toEqual(["0x0004"]);
  });

  it("never throws on truncated headers", () => {
    everyPrefixIsSafe(hex(`0001 0001 0006 001122334455 0000 0800 4500 0014`), LINKTYPE.LINUX_SLL);
    everyPrefixIsSafe(hex(`0800 0000 00000003 0001 04 06 001122334455 0000 4500`), LINKTYPE.LINUX_SLL2);
  });
});
