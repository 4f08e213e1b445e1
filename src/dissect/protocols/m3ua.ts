// MTP3 User Adaptation Layer (RFC 4666) over SCTP (payload protocol identifier 3, port 2905), as
// Wireshark 4.0 shows it with its default version (RFC 4666).
//   common header: version 0 | reserved 1 | message class 2 | message type 3 | message length 4..8
//   parameters 8..: tag 0..2 | length 2..4 | value | padding to 4 bytes (the message length field
//   is shown, not used: the parameters run to the end of the SCTP user data)
//   Protocol Data (0x0210): OPC 4 | DPC 4 | SI 1 | NI 1 | MP 1 | SLS 1 | user part data
// The user part data goes to the dissector for its service indicator; arpx has none of them
// (ISUP, SCCP, MTP3 management...), so it is shown as Data, where tshark decodes those.
import { Base, FT, registerFields, registerProtocol, vals, type ValueStrings } from "../fields.js";
import { callData, DissectorTable } from "../dispatch.js";
import { formatText } from "../format.js";
import type { Packet } from "../packet.js";
import { MALFORMED, type Node, type Tree } from "../tree.js";
import { wsStringEi } from "../ws.js";
import { app, atNode, get16, get32, plural, subtree, u32at, within } from "./sctp-chunks.js";
import { CONTAINED, sctpPorts, sctpPpis } from "./sctp.js";

const VERSION = 0, RESERVED = 1, CLASS = 2, TYPE = 3, LENGTH = 4, HDR = 8;

/** User part dissectors by service indicator (Wireshark's "mtp3.service_indicator"); none yet. */
export const mtp3ServiceIndicators = new DissectorTable("mtp3.service_indicator", 256);

const MESSAGE_CLASSES = vals({
  0: "Management messages", 1: "Transfer messages", 2: "SS7 signalling network management messages",
  3: "ASP state maintenance messages", 4: "ASP traffic maintenance messages", 9: "Routing key management messages",
});

/** Message types by class * 256 + type: [name, acronym]. */
const MESSAGE_TYPES = new Map<number, [string, string]>([
  [0x000, ["Error (ERR)", "ERR"]], [0x001, ["Notify (NTFY)", "NTFY"]], [0x101, ["Payload data (DATA)", "DATA"]],
  [0x201, ["Destination unavailable (DUNA)", "DUNA"]], [0x202, ["Destination available (DAVA)", "DAVA"]],
  [0x203, ["Destination state audit (DAUD)", "DAUD"]], [0x204, ["SS7 Network congestion state (SCON)", "SCON"]],
  [0x205, ["Destination userpart unavailable (DUPU)", "DUPU"]], [0x206, ["Destination Restricted (DRST)", "DRST"]],
  [0x301, ["ASP up (ASPUP)", "ASPUP"]], [0x302, ["ASP down (ASPDN)", "ASPDN"]], [0x303, ["Heartbeat (BEAT)", "BEAT"]],
  [0x304, ["ASP up ack (ASPUP_ACK)", "ASPUP_ACK"]], [0x305, ["ASP down ack (ASPDN_ACK)", "ASPDN_ACK"]],
  [0x306, ["Heartbeat ack (BEAT_ACK)", "BEAT_ACK"]], [0x401, ["ASP active (ASPAC)", "ASPAC"]],
  [0x402, ["ASP inactive (ASPIA)", "ASPIA"]], [0x403, ["ASP active ack (ASPAC_ACK)", "ASPAC_ACK"]],
  [0x404, ["ASP inactive ack (ASPIA_ACK)", "ASPIA_ACK"]], [0x901, ["Registration request (REG_REQ)", "REG_REQ"]],
  [0x902, ["Registration response (REG_RSP)", "REG_RSP"]], [0x903, ["Deregistration request (DEREG_REQ)", "DEREG_REQ"]],
  [0x904, ["Deregistration response (DEREG_RSP)", "DEREG_RSP"]],
]);

