// SCTP fields (Wireshark 4.0's names, types and bases), and the parts of a chunk that need no
// association state: the variable-length parameters (RFC 9260 3.2.1, RFC 5061, RFC 4895,
// RFC 6525), the error causes of ABORT/ERROR (RFC 9260 3.3.10) and the fixed-format chunks.
// sctp.ts holds the packet and chunk loop, DATA/I-DATA, SACK/NR-SACK, TSN analysis, reassembly
// and the payload hand-off.
//
//   chunk:     type 0..1 | flags 1..2 | length 2..4 | value 4..length | padding to 4 bytes
//   parameter: type 0..2 | length 2..4 | value 4..length | padding to 4 bytes
//   cause:     code 0..2 | length 2..4 | information 4..length | padding to 4 bytes
//
// Lengths are read as Wireshark reads them, as 16-bit numbers: a length below the header's makes
// the value length wrap to a huge number, whose first read then fails (a malformed packet), as
// in tshark. Every loop advances by at least 4 bytes or reads past its bounds, so it ends.
import { Base, FT, registerExperts, registerProtocol, vals, type Field, type ValueStrings } from "../fields.js";
import { formatString, ipv4StringAt, ipv6ToString } from "../format.js";
import type { Packet } from "../packet.js";
import type { Node, Tree, TreeMark } from "../tree.js";
import { CHECKSUM_STATUS } from "./udp.js";

// ---- value strings ----

export const CT_DATA = 0, CT_INIT = 1, CT_INIT_ACK = 2, CT_SACK = 3, CT_HEARTBEAT = 4, CT_HEARTBEAT_ACK = 5, CT_ABORT = 6,
  CT_SHUTDOWN = 7, CT_SHUTDOWN_ACK = 8, CT_ERROR = 9, CT_COOKIE_ECHO = 10, CT_COOKIE_ACK = 11, CT_ECNE = 12, CT_CWR = 13,
  CT_SHUTDOWN_COMPLETE = 14, CT_AUTH = 15, CT_NR_SACK = 16, CT_I_DATA = 64, CT_ASCONF_ACK = 0x80, CT_PKTDROP = 0x81,
  CT_RE_CONFIG = 0x82, CT_PAD = 0x84, CT_FORWARD_TSN = 0xc0, CT_ASCONF = 0xc1, CT_I_FORWARD_TSN = 0xc2;

export const CHUNK_TYPES = vals({
  0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT", 5: "HEARTBEAT_ACK", 6: "ABORT", 7: "SHUTDOWN",
  8: "SHUTDOWN_ACK", 9: "ERROR", 10: "COOKIE_ECHO", 11: "COOKIE_ACK", 12: "ECNE", 13: "CWR", 14: "SHUTDOWN_COMPLETE",
  15: "AUTH", 16: "NR_SACK", 64: "I_DATA", 0x80: "ASCONF_ACK", 0x81: "PKTDROP", 0x82: "RE_CONFIG", 0x84: "PAD",
  0xc0: "FORWARD_TSN", 0xc1: "ASCONF", 0xc2: "I_FORWARD_TSN", 0xff: "IETF_EXTENSION",
});

/** Payload protocol identifiers as tshark 4.0 names them (IANA, with its gaps at 63-64). */
export const PPIDS = vals({
  0: "not specified", 1: "IUA", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5UA", 7: "H.248/MEGACO", 8: "BICC/Q.2150.3",
  9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC/Q.2150.3", 15: "SIMCO", 16: "DDP Segment Chunk",
  17: "DDP Stream Session Control", 18: "S1 Application Protocol (S1AP)", 19: "RUA", 20: "HNBAP", 21: "ForCES-HP",
  22: "ForCES-MP", 23: "ForCES-LP", 24: "SBc-AP", 25: "NBAP", 26: "Unassigned", 27: "X2AP", 28: "IRCP", 29: "LCS-AP",
  30: "MPICH2", 31: "SABP", 32: "Fractal Generator Protocol", 33: "Ping Pong Protocol", 34: "CalcApp Protocol",
  35: "Scripting Service Protocol", 36: "NetPerfMeter Control", 37: "NetPerfMeter Data", 38: "Echo", 39: "Discard",
  40: "Daytime", 41: "Character Generator", 42: "3GPP RNA", 43: "3GPP M2AP", 44: "3GPP M3AP", 45: "SSH", 46: "DIAMETER",
  47: "DIAMETER over DTLS", 48: "R14P", 49: "Generic Data Transfer Protocol (GDT)", 50: "WebRTC Control", 51: "WebRTC String",
  52: "WebRTC Binary Partial (Deprecated)", 53: "WebRTC Binary", 54: "WebRTC String Partial (Deprecated)", 55: "3GPP PUA",
  56: "WebRTC String Empty", 57: "WebRTC Binary Empty", 58: "XwAP", 59: "Xw - Control Plane", 60: "NGAP", 61: "XnAP",
  62: "F1 AP", 65: "ELE2 Lawful Interception", 66: "NGAP over DTLS", 67: "XnAP over DTLS", 68: "F1AP over DTLS",
  69: "E1AP over DTLS", 70: "E2-CP", 71: "E2-UP", 72: "E2-DU", 73: "W1AP",
});

const P_HEARTBEAT_INFO = 0x0001, P_IPV4 = 0x0005, P_IPV6 = 0x0006, P_STATE_COOKIE = 0x0007, P_UNREC_PARA = 0x0008,
  P_COOKIE_PRESERVATIVE = 0x0009, P_HOSTNAME = 0x000b, P_SUPPORTED_ADDRESS_TYPES = 0x000c, P_OUTGOING_SSN_RESET = 0x000d,
  P_INCOMING_SSN_RESET = 0x000e, P_SSN_TSN_RESET = 0x000f, P_RECONFIG_RESPONSE = 0x0010, P_ADD_OUTGOING_STREAMS = 0x0011,
  P_ADD_INCOMING_STREAMS = 0x0012, P_ECN = 0x8000, P_RANDOM = 0x8002, P_CHUNKS = 0x8003, P_HMAC_ALGO = 0x8004,
  P_SUPPORTED_EXTENSIONS = 0x8008, P_FORWARD_TSN_SUPPORTED = 0xc000, P_ADD_IP = 0xc001, P_DEL_IP = 0xc002,
  P_ERROR_CAUSE_INDICATION = 0xc003, P_SET_PRIMARY = 0xc004, P_SUCCESS_REPORT = 0xc005, P_ADAPTATION_LAYER = 0xc006;

