// IEEE 802.1ag Connectivity Fault Management and ITU-T Y.1731 Ethernet OAM (ethertype 0x8902),
// as Wireshark 4.0 shows them.
//   MD level (top 3 bits) and version (low 5 bits) 0 | opcode 1 | flags 2 | first TLV offset 3 |
//   opcode-specific PDU 4.. | TLVs up to and including an End TLV (type 0, no length).
//   A TLV is type 1 | length 2 | value.
// Wireshark's layout, which arpx follows: the PDU and the TLVs are items of their own at the top
// level, next to the protocol item; the TLVs start where the opcode's fixed fields end (whatever
// the first TLV offset says), and each TLV's successor starts where the fields read from it end,
// which for a lying Sender ID or Reply Ingress/Egress TLV is not where its length says.
import { Base, FT, registerProtocol, vals, type Field } from "../fields.js";
import { etherTypes } from "../dispatch.js";
import { formatString, hex2 } from "../format.js";
import { ouiName } from "../mac-names.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

const LEVEL_VERSION = 0, OPCODE = 1, FLAGS = 2, FIRST_TLV = 3;
const MAID_LEN = 48, ITU_LEN = 16;

const enum Op {
  CCM = 0x01, LBR = 0x02, LBM = 0x03, LTR = 0x04, LTM = 0x05, GNM = 0x20, AIS = 0x21, LCK = 0x23, TST = 0x25,
  APS = 0x27, RAPS = 0x28, MCC = 0x29, LMR = 0x2a, LMM = 0x2b, ODM = 0x2d, DMR = 0x2e, DMM = 0x2f, EXR = 0x30,
  EXM = 0x31, VSR = 0x32, VSM = 0x33, CSF = 0x34, OSL = 0x35, SLR = 0x36, SLM = 0x37,
}

const enum Tlv {
  END = 0x00, SENDER_ID = 0x01, PORT_STATUS = 0x02, DATA = 0x03, INTERFACE_STATUS = 0x04, REPLY_INGRESS = 0x05,
  REPLY_EGRESS = 0x06, LTM_EGRESS_ID = 0x07, LTR_EGRESS_ID = 0x08, ORG_SPECIFIC = 0x1f, TEST = 0x20,
  /** Y.1731's Test ID TLV: Wireshark 4.0 takes its length as 4 whatever the length field says. */
  TEST_ID = 0x24,
}

const OPCODES = vals({
  0: "Reserved for IEEE 802.1", 1: "Continuity Check Message (CCM)", 2: "Loopback Reply (LBR)", 3: "Loopback Message (LBM)",
  4: "Linktrace Reply (LTR)", 5: "Linktrace Message (LTM)", 32: "Generic Notification Message (GNM)",
  33: "Alarm Indication Signal (AIS)", 35: "Lock Signal (LCK)", 37: "Test Signal (TST)", 39: "Automatic Protection Switching (APS)",
  40: "Ring-Automatic Protection Switching (R-APS)", 41: "Maintenance Communication Channel (MCC)",
  43: "Loss Measurement Message (LMM)", 42: "Loss Measurement Reply (LMR)", 45: "One Way Delay Measurement (1DM)",
  47: "Delay Measurement Message (DMM)", 46: "Delay Measurement Reply (DMR)", 49: "Experimental OAM Message (EXM)",
  48: "Experimental OAM Reply (EXR)", 51: "Vendor Specific Message (VSM)", 50: "Vendor Specific Reply (VSR)",
  52: "Client Signal Fail (CSF)", 53: "One Way Synthetic Loss Measurement (1SL)", 55: "Synthetic Loss Message (SLM)",
  54: "Synthetic Loss Reply (SLR)",
});
const INTERVALS = vals({
  0: "invalid", 1: "Trans Int 3.33ms, max Lifetime 11.66ms, min Lifetime 10.83ms", 2: "Trans Int 10ms, max Lifetime 35ms, min Lifetime 32.5ms",
  3: "Trans Int 100ms, max Lifetime 350ms, min Lifetime 325ms", 4: "Trans Int 1s, max Lifetime 3.5s, min Lifetime 3.25s",
  5: "Trans Int 10s, max Lifetime 35s, min Lifetime 32.5s", 6: "Trans Int 1min, max Lifetime 3.5min, min Lifetime 3.25min",
  7: "Trans Int 10min, max Lifetime 35min, min Lifetime 32.5min",
});
const MD_NAME_FORMATS = vals({
  0: "Reserved for IEEE 802.1", 1: "No Maintenance Domain Name present", 2: "RFC1035 DNS Name", 3: "MAC address + 2-octet integer",
  4: "Character String",
});
const MA_NAME_FORMATS = vals({
  0: "Reserved for IEEE 802.1", 1: "Primary VID", 2: "Character String", 3: "2-octet integer", 4: "RFC 2685 VPN ID", 32: "ICC-based Format",
});
const RELAY_ACTIONS = vals({ 1: "RlyHit", 2: "RlyFDB", 3: "RlyMPDB" });
const BAD_PERIOD = "Invalid Value for AIS/LCK PDU's";
const AIS_LCK_PERIODS = vals({ 0: BAD_PERIOD, 1: BAD_PERIOD, 2: BAD_PERIOD, 3: BAD_PERIOD, 4: "1 frame per second", 5: BAD_PERIOD, 6: "1 frame per minute", 7: BAD_PERIOD });
const GNM_SUBOPCODES = vals({ 1: "Bandwidth Notification Message" });
const APS_REQUEST_STATES = vals({
  0: "No request", 1: "Do not revert", 2: "Reverse request", 3: "Unknown", 4: "Exercise", 5: "Wait to restore", 6: "Depreciated",
  7: "Manual switch", 8: "Unknown", 9: "Signal degrade", 10: "Unknown", 11: "Signal fail working", 12: "Unknown", 13: "Forced switch",
  14: "Signal fail protection", 15: "Lockout",
});
/** R-APS shares cfm.raps.req.st with APS in Wireshark, with its own base (hex) and names. */
const RAPS_REQUEST_STATES = vals({ 0: "No Request", 7: "Manual Switch", 11: "Signal Failure", 13: "Forced Switch", 14: "Event" });
const RAPS_EVENT = 14;
const SIGNALS = vals({ 0: "Null", 1: "Normal traffic" });
const BRIDGE_TYPES = vals({ 0: "Selector", 1: "Broadcast" });
const CSF_TYPES = vals({ 0: "LOS", 1: "FDI/AIS", 2: "RDI", 3: "DCI" });
const FFS = "For further study";
const CSF_PERIODS = vals({ 0: "Invalid", 1: FFS, 2: FFS, 3: FFS, 4: "1s", 5: FFS, 6: "1 min", 7: FFS });
const TLV_TYPES = vals({
  0: "End TLV", 1: "Sender ID TLV", 2: "Port Status TLV", 3: "Data TLV", 4: "Interface Status TLV", 5: "Reply Ingress TLV",
  6: "Reply Egress TLV", 7: "LTM Egress Identifier TLV", 8: "LTR Egress Identifier TLV", 13: "Generic Notification Message TLV",
  31: "Organizational-Specific TLV", 32: "Test TLV",
});
const PORT_STATUS = vals({ 1: "psBlocked", 2: "psUp" });
const INTERFACE_STATUS = vals({ 1: "isUp", 2: "isDown", 3: "isTesting", 4: "isUnknown", 5: "isDormant", 6: "isNotPresent", 7: "isLowerLayerDown" });
const INGRESS_ACTIONS = vals({ 1: "IngOK", 2: "IngDown", 3: "IngBlocked", 4: "IngVID" });
const EGRESS_ACTIONS = vals({ 1: "EgrOK", 2: "EgrDown", 3: "EgrBlocked", 4: "EgrVID" });
const TEST_PATTERNS = vals({
  0: "Null signal without CRC-32", 1: "Null signal with CRC-32", 2: "PRBS (2.e-31 -1), without CRC-32", 3: "PRBS (2.e-31 -1), with CRC-32",
});