const P_INFO_STRING = 0x0004, P_ROUTING_CONTEXT = 0x0006, P_DIAGNOSTIC = 0x0007, P_HEARTBEAT = 0x0009,
  P_TRAFFIC_MODE = 0x000b, P_ERROR_CODE = 0x000c, P_STATUS = 0x000d, P_ASP_ID = 0x0011, P_AFFECTED_PC = 0x0012,
  P_CORRELATION_ID = 0x0013, P_NETWORK_APPEARANCE = 0x0200, P_USER_CAUSE = 0x0204, P_CONGESTION = 0x0205,
  P_CONCERNED_DEST = 0x0206, P_ROUTING_KEY = 0x0207, P_REG_RESULT = 0x0208, P_DEREG_RESULT = 0x0209,
  P_LOCAL_RK_ID = 0x020a, P_DPC = 0x020b, P_SERVICE_INDICATORS = 0x020c, P_OPC_LIST = 0x020e, P_CIRCUIT_RANGE = 0x020f,
  P_PROTOCOL_DATA = 0x0210, P_REG_STATUS = 0x0212, P_DEREG_STATUS = 0x0213;

const PARAMETER_TAGS = vals({
  0x0004: "Info string", 0x0006: "Routing context", 0x0007: "Diagnostic Information", 0x0009: "Heartbeat data",
  0x000b: "Traffic mode type", 0x000c: "Error code", 0x000d: "Status", 0x0011: "ASP identifier", 0x0012: "Affected point code",
  0x0013: "Correlation identifier", 0x0200: "Network appearance", 0x0204: "User / cause", 0x0205: "Congestion indications",
  0x0206: "Concerned destination", 0x0207: "Routing key", 0x0208: "Registration result", 0x0209: "Deregistration result",
  0x020a: "Local routing key identifier", 0x020b: "Destination point code", 0x020c: "Service indicators",
  0x020e: "Originating point code list", 0x020f: "Circuit range", 0x0210: "Protocol data", 0x0212: "Registration status",
  0x0213: "Deregistration status",
});

const TRAFFIC_MODES = vals({ 1: "Over-ride", 2: "Load-share", 3: "Broadcast" });
const ERROR_CODES = vals({
  0x01: "Invalid version", 0x03: "Unsupported message class", 0x04: "Unsupported message type",
  0x05: "Unsupported traffic handling mode", 0x06: "Unexpected message", 0x07: "Protocol error",
  0x09: "Invalid stream identifier", 0x0d: "Refused - management blocking", 0x0e: "ASP identifier required",
  0x0f: "Invalid ASP identifier", 0x11: "Invalid parameter value", 0x12: "Parameter field error",
  0x13: "Unexpected parameter", 0x14: "Destination status unknown", 0x15: "Invalid network appearance",
  0x16: "Missing parameter", 0x19: "Invalid routing context", 0x1a: "No configured AS for ASP",
});
const STATUS_TYPES = vals({ 1: "Application server state change", 2: "Other" });
/** Status information by status type * 65536 + information. */
const STATUS_INFOS = vals({
  0x10001: "Reserved", 0x10002: "Application server inactive", 0x10003: "Application server active",
  0x10004: "Application server pending", 0x20001: "Insufficient ASP resources active in AS",
  0x20002: "Alternate ASP active", 0x20003: "ASP Failure",
});
const UNAVAILABILITY_CAUSES = vals({ 0: "Unknown", 1: "Unequipped remote user", 2: "Inaccessible remote user" });
const USER_IDENTITIES = vals({
  0: "Reserved", 1: "Reserved", 2: "Reserved", 3: "SCCP", 4: "TUP", 5: "ISUP", 6: "Reserved", 7: "Reserved", 8: "Reserved",
  9: "Broadband ISUP", 10: "Satellite ISUP", 11: "Reserved", 12: "AAL type2 Signaling",
  13: "Bearer Independent Call Control (BICC)", 14: "Gateway Control Protocol", 15: "Reserved",
});
const REASONS = vals({ 0: "Unspecified", 1: "User unavailable", 2: "Management blocking" });
const CONGESTION_LEVELS = vals({ 0: "No congestion or undefined", 1: "Congestion level 1", 2: "Congestion level 2", 3: "Congestion level 3" });
const REGISTRATION_STATUSES = vals({
  0: "Successfully Registered", 1: "Error - Unknown", 2: "Error - Invalid DPC", 3: "Error - Invalid Network Appearance",
  4: "Error - Invalid Routing Key", 5: "Error - Permission Denied", 6: "Error - Cannot Support Unique Routing",
  7: "Error - Routing Key not Currently Provisioned", 8: "Error - Insufficient Resources",
  9: "Error - Unsupported RK parameter Field", 10: "Error - Unsupported/Invalid Traffic Handling Mode",
  11: "Error - Routing Key Change Refused", 12: "Error - Routing Key Already Registered",
});
const DEREGISTRATION_STATUSES = vals({
  0: "Successfully Deregistered", 1: "Error - Unknown", 2: "Error - Invalid Routing Context", 3: "Error - Permission Denied",
  4: "Error - Not Registered", 5: "Error - ASP Currently Active for Routing Context",
});
const REGISTRATION_RESULT_STATUSES = vals({
  0: "Successfully Registered", 1: "Error - Unknown", 2: "Error - Invalid DPC", 3: "Error - Invalid Network Appearance",
  4: "Error - Invalid Routing Key", 5: "Error - Permission Denied", 6: "Error - Overlapping (Non-unique) Routing Key",
  7: "Error - Routing Key not Provisioned", 8: "Error - Insufficient Resources",
});
const DEREGISTRATION_RESULT_STATUSES = vals({
  0: "Successfully De-registered", 1: "Error - Unknown", 2: "Error - Invalid Routing context", 3: "Error - Permission Denied",
  4: "Error - Not registered",
});
/** MTP3 service indicators, short form (Wireshark's mtp3_service_indicator_code_short_vals). */
const SERVICE_INDICATORS = vals({
  0: "SNM", 1: "MTN", 2: "MTNS", 3: "SCCP", 4: "TUP", 5: "ISUP", 6: "DUP (CC)", 7: "DUP (FAC/CANC)", 8: "MTP Test",
  9: "ISUP-b", 10: "ISUP-s", 12: "AAL type 2", 13: "BICC", 14: "GCP",
});
const NETWORK_INDICATORS = vals({
  0: "International network", 1: "Spare (for international use only)", 2: "National network", 3: "Reserved for national use",
});

