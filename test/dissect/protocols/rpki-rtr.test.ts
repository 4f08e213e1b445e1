// RPKI-Router protocol (RFC 6810 version 0, RFC 8210 version 1) on TCP port 323: every PDU type
// built here, several PDUs in one segment, PDUs split across segments, lying lengths and unknown
// types are read by arpx and by tshark, which must print the same summary lines, rpki-rtr.*
// fields and (without Router Key's SubjectPublicKeyInfo, which arpx does not decode) -V tree;
// tcpdump's kday2.pcap too. Every prefix of every frame decodes safely.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFields } from "../../../src/dissect/fields.js";
import { hf } from "../../../src/dissect/protocols/rpki-rtr.js";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, ACK, B4, eth, ip4, PSH, SYN, tcp, u16, u32 } from "./transport-build.js";

const PORT = 323;

/** A PDU: version, type, the 2-byte field, length (the PDU's unless it lies), the rest. */
function pdu(version: number, type: number, field: number, rest: number[], len = 8 + rest.length): number[] {
  return [version, type, ...u16(field), ...u32(len), ...rest];
}

const SERIAL_NOTIFY = pdu(1, 0, 7, u32(42));
const SERIAL_QUERY = pdu(1, 1, 7, u32(42));
const RESET_QUERY = pdu(1, 2, 0, []);
const CACHE_RESPONSE = pdu(1, 3, 7, []);
const IPV4_PREFIX = pdu(1, 4, 0, [1, 24, 32, 0, 10, 1, 2, 0, ...u32(65001)]);
const IPV4_WITHDRAWAL = pdu(1, 4, 0, [0, 16, 24, 0, 192, 168, 0, 0, ...u32(64512)]);
const IPV6_PREFIX = pdu(1, 6, 0, [1, 32, 48, 0, 0x20, 0x01, 0x0d, 0xb8, ...Array(12).fill(0), ...u32(65002)]);
const END_OF_DATA_V1 = pdu(1, 7, 7, [...u32(42), ...u32(3600), ...u32(600), ...u32(7200)]);
const END_OF_DATA_V0 = pdu(0, 7, 7, u32(42));
const CACHE_RESET = pdu(1, 8, 0, []);
const ERROR_REPORT = pdu(1, 10, 3, [...u32(8), ...RESET_QUERY, ...u32(5), ...Array.from("oops!", (c) => c.charCodeAt(0))]);
const ERROR_REPORT_EMPTY = pdu(1, 10, 8, [...u32(0), ...u32(0)]);
const ERROR_REPORT_TEXT = pdu(0, 10, 5, [...u32(0), ...u32(6), 0x61, 0x0a, 0x80, 0xc3, 0xa9, 0x09]);
/** Version 0 knows no Router Key: flagged, and the next PDU is looked for right after the type. */
const ROUTER_KEY_V0 = pdu(0, 9, 0x0100, [...Array.from({ length: 20 }, (_, i) => i), ...u32(65003), ...Array.from({ length: 30 }, (_, i) => 40 + i)]);
/** An SPKI for P-256 (RFC 8608): arpx shows the item, not what Wireshark's BER decoder finds in it. */
const SPKI = [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, ...Array.from({ length: 64 }, (_, i) => i + 1)];
const ROUTER_KEY = pdu(1, 9, 0x0100, [...Array.from({ length: 20 }, (_, i) => i), ...u32(65003), ...SPKI]);
const UNKNOWN_TYPE = pdu(1, 5, 0, [0x61, 0x62, 0x63, 0x64]);
/** An unknown type whose "length" (read where the session ID is) passes the PDU: flagged, and the rest of the PDU skipped. */
const UNKNOWN_LYING = [0xb1, 0x64, 0x00, 0x3c, ...u32(60), ...Array(52).fill(0xee)];
const BOGUS_LENGTH = pdu(1, 2, 0, [], 5);

/** The payload of each single-segment case, each on a connection of its own. */
const SEGMENTS: Record<string, number[]> = {
  "Serial Notify": SERIAL_NOTIFY,
  "Serial Query": SERIAL_QUERY,
  "Reset Query": RESET_QUERY,
  "Cache Response": CACHE_RESPONSE,
  "IPv4 Prefix (announcement)": IPV4_PREFIX,
  "IPv4 Prefix (withdrawal)": IPV4_WITHDRAWAL,
  "IPv6 Prefix": IPV6_PREFIX,
  "End of Data, version 1": END_OF_DATA_V1,
  "End of Data, version 0": END_OF_DATA_V0,
  "Cache Reset": CACHE_RESET,
  "Error Report with a PDU and text": ERROR_REPORT,
  "Error Report, empty": ERROR_REPORT_EMPTY,
  "Error Report, text with control and non-ASCII bytes": ERROR_REPORT_TEXT,
  "Router Key, version 0": ROUTER_KEY_V0,
  "unknown type": UNKNOWN_TYPE,
  "unknown type with a lying length, then a malformed Error Report": [...UNKNOWN_LYING, 0x41, 0x0a, 0x00, 0x42, ...u32(21), ...u32(37), ...Array(9).fill(0)],
  "several PDUs in one segment": [...CACHE_RESPONSE, ...IPV4_PREFIX, ...IPV6_PREFIX, ...END_OF_DATA_V1],
  "a PDU length below 8": BOGUS_LENGTH,
};

