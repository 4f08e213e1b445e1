import { describe, expect, it } from "vitest";
import { build, ipv4, payloadLayer, putU16, type Layer } from "../../../src/dissect/build.js";
import { vrrpLayer, type VrrpRepr } from "../../../src/dissect/protocols/vrrp.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { HAVE_SHARED, HAVE_TSHARK, SHARED_CAPTURES, runArpx, runTshark } from "../../helpers.js";
import { ETH, IP4, IP6, IP6_A, IP_A, dissect, eth4, eth6, testIpv4, testIpv6 } from "./build-helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, fieldLines, summaries, tsharkFrames, writePcap } from "./tshark-compare.js";

const F = ["vrrp.typever", "vrrp.version", "vrrp.type", "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.addr_count", "vrrp.auth_type",
  "vrrp.adver_int", "vrrp.reserved_mbz", "vrrp.short_adver_int", "vrrp.checksum", "vrrp.checksum.status", "vrrp.ip_addr",
  "vrrp.ipv6_addr", "vrrp.auth_string", "vrrp.md5_auth_data", "vrrp.checksum_bad.expert"];

const a4 = (s: string) => Uint8Array.from(s.split(".").map(Number));
const a6 = (last: number) => Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last);
const V6_GROUP = Uint8Array.of(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12);

const over4 = (minLen: number, ...layers: Layer[]) => build([eth4(), testIpv4(IP_A, ipv4("224.0.0.18"), 112), ...layers], minLen);
const v4 = (r: VrrpRepr, minLen = 60) => over4(minLen, vrrpLayer(r));
const v6 = (r: VrrpRepr) => build([eth6(), testIpv6(IP6_A, V6_GROUP, 112), vrrpLayer(r)]);

const V2_AUTH: VrrpRepr = { vrid: 7, priority: 100, adverInt: 1, authString: "secret", addrs: [a4("192.168.1.1"), a4("192.168.1.2")] };
const V3_4: VrrpRepr = { version: 3, vrid: 51, priority: 200, adverInt: 100, addrs: [a4("10.0.0.254")] };
const V3_6: VrrpRepr = { version: 3, vrid: 9, priority: 255, adverInt: 0xabc, addrs: [a6(1), a6(0x99)] };

function frames(): Uint8Array[] {
  const bad2 = v4(V2_AUTH);
  bad2[ETH + IP4 + 6] ^= 0xff;
  const bad3 = v6(V3_6);
  bad3[ETH + IP6 + 7] ^= 0x01;
  // The IP length promises the auth data, 6 bytes of it are missing from the frame.
  const truncated = v4(V2_AUTH, 0).subarray(0, ETH + IP4 + 8 + 8 + 2);
  // An address count larger than the message.
  const lying = v4({ vrid: 1, addrs: [a4("10.1.1.1")] }, 0);
  lying[ETH + IP4 + 3] = 40;
  putU16(lying, ETH + IP4 + 6, 0);
  return [
    v4(V2_AUTH),
    v4({ vrid: 1, priority: 0, addrs: [] }),
    over4(60, vrrpLayer({ vrid: 2, authType: 254, addrs: [a4("10.9.9.9")] }), payloadLayer(Uint8Array.from({ length: 16 }, (_, i) => i + 1))),
    v4({ vrid: 3, authType: 2, addrs: [a4("10.3.3.3")] }),
    v4(V3_4),
    v4({ version: 3, type: 2, vrid: 4, priority: 1, adverInt: 0xfff, addrs: [a4("10.4.4.4"), a4("10.4.4.5"), a4("10.4.4.6")] }),
    v6(V3_6),
    v4({ version: 1, vrid: 5, addrs: [a4("10.5.5.5")] }),
    bad2,
    bad3,
    truncated,
    lying,
  ];
}

/** Frames 0, 4 and 6 cut by the snaplen inside the VRRP message (and one inside the header). */
function snapped(): [Uint8Array, number][] {
  const f = frames();
  return [
    [f[0]!.subarray(0, ETH + IP4 + 18), f[0]!.length],
    [f[4]!.subarray(0, ETH + IP4 + 10), f[4]!.length],
    [f[6]!.subarray(0, ETH + IP6 + 20), f[6]!.length],
    // Every cut inside the first 12 bytes of a v2 and a v3 message.
    ...[f[0]!, f[6]!].flatMap((b) => {
      const at = ETH + (b === f[6] ? IP6 : IP4);
      return Array.from({ length: 12 }, (_, n): [Uint8Array, number] => [b.subarray(0, at + n), b.length]);
    }),
  ];
}