const num = (abbrev: string, name: string, type: FT, strings?: ValueStrings, base = Base.DEC) => ({ abbrev, name, type, base, strings });

export const hf = registerProtocol("m3ua", "MTP 3 User Adaptation Layer", {
  version: num("m3ua.version", "Version", FT.UINT8, vals({ 1: "Release 1" })),
  reserved: num("m3ua.reserved", "Reserved", FT.UINT8, undefined, Base.HEX),
  message_class: num("m3ua.message_class", "Message class", FT.UINT8, MESSAGE_CLASSES),
  message_type: num("m3ua.message_type", "Message Type", FT.UINT8),
  message_length: num("m3ua.message_length", "Message length", FT.UINT32),
  parameter_tag: num("m3ua.parameter_tag", "Parameter Tag", FT.UINT16, PARAMETER_TAGS),
  parameter_length: num("m3ua.parameter_length", "Parameter length", FT.UINT16),
  parameter_value: { abbrev: "m3ua.parameter_value", name: "Parameter value", type: FT.BYTES },
  parameter_padding: { abbrev: "m3ua.parameter_padding", name: "Padding", type: FT.BYTES },
  network_appearance: num("m3ua.network_appearance", "Network appearance", FT.UINT32),
  info_string: { abbrev: "m3ua.info_string", name: "Info string", type: FT.STRING },
  routing_context: num("m3ua.routing_context", "Routing context", FT.UINT32),
  diagnostic_information: { abbrev: "m3ua.diagnostic_information", name: "Diagnostic information", type: FT.BYTES },
  heartbeat_data: { abbrev: "m3ua.heartbeat_data", name: "Heartbeat data", type: FT.BYTES },
  error_code: num("m3ua.error_code", "Error code", FT.UINT32, ERROR_CODES),
  status_type: num("m3ua.status_type", "Status type", FT.UINT16, STATUS_TYPES),
  status_info: num("m3ua.status_info", "Status info", FT.UINT16),
  asp_identifier: num("m3ua.asp_identifier", "ASP identifier", FT.UINT32),
  affected_point_code_mask: num("m3ua.affected_point_code_mask", "Mask", FT.UINT8),
  affected_point_code_pc: num("m3ua.affected_point_code_pc", "Affected point code", FT.UINT24),
  unavailability_cause: num("m3ua.unavailability_cause", "Unavailability cause", FT.UINT16, UNAVAILABILITY_CAUSES),
  user_identity: num("m3ua.user_identity", "User Identity", FT.UINT16, USER_IDENTITIES),
  reason: num("m3ua.reason", "Reason", FT.UINT32, REASONS),
  traffic_mode_type: num("m3ua.traffic_mode_type", "Traffic mode Type", FT.UINT32, TRAFFIC_MODES),
  congestion_reserved: { abbrev: "m3ua.congestion_reserved", name: "Reserved", type: FT.BYTES },
  congestion_level: num("m3ua.congestion_level", "Congestion level", FT.UINT8, CONGESTION_LEVELS),
  concerned_reserved: { abbrev: "m3ua.concerned_reserved", name: "Reserved", type: FT.BYTES },
  concerned_dpc: num("m3ua.concerned_dpc", "Concerned DPC", FT.UINT24),
  local_rk_identifier: num("m3ua.local_rk_identifier", "Local routing key identifier", FT.UINT32),
  dpc_mask: num("m3ua.dpc_mask", "Mask", FT.UINT8),
  dpc_pc: num("m3ua.dpc_pc", "Destination point code", FT.UINT24),
  si: num("m3ua.si", "Service indicator", FT.UINT8, USER_IDENTITIES),
  ssn: num("m3ua.ssn", "Subsystem number", FT.UINT8),
  opc_list_mask: num("m3ua.opc_list_mask", "Mask", FT.UINT8),
  opc_list_pc: num("m3ua.opc_list_pc", "Originating point code", FT.UINT24),
  cic_range_mask: num("m3ua.cic_range_mask", "Mask", FT.UINT8),
  cic_range_pc: num("m3ua.cic_range_pc", "Originating point code", FT.UINT24),
  cic_range_lower: num("m3ua.cic_range_lower", "Lower CIC value", FT.UINT16),
  cic_range_upper: num("m3ua.cic_range_upper", "Upper CIC value", FT.UINT16),
  protocol_data_2_li: num("m3ua.protocol_data_2_li", "Length indicator", FT.UINT8),
  protocol_data_opc: { ...num("m3ua.protocol_data_opc", "OPC", FT.UINT32), blurb: "Originating Point Code" },
  protocol_data_dpc: { ...num("m3ua.protocol_data_dpc", "DPC", FT.UINT32), blurb: "Destination Point Code" },
  protocol_data_si: { ...num("m3ua.protocol_data_si", "SI", FT.UINT8, SERVICE_INDICATORS), blurb: "Service Indicator" },
  protocol_data_ni: { ...num("m3ua.protocol_data_ni", "NI", FT.UINT8, NETWORK_INDICATORS), blurb: "Network Indicator" },
  protocol_data_mp: { ...num("m3ua.protocol_data_mp", "MP", FT.UINT8), blurb: "Message Priority" },
  protocol_data_sls: { ...num("m3ua.protocol_data_sls", "SLS", FT.UINT8), blurb: "Signalling Link Selection" },
  correlation_identifier: num("m3ua.correlation_identifier", "Correlation Identifier", FT.UINT32),
  registration_status: num("m3ua.registration_status", "Registration status", FT.UINT32, REGISTRATION_STATUSES),
  deregistration_status: num("m3ua.deregistration_status", "Deregistration status", FT.UINT32, DEREGISTRATION_STATUSES),
  registration_result_identifier: num("m3ua.registration_result_identifier", "Local RK-identifier value", FT.UINT32),
  registration_results_status: num("m3ua.registration_results_status", "Registration status", FT.UINT32, REGISTRATION_RESULT_STATUSES),
  registration_result_routing_context: num("m3ua.registration_result_routing_context", "Routing context", FT.UINT32),
  deregistration_results_status: num("m3ua.deregistration_results_status", "De-Registration status", FT.UINT32, DEREGISTRATION_RESULT_STATUSES),
  deregistration_result_routing_context: num("m3ua.deregistration_result_routing_context", "Routing context", FT.UINT32),
  heuristic_standard: num("m3ua.heuristic_standard", "Heuristic standard", FT.UINT32),
});

