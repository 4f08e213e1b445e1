// Babel (RFC 8966, UDP 6696): packets with every TLV and sub-TLV Wireshark 4.0 decodes, short and
// lying ones, a trailer, other versions and non-Babel payloads are read by arpx and by tshark,
// which must print the same detail, summary lines, fields and JSON; the public capture too.
import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, A6, B4, eth, ip4, ip6, u16, u32, udp } from "./transport-build.js";

const FIELDS = [
  "babel.magic", "babel.version", "babel.bodylen", "babel.message", "babel.message.type", "babel.message.length",
  "babel.message.nonce", "babel.message.interval", "babel.message.seqno", "babel.message.ae", "babel.message.prefix",
  "babel.message.rxcost", "babel.message.routerid", "babel.message.flags", "babel.message.plen", "babel.message.omitted",
  "babel.message.metric", "babel.message.hopcount", "babel.message.index", "babel.subtlv", "babel.subtlv.type",
  "babel.subtlv.length", "babel.subtlv.diversity.channel",
];

const BABEL_MCAST = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 6];
const V6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

const tlv = (type: number, body: number[]): number[] => [type, body.length, ...body];
const zeros = (n: number): number[] => Array<number>(n).fill(0);

/** A Babel packet: magic, version, body length (the body's unless given), body, trailer. */
function babel(tlvs: number[][], o: { bodylen?: number; trailer?: number[]; version?: number; magic?: number } = {}): number[] {
  const body = tlvs.flat();
  return [o.magic ?? 42, o.version ?? 2, ...u16(o.bodylen ?? body.length), ...body, ...(o.trailer ?? [])];
}

/** Over IPv6 to the Babel group, both ports 6696 unless given. */
function packet(payload: number[], sport = 6696, dport = 6696): number[] {
  return eth(ip6(A6, BABEL_MCAST, 17, udp(sport, dport, payload)), 0x86dd);
}

const hello = (flags: number, seqno: number, interval: number, sub: number[] = []) => tlv(4, [...u16(flags), ...u16(seqno), ...u16(interval), ...sub]);
const update = (ae: number, flags: number, plen: number, omitted: number, prefix: number[], sub: number[] = []) =>
  tlv(8, [ae, flags, plen, omitted, ...u16(400), ...u16(9), ...u16(96), ...prefix, ...sub]);

