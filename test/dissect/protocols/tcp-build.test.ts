import { describe, expect, it } from "vitest";
import { build, payloadLayer } from "../../../src/dissect/build.js";
import { tcpLayer, type TcpOptionRepr } from "../../../src/dissect/protocols/tcp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { ETH, IP4, IP6, IP6_A, IP6_B, IP_A, IP_B, dissect, eth4, eth6, hex, pseudoChecksumOk, testIpv4, testIpv6 } from "./build-helpers.js";

const F = ["tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags", "tcp.window_size_value",
  "tcp.checksum", "tcp.urgent_pointer", "tcp.len", "tcp.payload", "tcp.option_kind", "tcp.options.mss_val",
  "tcp.options.wscale.shift", "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr", "tcp.options.sack_perm",
  "tcp.options.eol", "tcp.non_zero_bytes_after_eol", "tcp.option.len.invalid"];

const SYN_OPTS: TcpOptionRepr[] = [
  { kind: "mss", value: 1460 }, { kind: "sack_perm" }, { kind: "timestamp", tsval: 1000, tsecr: 0 }, { kind: "nop" }, { kind: "wscale", shift: 7 },
];
// 40000 -> 80 SYN, seq 0x01020304, window 64240, data offset 10 (20 bytes of options), checksum
// over the 10.0.0.1 -> 10.0.0.2 pseudo header.
const FIXTURE = hex(`9c 40 00 50 01 02 03 04 00 00 00 00 a0 02 fa f0 94 8e 00 00
  02 04 05 b4 04 02 08 0a 00 00 03 e8 00 00 00 00 01 03 03 07`);

describe("tcpLayer", () => {
  it("emits the fixture (data offset, options and checksum)", () => {
    const l = tcpLayer({ srcPort: 40000, dstPort: 80, seq: 0x01020304, flags: 0x002, window: 64240, options: SYN_OPTS });
    expect(l.headerLen).toBe(40);
    const b = build([eth4(), testIpv4(IP_A, IP_B, 6), l]);
    expect(b.length).toBe(ETH + IP4 + 40);
    expect(Array.from(b.subarray(ETH + IP4))).toEqual(Array.from(FIXTURE));
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 40, 6)).toBe(true);
  });

  it("the fixture dissects back to the repr", () => {
    const r = dissect(build([eth4(), testIpv4(IP_A, IP_B, 6), payloadLayer(FIXTURE)]), F, TreeMode.FULL);
    expect(r.layers).toBe("eth:ethertype:ip:tcp");
    expect(r.v["tcp.srcport"]).toEqual([40000]);
    expect(r.v["tcp.dstport"]).toEqual([80]);
    expect(r.v["tcp.seq_raw"]).toEqual([0x01020304]);
    expect(r.v["tcp.ack_raw"]).toEqual([0]);
    expect(r.v["tcp.hdr_len"]).toEqual([40]);
    expect(r.v["tcp.flags"]).toEqual([0x002]);
    expect(r.v["tcp.window_size_value"]).toEqual([64240]);
    expect(r.v["tcp.checksum"]).toEqual([0x948e]);
    expect(r.v["tcp.urgent_pointer"]).toEqual([0]);
    expect(r.v["tcp.len"]).toEqual([0]);
    expect(r.v["tcp.option_kind"]).toEqual([2, 4, 8, 1, 3]);
    expect(r.v["tcp.options.mss_val"]).toEqual([1460]);
    expect(r.v["tcp.options.wscale.shift"]).toEqual([7]);
    expect(r.v["tcp.options.timestamp.tsval"]).toEqual([1000]);
    expect(r.v["tcp.options.timestamp.tsecr"]).toEqual([0]);
    expect(r.info).toBe("40000 \u2192 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1000 TSecr=0 WS=128");
    expect(r.malformed).toBe(false);
  });

  it("round-trips a data segment with defaults (ack, window 65535, no options)", () => {
    const data = new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n");
    const b = build([eth4(), testIpv4(IP_A, IP_B, 6), tcpLayer({ srcPort: 40001, dstPort: 8080, seq: 0xfffffff0, ack: 0x80000001, flags: 0x018 }), payloadLayer(data)]);
    const r = dissect(b, F);
    expect(r.v["tcp.seq_raw"]).toEqual([0xfffffff0]);
    expect(r.v["tcp.ack_raw"]).toEqual([0x80000001]);
    expect(r.v["tcp.hdr_len"]).toEqual([20]);
    expect(r.v["tcp.flags"]).toEqual([0x018]);
    expect(r.v["tcp.window_size_value"]).toEqual([65535]);
    expect(r.v["tcp.len"]).toEqual([data.length]);
    expect(r.v["tcp.payload"]).toEqual([Array.from(data)]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP4, 20 + data.length, 6)).toBe(true);
  });

  it("pads options with NOPs, or with zeros after an EOL", () => {
    const ws = build([eth4(), testIpv4(IP_A, IP_B, 6), tcpLayer({ srcPort: 1, dstPort: 2, seq: 0, flags: 0x012, ack: 1, options: [{ kind: "wscale", shift: 14 }] })]);
    expect(Array.from(ws.subarray(ETH + IP4 + 20, ETH + IP4 + 24))).toEqual([3, 3, 14, 1]);
    const r1 = dissect(ws, F);
    expect(r1.v["tcp.hdr_len"]).toEqual([24]);
    expect(r1.v["tcp.option_kind"]).toEqual([3, 1]);

    const eol = build([eth4(), testIpv4(IP_A, IP_B, 6), tcpLayer({ srcPort: 1, dstPort: 2, seq: 0, flags: 0x002, options: [{ kind: "mss", value: 536 }, { kind: "eol" }] })]);
    expect(Array.from(eol.subarray(ETH + IP4 + 20, ETH + IP4 + 28))).toEqual([2, 4, 2, 24, 0, 0, 0, 0]);
    const r2 = dissect(eol, F);
    expect(r2.v["tcp.hdr_len"]).toEqual([28]);
    expect(r2.v["tcp.options.mss_val"]).toEqual([536]);
    expect(r2.v["tcp.non_zero_bytes_after_eol"]).toEqual([]);
    expect(r2.experts).toEqual(["Connection establish request (SYN): server port 2"]);
  });

  it("rejects options longer than 40 bytes", () => {
    const ts: TcpOptionRepr = { kind: "timestamp", tsval: 1, tsecr: 2 };
    expect(() => tcpLayer({ srcPort: 1, dstPort: 2, seq: 0, flags: 0x002, options: [ts, ts, ts, ts, { kind: "nop" }] })).toThrow(RangeError);
  });

  it("round-trips over IPv6 with a checksum over the IPv6 pseudo header", () => {
    const b = build([eth6(), testIpv6(IP6_A, IP6_B, 6), tcpLayer({ srcPort: 40443, dstPort: 50000, seq: 7, ack: 9, flags: 0x011, window: 501 }), payloadLayer(Uint8Array.of(1, 2, 3))]);
    const r = dissect(b, F);
    expect(r.layers).toBe("eth:ethertype:ipv6:tcp:data");
    expect(r.v["tcp.flags"]).toEqual([0x011]);
    expect(r.v["tcp.window_size_value"]).toEqual([501]);
    expect(r.v["tcp.len"]).toEqual([3]);
    expect(pseudoChecksumOk(b, ETH, ETH + IP6, 23, 6)).toBe(true);
  });

  it("leaves the checksum 0 without a network layer", () => {
    const b = build([tcpLayer({ srcPort: 1, dstPort: 2, seq: 3, flags: 0x010 })], 0);
    expect(Array.from(b)).toEqual([0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0]);
  });
});
