// Link Layer Discovery Protocol (IEEE 802.1AB) on ethertype 0x88cc, as Wireshark 4.0 shows it.
//   An LLDPDU is a run of TLVs: type (top 7 bits) and length (low 9 bits) in 2 bytes, then
//   `length` bytes of value. Chassis ID, Port ID and Time To Live come first, in that order;
//   optional TLVs follow until End of LLDPDU (type 0).
//   Chassis / Port ID: subtype 1 | id (length - 1), a network address being family 1 | address.
//   Management Address: string length 1 | subtype 1 | address (string length - 1) | interface
//   subtype 1 | interface number 4 | OID length 1 | OID.
//   Organizationally Specific (type 127): OUI 3 | subtype 1 | value.
// Wireshark reads each TLV from a sub-buffer of its declared length: a read inside the declared
// length but past the LLDPDU's own bytes is "length of contained item exceeds length of
// containing item", a read past the declared length is an ordinary malformed packet.
import { Base, FT, registerExperts, registerProtocol, vals, type FieldSpec } from "../fields.js";
import { etherTypes } from "../dispatch.js";
import { bytesPreview, etherStringAt, hex2, formatText, ipv4StringAt, ipv6ToString } from "../format.js";
import type { Packet } from "../packet.js";
import { MALFORMED, type Tree } from "../tree.js";
import { ws } from "./frame.js";

const T_END = 0, T_CHASSIS = 1, T_PORT = 2, T_TTL = 3, T_PORT_DESC = 4, T_SYS_NAME = 5, T_SYS_DESC = 6, T_SYS_CAP = 7,
  T_MGMT = 8, T_ORG = 127;

const OUI_802_1 = 0x0080c2, OUI_802_3 = 0x00120f, OUI_TIA = 0x0012bb;

