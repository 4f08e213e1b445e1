import { describe, expect, it } from "vitest";
import { build, ipv4, payloadLayer, type Layer } from "../../../src/dissect/build.js";
import { ntpLayer, ntpTimeText, type NtpRepr } from "../../../src/dissect/protocols/ntp.js";
import { udpLayer } from "../../../src/dissect/protocols/udp.js";
import { HAVE_TSHARK } from "../../helpers.js";
import { ETH, IP4, IP_A, dissect, eth4, testIpv4 } from "./build-helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { fieldLines, summaries, writePcap } from "./tshark-compare.js";

const F = ["ntp.flags", "ntp.flags.li", "ntp.flags.vn", "ntp.flags.mode", "ntp.stratum", "ntp.ppoll", "ntp.precision",
  "ntp.rootdelay", "ntp.rootdispersion", "ntp.refid", "ntp.reftime", "ntp.org", "ntp.rec", "ntp.xmt",
  "ntp.ctrl.flags2", "ntp.ctrl.flags2.r", "ntp.ctrl.flags2.error", "ntp.ctrl.flags2.more", "ntp.ctrl.flags2.opcode",
  "ntp.ctrl.sequence", "ntp.ctrl.status", "ntp.ctrl.associd", "ntp.ctrl.offset", "ntp.ctrl.count", "ntp.ctrl.data"];

const UDP = 8;
const frame = (...layers: Layer[]) => build([eth4(), testIpv4(IP_A, ipv4("10.0.0.2"), 17), udpLayer({ srcPort: 123, dstPort: 123 }), ...layers]);
const te = (s: string) => new TextEncoder().encode(s);

const BASE: Omit<NtpRepr, "mode"> = {
  stratum: 2, poll: 6, precision: -23, rootDelay: 0x12345, rootDispersion: 0xabc, refId: Uint8Array.of(192, 168, 1, 1),
  reftime: [0xe3b0c442, 0], rec: [0xe3b0c443, 0x80000000], xmt: [0xe3b0c443, 0xc0000000],
};

function frames(): Uint8Array[] {
  const server = frame(ntpLayer({ ...BASE, mode: 4 }));
  return [
    frame(ntpLayer({ mode: 3, xmt: [0xe3b0c443, 0x12345678] })),
    server,
    frame(ntpLayer({ ...BASE, mode: 4, stratum: 1, refId: te("GPS\0") })),
    frame(ntpLayer({ ...BASE, mode: 5, stratum: 3 })),
    frame(ntpLayer({ ...BASE, mode: 1 })),
    frame(ntpLayer({ ...BASE, mode: 2, vn: 3, li: 3, stratum: 16, refId: te("INIT") })),
    frame(ntpLayer({ ...BASE, mode: 3, vn: 3, reftime: [0x80000000, 0], org: [1, 0], rec: [0xffffffff, 0xffffffff], xmt: [0, 1] })),
    frame(ntpLayer({ mode: 6, vn: 2, ctrl: { opcode: 2, sequence: 1 } })),
    frame(ntpLayer({ mode: 6, vn: 2, ctrl: { opcode: 2, response: true, more: true, sequence: 7, status: 0x0615, associd: 3, data: te('ver="4"') } })),
    // Truncated: the datagram ends (by its own lengths) after 30 bytes of the header.
    frame(payloadLayer(server.subarray(ETH + IP4 + UDP, ETH + IP4 + UDP + 30))),
  ];
}

