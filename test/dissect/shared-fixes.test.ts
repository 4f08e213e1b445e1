// Fixes to shared code, each compared with tshark 4.0 on frames built here:
//  - -T json: the items of a repeated key some of which have children ("key_tree" right after
//    "key", "" for an item without children), and text items whose own label is in brackets;
//  - -V: labels cut at 239 bytes of UTF-8 (not characters), " [truncated]" after the name;
//  - TCP reassembly: "TCP segment data" after the payload's "[PDU Size: N]" items, reassembled
//    messages followed by an unfinished one, a body that runs until a FIN in its last segment;
//  - _ws.unreassembled registered with Wireshark's own fields;
//  - ICMP errors: no "total length exceeds" expert on the quoted IPv4 header, a quote shorter than
//    UDP's ports leaves no UDP, the quoted datagram's payload at the top level;
//  - NTP versions 0 and 5 to 7 named "reserved", reference IDs as Wireshark 4.0 names them.
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/dissect/engine.js";
import { fieldByName } from "../../src/dissect/fields.js";
import { packetJson } from "../../src/dissect/output/json.js";
import { cutUtf8, treeText } from "../../src/dissect/output/tree-text.js";
import { TreeMode } from "../../src/dissect/tree.js";
import { wsUnreassembled, wsUnreassembledEi } from "../../src/dissect/ws.js";
import { HAVE_TSHARK, runArpx, runTshark, skipReason } from "../helpers.js";
import { everyPrefixIsSafe } from "./protocols/l3-helpers.js";
import { fieldLines, summaries, writePcap } from "./protocols/tshark-compare.js";
import { A4, B4, C4, eth, icmp, ip4, tcp, u16, u32, udp } from "./protocols/transport-build.js";

const bytes = (s: string): number[] => Array.from(Buffer.from(s, "latin1"));

/** Each packet's layers as JSON text: key order counts. */
function jsonLayers(stdout: string): string[] {
  return (JSON.parse(stdout) as { _source: { layers: unknown } }[]).map((p) => JSON.stringify(p._source.layers, null, 1));
}

/** -V, summaries and -T json (key order included) of both tools are equal for `file`. */
function expectSameOutputs(file: string): void {
  expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
  const s = summaries(file);
  expect(s.ax).toEqual(s.ts);
  const ax = jsonLayers(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout);
  const ts = jsonLayers(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout);
  expect(ax).toEqual(ts);
}

// ---- builders ----

/** A LACPDU whose Partner TLV has type `partnerType` (2 is right). */
function lacp(partnerType: number): number[] {
  const side = [...u16(32768), 0, 1, 2, 3, 4, 5, ...u16(1), ...u16(128), ...u16(7), 0x3d, 0, 0, 0];
  const body = [1, 1, 1, 20, ...side, partnerType, 20, ...side, 3, 16, 0, 0, ...new Array<number>(12).fill(0), 0, 0];
  while (body.length < 110) body.push(0);
  return [1, 0x80, 0xc2, 0, 0, 2, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x88, 0x09, ...body];
}

/** A Dropbox LAN sync datagram (its payload goes to JSON, then text lines). */
function dbLsp(payload: string): number[] {
  return eth(ip4(A4, B4, 17, udp(17500, 17500, bytes(payload))));
}

function dnsName(n: string): number[] {
  return [...n.split(".").flatMap((l) => [l.length, ...bytes(l)]), 0];
}

/** A DNS response with one TXT answer per string. */
function dnsTxt(txts: number[][]): number[] {
  const q = dnsName("a.example");
  const answers = txts.flatMap((s) => [...q, ...u16(16), ...u16(1), ...u32(60), ...u16(s.length + 1), s.length, ...s]);
  const msg = [...u16(0x1234), ...u16(0x8180), ...u16(1), ...u16(txts.length), 0, 0, 0, 0, ...q, ...u16(16), ...u16(1), ...answers];
  return eth(ip4(B4, A4, 17, udp(53, 1000, msg)));
}