const TLV_TYPES = vals({
  0: "End of LLDPDU", 1: "Chassis Id", 2: "Port Id", 3: "Time to Live", 4: "Port Description", 5: "System Name",
  6: "System Description", 7: "System Capabilities", 8: "Management Address", 127: "Organization Specific",
});
const CHASSIS_SUBTYPES = vals({
  0: "Reserved", 1: "Chassis component", 2: "Interface alias", 3: "Port component", 4: "MAC address",
  5: "Network address", 6: "Interface name", 7: "Locally assigned",
});
const PORT_SUBTYPES = vals({
  0: "Reserved", 1: "Interface alias", 2: "Port component", 3: "MAC address", 4: "Network address",
  5: "Interface name", 6: "Agent circuit Id", 7: "Locally assigned",
});
/** Address family numbers (RFC 1700 / IANA), as Wireshark's afn_vals. */
const AFN = vals({
  0: "Reserved", 1: "IPv4", 2: "IPv6", 3: "NSAP", 4: "HDLC (8-bit multidrop)", 5: "BBN 1822", 6: "802 (includes all 802 media plus Ethernet)",
  7: "E.163", 8: "E.164 (SMDS, Frame Relay, ATM)", 9: "F.69 (Telex)", 10: "X.121 (X.25, Frame Relay)", 11: "IPX",
  12: "Appletalk", 13: "Decnet IV", 14: "Banyan Vines", 15: "E.164 with NSAP subaddress", 16: "DNS (Domain Name System)",
  17: "Distinguished Name", 18: "AS Number", 19: "XTP over IP version 4", 20: "XTP over IP version 6",
  21: "XTP native mode XTP", 22: "Fibre Channel World-Wide Port Name", 23: "Fibre Channel World-Wide Node Name",
  24: "GWID", 25: "Layer-2 VPN", 26: "MPLS-TP Section Endpoint Identifier", 27: "MPLS-TP LSP Endpoint Identifier",
  28: "MPLS-TP Pseudowire Endpoint Identifier", 29: "MT IP: Multi-Topology IP version 4", 30: "MT IPv6: Multi-Topology IP version 6",
});
const INTERFACE_SUBTYPES = vals({ 1: "Unknown", 2: "ifIndex", 3: "System port number" });
const IEEE_802_1_SUBTYPES = vals({
  0x01: "Port VLAN ID", 0x02: "Port and Protocol VLAN ID", 0x03: "VLAN Name", 0x04: "Protocol Identity",
  0x05: "VID Usage Digest", 0x06: "Management VID", 0x07: "Link Aggregation", 0x08: "Congestion Notification",
  0x09: "ETS Configuration", 0x0a: "ETS Recommendation", 0x0b: "Priority Flow Control Configuration",
  0x0c: "Application Protocol", 0x0d: "EVB", 0x0e: "CDCP", 0x0f: "Port extension", 0x10: "Application VLAN",
  0x11: "LRP ECP Discovery", 0x12: "LRP TCP Discovery", 0x13: "Congestion Isolation", 0x14: "Topology Recognition",
});
const IEEE_802_3_SUBTYPES = vals({
  0x01: "MAC/PHY Configuration/Status", 0x02: "Power Via MDI", 0x03: "Link Aggregation", 0x04: "Maximum Frame Size",
  0x05: "EEE (Energy-Efficient Ethernet)", 0x07: "IEEE 802.3br Additional Ethernet capabilities",
});
const MEDIA_SUBTYPES = vals({
  1: "Media Capabilities", 2: "Network Policy", 3: "Location Identification", 4: "Extended Power-via-MDI",
  5: "Inventory - Hardware Revision", 6: "Inventory - Firmware Revision", 7: "Inventory - Software Revision",
  8: "Inventory - Serial Number", 9: "Inventory - Manufacturer Name", 10: "Inventory - Model Name", 11: "Inventory - Asset ID",
});
const AGG_PORT_TYPES = vals({ 0: "Not specified", 1: "Aggregation Port", 2: "Aggregator", 3: "Aggregator with single Port" });
const MAU_TYPES = vals({
  0: "other or unknown", 1: "AUI - no internal MAU, view from AUI", 2: "10Base5 - thick coax MAU", 3: "Foirl - FOIRL MAU",
  4: "10Base2 - thin coax MAU", 5: "10BaseT - UTP MAU", 6: "10BaseFP - passive fiber MAU", 7: "10BaseFB - sync fiber MAU",
  8: "10BaseFL - async fiber MAU", 9: "10Broad36 - broadband DTE MAU", 10: "10BaseTHD - UTP MAU, half duplex mode",
  11: "10BaseTFD - UTP MAU, full duplex mode", 12: "10BaseFLHD - async fiber MAU, half duplex mode",
  13: "10BaseFLDF - async fiber MAU, full duplex mode", 14: "10BaseT4 - 4 pair category 3 UTP",
  15: "100BaseTXHD - 2 pair category 5 UTP, half duplex mode", 16: "100BaseTXFD - 2 pair category 5 UTP, full duplex mode",
  17: "100BaseFXHD - X fiber over PMT, half duplex mode", 18: "100BaseFXFD - X fiber over PMT, full duplex mode",
  19: "100BaseT2HD - 2 pair category 3 UTP, half duplex mode", 20: "100BaseT2DF - 2 pair category 3 UTP, full duplex mode",
  21: "1000BaseXHD - PCS/PMA, unknown PMD, half duplex mode", 22: "1000BaseXFD - PCS/PMA, unknown PMD, full duplex mode",
  23: "1000BaseLXHD - Fiber over long-wavelength laser, half duplex mode",
  24: "1000BaseLXFD - Fiber over long-wavelength laser, full duplex mode",
  25: "1000BaseSXHD - Fiber over short-wavelength laser, half duplex mode",
  26: "1000BaseSXFD - Fiber over short-wavelength laser, full duplex mode",
  27: "1000BaseCXHD - Copper over 150-Ohm balanced cable, half duplex mode",
  28: "1000BaseCXFD - Copper over 150-Ohm balanced cable, full duplex mode",
  29: "1000BaseTHD - Four-pair Category 5 UTP, half duplex mode", 30: "1000BaseTFD - Four-pair Category 5 UTP, full duplex mode",
  31: "10GigBaseX - X PCS/PMA, unknown PMD.", 32: "10GigBaseLX4 - X fiber over WWDM optics",
  33: "10GigBaseR - R PCS/PMA, unknown PMD.", 34: "10GigBaseER - R fiber over 1550 nm optics",
  35: "10GigBaseLR - R fiber over 1310 nm optics", 36: "10GigBaseSR - R fiber over 850 nm optics",
  37: "10GigBaseW - W PCS/PMA, unknown PMD.", 38: "10GigBaseEW - W fiber over 1550 nm optics",
  39: "10GigBaseLW - W fiber over 1310 nm optics", 40: "10GigBaseSW - W fiber over 850 nm optics",
  41: "10GBASE-CX4 - X copper over 8 pair 100-Ohm balanced cable", 42: "2BASE-TL - Voice grade UTP copper, up to 2700m, optional PAF",
  43: "10PASS-TS - Voice grade UTP copper, up to 750m, optional PAF",
  44: "100BASE-BX10D - One single-mode fiber OLT, long wavelength, 10km",
  45: "100BASE-BX10U - One single-mode fiber ONU, long wavelength, 10km",
  46: "100BASE-LX10 - One single-mode fiber ONU, long wavelength, 10km",
  47: "1000BASE-BX10D - One single-mode fiber OLT, long wavelength, 10km",
  48: "1000BASE-BX10U - One single-mode fiber ONU, long wavelength, 10km",
  49: "1000BASE-LX10 - Two sigle-mode fiber, long wavelength, 10km", 50: "1000BASE-PX10D - One single-mode fiber EPON OLT, 10km",
  51: "1000BASE-PX10U - One single-mode fiber EPON ONU, 10km", 52: "1000BASE-PX20D - One single-mode fiber EPON OLT, 20km",
  53: "1000BASE-PX20U - One single-mode fiber EPON ONU, 20km",
});
/** The few OUIs whose manufacturer name (Wireshark's manuf file) LLDP TLVs commonly carry. */
const MANUF = new Map<number, string>([
  [0x0080c2, "IEEE"], [0x00120f, "Ieee 802.3"], [0x0012bb, "Telecommunications Industry Association TR-41 Committee"],
  [0x00000c, "Cisco Systems, Inc"], [0x000142, "Cisco Systems, Inc"],
]);
/** OUIs Wireshark hands to a decoder of their own (DCBX, PROFINET, Cisco, 802.1Qbg, Hytec, Avaya...) that arpx lacks. */
const VENDOR_DECODED = new Set([0x001b21, 0x000ecf, 0x000142, 0x001b3f, 0x30b216, 0x00400d, 0x00005e, 0x00040d, 0xd88466, 0xa42305, 0x00216c]);

const CAPABLE: readonly [string, string] = ["Capable", "Not capable"];
const SUPPORTED: readonly [string, string] = ["Supported", "Not supported"];
const ENABLED: readonly [string, string] = ["Enabled", "Disabled"];
const YES_NO: readonly [string, string] = ["Yes", "No"];

const CAP_BITS = [
  ["other", "Other", 0x01], ["repeater", "Repeater", 0x02], ["bridge", "Bridge", 0x04], ["wlan_access_pt", "WLAN access point", 0x08],
  ["router", "Router", 0x10], ["telephone", "Telephone", 0x20], ["docsis_cable_device", "DOCSIS cable device", 0x40],
  ["station_only", "Station only", 0x80],
] as const;