export const hf = registerProtocol("cfm", "CFM EOAM 802.1ag/ITU Protocol", {
  md_level: { abbrev: "cfm.md.level", name: "CFM MD Level", type: FT.UINT8, mask: 0xe0 },
  version: { abbrev: "cfm.version", name: "CFM Version", type: FT.UINT8, mask: 0x1f },
  opcode: { abbrev: "cfm.opcode", name: "CFM OpCode", type: FT.UINT8, strings: OPCODES },
  ccm_pdu: { abbrev: "cfm.ccm.pdu", name: "CFM CCM PDU", type: FT.NONE },
  flags: { abbrev: "cfm.flags", name: "Flags", type: FT.UINT8, base: Base.HEX },
  flags_rdi: { abbrev: "cfm.flags.rdi", name: "RDI", type: FT.UINT8, mask: 0x80 },
  flags_ccm_reserved: { abbrev: "cfm.flags.ccm.reserved", name: "Reserved", type: FT.UINT8, mask: 0x78 },
  flags_interval: { abbrev: "cfm.flags.interval", name: "Interval Field", type: FT.UINT8, mask: 0x7, strings: INTERVALS },
  first_tlv_offset: { abbrev: "cfm.first.tlv.offset", name: "First TLV Offset", type: FT.UINT8 },
  ccm_seq_num: { abbrev: "cfm.ccm.seq.num", name: "Sequence Number", type: FT.UINT32 },
  ccm_ma_ep_id: { abbrev: "cfm.ccm.ma.ep.id", name: "Maintenance Association End Point Identifier", type: FT.UINT16, mask: 0x1fff },
  ccm_maid: { abbrev: "cfm.ccm.maid", name: "Maintenance Association Identifier (MEG ID)", type: FT.NONE },
  md_name_format: { abbrev: "cfm.maid.md.name.format", name: "MD Name Format", type: FT.UINT8, strings: MD_NAME_FORMATS },
  md_name_length: { abbrev: "cfm.maid.md.name.length", name: "MD Name Length", type: FT.UINT8 },
  md_name_string: { abbrev: "cfm.maid.md.name.string", name: "MD Name (String)", type: FT.STRING },
  md_name_hex: { abbrev: "cfm.maid.md.name.hex", name: "MD Name", type: FT.BYTES },
  md_name_mac: { abbrev: "cfm.maid.md.name.mac", name: "MD Name (MAC)", type: FT.ETHER },
  md_name_mac_id: { abbrev: "cfm.maid.md.name.mac.id", name: "MD Name (MAC)", type: FT.BYTES },
  ma_name_format: { abbrev: "cfm.maid.ma.name.format", name: "Short MA Name (MEG ID) Format", type: FT.UINT8, strings: MA_NAME_FORMATS },
  ma_name_length: { abbrev: "cfm.maid.ma.name.length", name: "Short MA Name (MEG ID) Length", type: FT.UINT8 },
  ma_name_string: { abbrev: "cfm.maid.ma.name.string", name: "Short MA Name", type: FT.STRING },
  ma_name_hex: { abbrev: "cfm.maid.ma.name.hex", name: "Short MA Name", type: FT.BYTES },
  maid_padding: { abbrev: "cfm.ccm.maid.padding", name: "Zero-Padding", type: FT.NONE },
  ccm_itu: { abbrev: "cfm.ccm.itu.t.y1731", name: "Defined by ITU-T Y.1731", type: FT.NONE },
  itu_txfcf: { abbrev: "cfm.itu.txfcf", name: "TxFCf", type: FT.BYTES },
  itu_rxfcb: { abbrev: "cfm.itu.rxfcb", name: "RxFCb", type: FT.BYTES },
  itu_txfcb: { abbrev: "cfm.itu.txfcb", name: "TxFCb", type: FT.BYTES },
  itu_reserved: { abbrev: "cfm.itu.reserved", name: "Reserved", type: FT.BYTES },
  lbm_pdu: { abbrev: "cfm.lbm.pdu", name: "CFM LBM PDU", type: FT.NONE },
  lb_transaction_id: { abbrev: "cfm.lb.transaction.id", name: "Loopback Transaction Identifier", type: FT.UINT32 },
  lbr_pdu: { abbrev: "cfm.lbr.pdu", name: "CFM LBR PDU", type: FT.NONE },
  ltm_pdu: { abbrev: "cfm.ltm.pdu", name: "CFM LTM PDU", type: FT.NONE },
  flags_usefdbonly: { abbrev: "cfm.flags.usefdbonly", name: "UseFDBonly", type: FT.UINT8, mask: 0x80 },
  flags_ltm_reserved: { abbrev: "cfm.flags.ltm.reserved", name: "Reserved", type: FT.UINT8, mask: 0x7f },
  lt_transaction_id: { abbrev: "cfm.lt.transaction.id", name: "Linktrace Transaction Identifier", type: FT.UINT32 },
  lt_ttl: { abbrev: "cfm.lt.ttl", name: "Linktrace TTL", type: FT.UINT8 },
  ltm_orig_addr: { abbrev: "cfm.ltm.orig.addr", name: "Linktrace Message: Original Address", type: FT.ETHER },
  ltm_targ_addr: { abbrev: "cfm.ltm.targ.addr", name: "Linktrace Message:   Target Address", type: FT.ETHER },
  ltr_pdu: { abbrev: "cfm.ltr.pdu", name: "CFM LTR PDU", type: FT.NONE },
  flags_fwdyes: { abbrev: "cfm.flags.fwdyes", name: "FwdYes", type: FT.UINT8, mask: 0x40 },
  flags_ltr_terminalmep: { abbrev: "cfm.flags.ltr.terminalmep", name: "TerminalMEP", type: FT.UINT8, mask: 0x20 },
  flags_ltr_reserved: { abbrev: "cfm.flags.ltr.reserved", name: "Reserved", type: FT.UINT8, mask: 0x1f },
  ltr_relay_action: { abbrev: "cfm.ltr.relay.action", name: "Linktrace Reply Relay Action", type: FT.UINT8, strings: RELAY_ACTIONS },
  ais_pdu: { abbrev: "cfm.ais.pdu", name: "CFM AIS PDU", type: FT.NONE },
  flags_ais_lck_reserved: { abbrev: "cfm.flags.ais_lck_Reserved", name: "Reserved", type: FT.UINT8, mask: 0xf8 },
  flags_ais_lck_period: { abbrev: "cfm.flags.ais_lck_Period", name: "Period", type: FT.UINT8, mask: 0x7, strings: AIS_LCK_PERIODS },
  gnm_pdu: { abbrev: "cfm.gnm.pdu", name: "CFM GNM PDU", type: FT.NONE },
  gnm_subopcode: { abbrev: "cfm.gnm.subopcode", name: "Sub-OpCode", type: FT.UINT8, base: Base.HEX, strings: GNM_SUBOPCODES },
  gnm_bnm_pdu: { abbrev: "cfm.gnm.bnm.pdu", name: "CFM GNM BNM PDU", type: FT.NONE },
  gnm_bnm_nominal_bw: { abbrev: "cfm.gnm.bnm.nominal.bw", name: "Nominal Bandwidth", type: FT.UINT32 },
  gnm_bnm_current_bw: { abbrev: "cfm.gnm.bnm.current.bw", name: "Current Bandwidth", type: FT.UINT32 },
  gnm_bnm_port_id: { abbrev: "cfm.gnm.bnm.port.id", name: "Port ID", type: FT.UINT32 },
  lck_pdu: { abbrev: "cfm.lck.pdu", name: "CFM LCK PDU", type: FT.NONE },
  tst_pdu: { abbrev: "cfm.tst.pdu", name: "CFM TST PDU", type: FT.NONE },
  flags_reserved: { abbrev: "cfm.flags.reserved", name: "Reserved", type: FT.UINT8 },
  tst_sequence_num: { abbrev: "cfm.tst.sequence.num", name: "Sequence Number", type: FT.UINT32 },
  aps_pdu: { abbrev: "cfm.aps.pdu", name: "CFM APS PDU", type: FT.NONE },
  // One field in Wireshark for APS (decimal) and R-APS (hexadecimal, other names): R-APS values
  // are recorded as their hex text (see raps()).
  req_st: { abbrev: "cfm.raps.req.st", name: "Request/State", type: FT.UINT8, mask: 0xf0, strings: APS_REQUEST_STATES },
  aps_protec_type_a: { abbrev: "cfm.aps.protec.type.A", name: "Protection type A", type: FT.BOOLEAN, mask: 0x8, bitWidth: 8, tfs: ["APS channel", "No APS channel"] },
  aps_protec_type_b: { abbrev: "cfm.aps.protec.type.B", name: "Protection type B", type: FT.BOOLEAN, mask: 0x4, bitWidth: 8, tfs: ["1:1 (no permanent bridge)", "1+1 (permanent bridge)"] },
  aps_protec_type_d: { abbrev: "cfm.aps.protec.type.D", name: "Protection type D", type: FT.BOOLEAN, mask: 0x2, bitWidth: 8, tfs: ["Bidirectional switching", "Unidirectional switching"] },
  aps_protec_type_r: { abbrev: "cfm.aps.protec.type.R", name: "Protection type R", type: FT.BOOLEAN, mask: 0x1, bitWidth: 8, tfs: ["Revertive operation", "Non-revertive operation"] },
  aps_req_sgnl: { abbrev: "cfm.aps.req.sgnl", name: "Requested signal", type: FT.UINT8, base: Base.HEX, strings: SIGNALS },
  aps_brdgd_sgnl: { abbrev: "cfm.aps.brdgd.sgnl", name: "Bridged signal", type: FT.UINT8, base: Base.HEX, strings: SIGNALS },
  aps_bridge_type: { abbrev: "cfm.aps.bridge.type", name: "Bridge type", type: FT.UINT8, base: Base.HEX, mask: 0x80, strings: BRIDGE_TYPES },
  raps_pdu: { abbrev: "cfm.raps.pdu", name: "CFM R-APS PDU", type: FT.NONE },
  raps_event_subcode: { abbrev: "cfm.raps.event.subcode", name: "Sub-code", type: FT.UINT8, base: Base.HEX, mask: 0xf, strings: vals({ 0: "Flush Request" }) },
  raps_flags: { abbrev: "cfm.raps.flags", name: "R-APS Flags", type: FT.UINT8, base: Base.HEX },
  raps_flags_rb: { abbrev: "cfm.raps.flags.rb", name: "RPL Blocked", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: ["Blocked", "Not Blocked"] },
  raps_flags_dnf: { abbrev: "cfm.raps.flags.dnf", name: "Do Not Flush", type: FT.BOOLEAN, mask: 0x40, bitWidth: 8, tfs: ["Do Not Flush DB", "May Flush DB"] },
  raps_flags_bpr: { abbrev: "cfm.raps.flags.bpr", name: "Blocked Port Reference", type: FT.BOOLEAN, mask: 0x20, bitWidth: 8, tfs: ["Ring link 1", "Ring link 0"] },
  raps_node_id: { abbrev: "cfm.raps.node.id", name: "R-APS Node ID", type: FT.ETHER },
  raps_reserved: { abbrev: "cfm.raps.reserved", name: "R-APS Reserved", type: FT.BYTES },
  mcc_pdu: { abbrev: "cfm.mcc.pdu", name: "CFM MCC PDU", type: FT.NONE },
  mcc_data: { abbrev: "cfm.mcc.data", name: "MCC data", type: FT.BYTES },
  lmm_pdu: { abbrev: "cfm.lmm.pdu", name: "CFM LMM PDU", type: FT.NONE },
  lmm_lmr_txfcf: { abbrev: "cfm.lmm.lmr.txfcf", name: "TxFCf", type: FT.BYTES },
  lmm_lmr_rxfcf: { abbrev: "cfm.lmm.lmr.rxfcf", name: "RxFCf", type: FT.BYTES },
  lmm_lmr_txfcb: { abbrev: "cfm.lmm.lmr.txfcb", name: "TxFCb", type: FT.BYTES },
  lmr_pdu: { abbrev: "cfm.lmr.pdu", name: "CFM LMR PDU", type: FT.NONE },
  odm_pdu: { abbrev: "cfm.odm.pdu", name: "CFM 1DM PDU", type: FT.NONE },
  txtimestampf: { abbrev: "cfm.odm.dmm.dmr.txtimestampf", name: "TxTimestampf", type: FT.BYTES },
  rxtimestampf: { abbrev: "cfm.odm.dmm.dmr.rxtimestampf", name: "RxTimestampf", type: FT.BYTES },
  dmm_pdu: { abbrev: "cfm.dmm.pdu", name: "CFM DMM PDU", type: FT.NONE },
  txtimestampb: { abbrev: "cfm.dmm.dmr.txtimestampb", name: "TxTimestampb", type: FT.BYTES },
  rxtimestampb: { abbrev: "cfm.dmm.dmr.rxtimestampb", name: "RxTimestampb", type: FT.BYTES },
  dmr_pdu: { abbrev: "cfm.dmr.pdu", name: "CFM DMR PDU", type: FT.NONE },
  exm_pdu: { abbrev: "cfm.exm.pdu", name: "CFM EXM PDU", type: FT.NONE },
  exm_exr_data: { abbrev: "cfm.exm_exr.data", name: "EXM/EXR data", type: FT.BYTES },
  exr_pdu: { abbrev: "cfm.exr.pdu", name: "CFM EXR PDU", type: FT.NONE },
  vsm_pdu: { abbrev: "cfm.vsm.pdu", name: "CFM VSM PDU", type: FT.NONE },
  vsm_vsr_data: { abbrev: "cfm.vsm_vsr.data", name: "VSM/VSR data", type: FT.BYTES },
  vsr_pdu: { abbrev: "cfm.vsr.pdu", name: "CFM VSR PDU", type: FT.NONE },
  csf_pdu: { abbrev: "cfm.csf.pdu", name: "CFM CSF PDU", type: FT.NONE },
  csf_flags_reserved: { abbrev: "cfm.csf.flags.Reserved", name: "Reserved", type: FT.UINT8, base: Base.HEX, mask: 0xc0 },
  csf_flags_type: { abbrev: "cfm.csf.flags.Type", name: "Type", type: FT.UINT8, mask: 0x38, strings: CSF_TYPES },
  csf_flags_period: { abbrev: "cfm.csf.flags.Period", name: "Type", type: FT.UINT8, mask: 0x7, strings: CSF_PERIODS },
  osl_pdu: { abbrev: "cfm.osf.pdu", name: "CFM 1SL PDU", type: FT.NONE },
  osl_src_mep_id: { abbrev: "cfm.osl.src_mep_id", name: "Source MEP ID", type: FT.UINT16, mask: 0x1fff },
  osl_reserved: { abbrev: "cfm.osl.reserved", name: "1SL Reserved", type: FT.BYTES },
  osl_test_id: { abbrev: "cfm.osl.test_id", name: "TestID", type: FT.BYTES },
  osl_txfcf: { abbrev: "cfm.osl.txfcf", name: "TxFcF", type: FT.UINT32 },
  slm_pdu: { abbrev: "cfm.slm.pdu", name: "CFM SLM PDU", type: FT.NONE },
  slr_pdu: { abbrev: "cfm.slr.pdu", name: "CFM SLR PDU", type: FT.NONE },
  slm_src_mep_id: { abbrev: "cfm.slm.src_mep_id", name: "Source MEP ID", type: FT.UINT16, mask: 0x1fff },
  slr_rsp_mep_id: { abbrev: "cfm.slr.rsp_mep_id", name: "Responder MEP ID", type: FT.UINT16, mask: 0x1fff },
  slm_test_id: { abbrev: "cfm.slm.test_id", name: "TestID", type: FT.BYTES },
  slm_txfcf: { abbrev: "cfm.slm.txfcf", name: "TxFcF", type: FT.UINT32 },
  slr_txfcb: { abbrev: "cfm.slr.txfcb", name: "TxFcB", type: FT.UINT32 },
  all_tlvs: { abbrev: "cfm.all.tlvs", name: "CFM TLVs", type: FT.NONE },
  tlv_type: { abbrev: "cfm.tlv.type", name: "TLV Type", type: FT.UINT8, strings: TLV_TYPES },
  tlv_length: { abbrev: "cfm.tlv.length", name: "TLV Length", type: FT.UINT16 },
  chassis_id_length: { abbrev: "cfm.tlv.chassis.id.length", name: "Chassis ID Length", type: FT.UINT8 },
  chassis_id_subtype: { abbrev: "cfm.tlv.chassis.id.subtype", name: "Chassis ID Sub-type", type: FT.UINT8 },
  chassis_id: { abbrev: "cfm.tlv.chassis.id", name: "Chassis ID", type: FT.BYTES },
  ma_domain_length: { abbrev: "cfm.tlv.ma.domain.length", name: "Management Address Domain Length", type: FT.UINT8 },
  ma_domain: { abbrev: "cfm.tlv.ma.domain", name: "Management Address Domain", type: FT.BYTES },
  management_addr_length: { abbrev: "cfm.tlv.management.addr.length", name: "Management Address Length", type: FT.UINT8 },
  management_addr: { abbrev: "cfm.tlv.management.addr", name: "Management Address", type: FT.BYTES },
  port_status_value: { abbrev: "cfm.tlv.port.status.value", name: "Port Status value", type: FT.UINT8, strings: PORT_STATUS },
  data_value: { abbrev: "cfm.tlv.data.value", name: "Data Value", type: FT.BYTES },
  interface_status_value: { abbrev: "cfm.tlv.port.interface.value", name: "Interface Status value", type: FT.UINT8, strings: INTERFACE_STATUS },
  reply_ingress_action: { abbrev: "cfm.tlv.reply.ingress.action", name: "Ingress Action", type: FT.UINT8, strings: INGRESS_ACTIONS },
  reply_ingress_mac: { abbrev: "cfm.tlv.reply.ingress.mac.address", name: "Ingress MAC address", type: FT.ETHER },
  portid_length: { abbrev: "cfm.tlv.reply.ing.egr.portid.length", name: "Chassis ID Length", type: FT.UINT8 },
  portid_subtype: { abbrev: "cfm.tlv.reply.ing.egr.portid.subtype", name: "Chassis ID Sub-type", type: FT.UINT8 },
  portid: { abbrev: "cfm.tlv.reply.ing.egr.portid", name: "Chassis ID", type: FT.BYTES },
  reply_egress_action: { abbrev: "cfm.tlv.reply.egress.action", name: "Egress Action", type: FT.UINT8, strings: EGRESS_ACTIONS },
  reply_egress_mac: { abbrev: "cfm.tlv.reply.egress.mac.address", name: "Egress MAC address", type: FT.ETHER },
  ltm_egress_id_mac: { abbrev: "cfm.tlv.ltm.egress.id.mac", name: "Egress Identifier - MAC of LT Initiator/Responder", type: FT.ETHER },
  ltm_egress_id_ui: { abbrev: "cfm.tlv.ltm.egress.id.ui", name: "Egress Identifier - Unique Identifier", type: FT.BYTES },
  ltr_egress_last_id_mac: { abbrev: "cfm.tlv.ltr.egress.last.id.mac", name: "Last Egress Identifier - MAC address", type: FT.ETHER },
  ltr_egress_last_id_ui: { abbrev: "cfm.tlv.ltr.egress.last.id.ui", name: "Last Egress Identifier - Unique Identifier", type: FT.BYTES },
  ltr_egress_next_id_mac: { abbrev: "cfm.tlv.ltr.egress.next.id.mac", name: "Next Egress Identifier - MAC address", type: FT.ETHER },
  ltr_egress_next_id_ui: { abbrev: "cfm.tlv.ltr.egress.next.id.ui", name: "Next Egress Identifier - Unique Identifier", type: FT.BYTES },
  // BASE_OUI in Wireshark: exported as a decimal number, shown as "00:19:a7 (Itu-T)".
  org_spec_oui: { abbrev: "cfm.tlv.org.spec.oui", name: "OUI", type: FT.UINT24 },
  org_spec_subtype: { abbrev: "cfm.tlv.org.spec.subtype", name: "Sub-Type", type: FT.BYTES },
  org_spec_value: { abbrev: "cfm.tlv.org.spec.value", name: "Value", type: FT.BYTES },
  tst_test_pattern_type: { abbrev: "cfm.tlv.tst.test.pattern.type", name: "Test Pattern Type", type: FT.UINT8, strings: TEST_PATTERNS },
  tst_test_pattern: { abbrev: "cfm.tlv.tst.test.pattern", name: "Test Pattern", type: FT.NONE },
  tst_crc32: { abbrev: "cfm.tlv.tst.crc32", name: "CRC-32", type: FT.BYTES },
});

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

