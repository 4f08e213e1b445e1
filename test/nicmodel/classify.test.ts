import { describe, expect, it } from "vitest";
import { Cast, classify, classifyAt, Classified, Frag, L3, macText, parseIpv6, parseMac } from "../../src/nicmodel/classify.js";
import { XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import { arpFrame, BCAST, ip4, ipv4Frame, ipv6Frame, xarpFrame } from "./frames.js";

const H = 0x00163e112233;
const c = new Classified();

describe("classify", () => {
  it("Ethernet + IPv4 + UDP/TCP", () => {
    classify(c, ipv4Frame({ dst: H, proto: 17, sport: 5353, dport: 8080, dstIp: "10.0.0.2" }), 60, 1);
    expect(c).toMatchObject({ hasDst: true, dst: H, cast: Cast.UNICAST, l3: L3.IPV4, ipProto: 17, hasPorts: true, srcPort: 5353, dstPort: 8080, dstIp4: ip4("10.0.0.2"), control: false });
    classify(c, ipv4Frame({ dst: H, proto: 6, dport: 443, tcpFlags: 0x02 }), 60, 1);
    expect(c).toMatchObject({ ipProto: 6, dstPort: 443, tcpFlags: 0x02 });
  });

  it("802.1Q and QinQ tags are skipped", () => {
    const f = ipv4Frame({ dst: H, vlan: [10, 20], dport: 99 });
    f[12] = 0x88;
    f[13] = 0xa8; // outer tag 802.1ad
    classify(c, f, f.length, 1);
    expect(c).toMatchObject({ vlans: 2, etype: 0x0800, dstPort: 99 });
  });

  it("control traffic: ARP, XARP, ICMP, ICMPv6/NDP, DHCP, DHCPv6", () => {
    classify(c, arpFrame(H), 60, 1);
    expect(c).toMatchObject({ l3: L3.ARP, control: true, cast: Cast.BROADCAST });
    const x = xarpFrame(BCAST, 0x0a5e710c9d42, { op: XarpOp.ANNOUNCE, sha: 0x0a5e710c9d42, spa: { ip: ip4("10.0.0.2"), port: 8080, proto: 17, flags: 0 }, tha: 0x0a5e710c9d42, tpa: { ip: ip4("10.0.0.2"), port: 8080, proto: 17, flags: 0 } });
    classify(c, x, 60, 1);
    expect(c).toMatchObject({ l3: L3.XARP, control: true, l3Off: 14 });
    classify(c, ipv4Frame({ dst: H, proto: 1 }), 60, 1);
    expect(c.control).toBe(true);
    classify(c, ipv6Frame({ dst: 0x3333ff000002, proto: 58 }), 80, 1);
    expect(c).toMatchObject({ control: true, cast: Cast.MULTICAST, ipProto: 58 });
    classify(c, ipv4Frame({ dst: H, proto: 17, dport: 67 }), 60, 1);
    expect(c.control).toBe(true);
    classify(c, ipv6Frame({ dst: H, proto: 17, dport: 547 }), 80, 1);
    expect(c.control).toBe(true);
  });

  it("IPv4 fragments: the first has ports, later ones do not", () => {
    classify(c, ipv4Frame({ dst: H, moreFrags: true, dport: 53 }), 60, 1);
    expect(c).toMatchObject({ frag: Frag.FIRST, hasPorts: true });
    classify(c, ipv4Frame({ dst: H, fragOffset: 185 }), 60, 1);
    expect(c).toMatchObject({ frag: Frag.LATER, hasPorts: false });
  });

  it("IPv6 extension headers and fragments", () => {
    const f = ipv6Frame({ dst: H, proto: 17, dport: 4242, ext: [[0, 0, 0, 1, 4, 0, 0, 0, 0]] });
    classify(c, f, f.length, 1);
    expect(c).toMatchObject({ l3: L3.IPV6, ipProto: 17, dstPort: 4242, dstIp6Off: 14 + 24 });
    const g = ipv6Frame({ dst: H, proto: 17, dport: 4242, ext: [[44, 0, 0, 0x05, 0x00, 0, 0, 0, 1]] });
    classify(c, g, g.length, 1);
    expect(c).toMatchObject({ frag: Frag.LATER, hasPorts: false, ipProto: 17 });
  });

  it("Linux SLL / SLL2 / raw IP have no destination MAC", () => {
    const ip = ipv4Frame({ dst: H, dport: 7 }).subarray(14, 42);
    const sll = new Uint8Array(16 + ip.length);
    sll.set([0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00]);
    sll.set(ip, 16);
    classify(c, sll, sll.length, 113);
    expect(c).toMatchObject({ hasDst: false, outgoing: true, hasSrc: true, src: 0x020000000001, dstPort: 7 });
    const sll2 = new Uint8Array(20 + ip.length);
    sll2.set([0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 1, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
    sll2.set(ip, 20);
    classify(c, sll2, sll2.length, 276);
    expect(c).toMatchObject({ hasDst: false, cast: Cast.BROADCAST, dstPort: 7 });
    classify(c, ip, ip.length, 101);
    expect(c).toMatchObject({ hasDst: false, l3: L3.IPV4, dstPort: 7, cast: Cast.UNICAST });
    classify(c, ip, ip.length, 228);
    expect(c.dstPort).toBe(7);
  });

  it("never throws on truncated or random frames", () => {
    let seed = 1;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const bases = [ipv4Frame({ dst: H, vlan: [1] }), ipv6Frame({ dst: H, ext: [[0, 0, 0, 1, 4, 0, 0, 0, 0]] }), arpFrame(H)];
    for (const b of bases) for (let n = 0; n <= b.length; n++) for (const lt of [1, 113, 276, 101, 0]) classify(c, b.subarray(0, n), n, lt);
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(rnd() * 80);
      const b = new Uint8Array(n);
      for (let k = 0; k < n; k++) b[k] = rnd() < 0.3 ? [0x81, 0x00, 0x08, 0x86, 0xdd, 0x45, 0x60, 0x2c, 0][Math.floor(rnd() * 9)]! : Math.floor(rnd() * 256);
      classify(c, b, n, [1, 113, 276, 101, 229][i % 5]!);
    }
  });

  it("classifyAt reads a frame in place inside a larger buffer exactly as classify reads it alone", () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const frames = [
      ipv4Frame({ dst: H, proto: 6, dport: 443, tcpFlags: 0x02, vlan: [5] }),
      ipv4Frame({ dst: H, moreFrags: true, dport: 53 }),
      ipv6Frame({ dst: H, proto: 17, dport: 547, ext: [[0, 0, 0, 1, 4, 0, 0, 0, 0]] }),
      ipv6Frame({ dst: 0x3333ff000002, proto: 58 }),
      arpFrame(H),
      xarpFrame(BCAST, 0x0a5e710c9d42, { op: XarpOp.ANNOUNCE, sha: 0x0a5e710c9d42, spa: { ip: ip4("10.0.0.2"), port: 8080, proto: 17, flags: 0 }, tha: 0x0a5e710c9d42, tpa: { ip: ip4("10.0.0.2"), port: 8080, proto: 17, flags: 0 } }),
    ];
    const alone = new Classified();
    const inPlace = new Classified();
    for (const f of frames) {
      for (let n = 0; n <= f.length; n++) {
        for (const lt of [1, 113, 276, 101, 0]) {
          // the frame's bytes at a random offset, random bytes around them (a reader's chunk)
          const at = 1 + Math.floor(rnd() * 40);
          const buf = new Uint8Array(at + n + 64).map(() => Math.floor(rnd() * 256));
          buf.set(f.subarray(0, n), at);
          classify(alone, f.subarray(0, n), n, lt);
          classifyAt(inPlace, buf, at, n, lt);
          expect({ ...inPlace }).toEqual({ ...alone });
        }
      }
    }
  });

  it("MAC and IPv6 text", () => {
    expect(macText(0x0a5e710c9d42)).toBe("0a:5e:71:0c:9d:42");
    expect(parseMac("0A-5E-71-0C-9D-42")).toBe(0x0a5e710c9d42);
    expect(parseMac("nope")).toBeNull();
    expect(Array.from(parseIpv6("fd00::2")!)).toEqual([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(Array.from(parseIpv6("::ffff:1.2.3.4")!).slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIpv6("1::2::3")).toBeNull();
  });
});
