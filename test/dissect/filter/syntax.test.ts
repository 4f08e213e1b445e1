// Lexer, parser and compile-time errors of the display filter language (no packets involved).
import { describe, expect, it } from "vitest";
import { compileFilter, FilterError } from "../../../src/dissect/filter/index.js";
import { Tk, tokenize } from "../../../src/dissect/filter/lexer.js";
import { parseFilter, type Test } from "../../../src/dissect/filter/parser.js";

function err(filter: string): FilterError {
  try {
    compileFilter(filter);
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error(`filter compiled: ${filter}`);
}

/** The caret line of an error, as the text under the filter. */
function caret(filter: string): string {
  return err(filter).caretMessage().split("\n")[2]!.slice(2);
}

/** Compact rendering of a parse tree, to check grouping. */
function show(t: Test): string {
  switch (t.k) {
    case "and": case "or": case "xor": return `(${show(t.a)} ${t.k} ${show(t.b)})`;
    case "not": return `!${show(t.a)}`;
    case "rel": return `${t.quant ? t.quant + " " : ""}${text(t.l)}${t.op}${text(t.r)}`;
    case "in": return `${text(t.l)}${t.negated ? " not" : ""} in{${t.set.map((e) => text(e.lo) + (e.hi ? ".." + text(e.hi) : "")).join(",")}}`;
    case "exists": return text(t.e);
    case "true": return "TRUE";
  }
}
function text(e: import("../../../src/dissect/filter/parser.js").Expr): string {
  switch (e.k) {
    case "word": return e.text;
    case "str": return e.tok.text;
    case "char": return e.text;
    case "slice": return `${text(e.e)}[${e.ranges.map((r) => `${r.start}${r.kind === "len" ? ":" + r.n : r.kind === "end" ? "-" + r.n : ":"}`).join(",")}]`;
    case "call": return `${e.name}(${e.args.map(text).join(",")})`;
    case "arith": return `{${text(e.a)}${e.op}${text(e.b)}}`;
    case "neg": return `-${text(e.a)}`;
  }
}
const p = (s: string) => show(parseFilter(s));

describe("lexer", () => {
  it("splits words, operators and punctuation", () => {
    const toks = tokenize("ip.src==10.0.0.1&&!tcp||eth.dst eq ff:ff:ff:ff:ff:ff");
    expect(toks.map((t) => (t.k === Tk.OP ? `op:${t.op}` : t.text))).toEqual([
      "ip.src", "op:==", "10.0.0.1", "op:&&", "op:!", "tcp", "op:||", "eth.dst", "op:==", "ff:ff:ff:ff:ff:ff", "",
    ]);
  });

  it("maps English keywords to their symbols, lower case only", () => {
    const ops = (s: string) => tokenize(s).filter((t) => t.k === Tk.OP).map((t) => t.op);
    expect(ops("a and b or c xor d not e")).toEqual(["&&", "||", "^^", "!"]);
    expect(ops("a eq b ne c lt d le e gt f ge g")).toEqual(["==", "!=", "<", "<=", ">", ">="]);
    expect(ops("a any_eq b all_ne c all_eq d any_ne e")).toEqual(["==", "!=", "===", "!=="]);
    expect(ops("a contains b matches c ~ d bitwise_and e in f")).toEqual(["contains", "matches", "matches", "&", "in"]);
    expect(tokenize("AND")[0]!.k).toBe(Tk.WORD);
  });

  it("keeps addresses, CIDR suffixes and byte strings in one word, but splits '..' ranges", () => {
    const words = (s: string) => tokenize(s).filter((t) => t.k === Tk.WORD).map((t) => t.text);
    expect(words("x == 10.1.2.0/24")).toEqual(["x", "10.1.2.0/24"]);
    expect(words("x == fe80::1/64")).toEqual(["x", "fe80::1/64"]);
    expect(words("x == ::ffff:1.2.3.4")).toEqual(["x", "::ffff:1.2.3.4"]);
    expect(words("x == aa-bb-cc-dd-ee-ff")).toEqual(["x", "aa-bb-cc-dd-ee-ff"]);
    expect(words("x in {10.0.0.1..10.0.0.9}")).toEqual(["x", "10.0.0.1", "10.0.0.9"]);
    expect(tokenize("{3..5}").map((t) => t.k)).toEqual([Tk.LBRACE, Tk.WORD, Tk.DOTDOT, Tk.WORD, Tk.RBRACE, Tk.EOF]);
    // "/" after a field name is division.
    expect(tokenize("frame.number/2").map((t) => t.text)).toEqual(["frame.number", "/", "2", ""]);
  });

  it("decodes string escapes into bytes", () => {
    const s = tokenize('"a\\"b\\\\c\\n\\x41\\101\\u00e9"')[0]!;
    expect(s.k).toBe(Tk.STRING);
    expect(Array.from(s.bytes!)).toEqual([0x61, 0x22, 0x62, 0x5c, 0x63, 0x0a, 0x41, 0x41, 0xc3, 0xa9]);
    expect(s.str).toBe('a"b\\c\nAAé');
  });

  it("keeps backslashes in raw strings", () => {
    const s = tokenize('r"\\d+\\"x"')[0]!;
    expect(s.raw).toBe(true);
    expect(s.str).toBe('\\d+\\"x');
  });

  it("reads character constants", () => {
    expect(tokenize("'a'")[0]!.num).toBe(97);
    expect(tokenize("'\\n'")[0]!.num).toBe(10);
    expect(tokenize("'\\x0a'")[0]!.num).toBe(10);
    expect(tokenize("'\\012'")[0]!.num).toBe(10);
    expect(tokenize("'\\''")[0]!.num).toBe(39);
  });

  it("takes the slice text between brackets", () => {
    const t = tokenize("frame[-4:, 1-2]");
    expect(t[1]!.k).toBe(Tk.SLICE);
    expect(t[1]!.str).toBe("-4:, 1-2");
  });

  it("reports lexical errors at the right place", () => {
    expect(err('frame.len == "abc').message).toBe("The final quote was missing from a quoted string.");
    expect(caret('frame.len == "abc')).toBe("             ^");
    expect(err('x == "a\\q"').message).toBe("\\q is not a valid character escape sequence");
    expect(caret('x == "a\\q"')).toBe("       ^~");
    expect(err("frame.len == 'bb'").message).toBe("'bb' is too long to be a valid character constant.");
    expect(err("frame.len == ?").message).toBe('"?" was unexpected in this context.');
    expect(caret("frame.len == ?")).toBe("             ^");
  });
});

describe("parser", () => {
  it("gives not > and > xor > or, left to right", () => {
    expect(p("a or b and c")).toBe("(a or (b and c))");
    expect(p("a and b or c")).toBe("((a and b) or c)");
    expect(p("a or b xor c and d")).toBe("(a or (b xor (c and d)))");
    expect(p("not a and b")).toBe("(!a and b)");
    expect(p("!a || !!b")).toBe("(!a or !!b)");
    expect(p("a and b and c")).toBe("((a and b) and c)");
    // Wireshark's own example from wireshark-filter(4)
    expect(p("A and B or not C or D and not E or F")).toBe("((((A and B) or !C) or (D and !E)) or F)");
    expect(p("(a or b) and c")).toBe("((a or b) and c)");
  });

  it("parses comparisons, quantifiers and arithmetic", () => {
    expect(p("tcp.port == 80")).toBe("tcp.port==80");
    expect(p("all tcp.port > 1024")).toBe("all tcp.port>1024");
    expect(p("any ip.addr != 1.1.1.1")).toBe("any ip.addr!=1.1.1.1");
    expect(p("udp.dstport >= udp.srcport + 1")).toBe("udp.dstport>={udp.srcport+1}");
    expect(p("a >= 4 * {b + 3}")).toBe("a>={4*{b+3}}");
    expect(p("a + b * c == d")).toBe("{a+{b*c}}==d");
    expect(p("tcp.flags & 0x12 == 0x12")).toBe("{tcp.flags&0x12}==0x12");
    expect(p("x == -1")).toBe("x==-1");
    expect(p("a - 1 == 2")).toBe("{a-1}==2");
  });

  it("parses sets with ranges and not in", () => {
    expect(p("tcp.port in {80, 443, 8000..8080}")).toBe("tcp.port in{80,443,8000..8080}");
    expect(p("tcp.port not in {80}")).toBe("tcp.port not in{80}");
    expect(p('m in {"GET", "HEAD"}')).toBe('m in{"GET","HEAD"}');
  });

  it("parses slices of every form", () => {
    expect(p("eth.src[0:3] == 00:11:22")).toBe("eth.src[0:3]==00:11:22");
    expect(p("frame[1-3]")).toBe("frame[1-3]");
    expect(p("frame[4]")).toBe("frame[4:1]");
    expect(p("frame[:2]")).toBe("frame[0:2]");
    expect(p("frame[2:]")).toBe("frame[2:]");
    expect(p("frame[-4:]")).toBe("frame[-4:]");
    expect(p("frame[1,3-5,9:]")).toBe("frame[1:1,3-5,9:]");
    expect(p("frame[0:2][1]")).toBe("frame[0:2][1:1]");
  });

  it("parses function calls", () => {
    expect(p("len(dns.qry.name) > 20")).toBe("len(dns.qry.name)>20");
    expect(p("max(a, b, 3) == 3")).toBe("max(a,b,3)==3");
  });

  it("an empty filter matches everything", () => {
    expect(p("")).toBe("TRUE");
    expect(p("   ")).toBe("TRUE");
    expect(compileFilter("").test(null as never)).toBe(true);
  });

  it("reports syntax errors like tshark", () => {
    const cases: [string, string, string][] = [
      ["frame.len == 42)", '")" was unexpected in this context.', "               ^"],
      ["== 42", '"==" was unexpected in this context.', "^~"],
      ["frame.len 42", '"42" was unexpected in this context.', "          ^~"],
      ["and", '"and" was unexpected in this context.', "^~~"],
      ["frame.len = 42", '"=" was unexpected in this context.', "          ^"],
      ["frame.number == 1 or or frame.number == 2", '"or" was unexpected in this context.', "                     ^~"],
      ["frame.len in {1 3}", '"3" was unexpected in this context.', "                ^"],
      ["frame.len in {}", '"}" was unexpected in this context.', "              ^"],
      ["frame.len in {1,}", '"}" was unexpected in this context.', "                ^"],
      ["frame.number == (1 + 1)", '"(" was unexpected in this context.', "                ^"],
      ["frame.number == 1 AND frame.len == 98", '"AND" was unexpected in this context.', "                  ^~~"],
    ];
    for (const [f, msg, c] of cases) {
      expect(err(f).message, f).toBe(msg);
      expect(caret(f), f).toBe(c);
    }
    for (const f of ["(frame.len == 42", "frame.len ==", "not", "frame.len == 42 and", "frame[0"]) {
      expect(err(f).message, f).toBe("Unexpected end of filter expression.");
      expect(err(f).pos, f).toBe(f.length);
    }
  });

  it("rejects bad slice ranges", () => {
    expect(err("eth.src[0:0]").message).toBe("Range 0:0 isn't valid because length 0 isn't positive");
    expect(caret("eth.src[0:0]")).toBe("        ^~~");
    expect(err("eth.src[2-1]").message).toBe("Range 2-1 isn't valid because 2 is greater or equal than 1");
    expect(err("eth.src[2-2]").message).toBe("Range 2-2 isn't valid because 2 is greater or equal than 2");
    expect(err("eth.src[x]").message).toBe('Range "x" isn\'t valid.');
  });

  it("refuses what arpx does not implement, saying so", () => {
    expect(err("ip.src#2 == 1.2.3.4").message).toContain('layer operator "#"');
    expect(caret("ip.src#2 == 1.2.3.4")).toBe("      ^");
    expect(err("frame.len == ${frame.len}").message).toContain("Field references");
  });
});

describe("compile-time checks", () => {
  const cases: [string, string, string][] = [
    ["foo.bar", '"foo.bar" is neither a field nor a protocol name.', "^~~~~~~"],
    ["foo.bar == 1", '"foo.bar" is neither a field nor a protocol name.', "^~~~~~~"],
    ["1 == frame.number", 'Left side of "==" expression must be a field or function, not 1.', "^"],
    ['"abc"', '"abc" is neither a field nor a protocol name.', "^~~~~"],
    ["10.0.0.1", '"10.0.0.1" is neither a field nor a protocol name.', "^~~~~~~~"],
    ["ip.src == 10.0.0.300", '"10.0.0.300" is not a valid IPv4 address.', "          ^~~~~~~~~~"],
    ["ip.src == 10.20.30", '"10.20.30" is not a valid IPv4 address.', "          ^~~~~~~~"],
    ["ip.src == 010.1.1.1", '"010.1.1.1" is not a valid IPv4 address.', "          ^~~~~~~~~"],
    ["ip.src == 10.0.0.0/33", "Netmask bits in a CIDR IPv4 address should be <= 32, not 33", "          ^~~~~~~~~~~"],
    ['ip.src == "10.0.0.1"', 'IPv4 address cannot be converted from a string ("10.0.0.1").', "          ^~~~~~~~~~"],
    ["ipv6.src == 10.0.0.1", '"10.0.0.1" is not a valid IPv6 address.', "            ^~~~~~~~"],
    ["ipv6.src == fe80::1::2", '"fe80::1::2" is not a valid IPv6 address.', "            ^~~~~~~~~~"],
    ["ipv6.addr == fd00::f3/129", "Prefix in a IPv6 address should be <= 128, not 129", "             ^~~~~~~~~~~~"],
    ["eth.src == 08:00:27", '"08:00:27" contains too few bytes to be a valid Ethernet address.', "           ^~~~~~~~"],
    ["eth.src == 08:00:27:e5:28:d1:00", '"08:00:27:e5:28:d1:00" contains too many bytes to be a valid Ethernet address.', "           ^~~~~~~~~~~~~~~~~~~~"],
    ["eth.src == 0x080027e528d1", '"0x080027e528d1" is not a valid Ethernet address.', "           ^~~~~~~~~~~~~~"],
    ['eth.src == "08:00:27:e5:28:d1"', 'Ethernet or other MAC address cannot be converted from a string ("08:00:27:e5:28:d1").', "           ^~~~~~~~~~~~~~~~~~~"],
    ["frame[12:2] == 0x0800", '"0x0800" is not a valid byte string.', "               ^~~~~~"],
    ["frame[12] == 0x8", '"0x8" is not a valid byte string.', "             ^~~"],
    ["frame.len == 98.0", '"98.0" is not a valid number.', "             ^~~~"],
    ["frame.len == 09", '"09" is not a valid number.', "             ^~"],
    ["frame.len == 0x", '"0x" is not a valid number.', "             ^~"],
    ["frame.len == foo", '"foo" is not a valid number.', "             ^~~"],
    ['frame.len == "98"', 'Unsigned integer (4 bytes) cannot be converted from a string ("98").', "             ^~~~"],
    ["frame.len == 4294967296", '"4294967296" too big for this field, maximum 4294967295.', "             ^~~~~~~~~~"],
    ["frame.len == 99999999999999999999", '"99999999999999999999" causes an integer overflow.', "             ^~~~~~~~~~~~~~~~~~~~"],
    ["eth.type == foo", '"foo" cannot be found among the possible values for eth.type.', "            ^~~"],
    ["frame.marked == no", '"no" cannot be found among the possible values for frame.marked.', "                ^~"],
    ["frame.time_relative > 0x1", '"0x1" is not a valid time.', "                      ^~~"],
    ['frame.time_relative > "1"', 'Time offset cannot be converted from a string ("1").', "                      ^~~"],
    ["frame.time > 1628779450x", '"1628779450x" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"', "             ^~~~~~~~~~~"],
    ["frame.len contains 1", "frame.len (type=Unsigned integer (4 bytes)) cannot participate in contains comparison.", "^~~~~~~~~"],
    ['frame.len ~ "1"', "frame.len (type=Unsigned integer (4 bytes)) cannot participate in ~ comparison.", "^~~~~~~~~"],
    ["frame.protocols matches arp", "Matches requires a double quoted string on the right side.", "                        ^~~"],
    ['frame.protocols matches "("', "Regex compilation error: Unterminated group.", "                        ^~~"],
    ["eth.src == frame.len", "eth.src and frame.len are not of compatible types.", "           ^~~~~~~~~"],
    ["frame.len == frame.time_relative", "frame.len and frame.time_relative are not of compatible types.", "             ^~~~~~~~~~~~~~~~~~~"],
    ["frame.protocols contains eth", "frame.protocols and eth are not of compatible types.", "                         ^~~"],
    ["ip.ttl[0] == 40", '"ip.ttl" is a Unsigned integer (1 byte) and cannot be sliced into a sequence of bytes.', "^~~~~~"],
    ["len(eth)", "You cannot test whether a function is present.", "^~~"],
    ["len(1) == 1", "Only fields can be used as parameter for len()", "    ^"],
    ["len() == 1", "Function len needs at least 1 arguments.", "^~~"],
    ["len(eth, frame) == 1", "Function len can only accept 1 arguments.", "^~~"],
    ["foo(frame) == 1", "Function 'foo' does not exist", "^~~"],
    ["upper(frame.len) == 1", "Only string type fields can be used as parameter for upper()", "      ^~~~~~~~~"],
    ["count(frame[0:1]) == 1", "Only fields can be used as parameter for count()", "      ^~~~~~~~~~"],
    ["string(frame.protocols) == \"x\"", 'String conversion for field "frame.protocols" is not supported', "       ^~~~~~~~~~~~~~~"],
    ["eth.src + 1 == 1", "FT_ETHER cannot +.", "^~~~~~~"],
    ["frame.marked + 1 == 1", "FT_BOOLEAN cannot +.", "^~~~~~~~~~~~"],
    ["frame.time_relative * 2 > 1", "FT_RELATIVE_TIME cannot *.", "^~~~~~~~~~~~~~~~~~~"],
    ["max(frame.len, frame.time_relative) == 1", "Arguments to 'max' must have the same type (expected FT_UINT32, got FT_RELATIVE_TIME)", "               ^~~~~~~~~~~~~~~~~~~"],
  ];
  for (const [f, msg, c] of cases) {
    it(f, () => {
      const e = err(f);
      expect(e.message).toBe(msg);
      expect(caret(f)).toBe(c);
      expect(e.filter).toBe(f);
    });
  }

  it("prints the caret message in the agreed format", () => {
    expect(err("ip.src == 10.0.0.300").caretMessage()).toBe(
      'arpx: display filter error: "10.0.0.300" is not a valid IPv4 address.\n  ip.src == 10.0.0.300\n            ^~~~~~~~~~',
    );
    // Tabs in the filter would misalign the caret: they are shown as spaces.
    expect(err("ip.src ==\t10.0.0.300").caretMessage().split("\n")[1]).toBe("  ip.src == 10.0.0.300");
  });

  it("accepts what tshark accepts", () => {
    for (const f of [
      "eth.src == 08-00-27-e5-28-d1", "eth.src == 0800.27e5.28d1", "eth.src == 080027e528d1",
      "frame[12:2] == 0800", "frame[12:2] == 08.00", "frame[12] == 8", "frame[12] == 0x08",
      "frame.len == 0x62", "frame.len == 0142", "frame.len == 0b1100010", "frame.len == 'b'",
      "eth.type == ipv4", 'eth.type == "IPv4"', "frame.marked == False", 'frame.marked == "false"', "frame.marked == 2",
      'eth.src.ig == "Individual address (unicast)"', "frame.time_epoch > 1628779450.5",
      'frame.time > "2021-08-12 14:44:10"', 'frame.time > "2021-08-12T14:44:10Z"', 'frame.time > "Aug 12, 2021 14:44:10.5 UTC"',
      "frame.time_relative in {1 .. 2.5}", "frame.len == -1", "frame.number % 2 == 0", "frame.number == {1 + 1}",
      "string(frame.number) matches \"[13579]$\"", "len(eth.src) == 6", "count(eth.addr) == 2",
      "frame.protocols == 1", 'frame.protocols matches "(?-i)ARP"', 'frame.protocols matches "(?i:arp)"',
      "frame.len in { 1, frame.number..99 }", "eth.src[0,2] == 08:27", "frame[0:2][0] == aa",
      "ipv6.src == ::ffff:1.2.3.4", "ipv6.src == fd00::/8", "ip.src in {10.0.0.0/8, 192.168.1.1}",
    ]) {
      expect(() => compileFilter(f), f).not.toThrow();
    }
  });

  it("lists every field it reads", () => {
    const names = compileFilter("eth.src == eth.dst && len(frame) > 10 || count(eth.addr) == 2 or frame[0] == 1 or not eth.type == ipv4")
      .fields.map((f) => f.abbrev).sort();
    expect(names).toEqual(["eth.addr", "eth.dst", "eth.src", "eth.type", "frame"]);
    expect(compileFilter("eth").fields.map((f) => f.abbrev)).toEqual(["eth"]);
    expect(compileFilter("eth.type in {0x800, frame.len..frame.cap_len}").fields.map((f) => f.abbrev).sort())
      .toEqual(["eth.type", "frame.cap_len", "frame.len"]);
  });

  it("keeps its text", () => {
    expect(compileFilter("eth").text).toBe("eth");
  });
});
