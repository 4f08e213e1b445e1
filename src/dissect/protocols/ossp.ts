// The Organization Specific Slow Protocol (IEEE 802.3 Annex 57B, slow protocol subtype 0x0a) and
// the one organization protocol Wireshark 4.0 decodes in it: ITU-T G.8264's Ethernet
// Synchronization Messaging Channel (ESMC).
//   OSSP: OUI 3 | organization's data. ITU-T (00:19:a7): subtype 2 | data.
//   ESMC (ITU-T subtype 1): version (top 4 bits) | event flag (bit 3) | reserved (3 bits) |
//   reserved 3 | the Quality Level TLV (type 1, length 4, SSM code in the low 4 bits of its value) |
//   optionally, when 20 bytes or more follow and the next type is 2, the Extended QL TLV:
//   type 1 | length 2 | eSSM 1 | SyncE clock ID 8 | flags 1 | cascaded eEECs 1 | cascaded EECs 1 |
//   reserved 5 | then padding to the minimum frame size.
// The quality level is named from the SSM and eSSM codes together (G.8264 tables 11-7, 11-8), for
// an Option I network (Wireshark's default).
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { callData } from "../dispatch.js";
import { hex2 } from "../format.js";
import { ouiName } from "../mac-names.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ouiLabel } from "./cfm.js";

const OUI_ITU_T = 0x0019a7;
const ESMC_SUBTYPE = 1;
const QL_TYPE = 1, QL_LENGTH = 4, EXT_QL_TYPE = 2, EXT_QL_LENGTH = 0x14;

/** Quality levels by (eSSM << 8 | SSM), Option I network: long and short names. */
const QL: ReadonlyMap<number, readonly [string, string]> = new Map([
  [2, ["QL-PRC, Primary reference clock (G.811)", "QL-PRC"]],
  [4, ["QL-SSU-A, Type I or V SSU clock (G.812), 'transit node clock'", "QL-SSU-A"]],
  [8, ["QL-SSU-B, Type VI SSU clock (G.812), 'local node clock'", "QL-SSU-B"]],
  [11, ["QL-EEC1, EEC (G.8262, Option I) or SEC clock (G.813, Option I)", "QL-EEC1"]],
  [15, ["QL-DNU, 'Do Not Use'", "QL-DNU"]],
  [(0xff << 8) | 2, ["QL-PRC, Primary reference clock (G.811)", "QL-PRC"]],
  [(0xff << 8) | 4, ["QL-SSU-A, Type I or V SSU clock (G.812), 'transit node clock'", "QL-SSU-A"]],
  [(0xff << 8) | 8, ["QL-SSU-B, Type VI SSU clock (G.812), 'local node clock'", "QL-SSU-B"]],
  [(0xff << 8) | 11, ["QL-EEC1, EEC (G.8262, Option I) or SEC clock (G.813, Option I)", "QL-EEC1"]],
  [(0xff << 8) | 15, ["QL-DNU, 'Do Not Use'", "QL-DNU"]],
  [(0x20 << 8) | 2, ["QL-PRTC, Primary Reference Time Clock", "QL-PRTC"]],
  [(0x21 << 8) | 2, ["QL-ePRTC, Enhanced Primary Reference Time Clock", "QL-ePRTC"]],
  [(0x22 << 8) | 11, ["QL-eEEC, Enhanced Ethernet Equipment Clock", "QL-eEEC"]],
  [(0x23 << 8) | 2, ["QL-ePRC, Enhanced Primary Reference Clock", "QL-ePRC"]],
]);
const UNKNOWN_QL = "Unknown Quality Level";
const YES_NO: readonly [string, string] = ["Yes", "No"];

