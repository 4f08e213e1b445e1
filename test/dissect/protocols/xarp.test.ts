// Extended ARP: the wire format both ways, the dissector's fields and Info, and the expert
// checks the specification (docs/extended-arp.md) asks for.
import { describe, expect, it } from "vitest";
import { build, ipv4, mac } from "../../../src/dissect/build.js";
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { ethLayer } from "../../../src/dissect/protocols/eth.js";
import { emitXarp, parseXarp, XARP, xarpLayer, XarpOp, FLAG_CANONICAL, type XarpMessage } from "../../../src/dissect/protocols/xarp-wire.js";
import { TreeMode } from "../../../src/dissect/tree.js";

const f = (n: string) => fieldByName(n)!;
const GW = mac("00:16:3e:aa:bb:cc"), HOST = mac("00:16:3e:11:22:33"), APP = mac("0a:5e:71:0c:9d:42");
const BCAST = mac("ff:ff:ff:ff:ff:ff");
const ep = (ip: string, port = 0, proto = 0, flags = 0) => ({ ip: ipv4(ip), port, proto, flags });

function frame(src: number, dst: number, m: XarpMessage): Uint8Array {
  return build([ethLayer({ dst, src, type: 0x0806 }), xarpLayer(m)]);
}

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s+/g, "").match(/../g)!.map((x) => parseInt(x, 16)));
}

const REQUEST: XarpMessage = { op: XarpOp.REQUEST, sha: GW, spa: ep("10.0.0.1"), tha: 0, tpa: ep("10.0.0.2", 8080, 17) };
const REPLY: XarpMessage = { op: XarpOp.REPLY, sha: APP, spa: ep("10.0.0.2", 8080, 17), tha: GW, tpa: ep("10.0.0.1") };

// The spec's worked example for REQUEST (section 8), Ethernet header included.
const REQUEST_HEX = `ff ff ff ff ff ff 00 16 3e aa bb cc 08 06 00 01
  08 00 06 08 00 01 00 16 3e aa bb cc 0a 00 00 01 00 00 00 00 00 00 00 00 00 00 0a 00 00 02 1f 90 11 00`;

const SNAPSHOT = ["xarp.dst.port", "xarp.endpoint", "xarp.response_to", "xarp.time", "xarp.canonical", "xarp.conflict_with"];

function dissectAll(frames: Uint8Array[], mode = TreeMode.FULL) {
  const e = new Engine({ mode });
  return frames.map((data, i) => {
    const p = e.dissect({ data, wireLen: data.length, tsSec: 100, tsNsec: i * 1000, linkType: 1, ifIndex: 0 });
    const values = new Map(SNAPSHOT.map((n) => [n, [...e.tree.get(f(n))]]));
    return { info: p.info.toString(), protocol: p.protocol, layers: p.layers.join(":"), experts: p.experts.map((x) => x.expert.abbrev), get: (n: string) => values.get(n) };
  });
}

describe("XARP wire format", () => {
  it("emits the spec's worked example byte for byte, and parses it back", () => {
    const b = frame(GW, BCAST, REQUEST);
    expect(b.subarray(0, 14 + XARP.LEN)).toEqual(hex(REQUEST_HEX));
    expect(parseXarp(b, 14)).toEqual(REQUEST);
  });

  it("round-trips every message type", () => {
    for (const op of [1, 2, 3, 4, 5, 6]) {
      const m: XarpMessage = { op, sha: APP, spa: ep("192.0.2.9", 65535, 132, FLAG_CANONICAL), tha: HOST, tpa: ep("198.51.100.1", 1, 6) };
      const b = new Uint8Array(XARP.LEN);
      expect(emitXarp(m, b, 0)).toBe(XARP.LEN);
      expect(parseXarp(b, 0)).toEqual(m);
    }
  });

  it("refuses short buffers and plain ARP", () => {
    expect(parseXarp(new Uint8Array(35), 0)).toBeNull();
    const arp = frame(GW, BCAST, REQUEST);
    arp[14 + 5] = 4; // plen 4: plain ARP
    expect(parseXarp(arp, 14)).toBeNull();
  });
});

