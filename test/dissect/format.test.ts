import { describe, expect, it } from "vitest";
import { ipv6ToString, writeUtf8 } from "../../src/dissect/format.js";
import { utf8Length } from "../../src/dissect/filter/runtime.js";

/** The 16 bytes of an address written as 8 hex groups. */
const v6 = (...g: number[]) => Uint8Array.from(g.flatMap((x) => [x >> 8, x & 0xff]));

describe("ipv6ToString (RFC 5952, as Wireshark prints addresses)", () => {
  it.each([
    [v6(0, 0, 0, 0, 0, 0, 0, 0), "::"],
    [v6(0, 0, 0, 0, 0, 0, 0, 1), "::1"],
    [v6(1, 0, 0, 0, 0, 0, 0, 0), "1::"],
    [v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), "2001:db8::1"],
    [v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), "2001:db8::1:0:0:1"], // first of two equal runs
    [v6(0x2001, 0, 0, 1, 0, 0, 0, 1), "2001:0:0:1::1"], // the longest run
    [v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), "2001:db8:0:1:1:1:1:1"], // one zero group stays
    [v6(0xfe80, 0, 0, 0, 0xff, 0xfe00, 0xa01, 0xabcd), "fe80::ff:fe00:a01:abcd"],
    [v6(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304), "::ffff:1.2.3.4"],
    [v6(0, 0, 0, 0, 0, 0, 0x0a4d, 0x0002), "::10.77.0.2"],
    [v6(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
  ])("%s", (b, text) => {
    expect(ipv6ToString(b)).toBe(text);
    const at = new Uint8Array(20);
    at.set(b, 3);
    expect(ipv6ToString(at, 3)).toBe(text);
  });
});

describe("writeUtf8 and the filter's utf8Length", () => {
  it.each(["plain", "a\u00e9\u20ac\ud83d\ude00", "x\ud800y", "\udc00", "\ud800\ud800z", "end\ud800"])("%j encodes as Buffer does", (s) => {
    const b = new Uint8Array(32);
    const n = writeUtf8(b, 2, s) - 2;
    expect(Buffer.from(b.subarray(2, 2 + n))).toEqual(Buffer.from(s));
    expect(utf8Length(s)).toBe(n);
  });
});