/** A connection from the cache (port 323) to a router port: SYN-ACK, then one segment per payload. */
function connection(client: number, payloads: number[][]): number[][] {
  const frames = [eth(ip4(A4, B4, 6, tcp(PORT, client, 1000, 5000, SYN | ACK)))];
  let seq = 1001;
  for (const p of payloads) {
    frames.push(eth(ip4(A4, B4, 6, tcp(PORT, client, seq, 5000, PSH | ACK, { data: p }))));
    seq += p.length;
  }
  return frames;
}

const SINGLE = Object.values(SEGMENTS).flatMap((p, i) => connection(40000 + i, [p]));

/** PDUs split across segments where each first part holds the PDU's header (TCP reassembles them). */
const SPLIT = connection(41000, [
  [...IPV4_PREFIX, ...IPV6_PREFIX.slice(0, 10)],
  IPV6_PREFIX.slice(10, 20),
  [...IPV6_PREFIX.slice(20), ...END_OF_DATA_V1, ...IPV4_PREFIX.slice(0, 12)],
  IPV4_PREFIX.slice(12),
  [...ERROR_REPORT.slice(0, 9)],
  ERROR_REPORT.slice(9),
]);

const RPKI_FIELDS = allFields().filter((f) => f.proto === hf.proto && f.type !== 1 /* FT.NONE */).map((f) => f.abbrev);
const lines = (s: string) => s.split("\n");

describe("RPKI-Router decoding", () => {
  it("reads several PDUs of one segment, one item each", () => {
    const frame = connection(40000, [SEGMENTS["several PDUs in one segment"]!])[1]!;
    const { p, v, text } = decode(frame);
    expect(p.protocol).toBe("RPKI-RTR");
    expect(p.info.toString()).toBe("Cache Response, IPv4 Prefix, IPv6 Prefix, End of Data");
    expect(p.layers.join(":")).toBe("eth:ethertype:ip:tcp:rpkirtr");
    expect(v("rpki-rtr.pdu_type")).toEqual(["3", "4", "6", "7"]);
    expect(v("rpki-rtr.ipv4_prefix")).toEqual(["10.1.2.0"]);
    expect(v("rpki-rtr.ipv6_prefix")).toEqual(["2001:db8::"]);
    expect(v("rpki-rtr.expire_interval")).toEqual(["7200"]);
    expect(v("tcp.pdu.size")).toEqual(["8", "20", "32", "24"]);
    expect(text).toContain("RPKI-Router Protocol (IPv6 Prefix)\n    Version: 1\n");
  });

  it("marks a malformed PDU and goes on with the next, as tcp_dissect_pdus", () => {
    const frame = connection(40000, [SEGMENTS["unknown type with a lying length, then a malformed Error Report"]!])[1]!;
    const { p, text } = decode(frame);
    expect(p.info.toString()).toBe("Unknown (100), Error Report[Malformed Packet]");
    expect(text).toContain("RPKI-Router Protocol (Unknown 100)\n    Version: 177\n    PDU Type: Unknown (100)\n        [Expert Info (Error/Malformed): Invalid length field]\n");
    expect(text).toContain("    Length of Encapsulated PDU: 37\n[Malformed Packet: RPKI-Router Protocol]\n");
  });

  it("decodes every prefix of every segment without an exception escaping", () => {
    for (const f of SINGLE) everyPrefixIsSafe(f);
  });
});

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: RPKI-Router not compared with tshark");

describe.skipIf(skip)("RPKI-Router as tshark shows it", () => {
  it("one segment per case: summaries, fields and -V", () => {
    const file = writePcap("rpki-rtr.pcap", SINGLE.map((f) => Uint8Array.from(f)));
    expectSameAsTshark(file, [...RPKI_FIELDS, "tcp.pdu.size"], SINGLE.length);
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
  });

  it("PDUs split across segments: summaries and fields", () => {
    const file = writePcap("rpki-rtr-split.pcap", SPLIT.map((f) => Uint8Array.from(f)));
    expectSameAsTshark(file, [...RPKI_FIELDS, "tcp.pdu.size", "tcp.reassembled.length"], SPLIT.length);
  });

  it("a Router Key: summary and rpki-rtr fields", () => {
    const file = writePcap("rpki-rtr-key.pcap", connection(42000, [ROUTER_KEY, [...SERIAL_QUERY, ...ROUTER_KEY]]).map((f) => Uint8Array.from(f)));
    const s = summaries(file);
    expect(s.ax).toEqual(s.ts);
    const v = fieldLines(file, RPKI_FIELDS);
    expect(v.ax).toEqual(v.ts);
  });

  it.skipIf(!HAVE_SHARED)("tcpdump's kday2.pcap: -V, -T json, summaries and fields", () => {
    const file = join(SHARED_CAPTURES, "tcpdump-kday2.pcap");
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
    expect(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout).toBe(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout);
    const s = summaries(file);
    expect(s.ax).toEqual(s.ts);
    const v = fieldLines(file, ["frame.protocols", ...RPKI_FIELDS, "tcp.pdu.size"]);
    expect(v.ax).toEqual(v.ts);
  });
});