/** One direction of a TCP connection: a SYN, then `chunks` as segments (the last may carry the FIN). */
function tcpStream(src: number[], dst: number[], sport: number, dport: number, chunks: number[][], fin: "none" | "last" | "alone" = "none"): number[][] {
  const frames = [eth(ip4(src, dst, 6, tcp(sport, dport, 4999, 1, 0x002)))];
  let seq = 5000;
  chunks.forEach((c, i) => {
    const f = fin === "last" && i === chunks.length - 1 ? 0x019 : 0x018;
    frames.push(eth(ip4(src, dst, 6, tcp(sport, dport, seq, 1, f, { data: c }))));
    seq += c.length;
  });
  if (fin === "alone") frames.push(eth(ip4(src, dst, 6, tcp(sport, dport, seq, 1, 0x011))));
  return frames;
}

/** An RPKI-RTR Serial Notify PDU (12 bytes). */
function serialNotify(serial: number): number[] {
  return [1, 0, 0, 1, ...u32(12), ...u32(serial)];
}

/** An ICMP destination unreachable (port) from C quoting `quoted`. */
function unreachable(quoted: number[], type = 3, code = 3): number[] {
  return eth(ip4(C4, A4, 1, icmp(type, code, [0, 0, 0, 0], quoted)));
}

/** An NTP message (48 bytes) with the given first byte, stratum and reference ID. */
function ntp(first: number, stratum = 2, refid = [0, 0, 0, 0]): number[] {
  return eth(ip4(A4, B4, 17, udp(123, 123, [first, stratum, 6, 0xec, ...new Array<number>(8).fill(0), ...refid, ...new Array<number>(32).fill(0)])));
}