/** Packets Wireshark decodes whole. */
const GOOD: number[][] = [
  babel([[0], tlv(1, zeros(3)), tlv(2, [0, 0, ...u16(0x1234), ...u16(500)]), tlv(3, u16(0xbeef)), hello(0x8000, 7, 400), tlv(6, [0, 0, 1, 2, 3, 4, 5, 6, 7, 8])]),
  // Sub-TLVs: timestamp, diversity, pad1, padn, a mandatory one, an unknown one.
  babel([hello(0, 0xffff, 100, [3, 4, ...u32(1234567), 2, 3, 1, 2, 3, 0, 1, 2, 0, 0, 0x85, 2, 0xaa, 0xbb, 5, 1, 0xcc])]),
  babel([
    tlv(5, [1, 0, ...u16(0x100), ...u16(300), 10, 0, 0, 1]),
    tlv(5, [2, 0, ...u16(0x60), ...u16(300), ...V6]),
    tlv(5, [3, 0, ...u16(0x60), ...u16(300), 2, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]),
    tlv(5, [0, 0, ...u16(0x60), ...u16(300)]),
    tlv(5, [3, 0, ...u16(0x60), ...u16(300), ...zeros(8), 3, 8, ...u32(1000000), ...u32(2500001)]),
    tlv(5, [9, 0, ...u16(0x60), ...u16(300), ...zeros(4)]),
  ]),
  babel([
    tlv(7, [1, 0, 192, 168, 1, 1]), tlv(7, [2, 0, ...V6]), tlv(7, [3, 0, ...zeros(8)]), tlv(7, [0, 0]),
    tlv(9, [1, 24, 10, 1, 2]), tlv(9, [2, 48, ...V6.slice(0, 6)]), tlv(9, [0, 0]), tlv(9, [1, 40, ...zeros(5)]),
    tlv(10, [2, 64, ...u16(0x55), 7, 0, 0, 1, 2, 3, 4, 5, 6, 7, ...V6.slice(0, 8)]),
  ]),
  // Updates: a prefix whose first bytes come from the previous one of its family (flag 0x80).
  babel([
    update(1, 0x80, 24, 0, [10, 20, 30]),
    update(1, 0, 32, 2, [99, 98]),
    update(2, 0x80, 64, 0, V6.slice(0, 8)),
    update(2, 0x40, 128, 8, V6.slice(8)),
    update(3, 0, 128, 0, [0, 1, 2, 3, 4, 5, 6, 7]),
    tlv(8, [0, 0x40, 0, 0, ...u16(0xffff), ...u16(1), ...u16(0xffff)]),
    update(1, 0, 24, 0, [10, 20, 30], [2, 2, 5, 6]),
    update(7, 0, 24, 0, [10, 20, 30]),
  ]),
  babel([tlv(11, zeros(6)), tlv(12, zeros(10)), tlv(13, zeros(4)), tlv(14, zeros(2)), tlv(15, zeros(3)), tlv(16, zeros(8)),
    tlv(17, [...u32(0xdeadbeef), 0, 0]), tlv(18, zeros(8)), tlv(19, zeros(8)), tlv(42, zeros(3)), tlv(200, [])]),
  babel([hello(0, 1, 2)], { trailer: [0, ...tlv(1, [0]), ...tlv(16, zeros(6))] }),
  babel([hello(0, 1, 2)], { version: 3 }),
  babel([hello(0, 1, 2)], { magic: 41 }),
  babel([tlv(5, [0, 0, ...u16(1), ...u16(2), 3, 2, 0, 1]), tlv(8, [0, 0, 0, 0, ...u16(1), ...u16(2), ...u16(3), 3, 4, ...u32(5)])]),
];

/** Packets that lie about themselves. */
const BAD: number[][] = [
  babel([hello(0, 1, 2)], { bodylen: 20 }),
  babel([[4, 0x30, ...u16(0), ...u16(1), ...u16(2)]]),
  babel([[5, 2, 1, 0], [8, 4, 1, 0, 24, 0]], { trailer: zeros(30) }),
  babel([[7, 1, 2, ...zeros(20)]]),
  babel([[9, 0]], { trailer: zeros(4) }),
  babel([[10, 3, 2, 64, 0]], { trailer: zeros(30) }),
  babel([tlv(1, zeros(150)), tlv(1, zeros(150))], { bodylen: 0 }),
  babel([]),
  babel([hello(0, 1, 2, [2, 9, 1])]),
  babel([[1, 200]], { bodylen: 20 }),
];

