import { describe, expect, it } from "vitest";
import { LINKTYPE } from "../../../src/dissect/linktypes.js";
import { decode, everyPrefixIsSafe, hex } from "./l3-helpers.js";

const IP = "4500 0018 0000 0000 40fd 0000 0a000001 0a000002 deadbeef";
const IP6 = "6000000000003b40 00000000000000000000000000000001 00000000000000000000000000000001";

describe("null/loopback and raw IP", () => {
  it("reads the NULL family in either byte order", () => {
    for (const h of ["02000000", "00000002"]) {
      const { v } = decode(hex(`${h} ${IP}`), LINKTYPE.NULL);
      expect(v("frame.protocols")).toEqual(["null:ip:data"]);
      expect(v("null.family")).toEqual(["2"]);
    }
    expect(decode(hex(`1e000000 ${IP6}`), LINKTYPE.NULL).v("frame.protocols")).toEqual(["null:ipv6"]);
    const et = decode(hex(`ffffffff 0102`), LINKTYPE.NULL);
    expect(et.v("null.type")).toEqual(["0xffff"]);
    const unk = decode(hex(`08000000 0102`), LINKTYPE.NULL);
    expect(unk.p.protocol).toBe("N/A");
    expect(unk.p.info.toString()).toBe("Null/Loopback");
  });

  it("reads LOOP in network byte order", () => {
    expect(decode(hex(`00000018 ${IP6}`), LINKTYPE.LOOP).v("frame.protocols")).toEqual(["null:ipv6"]);
    expect(decode(hex(`02000000 ${IP}`), LINKTYPE.LOOP).v("null.family")).toEqual(["33554432"]);
  });

  it("picks IPv4 or IPv6 from the version nibble for raw IP", () => {
    expect(decode(hex(IP), LINKTYPE.RAW).v("frame.protocols")).toEqual(["raw:ip:data"]);
    expect(decode(hex(IP6), LINKTYPE.RAW).v("frame.protocols")).toEqual(["raw:ipv6"]);
    expect(decode(hex(IP), LINKTYPE.IPV4).v("frame.protocols")).toEqual(["ip:data"]);
    expect(decode(hex(IP6), LINKTYPE.IPV6).v("frame.protocols")).toEqual(["ipv6"]);
    const bad = decode(hex(IP), LINKTYPE.IPV6);
    expect(bad.v("frame.protocols")).toEqual([""]);
    expect(bad.p.info.toString()).toBe("Bogus IPv6 version (4, must be 6)");
    const short = decode(hex("1234"), LINKTYPE.RAW);
    expect(short.p.malformed).toBe(true);
  });

  it("never throws on truncated frames", () => {
    everyPrefixIsSafe(hex(`02000000 ${IP}`), LINKTYPE.NULL);
    everyPrefixIsSafe(hex(IP6), LINKTYPE.RAW);
    everyPrefixIsSafe(hex(`00000018 ${IP6}`), LINKTYPE.LOOP);
  });
});