export const hf = registerProtocol("ossp", "OSSP", {
  // BASE_OUI in Wireshark: exported as a decimal number, shown as "00:19:a7 (Itu-T)".
  oui: { abbrev: "ossp.oui", name: "OUI", type: FT.UINT24, blurb: "IEEE assigned Organizational Unique Identifier" },
  itu_subtype: { abbrev: "ossp.itu.subtype", name: "ITU-T OSSP Subtype", type: FT.UINT16, base: Base.HEX, blurb: "Subtype assigned by the ITU-T" },
  esmc_version: { abbrev: "ossp.esmc.version", name: "Version", type: FT.UINT8, base: Base.HEX, mask: 0xf0 },
  esmc_event_flag: { abbrev: "ossp.esmc.event_flag", name: "Event Flag", type: FT.BOOLEAN, mask: 0x8, bitWidth: 8, tfs: ["Time-critical Event ESMC PDU", "Information ESMC PDU"] },
  esmc_reserved_bits: { abbrev: "ossp.esmc.reserved_bits", name: "Reserved", type: FT.UINT8, base: Base.HEX, mask: 0x7 },
  esmc_reserved: { abbrev: "ossp.esmc.reserved", name: "Reserved", type: FT.UINT24, base: Base.HEX },
  esmc_tlv: { abbrev: "ossp.esmc.tlv", name: "ESMC TLV", type: FT.NONE },
  esmc_tlv_type: { abbrev: "ossp.esmc.tlv_type", name: "TLV Type", type: FT.UINT8, base: Base.HEX, strings: vals({ 1: "Quality Level", 2: "Extended Quality Level" }) },
  esmc_tlv_length: { abbrev: "ossp.esmc.tlv_length", name: "TLV Length", type: FT.UINT16, base: Base.HEX },
  esmc_tlv_ql_unused: { abbrev: "ossp.esmc.tlv_ql_unused", name: "Unused", type: FT.UINT8, base: Base.HEX, mask: 0xf0 },
  esmc_tlv_ql_ssm: { abbrev: "ossp.esmc.tlv_ql_ssm", name: "SSM Code", type: FT.UINT8, base: Base.HEX, mask: 0xf },
  esmc_tlv_ext_ql_essm: { abbrev: "ossp.esmc.tlv_ext_ql_essm", name: "Enhanced SSM Code", type: FT.UINT8, base: Base.HEX },
  // FT_UINT64 (hex): recorded as its "0x..." text, as its 64 bits need not fit a number.
  esmc_tlv_ext_ql_clockid: { abbrev: "ossp.esmc.tlv_ext_ql_clockid", name: "SyncE clockID", type: FT.UINT64, base: Base.HEX },
  esmc_tlv_ext_ql_flag_reserved: { abbrev: "ossp.esmc.tlv_ext_ql_flag_reserved", name: "Reserved", type: FT.UINT8, base: Base.HEX, mask: 0xfc },
  esmc_tlv_ext_ql_flag_chain: { abbrev: "ossp.esmc.tlv_ext_ql_flag_chain", name: "Partial chain", type: FT.BOOLEAN, mask: 0x2, bitWidth: 8, tfs: YES_NO },
  esmc_tlv_ext_ql_flag_mixed: { abbrev: "ossp.esmc.tlv_ext_ql_flag_mixed", name: "Mixed EEC/eEEC clocks", type: FT.BOOLEAN, mask: 0x1, bitWidth: 8, tfs: YES_NO },
  esmc_tlv_ext_ql_eeec: { abbrev: "ossp.esmc.tlv_ext_ql_eeec", name: "Cascaded eEECs", type: FT.UINT8 },
  esmc_tlv_ext_ql_eec: { abbrev: "ossp.esmc.tlv_ext_ql_eec", name: "Cascaded EECs", type: FT.UINT8 },
  // FT_UINT40 in Wireshark (arpx has no 40-bit type): recorded as its "0x..." text.
  esmc_tlv_ext_ql_reserved: { abbrev: "ossp.esmc.tlv_ext_ql_reserved", name: "Reserved", type: FT.UINT64, base: Base.HEX },
  esmc_ql: { abbrev: "ossp.esmc.ql", name: "Quality Level", type: FT.UINT16, base: Base.HEX, generated: true },
  esmc_padding: { abbrev: "ossp.esmc.padding", name: "Padding", type: FT.BYTES },
});

export const ei = registerExperts(hf.proto, {
  version_compliance: { abbrev: "ossp.esmc.version.compliance", group: "malformed", severity: "error", summary: "Version must claim compliance with Version 1 of this protocol" },
  ql_type_not_first: { abbrev: "ossp.esmc.tlv_type.ql_type_not_first", group: "malformed", severity: "error", summary: "TLV Type must be QL because QL TLV must be first in the ESMC PDU" },
  decoded_as_ql_type: { abbrev: "ossp.esmc.tlv_type.decoded_as_ql_type", group: "undecoded", severity: "note", summary: "Let's decode as if this is QL TLV" },
  tlv_length_bad: { abbrev: "ossp.esmc.tlv_length.bad", group: "malformed", severity: "error", summary: "QL TLV Length must be X" },
  ql_unused_not_zero: { abbrev: "ossp.esmc.tlv_ql_unused.not_zero", group: "malformed", severity: "warn", summary: "Unused bits of TLV must be all zeroes" },
  ql_invalid: { abbrev: "ossp.esmc.ql.invalid", group: "undecoded", severity: "warn", summary: "Invalid SSM message, unknown QL code" },
  not_ext_ql: { abbrev: "ossp.esmc.tlv_type.not_ext_ql", group: "malformed", severity: "error", summary: "TLV Type must be == Extended QL" },
  decoded_as_ext_ql: { abbrev: "ossp.esmc.tlv_type.decoded_as_ext_ql", group: "undecoded", severity: "note", summary: "Let's decode as if this is Extended QL TLV" },
  reserved_not_zero: { abbrev: "ossp.esmc.reserved_bits_must_be_set_to_all_zero", group: "protocol", severity: "warn", summary: "Reserved bits must be set to all zero" },
});

