// QUIC: Initial packets opened with the keys derived from the client's DCID (v1, v2 and an unknown
// version), coalesced packets, a ClientHello split over two Initials, every frame type, Version
// Negotiation, Retry, 0-RTT, Handshake and short-header packets, compared with tshark (summary,
// fields, -V, JSON, -x), QUIC on other ports, plus RFC 9001's key derivation vectors and cut packets.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, runArpx, runTshark, skipReason } from "../../helpers.js";
import { expectSameAsTshark, writePcap } from "./tshark-compare.js";
import { eth, ip4, udp, A4, B4 } from "./transport-build.js";
import { initialKeys, QUIC_V2, retryTag } from "../../../src/dissect/protocols/quic-crypto.js";
import { cryptoFrame, encodeVarint, quicLongPacket, quicShortPacket } from "../../../src/dissect/protocols/quic.js";
import { Engine } from "../../../src/dissect/engine.js";
import { TreeMode } from "../../../src/dissect/tree.js";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
const cat = (...a: Uint8Array[]) => Uint8Array.from(a.flatMap((x) => [...x]));
const junk = (n: number, k = 7) => Uint8Array.from({ length: n }, (_, i) => (i * k + 3) & 0xff);

/** The Client Hello and Server Hello messages of the project's recorded TLS capture (openssl). */
function hellos(): { ch: Uint8Array; sh: Uint8Array } {
  const b = readFileSync(join(__dirname, "../../../captures/tls-basics.pcapng"));
  const find = (type: number) => {
    // A handshake record (16 03 0x) whose first message has the given type.
    for (let i = 0; i + 10 < b.length; i++) {
      if (b[i] === 0x16 && b[i + 1] === 3 && b[i + 2]! <= 3 && b[i + 5] === type && b[i + 6] === 0) {
        const len = (b[i + 6]! << 16) | (b[i + 7]! << 8) | b[i + 8]!;
        return Uint8Array.from(b.subarray(i + 5, i + 9 + len));
      }
    }
    throw new Error(`no handshake message ${type} in tls-basics.pcapng`);
  };
  return { ch: find(1), sh: find(2) };
}

/** A UDP datagram between A4:clientPort and B4:serverPort. */
function dgram(payload: Uint8Array, fromClient: boolean, clientPort = 50000, serverPort = 443): Uint8Array {
  const [s, d, sp, dp] = fromClient ? [A4, B4, clientPort, serverPort] : [B4, A4, serverPort, clientPort];
  return Uint8Array.from(eth(ip4(s, d, 17, udp(sp, dp, [...payload]))));
}

