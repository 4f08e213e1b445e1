import { describe, expect, it } from "vitest";
import { Engine } from "../../src/dissect/engine.js";
import { fieldByName } from "../../src/dissect/fields.js";
import { treeText } from "../../src/dissect/output/tree-text.js";
import { TreeMode } from "../../src/dissect/tree.js";

const f = (name: string) => {
  const x = fieldByName(name);
  if (!x) throw new Error(`no field ${name}`);
  return x;
};

function frame(bytes: number[], wireLen = bytes.length) {
  return { data: Uint8Array.from(bytes), wireLen, tsSec: 1000, tsNsec: 5, linkType: 1, ifIndex: 0 };
}

// dst 02:00:00:00:00:01, src 00:11:22:33:44:55, ethertype 0x88b5 (local experimental), 4 bytes data
const ETH = [0x02, 0, 0, 0, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x88, 0xb5, 0xde, 0xad, 0xbe, 0xef];

describe("engine", () => {
  it("records only the wanted fields in FIELDS mode", () => {
    const e = new Engine({ mode: TreeMode.FIELDS, fields: [f("eth.src"), f("frame.protocols")] });
    e.dissect(frame(ETH));
    expect(e.tree.get(f("eth.src"))).toEqual([0x001122334455]);
    expect(e.tree.get(f("eth.dst"))).toEqual([]);
    expect(e.tree.get(f("frame.protocols"))).toEqual(["eth:ethertype:data"]);
  });

  it("decodes address bits; a type without a dissector is named in Info, its payload is data", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    const p = e.dissect(frame(ETH));
    expect(e.tree.get(f("eth.dst.lg"))).toEqual([1]);
    expect(e.tree.get(f("eth.type"))).toEqual([0x88b5]);
    expect(e.tree.get(f("data.len"))).toEqual([4]);
    expect(p.protocol).toBe("0x88b5");
    const text = treeText(e.tree.root);
    expect(text).toContain("Ethernet II, Src: 00:11:22:33:44:55, Dst: 02:00:00:00:00:01");
    expect(text).toContain("    Type: Local Experimental Ethertype 1 (0x88b5)");
    expect(p.info.toString()).toBe("Local Experimental Ethertype 1");
    expect(text).toContain("        .... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)");
  });

  it("flags a frame cut by the snaplen as short, not malformed", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    const p = e.dissect(frame(ETH.slice(0, 10), 60));
    expect(p.short).toBe(true);
    expect(p.malformed).toBe(false);
    expect(p.info.toString()).toContain("[Packet size limited during capture]");
    expect(e.tree.has(f("_ws.short"))).toBe(true);
  });

  it("flags a frame shorter than its own header as malformed", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    const p = e.dissect(frame(ETH.slice(0, 10)));
    expect(p.malformed).toBe(true);
    expect(treeText(e.tree.root)).toContain("[Malformed Packet: Ethernet]");
  });

  it("shows unknown link types as data, naming the link type", () => {
    const e = new Engine({ mode: TreeMode.FULL });
    const p = e.dissect({ ...frame([1, 2, 3]), linkType: 147 });
    expect(p.info.toString()).toBe("Link type 147 (USER 0) not decoded");
    expect(e.tree.get(f("data.len"))).toEqual([3]);
  });

  it("reuses one packet and records nothing stale across frames", () => {
    const e = new Engine({ mode: TreeMode.FIELDS, fields: [f("eth.type")] });
    e.dissect(frame(ETH));
    e.dissect(frame(ETH.slice(0, 10)));
    expect(e.tree.get(f("eth.type"))).toEqual([]);
  });
});