/** The MTP3 names M3UA registers for the routing label (generated "MTP3 equivalents"). */
export const mtp3Equiv = registerFields(hf.proto, {
  opc: { abbrev: "mtp3.opc", name: "OPC", type: FT.UINT32, generated: true },
  dpc: { abbrev: "mtp3.dpc", name: "DPC", type: FT.UINT32, generated: true },
  pc: { abbrev: "mtp3.pc", name: "PC", type: FT.UINT32, generated: true },
  ni: { abbrev: "mtp3.ni", name: "NI", type: FT.UINT8, generated: true },
  sls: { abbrev: "mtp3.sls", name: "SLS", type: FT.UINT8, generated: true },
});

interface Ctx {
  p: Packet;
  t: Tree;
  /** Wireshark builds a tree (its m3ua_tree is non-NULL). */
  tree: boolean;
  /** The parent of the M3UA item, where the user part's protocol goes. */
  parent: Node | null;
  parentDepth: number;
}

export function dissectM3ua(p: Packet, t: Tree, off: number): void {
  p.protocol = "M3UA (RFC 4666)";
  const m = t.mark();
  t.proto(p, hf.proto, off, t.rep - off);
  t.curProto = "M3UA";
  const c: Ctx = { p, t, tree: t.buildsTree, parent: m.cur, parentDepth: m.depth };
  const d = t.d;
  // The parameters' sub-buffer starts at byte 8: a shorter message fails here.
  t.check(off + HDR, 0);
  const cls = d[off + CLASS]!, type = d[off + TYPE]!;
  const names = MESSAGE_TYPES.get(cls * 256 + type);
  if (p.wantCols) p.info.set(names?.[1] ?? "reserved").char(0x20);
  t.uint(hf.version, off + VERSION, 1, d[off + VERSION]!);
  t.uint(hf.reserved, off + RESERVED, 1, d[off + RESERVED]!);
  t.uint(hf.message_class, off + CLASS, 1, cls);
  t.uint(hf.message_type, off + TYPE, 1, type);
  if (t.full) t.label(`Message Type: ${names?.[0] ?? "reserved"} (${type})`);
  t.uint(hf.message_length, off + LENGTH, 4, u32at(d, off + LENGTH));
  parameters(c, off + HDR);
  t.up();
}

