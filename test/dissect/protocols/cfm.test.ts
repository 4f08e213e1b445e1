// CFM (IEEE 802.1ag / ITU-T Y.1731, ethertype 0x8902): PDUs of every opcode and TLVs of every type
// built here, lying lengths, unknown opcodes, cut frames and seeded random mutations are read by
// arpx and by tshark, which must print the same -V tree, summary lines, frame.protocols and cfm.*
// fields; tcpdump's kday2.pcap (a malformed CFM frame) too. Every prefix decodes safely.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFields } from "../../../src/dissect/fields.js";
import { hf } from "../../../src/dissect/protocols/cfm.js";
import { HAVE_SHARED, HAVE_TSHARK, runArpx, runTshark, SHARED_CAPTURES, skipReason } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, fieldLines, summaries, writePcap } from "./tshark-compare.js";

const HDR = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x30, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x89, 0x02];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const seq = (n: number, from = 1) => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

/** A TLV whose length field says `len` (the value's unless it lies). */
function tlv(type: number, value: number[], len = value.length): number[] {
  return [type, ...u16(len), ...value];
}
const END = [0];

/** A CFM frame: level/version, opcode, flags, first TLV offset, then the rest. */
function cfm(op: number, flags: number, firstTlv: number, rest: number[], levelVersion = 0x60): number[] {
  return [...HDR, levelVersion, op, flags, firstTlv, ...rest];
}

function maid(mdFormat: number, md: number[], maFormat: number, ma: number[]): number[] {
  const b = [mdFormat, ...(mdFormat !== 1 ? [md.length, ...md] : []), maFormat, ma.length, ...ma];
  while (b.length < 48) b.push(0);
  return b;
}

const SENDER_ID = tlv(1, [7, 4, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 3, 0x2b, 0x06, 0x01, 4, 10, 0, 0, 1]);
const LBM_HDR = [0x60, 3, 0, 4, ...u32(77)];