/**
 * "00:19:a7 (Itu-T)": a BASE_OUI value as the tree shows it. Wireshark 4.0 formats it in a
 * 32-byte buffer: a longer manufacturer's name is cut ("00:10:00 (Cable Television Labo").
 */
export function ouiLabel(v: number): string {
  const text = `${hex2(v >>> 16)}:${hex2((v >>> 8) & 0xff)}:${hex2(v & 0xff)}`;
  const name = ouiName(v);
  return name === undefined ? text : `${text} (${name})`.slice(0, OUI_LABEL_MAX);
}

const OUI_LABEL_MAX = 31;

/** Bytes as an ENC_ASCII string value: bytes past 0x7f are not ASCII (U+FFFD). */
export function asciiValue(d: Uint8Array, o: number, len: number): string {
  let s = "";
  for (let i = o; i < o + len; i++) {
    const c = d[i]!;
    s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
  }
  return s;
}

/**
 * An item that runs to the end of the bytes (Wireshark's length -1): at least one byte must be
 * there. Returns the length to give it.
 */
function toEnd(t: Tree, o: number): number {
  t.check(o, 1);
  return t.cap - o;
}

/**
 * An FT_NONE item of `len` bytes: it must start within the bytes (or right at their end), and
 * Wireshark cuts it at their end (a negative length shows as empty).
 */