function hexBytes(d: Uint8Array, o: number, n: number): string {
  let s = "0x";
  for (let i = 0; i < n; i++) s += hex2(d[o + i]!);
  return s;
}

export function dissectOssp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "OSSP";
  t.proto(p, hf.proto, off, t.cap - off);
  t.curProto = "Organization Specific Slow Protocol";
  if (t.full) t.label("Organization Specific Slow Protocol");
  t.check(off, 3);
  const oui = (d[off]! << 16) | (d[off + 1]! << 8) | d[off + 2]!;
  t.uint(hf.oui, off, 3, oui);
  if (t.full) t.label(`OUI: ${ouiLabel(oui)}`);
  if (p.wantCols) p.info.set(`OUI: ${ouiName(oui) ?? "(Unknown OSSP organization)"}`);
  if (oui === OUI_ITU_T) ituOssp(p, t, off + 3);
  t.up();
}

function ituOssp(p: Packet, t: Tree, off: number): void {
  t.check(off, 2);
  const subtype = (t.d[off]! << 8) | t.d[off + 1]!;
  t.uint(hf.itu_subtype, off, 2, subtype);
  const item = t.lastItem();
  if (subtype !== ESMC_SUBTYPE) {
    if (item !== null) item.text = `ITU-T OSSP Subtype: 0x${subtype.toString(16).padStart(4, "0")} (Unknown)`;
    return;
  }
  t.down();
  esmc(p, t, off + 2, item);
  t.up();
}

