import { describe, expect, it } from "vitest";
import { build, payloadLayer } from "../../../src/dissect/build.js";
import { dnsLayer, encodeDnsName } from "../../../src/dissect/protocols/dns.js";
import { udpLayer } from "../../../src/dissect/protocols/udp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ETH, IP4, IP_A, IP_B, dissect, eth4, hex, pseudoChecksumOk, testIpv4 } from "./build-helpers.js";

const F = ["dns.id", "dns.flags.response", "dns.flags.opcode", "dns.flags.recdesired", "dns.flags.recavail", "dns.flags.rcode",
  "dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr", "dns.qry.name", "dns.qry.type",
  "dns.qry.class", "dns.resp.name", "dns.resp.type", "dns.resp.class", "dns.resp.ttl", "dns.resp.len", "dns.a", "dns.aaaa",
  "udp.length"];

const WWW = "www.example.com";
const A_DATA = Uint8Array.of(93, 184, 216, 34);
// Response to query 0x1234 (RD, RA) for www.example.com A IN with one answer, TTL 300, 93.184.216.34.
const FIXTURE = hex(`12 34 81 80 00 01 00 01 00 00 00 00
  03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01
  03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01 00 00 01 2c 00 04 5d b8 d8 22`);
const RESPONSE = dnsLayer({ id: 0x1234, response: true, questions: [{ name: WWW, type: 1 }], answers: [{ name: WWW, type: 1, ttl: 300, data: A_DATA }] });

function frame(...layers: Parameters<typeof build>[0]) {
  return build([eth4(), testIpv4(IP_B, IP_A, 17), udpLayer({ srcPort: 53, dstPort: 40000 }), ...layers]);
}

describe("dnsLayer", () => {
  it("emits the fixture (counts, flags, RDLENGTH)", () => {
    expect(RESPONSE.headerLen).toBe(FIXTURE.length);
    const b = frame(RESPONSE);
    expect(Array.from(b.subarray(ETH + IP4 + 8))).toEqual(Array.from(FIXTURE));
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 8 + FIXTURE.length, 17)).toBe(true);
  });

  it("the fixture dissects back to the repr", () => {
    const r = dissect(frame(payloadLayer(FIXTURE)), F, TreeMode.FULL);
    expect(r.layers).toBe("eth:ethertype:ip:udp:dns");
    expect(r.v["dns.id"]).toEqual([0x1234]);
    expect(r.v["dns.flags.response"]).toEqual([1]);
    expect(r.v["dns.flags.opcode"]).toEqual([0]);
    expect(r.v["dns.flags.recdesired"]).toEqual([1]);
    expect(r.v["dns.flags.recavail"]).toEqual([1]);
    expect(r.v["dns.flags.rcode"]).toEqual([0]);
    expect(r.v["dns.count.queries"]).toEqual([1]);
    expect(r.v["dns.count.answers"]).toEqual([1]);
    expect(r.v["dns.count.auth_rr"]).toEqual([0]);
    expect(r.v["dns.count.add_rr"]).toEqual([0]);
    expect(r.v["dns.qry.name"]).toEqual([WWW]);
    expect(r.v["dns.qry.type"]).toEqual([1]);
    expect(r.v["dns.qry.class"]).toEqual([1]);
    expect(r.v["dns.resp.name"]).toEqual([WWW]);
    expect(r.v["dns.resp.type"]).toEqual([1]);
    expect(r.v["dns.resp.class"]).toEqual([1]);
    expect(r.v["dns.resp.ttl"]).toEqual([300]);
    expect(r.v["dns.resp.len"]).toEqual([4]);
    expect(r.v["dns.a"]).toEqual([0x5db8d822]);
    expect(r.info).toBe("Standard query response 0x1234 A www.example.com A 93.184.216.34");
    expect(r.malformed).toBe(false);
  });

  it("builds a query: RD by default, no RA, no answers", () => {
    const q = dnsLayer({ id: 0xbeef, response: false, questions: [{ name: "example.org.", type: 28 }] });
    const b = build([eth4(), testIpv4(IP_A, IP_B, 17), udpLayer({ srcPort: 40000, dstPort: 53 }), q]);
    expect(Array.from(b.subarray(ETH + IP4 + 8, ETH + IP4 + 8 + 12))).toEqual([0xbe, 0xef, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const r = dissect(b, F);
    expect(r.v["dns.flags.response"]).toEqual([0]);
    expect(r.v["dns.flags.recdesired"]).toEqual([1]);
    expect(r.v["dns.count.answers"]).toEqual([0]);
    expect(r.v["dns.qry.name"]).toEqual(["example.org"]);
    expect(r.v["dns.qry.type"]).toEqual([28]);
    expect(r.v["udp.length"]).toEqual([8 + 12 + 13 + 4]);
    expect(r.info).toBe("Standard query 0xbeef AAAA example.org");
  });

  it("carries rcode, rd/ra overrides, classes and several records", () => {
    const nx = dnsLayer({ id: 7, response: true, rcode: 3, rd: false, questions: [{ name: "nope.test", type: 1 }] });
    const r1 = dissect(frame(nx), F);
    expect(r1.v["dns.flags.rcode"]).toEqual([3]);
    expect(r1.v["dns.flags.recdesired"]).toEqual([0]);
    expect(r1.v["dns.flags.recavail"]).toEqual([0]);
    expect(r1.info).toBe("Standard query response 0x0007 No such name A nope.test");

    const aaaa = Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    const two = dnsLayer({
      id: 8, response: true, ra: false, questions: [{ name: "h.local", type: 255, cls: 1 }],
      answers: [{ name: "h.local", type: 1, cls: 0x8001, ttl: 120, data: Uint8Array.of(10, 0, 0, 9) }, { name: "h.local", type: 28, ttl: 4294967295, data: aaaa }],
    });
    const r2 = dissect(frame(two), F);
    expect(r2.v["dns.flags.recavail"]).toEqual([0]);
    expect(r2.v["dns.count.answers"]).toEqual([2]);
    expect(r2.v["dns.resp.type"]).toEqual([1, 28]);
    expect(r2.v["dns.resp.ttl"]).toEqual([120, 4294967295]);
    expect(r2.v["dns.resp.len"]).toEqual([4, 16]);
    expect(r2.v["dns.a"]).toEqual([0x0a000009]);
    expect(r2.v["dns.aaaa"]).toEqual([Array.from(aaaa)]);
    expect(r2.malformed).toBe(false);
  });

  it("encodes names as uncompressed labels and rejects impossible ones", () => {
    expect(Array.from(encodeDnsName(""))).toEqual([0]);
    expect(Array.from(encodeDnsName("."))).toEqual([0]);
    expect(Array.from(encodeDnsName("a.bc."))).toEqual([1, 0x61, 2, 0x62, 0x63, 0]);
    expect(() => encodeDnsName("a..b")).toThrow(RangeError);
    expect(() => encodeDnsName("x".repeat(64))).toThrow(RangeError);
    expect(() => encodeDnsName(Array(130).fill("ab").join("."))).toThrow(RangeError);
  });
});