/** dissect_parameters: the parameters from `off` to the current end. */
function parameters(c: Ctx, off: number): void {
  const t = c.t;
  const end = t.rep;
  for (let o = off; end - o > 0; ) {
    const length = get16(t, o + 2);
    let total = (length + 3) & ~3;
    if (end - o >= length) total = Math.min(total, end - o);
    const next = o + total;
    // A parameter longer than what holds it: Wireshark's read past its container is a
    // ContainedBoundsError, not an ordinary malformed packet.
    if (next > end) {
      const mark = t.mark();
      try {
        within(t, end, () => parameter(c, o, next));
      } catch (x) {
        if (x !== MALFORMED) throw x;
        t.restore(mark);
        throw CONTAINED;
      }
    } else within(t, next, () => parameter(c, o, next));
    o = next;
  }
}

/** dissect_parameter: one parameter whose padded length ends at `end` (its bounds may end sooner). */
function parameter(c: Ctx, off: number, end: number): void {
  const t = c.t;
  const d = t.d;
  const tag = get16(t, off);
  const length = get16(t, off + 2);
  const padding = (end - off - length) & 0xffff;
  if (!c.tree && tag !== P_PROTOCOL_DATA) return;
  const item = subtree(t, t.full ? PARAMETER_TAGS.get(tag) ?? "Unknown parameter" : null, off, end - off);
  t.uint(hf.parameter_tag, off, 2, tag);
  t.uint(hf.parameter_length, off + 2, 2, length);
  const v = off + 4;
  const vlen = (length - 4) & 0xffff;
  switch (tag) {
    case P_INFO_STRING: {
      t.check(v, vlen);
      t.str(hf.info_string, v, vlen, t.wants(hf.info_string) ? ascii(d, v, vlen) : "");
      if (c.tree && strayAfterNul(d, v, v + vlen)) t.expertUnder(t.lastItem(), c.p, wsStringEi.trailing_stray, v, vlen);
      // Wireshark 4.0's tvb_format_text keeps as many bytes of the escaped text as the string had.
      app(item, ` (${item !== null ? cutUtf8(formatText(d, v, v + vlen), vlen) : ""})`);
      break;
    }
    case P_ROUTING_CONTEXT: {
      const n = vlen >> 2;
      for (let i = 0, o = v; i < n; i++, o += 4) t.uint(hf.routing_context, o, 4, get32(t, o));
      app(item, ` (${n} context${plural(n)})`);
      break;
    }
    case P_DIAGNOSTIC:
      t.bytes(hf.diagnostic_information, v, vlen);
      app(item, ` (${vlen} byte${plural(vlen)})`);
      break;
    case P_HEARTBEAT:
      t.bytes(hf.heartbeat_data, v, vlen);
      app(item, ` (${vlen} byte${plural(vlen)})`);
      break;
    case P_TRAFFIC_MODE:
      valued(t, item, hf.traffic_mode_type, v, "unknown");
      break;
    case P_ERROR_CODE:
      valued(t, item, hf.error_code, v, "unknown");
      break;
    case P_STATUS: {
      const st = get16(t, v), info = get16(t, v + 2);
      t.uint(hf.status_type, v, 2, st);
      t.uint(hf.status_info, v + 2, 2, info);
      const s = STATUS_INFOS.get(st * 65536 + info);
      if (t.full) t.label(`Status info: ${s ?? "unknown"} (${info})`);
      app(item, ` (${s ?? "unknown status information"})`);
      break;
    }
    case P_ASP_ID:
      numbered(t, item, hf.asp_identifier, v);
      break;
    case P_AFFECTED_PC: {
      const n = vlen >> 2;
      for (let i = 0, o = v; i < n; i++, o += 4) {
        t.check(o, 4);
        t.uint(hf.affected_point_code_mask, o, 1, d[o]!);
        t.uint(hf.affected_point_code_pc, o + 1, 3, u32at(d, o) & 0xffffff);
      }
      app(item, ` (${n} destination${plural(n)})`);
      break;
    }
    case P_CORRELATION_ID:
      numbered(t, item, hf.correlation_identifier, v);
      break;
    case P_NETWORK_APPEARANCE:
      numbered(t, item, hf.network_appearance, v);
      break;
    case P_USER_CAUSE: {
      const cause = get16(t, v), user = get16(t, v + 2);
      t.uint(hf.unavailability_cause, v, 2, cause);
      t.uint(hf.user_identity, v + 2, 2, user);
      app(item, ` (${USER_IDENTITIES.get(user) ?? "Unknown user"}: ${UNAVAILABILITY_CAUSES.get(cause) ?? "unknown cause"})`);
      break;
    }
    case P_CONGESTION:
      t.bytes(hf.congestion_reserved, v, 3);
      t.check(v + 3, 1);
      t.uint(hf.congestion_level, v + 3, 1, d[v + 3]!);
      app(item, ` (${CONGESTION_LEVELS.get(d[v + 3]!) ?? "unknown"})`);
      break;
    case P_CONCERNED_DEST: {
      t.bytes(hf.concerned_reserved, v, 1);
      const pc = get32(t, v) & 0xffffff;
      t.uint(hf.concerned_dpc, v + 1, 3, pc);
      app(item, ` (${pc})`);
      break;
    }
    case P_ROUTING_KEY:
    case P_REG_RESULT:
    case P_DEREG_RESULT:
      t.check(v, 0);
      nested(c, v, vlen);
      break;
    case P_LOCAL_RK_ID:
      numbered(t, item, hf.local_rk_identifier, v);
      break;
    case P_DPC: {
      t.check(v, 4);
      t.uint(hf.dpc_mask, v, 1, d[v]!);
      const pc = u32at(d, v) & 0xffffff;
      t.uint(hf.dpc_pc, v + 1, 3, pc);
      app(item, ` (${pc})`);
      break;
    }
    case P_SERVICE_INDICATORS:
      for (let i = 0, o = v; i < vlen; i++, o++) {
        t.check(o, 1);
        t.uint(hf.si, o, 1, d[o]!);
      }
      app(item, ` (${vlen} indicator${plural(vlen)})`);
      break;
    case P_OPC_LIST: {
      const n = vlen >> 2;
      for (let i = 0, o = v; i < n; i++, o += 4) {
        t.check(o, 4);
        t.uint(hf.opc_list_mask, o, 1, d[o]!);
        t.uint(hf.opc_list_pc, o + 1, 3, u32at(d, o) & 0xffffff);
      }
      app(item, ` (${n} point code${plural(n)})`);
      break;
    }
    case P_CIRCUIT_RANGE: {
      const n = Math.floor(vlen / 8);
      for (let i = 0, o = v; i < n; i++, o += 8) {
        t.check(o, 8);
        const range = subtree(t, t.full ? "CIC range" : null, o, 8);
        t.check(o, 1);
        t.uint(hf.cic_range_mask, o, 1, d[o]!);
        const pc = get32(t, o) & 0xffffff;
        t.uint(hf.cic_range_pc, o + 1, 3, pc);
        const lo = get16(t, o + 4), hi = get16(t, o + 6);
        t.uint(hf.cic_range_lower, o + 4, 2, lo);
        t.uint(hf.cic_range_upper, o + 6, 2, hi);
        app(range, ` (${pc}: ${lo}-${hi})`);
        t.up();
      }
      app(item, ` (${n} range${plural(n)})`);
      break;
    }
    case P_PROTOCOL_DATA:
      protocolData(c, off, length, item);
      break;
    case P_REG_STATUS:
      valued(t, item, hf.registration_status, v, "unknown");
      break;
    case P_DEREG_STATUS:
      valued(t, item, hf.deregistration_status, v, "unknown");
      break;
    default:
      t.bytes(hf.parameter_value, v, vlen);
      app(item, ` (tag ${tag} and ${vlen} byte${plural(vlen)} value)`);
  }
  if (padding > 0) t.bytes(hf.parameter_padding, off + length, padding);
  t.up();
}

