import { describe, expect, it } from "vitest";
import { build, checksum, ipv4, payloadLayer, putU16, type Layer } from "../../../src/dissect/build.js";
import { igmpLayer, maxRespTime, type IgmpRepr } from "../../../src/dissect/protocols/igmp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { HAVE_SHARED, HAVE_TSHARK, SHARED_CAPTURES } from "../../helpers.js";
import { ETH, IP4, IP_A, dissect, eth4, hex, testIpv4 } from "./build-helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, expectSameOnFiltered, writePcap } from "./tshark-compare.js";

const F = ["igmp.version", "igmp.type", "igmp.max_resp", "igmp.checksum", "igmp.checksum.status", "igmp.maddr", "igmp.s",
  "igmp.qrv", "igmp.qqic", "igmp.num_src", "igmp.saddr", "igmp.num_grp_recs", "igmp.record_type", "igmp.aux_data_len",
  "igmp.aux_data", "igmp.reserved", "igmp.data", "igmp.group_type", "igmp.reply", "igmp.reply.pending", "igmp.identifier",
  "igmp.access_key", "igmp.max_resp.exp", "igmp.max_resp.mant", "igmp.bad_checksum"];

const frame = (dst: string, ...layers: Layer[]) => build([eth4(), testIpv4(IP_A, ipv4(dst), 2), ...layers]);
const msg = (dst: string, r: IgmpRepr) => frame(dst, igmpLayer(r));

/** An IGMPv0 message (RFC 988: 20 bytes), which igmpLayer does not build. */
function v0(type: number, code: number): Layer {
  const b = Uint8Array.from([type, code, 0, 0, 0, 0, 0, 7, 224, 9, 9, 9, ...new TextEncoder().encode("abcdefgh")]);
  putU16(b, 2, checksum(b, 0, b.length));
  return payloadLayer(b);
}

const V3_RECORDS: IgmpRepr["records"] = [
  { type: 4, group: ipv4("239.1.1.1") },
  { type: 1, group: ipv4("239.3.3.3"), sources: [ipv4("10.9.9.9")], aux: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) },
  { type: 2, group: ipv4("239.4.4.4"), sources: [ipv4("10.1.1.1"), ipv4("10.1.1.2")] },
  { type: 6, group: ipv4("239.5.5.5") },
  { type: 9, group: ipv4("239.6.6.6"), sources: [ipv4("1.2.3.4")] },
];

function frames(): Uint8Array[] {
  const bad = msg("224.0.0.22", { type: 0x16, group: ipv4("224.0.0.251") });
  bad[ETH + IP4 + 2] ^= 0xff;
  return [
    msg("224.0.0.1", { type: 0x11, maxResp: 100 }),
    msg("239.1.1.1", { type: 0x11, maxResp: 10, group: ipv4("239.1.1.1") }),
    msg("224.0.0.251", { type: 0x16, group: ipv4("224.0.0.251") }),
    msg("224.0.0.2", { type: 0x17, group: ipv4("224.0.0.251") }),
    msg("224.0.0.1", { type: 0x11 }),
    msg("239.2.2.2", { type: 0x12, group: ipv4("239.2.2.2") }),
    msg("224.0.0.1", { type: 0x11, maxResp: 100, v3: true, qrv: 2, qqic: 125 }),
    msg("239.1.1.1", { type: 0x11, maxResp: 0x8a, group: ipv4("239.1.1.1"), s: true, qrv: 2, qqic: 0x90, sources: [ipv4("10.1.1.1"), ipv4("10.1.1.2")] }),
    msg("239.1.1.1", { type: 0x11, maxResp: 0x8a, group: ipv4("239.1.1.1"), qrv: 7, sources: [ipv4("10.1.1.1")] }),
    msg("224.0.0.22", { type: 0x22, records: V3_RECORDS }),
    msg("224.0.0.22", { type: 0x22, records: [] }),
    bad,
    frame("224.0.0.22", igmpLayer({ type: 0x33 }), payloadLayer(new TextEncoder().encode("xyz"))),
    frame("224.0.0.22", v0(0x01, 0)),
    frame("224.0.0.22", v0(0x02, 6)),
    frame("224.0.0.22", v0(0x04, 2)),
  ];
}

