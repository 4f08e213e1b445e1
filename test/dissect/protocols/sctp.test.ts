// SCTP (RFC 9260): packets with every chunk type tshark decodes, their parameters and error
// causes, TSN analysis (relative TSNs, acknowledgements, retransmissions), reassembly of
// fragmented messages, bundling and PKTDROP, built here with a correct CRC32c, are read by arpx
// and by tshark, which must print the same summary lines, detail tree, JSON and sctp.* fields;
// frames cut by the snaplen and lying lengths too. Every prefix of every frame decodes safely.
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { allFields, FT } from "../../../src/dissect/fields.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { hf } from "../../../src/dissect/protocols/sctp.js";
import { isBoundsSignal, TreeMode } from "../../../src/dissect/tree.js";
import { ipProtos } from "../../../src/dissect/dispatch.js";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, A6, B4, B6, cksum, eth, ip4, u16, u32 } from "./transport-build.js";

// ---- builders ----

const CRC32C = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  CRC32C[n] = c >>> 0;
}

/** RFC 9260 appendix A: CRC32c over the packet with a zero checksum, stored little-endian. */
function crc32c(b: number[]): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC32C[(c ^ x) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** An SCTP packet: common header (checksum filled in) and chunks. */
function sctp(sport: number, dport: number, vtag: number, chunks: number[][]): number[] {
  const b = [...u16(sport), ...u16(dport), ...u32(vtag), 0, 0, 0, 0, ...chunks.flat()];
  const c = crc32c(b);
  b[8] = c & 0xff;
  b[9] = (c >>> 8) & 0xff;
  b[10] = (c >>> 16) & 0xff;
  b[11] = c >>> 24;
  return b;
}

/** A chunk (or parameter, or cause) padded to 4 bytes; `len` overrides the length field. */
function tlv(head: number[], value: number[], len?: number, pad = true): number[] {
  const l = len ?? head.length + 2 + value.length;
  const c = [...head, ...u16(l), ...value];
  if (pad) while (c.length % 4) c.push(0);
  return c;
}
const chunk = (type: number, flags: number, value: number[], len?: number) => tlv([type, flags], value, len);
const param = (type: number, value: number[], len?: number) => tlv(u16(type), value, len);
const cause = param;
const data = (tsn: number, flags: number, sid: number, ssn: number, ppi: number, payload: number[]) =>
  chunk(0, flags, [...u32(tsn), ...u16(sid), ...u16(ssn), ...u32(ppi), ...payload]);
const idata = (tsn: number, flags: number, sid: number, mid: number, ppiOrFsn: number, payload: number[]) =>
  chunk(64, flags, [...u32(tsn), ...u16(sid), 0, 0, ...u32(mid), ...u32(ppiOrFsn), ...payload]);
const sack = (cum: number, rwnd: number, gaps: [number, number][], dups: number[] = []) =>
  chunk(3, 0, [...u32(cum), ...u32(rwnd), ...u16(gaps.length), ...u16(dups.length), ...gaps.flatMap(([s, e]) => [...u16(s), ...u16(e)]), ...dups.flatMap(u32)]);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

interface Dir {
  sport: number;
  dport: number;
  vtag: number;
  src: number[];
  dst: number[];
}
const AB: Dir = { sport: 5000, dport: 6000, vtag: 0x55667788, src: A4, dst: B4 };
const BA: Dir = { sport: 6000, dport: 5000, vtag: 0xaabbccdd, src: B4, dst: A4 };
const NOTAG: Dir = { ...AB, vtag: 0 };

function pkt(chunks: number[][], dir: Dir = AB): number[] {
  return eth(ip4(dir.src, dir.dst, 132, sctp(dir.sport, dir.dport, dir.vtag, chunks)));
}

function pkt6(chunks: number[][]): number[] {
  const s = sctp(9000, 9001, 0x12345678, chunks);
  return eth([0x60, 0, 0, 0, ...u16(s.length), 132, 64, ...A6, ...B6, ...s], 0x86dd);
}

const M3UA_ASPUP = [1, 0, 3, 1, 0, 0, 0, 8];

// ---- scenarios ----

const INIT = chunk(1, 0, [...u32(0xaabbccdd), ...u32(100000), ...u16(10), ...u16(11), ...u32(1000),
  ...param(5, [10, 0, 0, 1]), ...param(6, A6), ...param(0xc, [0, 5, 0, 6, 0, 11]), ...param(0x8000, []), ...param(0xc000, []),
  ...param(0x8008, [0xc1, 0x80, 0x82, 0xc0, 0]), ...param(0x8002, [1, 2, 3, 4, 5, 6, 7, 8]), ...param(0x8003, [0xc1, 0x80]),
  ...param(0x8004, [0, 1, 0, 3]), ...param(9, u32(5000)), ...param(0xb, [...ascii("host.example"), 0]), ...param(0xc006, u32(7)),
  ...param(0x8001, u32(1)), ...param(0x1234, [9, 9, 9])]);
const INIT_ACK = chunk(2, 0, [...u32(0x55667788), ...u32(200000), ...u16(5), ...u16(6), ...u32(2000),
  ...param(7, [1, 2, 3, 4, 5, 6, 7, 8, 9]), ...param(8, param(0x8000, [])), ...param(5, [10, 0, 0, 2])]);

const ALL_CAUSES = chunk(6, 0, [
  ...cause(1, [0, 5, 0, 0]), ...cause(2, [...u32(2), ...u16(7), ...u16(9)]), ...cause(3, u32(1234)), ...cause(4, []),
  ...cause(5, param(5, [1, 2, 3, 4])), ...cause(6, [0x99, 0, 0, 4]), ...cause(7, []), ...cause(8, param(0x1234, [1, 2])),
  ...cause(9, u32(77)), ...cause(10, []), ...cause(11, [...param(5, [1, 1, 1, 1]), ...param(5, [2, 2, 2, 2])]),
  ...cause(12, ascii("ABC")), ...cause(13, [1, 2]), ...cause(0xa0, param(5, [3, 3, 3, 3])), ...cause(0xa1, param(5, [4, 4, 4, 4])),
  ...cause(0xa2, param(6, B6)), ...cause(0xa3, []), ...cause(0xa4, param(5, [6, 6, 6, 6])), ...cause(0x105, [0, 2]),
  ...cause(0x777, [1, 2, 3]),
]);

/** One association A->B (tag 0x55667788) and B->A (tag 0xaabbccdd), then odd cases. */
const SCENARIOS: Record<string, number[]> = {
  "INIT with every parameter": pkt([INIT], NOTAG),
  "INIT_ACK with a state cookie and an unrecognized parameter": pkt([INIT_ACK], BA),
  "COOKIE_ECHO": pkt([chunk(10, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9])]),
  "COOKIE_ACK": pkt([chunk(11, 0, [])], BA),
  "DATA (no payload protocol)": pkt([data(1000, 3, 1, 0, 0, [1, 2, 3, 4, 5])]),
  "SACK with gap blocks and a duplicate TSN": pkt([sack(1000, 5000, [[2, 3], [5, 5]], [999])], BA),
  "two DATA chunks bundled": pkt([data(1001, 3, 1, 1, 0, [1, 2, 3, 4]), data(1002, 3, 1, 2, 0, [1, 2, 3, 4, 5, 6])]),
  "SACK and DATA bundled": pkt([sack(1002, 5000, []), data(2000, 3, 0, 0, 0, [0xaa])], BA),
  "HEARTBEAT": pkt([chunk(4, 0, param(1, [1, 2, 3, 4, 5, 6]))]),
  "HEARTBEAT_ACK": pkt([chunk(5, 0, param(1, [1, 2, 3, 4, 5, 6]))], BA),
  "ABORT with every error cause": pkt([ALL_CAUSES], BA),
  "ERROR": pkt([chunk(9, 0, cause(1, [0, 5, 0, 0]))]),
  "ECNE": pkt([chunk(12, 0, u32(1000))], BA),
  "CWR": pkt([chunk(13, 0, u32(1000))]),
  "FORWARD_TSN": pkt([chunk(0xc0, 0, [...u32(1005), ...u16(1), ...u16(7), ...u16(2), ...u16(8)])]),
  "AUTH and DATA": pkt([chunk(15, 0, [...u16(1), ...u16(1), ...Array<number>(20).fill(0xab)]), data(1006, 3, 1, 3, 0, [9])]),
  "ASCONF": pkt([chunk(0xc1, 0, [...u32(0x10), ...param(5, [10, 0, 0, 9]), ...param(0xc001, [...u32(3), ...param(5, [10, 0, 0, 7])]),
    ...param(0xc002, [...u32(4), ...param(5, [10, 0, 0, 8])]), ...param(0xc004, [...u32(5), ...param(6, A6)])])]),
  "ASCONF_ACK": pkt([chunk(0x80, 0, [...u32(0x10), ...param(0xc005, u32(3)), ...param(0xc003, [...u32(4), ...cause(0xa0, param(5, [1, 2, 3, 4]))])])], BA),
  "RE_CONFIG": pkt([chunk(0x82, 0, [...param(0xd, [...u32(1), ...u32(2), ...u32(1000), ...u16(1), ...u16(2)]), ...param(0xe, [...u32(2), ...u16(3)]),
    ...param(0xf, u32(3)), ...param(0x10, [...u32(1), ...u32(1), ...u32(5), ...u32(6)]), ...param(0x11, [...u32(4), ...u16(5), 0, 0]),
    ...param(0x12, [...u32(5), ...u16(6), 0, 0])])]),
  "PAD and a short I_DATA": pkt([chunk(0x84, 0, [1, 2, 3, 4, 5, 6, 7, 8]), chunk(64, 0, [1, 2, 3])]),
  "I_DATA first and middle fragments": pkt([idata(1007, 3, 2, 5, 0, [1, 2, 3]), idata(1008, 0, 2, 5, 1, [4, 5, 6])]),
  "NR_SACK": pkt([chunk(16, 0, [...u32(1008), ...u32(5000), ...u16(1), ...u16(1), ...u16(1), 0, 0, ...u16(2), ...u16(3), ...u16(5), ...u16(6), ...u32(3)])], BA),
  "I_FORWARD_TSN": pkt([chunk(0xc2, 0, [...u32(1009), ...u16(2), ...u16(1), ...u32(6)])]),
  "PKTDROP with the dropped packet": pkt([chunk(0x81, 0, [...u32(100), ...u32(200), 0, 0, 0, 0,
    ...sctp(2905, 2905, 0x01010101, [data(3, 3, 0, 0, 3, M3UA_ASPUP)])])]),
  "PKTDROP of a truncated packet": pkt([chunk(0x81, 4, [...u32(100), ...u32(200), ...u16(10), 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])]),
  "PKTDROP whose packet is malformed": pkt([chunk(0x81, 0, [...u32(1), ...u32(2), 0, 0, 0, 0, ...u16(5000), ...u16(6000), ...u32(7), 0, 0, 0, 0, 0, 3, 0, 5, 1, 2, 3, 4])]),
  "SHUTDOWN": pkt([chunk(7, 0, u32(1002))]),
  "SHUTDOWN_ACK": pkt([chunk(8, 0, [])], BA),
  "SHUTDOWN_COMPLETE": pkt([chunk(14, 1, [])]),
  "ABORT with the T bit": pkt([chunk(6, 1, [])]),
  "unknown chunk types": pkt([chunk(0x3f, 0xff, [1, 2, 3, 4, 5]), chunk(0xff, 0, [9])]),
  "an unrecognized chunk cause holding DATA and SACK": pkt([chunk(6, 0, [...cause(6, data(9, 3, 0, 0, 0, [7, 7])), ...cause(6, sack(0, 5, []))])]),
  "a chunk length below 4, then a chunk": pkt([chunk(3, 0, [], 2), chunk(11, 0, [])]),
  "a DATA chunk length below 4": pkt([chunk(0, 3, [1, 2, 3], 3), chunk(1, 2, [1, 2, 3], 768)]),
  "chunks too short for their header": pkt([chunk(2, 0, [1, 2, 3])], BA),
  "a DATA chunk too short for its header": pkt([chunk(0, 3, [...u32(1), ...u16(1)])]),
  "a zero window and a malformed gap block": pkt([sack(7, 0, [[5, 3]])], BA),
  "a heartbeat parameter shorter than its header": pkt([chunk(4, 0, [0, 1, 0, 2])]),
  "a FORWARD_TSN shorter than its header": pkt([chunk(0xc0, 0, [1, 2], 6)]),
  "DATA over IPv6 with an INIT": pkt6([data(77, 3, 1, 0, 0, [1, 2, 3]), chunk(1, 0, [...u32(5), ...u32(5), ...u16(1), ...u16(1), ...u32(5), ...param(6, B6)])]),
  "M3UA by port with PPI 0": pkt([data(1, 3, 0, 0, 0, M3UA_ASPUP)], { ...AB, sport: 2905, dport: 40000, vtag: 0x77 }),
  "M3UA failing then a SACK": pkt([data(1010, 3, 0, 1, 3, [1, 0, 1, 1, 0, 0, 0, 20, 0, 0x10, 0, 12, 1, 2, 3]), sack(7, 10, [])]),
};