// PMD auto-negotiation advertised capabilities (RFC 3636 ifMauAutoNegCapAdvertisedBits), low bit first.
const AUTONEG_BITS = [
  ["1000base_tfd", "1000BASE-T (full duplex mode)"], ["1000base_t", "1000BASE-T (half duplex mode)"],
  ["1000base_xfd", "1000BASE-X (-LX, -SX, -CX full duplex mode)"], ["1000base_x", "1000BASE-X (-LX, -SX, -CX half duplex mode)"],
  ["fdx_bpause", "Asymmetric and Symmetric PAUSE (for full-duplex links)"], ["fdx_spause", "Symmetric PAUSE (for full-duplex links)"],
  ["fdx_apause", "Asymmetric PAUSE (for full-duplex links)"], ["fdx_pause", "PAUSE (for full-duplex links)"],
  ["100base_t2fd", "100BASE-T2 (full duplex mode)"], ["100base_t2", "100BASE-T2 (half duplex mode)"],
  ["100base_txfd", "100BASE-TX (full duplex mode)"], ["100base_tx", "100BASE-TX (half duplex mode)"],
  ["100base_t4", "100BASE-T4"], ["10base_tfd", "10BASE-T (full duplex mode)"], ["10base_t", "10BASE-T (half duplex mode)"],
  ["other", "Other or unknown"],
] as const;

type CapKey = (typeof CAP_BITS)[number][0];
type AutonegKey = (typeof AUTONEG_BITS)[number][0];

function capFields<P extends string>(prefix: P): Record<`${P}_${CapKey}`, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  for (const [k, name, mask] of CAP_BITS) out[`${prefix}_${k}`] = { abbrev: `lldp.tlv.${prefix}.${k}`, name, type: FT.BOOLEAN, mask, bitWidth: 16, tfs: CAPABLE };
  return out as Record<`${P}_${CapKey}`, FieldSpec>;
}

/** The 16 capability bits, and Wireshark's second copy of them in reversed bit order. */
function autonegFields<K extends string>(key: K, prefix: string, inverse: boolean): Record<`${K}_${AutonegKey}`, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  AUTONEG_BITS.forEach(([k, name], i) => {
    out[`${key}_${k}`] = { abbrev: `lldp.ieee.802_3.${prefix}.${k}`, name, type: FT.BOOLEAN, mask: inverse ? 0x8000 >> i : 1 << i, bitWidth: 16, tfs: CAPABLE };
  });
  return out as Record<`${K}_${AutonegKey}`, FieldSpec>;
}

