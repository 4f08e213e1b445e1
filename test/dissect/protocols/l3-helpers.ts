// Shared helpers for the network/link layer tests (IPv4, IPv6, ARP, VLAN, LLC, SLL, NULL, raw IP).
import { expect } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { fieldValueText } from "../../../src/dissect/format.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import type { Packet } from "../../../src/dissect/packet.js";
import { TreeMode } from "../../../src/dissect/tree.js";

/** Bytes from a hex string; spaces and line breaks are ignored. */
export function hex(s: string): number[] {
  const h = s.replace(/\s+/g, "");
  const out: number[] = [];
  for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
  return out;
}

export const ETH_BCAST = "ffffffffffff 001122334455";

export interface Decoded {
  p: Packet;
  e: Engine;
  /** Field values as `-T fields` prints them. */
  v: (name: string) => string[];
  text: string;
}

/** Dissects one frame in FULL mode. `wireLen` defaults to the byte count (no snaplen). */
export function decode(bytes: number[], linkType = 1, wireLen = bytes.length): Decoded {
  const e = new Engine({ mode: TreeMode.FULL });
  const p = e.dissect({ data: Uint8Array.from(bytes), wireLen, tsSec: 1, tsNsec: 0, linkType, ifIndex: 0 });
  const v = (name: string) => {
    const f = fieldByName(name);
    if (!f) throw new Error(`no field ${name}`);
    return e.tree.get(f).map((x) => fieldValueText(f, x));
  };
  return { p, e, v, text: treeText(e.tree.root) };
}

/** Every prefix of the frame must decode without an arpx dissector error (only SHORT/MALFORMED). */
export function everyPrefixIsSafe(bytes: number[], linkType = 1): void {
  for (let n = 0; n <= bytes.length; n++) {
    for (const wire of [n, bytes.length]) {
      const { p, text } = decode(bytes.slice(0, n), linkType, wire);
      expect(text).not.toContain("arpx dissector error");
      if (n < bytes.length && wire > n) expect(p.short || p.malformed || p.layers.length >= 0).toBe(true);
    }
  }
}
