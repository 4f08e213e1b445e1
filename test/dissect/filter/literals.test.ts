// Literal parsers and the PCRE -> RegExp translation.
import { describe, expect, it } from "vitest";
import {
  parseAbsTime, parseBytes, parseDouble, parseEther, parseInteger, parseIPv4, parseIPv6, parseSeconds, v4Mask,
} from "../../../src/dissect/filter/literals.js";
import { compilePcre, translatePcre } from "../../../src/dissect/filter/regex.js";
import { timeOfText } from "../../../src/dissect/filter/runtime.js";

const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString("hex") : null);

describe("integers", () => {
  it("reads decimal, hex, octal and binary", () => {
    expect(parseInteger("42")).toBe(42n);
    expect(parseInteger("0x2a")).toBe(42n);
    expect(parseInteger("0X2A")).toBe(42n);
    expect(parseInteger("052")).toBe(42n);
    expect(parseInteger("0b101010")).toBe(42n);
    expect(parseInteger("0")).toBe(0n);
    expect(parseInteger("18446744073709551615")).toBe(18446744073709551615n);
  });
  it("refuses everything else", () => {
    for (const s of ["", "09", "0x", "0b102", "1_000", "1.5", "1e2", "-1", "+1", "abc", "0o7"]) expect(parseInteger(s), s).toBeNull();
  });
});

describe("IPv4", () => {
  it("reads dotted quads and CIDR", () => {
    expect(parseIPv4("10.20.30.40")).toEqual({ addr: 0x0a141e28, bits: 32 });
    expect(parseIPv4("255.255.255.255")).toEqual({ addr: 0xffffffff, bits: 32 });
    expect(parseIPv4("10.0.0.0/8")).toEqual({ addr: 0x0a000000, bits: 8 });
    expect(parseIPv4("0.0.0.0/0")).toEqual({ addr: 0, bits: 0 });
    expect(parseIPv4("10.0.0.0/33")).toBe("Netmask bits in a CIDR IPv4 address should be <= 32, not 33");
  });
  it("refuses bad ones", () => {
    for (const s of ["10.0.0", "10.0.0.256", "010.0.0.1", "1.2.3.4.5", "a.b.c.d", "1.2.3.4/", "1.2.3.4/x", ""]) expect(parseIPv4(s), s).toBeNull();
  });
  it("makes masks", () => {
    expect(v4Mask(0)).toBe(0);
    expect(v4Mask(8)).toBe(0xff000000);
    expect(v4Mask(31)).toBe(0xfffffffe);
    expect(v4Mask(32)).toBe(0xffffffff);
  });
});