/** TSN analysis and reassembly: the frames depend on each other, in this order. */
const D: Dir = { sport: 7000, dport: 7001, vtag: 0x0a0b0c0d, src: A4, dst: B4 };
const R: Dir = { sport: 7001, dport: 7000, vtag: 0x0e0f1011, src: B4, dst: A4 };
const SEQUENCE: number[][] = [
  pkt([data(0, 3, 0, 0, 0, [1])], D),
  pkt([data(1, 3, 0, 1, 0, [2]), data(2, 3, 0, 2, 0, [3])], D),
  pkt([sack(0, 1000, [])], R),
  pkt([data(3, 3, 0, 3, 0, [4]), data(4, 3, 0, 4, 0, [5]), data(5, 3, 0, 5, 0, [6])], D),
  pkt([sack(2, 1000, [[2, 3]], [2]), sack(2, 1000, [])], R),
  pkt([data(3, 3, 0, 3, 0, [4])], D),
  pkt([data(1, 3, 0, 1, 0, [2])], D),
  pkt([sack(5, 1000, [])], R),
  pkt([data(4, 3, 0, 4, 0, [5])], D),
  // fragments: in order, out of order in one packet, I-DATA, a duplicate (no TSN analysis
  // without a tag), around the TSN wrap, one missing
  pkt([data(10, 2, 1, 5, 0, [1, 2, 3])], D),
  pkt([data(11, 0, 1, 5, 0, [4, 5, 6, 7])], D),
  pkt([data(12, 1, 1, 5, 0, [8, 9])], D),
  pkt([data(20, 1, 1, 6, 3, M3UA_ASPUP.slice(4)), data(19, 2, 1, 6, 3, M3UA_ASPUP.slice(0, 4))], D),
  pkt([idata(30, 2, 2, 7, 0, [1, 1]), idata(31, 1, 2, 7, 1, [2, 2, 2])], D),
  pkt([data(12, 1, 1, 5, 0, [8, 9])], D),
  pkt([data(40, 6, 1, 0, 0, [1]), data(41, 5, 1, 0, 0, [2])], D),
  pkt([data(50, 2, 3, 9, 0, [1, 2])], NOTAG),
  pkt([data(50, 2, 3, 9, 0, [1, 2])], NOTAG),
  pkt([data(51, 1, 3, 9, 0, [3])], NOTAG),
  pkt([data(0xffffffff, 2, 4, 1, 0, [9, 9])], NOTAG),
  pkt([data(0, 1, 4, 1, 0, [8])], NOTAG),
  pkt([data(60, 2, 5, 1, 0, [1])], NOTAG),
  pkt([data(62, 1, 5, 1, 0, [3])], NOTAG),
];