function none(t: Tree, f: Field, o: number, len: number): void {
  t.check(o, 0);
  t.none(f, o, len < 0 ? 0 : Math.min(len, t.cap - o));
}

/** An ASCII string field of `len` bytes at `o`. */
function ascii(t: Tree, f: Field, o: number, len: number): void {
  t.check(o, len);
  if (t.wants(f)) {
    const s = asciiValue(t.d, o, len);
    t.str(f, o, len, s);
    if (t.full) t.label(`${f.name}: ${formatString(s)}`);
  }
}

function oui(t: Tree, o: number): void {
  t.check(o, 3);
  const v = (t.d[o]! << 16) | (t.d[o + 1]! << 8) | t.d[o + 2]!;
  t.uint(hf.org_spec_oui, o, 3, v);
  if (t.full) t.label(`OUI: ${ouiLabel(v)}`);
}

/** The flags byte and its subfields (none: no subtree, as LBM and LBR have). */
function flags(t: Tree, o: number, bits: readonly Field[]): void {
  t.check(o, 1);
  const v = t.d[o]!;
  t.uint(hf.flags, o, 1, v);
  if (bits.length === 0) return;
  t.down();
  for (const f of bits) t.uint(f, o, 1, v);
  t.up();
}

const RESERVED = [hf.flags_reserved];
const AIS_LCK = [hf.flags_ais_lck_reserved, hf.flags_ais_lck_period];
const NO_BITS: readonly Field[] = [];
const CCM_FLAGS = [hf.flags_rdi, hf.flags_ccm_reserved, hf.flags_interval];
const LTM_FLAGS = [hf.flags_usefdbonly, hf.flags_ltm_reserved];
const LTR_FLAGS = [hf.flags_usefdbonly, hf.flags_fwdyes, hf.flags_ltr_terminalmep, hf.flags_ltr_reserved];
const CSF_FLAGS = [hf.csf_flags_reserved, hf.csf_flags_type, hf.csf_flags_period];

