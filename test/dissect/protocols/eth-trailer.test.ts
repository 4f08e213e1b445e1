// What follows an Ethernet frame's payload: zero padding up to the 60-byte minimum (only in a
// frame that reaches it), a trailer otherwise, and, in frames of 64 bytes or more, the FCS that
// Wireshark assumes in the trailer's last 4 bytes; inside 802.1Q the same items sit in the VLAN
// item. Frames built here are read by arpx and tshark: fields and detail trees must agree.
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, runArpx, runTshark, skipReason } from "../../helpers.js";
import { A4, A6, B4, B6, eth, ip4, ip6, u16, udp } from "./transport-build.js";
import { comparableTree, expectSameAsTshark, writePcap } from "./tshark-compare.js";

const seq = (n: number, from = 1) => Array.from({ length: n }, (_, i) => (from + i) & 0xff);
/** Ethernet/IPv4/UDP with `n` payload bytes, then `tail`. */
const v4 = (n: number, tail: number[]) => [...eth(ip4(A4, B4, 17, udp(5000, 6000, seq(n, 0)))), ...tail];
/** The same behind an 802.1Q tag. */
const tagged = (n: number, tail: number[]) => {
  const f = v4(n, tail);
  return [...f.slice(0, 12), 0x81, 0x00, ...u16(5), ...f.slice(12)];
};

const FRAMES: Record<string, number[]> = {
  "short frame, zeros after the payload: a trailer, not padding": v4(2, [0, 0, 0, 0]),
  "60 bytes, zero padding": v4(2, Array(16).fill(0)),
  "60 bytes, non-zero bytes where padding would be": v4(2, seq(16)),
  "62 bytes: padding and a 2-byte trailer": v4(2, [...Array(16).fill(0), 9, 9]),
  "64 bytes: padding and an FCS": v4(2, [...Array(16).fill(0), 9, 9, 9, 9]),
  "66 bytes: padding, trailer, FCS": v4(2, [...Array(16).fill(0), 9, 9, 9, 9, 8, 8]),
  "68 bytes with non-zero bytes before 60: trailer and FCS": v4(2, seq(24)),
  "a long frame with 4 bytes after the payload: FCS": v4(40, [1, 2, 3, 4]),
  "a long frame with 3 bytes after the payload: trailer": v4(40, [1, 2, 3]),
  "802.1Q: padding inside the VLAN item": tagged(2, [...Array(12).fill(0), 9, 9, 9, 9]),
  "IPv6 zero UDP checksum (illegal) under the checksum item": eth(ip6(A6, B6, 17, [...u16(5000), ...u16(6000), ...u16(10), 0, 0, 1, 2]), 0x86dd),
};

const FIELDS = ["eth.padding", "eth.trailer", "eth.fcs", "eth.fcs.status", "vlan.trailer", "udp.checksum.status", "data.len"];


describe.skipIf(skipReason(HAVE_TSHARK, "tshark is not installed: Ethernet trailers not compared with tshark"))("Ethernet padding, trailer and FCS as tshark", () => {
  it.each(Object.keys(FRAMES))("%s", (name) => {
    const file = writePcap("trailer.pcap", [Uint8Array.from(FRAMES[name]!)]);
    expectSameAsTshark(file, FIELDS, 1);
    const ax = comparableTree(runArpx(["read", "-n", "-r", file, "-V"]).stdout);
    expect(ax).toEqual(comparableTree(runTshark(["-n", "-r", file, "-V"]).stdout));
  });
});
