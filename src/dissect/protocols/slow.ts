// IEEE 802.3 Slow Protocols (ethertype 0x8809) and the protocols Wireshark 4.0 decodes in them:
// LACP (subtype 1, IEEE 802.1AX), the Link Aggregation Marker protocol (subtype 2), Ethernet OAM
// (subtype 3, IEEE 802.3 clause 57, with CableLabs DPoE's organization specific OAMPDUs) and the
// Organization Specific Slow Protocol (subtype 10, see ossp.ts).
//   Slow Protocols: subtype 1 | the subtype's PDU.
//   LACPDU: version 1 | Actor TLV (type 1, length 20: system priority 2, system 6, key 2, port
//     priority 2, port 2, state 1, reserved 3) | Partner TLV (type 2, the same) | Collector TLV
//     (type 3, length 16: max delay 2, reserved 12) | further TLVs | Terminator (type 0, length
//     0) | pad to 110 bytes (an Avaya vLACP PDU repeats the subtype first).
//   Marker PDU: version 1 | TLV (type 1 or 2, length 16: port 2, system 6, transaction 4, pad 2) |
//     Terminator (type 0, length 0) | reserved 90.
//   OAMPDU: flags 2 | code 1 | code-specific TLVs.
// As in Wireshark, the LACPDU alone hands back what follows its pad (unless it is HP's IRF
// extension) as an Ethernet trailer; the other PDUs keep all the bytes.
import { Base, FT, registerExperts, registerFields, registerProtocol, vals, type Field, type FieldSpec } from "../fields.js";
import { callData, etherTypes, type Dissector } from "../dispatch.js";
import { etherStringAt, hex2 } from "../format.js";
import type { Packet } from "../packet.js";
import { MALFORMED, type Tree } from "../tree.js";
import { ouiLabel } from "./cfm.js";
import { showTrailer } from "./ethertype.js";
import { dissectOssp } from "./ossp.js";

const SUBTYPE_LACP = 1, SUBTYPE_MARKER = 2, SUBTYPE_OAM = 3, SUBTYPE_OSSP = 10;

export const slow = registerProtocol("slow", "Slow Protocols", {
  subtype: {
    abbrev: "slow.subtype", name: "Slow Protocols subtype", type: FT.UINT8, base: Base.HEX,
    strings: vals({ 1: "LACP", 2: "Marker Protocol", 3: "OAM", 10: "Organization Specific Slow Protocol" }),
  },
});

/** Dissectors by slow protocol subtype (Wireshark's "slow.subtype" table). */
const subtypes = new Map<number, Dissector>();