export const hf = registerProtocol("lldp", "Link Layer Discovery Protocol", {
  tlv_type: { abbrev: "lldp.tlv.type", name: "TLV Type", type: FT.UINT16, mask: 0xfe00, strings: TLV_TYPES },
  tlv_len: { abbrev: "lldp.tlv.len", name: "TLV Length", type: FT.UINT16, mask: 0x01ff },
  system_cap: { abbrev: "lldp.tlv.system_cap", name: "Capabilities", type: FT.UINT16, base: Base.HEX },
  ...capFields("system_cap"),
  system_name: { abbrev: "lldp.tlv.system.name", name: "System Name", type: FT.STRING },
  system_desc: { abbrev: "lldp.tlv.system.desc", name: "System Description", type: FT.STRING },
  enable_system_cap: { abbrev: "lldp.tlv.enable_system_cap", name: "Enabled Capabilities", type: FT.UINT16, base: Base.HEX },
  ...capFields("enable_system_cap"),
  chassis_subtype: { abbrev: "lldp.chassis.subtype", name: "Chassis Id Subtype", type: FT.UINT8, strings: CHASSIS_SUBTYPES },
  chassis_id: { abbrev: "lldp.chassis.id", name: "Chassis Id", type: FT.BYTES },
  chassis_id_mac: { abbrev: "lldp.chassis.id.mac", name: "Chassis Id", type: FT.ETHER },
  chassis_id_ip4: { abbrev: "lldp.chassis.id.ip4", name: "Chassis Id", type: FT.IPV4 },
  chassis_id_ip6: { abbrev: "lldp.chassis.id.ip6", name: "Chassis Id", type: FT.IPV6 },
  port_subtype: { abbrev: "lldp.port.subtype", name: "Port Id Subtype", type: FT.UINT8, strings: PORT_SUBTYPES },
  port_id: { abbrev: "lldp.port.id", name: "Port Id", type: FT.STRING },
  port_desc: { abbrev: "lldp.port.desc", name: "Port Description", type: FT.STRING },
  port_id_mac: { abbrev: "lldp.port.id.mac", name: "Port Id", type: FT.ETHER },
  network_address_family: { abbrev: "lldp.network_address.subtype", name: "Network Address family", type: FT.UINT8, strings: AFN },
  port_id_ip4: { abbrev: "lldp.port.id.ip4", name: "Port Id", type: FT.IPV4 },
  port_id_ip6: { abbrev: "lldp.port.id.ip6", name: "Port Id", type: FT.IPV6 },
  time_to_live: { abbrev: "lldp.time_to_live", name: "Seconds", type: FT.UINT16 },
  mgn_address_len: { abbrev: "lldp.mgn.address.len", name: "Address String Length", type: FT.UINT8 },
  mgn_address_subtype: { abbrev: "lldp.mgn.address.subtype", name: "Address Subtype", type: FT.UINT8, strings: AFN, blurb: "Undefined" },
  mgn_addr_ip4: { abbrev: "lldp.mgn.addr.ip4", name: "Management Address", type: FT.IPV4 },
  mgn_addr_ip6: { abbrev: "lldp.mgn.addr.ip6", name: "Management Address", type: FT.IPV6 },
  mgn_addr_hex: { abbrev: "lldp.mgn.addr.hex", name: "Management Address", type: FT.BYTES },
  mgn_interface_subtype: { abbrev: "lldp.mgn.interface.subtype", name: "Interface Subtype", type: FT.UINT8, strings: INTERFACE_SUBTYPES, blurb: "Undefined" },
  mgn_interface_number: { abbrev: "lldp.mgn.interface.number", name: "Interface Number", type: FT.UINT32 },
  mgn_obj_len: { abbrev: "lldp.mgn.obj.len", name: "OID String Length", type: FT.UINT8 },
  // BASE_OUI in Wireshark: exported as a decimal number, shown as "00:80:c2 (IEEE)".
  org_oui: { abbrev: "lldp.orgtlv.oui", name: "Organization Unique Code", type: FT.UINT24 },
  ieee_802_1_subtype: { abbrev: "lldp.ieee.802_1.subtype", name: "IEEE 802.1 Subtype", type: FT.UINT8, base: Base.HEX, strings: IEEE_802_1_SUBTYPES },
  ppvid_flags: { abbrev: "lldp.ieee.802_1.port_and_vlan_id_flag", name: "Flags", type: FT.UINT8, base: Base.HEX },
  ppvid_supported: { abbrev: "lldp.ieee.802_1.port_and_vlan_id_flag.supported", name: "Port and Protocol VLAN", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: SUPPORTED },
  ppvid_enabled: { abbrev: "lldp.ieee.802_1.port_and_vlan_id_flag.enabled", name: "Port and Protocol VLAN", type: FT.BOOLEAN, mask: 0x04, bitWidth: 8, tfs: ENABLED },
  port_vlan_id: { abbrev: "lldp.ieee.802_1.port_vlan.id", name: "Port VLAN Identifier", type: FT.UINT16, base: Base.DEC_HEX },
  port_proto_vlan_id: { abbrev: "lldp.ieee.802_1.port_proto_vlan.id", name: "Port and Protocol VLAN Identifier", type: FT.UINT16, base: Base.DEC_HEX },
  vlan_id: { abbrev: "lldp.ieee.802_1.vlan.id", name: "VLAN Identifier", type: FT.UINT16, base: Base.DEC_HEX },
  vlan_name_len: { abbrev: "lldp.ieee.802_1.vlan.name_len", name: "VLAN Name Length", type: FT.UINT8 },
  // FT_STRINGZ in Wireshark (arpx has no separate zero-terminated string type; values print alike).
  vlan_name: { abbrev: "lldp.ieee.802_1.vlan.name", name: "VLAN Name", type: FT.STRING },
  proto_id_len: { abbrev: "lldp.ieee.802_1.proto.id_length", name: "Protocol Identity Length", type: FT.UINT8 },
  proto_id: { abbrev: "lldp.ieee.802_1.proto.id", name: "Protocol Identity", type: FT.BYTES },
  agg1_status: { abbrev: "lldp.ieee.802_1.aggregation_status", name: "Aggregation Status", type: FT.UINT8, base: Base.HEX },
  agg1_cap: { abbrev: "lldp.ieee.802_1.aggregation_status.cap", name: "Aggregation Capability", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: YES_NO },
  agg1_enabled: { abbrev: "lldp.ieee.802_1.aggregation_status.enabled", name: "Aggregation Status", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: ENABLED },
  agg1_porttype: { abbrev: "lldp.ieee.802_1.aggregation_status.porttype", name: "Aggregation Status", type: FT.UINT8, mask: 0x0c, strings: AGG_PORT_TYPES },
  agg1_port_id: { abbrev: "lldp.ieee.802_1.aggregated_port_id", name: "Aggregated Port Id", type: FT.UINT32 },
  ieee_802_3_subtype: { abbrev: "lldp.ieee.802_3.subtype", name: "IEEE 802.3 Subtype", type: FT.UINT8, base: Base.HEX, strings: IEEE_802_3_SUBTYPES },
  autoneg_status: { abbrev: "lldp.ieee.802_3.mac_phy_auto_neg_status", name: "Auto-Negotiation Support/Status", type: FT.UINT8, base: Base.HEX },
  autoneg_supported: { abbrev: "lldp.ieee.802_3.mac_phy_auto_neg_status.supported", name: "Auto-Negotiation", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: SUPPORTED },
  autoneg_enabled: { abbrev: "lldp.ieee.802_3.mac_phy_auto_neg_status.enabled", name: "Auto-Negotiation", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: ENABLED },
  pmd_caps: { abbrev: "lldp.ieee.802_3.pmd_auto_neg_advertised_caps", name: "PMD Auto-Negotiation Advertised Capability", type: FT.UINT16, base: Base.HEX },
  ...autonegFields("pmd", "pmd_auto_neg_advertised_caps", false),
  ...autonegFields("pmd_inv", "pmd_auto_neg_advertised_caps_inv", true),
  mau_type: { abbrev: "lldp.ieee.802_3.pmd_mau_type", name: "Operational MAU Type", type: FT.UINT16, base: Base.HEX, strings: MAU_TYPES, blurb: "Unknown" },
  agg3_status: { abbrev: "lldp.ieee.802_3.aggregation_status", name: "Aggregation Status", type: FT.UINT8, base: Base.HEX },
  agg3_cap: { abbrev: "lldp.ieee.802_3.aggregation_status.cap", name: "Aggregation Capability", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: YES_NO },
  agg3_enabled: { abbrev: "lldp.ieee.802_3.aggregation_status.enabled", name: "Aggregation Status", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: ENABLED },
  agg3_port_id: { abbrev: "lldp.ieee.802_3.aggregated_port_id", name: "Aggregated Port Id", type: FT.UINT32 },
  max_frame_size: { abbrev: "lldp.ieee.802_3.max_frame_size", name: "Maximum Frame Size", type: FT.UINT16 },
  unknown_subtype: { abbrev: "lldp.unknown_subtype", name: "Unknown Subtype", type: FT.UINT8 },
  unknown_subtype_content: { abbrev: "lldp.unknown_subtype.content", name: "Unknown Subtype Content", type: FT.BYTES },
});

export const ei = registerExperts(hf.proto, {
  bad_length: { abbrev: "lldp.incorrect_length", group: "malformed", severity: "warn", summary: "Invalid length, too short" },
  bad_length_excess: { abbrev: "lldp.excess_length", group: "malformed", severity: "warn", summary: "Invalid length, greater than expected" },
  bad_type: { abbrev: "lldp.bad_type", group: "malformed", severity: "warn", summary: "Incorrect type" },
  deprecated: { abbrev: "lldp.tlv_deprecated", group: "protocol", severity: "warn", summary: "TLV has been deprecated" },
});