/** An IPv4 header with `opts` (a multiple of 4 bytes) from 10.0.0.1 to 10.0.0.2, carrying UDP `payload`. */
function ip4opts(opts: number[], payload: number[]): number[] {
  const hl = 20 + opts.length;
  const h = [0x40 | (hl / 4), 0, ...u16(hl + payload.length), 0, 1, 0, 0, 64, 17, 0, 0, ...A4, ...B4, ...opts];
  let sum = 0;
  for (let i = 0; i < hl; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  h[10] = (~sum >> 8) & 0xff;
  h[11] = ~sum & 0xff;
  return [...h, ...payload];
}

// ---- tests ----

const noTshark = skipReason(HAVE_TSHARK, "tshark is not installed: the shared fixes are not compared with tshark");

describe("-T json keys", () => {
  it("keeps the brackets of a text item's own label, drops those of a generated one", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    e.dissect({ data: Uint8Array.from(dbLsp('{"a":1}\n[1,2,]')), wireLen: 0, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    const layers = (JSON.parse(packetJson(e.tree.root, 1, 1)) as { _source: { layers: Record<string, Record<string, unknown>> } })._source.layers;
    // (JSON and its text lines are inside the Dropbox protocol's item.)
    expect(layers["db-lsp-disc"]!["data-text-lines"]).toEqual({ "[1,2,]": "" });
    // "[Timestamps]" is generated: keyed without its brackets.
    expect(Object.keys(layers["udp"]!)).toContain("Timestamps");
  });

  it.skipIf(noTshark)("agree with tshark's: repeated keys with children, text in brackets", () => {
    const file = writePcap("json-keys.pcap", [lacp(5), lacp(2), lacp(7), dbLsp('{"a":1}\n[1,2,]'), dbLsp('{"a":1} [x]'), dbLsp("[1] [2,]")].map((f) => Uint8Array.from(f)));
    expectSameOutputs(file);
  });
});

describe("-V labels cut at 239 bytes", () => {
  it("cuts UTF-8 between characters", () => {
    expect(cutUtf8("abc", 2)).toBe("ab");
    expect(cutUtf8("a\u00e9b", 2)).toBe("a");
    expect(cutUtf8("a\u00e9b", 3)).toBe("a\u00e9");
    expect(cutUtf8("\u{1f600}x", 3)).toBe("");
    expect(cutUtf8("\u{1f600}x", 4)).toBe("\u{1f600}");
  });

  it.skipIf(noTshark)("as tshark, by bytes, for ASCII and multi-byte labels (JSON and fields keep the whole value)", () => {
    const y = (n: number) => new Array<number>(n).fill(0x79);
    const file = writePcap("labels.pcap", [
      // "TXT: " + 234 bytes is 239 (kept), + 235 is cut.
      dnsTxt([y(234), y(235), y(250)]),
      // Bytes from 0x80 on become U+FFFD (3 bytes each in the label).
      dnsTxt([[...y(231), 0xe9], [...y(232), 0xe9], new Array<number>(120).fill(0xe9), [0x61, ...new Array<number>(200).fill(0xe9)]]),
    ].map((f) => Uint8Array.from(f)));
    expectSameOutputs(file);
    const v = fieldLines(file, ["dns.txt"]);
    expect(v.ax).toEqual(v.ts);
  });
});

describe.skipIf(noTshark)("TCP reassembly", () => {
  it("adds TCP segment data after the [PDU Size] items; decoded messages then an unfinished one", () => {
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(serialNotify) as [number[], number[], number[], number[], number[]];
    const chunks = [a.slice(0, 6), a.slice(6), [...b, ...c.slice(0, 4)], [...c.slice(4), ...d.slice(0, 4)], [...d.slice(4), ...e.slice(0, 2)], e.slice(2, 8), e.slice(8)];
    expectSameOutputs(writePcap("rpki-rtr.pcap", tcpStream([10, 0, 0, 9], A4, 323, 40000, chunks).map((f) => Uint8Array.from(f))));
  });

  it("reassembles HTTP bodies by length and up to a FIN, in the FIN's segment or after it", () => {
    const r1 = bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Type: text/plain\r\n\r\n0123456789");
    const r2 = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\nworld\n");
    const S = [10, 0, 0, 9];
    const frames = [
      ...tcpStream(S, A4, 80, 40001, [r1.slice(0, 20), r1.slice(20, 50), r1.slice(50)]),
      ...tcpStream(S, A4, 80, 40002, [r2.slice(0, 30), r2.slice(30)], "last"),
      ...tcpStream(S, A4, 80, 40003, [r2.slice(0, 30), r2.slice(30)], "alone"),
      ...tcpStream(S, A4, 80, 40004, [[...r1, ...r1.slice(0, 30)], r1.slice(30)]),
    ];
    expectSameOutputs(writePcap("http-reassembly.pcap", frames.map((f) => Uint8Array.from(f))));
  });
});

describe.skipIf(noTshark)("IPv4 options, protocol items inside IPv4's", () => {
  it("have their bytes as value in -T json (with a _tree) and in -T fields, as tshark", () => {
    const opts = [[1, 1, 1, 0], [0x94, 4, 0, 0], [0x44, 12, 5, 0, ...new Array<number>(8).fill(0)], [7, 7, 4, 0, 0, 0, 0, 0], [1, 0x94, 4, 0, 0, 0, 0, 0]];
    const file = writePcap("ip-options.pcap", opts.map((o) => Uint8Array.from(eth(ip4opts(o, udp(1234, 5678, []))))));
    expectSameOutputs(file);
    const v = fieldLines(file, ["ip.options.routeralert", "ip.options.nop", "ip.options.timestamp", "ip.options.record_route", "ip.options.eol", "ip"]);
    expect(v.ax).toEqual(v.ts);
  });
});

describe("_ws.unreassembled", () => {
  it("is one of Wireshark's own fields, with its expert", () => {
    expect(fieldByName("_ws.unreassembled")).toBe(wsUnreassembled.proto);
    expect(fieldByName("_ws.unreassembled.expert")).toBe(wsUnreassembledEi.expert.field);
    expect(wsUnreassembledEi.expert.summary).toBe("Unreassembled fragment (change preferences to enable reassembly)");
  });
});

describe("ICMP errors quoting a datagram", () => {
  const quotedUdp = udp(40000, 53, [], { length: 80 });
  const frames = [
    // The usual quote: the IP header and 8 bytes of a longer datagram.
    ...[0, 1, 2, 3, 4, 6, 8].map((n) => unreachable(ip4(A4, B4, 17, quotedUdp.slice(0, n), { totalLength: 100 }))),
    unreachable(ip4(A4, B4, 17, udp(40000, 53, []), { totalLength: 28 })),
    unreachable(ip4(A4, B4, 17, udp(40000, 53, [], { length: 4 }), { totalLength: 28 })),
    unreachable(ip4(A4, B4, 6, tcp(40000, 80, 1, 0, 0x002).slice(0, 8), { totalLength: 60 })),
    unreachable(ip4(A4, B4, 17, quotedUdp, { totalLength: 100 }), 11, 0),
    // A whole datagram, with bytes after it: its payload goes to the top level.
    unreachable([...ip4(A4, B4, 17, udp(40000, 53, bytes("abcdefghij"))), ...bytes("0123456789")]),
    unreachable(ip4(A4, B4, 17, udp(40000, 9, bytes("abcdefgh")))),
    unreachable(ip4(A4, B4, 17, udp(40000, 123, [0x23, 2, 6, 0xec, ...new Array<number>(44).fill(0)]))),
    // Not in an error: UDP's length experts sit under the length item.
    eth(ip4(A4, B4, 17, udp(40000, 53, bytes("abcd"), { length: 4 }))),
    eth(ip4(A4, B4, 17, udp(40000, 53, bytes("abcd"), { length: 40 }))),
  ];

  it.skipIf(noTshark)("show what tshark shows", () => {
    const file = writePcap("icmp-quotes.pcap", frames.map((f) => Uint8Array.from(f)));
    expectSameOutputs(file);
    const v = fieldLines(file, ["frame.protocols", "udp.srcport", "udp.length", "ip.len", "_ws.expert.message"]);
    expect(v.ax).toEqual(v.ts);
  });

  it("never throw on their prefixes", () => {
    for (const f of frames.slice(0, 8)) everyPrefixIsSafe(f);
  });
});

describe("NTP", () => {
  const refids = ["GOES", "GPS\0", "LOCL", "LCL\0", "FREE", "\0\0\0\0", "GPSX", "A\u0001\u0080B", "AB\0C", "RATE"].map((s) => bytes(s));
  const frames = [
    // Versions 0 to 7, modes 1 to 5.
    ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((vn) => [1, 3, 4, 5].map((mode) => ntp((vn << 3) | mode))),
    ...[0, 1].flatMap((stratum) => refids.map((r) => ntp(0x24, stratum, r))),
    ntp(0x23, 2, [10, 0, 0, 9]),
    ntp(0x23, 3, bytes("GPS\0")),
    ntp(0x23, 16),
  ];

  it("fills the columns in summary mode", () => {
    const e = new Engine({ mode: TreeMode.SUMMARY });
    const p = e.dissect({ data: Uint8Array.from(ntp(0x2b)), wireLen: 0, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.info.toString()).toBe("reserved, client");
    const full = new Engine({ mode: TreeMode.FULL });
    full.dissect({ data: Uint8Array.from(ntp(0x24, 1, bytes("GPS\0"))), wireLen: 0, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(treeText(full.tree.root)).toContain("    Reference ID: Global Position System\n");
  });

  it.skipIf(noTshark)("names versions and reference IDs as tshark does", () => {
    const file = writePcap("ntp-versions.pcap", frames.map((f) => Uint8Array.from(f)));
    expectSameOutputs(file);
    const v = fieldLines(file, ["ntp.flags.vn", "ntp.refid", "ntp.stratum"]);
    expect(v.ax).toEqual(v.ts);
  });
});
