// LLDP (ethertype 0x88cc): LLDPDUs built here are read by arpx and by tshark, which must print the
// same summary lines, frame.protocols and lldp.* fields; every prefix of each decodes safely.
import { describe, expect, it } from "vitest";
import { allFields } from "../../../src/dissect/fields.js";
import { hf } from "../../../src/dissect/protocols/lldp.js";
import { HAVE_TSHARK, skipReason } from "../../helpers.js";
import { decode, everyPrefixIsSafe } from "./l3-helpers.js";
import { expectSameAsTshark, writePcap } from "./tshark-compare.js";

const LLDP_MCAST = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e];
const SRC = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A TLV: type (7 bits) and length (9 bits, the value's unless `len` lies), then the value. */
function tlv(type: number, value: number[], len = value.length): number[] {
  const h = (type << 9) | (len & 0x1ff);
  return [h >> 8, h & 0xff, ...value];
}

/** An Ethernet frame to the LLDP multicast address, padded with zeros to `min` bytes. */
function frame(tlvs: number[][], min = 0): number[] {
  const f = [...LLDP_MCAST, ...SRC, 0x88, 0xcc, ...tlvs.flat()];
  while (f.length < min) f.push(0);
  return f;
}

const MAC_CHASSIS = tlv(1, [4, ...SRC]);
const TTL_120 = tlv(3, [0, 120]);
const END = tlv(0, []);

const SWITCH_PORT = frame([
  MAC_CHASSIS,
  tlv(2, [5, ...ascii("Gi0/1")]),
  TTL_120,
  tlv(4, ascii("GigabitEthernet0/1")),
  tlv(5, ascii("switch1")),
  tlv(6, ascii("Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M)")),
  tlv(7, [0x00, 0x14, 0x00, 0x04]),
  tlv(8, [5, 1, 192, 168, 1, 1, 2, 0, 0, 0, 1, 0]),
  tlv(8, [17, 2, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 7, 3, 0x2b, 0x06, 0x01]),
  tlv(127, [0x00, 0x80, 0xc2, 0x01, 0x00, 0x0a]),
  tlv(127, [0x00, 0x80, 0xc2, 0x02, 0x06, 0x00, 0x14]),
  tlv(127, [0x00, 0x80, 0xc2, 0x03, 0x00, 0x0a, 4, ...ascii("data")]),
  tlv(127, [0x00, 0x80, 0xc2, 0x04, 2, 0x88, 0x8e]),
  tlv(127, [0x00, 0x80, 0xc2, 0x07, 0x07, 0, 0, 0, 5]),
  tlv(127, [0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, 0x00, 0x00, 0x10]),
  tlv(127, [0x00, 0x12, 0x0f, 0x03, 0x01, 0, 0, 0, 7]),
  tlv(127, [0x00, 0x12, 0x0f, 0x04, 0x05, 0xee]),
  tlv(127, [0xaa, 0xbb, 0xcc, 0x05, 0x01, 0x02]),
  tlv(9, ascii("xyz")),
  END,
]);

const MINIMAL = frame([tlv(1, [7, ...ascii("abc")]), tlv(2, [3, 0x00, 0x11, 0x22, 0x33, 0x44, 0x66]), TTL_120, END], 60);

const IPV4_CHASSIS = frame([tlv(1, [5, 1, 10, 0, 0, 1]), tlv(2, [7, ...ascii("port1")]), tlv(3, [0, 0]), END], 60);

const IPV6_CHASSIS = frame([
  tlv(1, [5, 2, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]),
  tlv(2, [4, 1, 10, 1, 2, 3]),
  TTL_120,
  tlv(5, []),
  tlv(4, []),
  tlv(6, []),
  END,
], 60);

/** A System Name that claims 40 bytes where 6 are left: tshark's contained-item error. */
const LYING = frame([MAC_CHASSIS, tlv(2, [5, ...ascii("Gi0/1")]), TTL_120, tlv(5, ascii("abcdef"), 40)]);

/** No End of LLDPDU, and an odd byte after the last TLV: a malformed packet. */
const ODD_BYTE = frame([MAC_CHASSIS, tlv(2, [7, ...ascii("p")]), TTL_120, tlv(5, ascii("sw")), [0x0a]]);

/** The first TLV is not a Chassis ID, then a MAC chassis ID of the wrong length. */
const WRONG_FIRST = frame([tlv(2, [7, ...ascii("p")]), TTL_120], 60);
const BAD_MAC_LEN = frame([tlv(1, [4, 0x00, 0x11, 0x22]), TTL_120], 60);

/** An organization TLV too short for its subtype, and a duplicate TTL. */
const SHORT_ORG = frame([MAC_CHASSIS, tlv(2, [7, ...ascii("p")]), TTL_120, tlv(127, [0x00, 0x80, 0xc2, 0x01, 0x00]), END], 60);
const DUPLICATE = frame([MAC_CHASSIS, tlv(2, [7, ...ascii("p")]), TTL_120, tlv(3, [0, 7]), END], 60);

const FRAMES: Record<string, number[]> = {
  "switch port (MAC chassis, interface name, system TLVs, management addresses, 802.1/802.3/unknown org TLVs)": SWITCH_PORT,
  "mandatory TLVs only (locally assigned chassis, MAC port id)": MINIMAL,
  "IPv4 chassis id, TTL 0": IPV4_CHASSIS,
  "IPv6 chassis id, IPv4 port id, zero-length TLVs": IPV6_CHASSIS,
  "a TLV longer than the frame": LYING,
  "an odd byte after the TLVs": ODD_BYTE,
  "wrong first TLV": WRONG_FIRST,
  "MAC chassis id of the wrong length": BAD_MAC_LEN,
  "organization TLV too short for its subtype": SHORT_ORG,
  "duplicate Time To Live": DUPLICATE,
};

/** Every field lldp.ts registers (experts excluded: tshark prints them only with a tree). */
const LLDP_FIELDS = allFields()
  .filter((f) => f.proto === hf.proto && f.type !== 1 /* FT.NONE */)
  .map((f) => f.abbrev);

describe("LLDP decoding", () => {
  it("reads the switch port LLDPDU", () => {
    const { p, v, text } = decode(SWITCH_PORT);
    expect(p.protocol).toBe("LLDP");
    expect(p.info.toString()).toBe("MA/00:11:22:33:44:55 IN/Gi0/1 120 SysN=switch1 SysD=Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M) ");
    expect(v("lldp.chassis.id.mac")).toEqual(["00:11:22:33:44:55"]);
    expect(v("lldp.port.id")).toEqual(["Gi0/1"]);
    expect(v("lldp.time_to_live")).toEqual(["120"]);
    expect(v("lldp.tlv.system_cap")).toEqual(["0x0014"]);
    expect(v("lldp.tlv.enable_system_cap.bridge")).toEqual(["1"]);
    expect(v("lldp.mgn.addr.ip4")).toEqual(["192.168.1.1"]);
    expect(v("lldp.mgn.addr.ip6")).toEqual(["2001:db8::1"]);
    expect(v("lldp.orgtlv.oui")).toEqual(["32962", "32962", "32962", "32962", "32962", "4623", "4623", "4623", "11189196"]);
    expect(v("lldp.ieee.802_1.port_vlan.id")).toEqual(["10"]);
    expect(v("lldp.ieee.802_1.vlan.name")).toEqual(["data"]);
    expect(v("lldp.ieee.802_3.pmd_mau_type")).toEqual(["0x0010"]);
    expect(v("lldp.tlv.type")).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "8", "127", "127", "127", "127", "127", "127", "127", "127", "127", "9", "0"]);
    expect(text).toContain("    Chassis Subtype = MAC address, Id: 00:11:22:33:44:55\n        0000 001. .... .... = TLV Type: Chassis Id (1)\n");
    expect(text).toContain("    Time To Live = 120 sec\n");
    expect(text).toContain("    IEEE - Port VLAN ID\n");
    expect(text).toContain("        Organization Unique Code: 00:12:0f (Ieee 802.3)\n");
    expect(text).toContain("        Object Identifier: 1.3.6.1 (iso.3.6.1)\n");
  });

  it("ends the LLDPDU one byte before End of LLDPDU, as Wireshark (that byte starts the trailer)", () => {
    const { v } = decode(MINIMAL);
    // End of LLDPDU at byte 33: the trailer starts at 32 with TTL's low byte.
    expect(v("eth.trailer")).toEqual(["78" + "00".repeat(MINIMAL.length - 33)]);
  });

  it("flags a TLV longer than the frame as tshark's contained-item error", () => {
    const { p, text } = decode(LYING);
    expect(p.malformed).toBe(true);
    expect(p.info.toString()).toBe("MA/00:11:22:33:44:55 IN/Gi0/1 120 [Malformed Packet: length of contained item exceeds length of containing item]");
    expect(text).toContain("[Malformed Packet: LLDP: length of contained item exceeds length of containing item]");
    expect(text).not.toContain("System Name");
  });

  it("stops at an invalid mandatory TLV", () => {
    expect(decode(WRONG_FIRST).p.info.toString()).toBe("Invalid Chassis ID TLV");
    expect(decode(BAD_MAC_LEN).text).toContain("[Expert Info (Warning/Malformed): Invalid Chassis ID Length (4) for Type (MAC address), expected (7)]");
  });

  it("decodes every prefix of every frame without an exception escaping", () => {
    for (const f of Object.values(FRAMES)) everyPrefixIsSafe(f);
  });
});

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: LLDP not compared with tshark");

describe.skipIf(skip)("LLDP as tshark shows it", () => {
  it.each(Object.keys(FRAMES))("%s", (name) => {
    const file = writePcap("lldp.pcap", [Uint8Array.from(FRAMES[name]!)]);
    expectSameAsTshark(file, LLDP_FIELDS, 1);
  });

  // Cuts inside the LLDPDU only: a frame cut in the Ethernet padding after it is flagged short by
  // tshark's Ethernet trailer, which is ethertype.ts's business, not LLDP's.
  it("all frames in one capture, and frames cut by the snaplen", () => {
    const cut = Object.values(FRAMES).flatMap((f) =>
      [16, 20, 25, 30, 100, 150].filter((n) => n < f.length && (f === SWITCH_PORT || n <= 30)).map((n) => [Uint8Array.from(f.slice(0, n)), f.length] as const));
    const file = writePcap("lldp-all.pcap", [...Object.values(FRAMES).map((f) => Uint8Array.from(f)), ...cut]);
    expectSameAsTshark(file, LLDP_FIELDS, Object.keys(FRAMES).length + cut.length);
  });
});