/** An ASCII string item's value: up to the first NUL, other bytes past 0x7f as U+FFFD. */
function ascii(d: Uint8Array, o: number, n: number): string {
  let s = "";
  for (let i = o; i < o + n && d[i] !== 0; i++) s += d[i]! < 0x80 ? String.fromCharCode(d[i]!) : "\ufffd";
  return s;
}

/**
 * Wireshark's "Trailing stray characters" check on an ASCII string item: it looks at the decoded
 * string (each byte past 0x7f became a 3-byte U+FFFD) from its first NUL up to the item's length
 * in bytes, so characters replaced before the NUL shift what it sees.
 */
function strayAfterNul(d: Uint8Array, a: number, b: number): boolean {
  const n = b - a;
  let pos = 0, nul = -1;
  for (let i = a; i < b && pos < n; i++) {
    const c = d[i]!;
    if (c >= 0x80) {
      // U+FFFD: three non-NUL bytes.
      if (nul >= 0) return true;
      pos += 3;
      continue;
    }
    if (c === 0) {
      if (nul < 0) nul = pos;
    } else if (nul >= 0) return true;
    pos++;
  }
  return false;
}

/** The first `n` bytes of `s` in UTF-8, whole characters only. */
function cutUtf8(s: string, n: number): string {
  const b = Buffer.from(s, "utf8");
  if (b.length <= n) return s;
  let end = n;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end).toString("utf8");
}