/**
 * An item of its own at the top level of the tree, running to the end of the bytes: tshark's
 * protocol hierarchy counts it as a layer.
 */
function topItem(p: Packet, t: Tree, f: Field, o: number): void {
  t.none(f, o, toEnd(t, o));
  p.topLayers.push(f.abbrev);
}

/** Opens the PDU item, adds the flags and the first TLV offset; returns the offset after them. */
function open(p: Packet, t: Tree, f: Field, o: number, bits: readonly Field[]): number {
  topItem(p, t, f, o);
  t.down();
  flags(t, o, bits);
  t.check(o + 1, 1);
  t.uint(hf.first_tlv_offset, o + 1, 1, t.d[o + 1]!);
  return o + 2;
}

function byte(t: Tree, f: Field, o: number): void {
  t.check(o, 1);
  t.uint(f, o, 1, t.d[o]!);
}

function uint32(t: Tree, f: Field, o: number): number {
  t.check(o, 4);
  t.uint(f, o, 4, u32(t.d, o));
  return o + 4;
}

function uint16(t: Tree, f: Field, o: number): number {
  t.check(o, 2);
  t.uint(f, o, 2, u16(t.d, o));
  return o + 2;
}

function bytes(t: Tree, f: Field, o: number, len: number): number {
  t.bytes(f, o, len);
  return o + len;
}