/** The Slow Protocols header at `off`; the subtype's PDU follows. */
export function dissectSlow(p: Packet, t: Tree, off: number): number | void {
  p.protocol = "Slow Protocols";
  if (!t.avail(off, 1)) {
    // The subtype is read before the protocol item is added.
    p.layers.push(slow.proto.abbrev);
    t.curProto = "802.3 Slow protocols";
    t.check(off, 1);
  }
  const subtype = t.d[off]!;
  if (p.wantCols) p.info.set(`Subtype = ${subtype}`);
  t.proto(p, slow.proto, off, 1);
  t.curProto = "802.3 Slow protocols";
  t.uint(slow.subtype, off, 1, subtype);
  t.up();
  const d = subtypes.get(subtype);
  if (d !== undefined) return d(p, t, off + 1);
  callData(p, t, off + 1);
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u24(d: Uint8Array, o: number): number {
  return (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

/** An unsigned big-endian integer of `n` bytes (up to 8) as decimal text. */
function decimal(d: Uint8Array, o: number, n: number): string {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(d[o + i]!);
  return v.toString();
}

function uint(t: Tree, f: Field, o: number, n: number): number {
  t.check(o, n);
  const d = t.d;
  const v = n === 1 ? d[o]! : n === 2 ? u16(d, o) : n === 3 ? u24(d, o) : u32(d, o);
  t.uint(f, o, n, v);
  return v;
}

/**
 * The text Wireshark's proto_tree_add_bitmask appends to the item: the names of the set booleans
 * and, unless `noInt`, "name: value" for the others; without `noFalse`, unset booleans with
 * true/false strings are shown with theirs (not with `noTfs`).
 */
function bitmaskText(head: string, v: number, fields: readonly Field[], noTfs: boolean, noFalse: boolean): string {
  let s = head;
  for (const f of fields) {
    const x = (v & f.mask) >>> f.shift;
    if (f.type === FT.BOOLEAN) {
      if (f.tfs && !noTfs) {
        if (x) s += `, ${f.name}: ${f.tfs[0]}`;
        else if (!noFalse) s += `, ${f.name}: ${f.tfs[1]}`;
      } else if (x) s += `, ${f.name}`;
    } else if (f.strings) s += `, ${f.name}: ${f.strings.get(x) ?? "Unknown"}`;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// LACP
// ---------------------------------------------------------------------------------------------

const VLACP_MAGIC_LACP = 0x01010114, VLACP_MAGIC_MARKER = 0x02010114;
const LACP_END = 128 - 1 - 18;
const LACP_TLV_TYPES = vals({ 0: "Terminator", 1: "Actor Information", 2: "Partner Information", 3: "Collector Information" });

function stateFields<P extends "actor" | "partner">(who: P) {
  const flag = (k: string, name: string, mask: number, tfs: readonly [string, string], blurb?: string): FieldSpec =>
    ({ abbrev: `lacp.${who}.state.${k}`, name, type: FT.BOOLEAN, mask, bitWidth: 8, tfs, ...(blurb ? { blurb } : {}) });
  const ENABLED: readonly [string, string] = ["Enabled", "Disabled"];
  const YES: readonly [string, string] = ["Yes", "No"];
  return {
    activity: flag("activity", "LACP Activity", 0x01, ["Active", "Passive"]),
    timeout: flag("timeout", "LACP Timeout", 0x02, ["Short Timeout", "Long Timeout"]),
    aggregation: flag("aggregation", "Aggregation", 0x04, ["Aggregatable", "Individual"]),
    synchronization: flag("synchronization", "Synchronization", 0x08, ["In Sync", "Out of Sync"]),
    collecting: flag("collecting", "Collecting", 0x10, ENABLED),
    distributing: flag("distributing", "Distributing", 0x20, ENABLED),
    defaulted: flag("defaulted", "Defaulted", 0x40, YES, "1 = Actor Rx machine is using DEFAULT Partner info, 0 = using info in Rx'd LACPDU"),
    expired: flag("expired", "Expired", 0x80, YES),
  };
}

export const lacp = registerProtocol("lacp", "LACP", {
  vlacp_subtype: { abbrev: "lacp.vlacp_subtype", name: "vLACP subtype", type: FT.UINT8, blurb: "Avaya vlacp unused lacp subtype byte" },
  version: { abbrev: "lacp.version", name: "LACP Version", type: FT.UINT8, base: Base.HEX },
  tlv_type: { abbrev: "lacp.tlv_type", name: "TLV Type", type: FT.UINT8, base: Base.HEX, strings: LACP_TLV_TYPES },
  tlv_length: { abbrev: "lacp.tlv_length", name: "TLV Length", type: FT.UINT8, base: Base.HEX },
  actor_sys_priority: { abbrev: "lacp.actor.sys_priority", name: "Actor System Priority", type: FT.UINT16 },
  actor_sysid: { abbrev: "lacp.actor.sysid", name: "Actor System ID", type: FT.ETHER },
  actor_key: { abbrev: "lacp.actor.key", name: "Actor Key", type: FT.UINT16 },
  actor_port_priority: { abbrev: "lacp.actor.port_priority", name: "Actor Port Priority", type: FT.UINT16 },
  actor_port: { abbrev: "lacp.actor.port", name: "Actor Port", type: FT.UINT16 },
  actor_state: { abbrev: "lacp.actor.state", name: "Actor State", type: FT.UINT8, base: Base.HEX },
  actor_state_str: { abbrev: "lacp.actor.state_str", name: "Actor State Flags", type: FT.STRING, generated: true },
  actor_reserved: { abbrev: "lacp.actor.reserved", name: "Reserved", type: FT.BYTES },
  partner_sys_priority: { abbrev: "lacp.partner.sys_priority", name: "Partner System Priority", type: FT.UINT16 },
  partner_sysid: { abbrev: "lacp.partner.sysid", name: "Partner System", type: FT.ETHER },
  partner_key: { abbrev: "lacp.partner.key", name: "Partner Key", type: FT.UINT16 },
  partner_port_priority: { abbrev: "lacp.partner.port_priority", name: "Partner Port Priority", type: FT.UINT16 },
  partner_port: { abbrev: "lacp.partner.port", name: "Partner Port", type: FT.UINT16 },
  partner_state: { abbrev: "lacp.partner.state", name: "Partner State", type: FT.UINT8, base: Base.HEX },
  partner_state_str: { abbrev: "lacp.partner.state_str", name: "Partner State Flags", type: FT.STRING, generated: true },
  partner_reserved: { abbrev: "lacp.partner.reserved", name: "Reserved", type: FT.BYTES },
  collector_max_delay: { abbrev: "lacp.collector.max_delay", name: "Collector Max Delay", type: FT.UINT16 },
  coll_reserved: { abbrev: "lacp.coll_reserved", name: "Reserved", type: FT.BYTES },
  pad: { abbrev: "lacp.pad", name: "Pad", type: FT.BYTES },
  vendor: { abbrev: "lacp.vendor", name: "Unknown vendor", type: FT.BYTES },
  vendor_hp_length: { abbrev: "lacp.vendor.hp.length", name: "Length", type: FT.UINT16 },
  vendor_hp_irf_domain: { abbrev: "lacp.vendor.hp.irf_domain", name: "IRF Domain", type: FT.UINT16 },
  vendor_hp_irf_mac: { abbrev: "lacp.vendor.hp.irf_mac", name: "IRF MAC", type: FT.ETHER },
  vendor_hp_irf_switch: { abbrev: "lacp.vendor.hp.irf_switch", name: "IRF Switch", type: FT.UINT16 },
  vendor_hp_irf_port: { abbrev: "lacp.vendor.hp.irf_port", name: "IRF Port", type: FT.UINT16 },
  vendor_hp_unknown: { abbrev: "lacp.vendor.hp.unknown", name: "Unknown", type: FT.BYTES },
});
const actorState = registerFields(lacp.proto, stateFields("actor"));
const partnerState = registerFields(lacp.proto, stateFields("partner"));

const lacpEi = registerExperts(lacp.proto, {
  wrong_tlv_type: { abbrev: "lacp.wrong_tlv_type", group: "malformed", severity: "error", summary: "TLV is not expected type" },
  wrong_tlv_length: { abbrev: "lacp.wrong_tlv_length", group: "malformed", severity: "error", summary: "TLV is not expected length" },
});


const ACTOR_STATE_FIELDS = Object.values(actorState);
const PARTNER_STATE_FIELDS = Object.values(partnerState);

/** "EFDCSGSA" with a '*' for each flag not set, Expired first. */
function stateFlags(v: number): string {
  const letters = "EFDCSGSA";
  let s = "";
  for (let i = 0; i < 8; i++) s += (v >> (7 - i)) & 1 ? letters[i] : "*";
  return s;
}

interface LacpSide {
  sysPriority: Field; sysid: Field; key: Field; portPriority: Field; port: Field; state: Field; stateStr: Field; reserved: Field;
  flags: readonly Field[];
}
const ACTOR: LacpSide = {
  sysPriority: lacp.actor_sys_priority, sysid: lacp.actor_sysid, key: lacp.actor_key, portPriority: lacp.actor_port_priority,
  port: lacp.actor_port, state: lacp.actor_state, stateStr: lacp.actor_state_str, reserved: lacp.actor_reserved, flags: ACTOR_STATE_FIELDS,
};
const PARTNER: LacpSide = {
  sysPriority: lacp.partner_sys_priority, sysid: lacp.partner_sysid, key: lacp.partner_key, portPriority: lacp.partner_port_priority,
  port: lacp.partner_port, state: lacp.partner_state, stateStr: lacp.partner_state_str, reserved: lacp.partner_reserved, flags: PARTNER_STATE_FIELDS,
};

/** A TLV header checked against the expected type and length. */
function lacpTlvHeader(p: Packet, t: Tree, o: number, type: number, length: number): void {
  const d = t.d;
  t.check(o, 1);
  t.uint(lacp.tlv_type, o, 1, d[o]!);
  if (d[o] !== type) t.expertUnder(t.lastItem(), p, lacpEi.wrong_tlv_type, o, 1);
  t.check(o + 1, 1);
  t.uint(lacp.tlv_length, o + 1, 1, d[o + 1]!);
  if (d[o + 1] !== length) t.expertUnder(t.lastItem(), p, lacpEi.wrong_tlv_length, o + 1, 1);
}

/** An Actor or Partner TLV's fields after its header; adds " ACTOR sysid P: n K: n flags" to Info. */
function lacpSide(p: Packet, t: Tree, o: number, side: LacpSide, name: string): number {
  const d = t.d;
  uint(t, side.sysPriority, o, 2);
  t.ether(side.sysid, o + 2);
  const key = uint(t, side.key, o + 8, 2);
  uint(t, side.portPriority, o + 10, 2);
  const port = uint(t, side.port, o + 12, 2);
  t.check(o + 14, 1);
  const state = d[o + 14]!;
  t.uint(side.state, o + 14, 1, state);
  if (t.full) t.label(bitmaskText(`${side.state.name}: 0x${hex2(state)}`, state, side.flags, true, true));
  t.down();
  for (const f of side.flags) t.bool(f, o + 14, 1, state);
  t.up();
  const flags = stateFlags(state);
  if (t.wants(side.stateStr)) t.str(side.stateStr, o + 14, 1, flags);
  t.bytes(side.reserved, o + 15, 3);
  if (p.wantCols) p.info.add(` ${name} ${etherStringAt(d, o + 2)} P: ${port} K: ${key} ${flags}`);
  return o + 18;
}

function dissectLacp(p: Packet, t: Tree, off: number): number | void {
  const d = t.d;
  p.protocol = "LACP";
  if (p.wantCols) p.info.set("Link Aggregation Control Protocol");
  if (!t.avail(off, 4)) {
    p.layers.push(lacp.proto.abbrev);
    t.curProto = "Link Aggregation Control Protocol";
    t.check(off, 4);
  }
  const magic = u32(d, off);
  const vlacp = magic === VLACP_MAGIC_LACP || magic === VLACP_MAGIC_MARKER;
  t.proto(p, lacp.proto, off, t.cap - off);
  t.curProto = "Link Aggregation Control Protocol";
  if (t.full) t.label(vlacp ? "Virtual Link Aggregation Control Protocol" : "Link Aggregation Control Protocol");
  let o = off;
  if (vlacp) {
    t.uint(lacp.vlacp_subtype, o, 1, d[o]!);
    o++;
  }
  const version = uint(t, lacp.version, o, 1);
  o++;
  if (p.wantCols) p.info.set(`v${version}`);
  lacpTlvHeader(p, t, o, 1, 20);
  o = lacpSide(p, t, o + 2, ACTOR, "ACTOR");
  lacpTlvHeader(p, t, o, 2, 20);
  o = lacpSide(p, t, o + 2, PARTNER, "PARTNER");
  lacpTlvHeader(p, t, o, 3, 16);
  uint(t, lacp.collector_max_delay, o + 2, 2);
  t.bytes(lacp.coll_reserved, o + 4, 12);
  o += 16;
  // Further TLVs (LACP version 2) are stepped over by their length, up to the Terminator.
  let type = uint(t, lacp.tlv_type, o, 1);
  let length = uint(t, lacp.tlv_length, o + 1, 1);
  let lengthItem = t.lastItem();
  o += 2;
  while (type !== 0 && length >= 2) {
    o += length - 2;
    type = uint(t, lacp.tlv_type, o, 1);
    length = uint(t, lacp.tlv_length, o + 1, 1);
    lengthItem = t.lastItem();
    o += 2;
  }
  if (length !== 0) t.expertUnder(lengthItem, p, lacpEi.wrong_tlv_length, o - 1, 1);
  if (o - off < LACP_END) {
    t.bytes(lacp.pad, o, off + LACP_END - o);
    o = off + LACP_END;
  }
  const remaining = t.rep - o;
  if (remaining <= 0) {
    t.up();
    return;
  }
  // HP's IRF MAD extension: 0x64, then the length of the rest.
  if (remaining > 2 && isHpIrf(t, o, remaining)) {
    t.bytes(lacp.vendor, o, remaining);
    t.bytes(lacp.vendor_hp_unknown, o, 1);
    uint(t, lacp.vendor_hp_length, o + 1, 1);
    t.bytes(lacp.vendor_hp_unknown, o + 2, 2);
    uint(t, lacp.vendor_hp_irf_domain, o + 4, 2);
    t.ether(lacp.vendor_hp_irf_mac, o + 6);
    t.bytes(lacp.vendor_hp_unknown, o + 12, 8);
    uint(t, lacp.vendor_hp_irf_switch, o + 20, 2);
    uint(t, lacp.vendor_hp_irf_port, o + 22, 2);
    t.bytes(lacp.vendor_hp_unknown, o + 24, 2);
    t.up();
    return;
  }
  // Anything else is not LACP's: it may be an Ethernet trailer. Wireshark cuts the PDU at the
  // captured length less what was reported to remain, which with a snaplen-cut frame is short of
  // the offset reached; that trailer then runs past the captured bytes.
  t.up();
  const end = Math.max(off, t.cap - remaining);
  if (t.cap < t.rep) {
    if (end < t.cap) showTrailer(p, t, end, t.cap, off - 1 - ETH_HDR);
    t.curProto = "Ethertype";
    t.check(t.cap, 1);
  }
  return end;
}

const ETH_HDR = 14;

/** Whether the bytes at `o` start HP's IRF extension (reading them as Wireshark does). */
function isHpIrf(t: Tree, o: number, remaining: number): boolean {
  t.check(o, 1);
  if (t.d[o] !== 0x64) return false;
  t.check(o + 1, 1);
  return t.d[o + 1] === remaining - 2;
}

// ---------------------------------------------------------------------------------------------
// Marker
// ---------------------------------------------------------------------------------------------

export const marker = registerProtocol("marker", "Marker", {
  version: { abbrev: "marker.version", name: "Version Number", type: FT.UINT8, base: Base.HEX, blurb: "Marker protocol version" },
  tlv_type: { abbrev: "marker.tlvType", name: "TLV Type", type: FT.UINT8, base: Base.HEX, strings: vals({ 0: "Marker Terminator", 1: "Marker Information", 2: "Marker Response Information" }) },
  tlv_len: { abbrev: "marker.tlvLen", name: "TLV Length", type: FT.UINT8, base: Base.HEX, blurb: "Length of the Actor TLV" },
  requester_port: { abbrev: "marker.requesterPort", name: "Requester Port", type: FT.UINT16 },
  requester_system: { abbrev: "marker.requesterSystem", name: "Requester System", type: FT.ETHER },
  requester_trans_id: { abbrev: "marker.requesterTransId", name: "Requester Transaction ID", type: FT.UINT32 },
  requester_pad: { abbrev: "marker.requesterPad", name: "Requester Pad", type: FT.UINT32 },
  reserved: { abbrev: "marker.reserved", name: "Reserved", type: FT.BYTES },
});

const markerEi = registerExperts(marker.proto, {
  wrong_tlv_type: { abbrev: "marker.wrong_tlv_type", group: "malformed", severity: "error", summary: "TLV is not expected type" },
  wrong_tlv_length: { abbrev: "marker.wrong_tlv_length", group: "malformed", severity: "error", summary: "TLV is not expected length" },
  wrong_pad_value: { abbrev: "marker.wrong_pad_value", group: "protocol", severity: "warn", summary: "pad value is not 0" },
});

function dissectMarker(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "Marker";
  if (p.wantCols) p.info.set("Marker Protocol");
  t.proto(p, marker.proto, off, t.cap - off);
  t.curProto = "Link Aggregation Marker Protocol";
  if (t.full) t.label("Marker Protocol");
  let o = off;
  uint(t, marker.version, o, 1);
  const type = uint(t, marker.tlv_type, o + 1, 1);
  const typeItem = t.lastItem();
  const length = uint(t, marker.tlv_len, o + 2, 1);
  const lengthItem = t.lastItem();
  o += 3;
  if (type === 1) {
    if (p.wantCols) p.info.set("Information");
  } else if (type === 2) {
    if (p.wantCols) p.info.set("Response");
  } else t.expertUnder(typeItem, p, markerEi.wrong_tlv_type, o - 2, 1);
  if (length !== 16) t.expertUnder(lengthItem, p, markerEi.wrong_tlv_length, o - 1, 1);
  const port = uint(t, marker.requester_port, o, 2);
  t.ether(marker.requester_system, o + 2);
  const tid = uint(t, marker.requester_trans_id, o + 8, 4);
  if (p.wantCols) p.info.add(` SysId=${etherStringAt(d, o + 2)}, P=${port}, TId=${tid | 0}`); // printed signed
  const pad = uint(t, marker.requester_pad, o + 12, 2);
  if (pad !== 0) t.expertUnder(t.lastItem(), p, markerEi.wrong_pad_value, o + 12, 2);
  o += 14;
  // The Terminator: Wireshark flags its problems on the first TLV's type item.
  const termType = uint(t, marker.tlv_type, o, 1);
  const termLength = uint(t, marker.tlv_len, o + 1, 1);
  if (termType === 0) {
    if (termLength !== 0) t.expertUnder(typeItem, p, markerEi.wrong_tlv_length, o, 1);
  } else t.expertUnder(typeItem, p, markerEi.wrong_tlv_type, o, 1);
  t.bytes(marker.reserved, o + 2, 90);
  t.up();
}

// ---------------------------------------------------------------------------------------------
// Ethernet OAM
// ---------------------------------------------------------------------------------------------

const OAM_HDR = 3;
const enum OamCode { INFORMATION = 0, EVENT = 1, VAR_REQUEST = 2, VAR_RESPONSE = 3, LOOPBACK = 4, ORG_SPECIFIC = 0xfe }
const INFO_LOCAL = 1, INFO_REMOTE = 2, INFO_ORG = 0xfe;
const EVENT_ESPE = 1, EVENT_EFE = 2, EVENT_EFPE = 3, EVENT_EFSSE = 4, EVENT_OSE = 0xfe;
const VARS_OBJECT = 3, VARS_PACKAGE = 4, VARS_BINDING = 6, VARS_ATTRIBUTE = 7;
const OUI_CABLELABS = 0x001000;

// Value strings as tshark 4.0 lists them (tshark -G values).
const CODES = vals({ 0x0: "Information", 0x1: "Event Notification", 0x2: "Variable Request", 0x3: "Variable Response", 0x4: "Loopback Control", 0xfe: "Organization Specific" });
const INFO_TYPES = vals({ 0x0: "End of TLV marker", 0x1: "Local Information TLV", 0x2: "Remote Information TLV", 0xfe: "Organization Specific Information TLV" });
const PARSER_ACTIONS = vals({ 0x0: "Forward non-OAMPDUs to higher sublayer", 0x1: "Loopback non-OAMPDUs to the lower sublayer", 0x2: "Discarding non-OAMPDUs", 0x3: "Reserved" });
const EVENT_TYPES = vals({ 0x0: "End of TLV marker", 0x1: "Errored Symbol Period Event", 0x2: "Errored Frame Event", 0x3: "Errored Frame Period Event", 0x4: "Errored Frame Seconds Summary Event", 0xfe: "Organization Specific Event TLV" });
const BRANCHES = vals({ 0x3: "Object", 0x4: "Package", 0x6: "nameBinding", 0x7: "Attribute" });
const OBJECTS = vals({ 0x1: "macObjectClass", 0x2: "phyObjectClass", 0x3: "repeaterObjectClass", 0x4: "groupObjectClass", 0x5: "repeaterPortObjectClass", 0x6: "mauObjectClass", 0x7: "autoNegObjectClass", 0x8: "macControlObjectClass", 0x9: "macControlFunctionObjectClass", 0xa: "oAggregator", 0xb: "oAggregationPort", 0xc: "oAggPortStats", 0xd: "oAggPortDebugInformation", 0xf: "pseObjectClass", 0x11: "midSpanObjectClass", 0x12: "midSpanGroupObjectClass", 0x13: "ompObjectClass", 0x14: "oamObjectClass", 0x15: "mpcpObjectClass", 0x18: "pafObjectClass", 0x19: "pmeObjectClass" });
const PACKAGES = vals({ 0x1: "macMandatoryPkg", 0x2: "macRecommendedPkg", 0x3: "macOptionalPkg", 0x4: "macarrayPkg", 0x5: "macExcessiveDeferralPkg", 0x6: "phyRecommendedPkg", 0x7: "phyMultiplePhyPkg", 0x8: "phy100MbpsMonitor", 0x9: "repeaterPerfMonitorPkg", 0xa: "portPerfMonitorPkg", 0xb: "portAddrTrackPkg", 0xc: "port100MbpsMonitor", 0xd: "mauControlPkg", 0xe: "mediaLossTrackingPkg", 0xf: "broadbandMAUPkg", 0x10: "mau100MbpsMonitor", 0x11: "macControlRecommendedPkg", 0x12: "portBurst", 0x13: "pAggregatorMandatory", 0x14: "pAggregatorRecommended", 0x15: "pAggregatorOptional", 0x16: "pAggregationPortMandatory", 0x17: "pAggPortStats", 0x18: "pAggPortDebugInformation", 0x1b: "pseRecommendedPkg", 0x1e: "fecMonitor", 0x23: "pcsMonitor", 0x25: "oMPError", 0x26: "pafAggregation" });
const BINDINGS = vals({ 0x1a: "repeaterPortName" });
const ATTRIBUTES = vals({ 0x1: "aMACID", 0x2: "aFramesTransmittedOK", 0x3: "aSingleCollisionFrames", 0x4: "aMultipleCollisionFrames", 0x5: "aFramesReceivedOK", 0x6: "aFrameCheckSequenceErrors", 0x7: "aAlignmentErrors", 0x8: "aOctetsTransmittedOK", 0x9: "aFramesWithDeferredXmissions", 0xa: "aLateCollisions", 0xb: "aFramesAbortedDueToXSColls", 0xc: "aFramesLostDueToIntMACXmitError", 0xd: "aCarrierSenseErrors", 0xe: "aOctetsReceivedOK", 0xf: "aFramesLostDueToIntMACRcvError", 0x10: "aPromiscuousStatus", 0x11: "aReadMulticastAddressList", 0x12: "aMulticastFramesXmittedOK", 0x13: "aBroadcastFramesXmittedOK", 0x14: "aFramesWithExcessiveDeferral", 0x15: "aMulticastFramesReceivedOK", 0x16: "aBroadcastFramesReceivedOK", 0x17: "aInRangeLengthErrors", 0x18: "aOutOfRangeLengthField", 0x19: "aFrameTooLongErrors", 0x1a: "aMACEnableStatus", 0x1b: "aTransmitEnableStatus", 0x1c: "aMulticastReceiveStatus", 0x1d: "aReadWriteMACAddress", 0x1e: "aCollisionFrames", 0x1f: "aPHYID", 0x20: "aPHYType", 0x21: "aPHYTypeList", 0x22: "aSQETestErrors", 0x23: "aSymbolErrorDuringCarrier", 0x24: "aMIIDetect", 0x25: "aPHYAdminState", 0x26: "aRepeaterID", 0x27: "aRepeaterType", 0x28: "aRepeaterGroupCapacity", 0x29: "aGroupMap", 0x2a: "aRepeaterHealthState", 0x2b: "aRepeaterHealthText", 0x2c: "aRepeaterHealthData", 0x2d: "aTransmitCollisions", 0x2e: "aGroupID", 0x2f: "aGroupPortCapacity", 0x30: "aPortMap", 0x31: "aPortID", 0x32: "aPortAdminState", 0x33: "aAutoPartitionState", 0x34: "aReadableFrames", 0x35: "aReadableOctets", 0x36: "aFrameCheckSequenceErrors", 0x37: "aAlignmentErrors", 0x38: "aFramesTooLong", 0x39: "aShortEvents", 0x3a: "aRunts", 0x3b: "aCollisions", 0x3c: "aLateEvents", 0x3d: "aVeryLongEvents", 0x3e: "aDataRateMismatches", 0x3f: "aAutoPartitions", 0x40: "aIsolates", 0x41: "aSymbolErrorDuringPacket", 0x42: "aLastSourceAddress", 0x43: "aSourceAddressChanges", 0x44: "aMAUID", 0x45: "aMAUType", 0x46: "aMAUTypeList", 0x47: "aMediaAvailable", 0x48: "aLoseMediaCounter", 0x49: "aJabber", 0x4a: "aMAUAdminState", 0x4b: "aBbMAUXmitRcvSplitType", 0x4c: "aBroadbandFrequencies", 0x4d: "aFalseCarriers", 0x4e: "aAutoNegID", 0x4f: "aAutoNegAdminState", 0x50: "aAutoNegRemoteSignaling", 0x51: "aAutoNegAutoConfig", 0x52: "aAutoNegLocalTechnologyAbility", 0x53: "aAutoNegAdvertisedTechnologyAbility", 0x54: "aAutoNegReceivedTechnologyAbility", 0x55: "aAutoNegLocalSelectorAbility", 0x56: "aAutoNegAdvertisedSelectorAbility", 0x57: "aAutoNegReceivedSelectorAbility", 0x59: "aMACCapabilities", 0x5a: "aDuplexStatus", 0x5b: "aIdleErrorCount", 0x5c: "aMACControlID", 0x5d: "aMACControlFunctionsSupported", 0x5e: "aMACControlFramesTransmitted", 0x5f: "aMACControlFramesReceived", 0x60: "aUnsupportedOpcodesReceived", 0x61: "aPAUSELinkDelayAllowance", 0x62: "aPAUSEMACCtrlFramesTransmitted", 0x63: "aPAUSEMACCtrlFramesReceived", 0x64: "aBursts", 0x65: "aAggID", 0x66: "aAggDescription", 0x67: "aAggName", 0x68: "aAggActorSystemID", 0x69: "aAggActorSystemPriority", 0x6a: "aAggAggregateOrIndividual", 0x6b: "aAggActorAdminKey", 0x6c: "aAggActorOperKey", 0x6d: "aAggMACAddress", 0x6e: "aAggPartnerSystemID", 0x6f: "aAggPartnerSystemPriority", 0x70: "aAggPartnerOperKey", 0x71: "aAggAdminState", 0x72: "aAggOperState", 0x73: "aAggTimeOfLastOperChange", 0x74: "aAggDataRate", 0x75: "aAggOctetsTxOK", 0x76: "aAggOctetsRxOK", 0x77: "aAggFramesTxOK", 0x78: "aAggFramesRxOK", 0x79: "aAggMulticastFramesTxOK", 0x7a: "aAggMulticastFramesRxOK", 0x7b: "aAggBroadcastFramesTxOK", 0x7c: "aAggBroadcastFramesRxOK", 0x7d: "aAggFramesDiscardedOnTx", 0x7e: "aAggFramesDiscardedOnRx", 0x7f: "aAggFramesWithTxErrors", 0x80: "aAggFramesWithRxErrors", 0x81: "aAggUnknownProtocolFrames", 0x82: "aAggLinkUpDownNotificationEnable", 0x83: "aAggPortList", 0x84: "aAggCollectorMaxDelay", 0x85: "aAggPortID", 0x86: "aAggPortActorSystemPriority", 0x87: "aAggPortActorSystemID", 0x88: "aAggPortActorAdminKey", 0x89: "aAggPortActorOperKey", 0x8a: "aAggPortPartnerAdminSystemPriority", 0x8b: "aAggPortPartnerOperSystemPriority", 0x8c: "aAggPortPartnerAdminSystemID", 0x8d: "aAggPortPartnerOperSystemID", 0x8e: "aAggPortPartnerAdminKey", 0x8f: "aAggPortPartnerOperKey", 0x90: "aAggPortSelectedAggID", 0x91: "aAggPortAttachedAggID", 0x92: "aAggPortActorPort", 0x93: "aAggPortActorPortPriority", 0x94: "aAggPortPartnerAdminPort", 0x95: "aAggPortPartnerOperPort", 0x96: "aAggPortPartnerAdminPortPriority", 0x97: "aAggPortPartnerOperPortPriority", 0x98: "aAggPortActorAdminState", 0x99: "aAggPortActorOperState", 0x9a: "aAggPortPartnerAdminState", 0x9b: "aAggPortPartnerOperState", 0x9c: "aAggPortAggregateOrIndividual", 0x9d: "aAggPortStatsID", 0x9e: "aAggPortStatsLACPDUsRx", 0x9f: "aAggPortStatsMarkerPDUsRx", 0xa0: "aAggPortStatsMarkerResponsePDUsRx", 0xa1: "aAggPortStatsUnknownRx", 0xa2: "aAggPortStatsIllegalRx", 0xa3: "aAggPortStatsLACPDUsTx", 0xa4: "aAggPortStatsMarkerPDUsTx", 0xa5: "aAggPortStatsMarkerResponsePDUsTx", 0xa6: "aAggPortDebugInformationID", 0xa7: "aAggPortDebugRxState", 0xa8: "aAggPortDebugLastRxTime", 0xa9: "aAggPortDebugMuxState", 0xaa: "aAggPortDebugMuxReason", 0xab: "aAggPortDebugActorChurnState", 0xac: "aAggPortDebugPartnerChurnState", 0xad: "aAggPortDebugActorChurnCount", 0xae: "aAggPortDebugPartnerChurnCount", 0xaf: "aAggPortDebugActorSyncTransitionCount", 0xb0: "aAggPortDebugPartnerSyncTransitionCount", 0xb1: "aAggPortDebugActorChangeCount", 0xb2: "aAggPortDebugPartnerChangeCount", 0xec: "aOAMID", 0xed: "aOAMAdminState", 0xee: "aOAMMode", 0xef: "aOAMRemoteMACAddress", 0xf0: "aOAMRemoteConfiguration", 0xf1: "aOAMRemotePDUConfiguration", 0xf2: "aOAMLocalFlagsField", 0xf3: "aOAMRemoteFlagsField", 0xf4: "aOAMRemoteRevision", 0xf5: "aOAMRemoteState", 0xf6: "aOAMRemoteVendorOUI", 0xf7: "aOAMRemoteVendorSpecificInfo", 0xfa: "aOAMUnsupportedCodesRx", 0xfb: "aOAMInformationTx", 0xfc: "aOAMInformationRx", 0xfe: "aOAMUniqueEventNotificationRx", 0xff: "aOAMDuplicateEventNotificationRx", 0x100: "aOAMLoopbackControlTx", 0x101: "aOAMLoopbackControlRx", 0x102: "aOAMVariableRequestTx", 0x103: "aOAMVariableRequestRx", 0x104: "aOAMVariableResponseTx", 0x105: "aOAMVariableResponseRx", 0x106: "aOAMOrganizationSpecificTx", 0x107: "aOAMOrganizationSpecificRx", 0x108: "aOAMLocalErrSymPeriodConfig", 0x109: "aOAMLocalErrSymPeriodEvent", 0x10a: "aOAMLocalErrFrameConfig", 0x10b: "aOAMLocalErrFrameEvent", 0x10c: "aOAMLocalErrFramePeriodConfig", 0x10d: "aOAMLocalErrFramePeriodEvent", 0x10e: "aOAMLocalErrFrameSecsSummaryConfig", 0x10f: "aOAMLocalErrFrameSecsSummaryEvent", 0x110: "aOAMRemoteErrSymPeriodEvent", 0x111: "aOAMRemoteErrFrameEvent", 0x112: "aOAMRemoteErrFramePeriodEvent", 0x113: "aOAMRemoteErrFrameSecsSummaryEvent", 0x114: "aFramesLostDueToOAMError", 0x14d: "aOAMDiscoveryState", 0x14e: "aOAMLocalConfiguration", 0x14f: "aOAMLocalPDUConfiguration", 0x150: "aOAMLocalRevision", 0x151: "aOAMLocalState", 0x152: "aOAMUnsupportedCodesTx", 0x153: "aOAMUniqueEventNotificationTx", 0x154: "aOAMDuplicateEventNotificationTx" });
const INDICATIONS = vals({ 0x1: "Variable Container(s) exceeded OAMPDU data field", 0x20: "Attribute->Unable to return due to an undetermined error", 0x21: "Attribute->Unable to return because it is not supported", 0x22: "Attribute->May have been corrupted due to reset", 0x23: "Attribute->Unable to return due to a hardware failure", 0x24: "Attribute->Experience an overflow error", 0x40: "Object->End of object indication", 0x41: "Object->Unable to return due to an undetermined error", 0x42: "Object->Unable to return because it is not supported", 0x43: "Object->May have been corrupted due to reset", 0x44: "Object->Unable to return due to a hardware failure", 0x60: "Package->End of package indication", 0x61: "Package->Unable to return due to an undetermined error", 0x62: "Package->Unable to return because it is not supported", 0x63: "Package->May have been corrupted due to reset", 0x64: "Package->Unable to return due to a hardware failure" });
const DPOE_OPCODES = vals({ 0x0: "Reserved", 0x1: "Get Request", 0x2: "Get Response", 0x3: "Set Request", 0x4: "Set Response", 0x5: "Multicast Request", 0x6: "Multicast Register", 0x7: "Multicast Register Response", 0x8: "Key Exchange", 0x9: "File Transfer" });
const DPOE_DESCRIPTORS = vals({ 0xd60000: "DPoE ONU Object", 0xd60001: "Network Port Object", 0xd60002: "Link Object", 0xd60003: "User Port Object", 0xd60004: "Queue Object", 0xd70001: "Sequence Number", 0xd70002: "DPoE ONU ID", 0xd70003: "Firmware Info", 0xd70004: "EPON Chip Info", 0xd70005: "Date of Manufacture", 0xd70006: "Manufacturer Info", 0xd70007: "Max Logical Links", 0xd70008: "Number of Network Ports", 0xd70009: "Number of S1 interfaces", 0xd7000a: "DPoE ONU Packet Buffer", 0xd7000b: "Report Thresholds", 0xd7000c: "LLID Forwarding State", 0xd7000d: "OAM Frame Rate", 0xd7000e: "ONU Manufacturer Organization Name", 0xd7000f: "Firmware Mfg Time Varying Controls", 0xd70010: "S1 interface port type", 0xd70011: "Vendor name", 0xd70012: "Model number", 0xd70013: "Hardware version", 0xd70015: "Software bundle", 0xd90001: "Reset DPoE ONU", 0xd70101: "Dynamic Learning Table Size", 0xd70102: "Dynamic Address Age Limit", 0xd70103: "Dynamic MAC Table", 0xd70104: "Static MAC Table", 0xd70105: "S1 Interface Port Auto-negotiation", 0xd70106: "Source Address Admission Control", 0xd70107: "MAC Learning Min Guarantee", 0xd70108: "MAC Learning Max Allowed", 0xd70109: "MAC Learning Aggregate Limit", 0xd7010a: "Len Error Discard", 0xd7010b: "Flood Unknown", 0xd7010c: "Local Switching", 0xd7010d: "Queue Configuration", 0xd7010e: "Firmware Filename", 0xd70110: "Multicast LLID", 0xd70111: "UNI MAC Learned", 0xd70112: "ONU Max Frame Size Capability", 0xd70113: "UNI Max Frame Size Limit", 0xd90101: "Clear Dynamic MAC Table", 0xd90102: "Add Dynamic MAC Address", 0xd90103: "Delete Dynamic MAC Address", 0xd90104: "Clear Static MAC Table", 0xd90105: "Add Static MAC Table", 0xd90106: "Delete Static MAC Address", 0xd70201: "Rx Unicast Frames", 0xd70202: "Tx Unicast Frames", 0xd70203: "Rx Frame Too Short", 0xd70204: "Rx Frame 64", 0xd70205: "Rx Frame 65_127", 0xd70206: "Rx Frame 128_255", 0xd70207: "Rx Frame 256_511", 0xd70208: "Rx Frame 512_1023", 0xd70209: "Rx Frame 1024_1518", 0xd7020a: "Rx Frame 1519 Plus", 0xd7020b: "Tx Frame 64", 0xd7020c: "Tx Frame 65_127", 0xd7020d: "Tx Frame 128_255", 0xd7020e: "Tx Frame 256_511", 0xd7020f: "Tx Frame 512_1023", 0xd70210: "Tx Frame 1024_1518", 0xd70211: "Tx Frame 1519 Plus", 0xd70212: "Tx Delay Threshold", 0xd70213: "Tx Delay", 0xd70214: "Tx Frames Dropped", 0xd70215: "Tx Bytes Dropped", 0xd70216: "Tx Bytes Delayed", 0xd70217: "Tx Bytes Unused", 0xd70218: "Rx Delay Threshold", 0xd70219: "Rx Delay", 0xd7021a: "Rx Frames Dropped", 0xd7021b: "Rx Bytes Dropped", 0xd7021c: "Rx Bytes Delayed", 0xd7021d: "Optical Mon Temperature", 0xd7021e: "Optical Mon Vcc", 0xd7021f: "Optical Mon Tx Bias Current", 0xd70220: "Optical Mon Tx Power", 0xd70221: "Optical Mon Rx Power", 0xd90201: "Clear Status", 0xd70301: "Port Stat Threshold", 0xd70302: "Link Stat Threshold", 0xd90301: "Retrieve Current Alarm Summary", 0xd70401: "Encryption Key Expiry Time", 0xd70402: "Encryption Mode", 0xd70501: "Port Ingress Rule", 0xd70502: "Custom Field", 0xd70503: "C-VLAN TPID", 0xd70504: "S-VLAN TPID", 0xd90501: "Clear Port Ingress Rules", 0xd90502: "Add Port Ingress Rule", 0xd90503: "Delete Port Ingress Rule", 0xd70601: "Broadcast Rate Limit", 0xd70602: "Egress Shaping", 0xd70603: "Ingress Policing", 0xd70604: "Queue Rate Control", 0xd70605: "FEC Mode", 0xd90601: "Enable User Traffic", 0xd90602: "Disable User Traffic", 0xd90603: "Loopback Enable", 0xd90604: "Loopback Disable", 0xd90605: "Laser Tx Power Off", 0x90005: "PHY Admin Control", 0x9000b: "Auto Neg Renegotiate", 0x9000c: "Auto Neg Admin Ctrl", 0x7001a: "MAC Enable Status", 0x70047: "Media Available", 0x7005a: "Duplex Status" });
const DPOE_RESPONSE_CODES = vals({ 0x80: "No Error", 0x81: "Too Long", 0x86: "Bad Parameters", 0x87: "No Resources", 0x88: "System Busy", 0xa0: "Undetermined Error", 0xa1: "Unsupported", 0xa2: "May Be Corrupted", 0xa3: "Hardware Failure", 0xa4: "Overflow" });
const PIR_SUBTYPES = vals({ 0x0: "Terminator", 0x1: "Header", 0x2: "Clause", 0x3: "Result" });
const PIR_FIELD_CODES = vals({ 0x0: "LLID Index", 0x1: "L2 Destination MAC address", 0x2: "L2 Source MAC address", 0x3: "L2 Type/Len", 0x4: "B-DA ([802.1ah])", 0x5: "B-SA ([802.1ah])", 0x6: "I-Tag ([802.1ah])", 0x7: "S-VLAN Tag", 0x8: "C-VLAN Tag", 0x9: "MPLS", 0xa: "IPv4 TOS/IPv6 Traffic Class", 0xb: "IPv4 TTL/IPv6 Hop Limit", 0xc: "IPv4/IPv6 Protocol Type", 0xd: "IPv4 Source Address", 0xe: "IPv6 Source Address", 0xf: "IPv4 Destination Address", 0x10: "IPv6 Destination Address", 0x11: "IPv6 Next Header", 0x12: "IPv6 Flow Label", 0x13: "TCP/UDP source port", 0x14: "TCP/UDP destination port", 0x15: "Reserved", 0x16: "Reserved", 0x17: "Reserved", 0x18: "Custom field 0", 0x19: "Custom field 1", 0x1a: "Custom field 2", 0x1b: "Custom field 3", 0x1c: "Custom field 4", 0x1d: "Custom field 5", 0x1e: "Custom field 6", 0x1f: "Custom field 7" });
const PIR_OPERATORS = vals({ 0x0: "F", 0x1: "==", 0x2: "!=", 0x3: "<=", 0x4: ">=", 0x5: "exists", 0x6: "!exist", 0x7: "T" });
const PIR_RESULTS = vals({ 0x0: "NOP", 0x1: "Discard", 0x2: "Forward", 0x3: "Queue", 0x4: "Set", 0x5: "Copy", 0x6: "Delete", 0x7: "Insert", 0x8: "Replace", 0x9: "Clear Delete", 0xa: "Clear Insert" });
const PIR_QUEUE_OBJECT_TYPES = vals({ 0x0: "D-ONU", 0x1: "Network PON Port", 0x2: "Unicast Logical Link", 0x3: "User Port", 0x4: "Queue", 0x5: "MEP", 0x6: "Multicast Logical Link", 0x7: "Reserved" });
const MAC_ENABLE_STATUS = vals({ 0x0: "disabled", 0x1: "enabled" });
const MEDIA_AVAILABLE = vals({ 0x3: "available", 0x4: "not_available" });
const DUPLEX_STATUS = vals({ 0x1: "half_duplex", 0x2: "full_duplex", 0x3: "unknown" });

const TRUE_FALSE: readonly [string, string] = ["True", "False"];
const YES_NO: readonly [string, string] = ["Yes", "No"];

export const oampdu = registerProtocol("oampdu", "OAMPDU", {
  flags: { abbrev: "oampdu.flags", name: "Flags", type: FT.UINT16, base: Base.HEX, blurb: "The Flags Field" },
  flags_link_fault: { abbrev: "oampdu.flags.linkFault", name: "Link Fault", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: TRUE_FALSE },
  // Wireshark also records the OAM configuration's Unidirectional, Loopback, Link Events and
  // Variable Retrieval bits under these four flags' names (same masks, their own labels).
  flags_dying_gasp: { abbrev: "oampdu.flags.dyingGasp", name: "Dying Gasp", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8, tfs: TRUE_FALSE },
  flags_critical_event: { abbrev: "oampdu.flags.criticalEvent", name: "Critical Event", type: FT.BOOLEAN, mask: 0x04, bitWidth: 8, tfs: TRUE_FALSE },
  flags_local_evaluating: { abbrev: "oampdu.flags.localEvaluating", name: "Local Evaluating", type: FT.BOOLEAN, mask: 0x08, bitWidth: 8, tfs: TRUE_FALSE },
  flags_local_stable: { abbrev: "oampdu.flags.localStable", name: "Local Stable", type: FT.BOOLEAN, mask: 0x10, bitWidth: 8, tfs: TRUE_FALSE },
  flags_remote_evaluating: { abbrev: "oampdu.flags.remoteEvaluating", name: "Remote Evaluating", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: TRUE_FALSE },
  flags_remote_stable: { abbrev: "oampdu.flags.remoteStable", name: "Remote Stable", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8, tfs: TRUE_FALSE },
  code: { abbrev: "oampdu.code", name: "OAMPDU code", type: FT.UINT8, base: Base.HEX, strings: CODES },
  info_type: { abbrev: "oampdu.info.type", name: "Type", type: FT.UINT8, base: Base.HEX, strings: INFO_TYPES },
  info_length: { abbrev: "oampdu.info.length", name: "TLV Length", type: FT.UINT8 },
  info_version: { abbrev: "oampdu.info.version", name: "TLV Version", type: FT.UINT8, base: Base.HEX },
  info_revision: { abbrev: "oampdu.info.revision", name: "TLV Revision", type: FT.UINT16 },
  info_state: { abbrev: "oampdu.info.state", name: "OAM DTE States", type: FT.UINT8, base: Base.HEX },
  info_state_parser: { abbrev: "oampdu.info.state.parser", name: "Parser Action", type: FT.UINT8, base: Base.HEX, mask: 0x03, strings: PARSER_ACTIONS },
  info_state_mux: { abbrev: "oampdu.info.state.multiplexer", name: "Multiplexer Action", type: FT.BOOLEAN, mask: 0x04, bitWidth: 8, tfs: ["Discard non-OAMPDUs", "Forward non-OAMPDUs to lower sublayer"] },
  info_oam_config: { abbrev: "oampdu.info.oamConfig", name: "OAM Configuration", type: FT.UINT8, base: Base.HEX },
  info_oam_config_mode: { abbrev: "oampdu.info.oamConfig.mode", name: "OAM Mode", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: ["DTE configured in Active mode", "DTE configured in Passive mode"] },
  info_oampdu_config: { abbrev: "oampdu.info.oampduConfig", name: "Max OAMPDU Size", type: FT.UINT16, blurb: "OAMPDU Configuration" },
  info_oui: { abbrev: "oampdu.info.oui", name: "Organizationally Unique Identifier", type: FT.UINT24 },
  info_vendor: { abbrev: "oampdu.info.vendor", name: "Vendor Specific Information", type: FT.BYTES },
  event_sequence: { abbrev: "oampdu.event.sequence", name: "Sequence Number", type: FT.UINT16 },
  event_type: { abbrev: "oampdu.event.type", name: "Event Type", type: FT.UINT8, base: Base.HEX, strings: EVENT_TYPES },
  event_length: { abbrev: "oampdu.event.length", name: "Event Length", type: FT.UINT8, base: Base.HEX },
  event_timestamp: { abbrev: "oampdu.event.timestamp", name: "Event Timestamp (100ms)", type: FT.UINT16 },
  // FT_UINT64 fields are recorded as their decimal text (64 bits need not fit a number).
  event_espe_window: { abbrev: "oampdu.event.espeWindow", name: "Errored Symbol Window", type: FT.UINT64 },
  event_espe_threshold: { abbrev: "oampdu.event.espeThreshold", name: "Errored Symbol Threshold", type: FT.UINT64 },
  event_espe_errors: { abbrev: "oampdu.event.espeErrors", name: "Errored Symbols", type: FT.UINT64 },
  event_espe_total_errors: { abbrev: "oampdu.event.espeTotalErrors", name: "Error Running Total", type: FT.UINT64 },
  event_espe_total_events: { abbrev: "oampdu.event.espeTotalEvents", name: "Event Running Total", type: FT.UINT32 },
  event_efe_window: { abbrev: "oampdu.event.efeWindow", name: "Errored Frame Window", type: FT.UINT16 },
  event_efe_threshold: { abbrev: "oampdu.event.efeThreshold", name: "Errored Frame Threshold", type: FT.UINT32 },
  // Also the Errored Frame Period and Seconds Summary events' "Errored Frames" (one name in Wireshark).
  event_efe_errors: { abbrev: "oampdu.event.efeErrors", name: "Errored Frames", type: FT.UINT32 },
  event_efe_total_errors: { abbrev: "oampdu.event.efeTotalErrors", name: "Error Running Total", type: FT.UINT64 },
  event_efe_total_events: { abbrev: "oampdu.event.efeTotalEvents", name: "Event Running Total", type: FT.UINT32 },
  event_efpe_window: { abbrev: "oampdu.event.efpeWindow", name: "Errored Frame Window", type: FT.UINT32 },
  event_efpe_threshold: { abbrev: "oampdu.event.efpeThreshold", name: "Errored Frame Threshold", type: FT.UINT32 },
  event_efpe_total_errors: { abbrev: "oampdu.event.efpeTotalErrors", name: "Error Running Total", type: FT.UINT64 },
  event_efpe_total_events: { abbrev: "oampdu.event.efpeTotalEvents", name: "Event Running Total", type: FT.UINT32 },
  event_efsse_window: { abbrev: "oampdu.event.efsseWindow", name: "Errored Frame Window", type: FT.UINT16 },
  event_efsse_threshold: { abbrev: "oampdu.event.efsseThreshold", name: "Errored Frame Threshold", type: FT.UINT16 },
  event_efsse_total_errors: { abbrev: "oampdu.event.efsseTotalErrors", name: "Error Running Total", type: FT.UINT32 },
  event_efsse_total_events: { abbrev: "oampdu.event.efsseTotalEvents", name: "Event Running Total", type: FT.UINT32 },
  variable_branch: { abbrev: "oampdu.variable.branch", name: "Branch", type: FT.UINT8, base: Base.HEX, strings: BRANCHES },
  variable_object: { abbrev: "oampdu.variable.object", name: "Leaf", type: FT.UINT16, base: Base.HEX, strings: OBJECTS },
  variable_package: { abbrev: "oampdu.variable.package", name: "Leaf", type: FT.UINT16, base: Base.HEX, strings: PACKAGES },
  variable_binding: { abbrev: "oampdu.variable.binding", name: "Leaf", type: FT.UINT16, base: Base.HEX, strings: BINDINGS },
  variable_attribute: { abbrev: "oampdu.variable.attribute", name: "Leaf", type: FT.UINT16, base: Base.HEX, strings: ATTRIBUTES },
  variable_width: { abbrev: "oampdu.variable.width", name: "Variable Width", type: FT.UINT8 },
  variable_indication: { abbrev: "oampdu.variable.indication", name: "Variable indication", type: FT.UINT8, base: Base.HEX, strings: INDICATIONS },
  variable_value: { abbrev: "oampdu.variable.value", name: "Variable Value", type: FT.BYTES },
  lpbk_commands: { abbrev: "oampdu.lpbk.commands", name: "Commands", type: FT.UINT8, base: Base.HEX },
  lpbk_enable: { abbrev: "oampdu.lpbk.commands.enable", name: "Enable Remote Loopback", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8 },
  lpbk_disable: { abbrev: "oampdu.lpbk.commands.disable", name: "Disable Remote Loopback", type: FT.BOOLEAN, mask: 0x02, bitWidth: 8 },
  dpoe_opcode: { abbrev: "oampdu.vendor.specific.opcode", name: "DPoE Opcode", type: FT.UINT8, base: Base.HEX, strings: DPOE_OPCODES },
  variable_descriptor: { abbrev: "oampdu.variable.descriptor", name: "Variable Descriptor", type: FT.UINT24, base: Base.HEX, strings: DPOE_DESCRIPTORS },
  response_code: { abbrev: "oampdu.variable.response.code", name: "Response Code", type: FT.UINT8, base: Base.HEX, strings: DPOE_RESPONSE_CODES },
  response_eth: { abbrev: "oampdu.response.eth", name: "OAM Response Value", type: FT.ETHER },
  response_int: { abbrev: "oampdu.response.int", name: "OAM Response Value", type: FT.UINT16 },
  mll_b: { abbrev: "oampdu.mll.b", name: "Bidirectional", type: FT.UINT16 },
  mll_do: { abbrev: "oampdu.mll.do", name: "Downstream-only", type: FT.UINT16 },
  frame_rate_max: { abbrev: "oampdu.frame.rate.min", name: "Maximum OAM Rate", type: FT.UINT16 },
  frame_rate_min: { abbrev: "oampdu.frame.rate.max", name: "Minimum OAM Rate", type: FT.UINT16 },
  repthr_nqs: { abbrev: "oampdu.report.threshold.queue", name: "Number of Queue Sets", type: FT.UINT8 },
  repthr_rvpqs: { abbrev: "oampdu.report.threshold.queue.values", name: "Report Values Per Queue Set", type: FT.UINT16 },
  report_threshold: { abbrev: "oampdu.report.threshold", name: "Report Threshold", type: FT.UINT16 },
  s1_autoneg: { abbrev: "oampdu.s1.autoneg", name: "Auto-Negotiation Capability", type: FT.UINT16, base: Base.HEX },
  s1_autoneg_hd: { abbrev: "oampdu.s1.autoneg.hd", name: "Half Duplex", type: FT.BOOLEAN, mask: 0x01, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_fd: { abbrev: "oampdu.s1.autoneg.fd", name: "Full Duplex", type: FT.BOOLEAN, mask: 0x02, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_10: { abbrev: "oampdu.s1.autoneg.10", name: "10 Mbps", type: FT.BOOLEAN, mask: 0x04, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_100: { abbrev: "oampdu.s1.autoneg.100", name: "100 Mbps", type: FT.BOOLEAN, mask: 0x08, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_1000: { abbrev: "oampdu.s1.autoneg.1000", name: "1000 Mbps", type: FT.BOOLEAN, mask: 0x10, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_10000: { abbrev: "oampdu.s1.autoneg.10000", name: "10Gbps", type: FT.BOOLEAN, mask: 0x20, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_fc: { abbrev: "oampdu.s1.autoneg.fc", name: "Flow Control", type: FT.BOOLEAN, mask: 0x40, bitWidth: 16, tfs: YES_NO },
  s1_autoneg_mdi: { abbrev: "oampdu.s1.autoneg.mdi", name: "Auto MDI/MDI-X", type: FT.BOOLEAN, mask: 0x80, bitWidth: 16, tfs: YES_NO },
  user_port_object: { abbrev: "oampdu.user.port.object", name: "UNI Number", type: FT.UINT16 },
  pir_subtype: { abbrev: "oampdu.user.port.object.subtype", name: "Subtype", type: FT.UINT16, strings: PIR_SUBTYPES },
  pir_header_precedence: { abbrev: "oampdu.user.port.object.header.precedence", name: "Precedence", type: FT.UINT8, base: Base.HEX },
  pir_clause_fc: { abbrev: "oampdu.user.port.object.clause.fc", name: "Field Code", type: FT.UINT8, base: Base.HEX, strings: PIR_FIELD_CODES },
  pir_clause_fi: { abbrev: "oampdu.user.port.object.clause.fi", name: "Field Instance", type: FT.UINT8, base: Base.HEX },
  pir_clause_msbm: { abbrev: "oampdu.user.port.object.clause.msbm", name: "MSB Mask", type: FT.UINT8, base: Base.HEX },
  pir_clause_lsbm: { abbrev: "oampdu.user.port.object.clause.lsbm", name: "LSB Mask", type: FT.UINT8, base: Base.HEX },
  pir_clause_operator: { abbrev: "oampdu.user.port.object.clause.operator", name: "Operator", type: FT.UINT8, base: Base.HEX, strings: PIR_OPERATORS },
  pir_clause_mvl: { abbrev: "oampdu.user.port.object.clause.mvl", name: "Match Value Length", type: FT.UINT8 },
  pir_clause_mv: { abbrev: "oampdu.user.port.object.clause.mv", name: "Match Value", type: FT.BYTES },
  pir_result_rr: { abbrev: "oampdu.user.port.object.result.rr", name: "Rule Result", type: FT.UINT8, base: Base.HEX, strings: PIR_RESULTS },
  pir_rr_object_type: { abbrev: "oampdu.user.port.object.result.rr.queue.object_type", name: "Object Type", type: FT.UINT8, base: Base.HEX, strings: PIR_QUEUE_OBJECT_TYPES },
  pir_rr_object_instance: { abbrev: "oampdu.user.port.object.result.rr.queue.object_instance", name: "Object Instance", type: FT.UINT8, base: Base.HEX },
  pir_rr_queue_index: { abbrev: "oampdu.user.port.object.result.rr.queue.queue_index", name: "Queue Number", type: FT.UINT8, base: Base.HEX },
  pir_rr_set_fc: { abbrev: "oampdu.user.port.object.result.rr.set.fc", name: "Field Code", type: FT.UINT8, base: Base.HEX },
  pir_rr_set_fi: { abbrev: "oampdu.user.port.object.result.rr.set.fi", name: "Field Instance", type: FT.UINT8, base: Base.HEX },
  pir_rr_copy: { abbrev: "oampdu.user.port.object.result.rr.copy", name: "Field Code to set from field used in last clause of rule", type: FT.UINT8, base: Base.HEX },
  pir_rr_delete: { abbrev: "oampdu.user.port.object.result.rr.delete", name: "Field Code to remove from frame", type: FT.UINT8, base: Base.HEX },
  pir_rr_insert: { abbrev: "oampdu.user.port.object.result.rr.insert", name: "Field Code to insert into frame", type: FT.UINT8, base: Base.HEX },
  pir_rr_replace: { abbrev: "oampdu.user.port.object.result.rr.replace", name: "Field Code to replace", type: FT.UINT8, base: Base.HEX },
  pir_rr_cd: { abbrev: "oampdu.user.port.object.result.rr.cd", name: "Field Code not to delete", type: FT.UINT8, base: Base.HEX },
  pir_rr_ci: { abbrev: "oampdu.user.port.object.result.rr.ci", name: "Field Code not to insert", type: FT.UINT8, base: Base.HEX },
  qc_ll_u: { abbrev: "oampdu.queue_configuration.logical_links.upstream", name: "Upstream Logical Links", type: FT.UINT8 },
  qc_ports_d: { abbrev: "oampdu.queue_configuration.ports.downstream", name: "Downstream Ports", type: FT.UINT8 },
  qc_nq: { abbrev: "oampdu.queue_configuration.queues", name: "Number of queues", type: FT.UINT8 },
  qc_queue_size: { abbrev: "oampdu.queue_configuration.size", name: "Queue size (in 4KB units)", type: FT.UINT8 },
  mac_enable_status: { abbrev: "oampdu.1904_1.mac_enable_status", name: "MAC Enable Status", type: FT.UINT8, strings: MAC_ENABLE_STATUS },
  media_available: { abbrev: "oampdu.1904_1.media_available", name: "Media Available", type: FT.UINT8, strings: MEDIA_AVAILABLE },
  duplex_status: { abbrev: "oampdu.1904_1.duplex_status", name: "Duplex Status", type: FT.UINT8, strings: DUPLEX_STATUS },
});

const oamEi = registerExperts(oampdu.proto, {
  event_length_bad: { abbrev: "oampdu.event.length.bad", group: "malformed", severity: "error", summary: "Event length should be at least 2" },
  mvl_zero: { abbrev: "oampdu.event.mvl.zero", group: "undecoded", severity: "chat", summary: "Match Value Field Length is Zero, Match Value Field not Decoded" },
});

const OAM_FLAGS = [
  oampdu.flags_link_fault, oampdu.flags_dying_gasp, oampdu.flags_critical_event, oampdu.flags_local_evaluating,
  oampdu.flags_local_stable, oampdu.flags_remote_evaluating, oampdu.flags_remote_stable,
];
const STATE_FIELDS = [oampdu.info_state_parser, oampdu.info_state_mux];
/** The OAM configuration bits: Wireshark's fields for bits 1..4 reuse the flags' abbreviations. */
const CONFIG_BITS: readonly (readonly [Field, string, readonly [string, string]])[] = [
  [oampdu.info_oam_config_mode, "OAM Mode", ["DTE configured in Active mode", "DTE configured in Passive mode"]],
  [oampdu.flags_dying_gasp, "Unidirectional support", ["DTE is capable of sending OAMPDUs when rcv path is down", "DTE is not capable of sending OAMPDUs when rcv path is down"]],
  [oampdu.flags_critical_event, "Loopback support", ["DTE is capable of OAM remote loopback mode", "DTE is not capable of OAM remote loopback mode"]],
  [oampdu.flags_local_evaluating, "Link Events support", ["DTE supports interpreting Link Events", "DTE does not support interpreting Link Events"]],
  [oampdu.flags_local_stable, "Variable Retrieval", ["DTE supports sending Variable Response", "DTE does not support sending Variable Response"]],
];

function dissectOam(p: Packet, t: Tree, off: number): void {
  p.protocol = "OAM";
  if (p.wantCols) p.info.clear();
  t.proto(p, oampdu.proto, off, t.cap - off);
  t.curProto = "Ethernet OAM PDU";
  if (t.full) t.label("OAM Protocol");
  t.check(off, 2);
  const flags = u16(t.d, off);
  t.uint(oampdu.flags, off, 2, flags);
  if (t.full) t.label(bitmaskText(`Flags: 0x${flags.toString(16).padStart(4, "0")}`, flags, OAM_FLAGS, true, true));
  t.down();
  for (const f of OAM_FLAGS) t.bool(f, off, 2, flags);
  t.up();
  const code = uint(t, oampdu.code, off + 2, 1);
  if (p.wantCols) p.info.set(`OAMPDU: ${CODES.get(code) ?? "Unknown"}`);
  switch (code) {
    case OamCode.INFORMATION: oamInformation(t, off); break;
    case OamCode.EVENT: oamEvent(p, t, off); break;
    case OamCode.VAR_REQUEST: oamVariableRequest(t, off); break;
    case OamCode.VAR_RESPONSE: oamVariableResponse(t, off); break;
    case OamCode.LOOPBACK: oamLoopback(t, off); break;
    case OamCode.ORG_SPECIFIC: oamVendorSpecific(p, t, off); break;
  }
  t.up();
}

/** An 8-bit bitmask item with its subfields (proto_tree_add_bitmask: names of set booleans, "name: value" of the others). */
function bitmask8(t: Tree, f: Field, o: number, fields: readonly Field[]): number {
  t.check(o, 1);
  const v = t.d[o]!;
  t.uint(f, o, 1, v);
  if (t.full) t.label(bitmaskText(`${f.name}: 0x${hex2(v)}`, v, fields, true, false));
  t.down();
  for (const s of fields) {
    if (s.type === FT.BOOLEAN) t.bool(s, o, 1, v);
    else t.uint(s, o, 1, v);
  }
  t.up();
  return v;
}

function oamInformation(t: Tree, off: number): void {
  const d = t.d;
  let o = off + OAM_HDR;
  // The TLVs up to the End marker or the captured bytes' end; each moves on by at least a byte.
  while (t.cap - o >= 1) {
    const type = d[o]!;
    if (type === 0) break;
    t.uint(oampdu.info_type, o, 1, type);
    const sub = type === INFO_LOCAL || type === INFO_REMOTE || type === INFO_ORG;
    if (sub) t.down();
    o++;
    if (type === INFO_LOCAL || type === INFO_REMOTE) {
      uint(t, oampdu.info_length, o, 1);
      uint(t, oampdu.info_version, o + 1, 1);
      uint(t, oampdu.info_revision, o + 2, 2);
      bitmask8(t, oampdu.info_state, o + 4, STATE_FIELDS);
      oamConfig(t, o + 5);
      const size = uint(t, oampdu.info_oampdu_config, o + 6, 2);
      if (t.full) t.label(`Max OAMPDU Size: ${size} byte${size === 1 ? "" : "s"}`);
      oui(t, oampdu.info_oui, o + 8);
      t.bytes(oampdu.info_vendor, o + 11, 4);
      o += 15;
    } else if (type === INFO_ORG) {
      t.check(o, 1);
      const len = d[o]!;
      uint(t, oampdu.info_length, o, 1);
      oui(t, oampdu.info_oui, o + 1);
      bytesOfLength(t, oampdu.info_vendor, o + 4, len - 5);
      o += 4 + len - 5;
    } else {
      // Unknown types are stepped over by their length byte.
      t.check(o, 1);
      o += d[o]!;
    }
    if (sub) t.up();
  }
}

function oamConfig(t: Tree, o: number): void {
  t.check(o, 1);
  const v = t.d[o]!;
  t.uint(oampdu.info_oam_config, o, 1, v);
  if (t.full) {
    let s = `OAM Configuration: 0x${hex2(v)}`;
    for (const [f, name] of CONFIG_BITS) if (v & f.mask) s += `, ${name}`;
    t.label(s);
  }
  t.down();
  for (const [f, name, tfs] of CONFIG_BITS) {
    t.bool(f, o, 1, v);
    if (t.full) t.label(`${bits8(f.mask, v)} = ${name}: ${v & f.mask ? tfs[0] : tfs[1]}`);
  }
  t.up();
}

/** The "...1 ...." pattern of an 8-bit mask. */
function bits8(mask: number, v: number): string {
  let s = "";
  for (let i = 7; i >= 0; i--) {
    const bit = 1 << i;
    s += mask & bit ? (v & bit ? "1" : "0") : ".";
    if (i === 4) s += " ";
  }
  return s;
}

/** A BASE_OUI item: "00:19:a7 (Itu-T)". */
function oui(t: Tree, f: Field, o: number): number {
  t.check(o, 3);
  const v = u24(t.d, o);
  t.uint(f, o, 3, v);
  if (t.full) t.label(`${f.name}: ${ouiLabel(v)}`);
  return v;
}

/** A bytes item of Wireshark's length `len`: -1 runs to the end (at least a byte), below that is malformed. */
function bytesOfLength(t: Tree, f: Field, o: number, len: number): void {
  if (len >= 0) t.bytes(f, o, len);
  else if (len === -1) {
    t.check(o, 1);
    t.bytes(f, o, t.cap - o);
  } else throw MALFORMED;
}

/** An FT_UINT64 (decimal) field of `n` bytes. */
function big(t: Tree, f: Field, o: number, n: number): void {
  t.check(o, n);
  if (t.wants(f)) t.value(f, o, n, decimal(t.d, o, n));
}

function oamEvent(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  let o = off + OAM_HDR;
  uint(t, oampdu.event_sequence, o, 2);
  o += 2;
  while (t.cap - o >= 1) {
    const type = d[o]!;
    if (type === 0) break;
    t.uint(oampdu.event_type, o, 1, type);
    o++;
    switch (type) {
      case EVENT_ESPE:
        t.down();
        uint(t, oampdu.event_length, o, 1);
        uint(t, oampdu.event_timestamp, o + 1, 2);
        big(t, oampdu.event_espe_window, o + 3, 8);
        big(t, oampdu.event_espe_threshold, o + 11, 8);
        big(t, oampdu.event_espe_errors, o + 19, 8);
        big(t, oampdu.event_espe_total_errors, o + 27, 8);
        uint(t, oampdu.event_espe_total_events, o + 35, 4);
        o += 39;
        t.up();
        break;
      case EVENT_EFE:
        t.down();
        uint(t, oampdu.event_length, o, 1);
        uint(t, oampdu.event_timestamp, o + 1, 2);
        uint(t, oampdu.event_efe_window, o + 3, 2);
        uint(t, oampdu.event_efe_threshold, o + 5, 4);
        uint(t, oampdu.event_efe_errors, o + 9, 4);
        big(t, oampdu.event_efe_total_errors, o + 13, 8);
        uint(t, oampdu.event_efe_total_events, o + 21, 4);
        o += 25;
        t.up();
        break;
      case EVENT_EFPE:
        t.down();
        uint(t, oampdu.event_length, o, 1);
        uint(t, oampdu.event_timestamp, o + 1, 2);
        uint(t, oampdu.event_efpe_window, o + 3, 4);
        uint(t, oampdu.event_efpe_threshold, o + 7, 4);
        uint(t, oampdu.event_efe_errors, o + 11, 4);
        big(t, oampdu.event_efpe_total_errors, o + 15, 8);
        uint(t, oampdu.event_efpe_total_events, o + 23, 4);
        o += 27;
        t.up();
        break;
      case EVENT_EFSSE:
        t.down();
        uint(t, oampdu.event_length, o, 1);
        uint(t, oampdu.event_timestamp, o + 1, 2);
        uint(t, oampdu.event_efsse_window, o + 3, 2);
        uint(t, oampdu.event_efsse_threshold, o + 5, 2);
        uint(t, oampdu.event_efe_errors, o + 7, 2);
        uint(t, oampdu.event_efsse_total_errors, o + 9, 4);
        uint(t, oampdu.event_efsse_total_events, o + 13, 4);
        o += 17;
        t.up();
        break;
      case EVENT_OSE: {
        t.down();
        const len = uint(t, oampdu.event_length, o, 1);
        o++;
        if (len < 2) t.expertUnder(t.lastItem(), p, oamEi.event_length_bad, o - 1, 1);
        else o += len - 2;
        t.up();
        break;
      }
    }
  }
}

/** A variable's branch and leaf (no leaf item for an unknown branch); returns the branch. */
function branchAndLeaf(t: Tree, o: number): number {
  const branch = t.d[o]!;
  t.uint(oampdu.variable_branch, o, 1, branch);
  const leaf = branch === VARS_OBJECT ? oampdu.variable_object : branch === VARS_PACKAGE ? oampdu.variable_package
    : branch === VARS_BINDING ? oampdu.variable_binding : branch === VARS_ATTRIBUTE ? oampdu.variable_attribute : null;
  if (leaf !== null) uint(t, leaf, o + 1, 2);
  return branch;
}

function oamVariableRequest(t: Tree, off: number): void {
  let o = off + OAM_HDR;
  for (;;) {
    t.check(o, 1);
    if (t.d[o] === 0) break;
    branchAndLeaf(t, o);
    o += 3;
  }
}

function oamVariableResponse(t: Tree, off: number): void {
  const d = t.d;
  let o = off + OAM_HDR;
  for (;;) {
    t.check(o, 1);
    if (d[o] === 0) break;
    const branch = branchAndLeaf(t, o);
    o += 3;
    // Object and package containers hold entries up to an indication; the others one entry.
    do {
      t.check(o, 1);
      const b = d[o]!;
      if (b >= 0x80) {
        t.uint(oampdu.variable_indication, o, 1, b & 0x7f);
        o++;
        break;
      }
      const width = b === 0 ? 128 : b;
      t.uint(oampdu.variable_width, o, 1, width);
      t.bytes(oampdu.variable_value, o + 1, width);
      o += 1 + width;
    } while (branch === VARS_OBJECT || branch === VARS_PACKAGE);
  }
}

function oamLoopback(t: Tree, off: number): void {
  const o = off + OAM_HDR;
  if (t.cap - o >= 1) bitmask8(t, oampdu.lpbk_commands, o, [oampdu.lpbk_enable, oampdu.lpbk_disable]);
}

// DPoE (CableLabs DPoE OAM Extensions) leaf/branch codes Wireshark decodes.
const DPOE_LB_ONU_OBJ = 0xd60000, DPOE_LB_LINK_OBJ = 0xd60002, DPOE_LB_USER_PORT_OBJ = 0xd60003, DPOE_LB_ONU_ID = 0xd70002,
  DPOE_LB_MAX_LL = 0xd70007, DPOE_LB_MAX_NET_PORTS = 0xd70008, DPOE_LB_NUM_S1_INT = 0xd70009, DPOE_LB_REP_THRESH = 0xd7000b,
  DPOE_LB_OAM_FR = 0xd7000d, DPOE_LB_S1_INT_PORT_AUTONEG = 0xd70105, DPOE_LB_PORT_INGRESS_RULE = 0xd70501,
  DPOE_LB_QUEUE_CONFIG = 0xd7010d, IEEE1904_1_MAC_ENABLE = 0x07001a, IEEE1904_1_MEDIA_AVAILABLE = 0x070047,
  IEEE1904_1_DUPLEX = 0x07005a;
const DPOE_GET_REQUEST = 1, DPOE_GET_RESPONSE = 2, DPOE_SET_REQUEST = 3, DPOE_SET_RESPONSE = 4;

const S1_AUTONEG = [
  oampdu.s1_autoneg_hd, oampdu.s1_autoneg_fd, oampdu.s1_autoneg_10, oampdu.s1_autoneg_100, oampdu.s1_autoneg_1000,
  oampdu.s1_autoneg_10000, oampdu.s1_autoneg_fc, oampdu.s1_autoneg_mdi,
];
const RR_TEXT = [
  " No operation", " Set Discard Flag for Frame", " Clear Discard Flag for Frame (Forward Frame)", " Set destination queue for frame",
  " Set output field", " Copy output field", " Delete field", " Insert field", " Delete field and Insert current output field",
  " Do not delete field (override other Delete result)", " Do not insert field (override other Insert result)",
];

function oamVendorSpecific(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  let o = off + OAM_HDR;
  if (t.cap - o < 3) return;
  const v = oui(t, oampdu.info_oui, o);
  if (v !== OUI_CABLELABS) return;
  o += 3;
  t.down();
  const opcode = uint(t, oampdu.dpoe_opcode, o, 1);
  t.down();
  o++;
  t.check(o, 1);
  let next = d[o]!;
  if (opcode === DPOE_GET_REQUEST) {
    t.check(o, 3);
    const lb = u24(d, o);
    let varLen = 0;
    if (lb === DPOE_LB_ONU_OBJ || lb === DPOE_LB_LINK_OBJ || lb === DPOE_LB_USER_PORT_OBJ) {
      t.uint(oampdu.variable_descriptor, o, 3, lb);
      o += 3;
      t.check(o, 1);
      varLen = d[o]!;
      o++;
      if (varLen === 1) {
        t.down();
        if (lb === DPOE_LB_USER_PORT_OBJ) uint(t, oampdu.user_port_object, o, 1);
        else t.bytes(oampdu.variable_value, o, 1);
        t.up();
      }
    }
    t.check(o, 1);
    next = d[o]!;
    o += varLen;
    while (next !== 0) {
      uint(t, oampdu.variable_descriptor, o, 3);
      o += 3;
      t.check(o, 1);
      next = d[o]!;
    }
  } else if (opcode === DPOE_GET_RESPONSE || opcode === DPOE_SET_REQUEST || opcode === DPOE_SET_RESPONSE) {
    while (next !== 0) {
      t.check(o, 3);
      const lb = u24(d, o);
      t.uint(oampdu.variable_descriptor, o, 3, lb);
      o += 3;
      t.check(o, 1);
      let varLen = d[o]!;
      t.down();
      if (varLen >= 0x80) {
        t.uint(oampdu.response_code, o, 1, varLen);
        varLen = 0;
        o++;
      } else if (varLen === 0) {
        o++;
        varLen = 128;
        t.bytes(oampdu.variable_value, o, varLen);
      } else {
        o++;
        varLen = dpoeValue(p, t, o, lb, varLen);
      }
      t.up();
      o += varLen;
      t.check(o, 1);
      next = d[o]!;
    }
  }
  t.up();
  t.up();
}

/** A DPoE variable's value of `len` bytes at `o`; returns how far the offset moves on. */
function dpoeValue(p: Packet, t: Tree, o: number, lb: number, len: number): number {
  const d = t.d;
  switch (lb) {
    case DPOE_LB_ONU_ID:
      // An FT_ETHER item of the variable's length: shorter than an address is malformed.
      t.check(o, len);
      if (len < 6) throw MALFORMED;
      t.ether(oampdu.response_eth, o);
      return len;
    case DPOE_LB_MAX_LL:
      uint(t, oampdu.mll_b, o, 2);
      uint(t, oampdu.mll_do, o + 2, 2);
      return len;
    case DPOE_LB_MAX_NET_PORTS: case DPOE_LB_NUM_S1_INT:
      uint(t, oampdu.response_int, o, len);
      return len;
    case DPOE_LB_OAM_FR: {
      const min = uint(t, oampdu.frame_rate_min, o, 1);
      if (t.full) t.label(`Minimum OAM Rate: ${min} (PDUs/100ms)`);
      const max = uint(t, oampdu.frame_rate_max, o + 1, 1);
      if (t.full) t.label(`Maximum OAM Rate: ${max} (Number of 100ms)`);
      return len;
    }
    case DPOE_LB_REP_THRESH: {
      const nqs = uint(t, oampdu.repthr_nqs, o, 1);
      const rvpqs = uint(t, oampdu.repthr_rvpqs, o + 1, 1);
      for (let i = 0; i < nqs; i++) {
        for (let j = 0; j < rvpqs; j++) {
          const v = uint(t, oampdu.report_threshold, o + 2 + 2 * (i + j), 2);
          if (t.full) t.label(`Report Threshold: ${v} (Report Threshold ${i} for Queue Set ${j})`);
        }
      }
      return len;
    }
    case DPOE_LB_S1_INT_PORT_AUTONEG: {
      t.check(o, 2);
      const v = u16(d, o);
      t.uint(oampdu.s1_autoneg, o, 2, v);
      if (t.full) t.label(bitmaskText(`Auto-Negotiation Capability: 0x${v.toString(16).padStart(4, "0")}`, v, S1_AUTONEG, true, false));
      t.down();
      for (const f of S1_AUTONEG) t.bool(f, o, 2, v);
      t.up();
      return len;
    }
    case DPOE_LB_USER_PORT_OBJ:
      uint(t, oampdu.user_port_object, o, 1);
      return len;
    case DPOE_LB_PORT_INGRESS_RULE:
      portIngressRule(p, t, o);
      return len;
    case DPOE_LB_QUEUE_CONFIG:
      return queueConfig(t, o);
    case IEEE1904_1_MAC_ENABLE:
      uint(t, oampdu.mac_enable_status, o, 1);
      return len;
    case IEEE1904_1_MEDIA_AVAILABLE:
      uint(t, oampdu.media_available, o, 1);
      return len;
    case IEEE1904_1_DUPLEX:
      uint(t, oampdu.duplex_status, o, 1);
      return len;
    default:
      t.bytes(oampdu.variable_value, o, len);
      return len;
  }
}

function portIngressRule(p: Packet, t: Tree, o: number): void {
  const d = t.d;
  t.check(o, 1);
  const subtype = d[o]!;
  t.uint(oampdu.pir_subtype, o, 1, subtype);
  if (subtype === 1) uint(t, oampdu.pir_header_precedence, o + 1, 1);
  else if (subtype === 2) {
    uint(t, oampdu.pir_clause_fc, o + 1, 1);
    uint(t, oampdu.pir_clause_fi, o + 2, 1);
    uint(t, oampdu.pir_clause_msbm, o + 3, 1);
    uint(t, oampdu.pir_clause_lsbm, o + 4, 1);
    uint(t, oampdu.pir_clause_operator, o + 5, 1);
    const mvl = uint(t, oampdu.pir_clause_mvl, o + 6, 1);
    if (mvl > 0) {
      // Shown with its bytes space-separated (SEP_SPACE); exported as -T json does, colon-separated.
      t.bytes(oampdu.pir_clause_mv, o + 7, mvl);
      if (t.full) t.label(`Match Value: ${spaced(d, o + 7, mvl)}`);
    }
    else t.expertUnder(t.lastItem(), p, oamEi.mvl_zero, o + 6, 1);
  } else if (subtype === 3) {
    const rr = uint(t, oampdu.pir_result_rr, o + 1, 1);
    if (t.full && rr < RR_TEXT.length) t.label(`Rule Result: ${PIR_RESULTS.get(rr)} (0x${hex2(rr)})${RR_TEXT[rr]}`);
    switch (rr) {
      case 3:
        uint(t, oampdu.pir_rr_object_type, o + 2, 1);
        uint(t, oampdu.pir_rr_object_instance, o + 3, 1);
        uint(t, oampdu.pir_rr_queue_index, o + 4, 1);
        break;
      case 4:
        uint(t, oampdu.pir_rr_set_fc, o + 2, 1);
        uint(t, oampdu.pir_rr_set_fi, o + 3, 1);
        break;
      case 5: uint(t, oampdu.pir_rr_copy, o + 2, 1); break;
      case 6: uint(t, oampdu.pir_rr_delete, o + 2, 1); break;
      case 7: uint(t, oampdu.pir_rr_insert, o + 2, 1); break;
      case 8: uint(t, oampdu.pir_rr_replace, o + 2, 1); break;
      case 9: uint(t, oampdu.pir_rr_cd, o + 2, 1); break;
      case 10: uint(t, oampdu.pir_rr_ci, o + 2, 1); break;
    }
  }
}

function spaced(d: Uint8Array, o: number, n: number): string {
  let s = "";
  for (let i = 0; i < Math.min(n, 36); i++) s += (i ? " " : "") + hex2(d[o + i]!);
  return n > 36 ? s + "\u2026" : s;
}

/** The Queue Configuration: upstream links and downstream ports, each with its queues' sizes. */
function queueConfig(t: Tree, start: number): number {
  let o = start;
  const links = uint(t, oampdu.qc_ll_u, o, 1);
  t.down();
  for (let n = 0; n < links; n++) {
    o++;
    const queues = uint(t, oampdu.qc_nq, o, 1);
    if (t.full) t.label(`Number of queues: ${queues} (Upstream link ${n})`);
    t.down();
    for (let m = 0; m < queues; m++) {
      o++;
      const size = uint(t, oampdu.qc_queue_size, o, 1);
      if (t.full) t.label(`Queue size (in 4KB units): ${size} (Upstream link ${n} queue ${m} size)`);
    }
    t.up();
  }
  t.up();
  o++;
  const ports = uint(t, oampdu.qc_ports_d, o, 1);
  t.down();
  for (let n = 0; n < ports; n++) {
    o++;
    const queues = uint(t, oampdu.qc_nq, o, 1);
    if (t.full) t.label(`Number of queues: ${queues} (Downstream port ${n})`);
    t.down();
    for (let m = 0; m < queues; m++) {
      o++;
      const size = uint(t, oampdu.qc_queue_size, o, 1);
      if (t.full) t.label(`Queue size (in 4KB units): ${size} (Downstream port ${n} queue ${m} size)`);
    }
    t.up();
  }
  t.up();
  // The offset has moved on already: one more byte to the next descriptor.
  return o + 1 - start;
}

subtypes.set(SUBTYPE_LACP, dissectLacp);
subtypes.set(SUBTYPE_MARKER, dissectMarker);
subtypes.set(SUBTYPE_OAM, dissectOam);
subtypes.set(SUBTYPE_OSSP, dissectOssp);
etherTypes.add(0x8809, dissectSlow);
