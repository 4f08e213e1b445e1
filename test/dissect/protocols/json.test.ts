// JSON (carried here by the Dropbox LAN sync discovery protocol, UDP 17500, whose payload goes to
// JSON when it passes Wireshark's json_validate): the check, the unescaping and the tree are
// compared with what tshark 4.0 shows for payloads built here, including its quirks (whitespace
// inside numbers, escapes at a string's end, bytes from 0x80 on in the check, 1024 tokens at most).
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { jsonString, jsonValidate } from "../../../src/dissect/protocols/json.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { HAVE_TSHARK, runArpx, runTshark } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, B4, eth, ip4, udp } from "./transport-build.js";

const FIELDS = [
  "json.object", "json.array", "json.member", "json.key", "json.path", "json.path_with_value", "json.member_with_value",
  "json.value.string", "json.value.number", "json.value.true", "json.value.false", "json.value.null", "db-lsp.text", "data-text-lines",
];

const bytes = (s: string): number[] => Array.from(Buffer.from(s, "latin1"));
const utf8 = (s: string): number[] => Array.from(Buffer.from(s, "utf8"));

/** A discovery datagram (UDP 17500 both ways) carrying `payload`. */
function datagram(payload: number[]): number[] {
  return eth(ip4(A4, B4, 17, udp(17500, 17500, payload)));
}

const DROPBOX = '{"host_int": 4094514483, "version": [1, 8], "displayname": "", "port": 17500, "namespaces": [20524257, 639539072]}';

/** Payloads whose tree and fields tshark and arpx must show alike (the -T json comparison too). */
const CASES: number[][] = [
  bytes(DROPBOX),
  bytes('{"a": true, "b": [false, null, -1.5e3, "x\\"y"], "c": {}, "d": []}'),
  bytes('  {"a":1}'),
  bytes("[]"),
  bytes('{"a":1} {"b":2}'),
  bytes('[{"a":[[1]]},[true],{}]  '),
  bytes('{"a":1}\r\n'),
  bytes(' {"a":[1, 2 ] , "b" : "c"}'),
  bytes('{"k\\n": "a\\nb\\tc\\/d\\\\e\\u0041\\u00e9\\ud83d\\ude00|\\u0000|\\ud800x|\\udc00|\\u001f|\\b\\f\\r", "e\\"": ""}'),
  bytes('{"n": [0, -0, 1.5, 1e10, 1E+2, 12345678901234567890, 0.1e-5]}'),
  bytes('["a", 1 2]'),
  bytes('["\\u0041", "\\u0041x", "ab\\u0041", "\\ud800", "\\udc00", "\\u00ad|", "\\u0041\\u0041"]'),
  bytes('{"\\u0041": 1, "a\\u0042": 2}'),
  utf8('{"u": "é€😀"}' + " ".repeat(20)),
  bytes('{"u": "a\u00ffb"}  '),
  bytes('{"a":{"b":{"c":[{"d":null}]}}}'),
];

/** Payloads that end up as text: not JSON (db-lsp.text), or JSON that does not parse whole (text lines). */
const TEXT_CASES: number[][] = [
  bytes("hello world"),
  bytes("[1,2"),
  bytes('{"a":1} trailing'),
  bytes('"str"'),
  bytes("abc"),
  bytes('{"a":1,}'),
  bytes('{"a":1} 5 '),
  bytes('{"a":1}\0garbage'),
  bytes('{"a":NaN}'),
  bytes('{"a":tru}'),
  bytes('{"a": 01}'),
  bytes("\0{"),
  bytes("ab\0cd"),
  bytes(" "),
  bytes('  "abc"  '),
  bytes('{"u": "\u00c3\u00a9"}'),
  bytes('{"a":1}\r\nline2'),
  bytes("[" + "1,".repeat(1022) + "1]"),
  bytes("[" + "1,".repeat(1023) + "1]"),
];