function ccm(p: Packet, t: Tree, o: number): number {
  const d = t.d;
  o = open(p, t, hf.ccm_pdu, o, CCM_FLAGS);
  o = uint32(t, hf.ccm_seq_num, o);
  o = uint16(t, hf.ccm_ma_ep_id, o);
  // The MAID: 48 bytes whatever the names inside say.
  const maid = o;
  none(t, hf.ccm_maid, o, MAID_LEN);
  t.down();
  t.check(o, 1);
  const mdFormat = d[o]!;
  t.uint(hf.md_name_format, o, 1, mdFormat);
  o++;
  if (mdFormat !== 1) {
    t.check(o, 1);
    const len = d[o]!;
    t.uint(hf.md_name_length, o, 1, len);
    o++;
    if (len !== 0) {
      if (mdFormat !== 3) ascii(t, hf.md_name_string, o, len);
      else if (len !== 8) t.bytes(hf.md_name_hex, o, len);
      else {
        t.ether(hf.md_name_mac, o);
        t.bytes(hf.md_name_mac_id, o + 6, 2);
      }
      o += len;
    }
  }
  t.check(o, 1);
  const maFormat = d[o]!;
  t.uint(hf.ma_name_format, o, 1, maFormat);
  t.check(o + 1, 1);
  const maLen = d[o + 1]!;
  t.uint(hf.ma_name_length, o + 1, 1, maLen);
  o += 2;
  if (maFormat === 2 || maFormat === 32) ascii(t, hf.ma_name_string, o, maLen);
  else t.bytes(hf.ma_name_hex, o, maLen);
  o += maLen;
  if (maid + MAID_LEN > o) none(t, hf.maid_padding, o, maid + MAID_LEN - o);
  t.up();
  o = maid + MAID_LEN;
  none(t, hf.ccm_itu, o, ITU_LEN);
  t.down();
  o = bytes(t, hf.itu_txfcf, o, 4);
  o = bytes(t, hf.itu_rxfcb, o, 4);
  o = bytes(t, hf.itu_txfcb, o, 4);
  o = bytes(t, hf.itu_reserved, o, 4);
  t.up();
  t.up();
  return o;
}

function gnm(p: Packet, t: Tree, o: number): number {
  o = open(p, t, hf.gnm_pdu, o, AIS_LCK);
  t.check(o, 1);
  const sub = t.d[o]!;
  t.uint(hf.gnm_subopcode, o, 1, sub);
  o++;
  t.up();
  if (sub !== 1) return o;
  // The Bandwidth Notification Message is an item of its own, after the GNM's.
  topItem(p, t, hf.gnm_bnm_pdu, o);
  t.down();
  o = uint32(t, hf.gnm_bnm_nominal_bw, o);
  o = uint32(t, hf.gnm_bnm_current_bw, o);
  o = uint32(t, hf.gnm_bnm_port_id, o);
  t.up();
  return o;
}

function aps(p: Packet, t: Tree, o: number): number {
  o = open(p, t, hf.aps_pdu, o, RESERVED);
  t.check(o, 1);
  const d = t.d;
  const v = d[o]!;
  t.uint(hf.req_st, o, 1, v);
  t.bool(hf.aps_protec_type_a, o, 1, v);
  t.bool(hf.aps_protec_type_b, o, 1, v);
  t.bool(hf.aps_protec_type_d, o, 1, v);
  t.bool(hf.aps_protec_type_r, o, 1, v);
  byte(t, hf.aps_req_sgnl, o + 1);
  byte(t, hf.aps_brdgd_sgnl, o + 2);
  byte(t, hf.aps_bridge_type, o + 3);
  t.up();
  return o + 4;
}