const PARAMETER_TYPES = vals({
  0x0001: "Heartbeat info", 0x0005: "IPv4 address", 0x0006: "IPv6 address", 0x0007: "State cookie",
  0x0008: "Unrecognized parameter", 0x0009: "Cookie preservative", 0x000b: "Hostname address",
  0x000d: "Outgoing SSN reset request", 0x000e: "Incoming SSN reset request", 0x000f: "SSN/TSN reset request",
  0x0010: "Re-configuration response", 0x0011: "Add outgoing streams request", 0x0012: "Add incoming streams request",
  0x000c: "Supported address types", 0x8000: "ECN", 0x8002: "Random", 0x8003: "Authenticated Chunk list",
  0x8004: "Requested HMAC Algorithm", 0x8008: "Supported Extensions", 0xc000: "Forward TSN supported",
  0xc001: "Add IP address", 0xc002: "Delete IP address", 0xc003: "Error cause indication", 0xc004: "Set primary address",
  0xc005: "Success report", 0xc006: "Adaptation Layer Indication",
});

const CAUSE_CODES = vals({
  0x01: "Invalid stream identifier", 0x02: "Missing mandatory parameter", 0x03: "Stale cookie error", 0x04: "Out of resource",
  0x05: "Unresolvable address", 0x06: "Unrecognized chunk type", 0x07: "Invalid mandatory parameter",
  0x08: "Unrecognized parameters", 0x09: "No user data", 0x0a: "Cookie received while shutting down",
  0x0b: "Restart of an association with new addresses", 0x0c: "User initiated ABORT", 0x0d: "Protocol violation",
  0xa0: "Request to delete last address", 0xa1: "Operation refused due to resource shortage",
  0xa2: "Request to delete source address", 0xa3: "Association Aborted due to illegal ASCONF-ACK",
  0xa4: "Request refused - no authorization", 0x105: "Unsupported HMAC identifier",
});

const ADDRESS_TYPES = vals({ 5: "IPv4 address", 6: "IPv6 address", 11: "Hostname address" });
const HMAC_IDS = vals({ 0: "Reserved", 1: "SHA-1", 2: "Reserved", 3: "SHA-256" });
const RECONFIG_RESULTS = vals({
  0: "Nothing to do", 1: "Performed", 2: "Denied", 3: "Error - Wrong SSN", 4: "Error - Request already in progress",
  5: "Error - Bad sequence number", 6: "In progress",
});

const TFS_T_BIT: [string, string] = ["Tag reflected", "Tag not reflected"];
const TFS_REPORT: [string, string] = ["Do report", "Do not report"];

// ---- fields ----

const u8 = (abbrev: string, name: string, base = Base.DEC, strings?: ValueStrings) => ({ abbrev, name, type: FT.UINT8, base, strings });
const u16f = (abbrev: string, name: string, base = Base.DEC, strings?: ValueStrings) => ({ abbrev, name, type: FT.UINT16, base, strings });
const u32f = (abbrev: string, name: string, base = Base.DEC, strings?: ValueStrings) => ({ abbrev, name, type: FT.UINT32, base, strings });
const bytes = (abbrev: string, name: string) => ({ abbrev, name, type: FT.BYTES });
const bit8 = (abbrev: string, name: string, mask: number, tfs: readonly [string, string]) => ({ abbrev, name, type: FT.BOOLEAN, mask, tfs, bitWidth: 8 });
const frame = (abbrev: string, name: string) => ({ abbrev, name, type: FT.FRAMENUM, base: Base.NONE, generated: true });
const rel = (abbrev: string, name: string) => ({ abbrev, name, type: FT.RELATIVE_TIME, unit: " seconds", generated: true });