function frames(): Uint8Array[] {
  const { ch, sh } = hellos();
  const out: Uint8Array[] = [];
  {
    // A v1 handshake start: Initials both ways (the server's coalesced with a Handshake packet), 1-RTT.
    const dcid = hex("8394c8f03e515708"), cscid = hex("c1c2c3c4"), sscid = hex("5e5e5e5e5e5e5e5e");
    const ck = initialKeys(1, dcid, false), sk = initialKeys(1, dcid, true);
    out.push(dgram(quicLongPacket({ type: "initial", version: 1, dcid, scid: cscid, packetNumber: 0, pnLength: 4, payload: cryptoFrame(0, ch), keys: ck, minLength: 1200 }), true));
    out.push(dgram(cat(
      quicLongPacket({ type: "initial", version: 1, dcid: cscid, scid: sscid, packetNumber: 0, pnLength: 2, payload: cat(hex("0200000000"), cryptoFrame(0, sh)), keys: sk }),
      quicLongPacket({ type: "handshake", version: 1, dcid: cscid, scid: sscid, packetNumber: 0, pnLength: 2, payload: junk(300) }),
    ), false));
    out.push(dgram(quicLongPacket({ type: "initial", version: 1, dcid: sscid, scid: cscid, packetNumber: 1, pnLength: 4, payload: hex("03050a010203040506"), keys: ck, minLength: 1200 }), true));
    out.push(dgram(quicLongPacket({ type: "handshake", version: 1, dcid: sscid, scid: cscid, packetNumber: 0, pnLength: 1, payload: junk(40) }), true));
    out.push(dgram(quicShortPacket(sscid, junk(60, 13)), true));
    out.push(dgram(quicShortPacket(cscid, junk(80, 11), true), false));
    out.push(dgram(quicShortPacket(sscid, junk(30, 5)), true));
    out.push(dgram(quicLongPacket({ type: "initial", version: 1, dcid: sscid, scid: cscid, packetNumber: 2, pnLength: 4, payload: cat(hex("1c0a06"), encodeVarint(5), Buffer.from("bye!!")), keys: ck }), true));
    // Garbage after a packet in the same datagram is padding, not another packet.
    out.push(dgram(cat(quicLongPacket({ type: "initial", version: 1, dcid: sscid, scid: cscid, packetNumber: 3, pnLength: 2, payload: hex("01"), keys: ck }), junk(25)), true));
  }
  {
    // An unknown version (keys with the draft-29 salt), Version Negotiation, 0-RTT, a Retry with a good and a bad tag.
    const dcid = hex("0102030405060708090a"), cscid = hex("aabbccdd"), port = 50001;
    out.push(dgram(quicLongPacket({ type: "initial", version: 0x1a2a3a4a, dcid, scid: cscid, packetNumber: 0, pnLength: 4, payload: junk(1100) }), true, port));
    out.push(dgram(cat(hex("8000000000"), Uint8Array.of(4), cscid, Uint8Array.of(10), dcid, hex("000000016b3343cfff00001d")), false, port));
    const ck = initialKeys(1, dcid, false);
    out.push(dgram(cat(
      quicLongPacket({ type: "initial", version: 1, dcid, scid: cscid, packetNumber: 0, pnLength: 4, payload: cryptoFrame(0, ch), keys: ck }),
      quicLongPacket({ type: "0-rtt", version: 1, dcid, scid: cscid, packetNumber: 1, pnLength: 2, payload: junk(100) }),
    ), true, port));
    const retry = cat(hex("f000000001"), Uint8Array.of(4), cscid, Uint8Array.of(8), hex("1111111111111111"), junk(20, 3));
    out.push(dgram(cat(retry, retryTag(1, dcid, retry)), false, port));
    out.push(dgram(cat(retry, junk(16, 9)), false, port));
  }
  {
    // v2, no SCID, a Client Hello in two CRYPTO frames of two Initials.
    const dcid = hex("e0e1e2e3e4e5e6e7"), port = 50002;
    const ck = initialKeys(QUIC_V2, dcid, false);
    out.push(dgram(quicLongPacket({ type: "initial", version: QUIC_V2, dcid, scid: new Uint8Array(0), packetNumber: 0, pnLength: 4, payload: cryptoFrame(0, ch.subarray(0, 300)), keys: ck, minLength: 1200 }), true, port));
    out.push(dgram(quicLongPacket({ type: "initial", version: QUIC_V2, dcid, scid: new Uint8Array(0), packetNumber: 1, pnLength: 4, payload: cryptoFrame(300, ch.subarray(300)), keys: ck, minLength: 1200 }), true, port));
  }
  {
    // A short header nobody introduced, and an Initial whose tag does not check.
    out.push(dgram(quicShortPacket(hex("deadbeefdeadbeef"), junk(50)), true, 50003));
    const dcid = hex("0909090909090909");
    const bad = quicLongPacket({ type: "initial", version: 1, dcid, scid: hex("01"), packetNumber: 0, pnLength: 4, payload: cryptoFrame(0, ch), keys: initialKeys(1, dcid, false), minLength: 1200 });
    bad[bad.length - 1]! ^= 1;
    out.push(dgram(bad, true, 50004));
  }
  return out;
}