const CAP_FIELDS = CAP_BITS.map(([k]) => hf[`system_cap_${k}`]);
const ENABLED_CAP_FIELDS = CAP_BITS.map(([k]) => hf[`enable_system_cap_${k}`]);
const PMD_FIELDS = AUTONEG_BITS.map(([k]) => hf[`pmd_${k}`]);
const PMD_INV_FIELDS = AUTONEG_BITS.map(([k]) => hf[`pmd_inv_${k}`]);

const u16 = (d: Uint8Array, o: number): number => (d[o]! << 8) | d[o + 1]!;
const u24 = (d: Uint8Array, o: number): number => (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
const u32 = (d: Uint8Array, o: number): number => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;

/** End of d[a, b) at its first NUL (Wireshark's "stringzpad"). */
function nulEnd(d: Uint8Array, a: number, b: number): number {
  for (let i = a; i < b; i++) if (d[i] === 0) return i;
  return b;
}

/** An ENC_ASCII string value: up to a NUL, bytes past 0x7f as U+FFFD. */
function asciiValue(d: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = d[i]!;
    if (c === 0) break;
    s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
  }
  return s;
}

/** A padded string as Wireshark's labels and Info show it (tvb_format_stringzpad). */
function padText(d: Uint8Array, a: number, b: number): string {
  return formatText(d, a, nulEnd(d, a, b));
}

/** The OUI label of BASE_OUI: "00:80:c2 (IEEE)", at most 31 characters as Wireshark's buffer. */
function ouiLabel(d: Uint8Array, o: number, oui: number): string {
  const hex = `${hex2(d[o]!)}:${hex2(d[o + 1]!)}:${hex2(d[o + 2]!)}`;
  const name = MANUF.get(oui);
  return name === undefined ? hex : `${hex} (${name})`.slice(0, 31);
}

/** A TLV's type and length items. */
function tlvHeader(t: Tree, o: number, raw: number): void {
  t.uint(hf.tlv_type, o, 2, raw);
  t.uint(hf.tlv_len, o, 2, raw);
}

/** The length item just added gets an expert below it. */
function lengthExpert(p: Packet, t: Tree, e: typeof ei.bad_length, o: number, text: string): void {
  t.down();
  t.expert(p, e, o, 2, text);
  t.up();
}

/**
 * Chassis ID (`port` false) or Port ID TLV at `o`, bounded by the caller to its declared length.
 * Returns false when Wireshark rejects it (wrong type, bad length), which ends the LLDPDU.
 */
function idTlv(p: Packet, t: Tree, o: number, port: boolean): boolean {
  const d = t.d;
  t.check(o, 2);
  const raw = u16(d, o);
  const type = raw >> 9;
  const len = raw & 0x1ff;
  const what = port ? "Port ID" : "Chassis ID";
  if (type !== (port ? T_PORT : T_CHASSIS)) {
    const msg = `Invalid ${what} (0x${hex2u(type)}), expected (0x${hex2u(port ? T_PORT : T_CHASSIS)})`;
    if (t.full) t.text(msg, o, len);
    t.down();
    t.expert(p, ei.bad_type, o, len, msg);
    t.up();
    return false;
  }
  t.check(o + 2, 1);
  const sub = d[o + 2]!;
  const names = port ? PORT_SUBTYPES : CHASSIS_SUBTYPES;
  const subName = names.get(sub) ?? (port ? "Unknown" : "Reserved");
  const head = `${port ? "Port" : "Chassis"} Subtype = ${subName}`;
  subtree(t, t.full ? head : null, o, len + 2);
  t.down();
  tlvHeader(t, o, raw);
  if (len < 2) {
    lengthExpert(p, t, ei.bad_length, o, `Invalid ${what} Length (${len}), expected > (2)`);
    t.up();
    return false;
  }
  const v = o + 3;
  const macSub = port ? 3 : 4, netSub = port ? 4 : 5;
  // Wireshark checks the length after adding the subtype (and the address family); its expert
  // sits under the length item, so it is added here, before them.
  let family = -1;
  let bad: string | null = null;
  if (sub === macSub) {
    if (len !== 7) bad = `Invalid ${what} Length (${len}) for Type (${subName}), expected (7)`;
  } else if (sub === netSub) {
    t.check(v, 1);
    family = d[v]!;
    const want = family === 1 ? 6 : family === 2 ? 18 : len;
    if (len !== want) bad = `Invalid ${what} Length (${len}) for Type (${subName}, ${AFN.get(family)}), expected (${want})`;
  } else if (len > 256) {
    t.down();
    t.expert(p, ei.bad_length_excess, o, 2, `Invalid ${what} Length (${len}) for Type (${subName}), expected < (256)`);
    t.up();
    t.uint(port ? hf.port_subtype : hf.chassis_subtype, o + 2, 1, sub);
    t.up();
    return false;
  }
  if (bad !== null) lengthExpert(p, t, ei.bad_length, o, bad);
  t.uint(port ? hf.port_subtype : hf.chassis_subtype, o + 2, 1, sub);
  if (family >= 0) t.uint(hf.network_address_family, v, 1, family);
  if (bad !== null) {
    t.up();
    return false;
  }
  let idType: string;
  let str = "";
  if (sub === macSub) {
    idType = "MA";
    t.check(v, 6);
    if (p.wantCols || t.full) str = etherStringAt(d, v);
    t.ether(port ? hf.port_id_mac : hf.chassis_id_mac, v);
  } else if (sub === netSub) {
    idType = "NA";
    if (family === 1) {
      t.check(v + 1, 4);
      if (p.wantCols || t.full) str = ipv4StringAt(d, v + 1);
      t.ipv4(port ? hf.port_id_ip4 : hf.chassis_id_ip4, v + 1);
    } else if (family === 2) {
      t.check(v + 1, 16);
      if (p.wantCols || t.full) str = ipv6ToString(d, v + 1);
      t.ipv6(port ? hf.port_id_ip6 : hf.chassis_id_ip6, v + 1);
    } else {
      t.check(v + 1, len - 2);
      if (p.wantCols || t.full) str = bytesPreview(d.subarray(v + 1, v + len - 1));
      if (port) t.str(hf.port_id, v + 1, len - 2, t.wants(hf.port_id) ? asciiValue(d, v + 1, v + len - 1) : "");
      else t.bytes(hf.chassis_id, v + 1, len - 2);
    }
  } else {
    t.check(v, len - 1);
    idType = idPrefix(sub, port);
    if (p.wantCols || t.full) {
      if (idType === "Rs") str = "Reserved";
      else if (idType === "PC") str = bytesPreview(d.subarray(v, v + len - 1));
      else str = padText(d, v, v + len - 1);
    }
    if (port) t.str(hf.port_id, v, len - 1, t.wants(hf.port_id) ? asciiValue(d, v, v + len - 1) : "");
    else t.bytes(hf.chassis_id, v, len - 1);
  }
  t.up();
  if (p.wantCols) p.info.add(idType).char(0x2f).add(str).char(0x20);
  if (t.full) relabelLast(t, `${head}, Id: ${str}`);
  return true;
}

