import { describe, expect, it } from "vitest";
import { TreeMode } from "../../../src/dissect/tree.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { Engine } from "../../../src/dissect/engine.js";
import { flagsString, flagsText } from "../../../src/dissect/protocols/tcp.js";
import { A4, ACK, B4, C4, eth, FIN, icmp, ip4, PSH, RST, run, SYN, tcp, u16, u32, URG } from "./transport-build.js";

const F = ["tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.completeness", "tcp.len", "tcp.seq", "tcp.seq_raw",
  "tcp.nxtseq", "tcp.ack", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.str",
  "tcp.window_size_value", "tcp.window_size", "tcp.window_size_scalefactor", "tcp.checksum.status",
  "tcp.urgent_pointer", "tcp.option_kind", "tcp.option_len", "tcp.options.mss_val", "tcp.options.wscale.shift",
  "tcp.options.wscale.multiplier", "tcp.options.sack_le", "tcp.options.sack_re", "tcp.options.sack.count",
  "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr", "tcp.time_relative", "tcp.time_delta",
  "tcp.payload", "tcp.reset_cause", "tcp.options.tfo.request", "tcp.options.tfo.cookie", "tcp.options.unknown.payload"];

const MSS = (v: number) => [2, 4, ...u16(v)];
const WS = (s: number) => [3, 3, s];
const TS = (a: number, b: number) => [8, 10, ...u32(a), ...u32(b)];
const SACK = (...e: number[]) => [5, 2 + 4 * e.length, ...e.flatMap(u32)];
const NOP = 1;
const pad = (o: number[]) => [...o, ...new Array((4 - (o.length % 4)) % 4).fill(0)];

function seg(src: number[], dst: number[], sp: number, dp: number, seq: number, ack: number, flags: number, o: { win?: number; options?: number[]; data?: number[]; hlen?: number; urg?: number } = {}) {
  return eth(ip4(src, dst, 6, tcp(sp, dp, seq, ack, flags, { ...o, options: o.options ? pad(o.options) : undefined })));
}