/** Every frame type in its own Initial (tshark decodes them whatever the packet type allows). */
function frameTypes(): Uint8Array[] {
  const dcid = hex("1234567812345678"), scid = hex("abcd");
  const ck = initialKeys(1, dcid, false);
  const v = (x: number) => encodeVarint(x);
  const bodies = [
    hex("01"), cat(hex("04"), v(4), v(7), v(100)), cat(hex("05"), v(8), v(9)), cat(hex("07"), v(4), hex("aabbccdd")),
    cat(hex("08"), v(4), hex("48656c6c6f")), cat(hex("0f"), v(1), v(100), v(3), hex("414243")), cat(hex("10"), v(100000)),
    cat(hex("11"), v(5), v(2000)), cat(hex("12"), v(10)), cat(hex("13"), v(11)), cat(hex("14"), v(300)), cat(hex("15"), v(6), v(400)),
    cat(hex("16"), v(7)), cat(hex("17"), v(8)), cat(hex("18"), v(2), v(1), hex("04"), hex("01020304"), hex("00112233445566778899aabbccddeeff")),
    cat(hex("19"), v(3)), cat(hex("1a"), hex("0102030405060708")), cat(hex("1b"), hex("1112131415161718")),
    cat(hex("1d"), v(0x10c), v(3), hex("616263")), hex("1e"), cat(hex("30"), hex("cafe")), cat(hex("31"), v(3), hex("010203")),
    cat(hex("1c"), v(0x0128), v(0), v(0)), hex("21"), cat(hex("0300"), v(2), v(1), v(1), v(0), v(0), v(0), v(0)),
  ];
  return bodies.map((b, pn) => dgram(quicLongPacket({ type: "initial", version: 1, dcid, scid, packetNumber: pn, pnLength: 4, payload: cat(b, hex("01")), keys: ck }), true, 50010));
}

/**
 * QUIC on other ports (Wireshark's heuristic): versions it takes for QUIC and two it does not,
 * packets between endpoints already seen speaking QUIC, a connection whose Server Hello never
 * came (other decryption messages), Retry and Handshake packets of no known connection.
 */
function otherPorts(): Uint8Array[] {
  const { ch } = hellos();
  const out: Uint8Array[] = [];
  const body = new Uint8Array(1100).fill(7);
  let port = 21000;
  for (const v of [0x1a2a3a4a, 0x12345678, 0xff00001d, 0xff000015, 0xff000022, 0xff000023, 0x51303530, 0x54303530, 0x54303531, 0xfaceb001, 0xfaceb002, 0xfaceb003, 0]) {
    const dcid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, port & 0xff);
    out.push(dgram(cat(Uint8Array.of(0xc3, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff, 8), dcid, hex("0000"), encodeVarint(body.length, 2), body), true, 50000, port++));
  }
  out.push(dgram(cat(hex("43 0102030405060708"), junk(40)), true, 50000, 21100)); // short header, nobody's
  out.push(dgram(cat(hex("03 0102030405060708"), junk(40)), true, 50000, 21000)); // fixed bit clear, known endpoints
  out.push(dgram(cat(hex("43 ffffffffffffffff"), junk(40)), false, 50000, 21000));
  // On QUIC's own port the same checks apply: an unknown version or a lone Version Negotiation is not QUIC.
  for (const v of [0x12345678, 0]) out.push(dgram(cat(Uint8Array.of(0xc3, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff, 8), hex("0909090909090909"), hex("0000"), encodeVarint(body.length, 2), body), true, 50001));
  const dcid = hex("a1a2a3a4a5a6a7a8"), c = hex("c1c1c1c1"), srv = hex("5e5e5e5e");
  out.push(dgram(quicLongPacket({ type: "initial", version: 1, dcid, scid: c, packetNumber: 0, pnLength: 1, payload: cryptoFrame(0, ch), keys: initialKeys(1, dcid, false), minLength: 1200 }), true, 50000, 8443));
  for (const pn of [0, 1]) out.push(dgram(quicLongPacket({ type: "handshake", version: 1, dcid: c, scid: srv, packetNumber: pn, pnLength: 1, payload: junk(100) }), false, 50000, 8443));
  out.push(dgram(quicShortPacket(srv, junk(40)), true, 50000, 8443));
  out.push(dgram(quicShortPacket(c, junk(40)), false, 50000, 8443));
  out.push(dgram(cat(hex("f000000001 04 0b0b0b0b 04 0c0c0c0c"), junk(36)), false, 50000, 8444)); // a Retry out of nowhere
  return out;
}