/** The label of the TLV subtree just closed (its text was known only after its items). */
function relabelLast(t: Tree, text: string): void {
  // Tree.label renames the last *added* item; the subtree node is found through the parent's kids.
  const m = t.mark();
  const kids = m.cur.kids;
  const n = kids?.[kids.length - 1];
  if (n) n.text = text;
}

function idPrefix(sub: number, port: boolean): string {
  if (port) {
    switch (sub) {
      case 1: return "IA";
      case 2: return "PC";
      case 5: return "IN";
      case 6: return "AC";
      case 7: return "LA";
      default: return "Rs";
    }
  }
  switch (sub) {
    case 1: return "CC";
    case 2: return "IA";
    case 3: return "PC";
    case 6: return "IN";
    case 7: return "LA";
    default: return "Rs";
  }
}

function hex2u(v: number): string {
  return v.toString(16).toUpperCase().padStart(2, "0");
}

/** Time To Live TLV; false when the TLV has another type. */
function ttlTlv(p: Packet, t: Tree, o: number): boolean {
  const d = t.d;
  t.check(o, 2);
  const raw = u16(d, o);
  if (raw >> 9 !== T_TTL) return false;
  t.check(o + 2, 2);
  const ttl = u16(d, o + 2);
  if (p.wantCols) p.info.dec(ttl).char(0x20);
  subtree(t, t.full ? `Time To Live = ${ttl} sec` : null, o, (raw & 0x1ff) + 2);
  t.down();
  tlvHeader(t, o, raw);
  t.uint(hf.time_to_live, o + 2, 2, ttl);
  t.up();
  return true;
}

/** Port Description, System Name, System Description. */
function textTlv(p: Packet, t: Tree, o: number, raw: number, type: number): void {
  const d = t.d;
  const len = raw & 0x1ff;
  t.check(o + 2, len);
  const v = o + 2;
  const f = type === T_PORT_DESC ? hf.port_desc : type === T_SYS_NAME ? hf.system_name : hf.system_desc;
  const label = type === T_PORT_DESC ? "Port Description" : type === T_SYS_NAME ? "System Name" : "System Description";
  subtree(t, t.full ? `${label} = ${padText(d, v, v + len)}` : null, o, len + 2);
  if (p.wantCols && type !== T_PORT_DESC) p.info.add(type === T_SYS_NAME ? "SysN=" : "SysD=").text(d, v, nulEnd(d, v, v + len)).char(0x20);
  t.down();
  tlvHeader(t, o, raw);
  t.str(f, v, len, t.wants(f) ? asciiValue(d, v, v + len) : "");
  t.up();
}

function capabilitiesTlv(t: Tree, o: number, raw: number): void {
  const d = t.d;
  subtree(t, "Capabilities", o, (raw & 0x1ff) + 2);
  t.down();
  tlvHeader(t, o, raw);
  for (let k = 0; k < 2; k++) {
    const at = o + 2 + 2 * k;
    t.check(at, 2);
    const v = u16(d, at);
    t.uint(k === 0 ? hf.system_cap : hf.enable_system_cap, at, 2, v);
    t.down();
    for (const f of k === 0 ? CAP_FIELDS : ENABLED_CAP_FIELDS) t.bool(f, at, 2, v);
    t.up();
  }
  t.up();
}

function managementTlv(t: Tree, o: number, raw: number): void {
  const d = t.d;
  const len = raw & 0x1ff;
  subtree(t, "Management Address", o, len + 2);
  t.down();
  tlvHeader(t, o, raw);
  let q = o + 2;
  t.check(q, 2);
  const strLen = d[q]!;
  t.uint(hf.mgn_address_len, q, 1, strLen);
  const sub = d[q + 1]!;
  t.uint(hf.mgn_address_subtype, q + 1, 1, sub);
  q += 2;
  if (sub === 1) t.ipv4(hf.mgn_addr_ip4, q);
  else if (sub === 2) t.ipv6(hf.mgn_addr_ip6, q);
  else if (strLen === 0) {
    // A length of -1 in Wireshark: the rest of the TLV.
    const n = Math.max(0, o + 2 + len - q);
    t.bytes(hf.mgn_addr_hex, q, n);
  } else t.bytes(hf.mgn_addr_hex, q, strLen - 1);
  q += strLen - 1;
  t.check(q, 1);
  t.uint(hf.mgn_interface_subtype, q, 1, d[q]!);
  q++;
  t.check(q, 4);
  t.uint(hf.mgn_interface_number, q, 4, u32(d, q));
  q += 4;
  t.check(q, 1);
  const oidLen = d[q]!;
  t.uint(hf.mgn_obj_len, q, 1, oidLen);
  q++;
  if (oidLen > 0) {
    t.check(q, oidLen);
    if (t.full) {
      const oid = oidText(d, q, q + oidLen);
      const first = OID_ROOTS[oid.charCodeAt(0) - 48];
      t.text(`Object Identifier: ${oid} (${first === undefined ? oid : first + oid.slice(1)})`, q, oidLen);
    }
  }
  t.up();
}