/** Point code texts already shown, by point code (24 bits) and network indicator. */
const PC_TEXT_CAP = 65_536;
const newPcTexts = (): Map<number, string> => new Map();

/**
 * A point code as the address columns show it: in decimal (Wireshark's unstructured ITU default).
 * tshark 4.0 reuses the text it made for an earlier point code equal in its low 24 bits and
 * network indicator, so a code with a nonzero top byte (never valid) may show an earlier one's.
 */
function pointCodeText(p: Packet, pc: number, ni: number): string {
  const texts = p.session.store("m3ua.pc", newPcTexts);
  const key = (pc & 0xffffff) + ni * 0x1000000;
  let s = texts.get(key);
  if (s === undefined) {
    if (texts.size >= PC_TEXT_CAP) texts.clear();
    s = String(pc);
    texts.set(key, s);
  }
  return s;
}

/** A 32-bit value shown after the parameter's name as "(value)". */
function numbered(t: Tree, item: Node | null, f: typeof hf.asp_identifier, v: number): void {
  const x = get32(t, v);
  t.uint(f, v, 4, x);
  app(item, ` (${x})`);
}

/** A 32-bit code shown after the parameter's name by its name ("unknown" when it has none). */
function valued(t: Tree, item: Node | null, f: typeof hf.error_code, v: number, unknown: string): void {
  const x = get32(t, v);
  t.uint(f, v, 4, x);
  app(item, ` (${f.strings?.get(x) ?? unknown})`);
}