describe("XARP dissector", () => {
  it("decodes a request and its reply, with the response time", () => {
    const [req, rep] = dissectAll([frame(GW, BCAST, REQUEST), frame(APP, GW, REPLY)]);
    expect(req!.layers).toBe("eth:ethertype:xarp");
    expect(req!.protocol).toBe("XARP");
    expect(req!.info).toBe("Who has 10.0.0.2:8080/udp? Tell 10.0.0.1");
    expect(req!.get("xarp.dst.port")).toEqual([8080]);
    expect(req!.get("xarp.endpoint")).toEqual(["10.0.0.2:8080/udp"]);
    expect(rep!.info).toBe("10.0.0.2:8080/udp is at 0a:5e:71:0c:9d:42");
    expect(rep!.get("xarp.response_to")).toEqual([1]);
    expect(rep!.get("xarp.time")).toEqual([1e-6]);
    expect(rep!.experts).toEqual([]);
  });

  it("shows the canonical-MAC fallback", () => {
    const [, r] = dissectAll([frame(GW, BCAST, { ...REQUEST, tpa: ep("10.0.0.2", 9999, 6) }),
      frame(HOST, GW, { op: 2, sha: HOST, spa: ep("10.0.0.2", 9999, 6, FLAG_CANONICAL), tha: GW, tpa: ep("10.0.0.1") })]);
    expect(r!.info).toBe("10.0.0.2:9999/tcp is at 00:16:3e:11:22:33 (canonical MAC: no application)");
    expect(r!.get("xarp.canonical")).toEqual([1]);
    expect(r!.experts).toEqual([]);
  });

  it("flags a reply whose application MAC is not locally administered unicast", () => {
    const [, r] = dissectAll([frame(GW, BCAST, REQUEST), frame(HOST, GW, { ...REPLY, sha: HOST })]);
    expect(r!.experts).toContain("xarp.not_local_unicast");
  });

  it("links a defend to the probe it answers, and flags a defend nobody asked for", () => {
    const probe = frame(HOST, BCAST, { op: XarpOp.PROBE, sha: HOST, spa: ep("10.0.0.2"), tha: APP, tpa: ep("0.0.0.0") });
    const defend = frame(APP, BCAST, { op: XarpOp.DEFEND, sha: APP, spa: ep("10.0.0.3", 5432, 6), tha: HOST, tpa: ep("10.0.0.2") });
    const [p, d] = dissectAll([probe, defend]);
    expect(p!.info).toBe("Probe 0a:5e:71:0c:9d:42? Tell 10.0.0.2");
    expect(d!.info).toBe("Conflict: 0a:5e:71:0c:9d:42 is in use by 10.0.0.3:5432/tcp");
    expect(d!.experts).toEqual(["xarp.conflict"]);
    expect(d!.get("xarp.conflict_with")).toEqual([1]);
    const [alone] = dissectAll([defend]);
    expect(alone!.experts).toEqual(["xarp.defend_unprobed"]);
  });

  it("decodes announce and release, and flags non-zero reserved fields", () => {
    const a = frame(APP, BCAST, { op: XarpOp.ANNOUNCE, sha: APP, spa: ep("10.0.0.2", 8080, 17), tha: APP, tpa: ep("10.0.0.2", 8080, 17) });
    const r = frame(APP, BCAST, { op: XarpOp.RELEASE, sha: APP, spa: ep("10.0.0.2", 8080, 17), tha: GW, tpa: ep("10.0.0.2", 8080, 17, 0x01) });
    const [an, rel] = dissectAll([a, r]);
    expect(an!.info).toBe("Announce 10.0.0.2:8080/udp is at 0a:5e:71:0c:9d:42");
    expect(rel!.info).toBe("Release 10.0.0.2:8080/udp (was at 0a:5e:71:0c:9d:42)");
    expect(rel!.experts).toEqual(expect.arrayContaining(["xarp.reserved_flags", "xarp.must_be_zero"]));
  });

  it("decodes a truncated message as far as it goes, then flags it", () => {
    const b = frame(GW, BCAST, REQUEST).subarray(0, 14 + 20);
    const e = new Engine({ mode: TreeMode.FULL });
    const p = e.dissect({ data: b, wireLen: b.length, tsSec: 0, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.malformed).toBe(true);
    expect([...e.tree.get(f("xarp.opcode"))]).toEqual([1]);
  });

  it("leaves plain ARP to the ARP dissector", () => {
    const b = frame(GW, BCAST, REQUEST);
    b[14 + 5] = 4;
    const [r] = dissectAll([b]);
    expect(r!.layers).toBe("eth:ethertype:arp");
  });
});