function raps(p: Packet, t: Tree, o: number, version: number): number {
  o = open(p, t, hf.raps_pdu, o, RESERVED);
  const d = t.d;
  t.check(o, 1);
  const v = d[o]!;
  const state = v >> 4;
  // cfm.raps.req.st as R-APS shows it: hexadecimal, with R-APS's own names.
  t.value(hf.req_st, o, 1, "0x" + hex2(state));
  if (t.full) t.label(`${nibble(state)} .... = Request/State: ${RAPS_REQUEST_STATES.get(state) ?? "Unknown"} (0x${state.toString(16)})`);
  if (version === 1 && state === RAPS_EVENT) t.uint(hf.raps_event_subcode, o, 1, v);
  o++;
  t.check(o, 1);
  const fl = d[o]!;
  t.uint(hf.raps_flags, o, 1, fl);
  t.down();
  t.bool(hf.raps_flags_rb, o, 1, fl);
  t.bool(hf.raps_flags_dnf, o, 1, fl);
  if (version === 1) t.bool(hf.raps_flags_bpr, o, 1, fl);
  t.up();
  o++;
  t.ether(hf.raps_node_id, o);
  o = bytes(t, hf.raps_reserved, o + 6, 24);
  t.up();
  return o;
}

function nibble(v: number): string {
  return v.toString(2).padStart(4, "0");
}

/** MCC, EXM/EXR, VSM/VSR: OUI, subtype and, as far as the first TLV offset says, data. */
function vendor(p: Packet, t: Tree, f: Field, data: Field, o: number, firstTlv: number): number {
  o = open(p, t, f, o, RESERVED);
  oui(t, o);
  o = bytes(t, hf.org_spec_subtype, o + 3, 1);
  const len = firstTlv - 4;
  if (len > 0) o = bytes(t, data, o, len);
  t.up();
  return o;
}

/** The opcode's fixed fields; returns where the TLVs start. */
function pdu(p: Packet, t: Tree, off: number, op: number): number {
  const o = off + FLAGS;
  const d = t.d;
  switch (op) {
    case Op.CCM: return ccm(p, t, o);
    case Op.LBM: case Op.LBR: {
      const e = uint32(t, hf.lb_transaction_id, open(p, t, op === Op.LBM ? hf.lbm_pdu : hf.lbr_pdu, o, NO_BITS));
      t.up();
      return e;
    }
    case Op.LTM: {
      let e = uint32(t, hf.lt_transaction_id, open(p, t, hf.ltm_pdu, o, LTM_FLAGS));
      t.check(e, 1);
      t.uint(hf.lt_ttl, e, 1, d[e]!);
      t.ether(hf.ltm_orig_addr, e + 1);
      t.ether(hf.ltm_targ_addr, e + 7);
      e += 13;
      t.up();
      return e;
    }
    case Op.LTR: {
      const e = uint32(t, hf.lt_transaction_id, open(p, t, hf.ltr_pdu, o, LTR_FLAGS));
      byte(t, hf.lt_ttl, e);
      byte(t, hf.ltr_relay_action, e + 1);
      t.up();
      return e + 2;
    }
    case Op.GNM: return gnm(p, t, o);
    case Op.AIS: case Op.LCK: {
      const e = open(p, t, op === Op.AIS ? hf.ais_pdu : hf.lck_pdu, o, AIS_LCK);
      t.up();
      return e;
    }
    case Op.TST: {
      const e = uint32(t, hf.tst_sequence_num, open(p, t, hf.tst_pdu, o, RESERVED));
      t.up();
      return e;
    }
    case Op.APS: return aps(p, t, o);
    case Op.RAPS: return raps(p, t, o, d[off + LEVEL_VERSION]! & 0x1f);
    case Op.MCC: return vendor(p, t, hf.mcc_pdu, hf.mcc_data, o, d[off + FIRST_TLV]!);
    case Op.EXM: case Op.EXR: return vendor(p, t, op === Op.EXM ? hf.exm_pdu : hf.exr_pdu, hf.exm_exr_data, o, d[off + FIRST_TLV]!);
    case Op.VSM: case Op.VSR: return vendor(p, t, op === Op.VSM ? hf.vsm_pdu : hf.vsr_pdu, hf.vsm_vsr_data, o, d[off + FIRST_TLV]!);
    case Op.LMM: case Op.LMR: {
      let e = open(p, t, op === Op.LMM ? hf.lmm_pdu : hf.lmr_pdu, o, RESERVED);
      e = bytes(t, hf.lmm_lmr_txfcf, e, 4);
      e = bytes(t, hf.lmm_lmr_rxfcf, e, 4);
      e = bytes(t, hf.lmm_lmr_txfcb, e, 4);
      t.up();
      return e;
    }
    case Op.ODM: case Op.DMM: case Op.DMR: {
      let e = open(p, t, op === Op.ODM ? hf.odm_pdu : op === Op.DMM ? hf.dmm_pdu : hf.dmr_pdu, o, RESERVED);
      e = bytes(t, hf.txtimestampf, e, 8);
      e = bytes(t, hf.rxtimestampf, e, 8);
      if (op !== Op.ODM) {
        e = bytes(t, hf.txtimestampb, e, 8);
        e = bytes(t, hf.rxtimestampb, e, 8);
      }
      t.up();
      return e;
    }
    case Op.CSF: {
      const e = open(p, t, hf.csf_pdu, o, CSF_FLAGS);
      t.up();
      return e;
    }
    case Op.OSL: {
      let e = open(p, t, hf.osl_pdu, o, RESERVED);
      e = uint16(t, hf.osl_src_mep_id, e);
      e = bytes(t, hf.osl_reserved, e, 2);
      e = bytes(t, hf.osl_test_id, e, 4);
      e = uint32(t, hf.osl_txfcf, e);
      e = bytes(t, hf.osl_reserved, e, 4);
      t.up();
      return e;
    }
    case Op.SLM: case Op.SLR: {
      let e = open(p, t, op === Op.SLM ? hf.slm_pdu : hf.slr_pdu, o, RESERVED);
      e = uint16(t, hf.slm_src_mep_id, e);
      e = uint16(t, hf.slr_rsp_mep_id, e);
      e = bytes(t, hf.slm_test_id, e, 4);
      e = uint32(t, hf.slm_txfcf, e);
      e = uint32(t, hf.slr_txfcb, e);
      t.up();
      return e;
    }
    default:
      // Unknown opcodes have no fixed fields: the TLVs are looked for right after the opcode.
      return o;
  }
}

/** A length-prefixed identifier (Sender ID's chassis, Reply Ingress/Egress's port): returns the end. */
function lengthAndId(t: Tree, o: number, lenF: Field, subtypeF: Field, idF: Field): number {
  t.check(o, 1);
  const len = t.d[o]!;
  t.uint(lenF, o, 1, len);
  o++;
  if (len > 0) {
    t.check(o, 1);
    t.uint(subtypeF, o, 1, t.d[o]!);
    t.bytes(idF, o + 1, len);
    o += 1 + len;
  }
  return o;
}