describe("json", () => {
  it("checks payloads as Wireshark's json_validate (jsmn, strict, 1024 tokens, ASCII view)", () => {
    const v = (s: string) => {
      const b = Uint8Array.from(Buffer.from(s, "latin1"));
      return jsonValidate(b, 0, b.length);
    };
    expect(v('{"a":1}')).toBe(true);
    expect(v(" ")).toBe(true); // nothing but whitespace: no token, no error
    expect(v('"str"')).toBe(true);
    expect(v("5 ")).toBe(true);
    expect(v("5")).toBe(false); // a primitive must be followed by a delimiter
    expect(v("hello")).toBe(false);
    expect(v('{"a":1} trailing')).toBe(false);
    expect(v('{"a":1} true ')).toBe(true);
    expect(v("[1,2")).toBe(false);
    expect(v('["a"]]')).toBe(false);
    expect(v('{"a":1]')).toBe(false);
    expect(v("{1:2}")).toBe(false);
    expect(v('{"a":1 2}')).toBe(false);
    expect(v('["a", 1 2]')).toBe(true);
    expect(v('{"a":1,}')).toBe(true);
    expect(v('["a"\v]')).toBe(false);
    expect(v('{"u":\t"a"}')).toBe(true);
    expect(v('{"a":1}\0garbage')).toBe(true); // the check stops at a NUL
    expect(v("\0{")).toBe(false);
    expect(v("")).toBe(false);
    expect(v('{"a":NaN}')).toBe(false);
    expect(v(".5 ")).toBe(false);
    // Each byte from 0x80 on is 3 bytes in the view, which still ends after the payload's length.
    expect(v('{"u": "\u00c3\u00a9"}')).toBe(false);
    expect(v('{"u": "\u00c3\u00a9"}    ')).toBe(true);
    expect(v('{"u": "\u00ff"} ')).toBe(false);
    expect(v('{"u": "\u00ff"}  ')).toBe(true);
    expect(v("[" + "1,".repeat(1022) + "1]")).toBe(true); // 1024 tokens
    expect(v("[" + "1,".repeat(1023) + "1]")).toBe(false); // 1025
  });

  it("unescapes strings as Wireshark 4.0", () => {
    const s = (x: string) => {
      const b = Uint8Array.from(Buffer.from(x, "latin1"));
      return jsonString(b, 0, b.length);
    };
    expect(s("a\\nb\\t\\/\\\\\\\"")).toBe('a\nb\t/\\"');
    expect(s("\\u0041x")).toBe("Ax");
    expect(s("\\u0041")).toBe(""); // a \u escape with nothing after it is lost
    expect(s("\\u0041\\u0041")).toBe("A");
    expect(s("\\ud83d\\ude00x")).toBe("\u{1f600}x");
    expect(s("\\ud800x|")).toBe("\ufffd|"); // what follows a lead surrogate is consumed
    expect(s("\\ud800")).toBe("");
    expect(s("\\udc00")).toBe("\ufffd");
    expect(s("\\u0000x\\u001fy\\u200bz")).toBe("xyz"); // not printable: dropped
    expect(s("a\u00ffb")).toBe("a"); // 0xff ends the string
    expect(s("a\u0080b")).toBe("a\ufffdb");
    expect(s("\u00c3\u00a9")).toBe("\u00e9");
  });

  it("shows the Dropbox announcement as tshark does", () => {
    const d = decode(datagram(bytes(DROPBOX)));
    expect(d.p.protocol).toBe("DB-LSP-DISC/JSON");
    expect(d.p.info.toString()).toBe("Dropbox LAN sync Discovery Protocol, JavaScript Object Notation");
    expect(d.v("frame.protocols")).toEqual(["eth:ethertype:ip:udp:db-lsp-disc:json"]);
    expect(d.v("json.member")).toEqual(["host_int", "version", "displayname", "port", "namespaces"]);
    expect(d.v("json.value.number")).toEqual(["4094514483", "1", "8", "17500", "20524257", "639539072"]);
    expect(d.v("json.path_with_value")).toContain("/version/[]:8");
    expect(d.v("json.member_with_value")).toContain("displayname:");
    expect(d.v("json.array")).toEqual(["1", "1"]);
    expect(d.text).toContain(
      "Dropbox LAN sync Discovery Protocol\n    JavaScript Object Notation\n        Object\n            Member: host_int\n" +
        "                [Path with value: /host_int:4094514483]\n                [Member with value: host_int:4094514483]\n" +
        "                Number value: 4094514483\n                Key: host_int\n                [Path: /host_int]\n",
    );
  });

  it("keeps tvbparse's quirks: whitespace inside numbers, several values, text after them", () => {
    const n = decode(datagram(bytes('["a", 1 2]')));
    expect(n.v("json.value.number")).toEqual(["1 2"]);
    const two = decode(datagram(bytes('[1] [2] ')));
    expect(two.v("json.array")).toEqual(["1", "1"]);
    const rest = decode(datagram(bytes('{"a":1} 5 ')));
    expect(rest.v("frame.protocols")).toEqual(["eth:ethertype:ip:udp:db-lsp-disc:json:data-text-lines"]);
    expect(rest.text).toContain("    Line-based text data (1 lines)\n        5 \n");
    // Nothing parsed: the text starts where the JSON did, its leading whitespace included.
    const none = decode(datagram(bytes('  "abc"  ')));
    expect(none.text).toContain("    JavaScript Object Notation\n    Line-based text data (1 lines)\n          \"abc\"  \n");
  });

  it("fills the columns when only the summary is printed", () => {
    const e = new Engine({ mode: TreeMode.SUMMARY });
    const p = e.dissect({ data: Uint8Array.from(datagram(bytes(DROPBOX))), wireLen: 0, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.protocol).toBe("DB-LSP-DISC/JSON");
    expect(p.info.toString()).toBe("Dropbox LAN sync Discovery Protocol, JavaScript Object Notation");
  });

  it("never throws on cut, lying or deeply nested payloads", () => {
    everyPrefixIsSafe(datagram(bytes(DROPBOX)));
    everyPrefixIsSafe(datagram(bytes('{"k\\n": ["\\ud83d\\ude00", 1 2, {"x": [null]}]} tail')));
    // Bytes from 0x80 on push the end of the check's view back, so what follows them is not
    // checked: 20000 such bytes let 20000 nested arrays through, which the parse must take
    // without recursing.
    const n = 20000;
    const deep = [...bytes('["'), ...Array<number>(n).fill(0xff), ...bytes('"]  '), ...bytes("[".repeat(n) + "]".repeat(n))];
    const e = new Engine({ mode: TreeMode.FIELDS, fields: [fieldByName("json.array")!] });
    const p = e.dissect({ data: Uint8Array.from(datagram(deep)), wireLen: 0, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.protocol).toBe("DB-LSP-DISC/JSON");
    expect(e.tree.get(fieldByName("json.array")!)).toHaveLength(n + 1);
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    const all = () => [...CASES, ...TEXT_CASES].map((c) => Uint8Array.from(datagram(c)));

    it("on the -V detail, summary lines and json fields of built datagrams", () => {
      const file = writePcap("json.pcap", all());
      expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
      const v = fieldLines(file, ["frame.protocols", ...FIELDS]);
      expect(v.ax).toEqual(v.ts);
      expect(v.ts).toHaveLength(CASES.length + TEXT_CASES.length);
    });

    it("on -T json", () => {
      // (Not the text-line cases: tshark keys a text line by its text, which arpx's JSON output
      // would take for a generated "[...]" item when it is in brackets.)
      const file = writePcap("json-t.pcap", CASES.map((c) => Uint8Array.from(datagram(c))));
      const ts = JSON.parse(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout) as unknown[];
      const ax = JSON.parse(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout) as unknown[];
      expect(ax).toEqual(ts);
    });

    it("on cut datagrams", () => {
      // (Cut inside the payload: with less than the UDP header, other layers decide.)
      const cut = [CASES[0]!, CASES[1]!, CASES[4]!, TEXT_CASES[5]!, TEXT_CASES[6]!].flatMap((c) => {
        const f = Uint8Array.from(datagram(c));
        return [1, c.length >> 1, c.length - 1].map((n) => [f.subarray(0, f.length - n), f.length] as const);
      });
      const file = writePcap("json-cut.pcap", cut);
      expect(runArpx(["read", "-n", "-V", "-r", file]).stdout).toBe(runTshark(["-n", "-V", "-r", file]).stdout);
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
    });
  });
});