// A v3 report: type 0x22, checksum, 1 record "change to exclude" 224.0.0.251 with no sources
// (zeek-dns-mdns.pcap frame 8).
const REPORT = hex("22 00 f9 02 00 00 00 01 04 00 00 00 e0 00 00 fb");

describe("igmp", () => {
  it("picks the version from type, length and max-resp, with tshark's Info texts", () => {
    const got = frames().map((f) => {
      const r = dissect(f, F);
      return [r.v["igmp.version"]?.[0], r.info];
    });
    expect(got).toEqual([
      [2, "Membership Query, general"],
      [2, "Membership Query, specific for group 239.1.1.1"],
      [2, "Membership Report group 224.0.0.251"],
      [2, "Leave Group 224.0.0.251"],
      [1, "Membership Query"],
      [1, "Membership Report"],
      [3, "Membership Query, general"],
      [3, "Membership Query, specific for group 239.1.1.1, sources {10.1.1.1, 10.1.1.2}"],
      [3, "Membership Query, specific for group 239.1.1.1, source {10.1.1.1}"],
      [3, "Membership Report / Join group 239.1.1.1 for any sources / Join group 239.3.3.3 for source {10.9.9.9} / " +
        "Join group 239.4.4.4, for sources not in {10.1.1.1, 10.1.1.2} / Group 239.5.5.5, BLOCK_OLD_SOURCES but no source specified (?) / " +
        "Group 239.6.6.6, unknown record type (?), sources {1.2.3.4}"],
      [3, "Membership Report - General query"],
      [2, "Membership Report group 224.0.0.251"],
      [undefined, "Unknown Type:0x33"],
      [0, "Create Group Request"],
      [0, "Create Group Reply"],
      [0, "Join Group Reply"],
    ]);
  });

  it("decodes v3 records and query fields, and verifies the checksum", () => {
    const f = frames();
    const q = dissect(f[7]!, F);
    expect(q.v["igmp.max_resp"]).toEqual([maxRespTime(0x8a)]);
    expect(maxRespTime(0x8a)).toBe(208);
    expect(q.v["igmp.max_resp.exp"]).toEqual([0]);
    expect(q.v["igmp.max_resp.mant"]).toEqual([0x0a]);
    expect(q.v["igmp.s"]).toEqual([1]);
    expect(q.v["igmp.qrv"]).toEqual([2]);
    expect(q.v["igmp.qqic"]).toEqual([144]);
    expect(q.v["igmp.num_src"]).toEqual([2]);
    expect(q.v["igmp.saddr"]).toEqual([ipv4("10.1.1.1"), ipv4("10.1.1.2")]);
    expect(q.v["igmp.checksum.status"]).toEqual([1]);
    const r = dissect(f[9]!, F);
    expect(r.layers).toBe("eth:ethertype:ip:igmp:igmp");
    expect(r.v["igmp.num_grp_recs"]).toEqual([5]);
    expect(r.v["igmp.record_type"]).toEqual([4, 1, 2, 6, 9]);
    expect(r.v["igmp.aux_data_len"]).toEqual([0, 1, 0, 0, 0]);
    expect(r.v["igmp.num_src"]).toEqual([0, 1, 2, 0, 1]);
    expect(r.v["igmp.aux_data"]).toEqual([[0xde, 0xad, 0xbe, 0xef]]);
    expect(r.v["igmp.checksum.status"]).toEqual([1]);
    const bad = dissect(f[11]!, F);
    expect(bad.v["igmp.checksum.status"]).toEqual([0]);
    expect(bad.experts).toContainEqual(expect.stringMatching(/^Bad checksum \[should be 0x[0-9a-f]{4}\]$/));
    const unknown = dissect(f[12]!, F);
    expect(unknown.layers).toBe("eth:ethertype:ip:igmp");
    expect((unknown.v["igmp.data"]![0] as number[]).slice(-3)).toEqual([0x78, 0x79, 0x7a]);
  });

  it("labels the tree like tshark -V", () => {
    const d = decode(Array.from(frames()[7]!));
    expect(d.text).toContain([
      "Internet Group Management Protocol",
      "    [IGMP Version: 3]",
      "    Type: Membership Query (0x11)",
      "    Max Resp Time: 20.8 sec (0x8a)",
      "        .000 .... = Exponent: 0x0",
      "        .... 1010 = Mantissa: 0xa",
    ].join("\n"));
    expect(d.text).toContain("    .... 1... = S: SUPPRESS router side processing\n    .... .010 = QRV: 2\n    QQIC: 144\n");
    const r = decode(Array.from(frames()[9]!));
    expect(r.text).toContain("    Group Record : 239.3.3.3  Mode Is Include\n        Record Type: Mode Is Include (1)\n");
  });

  describe("igmpLayer", () => {
    it("emits the v3 report fixture and dissects it back", () => {
      const b = msg("224.0.0.22", { type: 0x22, records: [{ type: 4, group: ipv4("224.0.0.251") }] });
      expect(Array.from(b.subarray(ETH + IP4, ETH + IP4 + REPORT.length))).toEqual(Array.from(REPORT));
      const r = dissect(build([eth4(), testIpv4(IP_A, ipv4("224.0.0.22"), 2), payloadLayer(REPORT)]), F);
      expect(r.v["igmp.type"]).toEqual([0x22]);
      expect(r.v["igmp.checksum"]).toEqual([0xf902]);
      expect(r.v["igmp.checksum.status"]).toEqual([1]);
      expect(r.v["igmp.record_type"]).toEqual([4]);
      expect(r.v["igmp.maddr"]).toEqual([ipv4("224.0.0.251")]);
      expect(r.malformed).toBe(false);
    });

    it("round-trips v2 and v3 queries", () => {
      const r2 = dissect(msg("239.1.1.1", { type: 0x11, maxResp: 10, group: ipv4("239.1.1.1") }), F, TreeMode.FULL);
      expect([r2.v["igmp.version"], r2.v["igmp.max_resp"], r2.v["igmp.maddr"], r2.v["igmp.checksum.status"]]).toEqual([[2], [10], [ipv4("239.1.1.1")], [1]]);
      const r3 = dissect(msg("224.0.0.1", { type: 0x11, maxResp: 100, s: false, qrv: 2, qqic: 125, sources: [ipv4("10.0.0.9")] }), F);
      expect([r3.v["igmp.version"], r3.v["igmp.qrv"], r3.v["igmp.qqic"], r3.v["igmp.saddr"], r3.v["igmp.checksum.status"]])
        .toEqual([[3], [2], [125], [ipv4("10.0.0.9")], [1]]);
    });
  });

  it("never throws on truncated frames; a lying record count is malformed", () => {
    for (const f of [frames()[7]!, frames()[9]!, frames()[13]!]) everyPrefixIsSafe(Array.from(f));
    const lying = Uint8Array.from(REPORT);
    lying[7] = 200;
    putU16(lying, 2, 0);
    putU16(lying, 2, checksum(lying, 0, lying.length));
    const r = dissect(build([eth4(), testIpv4(IP_A, ipv4("224.0.0.22"), 2), payloadLayer(lying)], 0), F);
    expect(r.malformed).toBe(true);
    expect(r.v["igmp.record_type"]).toEqual([4]);
  });

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it("on built frames: summary lines and every igmp field", () => {
      expectSameAsTshark(writePcap("igmp.pcap", frames()), F, frames().length);
    });

    it.skipIf(!HAVE_SHARED)("on zeek-dns-mdns.pcap", () => {
      const file = `${SHARED_CAPTURES}/zeek-dns-mdns.pcap`;
      expectSameOnFiltered(file, "igmp", F);
    });
  });
});