const FRAMES: Record<string, number[]> = {
  "CCM, string names, port/interface status, sender ID, org-specific and data TLVs": cfm(1, 0x04, 70, [
    ...u32(1234), ...u16(0x2005), ...maid(4, ascii("mdom"), 2, ascii("abc")), ...seq(16, 0),
    ...tlv(2, [2]), ...tlv(4, [1]), ...SENDER_ID, ...tlv(0x1f, [0x00, 0x11, 0x22, 0x01, 0x66]), ...tlv(3, [0xaa, 0xbb, 0xcc]), ...END,
  ]),
  "CCM, MAC + id domain name and VPN ID, RDI": cfm(1, 0x87, 70, [...u32(5), ...u16(1), ...maid(3, [0, 0x11, 0x22, 0x33, 0x44, 0x55, 1, 2], 4, [0, 0, 10, 0, 0, 0, 1]), ...seq(16, 0), ...END], 0x20),
  "CCM, no domain name, ICC format": cfm(1, 0x87, 70, [...u32(5), ...u16(1), ...maid(1, [], 32, ascii("ABCDEFGHIJKLM")), ...Array(16).fill(0), ...END]),
  "CCM, DNS name, primary VID; reserved and unknown formats": cfm(1, 0x03, 70, [...u32(9), ...u16(0x1fff), ...maid(2, ascii("ex.com"), 1, [0, 100]), ...Array(16).fill(0), ...END]),
  "CCM, unknown name formats with control characters": cfm(1, 0x00, 70, [...u32(0), ...u16(0), ...maid(5, [1, 2], 33, ascii("UKABCDEFGHIJKLM")), ...Array(16).fill(0), ...END]),
  "CCM, names running past the MAID": cfm(1, 0x00, 70, [...u32(0), ...u16(0), 4, 40, ...ascii("x".repeat(40)), 2, 10, ...ascii("abcdefghij"), ...Array(16).fill(0), ...END]),
  "LBM with Test TLVs of every pattern": cfm(3, 0, 4, [...u32(77),
    ...tlv(0x20, [0, 0x11, 0x22, 0x33]), ...tlv(0x20, [1, 0x11, 0x22, 0x33, 0xde, 0xad, 0xbe, 0xef]), ...tlv(0x20, [2, 1, 2, 3]),
    ...tlv(0x20, [3, 1, 2, 3, 4, 0xde, 0xad, 0xbe, 0xef]), ...tlv(0x20, [1, 2]), ...tlv(0x20, [0]), ...END]),
  "LBR with reply ingress/egress and egress identifier TLVs": cfm(2, 0, 4, [...u32(78),
    ...tlv(5, [1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]), ...tlv(5, [2, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 3, 5, 0x65, 0x74]),
    ...tlv(6, [1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 4, 5, ...ascii("eth0")]), ...tlv(7, [0, 1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]),
    ...tlv(8, [0, 1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0, 2, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xff]), ...END]),
  "unknown and Y.1731 TLV types, zero lengths, short sender IDs": [...HDR, ...LBM_HDR,
    ...[9, 10, 11, 12, 13, 0x21, 0x22, 0x23, 0x1e, 0x40].flatMap((t) => tlv(t, [1])), ...tlv(0x24, [1, 2, 3, 4]), ...tlv(0x24, [1]),
    ...tlv(2, []), ...tlv(3, []), ...tlv(1, [0, 0]), ...tlv(1, [0, 0, 0]), ...tlv(1, [0, 1, 0xaa, 0]), ...tlv(1, [0, 1, 0xaa, 0, 0]),
    ...tlv(0x1f, [0, 0x11, 0x22]), ...tlv(0x1f, [0, 0x10, 0x00, 7]), ...END, ...Array(20).fill(0)],
  "LTM and LTR": cfm(5, 0xa5, 17, [...u32(1), 64, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, ...END]),
  "LTR, relay action": cfm(4, 0x40, 6, [...u32(0), 64, 1, ...tlv(7, Array(8).fill(0)), ...END]),
  "GNM with a BNM, and with another sub-opcode": cfm(0x20, 0xa5, 13, [1, ...u32(100), ...u32(50), ...u32(7), ...END]),
  "GNM, unknown sub-opcode": cfm(0x20, 0x04, 13, [2, ...Array(12).fill(0), ...END]),
  "AIS, LCK, CSF": cfm(0x21, 0x04, 0, END),
  "LCK": cfm(0x23, 0x06, 0, END),
  "CSF": cfm(0x34, 0x08, 4, END),
  "TST with a Test TLV": cfm(0x25, 0, 4, [...u32(0), ...tlv(0x20, [1, ...Array(8).fill(0)]), ...END]),
  "APS": cfm(0x27, 0, 4, [0xdf, 1, 1, 0x80, ...END]),
  "R-APS version 1, event": cfm(0x28, 0, 32, [0xe3, 0xe0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, ...Array(24).fill(0), ...END], 0x61),
  "R-APS version 0": cfm(0x28, 0xa5, 32, [0xb0, 0xa0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, ...Array(24).fill(0), ...END]),
  "MCC with data, EXM, VSR": cfm(0x29, 0, 10, [0x00, 0x19, 0x07, 1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, ...END]),
  "MCC, first TLV offset below 4": cfm(0x29, 0, 2, [0x00, 0x19, 0x07, 1, ...END]),
  "EXM": cfm(0x31, 0, 6, [0x00, 0x10, 0x00, 2, 9, 9, ...END]),
  "VSR": cfm(0x32, 0, 4, [0x00, 0x00, 0x0c, 3, ...END]),
  "LMM": cfm(0x2b, 0, 12, [...seq(12), ...END]),
  "1DM": cfm(0x2d, 0, 16, [...seq(16), ...END]),
  "DMR": cfm(0x2e, 0, 32, [...seq(32), ...END]),
  "1SL": cfm(0x35, 0, 16, [...seq(16), ...END]),
  "SLM": cfm(0x37, 0, 16, [...seq(16), ...END]),
  "unknown opcode (TLVs right after the opcode)": cfm(0x40, 0x00, 0x34, [...END, ...Array(20).fill(0)]),
  "reserved opcode 0, lying TLV": cfm(0, 0xa5, 4, [...seq(20)]),
  "no End TLV": [...HDR, ...LBM_HDR, ...tlv(3, [0xaa, 0xbb, 0xcc])],
  "TLV longer than the frame": [...HDR, ...LBM_HDR, 0x40, 0x00, 0x64, ...Array(10).fill(0)],
  "only the level byte": [...HDR, 0x60],
  "header without the first TLV offset": [...HDR, 0x60, 0x40, 0x00],
};

