// Mutated and truncated transport packets must only ever stop on the Tree's bounds signals.
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { A4, A6, ACK, B4, B6, eth, icmp, icmp6, ip4, ip6, SYN, tcp, u16, u32, udp } from "./transport-build.js";

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MAC = [0, 0x11, 0x22, 0x33, 0x44, 0x55];
const seeds: number[][] = [
  eth(ip4(A4, B4, 6, tcp(1, 2, 3, 4, SYN | ACK, { options: [2, 4, 5, 0xb4, 1, 3, 3, 7, 8, 10, ...u32(1), ...u32(2), 5, 10, ...u32(1), ...u32(9), 30, 4, 0x01, 0x81, 0, 0] }))),
  eth(ip4(A4, B4, 17, udp(53, 53, [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1]))),
  eth(ip4(B4, A4, 1, icmp(3, 3, [0, 0, 0, 0], ip4(A4, B4, 6, tcp(1, 2, 3, 4, SYN))))),
  eth(ip4(A4, B4, 1, icmp(8, 0, [0, 1, 0, 1], [...u32(1000), ...u32(5), 1, 2, 3]))),
  eth(ip6(A6, B6, 58, icmp6(A6, B6, 134, 0, [64, 0, ...u16(1800), ...u32(0), ...u32(0), 1, 1, ...MAC, 5, 1, 0, 0, ...u32(1500), 31, 2, 0, 0, ...u32(1), 3, 0x6c, 0x61, 0x6e, 0, 0, 0, 0])), 0x86dd),
  eth(ip6(A6, B6, 58, icmp6(A6, B6, 1, 0, [0, 0, 0, 0, ...ip6(B6, A6, 17, udp(1, 2, [1, 2, 3]))])), 0x86dd),
  eth(ip6(A6, B6, 58, icmp6(A6, B6, 143, 0, [0, 0, 0, 2, 4, 1, 0, 1, ...B6, ...A6, 0, 0, 0, 0])), 0x86dd),
];

describe("transport dissectors under mutation", () => {
  it("never fail with anything but a bounds signal", () => {
    const rnd = prng(12345);
    for (const mode of [TreeMode.FIELDS, TreeMode.FULL]) {
      const e = new Engine({ mode, fields: [] });
      for (let iter = 0; iter < 3000; iter++) {
        const base = seeds[iter % seeds.length]!;
        const b = base.slice();
        const flips = 1 + Math.floor(rnd() * 4);
        // Mutate past the Ethernet and IP version bytes so the transport dissectors are reached.
        for (let k = 0; k < flips; k++) b[16 + Math.floor(rnd() * (b.length - 16))] = Math.floor(rnd() * 256);
        const cut = rnd() < 0.3 ? 14 + Math.floor(rnd() * (b.length - 14)) : b.length;
        const data = Uint8Array.from(b.slice(0, cut));
        const p = e.dissect({ data, wireLen: rnd() < 0.5 ? b.length : cut, tsSec: iter, tsNsec: 0, linkType: 1, ifIndex: 0 });
        if (mode === TreeMode.FULL) {
          const text = treeText(e.tree.root);
          if (text.includes("arpx dissector error")) throw new Error(`iteration ${iter}: ${text.split("\n").find((l) => l.includes("dissector error"))}`);
        }
        expect(p.info.toString()).not.toContain("dissector error");
      }
    }
  });
});
