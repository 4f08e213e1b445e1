import { describe, expect, it } from "vitest";
import { COL_MAX, TextColumn } from "../../src/dissect/column.js";

const ip6 = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));

describe("TextColumn", () => {
  it("appends strings, numbers and addresses as UTF-8 bytes", () => {
    const c = new TextColumn();
    c.set("38431 \u2192 53 [SYN] Seq=").dec(0).add(" Win=").dec(64660).add(" TSval=").dec(2898911648);
    c.add(" id=0x").hex(0x1666, 4).add(" big=").dec(2 ** 53 + 2).add(" neg=").dec(-42);
    c.add(" ").ipv4(Uint8Array.of(10, 77, 0, 2), 0).add(" ").ether(Uint8Array.of(2, 0, 0, 0, 0xa, 1), 0);
    c.add(" ").ipv6(ip6("fe800000000000000000000000000a01"), 0).add(" ").ipv6(ip6("00000000000000000000ffff0a4d0002"), 0);
    expect(c.toString()).toBe(
      "38431 \u2192 53 [SYN] Seq=0 Win=64660 TSval=2898911648 id=0x1666 big=9007199254740994 neg=-42 " +
        "10.77.0.2 02:00:00:00:0a:01 fe80::a01 ::ffff:10.77.0.2",
    );
    expect(c.len).toBe(Buffer.byteLength(c.toString()));
  });

  it("prepends, finds and cuts like Wireshark's column fence users need", () => {
    const c = new TextColumn().set("53 \u2192 38431 [ACK]");
    c.prepend("[TCP Retransmission] ").prepend("[TCP Dup ACK 1#1] ");
    expect(c.toString()).toBe("[TCP Dup ACK 1#1] [TCP Retransmission] 53 \u2192 38431 [ACK]");
    expect(c.includes("[TCP Retransmission] ")).toBe(true);
    expect(c.includes("[TCP Keep-Alive] ")).toBe(false);
    expect(c.indexOf("] ", 5)).toBe(16);
    c.truncate(18);
    expect(c.toString()).toBe("[TCP Dup ACK 1#1] ");
    const d = new TextColumn().copyFrom(c).prepend("\u00e9 ");
    expect(d.toString()).toBe("\u00e9 [TCP Dup ACK 1#1] ");
    expect(c.toString()).toBe("[TCP Dup ACK 1#1] ");
  });

  it("holds at most COL_MAX bytes and never half a character", () => {
    const c = new TextColumn().set("x".repeat(COL_MAX - 1));
    c.add("\u00e9"); // two bytes: does not fit, dropped whole
    expect(c.len).toBe(COL_MAX - 1);
    c.dec(123456); // digits are cut at the limit
    expect(c.len).toBe(COL_MAX);
    expect(c.full).toBe(true);
    c.add("more").ipv4(Uint8Array.of(1, 2, 3, 4), 0).hex(0xffff, 4).char(0x41);
    expect(c.toString()).toBe("x".repeat(COL_MAX - 1) + "1");

    const u = new TextColumn().set("a".repeat(COL_MAX - 2));
    u.prepend("\u20ac"); // three bytes in front: the tail loses what no longer fits
    expect(u.len).toBe(COL_MAX);
    expect(u.toString()).toBe("\u20ac" + "a".repeat(COL_MAX - 3));
    u.set("b".repeat(COL_MAX - 1)).prepend("\u00e9"); // the last byte would be the lead of nothing
    expect(u.toString()).toBe("\u00e9" + "b".repeat(COL_MAX - 2));
  });

  it("encodes lone surrogates as U+FFFD, as Buffer does", () => {
    const c = new TextColumn().set("a\ud800b");
    expect(c.toString()).toBe("a\ufffdb");
    expect(c.len).toBe(5);
  });
});