describe("IPv6", () => {
  const v6 = (s: string) => {
    const r = parseIPv6(s);
    return r && typeof r !== "string" ? `${hex(r.bytes)}/${r.bits}` : r;
  };
  it("reads every text form", () => {
    expect(v6("::")).toBe("00000000000000000000000000000000/128");
    expect(v6("::1")).toBe("00000000000000000000000000000001/128");
    expect(v6("fe80::1")).toBe("fe800000000000000000000000000001/128");
    expect(v6("fe80::")).toBe("fe800000000000000000000000000000/128");
    expect(v6("2001:db8:0:0:1:2:3:4")).toBe("20010db8000000000001000200030004/128");
    expect(v6("2001:db8::1:2:3:4:5")).toBe("20010db8000000010002000300040005/128");
    expect(v6("::ffff:1.2.3.4")).toBe("00000000000000000000ffff01020304/128");
    expect(v6("::1.2.3.4")).toBe("00000000000000000000000001020304/128");
    expect(v6("fd00:a1b2:c3d4:0:1020:3040:80.96.112.129")).toBe("fd00a1b2c3d40000102030405060708" + "1/128");
    expect(v6("FE80::ABCD")).toBe("fe80000000000000000000000000abcd/128");
    expect(v6("fe80::/10")).toBe("fe800000000000000000000000000000/10");
    expect(v6("fe80::1/129")).toBe("Prefix in a IPv6 address should be <= 128, not 129");
  });
  it("refuses bad ones", () => {
    for (const s of ["1::2::3", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::g", "10.0.0.1", ":::", "1:2:3:4:5:6:1.2.3.4:5", "fe80::/x", "::1.2.3"]) {
      expect(parseIPv6(s), s).toBeNull();
    }
  });
});

describe("bytes and MAC addresses", () => {
  it("reads every byte string form", () => {
    expect(hex(parseBytes("00:11:22"))).toBe("001122");
    expect(hex(parseBytes("00-11-22"))).toBe("001122");
    expect(hex(parseBytes("0.1.0.d"))).toBe("0001000d");
    expect(hex(parseBytes("0011.2233.4455"))).toBe("001122334455");
    expect(hex(parseBytes("001122"))).toBe("001122");
    expect(hex(parseBytes("8"))).toBe("08");
    expect(hex(parseBytes("0x08"))).toBe("08");
    expect(hex(parseBytes("ff"))).toBe("ff");
  });
  it("refuses bad ones", () => {
    for (const s of ["0x8", "0x0800", "123", "00:112", "gg", "00::11", ":00", ""]) expect(parseBytes(s), s).toBeNull();
  });
  it("reads MAC addresses as 48-bit numbers", () => {
    expect(parseEther("08:00:27:e5:28:d1")).toBe(0x080027e528d1);
    expect(parseEther("ff-ff-ff-ff-ff-ff")).toBe(0xffffffffffff);
    expect(parseEther("0800.27e5.28d1")).toBe(0x080027e528d1);
    expect(parseEther("080027e528d1")).toBe(0x080027e528d1);
    expect(parseEther("08:00:27")).toBe('"08:00:27" contains too few bytes to be a valid Ethernet address.');
    expect(parseEther("08:00:27:e5:28:d1:00")).toBe('"08:00:27:e5:28:d1:00" contains too many bytes to be a valid Ethernet address.');
    expect(parseEther("nope")).toBe('"nope" is not a valid Ethernet address.');
  });
});

describe("times and floats", () => {
  it("reads seconds to the nanosecond", () => {
    expect(parseSeconds("1")).toEqual({ sec: 1, nsec: 0 });
    expect(parseSeconds("0.000418")).toEqual({ sec: 0, nsec: 418000 });
    expect(parseSeconds("12.123456789123")).toEqual({ sec: 12, nsec: 123456789 });
    expect(parseSeconds("5.")).toEqual({ sec: 5, nsec: 0 });
    for (const s of ["", ".", "0x1", "1e0", "-1", "a"]) expect(parseSeconds(s), s).toBeNull();
  });
  it("reads absolute times in UTC and as local time", () => {
    expect(parseAbsTime("2021-08-12T14:44:10Z")).toEqual({ sec: 1628779450, nsec: 0 });
    expect(parseAbsTime("2021-08-12 14:44:10.5 UTC")).toEqual({ sec: 1628779450, nsec: 500000000 });
    expect(parseAbsTime("2021-08-12T16:44:10+02:00")).toEqual({ sec: 1628779450, nsec: 0 });
    expect(parseAbsTime("Aug 12, 2021 14:44:10.123456789 UTC")).toEqual({ sec: 1628779450, nsec: 123456789 });
    const local = new Date(2021, 7, 12, 14, 44, 10).getTime() / 1000;
    expect(parseAbsTime("Aug 12, 2021 14:44:10")).toEqual({ sec: local, nsec: 0 });
    expect(parseAbsTime("2021-08-12 14:44:10")).toEqual({ sec: local, nsec: 0 });
    for (const s of ["", "Foo 12, 2021", "2021-13-01", "2021-08-12 25:00:00", "1628779450"]) expect(parseAbsTime(s), s).toBeNull();
  });
  it("parses recorded absolute-time texts back", () => {
    expect(timeOfText("1362692526.869344000")).toEqual([1362692526, 869344000]);
    expect(timeOfText("-1.250000000")).toEqual([-2, 750000000]);
    expect(timeOfText("Jul 30, 2000 10:31:26.310131000 UTC")).toEqual([Date.UTC(2000, 6, 30, 10, 31, 26) / 1000, 310131000]);
    expect(timeOfText("Oct  4, 2012 16:26:30.591516000 UTC")).toEqual([1349367990, 591516000]);
    expect(timeOfText("garbage")).toBeNull();
  });
  it("reads floats", () => {
    expect(parseDouble("1.5")).toBe(1.5);
    expect(parseDouble("1e3")).toBe(1000);
    expect(parseDouble(".5")).toBe(0.5);
    expect(parseDouble("0x1")).toBeNull();
  });
});

describe("PCRE translation", () => {
  it("is case-insensitive unless told otherwise", () => {
    expect(translatePcre("abc")).toEqual({ source: "abc", flags: "i" });
    expect(translatePcre("(?-i)abc")).toEqual({ source: "abc", flags: "" });
    expect(translatePcre("(?s)a.b").flags).toBe("is");
    expect(translatePcre("(?im)^a").flags).toBe("im");
    expect(compilePcre("ARP").test("eth:arp")).toBe(true);
    expect(compilePcre("(?-i)ARP").test("eth:arp")).toBe(false);
  });
  it("rewrites PCRE-only syntax", () => {
    expect(translatePcre("\\Aab\\z").source).toBe("^ab$");
    expect(translatePcre("[[:digit:]]+").source).toBe("[0-9]+");
    expect(translatePcre("[^[:space:]x]").source).toBe("[^ \\t\\n\\r\\f\\vx]");
    expect(translatePcre("\\Qa.b*\\E+").source).toBe("a\\.b\\*+");
    expect(translatePcre("(?P<h>\\w+)(?P=h)").source).toBe("(?<h>\\w+)\\k<h>");
    expect(translatePcre("a(?#note)b").source).toBe("ab");
    expect(translatePcre("(?>ab)c").source).toBe("(?:ab)c");
    expect(translatePcre("a++b*+c?+").source).toBe("a+b*c?");
    expect(translatePcre("\\++").source).toBe("\\++");
    expect(translatePcre("\\x{41}").source).toBe("\\u0041");
    expect(translatePcre("(?i:abc)").source).toBe("(?:abc)");
    expect(translatePcre("(?x) a b # comment\n c").source).toBe("abc");
    expect(translatePcre("[]a]").source).toBe("[\\]a]");
    expect(compilePcre("\\bARP\\z").test("eth:ethertype:arp")).toBe(true);
    expect(compilePcre("^\\h*x").test(" \tx")).toBe(true);
  });
  it("refuses what RegExp cannot do", () => {
    expect(() => translatePcre("(?-i)a(?i:b)")).toThrow(/option setting/);
    expect(() => translatePcre("(?(1)a|b)")).toThrow(/not supported/);
    expect(() => translatePcre("a(?R)")).toThrow(/not supported/);
    expect(() => translatePcre("(?U)a+")).toThrow(/ungreedy/);
    expect(() => compilePcre("(")).toThrow(/Unterminated group/);
  });
});