describe("vrrp", () => {
  it("decodes v2 with auth, v3 over IPv4 and IPv6, with tshark's Info", () => {
    const f = frames();
    const r2 = dissect(f[0]!, F);
    expect(r2.layers).toBe("eth:ethertype:ip:vrrp");
    expect(r2.info).toBe("Announcement (v2)");
    expect([r2.v["vrrp.version"], r2.v["vrrp.type"], r2.v["vrrp.virt_rtr_id"], r2.v["vrrp.prio"], r2.v["vrrp.addr_count"]])
      .toEqual([[2], [1], [7], [100], [2]]);
    expect([r2.v["vrrp.auth_type"], r2.v["vrrp.adver_int"], r2.v["vrrp.auth_string"], r2.v["vrrp.checksum.status"]])
      .toEqual([[1], [1], ["secret"], [1]]);
    expect(r2.v["vrrp.ip_addr"]).toEqual([ipv4("192.168.1.1"), ipv4("192.168.1.2")]);
    const r3 = dissect(f[4]!, F);
    expect(r3.info).toBe("Announcement (v3)");
    expect([r3.v["vrrp.short_adver_int"], r3.v["vrrp.reserved_mbz"], r3.v["vrrp.auth_type"], r3.v["vrrp.checksum.status"]])
      .toEqual([[100], [0], [], [1]]);
    const r6 = dissect(f[6]!, F);
    expect(r6.layers).toBe("eth:ethertype:ipv6:vrrp");
    expect(r6.v["vrrp.ipv6_addr"]).toEqual([Array.from(a6(1)), Array.from(a6(0x99))]);
    expect([r6.v["vrrp.short_adver_int"], r6.v["vrrp.checksum.status"]]).toEqual([[0xabc], [1]]);
    const md5 = dissect(f[2]!, F);
    expect(md5.v["vrrp.md5_auth_data"]).toEqual([Array.from({ length: 16 }, (_, i) => i + 1)]);
    expect(md5.v["vrrp.checksum.status"]).toEqual([1]);
  });

  it("flags bad checksums, leaves a cut-short one unverified, and a lying count malformed", () => {
    const f = frames();
    for (const b of [f[8]!, f[9]!]) {
      const r = dissect(b, F);
      expect(r.v["vrrp.checksum.status"]).toEqual([0]);
      expect(r.experts).toContainEqual(expect.stringMatching(/^Bad checksum \[should be 0x[0-9a-f]{4}\]$/));
    }
    const [bytes, wire] = snapped()[0]!;
    const cut = decode(Array.from(bytes), 1, wire);
    expect(cut.v("vrrp.checksum.status")).toEqual(["2"]);
    expect(cut.p.short).toBe(true);
    expect(cut.v("vrrp.ip_addr")).toEqual(["192.168.1.1", "192.168.1.2"]);
    expect(cut.text).toContain("[Checksum Status: Unverified]");
    // A frame shorter than its IP length: Wireshark checksums the bytes there are.
    const short = dissect(f[10]!, F);
    expect(short.v["vrrp.checksum.status"]).toEqual([0]);
    expect(short.malformed).toBe(true);
    const lying = dissect(f[11]!, F);
    expect(lying.malformed).toBe(true);
    expect(lying.info).toBe("Announcement (v2)[Malformed Packet]");
  });

  it("labels the tree like tshark -V", () => {
    const d = decode(Array.from(frames()[0]!));
    expect(d.text).toContain([
      "Virtual Router Redundancy Protocol",
      "    Version 2, Packet type 1 (Advertisement)",
      "        0010 .... = VRRP protocol version: 2",
      "        .... 0001 = VRRP packet type: Advertisement (1)",
      "    Virtual Rtr ID: 7",
      "    Priority: 100 (Default priority for a backup VRRP router)",
      "    Addr Count: 2",
      "    Auth Type: Simple Text Authentication [RFC 2338] / Reserved [RFC 3768] (1)",
      "    Adver Int: 1",
    ].join("\n"));
    expect(d.text).toMatch(/ {4}Checksum: 0x[0-9a-f]{4} \[correct\]\n {4}\[Checksum Status: Good\]\n {4}IP Address: 192\.168\.1\.1\n/);
    expect(d.text).toContain("    Authentication String: secret");
    const v3 = decode(Array.from(frames()[6]!));
    expect(v3.text).toContain("    0000 .... = Reserved: 0\n    .... 1010 1011 1100 = Adver Int: 2748\n");
  });

  describe("vrrpLayer", () => {
    it("round-trips v2 and v3 (IPv4 and IPv6) through the dissector", () => {
      const b = v4(V2_AUTH);
      const m = b.subarray(ETH + IP4, ETH + IP4 + 24);
      expect(Array.from(m.subarray(0, 6))).toEqual([0x21, 7, 100, 2, 1, 1]);
      expect(Array.from(m.subarray(16, 24))).toEqual([...new TextEncoder().encode("secret"), 0, 0]);
      for (const [frame, ver] of [[v4(V3_4), 3], [v6(V3_6), 3], [b, 2]] as const) {
        const r = dissect(frame, F, TreeMode.FULL);
        expect(r.v["vrrp.version"]).toEqual([ver]);
        expect(r.v["vrrp.checksum.status"]).toEqual([1]);
        expect(r.malformed || r.short).toBe(false);
      }
      const r = dissect(v4(V3_4), F);
      expect([r.v["vrrp.virt_rtr_id"], r.v["vrrp.prio"], r.v["vrrp.addr_count"], r.v["vrrp.ip_addr"]])
        .toEqual([[51], [200], [1], [ipv4("10.0.0.254")]]);
    });
  });

  it("never throws on truncated frames", () => {
    for (const i of [0, 2, 4, 6, 11]) everyPrefixIsSafe(Array.from(frames()[i]!));
  });

  /**
   * The VRRP part of `-V` (from its protocol line to the blank line after the frame), without
   * what the engine shows differently for every protocol: expert details and the Malformed
   * expert item.
   */
  function vrrpDetail(text: string): string[] {
    const out: string[] = [];
    let on = false;
    for (const l of text.split("\n")) {
      if (/^(Virtual Router|\[Packet size limited during capture: VRRP)/.test(l)) on = true;
      else if (l === "") on = false;
      if (on && !/Severity level|Group:|^ {12}\[|Malformed Packet \(Exception occurred\)/.test(l)) out.push(l);
    }
    return out;
  }

  describe.skipIf(!HAVE_TSHARK)("agrees with tshark", () => {
    it("on the -V detail of built and cut frames", () => {
      for (const file of [writePcap("vrrp-v.pcap", frames()), writePcap("vrrp-snap-v.pcap", snapped())]) {
        const ts = vrrpDetail(runTshark(["-n", "-r", file, "-V"]).stdout);
        expect(ts.length).toBeGreaterThan(100);
        expect(vrrpDetail(runArpx(["read", "-r", file, "-V"]).stdout)).toEqual(ts);
      }
    });

    it("on built frames: summary lines and every vrrp field", () => {
      const file = writePcap("vrrp.pcap", frames());
      const s = summaries(file);
      // Frame 11 (shorter than its IP length): tshark shows "[Malformed Packet: VRRP]" in the tree
      // but not in the Info column; arpx appends it there too (the IPv4 layer's business).
      const no11 = (ls: string[]) => ls.filter((l) => !/^\s*11 /.test(l));
      expect(no11(s.ax)).toEqual(no11(s.ts));
      expect(s.ts).toHaveLength(frames().length);
      const v = fieldLines(file, ["frame.protocols", ...F]);
      expect(v.ax).toEqual(v.ts);
      expect(v.ts.length).toBe(frames().length);
    });

    it("on frames cut by the snaplen", () => {
      expectSameAsTshark(writePcap("vrrp-snap.pcap", snapped()), F, snapped().length);
    });

    it.skipIf(!HAVE_SHARED)("on tcpdump-icmp-icmp_print-oobr-1.pcap (a fuzzed VRRPv3 frame)", () => {
      const file = `${SHARED_CAPTURES}/tcpdump-icmp-icmp_print-oobr-1.pcap`;
      const nums = tsharkFrames(file, "vrrp");
      expect(nums).toEqual([2]);
      const v = fieldLines(file, ["frame.number", "frame.protocols", ...F], "vrrp");
      expect(v.ax).toEqual(v.ts);
      // Protocol and Info (up to the Malformed mark) agree; the "[Packet size limited during
      // capture]" tshark appends comes from its Ethernet trailer handling, not from VRRP.
      const s = summaries(file, nums);
      const cut = (l: string) => l.replace(/\[Packet size limited during capture\]$/, "");
      expect(s.ax.map(cut)).toEqual(s.ts.map(cut));
      expect(s.ts[0]).toContain("VRRP 65570 Announcement (v3)[Malformed Packet]");
    });
  });
});