/** Every field sctp.ts registers (experts excluded: tshark prints them only with a tree). */
const SCTP_FIELDS = allFields().filter((f) => f.proto === hf.proto && f.type !== FT.NONE).map((f) => f.abbrev);

// ---- without tshark ----

describe("SCTP decoding", () => {
  it("reads the common header and an INIT's parameters", () => {
    const { p, v, text } = decode(SCENARIOS["INIT with every parameter"]!);
    expect(p.protocol).toBe("SCTP");
    expect(p.info.toString()).toBe("INIT ");
    expect(v("sctp.srcport")).toEqual(["5000"]);
    expect(v("sctp.checksum.status")).toEqual(["2"]);
    expect(v("sctp.assoc_index")).toEqual(["65535"]);
    expect(v("sctp.init_initiate_tag")).toEqual(["0xaabbccdd"]);
    expect(v("sctp.parameter_ipv4_address")).toEqual(["10.0.0.1"]);
    expect(v("sctp.parameter_ipv6_address")).toEqual(["fe80::1"]);
    expect(v("sctp.parameter_hostname")).toEqual(["host.example"]);
    expect(v("sctp.supported_chunk_type")).toEqual(["193", "128", "130", "192", "0"]);
    expect(text).toContain("    [Association index: disabled (enable in preferences)]\n    Checksum: 0x");
    expect(text).toContain("        Supported address types parameter (Supported types: IPv4, IPv6, hostname)\n");
    expect(text).toContain("        Unknown parameter (Type 4660, value length: 3 bytes)\n            [Expert Info (Note/Malformed): The padding of this final parameter should be the padding of the chunk.]\n");
  });

  it("hands DATA payloads on and starts another SCTP item for the chunks after one", () => {
    const { p, text } = decode(SCENARIOS["two DATA chunks bundled"]!);
    expect(p.layers.join(":")).toBe("eth:ethertype:ip:sctp:data:data");
    expect(p.info.toString()).toBe("DATA (TSN=0) DATA (TSN=1) ");
    expect(text).toContain("Data (4 bytes)\n    Data: 01020304\n    [Length: 4]\nStream Control Transmission Protocol\n    DATA chunk (ordered, complete segment, TSN: 1,");
  });

  it("numbers TSNs from each direction's first one, acknowledges them and spots retransmissions", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    const infos: string[] = [];
    let text = "";
    SEQUENCE.slice(0, 9).forEach((f, i) => {
      const p = e.dissect({ data: Uint8Array.from(f), wireLen: f.length, tsSec: 100 + i, tsNsec: 0, linkType: 1, ifIndex: 0 });
      infos.push(p.info.toString());
      if (i === 6) text = treeText(e.tree.root);
    });
    expect(infos[4]).toBe("SACK (Ack=2+3, Arwnd=1000) SACK (Ack=2, Arwnd=1000) ");
    expect(infos[5]).toBe("DATA (TSN=3) (retransmission) ");
    expect(text).toContain("[This TSN is a retransmission of one in frame: 2]");
    expect(text).toContain("[This TSN was acked (in frame 5) prior to this retransmission (reneged ack?)]");
    expect(text).toContain("[This chunk is acked in frame: 5]");
  });

  it("reassembles fragmented messages and shows them as a data source", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    let last = "";
    let sources: string[] = [];
    for (const [i, f] of SEQUENCE.slice(9, 12).entries()) {
      const p = e.dissect({ data: Uint8Array.from(f), wireLen: f.length, tsSec: 1 + i, tsNsec: 0, linkType: 1, ifIndex: 0 });
      last = p.info.toString();
      sources = e.tree.sources.map((s) => `${s.name}:${Array.from(s.data).join(",")}`);
    }
    expect(last).toBe("DATA (TSN=2) ");
    expect(sources).toEqual(["Reassembled SCTP Message:1,2,3,4,5,6,7,8,9"]);
  });

  it("decodes every prefix of every frame without an exception escaping, with and without a tree", () => {
    const frames = [...Object.values(SCENARIOS), ...SEQUENCE];
    for (const f of frames.slice(0, 3)) everyPrefixIsSafe(f);
    // Anything but the Tree's bounds signals escaping SCTP (or what it calls) is caught here.
    const sctpEntry = ipProtos.get(132)!;
    const escaped: unknown[] = [];
    ipProtos.add(132, (p, t, off) => {
      try {
        return sctpEntry(p, t, off);
      } catch (x) {
        if (!isBoundsSignal(x)) escaped.push(x);
        throw x;
      }
    });
    try {
      for (const mode of [TreeMode.FULL, TreeMode.FIELDS, TreeMode.SUMMARY]) {
        const e = new Engine({ mode, fields: [hf.data_tsn, hf.chunk_type] });
        for (const f of frames) {
          for (let n = 0; n <= f.length; n++) {
            for (const wire of [n, f.length]) {
              e.dissect({ data: Uint8Array.from(f.slice(0, n)), wireLen: wire, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
            }
          }
        }
        // And deterministic mutations: a few bytes after the IPv4 header set at random.
        let seed = 0x5c7b;
        const rnd = (n: number) => {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          return (seed >>> 8) % n;
        };
        for (let i = 0; i < 3000; i++) {
          const f = frames[rnd(frames.length)]!.slice();
          for (let k = 1 + rnd(4); k > 0; k--) f[34 + rnd(f.length - 34)] = rnd(4) === 0 ? 0xff : rnd(256);
          e.dissect({ data: Uint8Array.from(f), wireLen: f.length, tsSec: 2, tsNsec: 0, linkType: 1, ifIndex: 0 });
        }
      }
    } finally {
      ipProtos.add(132, sctpEntry);
    }
    expect(escaped).toEqual([]);
  });

  it("ends on lying chunk, parameter and cause lengths", () => {
    const lies = [
      pkt([chunk(1, 0, [...u32(1), ...u32(1), ...u16(1), ...u16(1), ...u32(1), ...param(5, [1, 2, 3, 4], 0)])]),
      pkt([chunk(1, 0, [...u32(1), ...u32(1), ...u16(1), ...u16(1), ...u32(1), ...param(5, [1, 2, 3, 4], 0xffff)])]),
      pkt([chunk(6, 0, cause(1, [0, 1, 0, 0], 0))]),
      pkt([chunk(6, 0, cause(2, [0xff, 0xff, 0xff, 0xff]))]),
      pkt([chunk(0, 3, [], 0)]),
      pkt([chunk(0, 3, [], 0xffff)]),
      pkt([chunk(3, 0, [...u32(1), ...u32(1), 0xff, 0xff, 0xff, 0xff])]),
      pkt([chunk(16, 0, [...u32(1), ...u32(1), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0])]),
      pkt([chunk(6, 0, cause(6, cause(6, cause(6, cause(6, [6, 0, 0, 4])))))]),
    ];
    for (const f of lies) {
      const { p, text } = decode(f);
      expect(text).not.toContain("arpx dissector error");
      expect(p.protocol).toBe("SCTP");
    }
  });
});