/** Every field cfm.ts registers (the PDU and TLV markers included). */
const CFM_FIELDS = allFields().filter((f) => f.proto === hf.proto).map((f) => f.abbrev);

/** A seeded generator, so the mutated frames are the same in every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Frames of FRAMES with random bytes changed, cut or appended. */
function mutations(seed: number, n: number): (Uint8Array | readonly [Uint8Array, number])[] {
  const r = rng(seed);
  const base = Object.values(FRAMES);
  const out: (Uint8Array | readonly [Uint8Array, number])[] = [];
  for (let i = 0; i < n; i++) {
    let f = [...base[Math.floor(r() * base.length)]!];
    const k = r();
    if (k < 0.5) for (let j = 0; j < 1 + Math.floor(r() * 4); j++) f[14 + Math.floor(r() * (f.length - 14))] = Math.floor(r() * 256);
    else if (k < 0.7) f = f.slice(0, 15 + Math.floor(r() * (f.length - 15)));
    else f.push(...Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * 256)));
    out.push(r() < 0.1 ? [Uint8Array.from(f), f.length + 20] : Uint8Array.from(f));
  }
  return out;
}

const lines = (s: string) => s.split("\n");

describe("CFM decoding", () => {
  it("reads a CCM and its TLVs", () => {
    const { p, v, text } = decode(FRAMES["CCM, string names, port/interface status, sender ID, org-specific and data TLVs"]!);
    expect(p.protocol).toBe("CFM");
    expect(p.info.toString()).toBe("Type Continuity Check Message (CCM)");
    expect(v("cfm.md.level")).toEqual(["3"]);
    expect(v("cfm.ccm.ma.ep.id")).toEqual(["5"]);
    expect(v("cfm.maid.md.name.string")).toEqual(["mdom"]);
    expect(v("cfm.maid.ma.name.string")).toEqual(["abc"]);
    expect(v("cfm.tlv.type")).toEqual(["2", "4", "1", "31", "3", "0"]);
    expect(v("cfm.tlv.org.spec.oui")).toEqual(["4386"]);
    expect(v("cfm.tlv.data.value")).toEqual(["aabbcc"]);
    expect(text).toContain("CFM CCM PDU\n    Flags: 0x04\n");
    expect(text).toContain("CFM TLVs\n    TLV: Port Status TLV (t=2,l=1)\n");
    expect(text).toContain("        OUI: 00:11:22 (CIMSYS Inc)\n");
  });

  it("keeps R-APS's hexadecimal request/state in the field APS shares", () => {
    expect(decode(FRAMES["R-APS version 1, event"]!).v("cfm.raps.req.st")).toEqual(["0x0e"]);
    expect(decode(FRAMES["APS"]!).v("cfm.raps.req.st")).toEqual(["13"]);
  });

  it("flags an unknown opcode's lying TLV as malformed, as in tcpdump's kday2.pcap", () => {
    const { p, text } = decode(FRAMES["reserved opcode 0, lying TLV"]!);
    expect(p.malformed).toBe(true);
    expect(text).toContain("[Malformed Packet: CFM]");
  });

  it("decodes every prefix of every frame without an exception escaping", () => {
    for (const f of Object.values(FRAMES)) everyPrefixIsSafe(f);
  });
});

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: CFM not compared with tshark");

describe.skipIf(skip)("CFM as tshark shows it", () => {
  it("the built frames, frames cut by the snaplen and mutated frames: summaries, fields and -V", () => {
    const cut = Object.values(FRAMES).flatMap((f) => [16, 17, 20, 30, 60, 90].filter((n) => n < f.length).map((n) => [Uint8Array.from(f.slice(0, n)), f.length] as const));
    const frames = [...Object.values(FRAMES).map((f) => Uint8Array.from(f)), ...cut, ...mutations(8902, 150)];
    const file = writePcap("cfm.pcap", frames);
    expectSameAsTshark(file, CFM_FIELDS, frames.length);
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
  });

  it.skipIf(!HAVE_SHARED)("tcpdump's kday2.pcap: -V, summaries and fields", () => {
    const file = join(SHARED_CAPTURES, "tcpdump-kday2.pcap");
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
    const s = summaries(file);
    expect(s.ax).toEqual(s.ts);
    const v = fieldLines(file, ["frame.protocols", ...CFM_FIELDS]);
    expect(v.ax).toEqual(v.ts);
  });
});