/** A TLV's value at `o` (`len` > 0); returns where the next TLV starts. */
function tlvValue(t: Tree, type: number, o: number, len: number): number {
  const d = t.d;
  switch (type) {
    case Tlv.SENDER_ID: {
      t.check(o, 1);
      const chassis = d[o]!;
      o = lengthAndId(t, o, hf.chassis_id_length, hf.chassis_id_subtype, hf.chassis_id);
      if (len > 2 + chassis) {
        t.check(o, 1);
        const domain = d[o]!;
        t.uint(hf.ma_domain_length, o, 1, domain);
        o++;
        if (domain > 0) o = bytes(t, hf.ma_domain, o, domain);
        if (len > 2 + chassis + 1 + domain) {
          t.check(o, 1);
          const addr = d[o]!;
          t.uint(hf.management_addr_length, o, 1, addr);
          o++;
          if (addr > 0) o = bytes(t, hf.management_addr, o, addr);
        }
      }
      return o;
    }
    case Tlv.PORT_STATUS:
      t.check(o, 1);
      t.uint(hf.port_status_value, o, 1, d[o]!);
      return o + 1;
    case Tlv.DATA:
      return bytes(t, hf.data_value, o, len);
    case Tlv.INTERFACE_STATUS:
      t.check(o, 1);
      t.uint(hf.interface_status_value, o, 1, d[o]!);
      return o + 1;
    case Tlv.REPLY_INGRESS: case Tlv.REPLY_EGRESS: {
      t.check(o, 1);
      t.uint(type === Tlv.REPLY_INGRESS ? hf.reply_ingress_action : hf.reply_egress_action, o, 1, d[o]!);
      t.ether(type === Tlv.REPLY_INGRESS ? hf.reply_ingress_mac : hf.reply_egress_mac, o + 1);
      o += 7;
      if (len > 7) o = lengthAndId(t, o, hf.portid_length, hf.portid_subtype, hf.portid);
      return o;
    }
    case Tlv.LTM_EGRESS_ID:
      t.bytes(hf.ltm_egress_id_ui, o, 2);
      t.ether(hf.ltm_egress_id_mac, o + 2);
      return o + 8;
    case Tlv.LTR_EGRESS_ID:
      t.bytes(hf.ltr_egress_last_id_ui, o, 2);
      t.ether(hf.ltr_egress_last_id_mac, o + 2);
      t.bytes(hf.ltr_egress_next_id_ui, o + 8, 2);
      t.ether(hf.ltr_egress_next_id_mac, o + 10);
      return o + 16;
    case Tlv.ORG_SPECIFIC:
      if (len > 3) {
        oui(t, o);
        t.bytes(hf.org_spec_subtype, o + 3, 1);
        t.bytes(hf.org_spec_value, o + 4, len - 4);
      }
      return o + len;
    case Tlv.TEST: {
      t.check(o, 1);
      const pattern = d[o]!;
      t.uint(hf.tst_test_pattern_type, o, 1, pattern);
      o++;
      // The pattern is an FT_NONE item: Wireshark cuts it to the bytes there are (and shows one of
      // a negative length as empty); the offsets follow the length field, however it lies.
      if (pattern === 0 || pattern === 2) {
        none(t, hf.tst_test_pattern, o, len - 1);
        o += len - 1;
      } else if (pattern === 1 || pattern === 3) {
        none(t, hf.tst_test_pattern, o, len - 5);
        o += len - 5;
        o = bytes(t, hf.tst_crc32, o, 4);
      }
      return o;
    }
    default:
      return o + len;
  }
}

function tlvName(type: number): string {
  return TLV_TYPES.get(type) ?? `Unknown (0x${hex2(type)})`;
}

function tlvs(p: Packet, t: Tree, o: number): void {
  const d = t.d;
  topItem(p, t, hf.all_tlvs, o);
  t.down();
  // Each TLV moves on by at least one byte, so the loop ends at the End TLV or the bytes' end.
  for (;;) {
    t.check(o, 1);
    const type = d[o]!;
    let len = 0;
    if (type !== Tlv.END) {
      t.check(o + 1, 2);
      len = u16(d, o + 1);
    }
    const shown = type === Tlv.TEST_ID ? 4 : len;
    const size = (type === Tlv.END ? 1 : 3) + shown;
    t.check(o, size);
    if (t.full) t.text(`TLV: ${tlvName(type)} (t=${type},l=${shown})`, o, size);
    t.down();
    t.uint(hf.tlv_type, o, 1, type);
    if (type === Tlv.END) {
      t.up();
      break;
    }
    t.uint(hf.tlv_length, o + 1, 2, len);
    o += 3;
    if (type === Tlv.TEST_ID) o += 4;
    else if (len !== 0) o = tlvValue(t, type, o, len);
    t.up();
  }
  t.up();
}

export function dissectCfm(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "CFM";
  if (p.wantCols) p.info.clear();
  if (!t.avail(off + OPCODE, 1)) {
    // The opcode is read before the protocol item is added: only frame.protocols names CFM.
    p.layers.push(hf.proto.abbrev);
    t.curProto = "CFM";
    t.check(off + OPCODE, 1);
  }
  const op = d[off + OPCODE]!;
  const name = OPCODES.get(op);
  if (p.wantCols) p.info.set(name !== undefined ? `Type ${name}` : `Type Unknown (0x${hex2(op)})`);
  t.proto(p, hf.proto, off, t.cap - off);
  t.curProto = "CFM";
  if (t.full) t.label(`CFM EOAM 802.1ag/ITU Protocol, Type ${name ?? `Unknown (0x${hex2(op)})`}`);
  t.uint(hf.md_level, off, 1, d[off]!);
  t.uint(hf.version, off, 1, d[off]!);
  t.uint(hf.opcode, off + OPCODE, 1, op);
  t.up();
  const end = pdu(p, t, off, op);
  // Wireshark reads the first TLV offset before the TLVs (though they start where the PDU ended).
  t.check(off + FIRST_TLV, 1);
  tlvs(p, t, end);
}

etherTypes.add(0x8902, dissectCfm);
