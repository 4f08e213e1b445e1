// M3UA (RFC 4666) over SCTP: messages of every class with every parameter, Protocol Data with its
// routing label, and damaged messages, built here, are read by arpx and by tshark, which must print
// the same summary lines, detail tree, JSON and m3ua.* fields; so must tcpdump-isup.pcap, whose
// messages use the draft-era Protocol Data tag (2) tshark shows as an unknown parameter.
// Known differences, kept out of the comparisons: tshark decodes the user part for service
// indicators with a dissector (ISUP, SCCP, MTP3 management, ...), arpx shows Data; and for the
// international network (NI 0) it analyses the point codes per Q.708, which arpx does not.
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { allFields, FT } from "../../../src/dissect/fields.js";
import { hf } from "../../../src/dissect/protocols/m3ua.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { decode } from "./l3-helpers.js";
import { expectSameAsTshark, fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, B4, eth, ip4, u16, u32 } from "./transport-build.js";

/** An SCTP packet (checksum left zero: tshark does not verify it) with one DATA chunk per payload. */
function sctpData(payloads: number[][], ppi = 3, sport = 2905, dport = 2905): number[] {
  let tsn = 100;
  const chunks = payloads.map((m) => {
    const c = [0, 3, ...u16(16 + m.length), ...u32(tsn++), 0, 0, 0, 0, ...u32(ppi), ...m];
    while (c.length % 4) c.push(0);
    return c;
  });
  return eth(ip4(A4, B4, 132, [...u16(sport), ...u16(dport), ...u32(0x01020304), 0, 0, 0, 0, ...chunks.flat()]));
}

/** An M3UA message: common header (length over the whole message) and parameters. */
function m3ua(cls: number, type: number, params: number[][]): number[] {
  const body = params.flat();
  return [1, 0, cls, type, ...u32(8 + body.length), ...body];
}