// ---- against tshark ----

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: SCTP not compared with tshark");

/** -V, -T json and summary lines of both tools for a capture. */
function expectSameOutputs(file: string): void {
  const s = summaries(file);
  expect(s.ax).toEqual(s.ts);
  expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
  expect(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout).toBe(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout);
  expect(runArpx(["read", "-n", "-x", "-r", file]).stdout).toBe(runTshark(["-n", "-x", "-r", file]).stdout);
}

describe.skipIf(skip)("SCTP as tshark shows it", () => {
  it("every chunk type, parameter and error cause: summary, fields, -V, JSON and -x", () => {
    const frames = Object.values(SCENARIOS);
    const file = writePcap("sctp-chunks.pcap", frames.map((f) => Uint8Array.from(f)));
    expectSameAsTshark(file, SCTP_FIELDS, frames.length);
    expectSameOutputs(file);
  });

  it("TSN analysis and reassembly across packets", () => {
    const file = writePcap("sctp-sequence.pcap", SEQUENCE.map((f) => Uint8Array.from(f)));
    expectSameAsTshark(file, SCTP_FIELDS, SEQUENCE.length);
    expectSameOutputs(file);
  });

  it("frames cut by the snaplen", () => {
    const cut = [...Object.values(SCENARIOS), ...SEQUENCE].flatMap((f) => {
      const out: (readonly [Uint8Array, number])[] = [];
      for (let n = 34; n < f.length; n += 7) out.push([Uint8Array.from(f.slice(0, n)), f.length] as const);
      return out;
    });
    const file = writePcap("sctp-cut.pcap", cut);
    expectSameAsTshark(file, SCTP_FIELDS, cut.length);
    expectSameOutputs(file);
  });

  it("an ICMP error quoting SCTP packets of several lengths", () => {
    const inner = ip4(A4, B4, 132, sctp(2905, 2905, 0x01020304, [data(5, 3, 0, 0, 3, M3UA_ASPUP), chunk(11, 0, [])]));
    const icmp = (quote: number[]) => {
      const m = [3, 3, 0, 0, 0, 0, 0, 0, ...quote];
      const c = cksum(m);
      m[2] = c >> 8;
      m[3] = c & 0xff;
      return eth(ip4(B4, A4, 1, m));
    };
    // Quotes whose IPv4 header claims the whole packet get an IPv4 expert tshark omits there.
    const frames = [2, 8, 12, 13, 20, 40].map((n) => icmp(inner.slice(0, 20 + n)));
    const file = writePcap("sctp-icmp.pcap", frames.map((f) => Uint8Array.from(f)));
    const s = summaries(file);
    expect(s.ax).toEqual(s.ts);
    const v = fieldLines(file, ["frame.protocols", ...SCTP_FIELDS]);
    expect(v.ax).toEqual(v.ts);
  });
});

describe.skipIf(skip || skipReason(HAVE_SHARED, "shared captures missing"))("tcpdump-isup.pcap", () => {
  it("is identical in -V, -T json, -x and summary lines", () => {
    expectSameOutputs(`${SHARED_CAPTURES}/tcpdump-isup.pcap`);
  });
});
