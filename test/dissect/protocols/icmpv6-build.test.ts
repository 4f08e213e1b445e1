import { describe, expect, it } from "vitest";
import { build, payloadLayer } from "../../../src/dissect/build.js";
import { icmpv6Layer, NA_FLAG_OVERRIDE, NA_FLAG_ROUTER, NA_FLAG_SOLICITED, ndNaBody, ndNsBody } from "../../../src/dissect/protocols/icmpv6.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ETH, IP4, IP6, IP6_A, IP6_B, IP_A, IP_B, MAC_A, MAC_B, dissect, eth4, eth6, hex, pseudoChecksumOk, testIpv4, testIpv6 } from "./build-helpers.js";

const F = ["icmpv6.type", "icmpv6.code", "icmpv6.checksum", "icmpv6.checksum.status", "icmpv6.reserved",
  "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.nd.na.flag", "icmpv6.nd.na.flag.r",
  "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.opt.type", "icmpv6.opt.length", "icmpv6.opt.linkaddr",
  "icmpv6.opt.src_linkaddr", "icmpv6.opt.target_linkaddr", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number",
  "data.data", "ipv6.plen"];

const TARGET = Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3);
// Neighbor Solicitation fe80::1 -> fe80::2 for fe80::3 with a source link-layer address option
// (02:00:00:00:00:01), checksum over the IPv6 pseudo header.
const FIXTURE = hex(`87 00 7a 1a 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 03
  01 01 02 00 00 00 00 01`);

function frame(...layers: Parameters<typeof build>[0]) {
  return build([eth6(), testIpv6(IP6_A, IP6_B, 58), ...layers]);
}

describe("icmpv6Layer", () => {
  it("emits the fixture for a Neighbor Solicitation", () => {
    const b = frame(icmpv6Layer({ type: 135, body: ndNsBody(TARGET, MAC_A) }));
    expect(b.length).toBe(ETH + IP6 + 32);
    expect(Array.from(b.subarray(ETH + IP6))).toEqual(Array.from(FIXTURE));
  });

  it("the fixture dissects back to the repr, checksum Good", () => {
    const r = dissect(frame(payloadLayer(FIXTURE)), F, TreeMode.FULL);
    expect(r.layers).toBe("eth:ethertype:ipv6:icmpv6");
    expect(r.v["icmpv6.type"]).toEqual([135]);
    expect(r.v["icmpv6.code"]).toEqual([0]);
    expect(r.v["icmpv6.checksum"]).toEqual([0x7a1a]);
    expect(r.v["icmpv6.checksum.status"]).toEqual([1]);
    expect(r.v["icmpv6.nd.ns.target_address"]).toEqual([Array.from(TARGET)]);
    expect(r.v["icmpv6.opt.type"]).toEqual([1]);
    expect(r.v["icmpv6.opt.length"]).toEqual([1]);
    expect(r.v["icmpv6.opt.linkaddr"]).toEqual([MAC_A]);
    expect(r.v["icmpv6.opt.src_linkaddr"]).toEqual([MAC_A]);
    expect(r.v["ipv6.plen"]).toEqual([32]);
    expect(r.malformed).toBe(false);
  });

  it("builds a Neighbor Advertisement with flags and a target link-layer address", () => {
    const b = frame(icmpv6Layer({ type: 136, body: ndNaBody(TARGET, NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE, MAC_B) }));
    const r = dissect(b, F);
    expect(r.v["icmpv6.type"]).toEqual([136]);
    expect(r.v["icmpv6.checksum.status"]).toEqual([1]);
    expect(r.v["icmpv6.nd.na.flag"]).toEqual([0x60000000]);
    expect(r.v["icmpv6.nd.na.flag.r"]).toEqual([0]);
    expect(r.v["icmpv6.nd.na.flag.s"]).toEqual([1]);
    expect(r.v["icmpv6.nd.na.flag.o"]).toEqual([1]);
    expect(r.v["icmpv6.nd.na.target_address"]).toEqual([Array.from(TARGET)]);
    expect(r.v["icmpv6.opt.type"]).toEqual([2]);
    expect(r.v["icmpv6.opt.target_linkaddr"]).toEqual([MAC_B]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP6, 32, 58)).toBe(true);
  });

  it("leaves the option out when no link-layer address is given", () => {
    expect(ndNsBody(TARGET).length).toBe(20);
    const na = ndNaBody(TARGET, NA_FLAG_ROUTER);
    expect(Array.from(na.subarray(0, 4))).toEqual([0x80, 0, 0, 0]);
    const r = dissect(frame(icmpv6Layer({ type: 136, body: na })), F);
    expect(r.v["icmpv6.nd.na.flag.r"]).toEqual([1]);
    expect(r.v["icmpv6.opt.type"]).toEqual([]);
    expect(r.v["icmpv6.checksum.status"]).toEqual([1]);
    expect(() => ndNsBody(TARGET.subarray(0, 4))).toThrow(RangeError);
  });

  it("covers a payload layer after it (echo request with data)", () => {
    const b = frame(icmpv6Layer({ type: 128, body: Uint8Array.of(0x12, 0x34, 0, 7) }), payloadLayer(Uint8Array.of(9, 8, 7, 6, 5)));
    const r = dissect(b, F);
    expect(r.v["icmpv6.echo.identifier"]).toEqual([0x1234]);
    expect(r.v["icmpv6.echo.sequence_number"]).toEqual([7]);
    expect(r.v["data.data"]).toEqual([[9, 8, 7, 6, 5]]);
    expect(r.v["icmpv6.checksum.status"]).toEqual([1]);
  });

  it("uses the IPv4 pseudo header when carried over IPv4, and leaves 0 without a network layer", () => {
    const b = build([eth4(), testIpv4(IP_A, IP_B, 58), icmpv6Layer({ type: 128, body: Uint8Array.of(0, 1, 0, 1) })]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 8, 58)).toBe(true);
    expect(Array.from(build([icmpv6Layer({ type: 129, code: 0, body: Uint8Array.of(0, 1, 0, 1) })], 0))).toEqual([129, 0, 0, 0, 0, 1, 0, 1]);
  });
});
