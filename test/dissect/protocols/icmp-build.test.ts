import { describe, expect, it } from "vitest";
import { build, checksum, payloadLayer } from "../../../src/dissect/build.js";
import { icmpLayer } from "../../../src/dissect/protocols/icmp.js";
import { udpLayer } from "../../../src/dissect/protocols/udp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ETH, IP4, IP_A, IP_B, dissect, eth4, hex, testIpv4 } from "./build-helpers.js";

const F = ["icmp.type", "icmp.code", "icmp.checksum", "icmp.checksum.status", "icmp.ident", "icmp.seq", "icmp.mtu",
  "icmp.unused", "data.data", "ip.len", "ip.proto", "udp.srcport", "udp.dstport", "udp.length"];

const DATA = new TextEncoder().encode("abcdefgh");
// Echo request id 0x1234 seq 1 with "abcdefgh".
const FIXTURE = hex("08 00 54 35 12 34 00 01 61 62 63 64 65 66 67 68");

function frame(...layers: Parameters<typeof build>[0]) {
  return build([eth4(), testIpv4(IP_A, IP_B, 1), ...layers]);
}

describe("icmpLayer", () => {
  it("emits the fixture (checksum over header and data)", () => {
    const b = frame(icmpLayer({ type: 8, ident: 0x1234, seq: 1 }), payloadLayer(DATA));
    expect(Array.from(b.subarray(ETH + IP4, ETH + IP4 + FIXTURE.length))).toEqual(Array.from(FIXTURE));
    expect(checksum(b, ETH + IP4, 16)).toBe(0);
  });

  it("the fixture dissects back to the repr, checksum Good", () => {
    const r = dissect(frame(payloadLayer(FIXTURE)), F, TreeMode.FULL);
    expect(r.layers).toBe("eth:ethertype:ip:icmp:data");
    expect(r.v["icmp.type"]).toEqual([8]);
    expect(r.v["icmp.code"]).toEqual([0]);
    expect(r.v["icmp.checksum"]).toEqual([0x5435]);
    expect(r.v["icmp.checksum.status"]).toEqual([1]);
    expect(r.v["icmp.ident"]).toEqual([0x1234]);
    expect(r.v["icmp.seq"]).toEqual([1]);
    expect(r.v["data.data"]).toEqual([Array.from(DATA)]);
    expect(r.v["ip.len"]).toEqual([36]);
    expect(r.malformed).toBe(false);
  });

  it("builds an error quoting a packet built with the same layers", () => {
    const quoted = build([testIpv4(IP_B, IP_A, 17), udpLayer({ srcPort: 40000, dstPort: 33434 }), payloadLayer(Uint8Array.of(1, 2, 3, 4))], 0);
    const b = frame(icmpLayer({ type: 3, code: 3 }), payloadLayer(quoted));
    const r = dissect(b, F);
    expect(r.v["icmp.type"]).toEqual([3]);
    expect(r.v["icmp.code"]).toEqual([3]);
    expect(r.v["icmp.checksum.status"]).toEqual([1]);
    expect(r.v["icmp.unused"]).toEqual([[0, 0, 0, 0]]);
    expect(r.v["ip.proto"]).toEqual([1, 17]);
    expect(r.v["udp.srcport"]).toEqual([40000]);
    expect(r.v["udp.dstport"]).toEqual([33434]);
    expect(r.v["udp.length"]).toEqual([12]);
    expect(r.malformed).toBe(false);
  });

  it("writes `rest` for non-echo messages (next-hop MTU)", () => {
    const b = frame(icmpLayer({ type: 3, code: 4, rest: 1400 }), payloadLayer(build([testIpv4(IP_B, IP_A, 6)], 0)));
    expect(Array.from(b.subarray(ETH + IP4 + 4, ETH + IP4 + 8))).toEqual([0, 0, 0x05, 0x78]);
    const r = dissect(b, F);
    expect(r.v["icmp.mtu"]).toEqual([1400]);
    expect(r.v["icmp.checksum.status"]).toEqual([1]);
  });

  it("computes the checksum without a network layer and refuses ambiguous reprs", () => {
    const b = build([icmpLayer({ type: 0, ident: 1, seq: 2 })], 0);
    expect(Array.from(b)).toEqual([0, 0, 0xff, 0xfc, 0, 1, 0, 2]);
    expect(() => icmpLayer({ type: 8, ident: 1, rest: 5 })).toThrow();
  });
});