describe("babel", () => {
  it("decodes TLVs and prefixes as Wireshark does", () => {
    const d = decode(packet(GOOD[4]!));
    expect(d.p.protocol).toBe("Babel");
    expect(d.p.info.toString()).toBe("Babel update update update update update update update update");
    expect(d.v("frame.protocols")).toEqual(["eth:ethertype:ipv6:udp:babel"]);
    expect(d.text).toContain("        Prefix: 10.20.30.0/24\n");
    // Two bytes omitted: taken from the previous IPv4 update with flag 0x80.
    expect(d.text).toContain("        Prefix: 10.20.99.98/32\n");
    expect(d.text).toContain("        Prefix: 2001:db8::1/128\n");
    expect(d.text).toContain("        Prefix: fe80::1:203:405:607/128\n");
    expect(d.text).toContain("        Prefix: corrupt/24\n");
    expect(d.v("babel.message.omitted")).toEqual(["0", "2", "0", "8", "0", "0", "0", "0"]);
    const h = decode(packet(GOOD[1]!));
    // Wireshark 4.0 shows the packet's third byte (the body length's high byte) as "Unicast".
    expect(h.text).toContain("        Unicast : 0\n        Seqno: 0xffff\n        Interval: 100\n        Sub TLV timestamp (3)\n");
    expect(h.text).toContain("            Timestamp : 1.234567s\n");
    expect(h.v("babel.subtlv.diversity.channel")).toEqual(["1", "2", "3"]);
    expect(h.text).toContain("            Sub-TLV Length: diversity (2)\n            Mandatory\n");
    const v3 = decode(packet(GOOD[7]!));
    expect(v3.p.info.toString()).toBe("Version 3");
    expect(v3.v("frame.protocols")).toEqual(["eth:ethertype:ipv6:udp"]);
    expect(decode(packet(GOOD[8]!)).v("frame.protocols")).toEqual(["eth:ethertype:ipv6:udp:data"]);
  });

  it("hands an empty body to the other port, then to data, as Wireshark's UDP does", () => {
    const same = decode(packet(babel([])));
    expect(same.text.match(/^Babel Routing Protocol$/gm)).toHaveLength(2);
    expect(same.v("frame.protocols")).toEqual(["eth:ethertype:ipv6:udp:data"]);
    const other = decode(packet(babel([]), 6696, 40000));
    expect(other.text.match(/^Babel Routing Protocol$/gm)).toHaveLength(1);
  });

  it("never throws on cut or lying packets", () => {
    for (const b of [GOOD[1]!, GOOD[2]!, GOOD[4]!, GOOD[6]!, BAD[2]!]) everyPrefixIsSafe(packet(b));
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 400; k++) {
      const b = [...GOOD[rnd(GOOD.length)]!];
      for (let j = 0; j < 4; j++) b[rnd(b.length)] = [0, 1, 2, 3, 4, 8, 0x80, 0xff, rnd(256)][rnd(9)]!;
      expect(decode(packet(b)).text).not.toContain("arpx dissector error");
    }
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it.skipIf(!HAVE_SHARED)("on libpcap-pcap-invalid-version-2.pcap: -V, -T json and summary", () => {
      const file = `${SHARED_CAPTURES}/libpcap-pcap-invalid-version-2.pcap`;
      expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
      expect(JSON.parse(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout)).toEqual(
        JSON.parse(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout),
      );
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
    });

    it("on built packets: -V, -T json, summary lines and every babel field", () => {
      const frames = [...GOOD, ...BAD].map((b) => Uint8Array.from(packet(b)));
      // Over IPv4 and between other ports too.
      frames.push(Uint8Array.from(eth(ip4(A4, B4, 17, udp(6696, 40000, GOOD[0]!)))));
      frames.push(Uint8Array.from(eth(ip4(A4, B4, 17, udp(40000, 6696, babel([]))))));
      frames.push(Uint8Array.from(packet(babel([]), 1000, 6696)));
      const file = writePcap("babel.pcap", frames);
      expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
      expect(JSON.parse(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout)).toEqual(
        JSON.parse(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout),
      );
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
      const v = fieldLines(file, ["frame.protocols", ...FIELDS]);
      expect(v.ax).toEqual(v.ts);
      expect(v.ts).toHaveLength(frames.length);
    });

    it("on packets cut by the snaplen", () => {
      // (At least 4 bytes of payload kept: with less, tshark's UDP heuristics, which arpx does not
      // have, get the bytes Babel turned down.)
      const cut = [GOOD[0]!, GOOD[1]!, GOOD[2]!, GOOD[4]!, GOOD[6]!].flatMap((b) => {
        const f = Uint8Array.from(packet(b));
        return [1, 3, 9, b.length >> 1, b.length - 4].map((n) => [f.subarray(0, f.length - n), f.length] as const);
      });
      const file = writePcap("babel-cut.pcap", cut);
      expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
    });
  });
});