function esmc(p: Packet, t: Tree, off: number, subtypeItem: ReturnType<Tree["lastItem"]>): void {
  const d = t.d;
  p.protocol = "ESMC";
  if (subtypeItem !== null) subtypeItem.text = "ITU-T OSSP Subtype: 0x0001: ESMC";
  let o = off;
  t.check(o, 1);
  const b = d[o]!;
  t.uint(hf.esmc_version, o, 1, b);
  if (b >> 4 !== 1) t.expertUnder(t.lastItem(), p, ei.version_compliance, o, 1, "Version must be 0x1 claim compliance with Version 1 of this protocol");
  const event = (b & 0x08) !== 0;
  t.bool(hf.esmc_event_flag, o, 1, b);
  t.uint(hf.esmc_reserved_bits, o, 1, b);
  if (t.full) t.label(`.... .${(b & 7).toString(2).padStart(3, "0")} = Reserved: 0x${hex2(b & 7)}`);
  if ((b & 7) !== 0) t.expertUnder(t.lastItem(), p, ei.reserved_not_zero, o, 1, "Reserved bits must be set to all zero on transmitter");
  o++;
  t.check(o, 3);
  const reserved = (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
  t.uint(hf.esmc_reserved, o, 3, reserved);
  if (reserved !== 0) t.expertUnder(t.lastItem(), p, ei.reserved_not_zero, o, 3, "Reserved octets must be set to all zero on transmitter");
  o += 3;
  const eventText = event ? "Time-critical" : "Information";
  if (subtypeItem !== null) subtypeItem.text += `, Event:${eventText}`;
  if (p.wantCols) p.info.set(`Event:${eventText}`);

  // The Quality Level TLV, mandatory and first: decoded as one whatever its type and length say.
  t.check(o, 0);
  t.none(hf.esmc_tlv, o, Math.min(QL_LENGTH, t.cap - o));
  const qlItem = t.lastItem();
  t.down();
  t.check(o, 1);
  const type = d[o]!;
  t.uint(hf.esmc_tlv_type, o, 1, type);
  if (type !== QL_TYPE) {
    const typeItem = t.lastItem();
    t.expertUnder(typeItem, p, ei.ql_type_not_first, o, 1, "TLV Type must be == 0x01 (QL) because QL TLV must be first in the ESMC PDU");
    t.expertUnder(typeItem, p, ei.decoded_as_ql_type, o, 1);
  }
  if (qlItem !== null) qlItem.text = `ESMC TLV, ${type === 1 ? "Quality Level" : type === 2 ? "Extended Quality Level" : "Unknown"}`;
  o++;
  t.check(o, 2);
  const length = (d[o]! << 8) | d[o + 1]!;
  t.uint(hf.esmc_tlv_length, o, 2, length);
  if (length !== QL_LENGTH) {
    const lengthItem = t.lastItem();
    t.expertUnder(lengthItem, p, ei.tlv_length_bad, o, 2, "QL TLV Length must be == 0x0004");
    t.expertUnder(lengthItem, p, ei.decoded_as_ql_type, o, 2, "Let's decode this TLV as if Length has valid value");
  }
  o += 2;
  t.check(o, 1);
  const v = d[o]!;
  const ssm = v & 0x0f;
  t.uint(hf.esmc_tlv_ql_unused, o, 1, v);
  if ((v & 0xf0) !== 0) t.expertUnder(t.lastItem(), p, ei.ql_unused_not_zero, o, 1);
  t.uint(hf.esmc_tlv_ql_ssm, o, 1, v);
  o++;
  t.up();

  // The Extended QL TLV, optional.
  let essm = 0;
  if (t.cap - o >= EXT_QL_LENGTH && d[o] === EXT_QL_TYPE) {
    t.none(hf.esmc_tlv, o, EXT_QL_LENGTH);
    if (t.full) t.label("ESMC TLV, Extended Quality Level");
    t.down();
    t.uint(hf.esmc_tlv_type, o, 1, EXT_QL_TYPE);
    o++;
    const extLength = (d[o]! << 8) | d[o + 1]!;
    t.uint(hf.esmc_tlv_length, o, 2, extLength);
    if (extLength !== EXT_QL_LENGTH) {
      const lengthItem = t.lastItem();
      t.expertUnder(lengthItem, p, ei.tlv_length_bad, o, 2, "Extended QL TLV Length must be == 0x0014");
      t.expertUnder(lengthItem, p, ei.decoded_as_ext_ql, o, 2, "Let's decode this TLV as if Length has valid value");
    }
    o += 2;
    essm = d[o]!;
    t.uint(hf.esmc_tlv_ext_ql_essm, o, 1, essm);
    o++;
    if (t.wants(hf.esmc_tlv_ext_ql_clockid)) {
      const id = hexBytes(d, o, 8);
      t.value(hf.esmc_tlv_ext_ql_clockid, o, 8, id);
      if (t.full) t.label(`SyncE clockID: ${id}`);
    }
    o += 8;
    const fl = d[o]!;
    t.uint(hf.esmc_tlv_ext_ql_flag_reserved, o, 1, fl);
    if ((fl & 0xfc) !== 0) t.expertUnder(t.lastItem(), p, ei.reserved_not_zero, o, 1);
    t.bool(hf.esmc_tlv_ext_ql_flag_chain, o, 1, fl);
    t.bool(hf.esmc_tlv_ext_ql_flag_mixed, o, 1, fl);
    o++;
    t.uint(hf.esmc_tlv_ext_ql_eeec, o, 1, d[o]!);
    t.uint(hf.esmc_tlv_ext_ql_eec, o + 1, 1, d[o + 1]!);
    o += 2;
    let zero = true;
    for (let i = 0; i < 5; i++) if (d[o + i] !== 0) zero = false;
    if (t.wants(hf.esmc_tlv_ext_ql_reserved)) {
      // Exported with 64-bit width, shown with 40.
      const r = hexBytes(d, o, 5);
      t.value(hf.esmc_tlv_ext_ql_reserved, o, 5, "0x000000" + r.slice(2));
      if (t.full) t.label(`Reserved: ${r}`);
    }
    if (!zero) t.expertUnder(t.lastItem(), p, ei.reserved_not_zero, o, 5);
    o += 5;
    t.up();
  }

  // The quality level the codes name, with the item for it.
  const code = (essm << 8) | ssm;
  const ql = QL.get(code);
  t.uint(hf.esmc_ql, off + 4, o - (off + 4), code);
  if (t.full) t.label(`[Quality Level: ${ql?.[0] ?? UNKNOWN_QL}]`);
  if (ql === undefined) {
    t.down();
    t.expert(p, ei.ql_invalid, off + 4, o - (off + 4));
    t.up();
  }
  if (p.wantCols) p.info.add(`, ${ql?.[1] ?? UNKNOWN_QL}`);

  // Padding up to the minimum frame size, also shown as data.
  const pad = t.cap - o;
  if (pad > 0) {
    t.bytes(hf.esmc_padding, o, pad);
    if (t.full) t.label(`Padding: ${padPreview(d, o, pad)}, ${pad} octet${pad === 1 ? "" : "s"}`);
    t.down();
    callData(p, t, o);
    t.up();
  }
}

/** A bytes item's label value: hex, cut with an ellipsis after 36 bytes. */
function padPreview(d: Uint8Array, o: number, n: number): string {
  let s = "";
  for (let i = 0; i < Math.min(n, 36); i++) s += hex2(d[o + i]!);
  return n > 36 ? s + "\u2026" : s;
}