export const hf = registerProtocol("sctp", "Stream Control Transmission Protocol", {
  srcport: u16f("sctp.srcport", "Source port"),
  dstport: u16f("sctp.dstport", "Destination port"),
  port: { ...u16f("sctp.port", "Port"), hidden: true },
  verification_tag: u32f("sctp.verification_tag", "Verification tag", Base.HEX),
  checksum: u32f("sctp.checksum", "Checksum", Base.HEX),
  checksum_status: { abbrev: "sctp.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  chunk_type: u8("sctp.chunk_type", "Chunk type", Base.DEC, CHUNK_TYPES),
  chunk_flags: u8("sctp.chunk_flags", "Chunk flags", Base.HEX),
  chunk_bit_1: bit8("sctp.chunk_bit_1", "Bit", 0x80, ["Skip chunk and continue processing of the packet", "Stop processing of the packet"]),
  chunk_bit_2: bit8("sctp.chunk_bit_2", "Bit", 0x40, TFS_REPORT),
  chunk_length: u16f("sctp.chunk_length", "Chunk length"),
  chunk_padding: bytes("sctp.chunk_padding", "Chunk padding"),
  chunk_value: bytes("sctp.chunk_value", "Chunk value"),
  cookie: bytes("sctp.cookie", "Cookie"),
  initiate_tag: { ...u32f("sctp.initiate_tag", "Initiate tag", Base.HEX), hidden: true },
  init_initiate_tag: u32f("sctp.init_initiate_tag", "Initiate tag", Base.HEX),
  init_credit: u32f("sctp.init_credit", "Advertised receiver window credit (a_rwnd)"),
  init_nr_out_streams: u16f("sctp.init_nr_out_streams", "Number of outbound streams"),
  init_nr_in_streams: u16f("sctp.init_nr_in_streams", "Number of inbound streams"),
  init_initial_tsn: u32f("sctp.init_initial_tsn", "Initial TSN"),
  initack_initiate_tag: u32f("sctp.initack_initiate_tag", "Initiate tag", Base.HEX),
  initack_credit: u32f("sctp.initack_credit", "Advertised receiver window credit (a_rwnd)"),
  initack_nr_out_streams: u16f("sctp.initack_nr_out_streams", "Number of outbound streams"),
  initack_nr_in_streams: u16f("sctp.initack_nr_in_streams", "Number of inbound streams"),
  initack_initial_tsn: u32f("sctp.initack_initial_tsn", "Initial TSN"),
  data_tsn: u32f("sctp.data_tsn", "Transmission sequence number (relative)"),
  data_tsn_raw: u32f("sctp.data_tsn_raw", "Transmission sequence number (absolute)"),
  data_sid: u16f("sctp.data_sid", "Stream identifier", Base.HEX),
  data_ssn: u16f("sctp.data_ssn", "Stream sequence number"),
  data_payload_proto_id: u32f("sctp.data_payload_proto_id", "Payload protocol identifier", Base.DEC, PPIDS),
  data_reserved: u16f("sctp.data_reserved", "Reserved"),
  data_mid: u32f("sctp.data_mid", "Message identifier"),
  data_fsn: u32f("sctp.data_fsn", "Fragment sequence number"),
  data_e_bit: bit8("sctp.data_e_bit", "E-Bit", 0x01, ["Last segment", "Not the last segment"]),
  data_b_bit: bit8("sctp.data_b_bit", "B-Bit", 0x02, ["First segment", "Subsequent segment"]),
  data_u_bit: bit8("sctp.data_u_bit", "U-Bit", 0x04, ["Unordered delivery", "Ordered delivery"]),
  data_i_bit: bit8("sctp.data_i_bit", "I-Bit", 0x08, ["Send SACK immediately", "Possibly delay SACK"]),
  sack_nounce_sum: { ...u8("sctp.sack_nounce_sum", "Nounce sum"), mask: 0x01 },
  sack_cumulative_tsn_ack: u32f("sctp.sack_cumulative_tsn_ack", "Cumulative TSN ACK (relative)"),
  sack_cumulative_tsn_ack_raw: u32f("sctp.sack_cumulative_tsn_ack_raw", "Cumulative TSN ACK (absolute)"),
  sack_a_rwnd: u32f("sctp.sack_a_rwnd", "Advertised receiver window credit (a_rwnd)"),
  sack_number_of_gap_blocks: u16f("sctp.sack_number_of_gap_blocks", "Number of gap acknowledgement blocks"),
  sack_number_of_duplicated_tsns: u16f("sctp.sack_number_of_duplicated_tsns", "Number of duplicated TSNs"),
  sack_gap_block_start: u16f("sctp.sack_gap_block_start", "Start"),
  sack_gap_block_start_tsn: { ...u32f("sctp.sack_gap_block_start_tsn", "Start TSN"), generated: true },
  sack_gap_block_end: u16f("sctp.sack_gap_block_end", "End"),
  sack_gap_block_end_tsn: { ...u32f("sctp.sack_gap_block_end_tsn", "End TSN"), generated: true },
  sack_number_of_tsns_gap_acked: { ...u32f("sctp.sack_number_of_tsns_gap_acked", "Number of TSNs in gap acknowledgement blocks"), generated: true },
  sack_duplicate_tsn: u32f("sctp.sack_duplicate_tsn", "Duplicate TSN"),
  nr_sack_nounce_sum: { ...u8("sctp.nr_sack_nounce_sum", "Nounce sum"), mask: 0x01 },
  nr_sack_cumulative_tsn_ack: u32f("sctp.nr_sack_cumulative_tsn_ack", "Cumulative TSN ACK"),
  nr_sack_a_rwnd: u32f("sctp.nr_sack_a_rwnd", "Advertised receiver window credit (a_rwnd)"),
  nr_sack_number_of_gap_blocks: u16f("sctp.nr_sack_number_of_gap_blocks", "Number of gap acknowledgement blocks"),
  nr_sack_number_of_nr_gap_blocks: u16f("sctp.nr_sack_number_of_nr_gap_blocks", "Number of nr-gap acknowledgement blocks"),
  nr_sack_number_of_duplicated_tsns: u16f("sctp.nr_sack_number_of_duplicated_tsns", "Number of duplicated TSNs"),
  nr_sack_reserved: u16f("sctp.nr_sack_reserved", "Reserved", Base.HEX),
  nr_sack_gap_block_start: u16f("sctp.nr_sack_gap_block_start", "Start"),
  nr_sack_gap_block_start_tsn: { ...u32f("sctp.nr_sack_gap_block_start_tsn", "Start TSN"), generated: true },
  nr_sack_gap_block_end: u16f("sctp.nr_sack_gap_block_end", "End"),
  nr_sack_gap_block_end_tsn: { ...u32f("sctp.nr_sack_gap_block_end_tsn", "End TSN"), generated: true },
  nr_sack_number_of_tsns_gap_acked: { ...u32f("sctp.nr_sack_number_of_tsns_gap_acked", "Number of TSNs in gap acknowledgement blocks"), generated: true },
  nr_sack_nr_gap_block_start: u16f("sctp.nr_sack_nr_gap_block_start", "Start"),
  nr_sack_nr_gap_block_start_tsn: { ...u32f("sctp.nr_sack_nr_gap_block_start_tsn", "Start TSN"), generated: true },
  nr_sack_nr_gap_block_end: u16f("sctp.nr_sack_nr_gap_block_end", "End"),
  nr_sack_nr_gap_block_end_tsn: { ...u32f("sctp.nr_sack_nr_gap_block_end_tsn", "End TSN"), generated: true },
  nr_sack_number_of_tsns_nr_gap_acked: { ...u32f("sctp.nr_sack_number_of_tsns_nr_gap_acked", "Number of TSNs in nr-gap acknowledgement blocks"), generated: true },
  nr_sack_duplicate_tsn: u32f("sctp.nr_sack_duplicate_tsn", "Duplicate TSN"),
  shutdown_cumulative_tsn_ack: u32f("sctp.shutdown_cumulative_tsn_ack", "Cumulative TSN Ack"),
  ecne_lowest_tsn: u32f("sctp.ecne_lowest_tsn", "Lowest TSN"),
  cwr_lowest_tsn: u32f("sctp.cwr_lowest_tsn", "Lowest TSN"),
  shutdown_complete_t_bit: bit8("sctp.shutdown_complete_t_bit", "T-Bit", 0x01, TFS_T_BIT),
  abort_t_bit: bit8("sctp.abort_t_bit", "T-Bit", 0x01, TFS_T_BIT),
  forward_tsn_tsn: u32f("sctp.forward_tsn_tsn", "New cumulative TSN"),
  forward_tsn_sid: u16f("sctp.forward_tsn_sid", "Stream identifier"),
  forward_tsn_ssn: u16f("sctp.forward_tsn_ssn", "Stream sequence number"),
  i_forward_tsn_tsn: u32f("sctp.i_forward_tsn_tsn", "New cumulative TSN"),
  i_forward_tsn_sid: u16f("sctp.i_forward_tsn_sid", "Stream identifier"),
  i_forward_tsn_flags: u16f("sctp.i_forward_tsn_flags", "Flags", Base.HEX),
  i_forward_tsn_res: { ...u16f("sctp.i_forward_tsn_res", "Reserved"), mask: 0xfffe },
  i_forward_tsn_u_bit: { abbrev: "sctp.i_forward_tsn_u_bit", name: "U-Bit", type: FT.BOOLEAN, mask: 0x0001, bitWidth: 16, tfs: ["Unordered messages", "Ordered messages"] as const },
  forward_tsn_mid: u32f("sctp.forward_tsn_mid", "Message identifier"),
  parameter_type: u16f("sctp.parameter_type", "Parameter type", Base.HEX, PARAMETER_TYPES),
  parameter_length: u16f("sctp.parameter_length", "Parameter length"),
  parameter_value: bytes("sctp.parameter_value", "Parameter value"),
  parameter_padding: bytes("sctp.parameter_padding", "Parameter padding"),
  parameter_bit_1: { abbrev: "sctp.parameter_bit_1", name: "Bit", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16, tfs: ["Skip parameter and continue processing of the chunk", "Stop processing of chunk"] as const },
  parameter_bit_2: { abbrev: "sctp.parameter_bit_2", name: "Bit", type: FT.BOOLEAN, mask: 0x4000, bitWidth: 16, tfs: TFS_REPORT },
  parameter_ipv4_address: { abbrev: "sctp.parameter_ipv4_address", name: "IP Version 4 address", type: FT.IPV4 },
  parameter_ipv6_address: { abbrev: "sctp.parameter_ipv6_address", name: "IP Version 6 address", type: FT.IPV6 },
  parameter_heartbeat_information: bytes("sctp.parameter_heartbeat_information", "Heartbeat information"),
  parameter_state_cookie: bytes("sctp.parameter_state_cookie", "State cookie"),
  parameter_cookie_preservative_incr: u32f("sctp.parameter_cookie_preservative_incr", "Suggested Cookie life-span increment (msec)"),
  parameter_hostname: { abbrev: "sctp.parameter_hostname", name: "Hostname", type: FT.STRING },
  parameter_supported_address_type: u16f("sctp.parameter_supported_address_type", "Supported address type", Base.DEC, ADDRESS_TYPES),
  parameter_reconfig_request_sequence_number: u32f("sctp.parameter_reconfig_request_sequence_number", "Re-configuration request sequence number"),
  parameter_reconfig_response_sequence_number: u32f("sctp.parameter_reconfig_response_sequence_number", "Re-configuration response sequence number"),
  parameter_senders_last_assigned_tsn: u32f("sctp.parameter_senders_last_assigned_tsn", "Senders last assigned TSN"),
  parameter_senders_next_tsn: u32f("sctp.parameter_senders_next_tsn", "Senders next TSN"),
  parameter_receivers_next_tsn: u32f("sctp.parameter_receivers_next_tsn", "Receivers next TSN"),
  parameter_reconfig_response_result: u32f("sctp.parameter_reconfig_response_result", "Result", Base.DEC, RECONFIG_RESULTS),
  parameter_reconfig_sid: u16f("sctp.parameter_reconfig_sid", "Stream Identifier"),
  parameter_add_outgoing_streams_number: u16f("sctp.parameter_add_outgoing_streams_number", "Number of streams"),
  parameter_add_outgoing_streams_reserved: u16f("sctp.parameter_add_outgoing_streams_reserved", "Reserved"),
  parameter_add_incoming_streams_number: u16f("sctp.parameter_add_incoming_streams_number", "Number of streams"),
  parameter_add_incoming_streams_reserved: u16f("sctp.parameter_add_incoming_streams_reserved", "Reserved"),
  asconf_seq_nr_number: u32f("sctp.asconf_seq_nr_number", "Sequence number", Base.HEX),
  asconf_ack_seq_nr_number: u32f("sctp.asconf_ack_seq_nr_number", "Sequence number", Base.HEX),
  correlation_id: u32f("sctp.correlation_id", "Correlation_id", Base.HEX),
  adaptation_layer_indication: u32f("sctp.adaptation_layer_indication", "Indication", Base.HEX),
  random_number: bytes("sctp.random_number", "Random number"),
  chunk_type_to_auth: u8("sctp.chunk_type_to_auth", "Chunk type", Base.DEC, CHUNK_TYPES),
  hmac_id: u16f("sctp.hmac_id", "HMAC identifier", Base.DEC, HMAC_IDS),
  hmac: bytes("sctp.hmac", "HMAC"),
  shared_key_id: u16f("sctp.shared_key_id", "Shared key identifier"),
  supported_chunk_type: u8("sctp.supported_chunk_type", "Supported chunk type", Base.DEC, CHUNK_TYPES),
  cause_code: u16f("sctp.cause_code", "Cause code", Base.HEX, CAUSE_CODES),
  cause_length: u16f("sctp.cause_length", "Cause length"),
  cause_information: bytes("sctp.cause_information", "Cause information"),
  cause_padding: bytes("sctp.cause_padding", "Cause padding"),
  cause_stream_identifier: u16f("sctp.cause_stream_identifier", "Stream identifier"),
  cause_reserved: u16f("sctp.cause_reserved", "Reserved"),
  cause_nr_of_missing_parameters: u32f("sctp.cause_nr_of_missing_parameters", "Number of missing parameters"),
  cause_missing_parameter_type: u16f("sctp.cause_missing_parameter_type", "Missing parameter type", Base.HEX, PARAMETER_TYPES),
  cause_measure_of_staleness: u32f("sctp.cause_measure_of_staleness", "Measure of staleness in usec"),
  cause_tsn: u32f("sctp.cause_tsn", "TSN"),
  pckdrop_m_bit: bit8("sctp.pckdrop_m_bit", "M-Bit", 0x01, ["Source is a middlebox", "Source is an endhost"]),
  pckdrop_b_bit: bit8("sctp.pckdrop_b_bit", "B-Bit", 0x02, ["SCTP checksum was incorrect", "SCTP checksum was correct"]),
  pckdrop_t_bit: bit8("sctp.pckdrop_t_bit", "T-Bit", 0x04, ["Packet is truncated", "Packet is not truncated"]),
  pktdrop_bandwidth: u32f("sctp.pktdrop_bandwidth", "Bandwidth"),
  pktdrop_queuesize: u32f("sctp.pktdrop_queuesize", "Queuesize"),
  pktdrop_truncated_length: u16f("sctp.pktdrop_truncated_length", "Truncated length"),
  pktdrop_reserved: u16f("sctp.pktdrop_reserved", "Reserved"),
  pktdrop_datafield: bytes("sctp.pktdrop_datafield", "Data field"),
  padding_data: bytes("sctp.padding_data", "Padding data"),
  fragment: { abbrev: "sctp.fragment", name: "SCTP Fragment", type: FT.FRAMENUM, base: Base.NONE },
  fragments: { abbrev: "sctp.fragments", name: "Reassembled SCTP Fragments", type: FT.NONE },
  reassembled_in: { abbrev: "sctp.reassembled_in", name: "Reassembled Message in frame", type: FT.FRAMENUM, base: Base.NONE },
  duplicate: { abbrev: "sctp.duplicate", name: "Fragment already seen in frame", type: FT.FRAMENUM, base: Base.NONE },
  data_rtt: rel("sctp.data_rtt", "The RTT to SACK was"),
  sack_rtt: rel("sctp.sack_rtt", "The RTT since DATA was"),
  retransmission_time: rel("sctp.retransmission_time", "Retransmitted after"),
  retransmission: frame("sctp.retransmission", "This TSN is a retransmission of one in frame"),
  retransmitted: frame("sctp.retransmitted", "This TSN is retransmitted in frame"),
  retransmitted_count: { ...u32f("sctp.retransmitted_count", "TSN was retransmitted this many times"), generated: true },
  acked: frame("sctp.acked", "This chunk is acked in frame"),
  ack: { ...u32f("sctp.ack", "Acknowledges TSN"), generated: true },
  ack_frame: frame("sctp.ack_frame", "Acknowledges TSN in frame"),
  retransmitted_after_ack: frame("sctp.retransmitted_after_ack", "Chunk was acked prior to retransmission"),
  assoc_index: { ...u16f("sctp.assoc_index", "Association index"), generated: true },
});

export const ei = registerExperts(hf.proto, {
  retransmission: { abbrev: "sctp.retransmission.expert", group: "sequence", severity: "note", summary: "Retransmitted TSN" },
  retransmitted_after_ack: { abbrev: "sctp.retransmitted_after_ack.expert", group: "sequence", severity: "warn", summary: "This TSN was acked prior to this retransmission (reneged ack?)." },
  more_than_twice: { abbrev: "sctp.retransmission.more_than_twice", group: "sequence", severity: "warn", summary: "This TSN was retransmitted more than 2 times." },
  parameter_padding: { abbrev: "sctp.parameter_padding.expert", group: "malformed", severity: "note", summary: "The padding of this final parameter should be the padding of the chunk." },
  parameter_length: { abbrev: "sctp.parameter_length.bad", group: "malformed", severity: "error", summary: "Parameter length bad" },
  sack_a_rwnd: { abbrev: "sctp.sack_a_rwnd.expert", group: "sequence", severity: "note", summary: "Zero Advertised Receiver Window Credit" },
  gap_block_malformed: { abbrev: "sctp.sack_gap_block_malformed", group: "protocol", severity: "error", summary: "Malformed gap block." },
  gap_block_out_of_order: { abbrev: "sctp.sack_gap_block_out_of_order", group: "protocol", severity: "warn", summary: "Gap blocks not in strict order." },
  sack_gap_acked_100: { abbrev: "sctp.sack_number_of_tsns_gap_acked.100", group: "sequence", severity: "warn", summary: "More than 100 TSNs were gap-acknowledged in this SACK." },
  nr_sack_gap_acked_100: { abbrev: "sctp.nr_sack_number_of_tsns_gap_acked.100", group: "sequence", severity: "warn", summary: "More than 100 TSNs were gap-acknowledged in this NR-SACK." },
  nr_sack_nr_gap_acked_100: { abbrev: "sctp.nr_sack_number_of_tsns_nr_gap_acked.100", group: "sequence", severity: "warn", summary: "More than 100 TSNs were nr-gap-acknowledged in this NR-SACK." },
  chunk_length_bad: { abbrev: "sctp.chunk_length.bad", group: "malformed", severity: "error", summary: "Chunk length bad" },
  checksum_bad: { abbrev: "sctp.checksum_bad.expert", group: "checksum", severity: "error", summary: "Bad SCTP checksum." },
});

// ---- helpers shared with sctp.ts ----

export function u16at(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

export function u32at(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** Reads a 16-bit number after checking its bytes (a tvb_get_ntohs). */
export function get16(t: Tree, o: number): number {
  t.check(o, 2);
  return u16at(t.d, o);
}

export function get32(t: Tree, o: number): number {
  t.check(o, 4);
  return u32at(t.d, o);
}

export function plural(n: number): string {
  return n === 1 ? "" : "s";
}

/** Wireshark's proto_item_append_text: adds to the label of an item made earlier (full mode). */
export function app(item: Node | null, s: string): void {
  if (item !== null) item.text = (item.text ?? "") + s;
}

/**
 * Runs `fn` with what it adds placed under `node` (Wireshark adds to any item it kept, the Tree to
 * where it stands); `depth` is the nesting the Tree then assumes (0: the top level).
 */
export function atNode(t: Tree, node: Node | null, fn: () => void, depth?: number): void {
  const m = t.mark();
  const at: TreeMark = { ...m, cur: node ?? m.cur, depth: depth ?? m.depth };
  t.restore(at);
  try {
    fn();
  } finally {
    t.restore(m);
  }
}

/** A text item opened as a subtree (proto_tree_add_subtree): returns the item (full mode). */
export function subtree(t: Tree, label: string | null, off: number, len: number): Node | null {
  t.text(label ?? "", off, len);
  const item = t.lastItem();
  t.down();
  return item;
}

/** How a chunk inside an error cause is dissected (set by sctp.ts: the full chunk dissector). */
export const hooks: { chunk: (p: Packet, t: Tree, off: number, end: number, payloadParent: TreeMark) => void } = {
  chunk: () => {},
};

/** Wireshark's ADD_PADDING on a 16-bit length. */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * The sub-buffer Wireshark makes for a part `len` bytes long at `off` (tvb_new_subset_length_caplen
 * with both lengths cut to what remains): its end within the current bounds.
 */
export function subEnd(t: Tree, off: number, len: number): number {
  return Math.max(off, Math.min(off + len, t.rep));
}

/** Narrows to [.., end) for `fn` (Tree.enter/leave), restoring the bounds on the way out. */
export function within(t: Tree, end: number, fn: () => void): void {
  t.enter(end);
  fn();
  t.leave();
}

// ---- parameters ----

/** Context of a run of parameters: whether Wireshark would build items (its tree is non-NULL). */
export interface ParamCtx {
  p: Packet;
  t: Tree;
  tree: boolean;
}

/**
 * dissect_parameters: the parameters from `off` to the current end. `additional` (an item whose
 * label collects the addresses, as a cause's) gets a space between parameters.
 */
export function dissectParameters(c: ParamCtx, off: number, additional: Node | null, initChunk: boolean): void {
  const t = c.t;
  const end = t.rep;
  let o = off;
  while (end - o > 0) {
    if (o > off && additional !== null) app(additional, " ");
    const length = get16(t, o + 2);
    const total = Math.min(pad4(length), end - o);
    const next = o + total;
    const final = end - next <= 0;
    within(t, next, () => dissectParameter(c, o, additional, initChunk, final));
    o = next;
  }
}

/** dissect_parameter: one parameter from `off` to the current end (its padded length). */
export function dissectParameter(c: ParamCtx, off: number, additional: Node | null, initChunk: boolean, final: boolean): void {
  const { p, t } = c;
  const d = t.d;
  const type = get16(t, off);
  const length = get16(t, off + 2);
  const reported = t.rep - off;
  const padding = (reported - length) & 0xffff;
  const full = t.full;
  let item: Node | null = null;
  if (c.tree) {
    t.text(full ? `${PARAMETER_TYPES.get(type) ?? "Unknown"} parameter` : "", off, reported);
    item = t.lastItem();
    t.down();
    if (final) {
      if (padding > 0) t.expert(p, ei.parameter_padding, off, reported);
    } else if (reported % 4) t.expert(p, ei.parameter_length, off, reported, `Parameter length is not padded to a multiple of 4 bytes (length=${reported})`);
  }
  if (!(c.tree || (initChunk && (type === P_IPV4 || type === P_IPV6)))) return;
  if (c.tree) {
    t.uint(hf.parameter_type, off, 2, type);
    t.down();
    t.bool(hf.parameter_bit_1, off, 2, type);
    t.bool(hf.parameter_bit_2, off, 2, type);
    t.up();
    t.uint(hf.parameter_length, off + 2, 2, length);
  }
  const v = off + 4;
  const vlen = (length - 4) & 0xffff;
  if (c.tree) {
    switch (type) {
      case P_HEARTBEAT_INFO:
        if (vlen > 0) t.bytes(hf.parameter_heartbeat_information, v, vlen);
        app(item, ` (Information: ${vlen} byte${plural(vlen)})`);
        break;
      case P_IPV4:
        t.ipv4(hf.parameter_ipv4_address, v);
        if (full) {
          const a = ipv4StringAt(d, v);
          app(item, ` (Address: ${a})`);
          app(additional, a);
        }
        break;
      case P_IPV6:
        t.ipv6(hf.parameter_ipv6_address, v);
        if (full) {
          const a = ipv6ToString(d, v);
          app(item, ` (Address: ${a})`);
          app(additional, a);
        }
        break;
      case P_STATE_COOKIE:
        if (vlen > 0) t.bytes(hf.parameter_state_cookie, v, vlen);
        app(item, ` (Cookie length: ${vlen} byte${plural(vlen)})`);
        break;
      case P_UNREC_PARA:
        // One parameter in the rest of this one (Wireshark does not loop here).
        t.check(v, 0);
        dissectParameter(c, v, null, false, false);
        break;
      case P_COOKIE_PRESERVATIVE:
        t.uint(hf.parameter_cookie_preservative_incr, v, 4, get32(t, v));
        app(item, ` (Increment :${u32at(d, v)} msec)`);
        break;
      case P_HOSTNAME:
        hostname(c, v, vlen, item, additional);
        break;
      case P_SUPPORTED_ADDRESS_TYPES: {
        const n = (vlen >> 1) & 0xffff;
        app(item, " (Supported types: ");
        for (let i = 0, o = v; i < n; i++, o += 2) {
          const at = get16(t, o);
          t.uint(hf.parameter_supported_address_type, o, 2, at);
          app(item, at === 5 ? "IPv4" : at === 6 ? "IPv6" : at === 11 ? "hostname" : String(at));
          if (i < n - 1) app(item, ", ");
        }
        app(item, ")");
        break;
      }
      case P_OUTGOING_SSN_RESET:
        t.uint(hf.parameter_reconfig_request_sequence_number, v, 4, get32(t, v));
        t.uint(hf.parameter_reconfig_response_sequence_number, v + 4, 4, get32(t, v + 4));
        t.uint(hf.parameter_senders_last_assigned_tsn, v + 8, 4, get32(t, v + 8));
        if (length > 16) sids(t, v + 12, (length - 16) >> 1);
        break;
      case P_INCOMING_SSN_RESET:
        t.uint(hf.parameter_reconfig_request_sequence_number, v, 4, get32(t, v));
        if (length > 8) sids(t, v + 4, (length - 8) >> 1);
        break;
      case P_SSN_TSN_RESET:
        t.uint(hf.parameter_reconfig_request_sequence_number, v, 4, get32(t, v));
        break;
      case P_RECONFIG_RESPONSE:
        t.uint(hf.parameter_reconfig_response_sequence_number, v, 4, get32(t, v));
        t.uint(hf.parameter_reconfig_response_result, v + 4, 4, get32(t, v + 4));
        if (length >= 16) t.uint(hf.parameter_senders_next_tsn, v + 8, 4, get32(t, v + 8));
        if (length >= 20) t.uint(hf.parameter_receivers_next_tsn, v + 12, 4, get32(t, v + 12));
        break;
      case P_ADD_OUTGOING_STREAMS:
      case P_ADD_INCOMING_STREAMS: {
        const out = type === P_ADD_OUTGOING_STREAMS;
        t.uint(hf.parameter_reconfig_request_sequence_number, v, 4, get32(t, v));
        t.uint(out ? hf.parameter_add_outgoing_streams_number : hf.parameter_add_incoming_streams_number, v + 4, 2, get16(t, v + 4));
        t.uint(out ? hf.parameter_add_outgoing_streams_reserved : hf.parameter_add_incoming_streams_reserved, v + 6, 2, get16(t, v + 6));
        break;
      }
      case P_ECN:
      case P_FORWARD_TSN_SUPPORTED:
        break;
      case P_RANDOM: {
        const n = length - 4;
        if (n > 0) t.bytes(hf.random_number, v, n);
        break;
      }
      case P_CHUNKS:
      case P_SUPPORTED_EXTENSIONS: {
        const chunks = type === P_CHUNKS;
        app(item, chunks ? " (Chunk types to be authenticated: " : " (Supported types: ");
        for (let i = 0, o = v; i < vlen; i++, o++) {
          t.check(o, 1);
          t.uint(chunks ? hf.chunk_type_to_auth : hf.supported_chunk_type, o, 1, d[o]!);
          app(item, CHUNK_TYPES.get(d[o]!) ?? "Unknown");
          if (i < vlen - 1) app(item, ", ");
        }
        app(item, ")");
        break;
      }
      case P_HMAC_ALGO: {
        const n = vlen >> 1;
        app(item, " (Supported HMACs: ");
        for (let i = 0, o = v; i < n; i++, o += 2) {
          const id = get16(t, o);
          t.uint(hf.hmac_id, o, 2, id);
          app(item, HMAC_IDS.get(id) ?? "Unknown");
          if (i < n - 1) app(item, ", ");
        }
        app(item, ")");
        break;
      }
      case P_ADD_IP:
      case P_DEL_IP:
      case P_SET_PRIMARY: {
        t.uint(hf.correlation_id, v, 4, get32(t, v));
        const alen = (length - 8) & 0xffff;
        app(item, " (Address: ");
        t.check(v + 4, 0);
        within(t, subEnd(t, v + 4, alen), () => dissectParameter(c, v + 4, item, false, false));
        app(item, `, correlation ID: ${u32at(d, v)})`);
        break;
      }
      case P_ERROR_CAUSE_INDICATION: {
        t.uint(hf.correlation_id, v, 4, get32(t, v));
        const clen = (length - 8) & 0xffff;
        t.check(v + 4, 0);
        within(t, subEnd(t, v + 4, clen), () => dissectErrorCauses(c, v + 4));
        break;
      }
      case P_SUCCESS_REPORT:
        t.uint(hf.correlation_id, v, 4, get32(t, v));
        app(item, ` (Correlation ID: ${u32at(d, v)})`);
        break;
      case P_ADAPTATION_LAYER:
        t.uint(hf.adaptation_layer_indication, v, 4, get32(t, v));
        app(item, ` (Indication: ${u32at(d, v)})`);
        break;
      default:
        if (vlen > 0) t.bytes(hf.parameter_value, v, vlen);
        app(item, ` (Type ${type}, value length: ${vlen} byte${plural(vlen)})`);
    }
  }
  if (padding > 0) t.bytes(hf.parameter_padding, off + length, padding);
  if (c.tree) t.up();
}

function sids(t: Tree, o: number, n: number): void {
  for (let i = 0; i < n; i++, o += 2) t.uint(hf.parameter_reconfig_sid, o, 2, get16(t, o));
}

/** A hostname parameter: an ASCII string up to its NUL, as FT_STRINGZ shows it. */
function hostname(c: ParamCtx, v: number, vlen: number, item: Node | null, additional: Node | null): void {
  const t = c.t;
  t.check(v, vlen);
  const d = t.d;
  let s = "";
  if (t.wants(hf.parameter_hostname) || item !== null) {
    for (let i = v; i < v + vlen && d[i] !== 0; i++) s += d[i]! < 0x80 ? String.fromCharCode(d[i]!) : "\ufffd";
  }
  t.str(hf.parameter_hostname, v, vlen, s);
  if (vlen > 1 && (item !== null || additional !== null)) {
    const shown = formatString(s);
    app(item, ` (Hostname: ${shown})`);
    app(additional, ` (Hostname: ${shown})`);
  }
}

// ---- error causes ----

/** dissect_error_causes: the causes from `off` to the current end. */
export function dissectErrorCauses(c: ParamCtx, off: number): void {
  const t = c.t;
  const end = t.rep;
  for (let o = off; end - o > 0; ) {
    const length = get16(t, o + 2);
    const next = o + Math.min(pad4(length), end - o);
    within(t, next, () => dissectErrorCause(c, o));
    o = next;
  }
}

function dissectErrorCause(c: ParamCtx, off: number): void {
  const { t } = c;
  const d = t.d;
  const code = get16(t, off);
  const length = get16(t, off + 2);
  const padding = (t.rep - off - length) & 0xffff;
  const item = subtree(t, t.full ? `${CAUSE_CODES.get(code) ?? "Unknown"} cause` : null, off, t.rep - off);
  t.uint(hf.cause_code, off, 2, code);
  t.uint(hf.cause_length, off + 2, 2, length);
  const v = off + 4;
  const ilen = (length - 4) & 0xffff;
  switch (code) {
    case 0x01:
      t.uint(hf.cause_stream_identifier, v, 2, get16(t, v));
      t.uint(hf.cause_reserved, v + 2, 2, get16(t, v + 2));
      app(item, ` (SID: ${u16at(d, v)})`);
      break;
    case 0x02: {
      const n = get32(t, v);
      t.uint(hf.cause_nr_of_missing_parameters, v, 4, n);
      for (let i = 0, o = v + 4; i < n; i++, o += 2) t.uint(hf.cause_missing_parameter_type, o, 2, get16(t, o));
      break;
    }
    case 0x03:
      t.uint(hf.cause_measure_of_staleness, v, 4, get32(t, v));
      app(item, ` (Measure: ${u32at(d, v)} usec)`);
      break;
    case 0x04:
    case 0x07:
    case 0x0a:
      break;
    case 0x05:
      t.check(v, 0);
      within(t, subEnd(t, v, ilen), () => dissectParameter(c, v, item, false, true));
      break;
    case 0x06: {
      t.check(v, 0);
      const mark = t.mark();
      within(t, subEnd(t, v, ilen), () => hooks.chunk(c.p, t, v, t.rep, mark));
      t.check(v, 1);
      const ut = d[v]!;
      app(item, ` (Type: ${ut} (${CHUNK_TYPES.get(ut) ?? "unknown"}))`);
      break;
    }
    case 0x08:
      t.check(v, 0);
      within(t, subEnd(t, v, ilen), () => dissectParameters(c, v, null, false));
      break;
    case 0x09:
      t.uint(hf.cause_tsn, v, 4, get32(t, v));
      app(item, ` (TSN: ${u32at(d, v)})`);
      break;
    case 0x0b:
      t.check(v, 0);
      app(item, " (New addresses: ");
      within(t, subEnd(t, v, ilen), () => dissectParameters(c, v, item, false));
      app(item, ")");
      break;
    case 0x0c:
    case 0x0d:
      if (ilen > 0) t.bytes(hf.cause_information, v, ilen);
      break;
    case 0xa0:
    case 0xa2:
      t.check(v, 0);
      app(item, code === 0xa0 ? " (Last address: " : " (Deleted address: ");
      within(t, subEnd(t, v, ilen), () => dissectParameter(c, v, item, false, false));
      app(item, ")");
      break;
    case 0xa1:
    case 0xa4:
      t.check(v, 0);
      within(t, subEnd(t, v, ilen), () => dissectParameter(c, v, null, false, false));
      break;
    case 0x105:
      t.uint(hf.hmac_id, v, 2, get16(t, v));
      break;
    default:
      if (ilen > 0) t.bytes(hf.cause_information, v, ilen);
      app(item, ` (Code: ${code}, information length: ${ilen} byte${plural(ilen)})`);
  }
  if (padding > 0) t.bytes(hf.cause_padding, off + length, padding);
  t.up();
}

// ---- fixed-format chunks ----

/** What the fixed-format chunk dissectors need: the chunk's item and flags item (full mode). */
export interface ChunkCtx extends ParamCtx {
  item: Node | null;
  flagsItem: Node | null;
}

/** Appends ", bogus chunk length L < M)" as Wireshark does when a chunk is too short for its header. */
export function bogus(c: ChunkCtx, length: number, min: number, shown = length): boolean {
  if (length >= min) return false;
  app(c.item, `, bogus chunk length ${shown} < ${min})`);
  return true;
}

/** The flag bits under the "Chunk flags" item. */
export function flagBits(c: ChunkCtx, off: number, fields: readonly Field[]): void {
  const t = c.t;
  const raw = t.d[off + 1]!;
  if (c.flagsItem === null) {
    for (const f of fields) f.type === FT.BOOLEAN ? t.bool(f, off + 1, 1, raw) : t.uint(f, off + 1, 1, raw);
    return;
  }
  atNode(t, c.flagsItem, () => {
    for (const f of fields) f.type === FT.BOOLEAN ? t.bool(f, off + 1, 1, raw) : t.uint(f, off + 1, 1, raw);
  });
}

export function initChunk(c: ChunkCtx, off: number, length: number, ack: boolean): void {
  const t = c.t;
  if (bogus(c, length, 20)) return;
  if (c.tree) {
    const tag = get32(t, off + 4);
    t.uint(ack ? hf.initack_initiate_tag : hf.init_initiate_tag, off + 4, 4, tag);
    t.uint(hf.initiate_tag, off + 4, 4, tag);
    t.uint(ack ? hf.initack_credit : hf.init_credit, off + 8, 4, get32(t, off + 8));
    const out = get16(t, off + 12), inb = get16(t, off + 14);
    t.uint(ack ? hf.initack_nr_out_streams : hf.init_nr_out_streams, off + 12, 2, out);
    t.uint(ack ? hf.initack_nr_in_streams : hf.init_nr_in_streams, off + 14, 2, inb);
    t.uint(ack ? hf.initack_initial_tsn : hf.init_initial_tsn, off + 16, 4, get32(t, off + 16));
    app(c.item, ` (Outbound streams: ${out}, inbound streams: ${inb})`);
  }
  t.check(off + 20, 0);
  within(t, subEnd(t, off + 20, length - 20), () => dissectParameters(c, off + 20, null, true));
}

export function heartbeatChunk(c: ChunkCtx, off: number, length: number): void {
  if (!c.tree) return;
  const t = c.t;
  const n = length - 4;
  app(c.item, ` (Information: ${n} byte${plural(n)})`);
  t.check(off + 4, 0);
  within(t, subEnd(t, off + 4, n), () => dissectParameter(c, off + 4, null, false, true));
}

export function abortChunk(c: ChunkCtx, off: number, length: number): void {
  if (!c.tree) return;
  const t = c.t;
  flagBits(c, off, [hf.abort_t_bit]);
  t.check(off + 4, 0);
  within(t, subEnd(t, off + 4, length - 4), () => dissectErrorCauses(c, off + 4));
}

export function errorChunk(c: ChunkCtx, off: number, length: number): void {
  if (!c.tree) return;
  const t = c.t;
  t.check(off + 4, 0);
  within(t, subEnd(t, off + 4, length - 4), () => dissectErrorCauses(c, off + 4));
}

export function shutdownChunk(c: ChunkCtx, off: number): void {
  if (!c.tree) return;
  const v = get32(c.t, off + 4);
  c.t.uint(hf.shutdown_cumulative_tsn_ack, off + 4, 4, v);
  app(c.item, ` (Cumulative TSN ack: ${v})`);
}

export function cookieEchoChunk(c: ChunkCtx, off: number, length: number): void {
  if (!c.tree) return;
  const n = length - 4;
  c.t.bytes(hf.cookie, off + 4, n);
  app(c.item, ` (Cookie length: ${n} byte${plural(n)})`);
}

export function lowestTsnChunk(c: ChunkCtx, off: number, cwr: boolean): void {
  const v = get32(c.t, off + 4);
  c.t.uint(cwr ? hf.cwr_lowest_tsn : hf.ecne_lowest_tsn, off + 4, 4, v);
  app(c.item, ` (Lowest TSN: ${v})`);
}

export function shutdownCompleteChunk(c: ChunkCtx, off: number): void {
  if (c.tree) flagBits(c, off, [hf.shutdown_complete_t_bit]);
}

export function forwardTsnChunk(c: ChunkCtx, off: number, length: number): void {
  if (bogus(c, length, 8) || !c.tree) return;
  const t = c.t;
  t.uint(hf.forward_tsn_tsn, off + 4, 4, get32(t, off + 4));
  const n = (length - 8) >> 2;
  for (let i = 0, o = off + 8; i < n; i++, o += 4) {
    t.uint(hf.forward_tsn_sid, o, 2, get16(t, o));
    t.uint(hf.forward_tsn_ssn, o + 2, 2, get16(t, o + 2));
  }
  app(c.item, `(Cumulative TSN: ${u32at(t.d, off + 4)})`);
}

export function iForwardTsnChunk(c: ChunkCtx, off: number, length: number): void {
  if (bogus(c, length, 8) || !c.tree) return;
  const t = c.t;
  t.uint(hf.i_forward_tsn_tsn, off + 4, 4, get32(t, off + 4));
  const n = Math.floor((length - 8) / 8);
  for (let i = 0, o = off + 8; i < n; i++, o += 8) {
    t.uint(hf.i_forward_tsn_sid, o, 2, get16(t, o));
    const flags = get16(t, o + 2);
    t.uint(hf.i_forward_tsn_flags, o + 2, 2, flags);
    t.down();
    t.uint(hf.i_forward_tsn_res, o + 2, 2, flags);
    t.bool(hf.i_forward_tsn_u_bit, o + 2, 2, flags);
    t.up();
    t.uint(hf.forward_tsn_mid, o + 4, 4, get32(t, o + 4));
  }
  app(c.item, `(Cumulative TSN: ${u32at(t.d, off + 4)})`);
}

export function reConfigChunk(c: ChunkCtx, off: number, length: number): void {
  const t = c.t;
  t.check(off + 4, 0);
  within(t, subEnd(t, off + 4, length - 4), () => dissectParameters(c, off + 4, null, false));
}

export function authChunk(c: ChunkCtx, off: number, length: number): void {
  const t = c.t;
  const n = (length - 8) >>> 0;
  t.uint(hf.shared_key_id, off + 4, 2, get16(t, off + 4));
  t.uint(hf.hmac_id, off + 6, 2, get16(t, off + 6));
  if (n > 0) t.bytes(hf.hmac, off + 8, n);
}

export function asconfChunk(c: ChunkCtx, off: number, length: number, ack: boolean): void {
  const t = c.t;
  if (bogus(c, length, 8, ack ? length + 4 : length)) return;
  if (c.tree) t.uint(ack ? hf.asconf_ack_seq_nr_number : hf.asconf_seq_nr_number, off + 4, 4, get32(t, off + 4));
  t.check(off + 8, 0);
  within(t, subEnd(t, off + 8, length - 8), () => dissectParameters(c, off + 8, null, false));
}

export function padChunk(c: ChunkCtx, off: number, length: number): void {
  if (!c.tree) return;
  const n = length - 4;
  c.t.bytes(hf.padding_data, off + 4, n);
  app(c.item, ` (Padding data length: ${n} byte${plural(n)})`);
}

export function unknownChunk(c: ChunkCtx, off: number, length: number, type: number): void {
  if (!c.tree) return;
  const n = length - 4;
  if (n > 0) c.t.bytes(hf.chunk_value, off + 4, n);
  app(c.item, ` (Type: ${type}, value length: ${n} byte${plural(n)})`);
}