describe("ntp", () => {
  it("shows version and mode in Info as tshark does", () => {
    expect(frames().map((f) => dissect(f, F).info)).toEqual([
      "NTP Version 4, client", "NTP Version 4, server", "NTP Version 4, server", "NTP Version 4, broadcast",
      "NTP Version 4, symmetric active", "NTP Version 3, symmetric passive", "NTP Version 3, client",
      "NTP Version 2, control", "NTP Version 2, control", "NTP Version 4, server[Malformed Packet]",
    ]);
  });

  it("round-trips the header through ntpLayer", () => {
    const r = dissect(frames()[1]!, F);
    expect(r.layers).toBe("eth:ethertype:ip:udp:ntp");
    expect(r.v["ntp.flags"]).toEqual([0x24]);
    expect([r.v["ntp.flags.li"], r.v["ntp.flags.vn"], r.v["ntp.flags.mode"]]).toEqual([[0], [4], [4]]);
    expect([r.v["ntp.stratum"], r.v["ntp.ppoll"], r.v["ntp.precision"]]).toEqual([[2], [6], [233]]);
    expect([r.v["ntp.rootdelay"], r.v["ntp.rootdispersion"]]).toEqual([[0x12345], [0xabc]]);
    expect(r.v["ntp.refid"]).toEqual([[192, 168, 1, 1]]);
    expect(r.v["ntp.reftime"]).toEqual(["Jan 19, 2021 02:36:50.000000000 UTC"]);
    expect(r.v["ntp.org"]).toEqual(["NULL"]);
    expect(r.v["ntp.xmt"]).toEqual(["Jan 19, 2021 02:36:51.750000000 UTC"]);
    expect(r.malformed).toBe(false);
    const c = dissect(frames()[8]!, F);
    expect([c.v["ntp.ctrl.flags2"], c.v["ntp.ctrl.flags2.r"], c.v["ntp.ctrl.flags2.more"], c.v["ntp.ctrl.flags2.opcode"]]).toEqual([[0xa2], [1], [1], [2]]);
    expect([c.v["ntp.ctrl.sequence"], c.v["ntp.ctrl.status"], c.v["ntp.ctrl.associd"], c.v["ntp.ctrl.count"]]).toEqual([[7], [0x0615], [3], [7]]);
    expect(c.v["ntp.stratum"]).toEqual([]);
  });

  it("prints timestamps in UTC across NTP eras, truncating nanoseconds", () => {
    expect(ntpTimeText(0, 0)).toBe("NULL");
    expect(ntpTimeText(0, 1)).toBe("NULL");
    expect(ntpTimeText(0xe3b0c443, 0x12345678)).toBe("Jan 19, 2021 02:36:51.071111110 UTC");
    expect(ntpTimeText(0x80000000, 0)).toBe("Jan 20, 1968 03:14:08.000000000 UTC");
    expect(ntpTimeText(1, 0)).toBe("Feb  7, 2036 06:28:17.000000000 UTC");
    expect(ntpTimeText(0xffffffff, 0xffffffff)).toBe("Feb  7, 2036 06:28:15.999999999 UTC");
  });

  it("labels the tree like tshark -V", () => {
    const d = decode(Array.from(frames()[1]!));
    expect(d.text).toContain("Network Time Protocol (NTP Version 4, server)\n" +
      "    Flags: 0x24, Leap Indicator: no warning, Version number: NTP Version 4, Mode: server\n");
    for (const line of ["    Peer Clock Stratum: secondary reference (2)", "    Peer Polling Interval: 6 (64 seconds)",
      "    Root Delay: 1.137772 seconds", "    Reference ID: 192.168.1.1", "    Origin Timestamp: NULL",
      "    Transmit Timestamp: Jan 19, 2021 02:36:51.750000000 UTC"]) expect(d.text).toContain(line + "\n");
  });

  it("a truncated header is malformed after the fields it holds; no prefix throws", () => {
    const r = dissect(frames()[9]!, F);
    expect(r.malformed).toBe(true);
    expect(r.v["ntp.reftime"]).toEqual(["Jan 19, 2021 02:36:50.000000000 UTC"]);
    expect(r.v["ntp.org"]).toEqual([]);
    for (const i of [1, 8]) everyPrefixIsSafe(Array.from(frames()[i]!));
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it("on built frames: summary lines and every ntp field", () => {
      const file = writePcap("ntp.pcap", frames());
      const s = summaries(file);
      expect(s.ax).toEqual(s.ts);
      expect(s.ts.length).toBe(frames().length);
      const v = fieldLines(file, ["frame.protocols", ...F]);
      expect(v.ax).toEqual(v.ts);
      expect(v.ts.length).toBe(frames().length);
    });
  });
});
