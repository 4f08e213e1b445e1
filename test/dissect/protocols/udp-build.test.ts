import { describe, expect, it } from "vitest";
import { build, payloadLayer } from "../../../src/dissect/build.js";
import { udpLayer } from "../../../src/dissect/protocols/udp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ETH, IP4, IP6, IP6_A, IP6_B, IP_A, IP_B, dissect, eth4, eth6, hex, pseudoChecksumOk, testIpv4, testIpv6 } from "./build-helpers.js";

const F = ["udp.srcport", "udp.dstport", "udp.length", "udp.checksum", "udp.checksum.status", "udp.payload", "ip.len"];
const PAYLOAD = Uint8Array.of(0x31, 0x32, 0x33);
// 12345 -> 31337, length 11, checksum over the 10.0.0.1 -> 10.0.0.2 pseudo header, "123".
const FIXTURE = hex("30 39 7a 69 00 0b dd 00 31 32 33");

describe("udpLayer", () => {
  it("emits the fixture (length and checksum computed)", () => {
    const b = build([eth4(), testIpv4(IP_A, IP_B, 17), udpLayer({ srcPort: 12345, dstPort: 31337 }), payloadLayer(PAYLOAD)]);
    expect(b.length).toBe(60);
    expect(Array.from(b.subarray(ETH + IP4, ETH + IP4 + FIXTURE.length))).toEqual(Array.from(FIXTURE));
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 11, 17)).toBe(true);
  });

  it("the fixture dissects back to the repr", () => {
    const b = build([eth4(), testIpv4(IP_A, IP_B, 17), payloadLayer(FIXTURE)]);
    const r = dissect(b, F, TreeMode.FULL);
    expect(r.layers).toBe("eth:ethertype:ip:udp:data");
    expect(r.v["udp.srcport"]).toEqual([12345]);
    expect(r.v["udp.dstport"]).toEqual([31337]);
    expect(r.v["udp.length"]).toEqual([11]);
    expect(r.v["udp.checksum"]).toEqual([0xdd00]);
    expect(r.v["udp.payload"]).toEqual([[0x31, 0x32, 0x33]]);
    expect(r.malformed).toBe(false);
  });

  it("round-trips over IPv6 with a checksum over the IPv6 pseudo header", () => {
    const data = new Uint8Array(37).map((_, i) => i * 7);
    const b = build([eth6(), testIpv6(IP6_A, IP6_B, 17), udpLayer({ srcPort: 5000, dstPort: 6000 }), payloadLayer(data)]);
    const r = dissect(b, F);
    expect(r.layers).toBe("eth:ethertype:ipv6:udp:data");
    expect(r.v["udp.srcport"]).toEqual([5000]);
    expect(r.v["udp.dstport"]).toEqual([6000]);
    expect(r.v["udp.length"]).toEqual([8 + 37]);
    expect(r.v["udp.payload"]).toEqual([Array.from(data)]);
    expect(r.v["udp.checksum"]![0]).not.toBe(0);
    expect(pseudoChecksumOk(b, ETH, ETH + IP6, 45, 17)).toBe(true);
  });

  it("sends a computed zero checksum as 0xffff (RFC 768)", () => {
    // A 2-byte payload equal to the checksum of the same datagram with a zero payload makes the sum 0xffff.
    const first = build([eth4(), testIpv4(IP_A, IP_B, 17), udpLayer({ srcPort: 1, dstPort: 2 }), payloadLayer(new Uint8Array(2))]);
    const c = (first[ETH + IP4 + 6]! << 8) | first[ETH + IP4 + 7]!;
    const b = build([eth4(), testIpv4(IP_A, IP_B, 17), udpLayer({ srcPort: 1, dstPort: 2 }), payloadLayer(Uint8Array.of(c >> 8, c & 255))]);
    expect(dissect(b, F).v["udp.checksum"]).toEqual([0xffff]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 10, 17)).toBe(true);
  });

  it("leaves the checksum 0 when asked, or without a network layer", () => {
    const off = build([eth4(), testIpv4(IP_A, IP_B, 17), udpLayer({ srcPort: 1, dstPort: 2, checksum: false }), payloadLayer(PAYLOAD)]);
    const r = dissect(off, F);
    expect(r.v["udp.checksum"]).toEqual([0]);
    expect(r.v["udp.checksum.status"]).toEqual([3]); // not present
    const bare = build([udpLayer({ srcPort: 1, dstPort: 2 }), payloadLayer(PAYLOAD)], 0);
    expect(Array.from(bare)).toEqual([0, 1, 0, 2, 0, 11, 0, 0, 0x31, 0x32, 0x33]);
  });

  it("has an empty datagram be 8 bytes", () => {
    const b = build([eth4(), testIpv4(IP_A, IP_B, 17), udpLayer({ srcPort: 7, dstPort: 7 })]);
    const r = dissect(b, F);
    expect(r.v["udp.length"]).toEqual([8]);
    expect(r.v["ip.len"]).toEqual([28]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 8, 17)).toBe(true);
  });
});
