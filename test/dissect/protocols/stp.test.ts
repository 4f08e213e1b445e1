import { describe, expect, it } from "vitest";
import { HAVE_SHARED, HAVE_TSHARK, SHARED_CAPTURES } from "../../helpers.js";
import { decode, everyPrefixIsSafe, hex } from "./l3-helpers.js";
import { expectSameAsTshark, expectSameOnFiltered, writePcap } from "./tshark-compare.js";

const F = ["stp.protocol", "stp.version", "stp.type", "stp.flags", "stp.flags.tcack", "stp.flags.agreement", "stp.flags.forwarding",
  "stp.flags.learning", "stp.flags.port_role", "stp.flags.proposal", "stp.flags.tc", "stp.root.prio", "stp.root.ext", "stp.root.hw",
  "stp.root.cost", "stp.bridge.prio", "stp.bridge.ext", "stp.bridge.hw", "stp.port", "stp.msg_age", "stp.max_age", "stp.hello",
  "stp.forward", "stp.version_1_length", "stp.type.unknown"];

/** An 802.3 frame to the bridge group address with LLC 42/42 UI and the BPDU, padded to 60 bytes. */
function llcFrame(bpdu: string): number[] {
  const body = [0x42, 0x42, 0x03, ...hex(bpdu)];
  const f = [...hex("0180c2000000 001c0e877801"), body.length >> 8, body.length & 255, ...body];
  while (f.length < 60) f.push(0);
  return f;
}

// Configuration BPDU: TC, root 32768/0/00:1c:0e:87:78:00, cost 4, bridge 32768/1/..:01, port
// 0x8004, message age 1, max age 20, hello 2, forward delay 15.
const CONF = "0000 00 00 01 8000001c0e877800 00000004 8001001c0e877801 8004 0100 1400 0200 0f00";
// RST BPDU: flags 0x3c (forwarding, learning, designated), root 4096/0, cost 20000, bridge
// 32768/100, port 0x8002, version 1 length 0.
const rst = (flags: string, root = "1000", age = "0000") =>
  `0000 02 02 ${flags} ${root}001c0e877800 00004e20 8064001c0e877801 8002 ${age} 1400 0200 0f00 00`;

function frames(): number[][] {
  return [
    llcFrame(CONF),
    llcFrame(rst("3c")),
    llcFrame(rst("be", "7005", "0180")),
    llcFrame(rst("01")),
    llcFrame(rst("41")),
    llcFrame("0000 00 80"),
    llcFrame("0000 00 33"),
    llcFrame(CONF.replace(/\s+/g, "").slice(0, 40)),
  ];
}

describe("stp", () => {
  it("decodes a configuration BPDU with tshark's Info, values and labels", () => {
    const d = decode(frames()[0]!);
    expect(d.p.protocol).toBe("STP");
    expect(d.p.info.toString()).toBe("Conf. TC + Root = 32768/0/00:1c:0e:87:78:00  Cost = 4  Port = 0x8004");
    expect(d.v("frame.protocols")).toEqual(["eth:llc:stp"]);
    expect(d.v("stp.root.hw")).toEqual(["00:1c:0e:87:78:00"]);
    expect(d.v("stp.root.cost")).toEqual(["4"]);
    expect(d.v("stp.bridge.ext")).toEqual(["1"]);
    expect(d.v("stp.port")).toEqual(["0x8004"]);
    expect(d.v("stp.msg_age")).toEqual(["1"]);
    expect(d.v("stp.forward")).toEqual(["15"]);
    expect(d.v("stp.flags.port_role")).toEqual([]);
    expect(d.text).toContain([
      "Spanning Tree Protocol",
      "    Protocol Identifier: Spanning Tree Protocol (0x0000)",
      "    Protocol Version Identifier: Spanning Tree (0)",
      "    BPDU Type: Configuration (0x00)",
      "    BPDU flags: 0x01, Topology Change",
      "        0... .... = Topology Change Acknowledgment: No",
      "        .... ...1 = Topology Change: Yes",
      "    Root Identifier: 32768 / 0 / 00:1c:0e:87:78:00",
      "        Root Bridge Priority: 32768",
      "        Root Bridge System ID Extension: 0",
      "        Root Bridge System ID: 00:1c:0e:87:78:00",
      "    Root Path Cost: 4",
    ].join("\n"));
  });

  it("decodes RST BPDUs, TCNs and unknown types", () => {
    const [, r1, r2, , , tcn, unknown] = frames().map((f) => decode(f));
    expect(r1!.p.info.toString()).toBe("RST. Root = 4096/0/00:1c:0e:87:78:00  Cost = 20000  Port = 0x8002");
    expect(r1!.v("stp.flags.port_role")).toEqual(["3"]);
    expect(r1!.v("stp.version_1_length")).toEqual(["0"]);
    expect(r1!.text).toContain("    BPDU flags: 0x3c, Forwarding, Learning, Port Role: Designated\n");
    expect(r2!.p.info.toString()).toBe("RST. Root = 28672/5/00:1c:0e:87:78:00  Cost = 20000  Port = 0x8002");
    expect(r2!.v("stp.msg_age")).toEqual(["1.5"]);
    expect(r2!.v("stp.flags.tcack")).toEqual(["1"]);
    expect(tcn!.p.info.toString()).toBe("Topology Change Notification");
    expect(tcn!.v("stp.type")).toEqual(["0x80"]);
    expect(unknown!.p.info.toString()).toBe("Unknown BPDU type (51)");
    expect(unknown!.v("stp.type.unknown")).toEqual(["1"]);
  });

  it("a short BPDU is malformed, and no prefix throws", () => {
    const cut = decode(frames()[7]!);
    expect(cut.p.malformed).toBe(true);
    expect(cut.p.info.toString()).toBe("[Malformed Packet]");
    for (const f of frames().slice(0, 3)) everyPrefixIsSafe(f);
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it("on built frames: summary lines and every stp field", () => {
      expectSameAsTshark(writePcap("stp.pcap", frames().map((f) => Uint8Array.from(f))), F, frames().length);
    });

    it.skipIf(!HAVE_SHARED)("on zeek-raw_packets.pcap", () => {
      const file = `${SHARED_CAPTURES}/zeek-raw_packets.pcap`;
      expectSameOnFiltered(file, "stp", F);
    });
  });
});