/** Parameters inside a parameter (routing key, registration and deregistration results). */
function nested(c: Ctx, v: number, len: number): void {
  const t = c.t;
  const end = v + len;
  if (end <= t.rep) {
    within(t, end, () => parameters(c, v));
    return;
  }
  // A sub-buffer longer than its container (inside a parameter longer than the message): Wireshark
  // reads on to its claimed end, past the container, a contained error.
  const mark = t.mark();
  try {
    parameters(c, v);
  } catch (x) {
    if (x !== MALFORMED) throw x;
  }
  t.restore(mark);
  throw CONTAINED;
}

/** The Protocol Data parameter: the routing label, then the user part to its dissector. */
function protocolData(c: Ctx, off: number, length: number, item: Node | null): void {
  const t = c.t, p = c.p;
  const d = t.d;
  const v = off + 4;
  t.check(v + 8, 1);
  const si = d[v + 8]!;
  const ulp = (length - 16) & 0xffff;
  t.check(v + 12, 0);
  const dpc = get32(t, v + 4), opc = get32(t, v);
  t.check(v + 9, 1);
  const ni = d[v + 9]!;
  p.setDstText(pointCodeText(p, dpc, ni));
  p.setSrcText(pointCodeText(p, opc, ni));
  if (c.tree) {
    t.uint(hf.protocol_data_opc, v, 4, opc);
    t.uint(hf.protocol_data_dpc, v + 4, 4, dpc);
    t.uint(hf.protocol_data_si, v + 8, 1, si);
    t.uint(hf.protocol_data_ni, v + 9, 1, ni);
    t.check(v + 10, 2);
    t.uint(hf.protocol_data_mp, v + 10, 1, d[v + 10]!);
    t.uint(hf.protocol_data_sls, v + 11, 1, d[v + 11]!);
    app(item, ` (SS7 message of ${ulp} byte${plural(ulp)})`);
    t.text("[MTP3 equivalents]", off, 0);
    t.down();
    t.uint(mtp3Equiv.opc, v, 4, opc);
    t.uint(mtp3Equiv.dpc, v + 4, 4, dpc);
    t.uint(mtp3Equiv.pc, v, 4, opc);
    t.uint(mtp3Equiv.pc, v + 4, 4, dpc);
    t.uint(mtp3Equiv.ni, v + 9, 1, ni);
    t.uint(mtp3Equiv.sls, v + 11, 1, d[v + 11]!);
    t.up();
  }
  const user = v + 12;
  const next = mtp3ServiceIndicators.get(si);
  atNode(t, c.parent, () => {
    t.enter(user + ulp);
    if (next) next(p, t, user);
    else callData(p, t, user);
    t.leave();
  }, c.parentDepth);
}

sctpPpis.set(3, dissectM3ua);
sctpPorts.add(2905, dissectM3ua);

