// AppleTalk ARP: requests, replies, probes, an unknown opcode, Token Ring hardware and a cut
// packet, compared with tshark (summary, -V, JSON, fields).
import { describe, expect, it } from "vitest";
import { HAVE_TSHARK, runArpx, runTshark, skipReason } from "../../helpers.js";
import { expectSameAsTshark, writePcap } from "./tshark-compare.js";

const hex = (s: string) => [...Buffer.from(s, "hex")];

/** An Ethernet frame carrying AARP (padded to 60 bytes). */
function aarp(op: number, sha: string, spa: string, tha: string, tpa: string, dst = "ffffffffffff", hw = 1): Uint8Array {
  const body = [0, hw, 0x80, 0x9b, 6, 4, 0, op, ...hex(sha), ...hex(spa), ...hex(tha), ...hex(tpa)];
  const f = [...hex(dst), ...hex(sha), 0x80, 0xf3, ...body];
  while (f.length < 60) f.push(0);
  return Uint8Array.from(f);
}

const FRAMES = [
  aarp(1, "080007a1b2c3", "00ff0142", "000000000000", "00ff0199"),
  aarp(2, "080007d4e5f6", "00ff0199", "080007a1b2c3", "00ff0142", "080007a1b2c3"),
  aarp(3, "080007a1b2c3", "00ff0142", "000000000000", "00ff0142"),
  aarp(9, "080007a1b2c3", "00ff0142", "000000000000", "00ff0142"),
  aarp(1, "080007a1b2c3", "00ff0142", "000000000000", "00ff0199", "ffffffffffff", 2),
];

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: AARP not compared with tshark");

describe.skipIf(skip)("AARP", () => {
  it("agrees with tshark: summary lines, fields, -V and JSON", () => {
    const file = writePcap("aarp.pcap", [...FRAMES, [FRAMES[0]!.slice(0, 16), 60]]);
    expectSameAsTshark(file, ["aarp.opcode", "aarp.hard.type", "aarp.proto.type", "aarp.src.hw_mac", "aarp.src.proto_id", "aarp.dst.hw_mac", "aarp.dst.proto_id"], 6);
    const v = runArpx(["read", "-n", "-r", file, "-V"]).stdout;
    expect(v).toBe(runTshark(["-n", "-r", file, "-V"]).stdout);
    expect(v).toContain("    Sender ID: 65281.66\n");
    const json = (s: string) => (JSON.parse(s) as { _source: { layers: unknown } }[]).map((p) => p._source.layers);
    expect(json(runArpx(["read", "-n", "-r", file, "-T", "json"]).stdout)).toEqual(json(runTshark(["-n", "-r", file, "-T", "json", "--no-duplicate-keys"]).stdout));
  });
});