const FIELDS = ["quic.connection.number", "quic.header_form", "quic.long.packet_type", "quic.version", "quic.dcid", "quic.scid", "quic.packet_number", "quic.length", "quic.frame_type", "quic.crypto.offset", "tls.handshake.type", "tls.handshake.extensions_server_name"];

describe("QUIC packet protection", () => {
  it("derives RFC 9001 Appendix A.1's Initial keys", () => {
    const dcid = hex("8394c8f03e515708");
    const c = initialKeys(1, dcid, false), s = initialKeys(1, dcid, true);
    expect(Buffer.from(c.key).toString("hex")).toBe("1f369613dd76d5467730efcbe3b1a22d");
    expect(Buffer.from(c.iv).toString("hex")).toBe("fa044b2f42a3fd3b46fb255c");
    expect(Buffer.from(c.hp).toString("hex")).toBe("9f50449e04a0e810283a1e9933adedd2");
    expect(Buffer.from(s.key).toString("hex")).toBe("cf3a5331653c364c88f0f379b6067e37");
    expect(Buffer.from(s.hp).toString("hex")).toBe("c206b8d9b9f0f37644430b490eeaa314");
  });

  it("opens the Initial it sealed and shows the Client Hello inside", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    const f = frames()[0]!;
    const p = e.dissect({ data: f, wireLen: f.length, tsSec: 0, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.protocol).toBe("QUIC");
    expect(p.info.toString()).toBe("Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 0, CRYPTO, PADDING");
    expect(p.layers.join(":")).toBe("eth:ethertype:ip:udp:quic:tls");
  });

  it("decodes cut and damaged packets as far as they go, without throwing", () => {
    for (const f of [...frames(), ...frameTypes()]) {
      for (const cut of [43, 45, 50, 60, 70, 100, f.length - 17, f.length - 1]) {
        const e = new Engine({ mode: TreeMode.FULL });
        if (cut >= f.length) continue;
        expect(() => e.dissect({ data: f.subarray(0, cut), wireLen: f.length, tsSec: 0, tsNsec: 0, linkType: 1, ifIndex: 0 })).not.toThrow();
      }
    }
  });
});

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: QUIC not compared with tshark");

describe.skipIf(skip)("QUIC agrees with tshark", () => {
  const json = (s: string) => (JSON.parse(s) as { _source: { layers: unknown } }[]).map((p) => p._source.layers);
  for (const [name, make] of [["handshakes", frames], ["frame types", frameTypes], ["other ports", otherPorts]] as const) {
    it(`${name}: summary lines, fields, -V, JSON and -x`, () => {
      const fs = make();
      const file = writePcap(`quic-${name.replace(" ", "-")}.pcap`, fs);
      expectSameAsTshark(file, FIELDS, fs.length);
      expect(runArpx(["read", "-n", "-r", file, "-V"]).stdout).toBe(runTshark(["-n", "-r", file, "-V"]).stdout);
      expect(json(runArpx(["read", "-n", "-r", file, "-T", "json"]).stdout)).toEqual(json(runTshark(["-n", "-r", file, "-T", "json", "--no-duplicate-keys"]).stdout));
      expect(runArpx(["read", "-n", "-r", file, "-x"]).stdout).toBe(runTshark(["-n", "-r", file, "-x"]).stdout);
    });
  }
});