/** A parameter padded to 4 bytes; `len` overrides the length field. */
function param(tag: number, value: number[], len?: number): number[] {
  const p = [...u16(tag), ...u16(len ?? 4 + value.length), ...value];
  while (p.length % 4) p.push(0);
  return p;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
/** Protocol Data: OPC, DPC, SI, NI, MP, SLS, then the user part. */
const protocolData = (opc: number, dpc: number, si: number, ni: number, mp: number, sls: number, user: number[]) =>
  param(0x210, [...u32(opc), ...u32(dpc), si, ni, mp, sls, ...user]);

const SCENARIOS: Record<string, number[]> = {
  "DATA with network appearance, routing context and protocol data": sctpData([m3ua(1, 1, [param(0x200, u32(7)), param(6, u32(1)),
    protocolData(1234, 5678, 8, 2, 0, 3, [1, 2, 3, 4, 5])])]),
  "ASPUP with an ASP identifier and an info string": sctpData([m3ua(3, 1, [param(0x11, u32(5)), param(4, ascii("hello"))])]),
  "ASPUP_ACK": sctpData([m3ua(3, 4, [param(0x11, u32(5))])]),
  "ASPDN and ASPDN_ACK": sctpData([m3ua(3, 2, []), m3ua(3, 5, [])]),
  "BEAT and BEAT_ACK": sctpData([m3ua(3, 3, [param(9, [1, 2, 3, 4, 5, 6])]), m3ua(3, 6, [param(9, [])])]),
  "ASPAC with traffic mode and two routing contexts": sctpData([m3ua(4, 1, [param(0xb, u32(2)), param(6, [...u32(1), ...u32(2)])])]),
  "ASPIA, ASPAC_ACK, ASPIA_ACK": sctpData([m3ua(4, 2, []), m3ua(4, 3, [param(0x13, u32(77))]), m3ua(4, 4, [param(0xb, u32(9))])]),
  "ERR with error code and diagnostic information": sctpData([m3ua(0, 0, [param(0xc, u32(0x16)), param(7, [1, 2])])]),
  "NTFY with status and ASP identifier": sctpData([m3ua(0, 1, [param(0xd, [0, 1, 0, 3]), param(0x11, u32(9))]), m3ua(0, 1, [param(0xd, [0, 2, 0, 9])])]),
  "DUNA with two affected point codes": sctpData([m3ua(2, 1, [param(0x200, u32(1)), param(0x12, [0, 0, 0x12, 0x34, 1, 0, 0, 5])])]),
  "DAVA, DAUD and DRST": sctpData([m3ua(2, 2, [param(0x12, [0, 0, 0, 5])]), m3ua(2, 3, [param(0x12, [0, 0, 0, 6])]), m3ua(2, 6, [param(0x12, [0, 0, 0, 7])])]),
  "DUPU with user and cause": sctpData([m3ua(2, 5, [param(0x12, [0, 0, 0, 5]), param(0x204, [0, 1, 0, 5])]), m3ua(2, 5, [param(0x204, [0, 9, 0, 99])])]),
  "SCON with concerned destination and congestion": sctpData([m3ua(2, 4, [param(0x12, [0, 0, 0, 5]), param(0x206, [0, 0, 1, 2]), param(0x205, [0, 0, 0, 2])])]),
  "REG_REQ with a routing key": sctpData([m3ua(9, 1, [param(0x207, [...param(0x20a, u32(1)), ...param(6, u32(3)), ...param(0xb, u32(1)),
    ...param(0x20b, [0, 0, 0, 9]), ...param(0x20c, [3, 5]), ...param(0x20e, [0, 0, 0, 4, 0, 0, 0, 6]), ...param(0x20f, [0, 0, 0, 7, 0, 1, 0, 9])])])]),
  "REG_RSP": sctpData([m3ua(9, 2, [param(0x208, [...param(0x20a, u32(1)), ...param(0x212, u32(0)), ...param(6, u32(3))])])]),
  "DEREG_REQ and DEREG_RSP": sctpData([m3ua(9, 3, [param(6, u32(3))]), m3ua(9, 4, [param(0x209, [...param(6, u32(3)), ...param(0x213, u32(0))])])]),
  "an unknown class and an unknown parameter": sctpData([m3ua(7, 9, [param(0x1234, [1])])]),
  "protocol data with an empty user part": sctpData([m3ua(1, 1, [protocolData(1, 2, 4, 3, 1, 255, [])])]),
  "protocol data by port, without PPI": sctpData([m3ua(1, 1, [protocolData(0xabcdef, 7, 10, 2, 2, 9, [9, 9])])], 0, 2905, 40000),
  "a message shorter than its header": sctpData([[1, 0, 1]]),
  "a parameter longer than the message": sctpData([[1, 0, 1, 1, 0, 0, 0, 20, 0, 0x10, 0, 12, 1, 2, 3]]),
  "a routing key longer than the message": sctpData([m3ua(9, 1, [param(0x207, param(6, u32(3)), 40)])]),
  "a parameter length below 4": sctpData([m3ua(3, 1, [param(0x11, [], 2)])]),
  "an info string with a NUL and stray bytes, and one with escapes": sctpData([m3ua(3, 1, [param(4, [104, 101, 0, 108, 111])]),
    m3ua(3, 1, [param(4, [97, 9, 98, 99, 100, 101, 102])])]),
  "two messages, the first failing": sctpData([[1, 0, 1, 1, 0, 0, 0, 16, 0, 0x10, 0, 30, 1, 2, 3, 4], m3ua(3, 1, [])]),
};

/** Every field m3ua.ts registers (experts excluded: tshark prints them only with a tree). */
const M3UA_FIELDS = allFields().filter((f) => f.proto === hf.proto && f.type !== FT.NONE).map((f) => f.abbrev);

describe("M3UA decoding", () => {
  it("reads a DATA message's routing label and hands the user part on", () => {
    const { p, v, text } = decode(SCENARIOS["DATA with network appearance, routing context and protocol data"]!);
    expect(p.protocol).toBe("M3UA (RFC 4666)");
    expect(p.info.toString()).toBe("DATA ");
    expect(p.layers.join(":")).toBe("eth:ethertype:ip:sctp:m3ua:data");
    expect(p.srcText).toBe("1234");
    expect(p.dstText).toBe("5678");
    expect(v("m3ua.protocol_data_si")).toEqual(["8"]);
    expect(v("mtp3.pc")).toEqual(["1234", "5678"]);
    expect(text).toContain("    Protocol data (SS7 message of 5 bytes)\n        Parameter Tag: Protocol data (528)\n");
    expect(text).toContain("        [MTP3 equivalents]\n            [OPC: 1234]\n");
    expect(text).toContain("Data (5 bytes)");
  });

  it("names management messages in the Info column, each DATA chunk's message after the last", () => {
    expect(decode(SCENARIOS["ASPDN and ASPDN_ACK"]!).p.info.toString()).toBe("ASPDN ASPDN_ACK ");
    expect(decode(SCENARIOS["an unknown class and an unknown parameter"]!).p.info.toString()).toBe("reserved ");
  });

  it("reports a parameter longer than its message as tshark's contained-item error, and goes on", () => {
    const { p, text } = decode(SCENARIOS["two messages, the first failing"]!);
    expect(p.malformed).toBe(true);
    expect(text).toContain("[Malformed Packet: M3UA: length of contained item exceeds length of containing item]");
    expect(p.info.toString()).toBe("DATA [Malformed Packet: length of contained item exceeds length of containing item]ASPUP ");
  });

  it("decodes every prefix of every message without an exception escaping", () => {
    for (const mode of [TreeMode.FULL, TreeMode.SUMMARY]) {
      const e = new Engine({ mode });
      for (const f of Object.values(SCENARIOS)) {
        for (let n = 0; n <= f.length; n++) {
          const p = e.dissect({ data: Uint8Array.from(f.slice(0, n)), wireLen: f.length, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
          expect(p.info.toString()).not.toContain("dissector error");
          const kids = e.tree.root.kids ?? [];
          expect(kids[kids.length - 1]?.text ?? "").not.toContain("arpx dissector error");
        }
      }
    }
  });
});

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: M3UA not compared with tshark");

function expectSameOutputs(file: string): void {
  const s = summaries(file);
  expect(s.ax).toEqual(s.ts);
  expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
  expect(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout).toBe(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout);
}

describe.skipIf(skip)("M3UA as tshark shows it", () => {
  it("every message class, parameter and damaged message: summary, fields, -V and JSON", () => {
    const frames = Object.values(SCENARIOS);
    const file = writePcap("m3ua.pcap", frames.map((f) => Uint8Array.from(f)));
    expectSameAsTshark(file, M3UA_FIELDS, frames.length);
    expectSameOutputs(file);
  });

  it("messages cut by the snaplen", () => {
    const cut = Object.values(SCENARIOS).flatMap((f) => {
      const out: (readonly [Uint8Array, number])[] = [];
      for (let n = 62; n < f.length; n += 3) out.push([Uint8Array.from(f.slice(0, n)), f.length] as const);
      return out;
    });
    const file = writePcap("m3ua-cut.pcap", cut);
    expectSameAsTshark(file, M3UA_FIELDS, cut.length);
    expectSameOutputs(file);
  });

  it("Protocol Data of the international network and of decoded user parts: the M3UA fields", () => {
    // tshark adds Q.708 items (NI 0) and decodes SI 0-3, 5, 12-14; the m3ua.* values still agree.
    const frames = [0, 1, 2, 3, 5, 12, 13, 14].map((si) => sctpData([m3ua(1, 1, [protocolData(0x3fff, 0x20, si, si & 1 ? 2 : 0, 1, 15, [1, 2, 3])])]));
    const file = writePcap("m3ua-si.pcap", frames.map((f) => Uint8Array.from(f)));
    const v = fieldLines(file, M3UA_FIELDS);
    expect(v.ax).toEqual(v.ts);
  });
});

describe.skipIf(skip || skipReason(HAVE_SHARED, "shared captures missing"))("tcpdump-isup.pcap", () => {
  it("reads the draft-era Protocol Data tag as tshark: an unknown parameter", () => {
    const file = `${SHARED_CAPTURES}/tcpdump-isup.pcap`;
    expectSameOutputs(file);
    expectSameAsTshark(file, M3UA_FIELDS, 6);
  });
});