const OID_ROOTS = ["itu-t", "iso", "joint-iso-itu-t"];

/** BER-encoded OID as dotted numbers. */
function oidText(d: Uint8Array, a: number, b: number): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = a; i < b; i++) {
    v = v * 128 + (d[i]! & 0x7f);
    if ((d[i]! & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join(".");
}

/** Organizationally Specific TLV (127): OUI, subtype, and the IEEE 802.1 / 802.3 ones decoded. */
function orgTlv(p: Packet, t: Tree, o: number, raw: number): void {
  const d = t.d;
  const len = raw & 0x1ff;
  t.check(o + 2, 4);
  const oui = u24(d, o + 2);
  const sub = d[o + 5]!;
  let head: string | null = null;
  if (t.full) {
    const ouiStr = MANUF.get(oui) ?? "Unknown";
    let subStr: string;
    if (oui === OUI_802_1) subStr = IEEE_802_1_SUBTYPES.get(sub) ?? `Unknown subtype 0x${sub.toString(16)}`;
    else if (oui === OUI_802_3) subStr = IEEE_802_3_SUBTYPES.get(sub) ?? `Unknown subtype 0x${sub.toString(16)}`;
    else if (oui === OUI_TIA) subStr = MEDIA_SUBTYPES.get(sub) ?? `Unknown subtype 0x${sub.toString(16)}`;
    else subStr = `Unknown (${sub})`;
    head = `${ouiStr} - ${subStr}`;
  }
  subtree(t, head, o, len + 2);
  t.down();
  tlvHeader(t, o, raw);
  if (len < 4) {
    lengthExpert(p, t, ei.bad_length, o, `TLV length (${len}) too short, must be >=4)`);
    t.up();
    return;
  }
  t.uint(hf.org_oui, o + 2, 3, oui);
  if (t.full) t.label(`Organization Unique Code: ${ouiLabel(d, o + 2, oui)}`);
  const v = o + 5;
  const end = o + 2 + len;
  if (oui === OUI_802_1) ieee8021(t, v, sub);
  else if (oui === OUI_802_3) ieee8023(p, t, v, sub);
  else if (!VENDOR_DECODED.has(oui) && oui !== OUI_TIA) {
    t.uint(hf.unknown_subtype, v, 1, sub);
    if (end > v + 1) t.bytes(hf.unknown_subtype_content, v + 1, end - v - 1);
  }
  t.up();
}

function ieee8021(t: Tree, v: number, sub: number): void {
  const d = t.d;
  t.uint(hf.ieee_802_1_subtype, v, 1, sub);
  let q = v + 1;
  switch (sub) {
    case 0x01:
      t.check(q, 2);
      t.uint(hf.port_vlan_id, q, 2, u16(d, q));
      break;
    case 0x02: {
      t.check(q, 1);
      const flags = d[q]!;
      t.uint(hf.ppvid_flags, q, 1, flags);
      t.down();
      t.bool(hf.ppvid_supported, q, 1, flags);
      t.bool(hf.ppvid_enabled, q, 1, flags);
      t.up();
      q++;
      t.check(q, 2);
      t.uint(hf.port_proto_vlan_id, q, 2, u16(d, q));
      break;
    }
    case 0x03: {
      t.check(q, 3);
      t.uint(hf.vlan_id, q, 2, u16(d, q));
      const n = d[q + 2]!;
      t.uint(hf.vlan_name_len, q + 2, 1, n);
      q += 3;
      if (n > 0) {
        t.check(q, n);
        t.str(hf.vlan_name, q, n, t.wants(hf.vlan_name) ? asciiValue(d, q, q + n) : "");
      }
      break;
    }
    case 0x04: {
      t.check(q, 1);
      const n = d[q]!;
      t.uint(hf.proto_id_len, q, 1, n);
      q++;
      if (n > 0) t.bytes(hf.proto_id, q, n);
      break;
    }
    case 0x07: {
      t.check(q, 1);
      const s = d[q]!;
      t.uint(hf.agg1_status, q, 1, s);
      t.down();
      t.bool(hf.agg1_cap, q, 1, s);
      t.bool(hf.agg1_enabled, q, 1, s);
      t.uint(hf.agg1_porttype, q, 1, s);
      t.up();
      q++;
      t.check(q, 4);
      t.uint(hf.agg1_port_id, q, 4, u32(d, q));
      break;
    }
  }
}

function ieee8023(p: Packet, t: Tree, v: number, sub: number): void {
  const d = t.d;
  t.uint(hf.ieee_802_3_subtype, v, 1, sub);
  let q = v + 1;
  switch (sub) {
    case 0x01: {
      t.check(q, 1);
      const s = d[q]!;
      t.uint(hf.autoneg_status, q, 1, s);
      t.down();
      t.bool(hf.autoneg_supported, q, 1, s);
      t.bool(hf.autoneg_enabled, q, 1, s);
      t.up();
      q++;
      t.check(q, 2);
      const caps = u16(d, q);
      t.uint(hf.pmd_caps, q, 2, caps);
      t.down();
      for (const f of PMD_FIELDS) t.bool(f, q, 2, caps);
      t.up();
      if (t.full) t.text("Same in inverse (wrong) bitorder", q, 2);
      t.down();
      for (const f of PMD_INV_FIELDS) t.bool(f, q, 2, caps);
      t.up();
      q += 2;
      t.check(q, 2);
      t.uint(hf.mau_type, q, 2, u16(d, q));
      break;
    }
    case 0x03: {
      t.down();
      t.expert(p, ei.deprecated, v, 1);
      t.up();
      t.check(q, 1);
      const s = d[q]!;
      t.uint(hf.agg3_status, q, 1, s);
      t.down();
      t.bool(hf.agg3_cap, q, 1, s);
      t.bool(hf.agg3_enabled, q, 1, s);
      t.up();
      q++;
      t.check(q, 4);
      t.uint(hf.agg3_port_id, q, 4, u32(d, q));
      break;
    }
    case 0x04:
      t.check(q, 2);
      t.uint(hf.max_frame_size, q, 2, u16(d, q));
      break;
  }
}

function unknownTlv(t: Tree, o: number, raw: number): void {
  subtree(t, "Unknown TLV", o, (raw & 0x1ff) + 2);
  t.down();
  tlvHeader(t, o, raw);
  t.up();
}

/** Wireshark's ContainedBoundsError, shown where tshark's ethertype dissector shows it. */
function containedError(p: Packet, t: Tree): void {
  t.up(); // close LLDP
  p.malformed = true;
  if (p.wantCols) p.info.add("[Malformed Packet: length of contained item exceeds length of containing item]");
  t.proto(p, ws.malformed, 0, 0);
  p.layers.pop();
  t.label("[Malformed Packet: LLDP: length of contained item exceeds length of containing item]");
  t.up();
}

const GO_ON = 0, STOP = 1, INVALID = 2, CONTAINED = 3;

/**
 * One TLV at `o`, bounded to its declared length as Wireshark's sub-buffer per TLV: a read past
 * the declared length is malformed; one inside it but past the LLDPDU is the contained-item
 * error (CONTAINED: the LLDPDU ends); one past the captured bytes is a short packet.
 * `mandatory` is the TLV's place among Chassis ID, Port ID, TTL (0..2), or -1 after them.
 */
function tlvAt(p: Packet, t: Tree, o: number, layerEnd: number, mandatory: number): number {
  const d = t.d;
  const raw = u16(d, o);
  const end = o + 2 + (raw & 0x1ff);
  const lying = end > layerEnd;
  const mark = lying ? t.mark() : null;
  t.enter(lying ? layerEnd : end);
  let r: number;
  try {
    r = mandatory >= 0 ? mandatoryTlv(p, t, o, mandatory) : optionalTlv(p, t, o, raw);
  } catch (e) {
    if (!(lying && e === MALFORMED)) throw e;
    t.restore(mark!);
    containedError(p, t);
    return CONTAINED;
  }
  t.leave();
  return r;
}

function mandatoryTlv(p: Packet, t: Tree, o: number, k: number): number {
  return (k === 2 ? ttlTlv(p, t, o) : idTlv(p, t, o, k === 1)) ? GO_ON : INVALID;
}

function optionalTlv(p: Packet, t: Tree, o: number, raw: number): number {
  const type = raw >> 9;
  switch (type) {
    case T_CHASSIS:
    case T_PORT:
      idTlv(p, t, o, type === T_PORT);
      if (p.wantCols) p.info.set(type === T_CHASSIS ? "Duplicate Chassis ID TLV" : "Duplicate Port ID TLV");
      return STOP;
    case T_TTL:
      ttlTlv(p, t, o);
      if (p.wantCols) p.info.set("Duplicate Time-To-Live TLV");
      return STOP;
    case T_END:
      subtree(t, "End of LLDPDU", o, (raw & 0x1ff) + 2);
      t.down();
      tlvHeader(t, o, raw);
      t.up();
      return STOP;
    case T_PORT_DESC:
    case T_SYS_NAME:
    case T_SYS_DESC:
      textTlv(p, t, o, raw, type);
      return GO_ON;
    case T_SYS_CAP:
      capabilitiesTlv(t, o, raw);
      return GO_ON;
    case T_MGMT:
      managementTlv(t, o, raw);
      return GO_ON;
    case T_ORG:
      orgTlv(p, t, o, raw);
      return GO_ON;
    default:
      unknownTlv(t, o, raw);
      return GO_ON;
  }
}

/** A TLV's subtree: Wireshark checks that all of its bytes are there before adding it. */
function subtree(t: Tree, label: string | null, o: number, len: number): void {
  t.check(o, len);
  if (t.full) t.text(label!, o, len);
}

export function dissectLldp(p: Packet, t: Tree, off: number): number | void {
  const d = t.d;
  p.protocol = "LLDP";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  t.curProto = "LLDP";
  const layerEnd = t.rep;
  let o = off;
  // The three mandatory TLVs, in order.
  for (let k = 0; k < 3; k++) {
    t.check(o, 2);
    const r = tlvAt(p, t, o, layerEnd, k);
    if (r === CONTAINED) return;
    if (r === INVALID) {
      if (p.wantCols) p.info.set(k === 0 ? "Invalid Chassis ID TLV" : k === 1 ? "Invalid Port ID TLV" : "Invalid Time-to-Live TLV");
      t.up();
      return;
    }
    o += (u16(d, o) & 0x1ff) + 2;
  }
  // Optional TLVs up to End of LLDPDU. Each advances by at least its 2-byte header.
  const cap = t.cap;
  while (o < cap) {
    t.check(o, 2);
    const r = tlvAt(p, t, o, layerEnd, -1);
    if (r === CONTAINED) return;
    if (r === STOP) {
      t.up();
      // Wireshark cuts the LLDPDU one byte before the TLV that ended it (set_actual_length with
      // the TLV's offset - 1), so that byte shows as the start of the Ethernet trailer.
      return o - 1;
    }
    o += (u16(d, o) & 0x1ff) + 2;
  }
  t.up();
}

etherTypes.add(0x88cc, dissectLldp);