describe("tcp", () => {
  it("follows a handshake: relative numbers, window scaling, completeness, Info", () => {
    const rs = run([
      { bytes: seg(A4, B4, 40000, 80, 1000, 0, SYN, { options: [...MSS(1460), NOP, ...WS(7), ...TS(5, 0), 4, 2] }), sec: 1, nsec: 0 },
      { bytes: seg(B4, A4, 80, 40000, 5000, 1001, SYN | ACK, { options: [...MSS(1400), NOP, ...WS(8), 4, 2] }), sec: 1, nsec: 250_000_000 },
      { bytes: seg(A4, B4, 40000, 80, 1001, 5001, ACK, { win: 500 }), sec: 1, nsec: 500_000_000 },
      { bytes: seg(A4, B4, 40000, 80, 1001, 5001, PSH | ACK, { win: 500, data: [104, 105] }), sec: 2, nsec: 0 },
      { bytes: seg(B4, A4, 80, 40000, 5001, 1003, ACK, { win: 300, options: [NOP, NOP, ...SACK(1010, 1020)] }), sec: 2, nsec: 0 },
      { bytes: seg(B4, A4, 80, 40000, 5001, 1003, FIN | ACK, { win: 300 }), sec: 3, nsec: 0 },
    ], F);
    const [syn, synack, ack, data, sack, fin] = rs;
    expect(syn!.info).toBe("40000 \u2192 80 [SYN] Seq=0 Win=1000 Len=0 MSS=1460 WS=128 TSval=5 TSecr=0 SACK_PERM");
    expect(syn!.f["tcp.option_kind"]).toBe("2,1,3,8,4");
    expect(syn!.f["tcp.option_len"]).toBe("4,3,10,2");
    expect(syn!.f["tcp.window_size_scalefactor"]).toBe("");
    expect(syn!.f["tcp.flags.str"]).toBe("\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7S\u00b7");
    expect(syn!.f["tcp.nxtseq"]).toBe("1");
    expect(synack!.info).toBe("80 \u2192 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0 MSS=1400 WS=256 SACK_PERM");
    expect(synack!.f["tcp.completeness"]).toBe("1");
    expect(ack!.f["tcp.window_size"]).toBe(String(500 * 128));
    expect(ack!.f["tcp.window_size_scalefactor"]).toBe("128");
    expect(ack!.f["tcp.completeness"]).toBe("3");
    expect(data!.f["tcp.completeness"]).toBe("7");
    expect(data!.f["tcp.len"]).toBe("2");
    expect(data!.f["tcp.nxtseq"]).toBe("3");
    expect(data!.raw["tcp.payload"]).toEqual([[104, 105]]);
    expect(data!.raw["tcp.time_relative"]).toEqual([1]);
    expect(data!.raw["tcp.time_delta"]).toEqual([0.5]);
    expect(sack!.f["tcp.seq"]).toBe("1");
    expect(sack!.f["tcp.ack"]).toBe("3");
    expect(sack!.f["tcp.window_size"]).toBe(String(300 * 256));
    expect(sack!.f["tcp.options.sack_le"]).toBe("10");
    expect(sack!.f["tcp.options.sack_re"]).toBe("20");
    expect(sack!.info).toBe("80 \u2192 40000 [ACK] Seq=1 Ack=3 Win=76800 Len=0 SLE=10 SRE=20");
    expect(fin!.f["tcp.completeness"]).toBe("15");
    expect(fin!.experts).toContain("This frame initiates the connection closing");
    expect(rs.every((r) => r.f["tcp.stream"] === "0")).toBe(true);
  });

  it("numbers from 1 when the handshake was not captured, with an unknown window scale", () => {
    const [r] = run([{ bytes: seg(A4, B4, 1234, 80, 7777, 9999, ACK) }], F);
    expect(r!.f["tcp.seq"]).toBe("1");
    expect(r!.f["tcp.ack"]).toBe("1");
    expect(r!.f["tcp.window_size_scalefactor"]).toBe("-1");
    expect(r!.f["tcp.completeness"]).toBe("0");
  });

  it("starts a new stream when a SYN reuses the ports with a new ISN", () => {
    const rs = run([
      { bytes: seg(A4, B4, 40000, 80, 1000, 0, SYN) },
      { bytes: seg(A4, B4, 40000, 80, 1000, 0, SYN) },
      { bytes: seg(A4, B4, 40000, 80, 777777, 0, SYN) },
      { bytes: seg(B4, A4, 80, 40000, 5, 777778, SYN | ACK) },
      { bytes: seg(A4, C4, 40000, 80, 1, 0, SYN) },
    ], F);
    expect(rs.map((r) => r.f["tcp.stream"])).toEqual(["0", "0", "1", "1", "2"]);
    expect(rs[2]!.f["tcp.completeness"]).toBe("1");
    expect(rs[3]!.f["tcp.ack"]).toBe("1");
  });

  it("turns window scaling off when either SYN lacks the option", () => {
    const rs = run([
      { bytes: seg(A4, C4, 1111, 22, 1, 0, SYN, { options: MSS(536) }) },
      { bytes: seg(C4, A4, 22, 1111, 2, 2, SYN | ACK, { options: WS(3) }) },
      { bytes: seg(A4, C4, 1111, 22, 2, 3, ACK, { win: 100 }) },
    ], F);
    expect(rs[2]!.f["tcp.window_size_scalefactor"]).toBe("-2");
    expect(rs[2]!.f["tcp.window_size"]).toBe("100");
  });

  it("stops at malformed option lengths without looping", () => {
    const rs = run([
      { bytes: seg(A4, C4, 2222, 23, 10, 0, SYN, { options: [...MSS(1460), 3, 0] }) },
      { bytes: seg(A4, C4, 2223, 23, 10, 0, SYN, { options: [8, 1, NOP, NOP] }) },
      { bytes: seg(A4, C4, 2224, 23, 10, 0, SYN, { options: [NOP, NOP, 8, 20, 0, 0, 0, 0] }) },
      { bytes: seg(A4, C4, 2225, 23, 10, 0, SYN, { options: [NOP, NOP, NOP, 99] }) },
    ], F);
    expect(rs[0]!.experts).toContain("Window scale (with too-short option length = 0 bytes)");
    expect(rs[0]!.f["tcp.options.mss_val"]).toBe("1460");
    expect(rs[1]!.experts).toContain("Timestamps (with too-short option length = 1 byte)");
    expect(rs[2]!.experts).toContain("Timestamps (option length = 20 bytes says option goes past end of options)");
    expect(rs[3]!.experts).toContain("Unknown (0x63) (length byte past end of options)");
    expect(rs.every((r) => !r.malformed)).toBe(true);
  });

  it("decodes TFO, unknown options, caps the window shift, and flags padding after EOL", () => {
    const rs = run([
      { bytes: seg(A4, C4, 2226, 23, 10, 0, SYN, { options: [34, 2, 254, 6, 0xf9, 0x89, 1, 2, 99, 4, 7, 7, ...WS(15), 0, 5] }) },
    ], [...F, "tcp.options.experimental.exid", "tcp.options.wscale.shift.invalid"]);
    const r = rs[0]!;
    expect(r.f["tcp.option_kind"]).toBe("34,254,99,3,0");
    expect(r.raw["tcp.options.tfo.request"]!.length).toBe(1);
    expect(r.raw["tcp.options.tfo.cookie"]).toEqual([[1, 2]]);
    expect(r.raw["tcp.options.unknown.payload"]).toEqual([[7, 7]]);
    expect(r.f["tcp.options.wscale.multiplier"]).toBe("16384");
    expect(r.info).toContain("TFO=R TFO=C WS=16384");
    expect(r.experts).toContain("Non-zero header padding");
  });

  it("reports a bogus header length and a header longer than the segment", () => {
    const rs = run([
      { bytes: seg(A4, C4, 3333, 24, 10, 0, ACK, { hlen: 4 }) },
      { bytes: eth(ip4(A4, C4, 6, tcp(3334, 24, 10, 0, ACK, { hlen: 15 }).concat(new Array(20).fill(1)))) },
    ], F);
    expect(rs[0]!.info).toBe("3333 \u2192 24 [ACK] Seq=1 Ack=1 Win=1000, bogus TCP header length (16, must be at least 20)");
    expect(rs[0]!.f["tcp.hdr_len"]).toBe("16");
    expect(rs[1]!.experts[0]).toMatch(/^Short segment/);
    expect(rs[1]!.f["tcp.seq"]).toBe("10");
    expect(rs[1]!.malformed).toBe(true);
  });

  it("shows RST data as the reset cause and urgent data", () => {
    const rs = run([
      { bytes: seg(C4, A4, 24, 3335, 10, 20, RST | ACK, { data: [...Buffer.from("bye"), 0, 0x41] }) },
      { bytes: seg(A4, C4, 3336, 25, 10, 20, URG | ACK, { urg: 7, data: [1, 2] }) },
      { bytes: seg(A4, C4, 3337, 25, 10, 20, ACK, { urg: 7 }) },
    ], [...F, "tcp.urgent_pointer.non_zero"]);
    expect(rs[0]!.f["tcp.reset_cause"]).toBe("bye");
    expect(rs[0]!.f["tcp.payload"]).toBe("");
    expect(rs[1]!.info).toBe("3336 \u2192 25 [ACK, URG] Seq=1 Ack=1 Win=1000 Urg=7 Len=2");
    expect(rs[2]!.experts).toContain("The urgent pointer field is nonzero while the URG flag is not set");
  });

  it("names flags like Wireshark", () => {
    expect(flagsText(0x0ff)).toBe("FIN, SYN, RST, PSH, ACK, URG, ECE, CWR");
    expect(flagsText(0xc30)).toBe("ACK, URG, Reserved");
    expect(flagsText(0)).toBe("<None>");
    expect(flagsString(0xc30)).toBe("RR\u00b7\u00b7\u00b7\u00b7UA\u00b7\u00b7\u00b7\u00b7");
    expect(flagsString(0x100)).toBe("\u00b7\u00b7\u00b7A\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7");
  });

  it("decodes a TCP header quoted in an ICMP error without touching the connection", () => {
    const inner = ip4(A4, C4, 6, tcp(4444, 80, 123456, 0, SYN));
    const rs = run([
      { bytes: eth(ip4(B4, A4, 1, icmp(3, 3, [0, 0, 0, 0], inner.slice(0, 28)))) },
      { bytes: eth(ip4(B4, A4, 1, icmp(3, 3, [0, 0, 0, 0], inner))) },
      { bytes: seg(A4, C4, 4444, 80, 123456, 0, SYN) },
    ], [...F, "ip.src"]);
    expect(rs[0]!.info).toBe("Destination unreachable (Port unreachable)");
    expect(rs[0]!.malformed).toBe(false);
    expect(rs[0]!.short).toBe(false);
    expect(rs[0]!.f["tcp.seq"]).toBe("123456");
    expect(rs[0]!.f["tcp.stream"]).toBe("");
    expect(rs[0]!.f["ip.src"]).toBe("10.0.0.2,10.0.0.1");
    expect(rs[1]!.f["tcp.stream"]).toBe("0");
    expect(rs[1]!.f["tcp.len"]).toBe("");
    expect(rs[1]!.protocol).toBe("ICMP");
    // The quoted SYN did not set the base sequence number, but it did open the conversation.
    expect(rs[2]!.f["tcp.seq"]).toBe("0");
    expect(rs[2]!.f["tcp.stream"]).toBe("0");
    expect(rs[2]!.f["tcp.completeness"]).toBe("1");
  });

  it("decodes truncated headers as far as the bytes go", () => {
    const full = seg(A4, B4, 1, 2, 3, 4, SYN, { options: MSS(1460) });
    for (let n = 14 + 20; n < full.length; n++) {
      const [r] = run([{ bytes: full.slice(0, n), wire: full.length }], F);
      expect(r!.short || r!.malformed).toBe(true);
      if (n >= 14 + 20 + 4) expect(r!.f["tcp.srcport"]).toBe("1");
    }
  });

  it("builds the detail tree with Wireshark's labels", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    e.dissect({ data: Uint8Array.from(seg(A4, B4, 40000, 80, 1000, 0, SYN, { options: [...MSS(1460), NOP, ...WS(7)] })), wireLen: 62, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    const text = treeText(e.tree.root);
    expect(text).toContain("Transmission Control Protocol, Src Port: 40000, Dst Port: 80, Seq: 0, Len: 0");
    expect(text).toContain("Options: (8 bytes), Maximum segment size, No-Operation (NOP), Window scale");
    expect(text).toContain("TCP Option - Window scale: 7 (multiply by 128)");
    expect(text).toContain("[TCP Flags: \u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7S\u00b7]");
  });
});
