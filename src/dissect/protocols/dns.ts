// DNS (RFC 1035 and successors) over UDP 53, TCP 53 (2-byte length prefix), mDNS (UDP 5353) and
// LLMNR (UDP 5355), decoded the way Wireshark 4.0's packet-dns.c does so field values match tshark.
//   id 0..2 | flags 2..4 | qdcount 4..6 | ancount 6..8 | nscount 8..10 | arcount 10..12 | records 12..
// Record data is read against the whole message (like Wireshark), not clipped to RDLENGTH, so a record
// that lies about its length fails the same way it does in tshark. Names are the costly part: the
// walker always follows labels and pointers (that is what finds malformed names), but the text form is
// built only when a field, the tree or the Info column wants it.
import { Base, FT, registerExperts, registerProtocol } from "../fields.js";
import { tcpPorts, udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import { MALFORMED, type Tree } from "../tree.js";
import { hex2, ipv4At, ipv4StringAt, ipv6ToString } from "../format.js";
import { compareEndpoints, KeyTable, putAddrKey, secondsBetween } from "../session.js";
import { absoluteTimeText } from "./frame.js";
import { hf as tcpHf } from "./tcp.js";
import { putU16, putU32, type Layer } from "../build.js";
import {
  AFAMILIES, CERT_TYPES, CLASSES, DNSSEC_ALGOS, DS_DIGESTS, EDNS_OPTS, HIP_ALGOS, IPSECKEY_GW_ALGOS, IPSECKEY_GW_TYPES,
  NSEC3_HASHES, OPCODES, RCODES, SSHFP_ALGOS, SSHFP_TYPES, SVCB_KEYS, TFS, TKEY_MODES, TLSA_MATCHING, TLSA_SELECTORS,
  TLSA_USAGES, TYPE_LONG, TYPE_SHORT, extErrorName,
} from "./dns-types.js";

const ID = 0, FLAGS = 2, QDCOUNT = 4, ANCOUNT = 6, NSCOUNT = 8, ARCOUNT = 10, HDR = 12;

const F_RESPONSE = 0x8000, F_AUTHENTIC = 0x0020;
const OPCODE_UPDATE = 5, OPCODE_DSO = 6;

const T_A = 1, T_NS = 2, T_MD = 3, T_MF = 4, T_CNAME = 5, T_SOA = 6, T_MB = 7, T_MG = 8, T_MR = 9, T_NULL = 10,
  T_WKS = 11, T_PTR = 12, T_HINFO = 13, T_MINFO = 14, T_MX = 15, T_TXT = 16, T_RP = 17, T_AFSDB = 18, T_X25 = 19,
  T_ISDN = 20, T_RT = 21, T_NSAP = 22, T_NSAP_PTR = 23, T_SIG = 24, T_KEY = 25, T_PX = 26, T_GPOS = 27, T_AAAA = 28,
  T_LOC = 29, T_NXT = 30, T_SRV = 33, T_NAPTR = 35, T_KX = 36, T_CERT = 37, T_A6 = 38, T_DNAME = 39, T_OPT = 41,
  T_APL = 42, T_DS = 43, T_SSHFP = 44, T_IPSECKEY = 45, T_RRSIG = 46, T_NSEC = 47, T_DNSKEY = 48, T_DHCID = 49,
  T_NSEC3 = 50, T_NSEC3PARAM = 51, T_TLSA = 52, T_HIP = 55, T_CDS = 59, T_CDNSKEY = 60, T_OPENPGPKEY = 61,
  T_CSYNC = 62, T_ZONEMD = 63, T_SVCB = 64, T_HTTPS = 65, T_SPF = 99, T_NID = 104, T_L32 = 105, T_L64 = 106,
  T_LP = 107, T_EUI48 = 108, T_EUI64 = 109, T_TKEY = 249, T_TSIG = 250, T_IXFR = 251, T_AXFR = 252, T_CAA = 257,
  T_DLV = 32769, T_WINS = 65281, T_WINS_R = 65282, T_XPF = 65422;

export const hf = registerProtocol("dns", "DNS", {
    length: { abbrev: "dns.length", name: "Length", type: FT.UINT16 },
    flags: { abbrev: "dns.flags", name: "Flags", type: FT.UINT16, base: Base.HEX },
    flags_response: { abbrev: "dns.flags.response", name: "Response", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16, tfs: TFS.response },
    flags_opcode: { abbrev: "dns.flags.opcode", name: "Opcode", type: FT.UINT16, mask: 0x7800, strings: OPCODES },
    flags_authoritative: { abbrev: "dns.flags.authoritative", name: "Authoritative", type: FT.BOOLEAN, mask: 0x400, bitWidth: 16, tfs: TFS.authoritative },
    flags_conflict: { abbrev: "dns.flags.conflict", name: "Conflict", type: FT.BOOLEAN, mask: 0x400, bitWidth: 16, tfs: ["The sender received multiple responses", "None"] },
    flags_truncated: { abbrev: "dns.flags.truncated", name: "Truncated", type: FT.BOOLEAN, mask: 0x200, bitWidth: 16, tfs: TFS.truncated },
    flags_recdesired: { abbrev: "dns.flags.recdesired", name: "Recursion desired", type: FT.BOOLEAN, mask: 0x100, bitWidth: 16, tfs: TFS.recdesired },
    flags_tentative: { abbrev: "dns.flags.tentative", name: "Tentative", type: FT.BOOLEAN, mask: 0x100, bitWidth: 16, tfs: ["Tentative", "Not tentative"] },
    flags_recavail: { abbrev: "dns.flags.recavail", name: "Recursion available", type: FT.BOOLEAN, mask: 0x80, bitWidth: 16, tfs: TFS.recavail },
    flags_z: { abbrev: "dns.flags.z", name: "Z", type: FT.BOOLEAN, mask: 0x40, bitWidth: 16, tfs: TFS.z },
    flags_authenticated: { abbrev: "dns.flags.authenticated", name: "Answer authenticated", type: FT.BOOLEAN, mask: 0x20, bitWidth: 16, tfs: TFS.authenticated },
    flags_checkdisable: { abbrev: "dns.flags.checkdisable", name: "Non-authenticated data", type: FT.BOOLEAN, mask: 0x10, bitWidth: 16, tfs: TFS.checkdisable },
    flags_rcode: { abbrev: "dns.flags.rcode", name: "Reply code", type: FT.UINT16, mask: 0xf, strings: RCODES },
    id: { abbrev: "dns.id", name: "Transaction ID", type: FT.UINT16, base: Base.HEX },
    qry_type: { abbrev: "dns.qry.type", name: "Type", type: FT.UINT16, strings: TYPE_LONG },
    qry_class: { abbrev: "dns.qry.class", name: "Class", type: FT.UINT16, base: Base.HEX, strings: CLASSES },
    qry_qu: { abbrev: "dns.qry.qu", name: '"QU" question', type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16 },
    qry_name: { abbrev: "dns.qry.name", name: "Name", type: FT.STRING },
    qry_name_len: { abbrev: "dns.qry.name.len", name: "Name Length", type: FT.UINT16, generated: true },
    count_labels: { abbrev: "dns.count.labels", name: "Label Count", type: FT.UINT16, generated: true },
    resp_type: { abbrev: "dns.resp.type", name: "Type", type: FT.UINT16, strings: TYPE_LONG },
    resp_class: { abbrev: "dns.resp.class", name: "Class", type: FT.UINT16, base: Base.HEX, strings: CLASSES },
    resp_cache_flush: { abbrev: "dns.resp.cache_flush", name: "Cache flush", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16 },
    resp_ext_rcode: { abbrev: "dns.resp.ext_rcode", name: "Higher bits in extended RCODE", type: FT.UINT8, base: Base.HEX },
    resp_edns0_version: { abbrev: "dns.resp.edns0_version", name: "EDNS0 version", type: FT.UINT8 },
    resp_z: { abbrev: "dns.resp.z", name: "Z", type: FT.UINT16, base: Base.HEX },
    resp_z_do: { abbrev: "dns.resp.z.do", name: "DO bit", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16, tfs: TFS.do },
    resp_z_reserved: { abbrev: "dns.resp.z.reserved", name: "Reserved", type: FT.UINT16, base: Base.HEX, mask: 0x7fff },
    srv_service: { abbrev: "dns.srv.service", name: "Service", type: FT.STRING },
    srv_proto: { abbrev: "dns.srv.proto", name: "Protocol", type: FT.STRING },
    srv_name: { abbrev: "dns.srv.name", name: "Name", type: FT.STRING },
    srv_priority: { abbrev: "dns.srv.priority", name: "Priority", type: FT.UINT16 },
    srv_weight: { abbrev: "dns.srv.weight", name: "Weight", type: FT.UINT16 },
    srv_port: { abbrev: "dns.srv.port", name: "Port", type: FT.UINT16 },
    srv_target: { abbrev: "dns.srv.target", name: "Target", type: FT.STRING },
    naptr_order: { abbrev: "dns.naptr.order", name: "Order", type: FT.UINT16 },
    naptr_preference: { abbrev: "dns.naptr.preference", name: "Preference", type: FT.UINT16 },
    naptr_flags_length: { abbrev: "dns.naptr.flags_length", name: "Flags Length", type: FT.UINT8 },
    naptr_flags: { abbrev: "dns.naptr.flags", name: "Flags", type: FT.STRING },
    naptr_service_length: { abbrev: "dns.naptr.service_length", name: "Service Length", type: FT.UINT8 },
    naptr_service: { abbrev: "dns.naptr.service", name: "Service", type: FT.STRING },
    naptr_regex_length: { abbrev: "dns.naptr.regex_length", name: "Regex Length", type: FT.UINT8 },
    naptr_regex: { abbrev: "dns.naptr.regex", name: "Regex", type: FT.STRING },
    naptr_replacement_length: { abbrev: "dns.naptr.replacement_length", name: "Replacement Length", type: FT.UINT8, generated: true },
    naptr_replacement: { abbrev: "dns.naptr.replacement", name: "Replacement", type: FT.STRING },
    resp_name: { abbrev: "dns.resp.name", name: "Name", type: FT.STRING },
    resp_ttl: { abbrev: "dns.resp.ttl", name: "Time to live", type: FT.UINT32 },
    resp_len: { abbrev: "dns.resp.len", name: "Data length", type: FT.UINT16 },
    a: { abbrev: "dns.a", name: "Address", type: FT.IPV4 },
    md: { abbrev: "dns.md", name: "Mail Destination", type: FT.STRING },
    mf: { abbrev: "dns.mf", name: "Mail Forwarder", type: FT.STRING },
    mb: { abbrev: "dns.mb", name: "MailBox Domaine", type: FT.STRING },
    mg: { abbrev: "dns.mg", name: "Mail Group member", type: FT.STRING },
    mr: { abbrev: "dns.mr", name: "Mail Rename domaine", type: FT.STRING },
    null: { abbrev: "dns.null", name: "Null (data)", type: FT.BYTES },
    aaaa: { abbrev: "dns.aaaa", name: "AAAA Address", type: FT.IPV6 },
    cname: { abbrev: "dns.cname", name: "CNAME", type: FT.STRING },
    rr_udp_payload_size: { abbrev: "dns.rr.udp_payload_size", name: "UDP payload size", type: FT.UINT16 },
    soa_mname: { abbrev: "dns.soa.mname", name: "Primary name server", type: FT.STRING },
    soa_rname: { abbrev: "dns.soa.rname", name: "Responsible authority's mailbox", type: FT.STRING },
    soa_serial_number: { abbrev: "dns.soa.serial_number", name: "Serial Number", type: FT.UINT32 },
    soa_refresh_interval: { abbrev: "dns.soa.refresh_interval", name: "Refresh Interval", type: FT.UINT32 },
    soa_retry_interval: { abbrev: "dns.soa.retry_interval", name: "Retry Interval", type: FT.UINT32 },
    soa_expire_limit: { abbrev: "dns.soa.expire_limit", name: "Expire limit", type: FT.UINT32 },
    soa_minimum_ttl: { abbrev: "dns.soa.minimum_ttl", name: "Minimum TTL", type: FT.UINT32 },
    ptr_domain_name: { abbrev: "dns.ptr.domain_name", name: "Domain Name", type: FT.STRING },
    wks_address: { abbrev: "dns.wks.address", name: "Address", type: FT.IPV4 },
    wks_protocol: { abbrev: "dns.wks.protocol", name: "Protocol", type: FT.UINT8 },
    wks_bits: { abbrev: "dns.wks.bits", name: "Bits", type: FT.UINT8, base: Base.HEX },
    hinfo_cpu_length: { abbrev: "dns.hinfo.cpu_length", name: "CPU Length", type: FT.UINT8 },
    hinfo_cpu: { abbrev: "dns.hinfo.cpu", name: "CPU", type: FT.STRING },
    hinfo_os_length: { abbrev: "dns.hinfo.os_length", name: "OS Length", type: FT.UINT8 },
    hinfo_os: { abbrev: "dns.hinfo.os", name: "OS", type: FT.STRING },
    minfo_r: { abbrev: "dns.minfo.r", name: "Responsible Mailbox", type: FT.STRING },
    minfo_e: { abbrev: "dns.minfo.e", name: "Error Mailbox", type: FT.STRING },
    mx_preference: { abbrev: "dns.mx.preference", name: "Preference", type: FT.UINT16 },
    mx_mail_exchange: { abbrev: "dns.mx.mail_exchange", name: "Mail Exchange", type: FT.STRING },
    txt_length: { abbrev: "dns.txt.length", name: "TXT Length", type: FT.UINT8 },
    txt: { abbrev: "dns.txt", name: "TXT", type: FT.STRING },
    openpgpkey: { abbrev: "dns.openpgpkey", name: "OpenPGP Key", type: FT.STRING },
    csync_soa: { abbrev: "dns.csync.soa", name: "SOA", type: FT.UINT32 },
    csync_flags: { abbrev: "dns.csync.flags", name: "Flags", type: FT.UINT16, base: Base.HEX },
    csync_flags_immediate: { abbrev: "dns.csync.flags.immediate", name: "immediate", type: FT.BOOLEAN, mask: 0x1, bitWidth: 16 },
    csync_flags_soaminimum: { abbrev: "dns.csync.flags.soaminimum", name: "soaminimum", type: FT.BOOLEAN, mask: 0x2, bitWidth: 16 },
    csync_type_bitmap: { abbrev: "dns.csync.type_bitmap", name: "Type Bitmap", type: FT.BYTES },
    zonemd_serial: { abbrev: "dns.zonemd.serial", name: "Serial", type: FT.UINT32 },
    zonemd_scheme: { abbrev: "dns.zonemd.scheme", name: "Scheme", type: FT.UINT8 },
    zonemd_hash_algo: { abbrev: "dns.zonemd.hash_algo", name: "Hash Algorithm", type: FT.UINT8 },
    zonemd_digest: { abbrev: "dns.zonemd.digest", name: "Digest", type: FT.BYTES },
    svcb_svcpriority: { abbrev: "dns.svcb.svcpriority", name: "SvcPriority", type: FT.UINT16 },
    svcb_targetname: { abbrev: "dns.svcb.targetname", name: "TargetName", type: FT.STRING },
    svcb_svcparam_key: { abbrev: "dns.svcb.svcparam.key", name: "SvcParamKey", type: FT.UINT16, strings: SVCB_KEYS },
    svcb_svcparam_value_length: { abbrev: "dns.svcb.svcparam.value.length", name: "SvcParamValue length", type: FT.UINT16 },
    svcb_svcparam_value: { abbrev: "dns.svcb.svcparam.value", name: "SvcParamValue", type: FT.BYTES },
    svcb_svcparam: { abbrev: "dns.svcb.svcparam", name: "SvcParam", type: FT.NONE },
    svcb_svcparam_mandatory_key: { abbrev: "dns.svcb.svcparam.mandatory.key", name: "Mandatory key", type: FT.UINT16, strings: SVCB_KEYS },
    svcb_svcparam_alpn_length: { abbrev: "dns.svcb.svcparam.alpn.length", name: "ALPN length", type: FT.UINT8 },
    svcb_svcparam_alpn: { abbrev: "dns.svcb.svcparam.alpn", name: "ALPN", type: FT.STRING },
    svcb_svcparam_port: { abbrev: "dns.svcb.svcparam.port", name: "Port", type: FT.UINT16 },
    svcb_svcparam_ipv4hint_ip: { abbrev: "dns.svcb.svcparam.ipv4hint.ip", name: "IP", type: FT.IPV4 },
    svcb_svcparam_echconfig: { abbrev: "dns.svcb.svcparam.echconfig", name: "ECHConfig", type: FT.BYTES },
    svcb_svcparam_ipv6hint_ip: { abbrev: "dns.svcb.svcparam.ipv6hint.ip", name: "IP", type: FT.IPV6 },
    svcb_svcparam_odohconfig: { abbrev: "dns.svcb.svcparam.odohconfig", name: "ODoHConfig", type: FT.BYTES },
    spf_length: { abbrev: "dns.spf.length", name: "SPF Length", type: FT.UINT8 },
    spf: { abbrev: "dns.spf", name: "SPF", type: FT.STRING },
    ilnp_nid_preference: { abbrev: "dns.ilnp.nid.preference", name: "Preference", type: FT.UINT16 },
    ilnp_nid: { abbrev: "dns.ilnp.nid", name: "NodeID", type: FT.BYTES },
    ilnp_l32_preference: { abbrev: "dns.ilnp.l32.preference", name: "Preference", type: FT.UINT16 },
    ilnp_l32: { abbrev: "dns.ilnp.l32", name: "Locator32", type: FT.IPV4 },
    ilnp_l64_preference: { abbrev: "dns.ilnp.l64.preference", name: "Preference", type: FT.UINT16 },
    ilnp_l64: { abbrev: "dns.ilnp.l64", name: "Locator64", type: FT.BYTES },
    ilnp_lp_preference: { abbrev: "dns.ilnp.lp.preference", name: "Preference", type: FT.UINT16 },
    ilnp_lp: { abbrev: "dns.ilnp.lp", name: "Locator FQDN", type: FT.STRING },
    eui48: { abbrev: "dns.eui48", name: "EUI48 Address", type: FT.ETHER },
    eui64: { abbrev: "dns.eui64", name: "EUI64 Address", type: FT.STRING },
    rrsig_type_covered: { abbrev: "dns.rrsig.type_covered", name: "Type Covered", type: FT.UINT16, strings: TYPE_LONG },
    rrsig_algorithm: { abbrev: "dns.rrsig.algorithm", name: "Algorithm", type: FT.UINT8, strings: DNSSEC_ALGOS },
    rrsig_labels: { abbrev: "dns.rrsig.labels", name: "Labels", type: FT.UINT8 },
    rrsig_original_ttl: { abbrev: "dns.rrsig.original_ttl", name: "Original TTL", type: FT.UINT32 },
    rrsig_signature_expiration: { abbrev: "dns.rrsig.signature_expiration", name: "Signature Expiration", type: FT.ABSOLUTE_TIME },
    rrsig_signature_inception: { abbrev: "dns.rrsig.signature_inception", name: "Signature Inception", type: FT.ABSOLUTE_TIME },
    rrsig_key_tag: { abbrev: "dns.rrsig.key_tag", name: "Key Tag", type: FT.UINT16 },
    rrsig_signers_name: { abbrev: "dns.rrsig.signers_name", name: "Signer's name", type: FT.STRING },
    rrsig_signature: { abbrev: "dns.rrsig.signature", name: "Signature", type: FT.BYTES },
    dnskey_flags: { abbrev: "dns.dnskey.flags", name: "Flags", type: FT.UINT16, base: Base.HEX },
    dnskey_flags_zone_key: { abbrev: "dns.dnskey.flags.zone_key", name: "Zone Key", type: FT.BOOLEAN, mask: 0x100, bitWidth: 16, tfs: TFS.zoneKey },
    dnskey_flags_key_revoked: { abbrev: "dns.dnskey.flags.key_revoked", name: "Key Revoked", type: FT.BOOLEAN, mask: 0x80, bitWidth: 16, tfs: ["Yes", "No"] },
    dnskey_flags_secure_entry_point: { abbrev: "dns.dnskey.flags.secure_entry_point", name: "Key Signing Key", type: FT.BOOLEAN, mask: 0x1, bitWidth: 16, tfs: ["Yes", "No"] },
    dnskey_flags_reserved: { abbrev: "dns.dnskey.flags.reserved", name: "Key Signing Key", type: FT.UINT16, base: Base.HEX, mask: 0xfe7e },
    dnskey_protocol: { abbrev: "dns.dnskey.protocol", name: "Protocol", type: FT.UINT8 },
    dnskey_algorithm: { abbrev: "dns.dnskey.algorithm", name: "Algorithm", type: FT.UINT8, strings: DNSSEC_ALGOS },
    dnskey_key_id: { abbrev: "dns.dnskey.key_id", name: "Key id", type: FT.UINT16, generated: true },
    dnskey_public_key: { abbrev: "dns.dnskey.public_key", name: "Public Key", type: FT.BYTES },
    key_flags: { abbrev: "dns.key.flags", name: "Flags", type: FT.UINT16, base: Base.HEX },
    key_flags_authentication: { abbrev: "dns.key.flags.authentication", name: "Key allowed for authentication", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16, tfs: ["Not Allowed", "Allowed"] },
    key_flags_confidentiality: { abbrev: "dns.key.flags.confidentiality", name: "Key allowed for confidentiality", type: FT.BOOLEAN, mask: 0x4000, bitWidth: 16, tfs: ["Not Allowed", "Allowed"] },
    key_flags_required: { abbrev: "dns.key.flags.required", name: "Key required", type: FT.BOOLEAN, mask: 0x2000, bitWidth: 16, tfs: ["Experimental or optional", "Required"] },
    key_flags_associated_user: { abbrev: "dns.key.flags.associated_user", name: "Key is associated with a user", type: FT.BOOLEAN, mask: 0x400, bitWidth: 16, tfs: ["Yes", "No"] },
    key_flags_associated_named_entity: { abbrev: "dns.key.flags.associated_named_entity", name: "Key is associated with the named entity", type: FT.BOOLEAN, mask: 0x200, bitWidth: 16, tfs: ["Yes", "No"] },
    key_flags_ipsec: { abbrev: "dns.key.flags.ipsec", name: "Key use with IPSEC", type: FT.BOOLEAN, mask: 0x80, bitWidth: 16, tfs: ["Valid", "Invalid"] },
    key_flags_mime: { abbrev: "dns.key.flags.mime", name: "Key use with MIME security multiparts", type: FT.BOOLEAN, mask: 0x40, bitWidth: 16, tfs: ["Valid", "Invalid"] },
    key_flags_signatory: { abbrev: "dns.key.flags.signatory", name: "Signatory", type: FT.UINT16, mask: 0xf },
    key_protocol: { abbrev: "dns.key.protocol", name: "Protocol", type: FT.UINT8 },
    key_algorithm: { abbrev: "dns.key.algorithm", name: "Algorithm", type: FT.UINT8, strings: DNSSEC_ALGOS },
    key_key_id: { abbrev: "dns.key.key_id", name: "Key ID", type: FT.UINT16, generated: true },
    key_public_key: { abbrev: "dns.key.public_key", name: "Public Key", type: FT.BYTES },
    px_preference: { abbrev: "dns.px.preference", name: "Preference", type: FT.UINT16 },
    px_map822: { abbrev: "dns.px.map822", name: "MAP822", type: FT.STRING },
    px_map400: { abbrev: "dns.px.map400", name: "MAPX400", type: FT.STRING },
    tkey_algo_name: { abbrev: "dns.tkey.algo_name", name: "Algorithm name", type: FT.STRING },
    tkey_signature_expiration: { abbrev: "dns.tkey.signature_expiration", name: "Signature Expiration", type: FT.ABSOLUTE_TIME },
    tkey_signature_inception: { abbrev: "dns.tkey.signature_inception", name: "Signature Inception", type: FT.ABSOLUTE_TIME },
    tkey_mode: { abbrev: "dns.tkey.mode", name: "Mode", type: FT.UINT16, strings: TKEY_MODES },
    tkey_error: { abbrev: "dns.tkey.error", name: "Error", type: FT.UINT16, strings: RCODES },
    tkey_key_size: { abbrev: "dns.tkey.key_size", name: "Key Size", type: FT.UINT16 },
    tkey_key_data: { abbrev: "dns.tkey.key_data", name: "Key Data", type: FT.BYTES },
    tkey_other_size: { abbrev: "dns.tkey.other_size", name: "Other Size", type: FT.UINT16 },
    tkey_other_data: { abbrev: "dns.tkey.other_data", name: "Other Data", type: FT.BYTES },
    ipseckey_gateway_precedence: { abbrev: "dns.ipseckey.gateway_precedence", name: "Gateway Precedence", type: FT.UINT8 },
    ipseckey_gateway_algorithm: { abbrev: "dns.ipseckey.gateway_algorithm", name: "Gateway Algorithm", type: FT.UINT8, strings: IPSECKEY_GW_ALGOS },
    ipseckey_gateway_type: { abbrev: "dns.ipseckey.gateway_type", name: "Gateway Type", type: FT.UINT8, strings: IPSECKEY_GW_TYPES },
    ipseckey_gateway_ipv4: { abbrev: "dns.ipseckey.gateway_ipv4", name: "IPv4 Gateway", type: FT.IPV4 },
    ipseckey_gateway_ipv6: { abbrev: "dns.ipseckey.gateway_ipv6", name: "IPv6 Gateway", type: FT.IPV6 },
    ipseckey_gateway_dns: { abbrev: "dns.ipseckey.gateway_dns", name: "DNS Gateway", type: FT.STRING },
    ipseckey_public_key: { abbrev: "dns.ipseckey.public_key", name: "Public Key", type: FT.BYTES },
    xpf_ip_version: { abbrev: "dns.xpf.ip_version", name: "IP Version", type: FT.UINT16 },
    xpf_protocol: { abbrev: "dns.xpf.protocol", name: "Protocol", type: FT.UINT8 },
    xpf_source_ipv4: { abbrev: "dns.xpf.source_ipv4", name: "IPv4 Source", type: FT.IPV4 },
    xpf_destination_ipv4: { abbrev: "dns.xpf.destination_ipv4", name: "IPv4 Destination", type: FT.IPV4 },
    xpf_source_ipv6: { abbrev: "dns.xpf.source_ipv6", name: "IPv6 Source", type: FT.IPV6 },
    xpf_destination_ipv6: { abbrev: "dns.xpf.destination_ipv6", name: "IPv6 Destination", type: FT.IPV6 },
    xpf_sport: { abbrev: "dns.xpf.sport", name: "Source port", type: FT.UINT16 },
    xpf_dport: { abbrev: "dns.xpf.dport", name: "Destination port", type: FT.UINT16 },
    a6_prefix_len: { abbrev: "dns.a6.prefix_len", name: "Prefix len", type: FT.UINT8 },
    a6_address_suffix: { abbrev: "dns.a6.address_suffix", name: "Address Suffix", type: FT.IPV6 },
    a6_prefix_name: { abbrev: "dns.a6.prefix_name", name: "Prefix name", type: FT.STRING },
    dname: { abbrev: "dns.dname", name: "Dname", type: FT.STRING },
    loc_version: { abbrev: "dns.loc.version", name: "Version", type: FT.UINT8 },
    loc_size: { abbrev: "dns.loc.size", name: "Size", type: FT.UINT8 },
    loc_horizontal_precision: { abbrev: "dns.loc.horizontal_precision", name: "Horizontal Precision", type: FT.UINT8 },
    loc_vertical_precision: { abbrev: "dns.loc.vertical_precision", name: "Vertical Precision", type: FT.UINT8 },
    loc_latitude: { abbrev: "dns.loc.latitude", name: "Latitude", type: FT.UINT32 },
    loc_longitude: { abbrev: "dns.loc.longitude", name: "Longitude", type: FT.UINT32 },
    loc_altitude: { abbrev: "dns.loc.altitude", name: "Altitude", type: FT.UINT32 },
    loc_unknown_data: { abbrev: "dns.loc.unknown_data", name: "Unknown data", type: FT.BYTES },
    nxt_next_domain_name: { abbrev: "dns.nxt.next_domain_name", name: "Next Domain Name", type: FT.STRING },
    kx_preference: { abbrev: "dns.kx.preference", name: "Preference", type: FT.UINT16 },
    kx_key_exchange: { abbrev: "dns.kx.key_exchange", name: "Key Exchange", type: FT.STRING },
    cert_type: { abbrev: "dns.cert.type", name: "Type", type: FT.UINT16, strings: CERT_TYPES },
    cert_key_tag: { abbrev: "dns.cert.key_tag", name: "Key Tag", type: FT.UINT16, base: Base.HEX },
    cert_algorithm: { abbrev: "dns.cert.algorithm", name: "Algorithm", type: FT.UINT8, strings: DNSSEC_ALGOS },
    cert_certificate: { abbrev: "dns.cert.certificate", name: "Certificate (or CRL)", type: FT.BYTES },
    nsec_next_domain_name: { abbrev: "dns.nsec.next_domain_name", name: "Next Domain Name", type: FT.STRING },
    ns: { abbrev: "dns.ns", name: "Name Server", type: FT.STRING },
    opt: { abbrev: "dns.opt", name: "Option", type: FT.NONE },
    opt_code: { abbrev: "dns.opt.code", name: "Option Code", type: FT.UINT16, strings: EDNS_OPTS },
    opt_len: { abbrev: "dns.opt.len", name: "Option Length", type: FT.UINT16 },
    opt_data: { abbrev: "dns.opt.data", name: "Option Data", type: FT.BYTES },
    opt_dau: { abbrev: "dns.opt.dau", name: "DAU", type: FT.UINT8, strings: DNSSEC_ALGOS },
    opt_dhu: { abbrev: "dns.opt.dhu", name: "DHU", type: FT.UINT8, strings: DS_DIGESTS },
    opt_n3u: { abbrev: "dns.opt.n3u", name: "N3U", type: FT.UINT8, strings: NSEC3_HASHES },
    opt_client_family: { abbrev: "dns.opt.client.family", name: "Family", type: FT.UINT16, strings: AFAMILIES },
    opt_client_netmask: { abbrev: "dns.opt.client.netmask", name: "Source Netmask", type: FT.UINT8 },
    opt_client_scope: { abbrev: "dns.opt.client.scope", name: "Scope Netmask", type: FT.UINT8 },
    opt_client_addr: { abbrev: "dns.opt.client.addr", name: "Client Subnet", type: FT.BYTES },
    opt_client_addr4: { abbrev: "dns.opt.client.addr4", name: "Client Subnet", type: FT.IPV4 },
    opt_client_addr6: { abbrev: "dns.opt.client.addr6", name: "Client Subnet", type: FT.IPV6 },
    opt_cookie_client: { abbrev: "dns.opt.cookie.client", name: "Client Cookie", type: FT.BYTES },
    opt_cookie_server: { abbrev: "dns.opt.cookie.server", name: "Server Cookie", type: FT.BYTES },
    opt_edns_tcp_keepalive_timeout: { abbrev: "dns.opt.edns_tcp_keepalive.timeout", name: "Timeout", type: FT.UINT16 },
    opt_padding: { abbrev: "dns.opt.padding", name: "Padding", type: FT.BYTES },
    opt_chain_fqdn: { abbrev: "dns.opt.chain.fqdn", name: "Closest Trust Point", type: FT.STRING },
    opt_ext_error_info_code: { abbrev: "dns.opt.ext_error.info_code", name: "Info Code", type: FT.UINT16 },
    opt_ext_error_extra_text: { abbrev: "dns.opt.ext_error.extra_text", name: "Extra Text", type: FT.STRING },
    count_queries: { abbrev: "dns.count.queries", name: "Questions", type: FT.UINT16 },
    count_zones: { abbrev: "dns.count.zones", name: "Zones", type: FT.UINT16 },
    count_answers: { abbrev: "dns.count.answers", name: "Answer RRs", type: FT.UINT16 },
    count_prerequisites: { abbrev: "dns.count.prerequisites", name: "Prerequisites", type: FT.UINT16 },
    count_auth_rr: { abbrev: "dns.count.auth_rr", name: "Authority RRs", type: FT.UINT16 },
    count_updates: { abbrev: "dns.count.updates", name: "Updates", type: FT.UINT16 },
    nsec3_algo: { abbrev: "dns.nsec3.algo", name: "Hash algorithm", type: FT.UINT8, strings: NSEC3_HASHES },
    nsec3_flags: { abbrev: "dns.nsec3.flags", name: "NSEC3 flags", type: FT.UINT8 },
    nsec3_flags_opt_out: { abbrev: "dns.nsec3.flags.opt_out", name: "NSEC3 Opt-out flag", type: FT.BOOLEAN, mask: 0x1, bitWidth: 8, tfs: TFS.optout },
    nsec3_iterations: { abbrev: "dns.nsec3.iterations", name: "NSEC3 iterations", type: FT.UINT16 },
    nsec3_salt_length: { abbrev: "dns.nsec3.salt_length", name: "Salt length", type: FT.UINT8 },
    nsec3_salt_value: { abbrev: "dns.nsec3.salt_value", name: "Salt value", type: FT.BYTES },
    nsec3_hash_length: { abbrev: "dns.nsec3.hash_length", name: "Hash length", type: FT.UINT8 },
    nsec3_hash_value: { abbrev: "dns.nsec3.hash_value", name: "Next hashed owner", type: FT.STRING, generated: true },
    tlsa_certificate_usage: { abbrev: "dns.tlsa.certificate_usage", name: "Certificate Usage", type: FT.UINT8, strings: TLSA_USAGES },
    tlsa_selector: { abbrev: "dns.tlsa.selector", name: "Selector", type: FT.UINT8, strings: TLSA_SELECTORS },
    tlsa_matching_type: { abbrev: "dns.tlsa.matching_type", name: "Matching Type", type: FT.UINT8, strings: TLSA_MATCHING },
    tlsa_certificate_association_data: { abbrev: "dns.tlsa.certificate_association_data", name: "Certificate Association Data", type: FT.BYTES },
    tsig_algorithm_name: { abbrev: "dns.tsig.algorithm_name", name: "Algorithm Name", type: FT.STRING },
    tsig_time_signed: { abbrev: "dns.tsig.time_signed", name: "Time Signed", type: FT.ABSOLUTE_TIME },
    tsig_original_id: { abbrev: "dns.tsig.original_id", name: "Original Id", type: FT.UINT16 },
    tsig_error: { abbrev: "dns.tsig.error", name: "Error", type: FT.UINT16, strings: RCODES },
    tsig_fudge: { abbrev: "dns.tsig.fudge", name: "Fudge", type: FT.UINT16 },
    tsig_mac_size: { abbrev: "dns.tsig.mac_size", name: "MAC Size", type: FT.UINT16 },
    tsig_other_len: { abbrev: "dns.tsig.other_len", name: "Other Len", type: FT.UINT16 },
    tsig_mac: { abbrev: "dns.tsig.mac", name: "MAC", type: FT.NONE },
    tsig_other_data: { abbrev: "dns.tsig.other_data", name: "Other Data", type: FT.BYTES },
    response_in: { abbrev: "dns.response_in", name: "Response In", type: FT.FRAMENUM, generated: true },
    response_to: { abbrev: "dns.response_to", name: "Request In", type: FT.FRAMENUM, generated: true },
    retransmission: { abbrev: "dns.retransmission", name: "Retransmission", type: FT.BOOLEAN, generated: true },
    retransmit_request_in: { abbrev: "dns.retransmit_request_in", name: "Retransmitted request. Original request in", type: FT.FRAMENUM, generated: true },
    retransmit_response_in: { abbrev: "dns.retransmit_response_in", name: "Retransmitted response. Original response in", type: FT.FRAMENUM, generated: true },
    time: { abbrev: "dns.time", name: "Time", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
    unsolicited: { abbrev: "dns.unsolicited", name: "Unsolicited", type: FT.BOOLEAN, generated: true },
    count_add_rr: { abbrev: "dns.count.add_rr", name: "Additional RRs", type: FT.UINT16 },
    sshfp_algorithm: { abbrev: "dns.sshfp.algorithm", name: "Algorithm", type: FT.UINT8, strings: SSHFP_ALGOS },
    sshfp_fingerprint_type: { abbrev: "dns.sshfp.fingerprint.type", name: "Fingerprint type", type: FT.UINT8, strings: SSHFP_TYPES },
    sshfp_fingerprint: { abbrev: "dns.sshfp.fingerprint", name: "Fingerprint", type: FT.BYTES },
    hip_hit_length: { abbrev: "dns.hip.hit.length", name: "HIT length", type: FT.UINT8 },
    hip_hit_pk_algo: { abbrev: "dns.hip.hit.pk.algo", name: "HIT length", type: FT.UINT8, strings: HIP_ALGOS },
    hip_pk_length: { abbrev: "dns.hip.pk.length", name: "PK length", type: FT.UINT16 },
    hip_hit: { abbrev: "dns.hip.hit", name: "Host Identity Tag", type: FT.BYTES },
    hip_pk: { abbrev: "dns.hip.pk", name: "HIP Public Key", type: FT.BYTES },
    hip_rendezvous_server: { abbrev: "dns.hip.rendezvous_server", name: "Rendezvous Server", type: FT.STRING },
    dhcid_rdata: { abbrev: "dns.dhcid.rdata", name: "DHCID Data", type: FT.BYTES },
    ds_key_id: { abbrev: "dns.ds.key_id", name: "Key id", type: FT.UINT16, base: Base.HEX },
    ds_algorithm: { abbrev: "dns.ds.algorithm", name: "Algorithm", type: FT.UINT8, strings: DNSSEC_ALGOS },
    ds_digest_type: { abbrev: "dns.ds.digest_type", name: "Digest Type", type: FT.UINT8, strings: DS_DIGESTS },
    ds_digest: { abbrev: "dns.ds.digest", name: "Digest", type: FT.BYTES },
    apl_address_family: { abbrev: "dns.apl.address_family", name: "Address Family", type: FT.UINT16, strings: AFAMILIES },
    apl_coded_prefix: { abbrev: "dns.apl.coded_prefix", name: "Prefix Length", type: FT.UINT8 },
    apl_negation: { abbrev: "dns.apl.negation", name: "Negation Flag", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: TFS.negation },
    apl_afdlength: { abbrev: "dns.apl.afdlength", name: "Address Length", type: FT.UINT8, mask: 0x7f },
    apl_afdpart_ipv4: { abbrev: "dns.apl.afdpart.ipv4", name: "Address", type: FT.IPV4 },
    apl_afdpart_ipv6: { abbrev: "dns.apl.afdpart.ipv6", name: "Address", type: FT.IPV6 },
    apl_afdpart_data: { abbrev: "dns.apl.afdpart.data", name: "Address", type: FT.BYTES },
    gpos_longitude_length: { abbrev: "dns.gpos.longitude_length", name: "Longitude length", type: FT.UINT8 },
    gpos_longitude: { abbrev: "dns.gpos.longitude", name: "Longitude", type: FT.STRING },
    gpos_latitude_length: { abbrev: "dns.gpos.latitude_length", name: "Latitude length", type: FT.UINT8 },
    gpos_latitude: { abbrev: "dns.gpos.latitude", name: "Latitude", type: FT.STRING },
    gpos_altitude_length: { abbrev: "dns.gpos.altitude_length", name: "Altitude length", type: FT.UINT8 },
    gpos_altitude: { abbrev: "dns.gpos.altitude", name: "Altitude", type: FT.STRING },
    rp_mailbox: { abbrev: "dns.rp.mailbox", name: "Mailbox", type: FT.STRING },
    rp_txt_rr: { abbrev: "dns.rp.txt_rr", name: "TXT RR", type: FT.STRING },
    afsdb_subtype: { abbrev: "dns.afsdb.subtype", name: "Subtype", type: FT.UINT16 },
    afsdb_hostname: { abbrev: "dns.afsdb.hostname", name: "Hostname", type: FT.STRING },
    x25_length: { abbrev: "dns.x25.length", name: "Length", type: FT.UINT8 },
    x25_psdn_address: { abbrev: "dns.x25.psdn_address", name: "PSDN-Address", type: FT.STRING },
    idsn_length: { abbrev: "dns.idsn.length", name: "Length", type: FT.UINT8 },
    idsn_address: { abbrev: "dns.idsn.address", name: "ISDN Address", type: FT.STRING },
    idsn_sa_length: { abbrev: "dns.idsn.sa.length", name: "Length", type: FT.UINT8 },
    idsn_sa_address: { abbrev: "dns.idsn.sa.address", name: "Sub Address", type: FT.STRING },
    rt_subtype: { abbrev: "dns.rt.subtype", name: "Preference", type: FT.UINT16 },
    rt_intermediate_host: { abbrev: "dns.rt.intermediate_host", name: "Intermediate Hostname", type: FT.STRING },
    nsap_rdata: { abbrev: "dns.nsap.rdata", name: "NSAP Data", type: FT.BYTES },
    nsap_ptr_owner: { abbrev: "dns.nsap_ptr.owner", name: "Owner", type: FT.STRING },
    caa_flags: { abbrev: "dns.caa.flags", name: "CAA Flags", type: FT.UINT8, base: Base.HEX },
    caa_flags_issuer_critical: { abbrev: "dns.caa.flags.issuer_critical", name: "Issuer Critical", type: FT.BOOLEAN, mask: 0x80, bitWidth: 8, tfs: ["Critical", "Not critical"] },
    caa_issue: { abbrev: "dns.caa.issue", name: "Issue", type: FT.STRING },
    caa_issuewild: { abbrev: "dns.caa.issuewild", name: "Issue Wildcard", type: FT.STRING },
    caa_iodef: { abbrev: "dns.caa.iodef", name: "Report URL", type: FT.STRING },
    caa_unknown: { abbrev: "dns.caa.unknown", name: "Unknown tag", type: FT.STRING },
    caa_tag_length: { abbrev: "dns.caa.tag_length", name: "Tag length", type: FT.UINT8 },
    caa_tag: { abbrev: "dns.caa.tag", name: "Tag", type: FT.STRING },
    caa_value: { abbrev: "dns.caa.value", name: "Value", type: FT.STRING },
    extraneous_data: { abbrev: "dns.extraneous.data", name: "Extraneous Data Bytes", type: FT.BYTES },
    extraneous_length: { abbrev: "dns.extraneous.length", name: "Extraneous Data Length", type: FT.INT32, generated: true },
    wins_local_flag: { abbrev: "dns.wins.local_flag", name: "Local Flag", type: FT.BOOLEAN, mask: 0x1, bitWidth: 32, tfs: ["True", "False"] },
    wins_lookup_timeout: { abbrev: "dns.wins.lookup_timeout", name: "Lookup timeout", type: FT.UINT32 },
    wins_cache_timeout: { abbrev: "dns.wins.cache_timeout", name: "Cache timeout", type: FT.UINT32 },
    wins_nb_wins_servers: { abbrev: "dns.wins.nb_wins_servers", name: "Number of WINS servers", type: FT.UINT32 },
    wins_wins_server: { abbrev: "dns.wins.wins_server", name: "WINS Server Address", type: FT.IPV4 },
    winsr_local_flag: { abbrev: "dns.winsr.local_flag", name: "Local Flag", type: FT.BOOLEAN, mask: 0x1, bitWidth: 32, tfs: ["True", "False"] },
    winsr_lookup_timeout: { abbrev: "dns.winsr.lookup_timeout", name: "Lookup timeout", type: FT.UINT32 },
    winsr_cache_timeout: { abbrev: "dns.winsr.cache_timeout", name: "Cache timeout", type: FT.UINT32 },
    winsr_name_result_domain: { abbrev: "dns.winsr.name_result_domain", name: "Name Result Domain", type: FT.STRING },
    data: { abbrev: "dns.data", name: "Data", type: FT.BYTES },
    dso: { abbrev: "dns.dso", name: "DNS Stateful Operation", type: FT.NONE },
    dso_tlv: { abbrev: "dns.dso.tlv", name: "DSO TLV", type: FT.NONE },
    dso_tlv_type: { abbrev: "dns.dso.tlv.type", name: "Type", type: FT.UINT16 },
    dso_tlv_length: { abbrev: "dns.dso.tlv.length", name: "Length", type: FT.UINT16 },
    dso_tlv_data: { abbrev: "dns.dso.tlv.data", name: "Data", type: FT.BYTES },
    dso_tlv_keepalive_inactivity: { abbrev: "dns.dso.tlv.keepalive.inactivity", name: "Inactivity Timeout", type: FT.UINT32 },
    dso_tlv_keepalive_interval: { abbrev: "dns.dso.tlv.keepalive.interval", name: "Keepalive Interval", type: FT.UINT32 },
    dso_tlv_retrydelay_retrydelay: { abbrev: "dns.dso.tlv.retrydelay.retrydelay", name: "Retry Delay", type: FT.UINT32 },
    dso_tlv_encpad_padding: { abbrev: "dns.dso.tlv.encpad.padding", name: "Padding", type: FT.BYTES },
});

/** mDNS and LLMNR are DNS under their own protocol names (frame.protocols "mdns" / "llmnr"). */
export const mdns = registerProtocol("mdns", "MDNS", {});
export const llmnr = registerProtocol("llmnr", "LLMNR", {});

export const ei = registerExperts(hf.proto, {
  opt_bad_length: { abbrev: "dns.rr.opt.bad_length", group: "malformed", severity: "error", summary: "Length too long for any type of IP address." },
  undecoded_type: { abbrev: "dns.undecoded.type", group: "undecoded", severity: "note", summary: "Undecoded option" },
  depr_opc: { abbrev: "dns.depr.opc", group: "protocol", severity: "warn", summary: "Deprecated opcode" },
  ttl_high_bit: { abbrev: "dns.ttl.high_bit_set", group: "protocol", severity: "warn", summary: "The uppermost bit of the TTL is set (RFC 2181, section 8)" },
  tsig_noalg: { abbrev: "dns.tsig.noalg", group: "undecoded", severity: "warn", summary: "No dissector for algorithm" },
  key_id_short: { abbrev: "dns.key_id_buffer_too_short", group: "protocol", severity: "warn", summary: "Buffer too short to compute a key id" },
  retransmit_request: { abbrev: "dns.retransmit_request", group: "protocol", severity: "warn", summary: "DNS query retransmission" },
  retransmit_response: { abbrev: "dns.retransmit_response", group: "protocol", severity: "warn", summary: "DNS response retransmission" },
  extraneous: { abbrev: "dns.extraneous", group: "undecoded", severity: "note", summary: "Extraneous data" },
});

// ---------------------------------------------------------------------------------------------
// Raw reads (callers bounds-check first) and text helpers
// ---------------------------------------------------------------------------------------------

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

/** Bounds for bytes read one at a time (names): fails on the first byte that is out of reach. */
function need(t: Tree, o: number, n: number): void {
  if (n > 0 && o + n > t.cap) t.check(o > t.cap ? o : t.cap, 1);
}

function asciiEscape(c: number): string {
  switch (c) {
    case 7: return "\\a";
    case 8: return "\\b";
    case 12: return "\\f";
    case 10: return "\\n";
    case 13: return "\\r";
    case 9: return "\\t";
    case 11: return "\\v";
    default: return "\\" + ((c >> 6) & 3) + ((c >> 3) & 7) + (c & 7);
  }
}

/** Not printable for GLib's g_unichar_isprint: control, format, unassigned, surrogate. */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]$/u;
const HEXU = "0123456789ABCDEF";

/**
 * Wireshark's format_text(): printable ASCII as is, C escapes for other ASCII, UTF-8 sequences
 * decoded (invalid ones as U+FFFD), non-printable code points as \uXXXX.
 */
export function formatText(b: Uint8Array, start: number, len: number): string {
  let s = "";
  let i = start;
  const end = start + len;
  while (i < end) {
    let c = b[i++]!;
    if (c >= 0x20 && c < 0x7f) {
      s += String.fromCharCode(c);
      continue;
    }
    if (c < 0x80) {
      s += asciiEscape(c);
      continue;
    }
    let more = -1, mask = 0;
    if ((c & 0xe0) === 0xc0) { more = 1; mask = 0x1f; }
    else if ((c & 0xf0) === 0xe0) { more = 2; mask = 0x0f; }
    else if ((c & 0xf8) === 0xf0) { more = 3; mask = 0x07; }
    else if ((c & 0xfc) === 0xf8) { more = 4; mask = 0x03; }
    else if ((c & 0xfe) === 0xfc) { more = 5; mask = 0x01; }
    let uc = 0xfffd;
    if (more > 0) {
      uc = c & mask;
      for (let k = 0; k < more; k++) {
        if (i >= end) { uc = 0xfffd; break; }
        c = b[i]!;
        if ((c & 0xc0) !== 0x80) { uc = 0xfffd; break; }
        i++;
        uc = uc * 64 + (c & 0x3f);
      }
      if (!(uc < 0x110000 && (uc < 0xd800 || uc > 0xdfff))) uc = 0xfffd;
    }
    const ch = String.fromCodePoint(uc);
    if (!NON_PRINTABLE.test(ch)) s += ch;
    else if (c < 0x80) s += asciiEscape(c);
    else if (uc <= 0xffff) s += "\\u" + HEXU[(uc >> 12) & 15] + HEXU[(uc >> 8) & 15] + HEXU[(uc >> 4) & 15] + HEXU[uc & 15];
    else s += "\\U" + uc.toString(16).toUpperCase().padStart(8, "0");
  }
  return s;
}

/** ENC_ASCII string as a field value: stops at NUL, bytes >= 0x80 become U+FFFD. */
export function asciiString(d: Uint8Array, o: number, len: number): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    const c = d[o + i]!;
    if (c === 0) break;
    s += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
  }
  return s;
}

const UTF8 = new TextDecoder("utf-8");

/** ENC_UTF_8 string as a field value: stops at NUL, invalid sequences become U+FFFD. */
export function utf8String(d: Uint8Array, o: number, len: number): string {
  let e = o;
  const end = o + len;
  while (e < end && d[e] !== 0) e++;
  return UTF8.decode(d.subarray(o, e));
}

/** Wireshark's unsigned_time_secs_to_str(): "1 day, 2 hours, 3 minutes, 4 seconds". */
export function timeSecsText(v: number): string {
  if (v === 0) return "0 seconds";
  const parts: string[] = [];
  const days = Math.floor(v / 86400), hours = Math.floor(v / 3600) % 24, mins = Math.floor(v / 60) % 60, secs = v % 60;
  if (days) parts.push(`${days} day${days === 1 ? "" : "s"}`);
  if (hours) parts.push(`${hours} hour${hours === 1 ? "" : "s"}`);
  if (mins) parts.push(`${mins} minute${mins === 1 ? "" : "s"}`);
  if (secs) parts.push(`${secs} second${secs === 1 ? "" : "s"}`);
  return parts.join(", ");
}


function typeShort(type: number): string {
  return TYPE_SHORT.get(type) ?? `Unknown (${type})`;
}

// ---------------------------------------------------------------------------------------------
// Names (RFC 1035 4.1.4 compression, RFC 2673 bit-string labels), as Wireshark expands them
// ---------------------------------------------------------------------------------------------

/** Wireshark's MAX_DNAME_LEN: the expanded text it keeps; longer names become "<Name too long>". */
const MAX_DNAME_LEN = 255;
const MIN_DNAME_LEN = 2;

const NAME_ROOT = "<Root>";
const NAME_LOOPS = "<Name contains a pointer that loops>";
const NAME_TOO_LONG = "<Name too long>";
const NAME_UNKNOWN_EXT = "<Unknown extended label>";

const nameBuf = new Uint8Array(MAX_DNAME_LEN + 8);

/** The name walked last: its raw length (Wireshark's name_len) and a fixed text for odd names. */
const nm = { len: 0, special: null as string | null };

function putAscii(pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) nameBuf[pos + i] = s.charCodeAt(i);
  return pos + s.length;
}

/**
 * Walks the encoded name at `off` (pointers are relative to `base`, the message start) and returns
 * the bytes it occupies at `off`. Reads byte by byte with the Tree's bounds, so a name running off
 * the packet fails exactly where Wireshark's does; a pointer chain longer than 255 jumps is reported
 * as a loop instead of being followed forever. `maxLen` (0 = none) bounds names inside an option.
 * The text is built only on request, by nameText().
 */
/**
 * Label steps one packet may spend expanding names. Real messages need a few thousand; the
 * public tcpdump-dns_fwdptr.pcap (64,259 queries through forward-pointer chains) needs about 250
 * million, decoded in ~2 s, the same as tshark; a few bit flips in it make billions, on which
 * tshark spends minutes. Past the budget (~3 s here) the packet is marked malformed instead.
 */
const NAME_STEP_BUDGET = 300_000_000;
let budgetSerial = -1;
let budget = 0;

export function walkName(t: Tree, off: number, base: number, maxLen = 0): number {
  const d = t.d;
  let o = off, len = -1, ptrs = 0, maxname = MAX_DNAME_LEN, n = 0, nl = 0;
  nm.special = null;
  if (t.serial !== budgetSerial) {
    budgetSerial = t.serial;
    budget = NAME_STEP_BUDGET;
  }
  for (;;) {
    if (--budget < 0) throw MALFORMED;
    if (maxLen && o - off > maxLen - 1) break;
    need(t, o, 1);
    let c = d[o++]!;
    if (c === 0) break;
    switch (c & 0xc0) {
      case 0x00: {
        if (n > 0) {
          if (maxname > 0) {
            nameBuf[n++] = 0x2e;
            nl++;
            maxname--;
          }
        } else maxname--;
        if (maxLen) {
          while (c > 0) {
            if (o - off > maxLen - 1) throw MALFORMED;
            if (maxname > 0) {
              need(t, o, 1);
              nameBuf[n++] = d[o]!;
              nl++;
              maxname--;
            }
            c--;
            o++;
          }
        } else {
          const take = maxname > 0 ? (c < maxname ? c : maxname) : 0;
          need(t, o, take);
          for (let i = 0; i < take; i++) nameBuf[n++] = d[o + i]!;
          nl += take;
          maxname -= take;
          o += c;
        }
        break;
      }
      case 0x40: {
        if ((c & 0x3f) !== 1) {
          nm.special = NAME_UNKNOWN_EXT;
          nm.len = NAME_UNKNOWN_EXT.length;
          return checkNameLen(o - off);
        }
        // Bit-string label "\[xHEX/bits]": appended without a dot and, as in Wireshark, not
        // counted in the name length.
        need(t, o, 1);
        const bits = d[o++]!;
        let labelLen = Math.trunc((bits - 1) / 8) + 1;
        if (maxname > 0) {
          if (3 <= maxname) { n = putAscii(n, "\\[x"); maxname -= 3; } else maxname = 0;
        }
        while (labelLen-- > 0) {
          if (maxname > 0) {
            need(t, o, 1);
            if (2 <= maxname) { n = putAscii(n, hex2(d[o]!)); maxname -= 2; } else maxname = 0;
          }
          o++;
        }
        if (maxname > 0) {
          const tail = `/${bits}]`;
          if (tail.length <= maxname) { n = putAscii(n, tail); maxname -= tail.length; } else maxname = 0;
        }
        break;
      }
      case 0x80:
        throw MALFORMED;
      default: {
        need(t, o, 1);
        const ind = base + (((c & 0x3f) << 8) | d[o]!);
        o++;
        ptrs++;
        if (len < 0) len = o - off;
        if (ind === o + 2 || ptrs > MAX_DNAME_LEN) {
          nm.special = NAME_LOOPS;
          nm.len = NAME_LOOPS.length;
          return checkNameLen(len);
        }
        o = ind;
      }
    }
  }
  if (len < 0) len = o - off;
  if (maxname <= 0) {
    nm.special = NAME_TOO_LONG;
    nm.len = NAME_TOO_LONG.length;
    return checkNameLen(len);
  }
  if ((n === 0 || nameBuf[0] === 0) && len <= MIN_DNAME_LEN) {
    nm.special = NAME_ROOT;
    nm.len = NAME_ROOT.length;
    return len;
  }
  nm.len = nl;
  return checkNameLen(len);
}

/** get_dns_name()'s sanity check: a non-root name takes 2+ bytes and expands to something. */
function checkNameLen(len: number): number {
  if (len < MIN_DNAME_LEN || (len > MIN_DNAME_LEN && nm.len === 0)) throw MALFORMED;
  return len;
}

/** Display text of the name walked last (format_text of the expanded bytes). */
export function nameText(): string {
  return nm.special ?? formatText(nameBuf, 0, nm.len);
}

/** Wireshark's qname_labels_count(): dots in the expanded name plus one (0 for the empty name). */
function labelCount(): number {
  if (nm.len <= 1) return 0;
  if (nm.special) return 1;
  let dots = 0;
  for (let i = 0; i < nm.len; i++) if (nameBuf[i] === 0x2e) dots++;
  return dots + 1;
}

// ---------------------------------------------------------------------------------------------
// Request/response matching (dns.response_to, dns.time, retransmissions)
// ---------------------------------------------------------------------------------------------

/** Seconds within which a repeated query id counts as a retransmission (Wireshark's default). */
const RETRANSMISSION_TIMER = 5;

const TRACK_FIELDS = [hf.response_in, hf.response_to, hf.time, hf.retransmission, hf.retransmit_request_in,
  hf.retransmit_response_in, hf.unsolicited, ei.retransmit_request.field, ei.retransmit_response.field];

function wantsTracking(t: Tree): boolean {
  for (const f of TRACK_FIELDS) if (t.wants(f)) return true;
  return false;
}

/**
 * Query/response transactions kept at most; beyond it the least recently used is dropped. tshark
 * keeps them all (matched ones too, to flag retransmitted responses); here a transaction is
 * dropped after 65,536 newer ones, so at 5,000 queries a second a response or retransmission that
 * comes over 13 seconds after its query (more than twice the 5-second retransmission window and
 * longer than resolvers wait) loses its link. About 110 bytes an entry, outside the JS heap (7 MB
 * full); kept only when a matching field is asked for.
 */
export const DNS_TX_CAP = 65_536;

/** Key words: the endpoint with the lower (address, port) first (0..4, 4..8), the ports, id + transport + address length. */
const DK_ADDR_LO = 0, DK_ADDR_HI = 4, DK_PORTS = 8, DK_ID = 9, DK_WIDTH = 10;
/** Value columns (index `slot * DV_WIDTH + column` in `tbl.vals`). */
const DV_REQ_FRAME = 0, DV_REP_FRAME = 1, DV_REQ_SEC = 2, DV_REQ_NSEC = 3, DV_MULTIPLE = 4, DV_WIDTH = 5;

/**
 * Transactions by conversation (address/port pair in either direction, as Wireshark's
 * conversation, and the transport) and query id: numeric keys in a KeyTable, so matching builds
 * no string per message. Values live in the table's columns (DV_*).
 */
export class DnsTransactions {
  readonly tbl: KeyTable;

  constructor(capacity = DNS_TX_CAP) {
    this.tbl = new KeyTable(DK_WIDTH, capacity, DV_WIDTH);
  }

  get size(): number {
    return this.tbl.size;
  }

  /** The slot of this message's transaction (and touches it), or -1. */
  find(p: Packet, tcp: boolean, id: number): number {
    const k = this.tbl.key;
    const d = p.ipData;
    let n = p.ipVersion === 6 ? 16 : 4;
    if (p.ipSrcOff < 0 || p.ipDstOff < 0) {
      // No network layer: one conversation per transport.
      n = 0;
      k.fill(0);
    } else {
      const srcLow = compareEndpoints(d, p.ipSrcOff, p.srcPort, p.ipDstOff, p.dstPort, n) <= 0;
      putAddrKey(k, DK_ADDR_LO, d, srcLow ? p.ipSrcOff : p.ipDstOff, n);
      putAddrKey(k, DK_ADDR_HI, d, srcLow ? p.ipDstOff : p.ipSrcOff, n);
      k[DK_PORTS] = (srcLow ? p.srcPort * 0x10000 + p.dstPort : p.dstPort * 0x10000 + p.srcPort) >>> 0;
    }
    k[DK_ID] = id | (tcp ? 0x10000 : 0) | (n << 17);
    const s = this.tbl.find();
    if (s >= 0) this.tbl.touch(s);
    return s;
  }

  /** Starts a transaction for this query in `slot` (the key of the last `find`; -1 adds it). */
  open(p: Packet, slot: number): number {
    const s = slot >= 0 ? slot : this.tbl.insert();
    const v = this.tbl.vals, r = s * DV_WIDTH;
    v[r + DV_REQ_FRAME] = p.num;
    v[r + DV_REP_FRAME] = 0;
    v[r + DV_REQ_SEC] = p.tsSec;
    v[r + DV_REQ_NSEC] = p.tsNsec;
    v[r + DV_MULTIPLE] = 0;
    return s;
  }

  get(slot: number, column: number): number {
    return this.tbl.vals[slot * DV_WIDTH + column]!;
  }

  set(slot: number, column: number, value: number): void {
    this.tbl.vals[slot * DV_WIDTH + column] = value;
  }
}

const newTransactions = (): DnsTransactions => new DnsTransactions();

// ---------------------------------------------------------------------------------------------
// The message
// ---------------------------------------------------------------------------------------------

const enum Kind {
  DNS,
  MDNS,
  LLMNR,
}

/** Per-message state the record decoders share (one message at a time, so module-level). */
let mdnsMsg = false;
let multipleResponds = false;

/** String field from a name at `o`: walks it, records its text if wanted, returns bytes used. */
function nameField(t: Tree, f: typeof hf.ns, o: number, base: number): number {
  const used = walkName(t, o, base);
  if (t.wants(f)) t.str(f, o, used, nameText());
  return used;
}

/** A string field read with ENC_ASCII (or UTF-8 for mDNS TXT); the bytes are checked either way. */
function strField(t: Tree, f: typeof hf.txt, o: number, len: number, utf8 = false): void {
  if (len < 0) throw MALFORMED;
  if (t.wants(f)) t.str(f, o, len, utf8 ? utf8String(t.d, o, len) : asciiString(t.d, o, len));
  else t.check(o, len);
}

/** FT_BYTES item; a length of -1 runs to the end of the captured data, other negatives fail. */
function bytesField(t: Tree, f: typeof hf.data, o: number, len: number): void {
  if (len === -1) len = Math.max(0, t.cap - o);
  if (len < 0) throw MALFORMED;
  t.bytes(f, o, len);
}

/** An IPv4 field whose value is rebuilt from fewer bytes (zero-padded prefixes). */
function ipv4Value(t: Tree, f: typeof hf.a, a: Uint8Array): void {
  if (t.wants(f)) t.num(f, ipv4At(a, 0));
}

/**
 * Same for IPv6. The Tree records addresses straight from the frame, so point it at the padded
 * copy for this one call (the copy is fresh, so the recorded view stays valid).
 */
function ipv6Value(t: Tree, f: typeof hf.aaaa, a: Uint8Array): void {
  if (!t.wants(f)) return;
  const frame = t.d;
  t.d = a;
  try {
    t.ipv6(f, 0);
  } finally {
    t.d = frame;
  }
}

function absTimeField(t: Tree, f: typeof hf.rrsig_signature_expiration, o: number, len: number, secs: number): void {
  if (t.wants(f)) t.str(f, o, len, absoluteTimeText(secs, 0));
  else t.check(o, len);
}

/**
 * Decodes one DNS message starting at `off` (the 2-byte length prefix first when `tcp`). The
 * message ends at t.rep (callers narrow it to the UDP payload or the TCP PDU).
 */
function dissectMessage(p: Packet, t: Tree, off: number, tcp: boolean, kind: Kind): void {
  const d = t.d;
  const base = tcp ? off + 2 : off;
  const isMdns = kind === Kind.MDNS;
  mdnsMsg = isMdns;
  multipleResponds = false;

  // The protocol is entered before any read, so a message too short for its header is still
  // listed in frame.protocols (as tshark lists it).
  const protoField = kind === Kind.MDNS ? mdns.proto : kind === Kind.LLMNR ? llmnr.proto : hf.proto;
  t.proto(p, protoField, off, Math.max(0, t.cap - off));
  // "[Malformed Packet: mDNS]": Wireshark's short name for it.
  if (kind === Kind.MDNS) t.curProto = "mDNS";
  t.check(base + ID, 2);
  const id = u16(d, base + ID);
  t.check(base + FLAGS, 2);
  const flags = u16(d, base + FLAGS);
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const response = (flags & F_RESPONSE) !== 0;
  const isUpdate = opcode === OPCODE_UPDATE;

  if (p.wantCols) {
    // Each message clears the column (several in one TCP segment: the last one shows).
    p.info.set(OPCODES.get(opcode) ?? `Unknown operation (${opcode})`);
    if (response) p.info.add(" response");
    p.info.add(" 0x").hex(id, 4);
    if (response && rcode !== 0) p.info.char(0x20).add(RCODES.get(rcode) ?? `Unknown error (${rcode})`);
  }

  if (t.full) {
    const what = response ? "response" : "query";
    t.label(kind === Kind.MDNS ? `Multicast Domain Name System (${what})`
      : kind === Kind.LLMNR ? `Link-local Multicast Name Resolution (${what})` : `Domain Name System (${what})`);
  }

  // Matching state is updated before the records are read (as Wireshark does), but only when a
  // matching field can be shown at all.
  // The transaction's slot in `txs` (-1: none); nothing else touches the table until the end of
  // this message.
  let tx = -1;
  let retransmission = false;
  const tracking = wantsTracking(t);
  let txs: DnsTransactions | undefined;
  if (tracking) {
    txs = p.session.store("dns.transactions", newTransactions);
    const last = txs.find(p, tcp, id);
    if (!response) {
      let fresh = last < 0 || txs.get(last, DV_REP_FRAME) > 0;
      if (!fresh) {
        if (secondsBetween(p.tsSec, p.tsNsec, txs.get(last, DV_REQ_SEC), txs.get(last, DV_REQ_NSEC)) < RETRANSMISSION_TIMER) {
          retransmission = true;
          tx = last;
        } else fresh = true;
      }
      if (fresh) tx = txs.open(p, last);
    } else if (last >= 0) {
      tx = last;
      if (txs.get(last, DV_REP_FRAME) === 0) txs.set(last, DV_REP_FRAME, p.num);
      else if (txs.get(last, DV_MULTIPLE) === 0) retransmission = true;
    }
  }

  if (tcp) t.uint(hf.length, off, 2, u16(d, off));
  t.uint(hf.id, base + ID, 2, id);
  const idItem = t.lastItem();
  t.uint(hf.flags, base + FLAGS, 2, flags);
  if (t.full) {
    let lbl = `Flags: 0x${flags.toString(16).padStart(4, "0")} ${OPCODES.get(opcode) ?? "Unknown operation"}`;
    if (response) lbl += ` response, ${RCODES.get(rcode) ?? "Unknown error"}`;
    t.label(lbl);
  }
  t.down();
  const fo = base + FLAGS;
  t.bool(hf.flags_response, fo, 2, flags);
  t.uint(hf.flags_opcode, fo, 2, flags);
  if (kind === Kind.LLMNR) {
    t.bool(hf.flags_conflict, fo, 2, flags);
    if (t.full && response) {
      t.label(`.... .${flags & 0x400 ? 1 : 0}.. .... .... = Conflict: ${flags & 0x400 ? "The name is not considered unique" : "The name is considered unique"}`);
    }
    t.bool(hf.flags_truncated, fo, 2, flags);
    t.bool(hf.flags_tentative, fo, 2, flags);
    if (response) t.uint(hf.flags_rcode, fo, 2, flags);
  } else {
    if (response) t.bool(hf.flags_authoritative, fo, 2, flags);
    t.bool(hf.flags_truncated, fo, 2, flags);
    t.bool(hf.flags_recdesired, fo, 2, flags);
    if (response) t.bool(hf.flags_recavail, fo, 2, flags);
    t.bool(hf.flags_z, fo, 2, flags);
    if (response || (flags & F_AUTHENTIC) !== 0) {
      t.bool(hf.flags_authenticated, fo, 2, flags);
      // a query's AD bit (RFC 6840) is Wireshark's second dns.flags.authenticated, worded "Set"
      if (t.full && !response) t.label(".... .... ..1. .... = AD bit: Set");
    }
    t.bool(hf.flags_checkdisable, fo, 2, flags);
    if (response) t.uint(hf.flags_rcode, fo, 2, flags);
  }
  t.up();

  t.check(base + QDCOUNT, 2);
  const quest = u16(d, base + QDCOUNT);
  t.uint(isUpdate ? hf.count_zones : hf.count_queries, base + QDCOUNT, 2, quest);
  t.check(base + ANCOUNT, 2);
  const ans = u16(d, base + ANCOUNT);
  t.uint(isUpdate ? hf.count_prerequisites : hf.count_answers, base + ANCOUNT, 2, ans);
  t.check(base + NSCOUNT, 2);
  const auth = u16(d, base + NSCOUNT);
  t.uint(isUpdate ? hf.count_updates : hf.count_auth_rr, base + NSCOUNT, 2, auth);
  t.check(base + ARCOUNT, 2);
  const add = u16(d, base + ARCOUNT);
  t.uint(hf.count_add_rr, base + ARCOUNT, 2, add);

  let cur = base + HDR;
  if (opcode === OPCODE_DSO && quest === 0 && ans === 0 && auth === 0 && add === 0) cur += dissectDso(t, cur);

  if (quest > 0) {
    t.text(isUpdate ? "Zone" : "Queries", cur, 0);
    t.down();
    for (let i = 0; i < quest; i++) cur += dissectQuery(p, t, cur, base);
    t.up();
    if (txs && tx >= 0) txs.set(tx, DV_MULTIPLE, multipleResponds ? 1 : 0);
  }
  if (ans > 0) cur = dissectRecords(p, t, cur, base, ans, isUpdate ? "Prerequisites" : "Answers");
  if (auth > 0) cur = dissectRecords(p, t, cur, base, auth, isUpdate ? "Updates" : "Authoritative nameservers");
  if (add > 0) cur = dissectRecords(p, t, cur, base, add, "Additional records");

  if (txs) {
    const reqFrame = tx >= 0 ? txs.get(tx, DV_REQ_FRAME) : 0;
    const repFrame = tx >= 0 ? txs.get(tx, DV_REP_FRAME) : 0;
    if (!response) {
      if (retransmission && reqFrame) {
        t.expertUnder(idItem, p, ei.retransmit_request, base + ID, 2, `DNS query retransmission. Original request in frame ${reqFrame}`);
        t.num(hf.retransmit_request_in, reqFrame);
        t.num(hf.retransmission, 1);
      } else if (repFrame) t.num(hf.response_in, repFrame);
    } else if (reqFrame) {
      if (retransmission && repFrame) {
        t.expertUnder(idItem, p, ei.retransmit_response, base + ID, 2, `DNS response retransmission. Original response in frame ${repFrame}`);
        t.num(hf.retransmit_response_in, repFrame);
        t.num(hf.retransmission, 1);
      } else {
        t.num(hf.response_to, reqFrame);
        if (t.wants(hf.time)) t.relTime(hf.time, p.tsSec, p.tsNsec, txs.get(tx, DV_REQ_SEC), txs.get(tx, DV_REQ_NSEC));
      }
    } else if (!retransmission) t.num(hf.unsolicited, 1);
  }

  const extra = t.rep - cur;
  if (extra > 0) {
    if (t.full) t.text(`Extraneous Data (${extra} bytes)`, cur, extra);
    t.down();
    t.bytes(hf.extraneous_data, cur, extra);
    t.num(hf.extraneous_length, extra);
    t.expert(p, ei.extraneous, cur, extra);
    t.up();
  }
}

/** mDNS shows the class as the low 15 bits of its field: ".000 0000 0000 0001 = Class: IN (0x0001)". */
function mdnsClassLabel(cls: number): string {
  let bits = ".";
  for (let i = 14; i >= 0; i--) bits += ((cls >> i) & 1) + (i % 4 === 0 && i ? " " : "");
  return `${bits} = Class: ${CLASSES.get(cls) ?? "Unknown"} (0x${cls.toString(16).padStart(4, "0")})`;
}

function dissectQuery(p: Packet, t: Tree, o: number, base: number): number {
  const d = t.d;
  const nlen = walkName(t, o, base);
  t.check(o + nlen, 2);
  const type = u16(d, o + nlen);
  t.check(o + nlen + 2, 2);
  let cls = u16(d, o + nlen + 2);
  const qu = mdnsMsg ? cls & 0x8000 : 0;
  if (mdnsMsg) cls &= 0x7fff;
  if (type === T_AXFR || type === T_IXFR) multipleResponds = true;
  const typeName = typeShort(type);
  const nameLen = nm.len;
  const labels = labelCount();
  const wantInfo = p.wantCols && !p.info.full;
  const name = wantInfo || t.full || t.wants(hf.qry_name) ? nameText() : "";
  if (wantInfo) {
    p.info.char(0x20).add(typeName).char(0x20).add(name);
    if (mdnsMsg) p.info.add(qu ? ', "QU" question' : ', "QM" question');
  }
  if (t.full) t.text(`${name}: type ${typeName}, class ${CLASSES.get(cls) ?? "Unknown"}` + (mdnsMsg ? `, "${qu ? "QU" : "QM"}" question` : ""), o, nlen + 4);
  t.down();
  if (t.wants(hf.qry_name)) t.str(hf.qry_name, o, nlen, name);
  t.uint(hf.qry_name_len, o, nlen, nameLen > 1 ? nameLen : 0);
  t.uint(hf.count_labels, o, nlen, labels);
  t.uint(hf.qry_type, o + nlen, 2, type);
  t.uint(hf.qry_class, o + nlen + 2, 2, cls);
  if (mdnsMsg) {
    if (t.full) t.label(mdnsClassLabel(cls));
    t.bool(hf.qry_qu, o + nlen + 2, 2, qu);
  }
  t.up();
  return nlen + 4;
}

function dissectRecords(p: Packet, t: Tree, cur: number, base: number, count: number, title: string): number {
  t.text(title, cur, 0);
  t.down();
  for (let i = 0; i < count; i++) cur += dissectAnswer(p, t, cur, base);
  t.up();
  return cur;
}

/** Types whose Info text is the owner name (Wireshark prints the raw name for these). */
const OWNER_INFO = new Set([T_MD, T_MF, T_MB, T_MG, T_MR, T_NULL, T_MINFO, T_RP, T_AFSDB, T_X25, T_ISDN, T_RT, T_NSAP,
  T_NSAP_PTR, T_PX, T_GPOS, T_APL, T_DHCID, T_NSEC3PARAM, T_TLSA, T_HIP]);

function dissectAnswer(p: Packet, t: Tree, start: number, base: number): number {
  const d = t.d;
  const nlen = walkName(t, start, base);
  let o = start + nlen;
  t.check(o, 2);
  const type = u16(d, o);
  t.check(o + 2, 2);
  let cls = u16(d, o + 2);
  t.check(o + 8, 2);
  const dlen = u16(d, o + 8);
  const flush = mdnsMsg ? cls & 0x8000 : 0;
  const rawCls = cls;
  if (mdnsMsg) cls &= 0x7fff;
  const typeName = typeShort(type);
  const wantOwner = t.full || t.wants(hf.resp_name) || (type === T_SRV && (t.wants(hf.srv_service) || t.wants(hf.srv_proto) || t.wants(hf.srv_name)))
    || (p.wantCols && !p.info.full && OWNER_INFO.has(type));
  const owner = wantOwner ? nameText() : "";
  if (p.wantCols) {
    p.info.char(0x20).add(typeName);
    if (mdnsMsg && flush) p.info.add(", cache flush");
  }
  const rd = o + 10;
  // The record's subtree covers header and data, and Wireshark checks that span when it builds a
  // tree (-V, -T fields, filters), so a record that claims more data than the packet holds is
  // malformed there even if its decoder reads less; the plain summary does not check it.
  if (t.buildsTree) t.check(start, nlen + 10 + dlen);

  if (t.full) {
    let lbl = type !== T_OPT ? `${owner}: type ${typeName}, class ${CLASSES.get(cls) ?? "Unknown"}` : `${owner}: type ${typeName}`;
    if (mdnsMsg && flush) lbl += ", cache flush";
    lbl += dlen ? rrSummary(t, type, rd, base) : "";
    t.text(lbl, start, nlen + 10 + dlen);
  }
  t.down();
  if (type === T_OPT) {
    if (t.wants(hf.resp_name)) t.str(hf.resp_name, start, nlen, owner);
    t.uint(hf.resp_type, o, 2, type);
    o += 2;
    t.uint(hf.rr_udp_payload_size, o, 2, mdnsMsg ? rawCls & 0x7fff : rawCls);
    if (mdnsMsg) t.bool(hf.resp_cache_flush, o, 2, rawCls);
    o += 2;
    t.check(o, 1);
    t.uint(hf.resp_ext_rcode, o, 1, d[o]!);
    t.check(o + 1, 1);
    t.uint(hf.resp_edns0_version, o + 1, 1, d[o + 1]!);
    t.check(o + 2, 2);
    const z = u16(d, o + 2);
    t.uint(hf.resp_z, o + 2, 2, z);
    t.down();
    t.bool(hf.resp_z_do, o + 2, 2, z);
    t.uint(hf.resp_z_reserved, o + 2, 2, z);
    t.up();
    t.uint(hf.resp_len, o + 4, 2, dlen);
  } else {
    if (type === T_SRV && nlen > 0 && (owner !== "" || !wantOwner)) {
      // Wireshark splits an SRV owner "_service._proto.name" into three fields instead of dns.resp.name.
      if (wantOwner) {
        const a = owner.indexOf(".");
        const b = a < 0 ? -1 : owner.indexOf(".", a + 1);
        t.str(hf.srv_service, start, nlen, a < 0 ? owner : owner.slice(0, a));
        if (a >= 0) t.str(hf.srv_proto, start, nlen, b < 0 ? owner.slice(a + 1) : owner.slice(a + 1, b));
        if (b >= 0) t.str(hf.srv_name, start, nlen, owner.slice(b + 1));
      }
    } else if (t.wants(hf.resp_name)) t.str(hf.resp_name, start, nlen, owner);
    t.uint(hf.resp_type, o, 2, type);
    t.uint(hf.resp_class, o + 2, 2, cls);
    if (mdnsMsg) {
      if (t.full) t.label(mdnsClassLabel(cls));
      t.bool(hf.resp_cache_flush, o + 2, 2, rawCls);
    }
    t.check(o + 4, 4);
    const ttl = u32(d, o + 4);
    t.uint(hf.resp_ttl, o + 4, 4, ttl);
    if (t.full) t.label(`Time to live: ${ttl} (${timeSecsText(ttl)})`);
    if (ttl >= 0x80000000) t.expert(p, ei.ttl_high_bit, o + 4, 4);
    t.uint(hf.resp_len, o + 8, 2, dlen);
  }
  if (dlen > 0) dissectRdata(p, t, type, rd, dlen, base, owner);
  t.up();
  return nlen + 10 + dlen;
}

/** Text Wireshark appends to a record's tree label (", addr 1.2.3.4"); tree mode only. */
function rrSummary(t: Tree, type: number, o: number, base: number): string {
  const d = t.d;
  try {
    switch (type) {
      case T_A: t.check(o, 4); return `, addr ${ipv4StringAt(d, o)}`;
      case T_AAAA: t.check(o, 16); return `, addr ${ipv6ToString(d, o)}`;
      case T_NS: walkName(t, o, base); return `, ns ${nameText()}`;
      case T_CNAME: walkName(t, o, base); return `, cname ${nameText()}`;
      case T_PTR: walkName(t, o, base); return `, ${nameText()}`;
      case T_DNAME: walkName(t, o, base); return `, dname ${nameText()}`;
      case T_SOA: walkName(t, o, base); return `, mname ${nameText()}`;
      case T_NSEC: case T_NXT: walkName(t, o, base); return `, next domain name ${nameText()}`;
      case T_MX: t.check(o, 2); walkName(t, o + 2, base); return `, preference ${u16(d, o)}, mx ${nameText()}`;
      case T_KX: t.check(o, 2); walkName(t, o + 2, base); return `, preference ${u16(d, o)}, kx ${nameText()}`;
      case T_SRV:
        t.check(o, 6);
        walkName(t, o + 6, base);
        return `, priority ${u16(d, o)}, weight ${u16(d, o + 2)}, port ${u16(d, o + 4)}, target ${nameText()}`;
      case T_WKS: t.check(o, 4); return `, addr ${ipv4StringAt(d, o)}`;
      case T_WINS_R: t.check(o, 12); walkName(t, o + 12, base); return `, name result domain ${nameText()}`;
      default: return "";
    }
  } catch {
    return "";
  }
}

const SOA_TIMES = [hf.soa_refresh_interval, hf.soa_retry_interval, hf.soa_expire_limit, hf.soa_minimum_ttl];

function dissectRdata(p: Packet, t: Tree, type: number, o: number, dlen: number, base: number, owner: string): void {
  const d = t.d;
  const info = p.wantCols && !p.info.full;
  const start = o;
  switch (type) {
    case T_A: {
      t.check(o, 4);
      if (info) p.info.char(0x20).ipv4(d, o);
      t.ipv4(hf.a, o);
      break;
    }
    case T_NS: {
      const used = walkName(t, o, base);
      if (info || t.wants(hf.ns)) {
        const s = nameText();
        if (info) p.info.char(0x20).add(s);
        if (t.wants(hf.ns)) t.str(hf.ns, o, used, s);
      }
      break;
    }
    case T_MD: case T_MF: case T_MB: case T_MG: case T_MR: {
      if (info) p.info.char(0x20).add(owner);
      const f = type === T_MD ? hf.md : type === T_MF ? hf.mf : type === T_MB ? hf.mb : type === T_MG ? hf.mg : hf.mr;
      nameField(t, f, o, base);
      break;
    }
    case T_CNAME: case T_PTR: case T_DNAME: case T_NSEC: case T_NXT: {
      const f = type === T_CNAME ? hf.cname : type === T_PTR ? hf.ptr_domain_name : type === T_DNAME ? hf.dname
        : type === T_NSEC ? hf.nsec_next_domain_name : hf.nxt_next_domain_name;
      const used = walkName(t, o, base);
      if (info || t.wants(f)) {
        const s = nameText();
        if (info) p.info.char(0x20).add(s);
        if (t.wants(f)) t.str(f, o, used, s);
      }
      if (type === T_NSEC) typeBitmap(t, o + used, dlen - used);
      else if (type === T_NXT) typeBitmapNxt(t, o + used, dlen - used);
      break;
    }
    case T_SOA: {
      let used = walkName(t, o, base);
      if (info || t.wants(hf.soa_mname)) {
        const s = nameText();
        if (info) p.info.char(0x20).add(s);
        if (t.wants(hf.soa_mname)) t.str(hf.soa_mname, o, used, s);
      }
      o += used;
      used = nameField(t, hf.soa_rname, o, base);
      o += used;
      t.check(o, 4);
      t.uint(hf.soa_serial_number, o, 4, u32(d, o));
      for (let i = 0; i < 4; i++) {
        o += 4;
        t.check(o, 4);
        const v = u32(d, o);
        t.uint(SOA_TIMES[i]!, o, 4, v);
        if (t.full) t.label(`${SOA_TIMES[i]!.name}: ${v} (${timeSecsText(v)})`);
      }
      break;
    }
    case T_NULL: {
      if (info) p.info.char(0x20).add(owner);
      bytesField(t, hf.null, o, dlen);
      break;
    }
    case T_WKS: {
      t.check(o, 4);
      if (info) p.info.char(0x20).ipv4(d, o);
      t.ipv4(hf.wks_address, o);
      o += 4;
      t.check(o, 1);
      t.uint(hf.wks_protocol, o, 1, d[o]!);
      o++;
      for (let rr = dlen - 5; rr !== 0; rr--, o++) {
        t.check(o, 1);
        if (d[o] !== 0) t.uint(hf.wks_bits, o, 1, d[o]!);
      }
      break;
    }
    case T_HINFO: {
      t.check(o, 1);
      const cpuLen = d[o]!;
      t.check(o + 1, cpuLen);
      const osOff = o + 1 + cpuLen;
      t.check(osOff, 1);
      const osLen = d[osOff]!;
      t.check(osOff + 1, osLen);
      if (info) p.info.char(0x20).add(`${asciiString(d, o + 1, cpuLen)} ${asciiString(d, osOff + 1, osLen)}`);
      t.uint(hf.hinfo_cpu_length, o, 1, cpuLen);
      strField(t, hf.hinfo_cpu, o + 1, cpuLen);
      t.uint(hf.hinfo_os_length, osOff, 1, osLen);
      strField(t, hf.hinfo_os, osOff + 1, osLen);
      break;
    }
    case T_MINFO: case T_RP: {
      if (info) p.info.char(0x20).add(owner);
      const used = nameField(t, type === T_MINFO ? hf.minfo_r : hf.rp_mailbox, o, base);
      nameField(t, type === T_MINFO ? hf.minfo_e : hf.rp_txt_rr, o + used, base);
      break;
    }
    case T_MX: case T_KX: {
      t.check(o, 2);
      const pref = u16(d, o);
      const used = walkName(t, o + 2, base);
      const f = type === T_MX ? hf.mx_mail_exchange : hf.kx_key_exchange;
      const s = info || t.wants(f) ? nameText() : "";
      if (info) p.info.char(0x20).add(`${pref} ${s}`);
      t.uint(type === T_MX ? hf.mx_preference : hf.kx_preference, o, 2, pref);
      if (t.wants(f)) t.str(f, o + 2, used, s);
      break;
    }
    case T_TXT: case T_SPF: {
      const lenF = type === T_TXT ? hf.txt_length : hf.spf_length;
      const strF = type === T_TXT ? hf.txt : hf.spf;
      for (let rr = dlen; rr !== 0;) {
        t.check(o, 1);
        const n = d[o]!;
        t.uint(lenF, o, 1, n);
        o++;
        rr--;
        strField(t, strF, o, n, type === T_TXT && mdnsMsg);
        o += n;
        rr -= n;
      }
      break;
    }
    case T_AFSDB: case T_RT: {
      if (info) p.info.char(0x20).add(owner);
      t.check(o, 2);
      const used = walkName(t, o + 2, base);
      const f = type === T_AFSDB ? hf.afsdb_hostname : hf.rt_intermediate_host;
      const s = t.wants(f) ? nameText() : "";
      t.uint(type === T_AFSDB ? hf.afsdb_subtype : hf.rt_subtype, o, 2, u16(d, o));
      if (t.wants(f)) t.str(f, o + 2, used, s);
      break;
    }
    case T_X25: {
      if (info) p.info.char(0x20).add(owner);
      t.check(o, 1);
      const n = d[o]!;
      t.uint(hf.x25_length, o, 1, n);
      strField(t, hf.x25_psdn_address, o + 1, n);
      break;
    }
    case T_ISDN: {
      if (info) p.info.char(0x20).add(owner);
      let rr = dlen;
      t.check(o, 1);
      const n = d[o]!;
      t.uint(hf.idsn_length, o, 1, n);
      o++;
      rr--;
      strField(t, hf.idsn_address, o, n);
      o += n;
      rr -= n;
      if (rr > 1) {
        t.check(o, 1);
        const sa = d[o]!;
        t.uint(hf.idsn_sa_length, o, 1, sa);
        strField(t, hf.idsn_sa_address, o + 1, sa);
      }
      break;
    }
    case T_NSAP: {
      if (info) p.info.char(0x20).add(owner);
      bytesField(t, hf.nsap_rdata, o, dlen);
      break;
    }
    case T_NSAP_PTR: {
      if (info) p.info.char(0x20).add(owner);
      nameField(t, hf.nsap_ptr_owner, o, base);
      break;
    }
    case T_KEY: {
      let rr = dlen;
      t.check(o, 2);
      const flags = u16(d, o);
      t.uint(hf.key_flags, o, 2, flags);
      t.down();
      t.bool(hf.key_flags_authentication, o, 2, flags);
      t.bool(hf.key_flags_confidentiality, o, 2, flags);
      if ((flags & 0xc000) !== 0xc000) {
        t.bool(hf.key_flags_required, o, 2, flags);
        t.bool(hf.key_flags_associated_user, o, 2, flags);
        t.bool(hf.key_flags_associated_named_entity, o, 2, flags);
        t.bool(hf.key_flags_ipsec, o, 2, flags);
        t.bool(hf.key_flags_mime, o, 2, flags);
        t.uint(hf.key_flags_signatory, o, 2, flags);
      }
      t.up();
      o += 2;
      rr -= 2;
      t.check(o, 1);
      t.uint(hf.key_protocol, o, 1, d[o]!);
      o++;
      rr--;
      t.check(o, 1);
      const algo = d[o]!;
      t.uint(hf.key_algorithm, o, 1, algo);
      o++;
      rr--;
      keyId(p, t, hf.key_key_id, o - 4, rr + 4, algo);
      if (rr !== 0) bytesField(t, hf.key_public_key, o, rr);
      break;
    }
    case T_PX: {
      if (info) p.info.char(0x20).add(owner);
      t.check(o, 2);
      t.uint(hf.px_preference, o, 2, u16(d, o));
      o += 2;
      o += nameField(t, hf.px_map822, o, base);
      nameField(t, hf.px_map400, o, base);
      break;
    }
    case T_GPOS: {
      if (info) p.info.char(0x20).add(owner);
      const fields = [[hf.gpos_longitude_length, hf.gpos_longitude], [hf.gpos_latitude_length, hf.gpos_latitude],
        [hf.gpos_altitude_length, hf.gpos_altitude]] as const;
      for (const [lf, sf] of fields) {
        t.check(o, 1);
        const n = d[o]!;
        t.uint(lf, o, 1, n);
        o++;
        strField(t, sf, o, n);
        o += n;
      }
      break;
    }
    case T_AAAA: {
      t.check(o, 16);
      if (info) p.info.char(0x20).ipv6(d, o);
      t.ipv6(hf.aaaa, o);
      break;
    }
    case T_LOC: {
      t.check(o, 1);
      const version = d[o]!;
      t.uint(hf.loc_version, o, 1, version);
      if (version === 0) {
        o++;
        for (const f of [hf.loc_size, hf.loc_horizontal_precision, hf.loc_vertical_precision]) {
          t.check(o, 1);
          t.uint(f, o, 1, d[o]!);
          o++;
        }
        for (const f of [hf.loc_latitude, hf.loc_longitude, hf.loc_altitude]) {
          t.check(o, 4);
          t.uint(f, o, 4, u32(d, o));
          o += 4;
        }
      } else bytesField(t, hf.loc_unknown_data, o, dlen);
      break;
    }
    case T_SRV: {
      t.check(o, 2);
      const prio = u16(d, o);
      t.uint(hf.srv_priority, o, 2, prio);
      t.check(o + 2, 2);
      const weight = u16(d, o + 2);
      t.uint(hf.srv_weight, o + 2, 2, weight);
      t.check(o + 4, 2);
      const port = u16(d, o + 4);
      t.uint(hf.srv_port, o + 4, 2, port);
      const used = walkName(t, o + 6, base);
      const s = info || t.wants(hf.srv_target) ? nameText() : "";
      if (t.wants(hf.srv_target)) t.str(hf.srv_target, o + 6, used, s);
      if (info) p.info.char(0x20).add(`${prio} ${weight} ${port} ${s}`);
      break;
    }
    case T_NAPTR: {
      t.check(o, 2);
      const order = u16(d, o);
      t.uint(hf.naptr_order, o, 2, order);
      t.check(o + 2, 2);
      const pref = u16(d, o + 2);
      t.uint(hf.naptr_preference, o + 2, 2, pref);
      o += 4;
      t.check(o, 1);
      const flagsLen = d[o]!;
      t.uint(hf.naptr_flags_length, o, 1, flagsLen);
      o++;
      t.check(o, flagsLen);
      const flagsText = info || t.wants(hf.naptr_flags) ? asciiString(d, o, flagsLen) : "";
      if (t.wants(hf.naptr_flags)) t.str(hf.naptr_flags, o, flagsLen, flagsText);
      o += flagsLen;
      t.check(o, 1);
      const svcLen = d[o]!;
      t.uint(hf.naptr_service_length, o, 1, svcLen);
      o++;
      strField(t, hf.naptr_service, o, svcLen);
      o += svcLen;
      t.check(o, 1);
      const reLen = d[o]!;
      t.uint(hf.naptr_regex_length, o, 1, reLen);
      o++;
      strField(t, hf.naptr_regex, o, reLen);
      o += reLen;
      const used = walkName(t, o, base);
      t.uint(hf.naptr_replacement_length, o, 0, nm.len & 0xff);
      if (t.wants(hf.naptr_replacement)) t.str(hf.naptr_replacement, o, used, nameText());
      if (info) p.info.char(0x20).add(`${order} ${pref} ${flagsText}`);
      break;
    }
    case T_CERT: {
      let rr = dlen;
      t.check(o, 2);
      t.uint(hf.cert_type, o, 2, u16(d, o));
      o += 2;
      rr -= 2;
      t.check(o, 2);
      t.uint(hf.cert_key_tag, o, 2, u16(d, o));
      o += 2;
      rr -= 2;
      t.check(o, 1);
      t.uint(hf.cert_algorithm, o, 1, d[o]!);
      o++;
      rr--;
      if (rr !== 0) bytesField(t, hf.cert_certificate, o, rr);
      break;
    }
    case T_A6: {
      t.check(o, 1);
      const preLen = d[o]!;
      const sufLen = 128 - preLen;
      const sufOctets = sufLen ? Math.trunc((sufLen - 1) / 8) + 1 : 0;
      const suffix = new Uint8Array(16);
      let cur = o + 1;
      for (let i = 16 - sufOctets; i < 16; i++, cur++) {
        t.check(cur, 1);
        suffix[i] = d[cur]!;
      }
      let used = 0;
      let pname = "";
      if (preLen > 0) {
        used = walkName(t, cur, base);
        pname = nameText();
      }
      if (info) p.info.char(0x20).add(`${preLen} ${ipv6ToString(suffix)} ${pname}`);
      t.uint(hf.a6_prefix_len, o, 1, preLen);
      if (sufLen) ipv6Value(t, hf.a6_address_suffix, suffix);
      if (preLen > 0 && t.wants(hf.a6_prefix_name)) t.str(hf.a6_prefix_name, cur, used, pname);
      break;
    }
    case T_OPT:
      dissectOptions(p, t, o, dlen);
      break;
    case T_APL: {
      if (info) p.info.char(0x20).add(owner);
      for (let rr = dlen; rr > 1;) {
        t.check(o, 2);
        const fam = u16(d, o);
        t.uint(hf.apl_address_family, o, 2, fam);
        o += 2;
        rr -= 2;
        t.check(o, 1);
        t.uint(hf.apl_coded_prefix, o, 1, d[o]!);
        o++;
        rr--;
        t.check(o, 1);
        const b = d[o]!;
        const afd = b & 0x7f;
        t.bool(hf.apl_negation, o, 1, b);
        t.uint(hf.apl_afdlength, o, 1, b);
        o++;
        rr--;
        t.check(o, afd);
        if (fam === 1 && afd <= 4) {
          const a = new Uint8Array(4);
          a.set(d.subarray(o, o + afd));
          ipv4Value(t, hf.apl_afdpart_ipv4, a);
        } else if (fam === 2 && afd <= 16) {
          const a = new Uint8Array(16);
          a.set(d.subarray(o, o + afd));
          ipv6Value(t, hf.apl_afdpart_ipv6, a);
        } else t.bytes(hf.apl_afdpart_data, o, afd);
        o += afd;
        rr -= afd;
      }
      break;
    }
    case T_DS: case T_CDS: case T_DLV: {
      t.check(o, 2);
      t.uint(hf.ds_key_id, o, 2, u16(d, o));
      t.check(o + 2, 1);
      t.uint(hf.ds_algorithm, o + 2, 1, d[o + 2]!);
      t.check(o + 3, 1);
      t.uint(hf.ds_digest_type, o + 3, 1, d[o + 3]!);
      bytesField(t, hf.ds_digest, o + 4, dlen - 4);
      break;
    }
    case T_SSHFP: {
      t.check(o, 1);
      t.uint(hf.sshfp_algorithm, o, 1, d[o]!);
      t.check(o + 1, 1);
      t.uint(hf.sshfp_fingerprint_type, o + 1, 1, d[o + 1]!);
      if (dlen - 2 !== 0) bytesField(t, hf.sshfp_fingerprint, o + 2, dlen - 2);
      break;
    }
    case T_IPSECKEY: {
      let rr = dlen;
      t.check(o, 1);
      t.uint(hf.ipseckey_gateway_precedence, o, 1, d[o]!);
      t.check(o + 1, 1);
      const gwType = d[o + 1]!;
      t.uint(hf.ipseckey_gateway_type, o + 1, 1, gwType);
      t.check(o + 2, 1);
      t.uint(hf.ipseckey_gateway_algorithm, o + 2, 1, d[o + 2]!);
      o += 3;
      rr -= 3;
      if (gwType === 1) {
        t.ipv4(hf.ipseckey_gateway_ipv4, o);
        o += 4;
        rr -= 4;
      } else if (gwType === 2) {
        t.ipv6(hf.ipseckey_gateway_ipv6, o);
        o += 16;
        rr -= 16;
      } else if (gwType === 3) {
        const used = nameField(t, hf.ipseckey_gateway_dns, o, base);
        o += used;
        rr -= used;
      }
      if (rr !== 0) bytesField(t, hf.ipseckey_public_key, o, rr);
      break;
    }
    case T_RRSIG: case T_SIG: {
      let rr = dlen;
      t.check(o, 2);
      t.uint(hf.rrsig_type_covered, o, 2, u16(d, o));
      t.check(o + 2, 1);
      t.uint(hf.rrsig_algorithm, o + 2, 1, d[o + 2]!);
      t.check(o + 3, 1);
      t.uint(hf.rrsig_labels, o + 3, 1, d[o + 3]!);
      o += 4;
      rr -= 4;
      t.check(o, 4);
      const ottl = u32(d, o);
      t.uint(hf.rrsig_original_ttl, o, 4, ottl);
      if (t.full) t.label(`Original TTL: ${ottl} (${timeSecsText(ottl)})`);
      o += 4;
      t.check(o, 4);
      absTimeField(t, hf.rrsig_signature_expiration, o, 4, u32(d, o));
      o += 4;
      t.check(o, 4);
      absTimeField(t, hf.rrsig_signature_inception, o, 4, u32(d, o));
      o += 4;
      t.check(o, 2);
      t.uint(hf.rrsig_key_tag, o, 2, u16(d, o));
      o += 2;
      rr -= 14;
      const used = nameField(t, hf.rrsig_signers_name, o, base);
      o += used;
      rr -= used;
      if (rr !== 0) bytesField(t, hf.rrsig_signature, o, rr);
      break;
    }
    case T_DNSKEY: case T_CDNSKEY: {
      let rr = dlen;
      t.check(o, 2);
      const flags = u16(d, o);
      t.uint(hf.dnskey_flags, o, 2, flags);
      t.down();
      t.bool(hf.dnskey_flags_zone_key, o, 2, flags);
      t.bool(hf.dnskey_flags_key_revoked, o, 2, flags);
      t.bool(hf.dnskey_flags_secure_entry_point, o, 2, flags);
      t.uint(hf.dnskey_flags_reserved, o, 2, flags);
      t.up();
      o += 2;
      rr -= 2;
      t.check(o, 1);
      t.uint(hf.dnskey_protocol, o, 1, d[o]!);
      o++;
      rr--;
      t.check(o, 1);
      const algo = d[o]!;
      t.uint(hf.dnskey_algorithm, o, 1, algo);
      o++;
      rr--;
      keyId(p, t, hf.dnskey_key_id, o - 4, rr + 4, algo);
      bytesField(t, hf.dnskey_public_key, o, rr);
      break;
    }
    case T_DHCID: {
      if (info) p.info.char(0x20).add(owner);
      bytesField(t, hf.dhcid_rdata, o, dlen);
      break;
    }
    case T_NSEC3: {
      t.check(o, 1);
      t.uint(hf.nsec3_algo, o, 1, d[o]!);
      o++;
      t.check(o, 1);
      const fl = d[o]!;
      t.uint(hf.nsec3_flags, o, 1, fl);
      t.down();
      t.bool(hf.nsec3_flags_opt_out, o, 1, fl);
      t.up();
      o++;
      t.check(o, 2);
      t.uint(hf.nsec3_iterations, o, 2, u16(d, o));
      o += 2;
      t.check(o, 1);
      const saltLen = d[o]!;
      t.uint(hf.nsec3_salt_length, o, 1, saltLen);
      o++;
      t.bytes(hf.nsec3_salt_value, o, saltLen);
      o += saltLen;
      t.check(o, 1);
      const hashLen = d[o]!;
      t.uint(hf.nsec3_hash_length, o, 1, hashLen);
      o++;
      if (hashLen) {
        // Base32 with the extended hex alphabet (RFC 4648 section 7), 5 bits at a time.
        const want = t.wants(hf.nsec3_hash_value);
        let s = "";
        for (let bit = 0; bit / 8 < hashLen; bit += 5) {
          const byte = o + (bit >> 3);
          const shift = bit & 7;
          need(t, byte, shift > 3 ? 2 : 1);
          if (want) {
            const w = (d[byte]! << 8) | (shift > 3 ? d[byte + 1]! : 0);
            s += "0123456789abcdefghijklmnopqrstuv"[(w >> (11 - shift)) & 31];
          }
        }
        if (want) t.str(hf.nsec3_hash_value, o, hashLen, s);
        o += hashLen;
      }
      typeBitmap(t, o, dlen - (o - start));
      break;
    }
    case T_NSEC3PARAM: {
      if (info) p.info.char(0x20).add(owner);
      t.check(o, 1);
      t.uint(hf.nsec3_algo, o, 1, d[o]!);
      t.check(o + 1, 1);
      t.uint(hf.nsec3_flags, o + 1, 1, d[o + 1]!);
      t.check(o + 2, 2);
      t.uint(hf.nsec3_iterations, o + 2, 2, u16(d, o + 2));
      t.check(o + 4, 1);
      const saltLen = d[o + 4]!;
      t.uint(hf.nsec3_salt_length, o + 4, 1, saltLen);
      t.bytes(hf.nsec3_salt_value, o + 5, saltLen);
      break;
    }
    case T_TLSA: {
      if (info) p.info.char(0x20).add(owner);
      t.check(o, 1);
      t.uint(hf.tlsa_certificate_usage, o, 1, d[o]!);
      t.check(o + 1, 1);
      t.uint(hf.tlsa_selector, o + 1, 1, d[o + 1]!);
      t.check(o + 2, 1);
      t.uint(hf.tlsa_matching_type, o + 2, 1, d[o + 2]!);
      bytesField(t, hf.tlsa_certificate_association_data, o + 3, dlen - 3);
      break;
    }
    case T_HIP: {
      if (info) p.info.char(0x20).add(owner);
      let rr = dlen;
      t.check(o, 1);
      const hitLen = d[o]!;
      t.uint(hf.hip_hit_length, o, 1, hitLen);
      t.check(o + 1, 1);
      t.uint(hf.hip_hit_pk_algo, o + 1, 1, d[o + 1]!);
      t.check(o + 2, 2);
      const pkLen = u16(d, o + 2);
      t.uint(hf.hip_pk_length, o + 2, 2, pkLen);
      o += 4;
      rr -= 4;
      t.bytes(hf.hip_hit, o, hitLen);
      o += hitLen;
      rr -= hitLen;
      t.bytes(hf.hip_pk, o, pkLen);
      o += pkLen;
      rr -= pkLen;
      while (rr > 1) {
        const used = nameField(t, hf.hip_rendezvous_server, o, base);
        o += used;
        rr -= used;
      }
      break;
    }
    case T_OPENPGPKEY:
      strField(t, hf.openpgpkey, o, dlen);
      break;
    case T_CSYNC: {
      t.check(o, 4);
      t.uint(hf.csync_soa, o, 4, u32(d, o));
      o += 4;
      t.check(o, 2);
      const fl = u16(d, o);
      t.uint(hf.csync_flags, o, 2, fl);
      t.down();
      t.bool(hf.csync_flags_immediate, o, 2, fl);
      t.bool(hf.csync_flags_soaminimum, o, 2, fl);
      t.up();
      o += 2;
      const rr = dlen - (o - start);
      bytesField(t, hf.csync_type_bitmap, o, rr);
      typeBitmap(t, o, rr);
      break;
    }
    case T_ZONEMD: {
      t.check(o, 4);
      t.uint(hf.zonemd_serial, o, 4, u32(d, o));
      t.check(o + 4, 1);
      t.uint(hf.zonemd_scheme, o + 4, 1, d[o + 4]!);
      t.check(o + 5, 1);
      t.uint(hf.zonemd_hash_algo, o + 5, 1, d[o + 5]!);
      bytesField(t, hf.zonemd_digest, o + 6, dlen - 6);
      break;
    }
    case T_SVCB: case T_HTTPS:
      dissectSvcb(t, o, dlen, base);
      break;
    case T_NID: case T_L64: {
      t.check(o, 2);
      t.uint(type === T_NID ? hf.ilnp_nid_preference : hf.ilnp_l64_preference, o, 2, u16(d, o));
      t.bytes(type === T_NID ? hf.ilnp_nid : hf.ilnp_l64, o + 2, 8);
      break;
    }
    case T_L32: {
      t.check(o, 2);
      t.uint(hf.ilnp_l32_preference, o, 2, u16(d, o));
      t.ipv4(hf.ilnp_l32, o + 2);
      break;
    }
    case T_LP: {
      t.check(o, 2);
      t.uint(hf.ilnp_lp_preference, o, 2, u16(d, o));
      nameField(t, hf.ilnp_lp, o + 2, base);
      break;
    }
    case T_EUI48:
      t.ether(hf.eui48, o);
      break;
    case T_EUI64: {
      // FT_EUI64 prints as colon-separated hex; arpx has no such type, so it is a string here.
      t.check(o, 8);
      if (t.wants(hf.eui64)) {
        let s = hex2(d[o]!);
        for (let i = 1; i < 8; i++) s += ":" + hex2(d[o + i]!);
        t.str(hf.eui64, o, 8, s);
      }
      break;
    }
    case T_TKEY: {
      o += nameField(t, hf.tkey_algo_name, o, base);
      t.check(o, 4);
      absTimeField(t, hf.tkey_signature_inception, o, 4, u32(d, o));
      o += 4;
      t.check(o, 4);
      absTimeField(t, hf.tkey_signature_expiration, o, 4, u32(d, o));
      o += 4;
      t.check(o, 2);
      t.uint(hf.tkey_mode, o, 2, u16(d, o));
      o += 2;
      t.check(o, 2);
      t.uint(hf.tkey_error, o, 2, u16(d, o));
      o += 2;
      t.check(o, 2);
      const keyLen = u16(d, o);
      t.uint(hf.tkey_key_size, o, 2, keyLen);
      o += 2;
      if (keyLen !== 0) {
        t.bytes(hf.tkey_key_data, o, keyLen);
        o += keyLen;
      }
      t.check(o, 2);
      const otherLen = u16(d, o);
      t.uint(hf.tkey_other_size, o, 2, otherLen);
      o += 2;
      if (otherLen !== 0) t.bytes(hf.tkey_other_data, o, otherLen);
      break;
    }
    case T_TSIG: {
      const used = walkName(t, o, base);
      const alg = nameText();
      if (t.wants(hf.tsig_algorithm_name)) t.str(hf.tsig_algorithm_name, o, used, alg);
      o += used;
      t.check(o, 6);
      absTimeField(t, hf.tsig_time_signed, o, 6, u16(d, o) * 0x100000000 + u32(d, o + 2));
      o += 6;
      t.check(o, 2);
      t.uint(hf.tsig_fudge, o, 2, u16(d, o));
      o += 2;
      t.check(o, 2);
      const macLen = u16(d, o);
      t.uint(hf.tsig_mac_size, o, 2, macLen);
      o += 2;
      if (macLen !== 0) {
        t.none(hf.tsig_mac, o, macLen);
        t.expert(p, ei.tsig_noalg, o, macLen, `No dissector for algorithm:${alg}`);
        o += macLen;
      }
      t.check(o, 2);
      t.uint(hf.tsig_original_id, o, 2, u16(d, o));
      o += 2;
      t.check(o, 2);
      t.uint(hf.tsig_error, o, 2, u16(d, o));
      o += 2;
      t.check(o, 2);
      const otherLen = u16(d, o);
      t.uint(hf.tsig_other_len, o, 2, otherLen);
      o += 2;
      if (otherLen !== 0) t.bytes(hf.tsig_other_data, o, otherLen);
      break;
    }
    case T_CAA:
      dissectCaa(t, o, dlen);
      break;
    case T_WINS: {
      let rr = dlen;
      t.check(o, 16);
      t.bool(hf.wins_local_flag, o, 4, u32(d, o));
      t.uint(hf.wins_lookup_timeout, o + 4, 4, u32(d, o + 4));
      t.uint(hf.wins_cache_timeout, o + 8, 4, u32(d, o + 8));
      let nservers = u32(d, o + 12);
      t.uint(hf.wins_nb_wins_servers, o + 12, 4, nservers);
      o += 16;
      rr -= 16;
      while (rr !== 0 && nservers !== 0) {
        t.ipv4(hf.wins_wins_server, o);
        o += 4;
        rr -= 4;
        nservers--;
      }
      break;
    }
    case T_WINS_R: {
      t.check(o, 12);
      t.bool(hf.winsr_local_flag, o, 4, u32(d, o));
      t.uint(hf.winsr_lookup_timeout, o + 4, 4, u32(d, o + 4));
      t.uint(hf.winsr_cache_timeout, o + 8, 4, u32(d, o + 8));
      const used = walkName(t, o + 12, base);
      if (info || t.wants(hf.winsr_name_result_domain)) {
        const s = nameText();
        if (t.wants(hf.winsr_name_result_domain)) t.str(hf.winsr_name_result_domain, o + 12, used, s);
        if (info) p.info.char(0x20).add(s);
      }
      break;
    }
    case T_XPF: {
      t.check(o, 1);
      const ver = d[o]!;
      t.uint(hf.xpf_ip_version, o, 1, ver);
      o++;
      if (ver === 4 || ver === 6) {
        t.check(o, 1);
        t.uint(hf.xpf_protocol, o, 1, d[o]!);
        o++;
        if (ver === 4) {
          t.ipv4(hf.xpf_source_ipv4, o);
          t.ipv4(hf.xpf_destination_ipv4, o + 4);
          o += 8;
        } else {
          t.ipv6(hf.xpf_source_ipv6, o);
          t.ipv6(hf.xpf_destination_ipv6, o + 16);
          o += 32;
        }
        t.check(o, 2);
        t.uint(hf.xpf_sport, o, 2, u16(d, o));
        t.check(o + 2, 2);
        t.uint(hf.xpf_dport, o + 2, 2, u16(d, o + 2));
      }
      break;
    }
    default:
      // Unknown or undecoded types keep their number (dns.resp.type) and show the data as bytes.
      t.expert(p, ei.undecoded_type, start, dlen,
        `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
      bytesField(t, hf.data, o, dlen);
  }
}

/** DNSKEY/KEY key tag (RFC 4034 appendix B) over the whole RDATA; Wireshark reads it unclipped. */
function keyId(p: Packet, t: Tree, f: typeof hf.dnskey_key_id, o: number, size: number, algo: number): void {
  const d = t.d;
  if (size < 4) {
    t.expert(p, ei.key_id_short, o, size);
    return;
  }
  let id: number;
  if (algo === 1) {
    t.check(o + size - 3, 1);
    t.check(o + size - 2, 1);
    id = ((d[o + size - 3]! << 8) + d[o + size - 2]!) & 0xffff;
  } else {
    let ac = 0;
    let i = o;
    for (; size > 1; size -= 2, i += 2) {
      t.check(i, 1);
      t.check(i + 1, 1);
      ac = (ac + (d[i]! << 8) + d[i + 1]!) >>> 0;
    }
    if (size > 0) {
      t.check(i, 1);
      ac = (ac + (d[i]! << 8)) >>> 0;
    }
    ac = (ac + ((ac >>> 16) & 0xffff)) >>> 0;
    id = ac & 0xffff;
  }
  t.num(f, id);
}

/** NSEC/NSEC3/CSYNC type bit maps (RFC 4034 4.1.2): each set bit is a dns.resp.type value. */
function typeBitmap(t: Tree, o: number, rr: number): void {
  const d = t.d;
  while (rr !== 0) {
    t.check(o, 1);
    const block = d[o]!;
    t.check(o + 1, 1);
    let size = d[o + 1]!;
    o += 2;
    rr -= 2;
    let type = block * 256;
    for (; size; size--) {
      t.check(o, 1);
      const bits = d[o]!;
      for (let m = 0x80; m; m >>= 1, type++) {
        if (bits & m) {
          t.uint(hf.resp_type, o, 1, type);
          if (t.full) t.label(`RR type in bit map: ${TYPE_LONG.get(type) ?? `Unknown (${type})`}`);
        }
      }
      o++;
      rr--;
    }
  }
}

/** NXT's older bit map (RFC 2535): one bit per type from 0. */
function typeBitmapNxt(t: Tree, o: number, rr: number): void {
  const d = t.d;
  let type = 0;
  while (rr !== 0) {
    t.check(o, 1);
    const bits = d[o]!;
    for (let m = 0x80; m; m >>= 1, type++) {
      if (bits & m) {
        t.uint(hf.resp_type, o, 1, type);
        if (t.full) t.label(`RR type in bit map: ${TYPE_LONG.get(type) ?? `Unknown (${type})`}`);
      }
    }
    o++;
    rr--;
  }
}

/** EDNS(0) options in an OPT record's RDATA (RFC 6891 6.1.2). */
function dissectOptions(p: Packet, t: Tree, o: number, dlen: number): void {
  const d = t.d;
  let rr = dlen;
  while (rr > 0) {
    t.check(o, 2);
    const code = u16(d, o);
    rr -= 2;
    t.check(o + 2, 2);
    let optlen = u16(d, o + 2);
    rr -= 2;
    t.none(hf.opt, o, 4 + optlen);
    if (t.full) t.label(`Option: ${EDNS_OPTS.get(code) ?? `Unknown (${code})`}`);
    t.down();
    t.uint(hf.opt_code, o, 2, code);
    o += 2;
    t.uint(hf.opt_len, o, 2, optlen);
    o += 2;
    t.bytes(hf.opt_data, o, optlen);
    switch (code) {
      case 5: case 6: case 7: {
        const f = code === 5 ? hf.opt_dau : code === 6 ? hf.opt_dhu : hf.opt_n3u;
        while (optlen !== 0) {
          t.check(o, 1);
          t.uint(f, o, 1, d[o]!);
          o++;
          rr--;
          optlen--;
        }
        break;
      }
      case 0x50fa:
      case 8: {
        if (code === 0x50fa) t.expert(p, ei.depr_opc, o - 4, 2, "Deprecated opcode. Client subnet OPT assigned as 8.");
        let addrLen = (optlen - 4) & 0xffff;
        t.check(o, 2);
        const family = u16(d, o);
        t.uint(hf.opt_client_family, o, 2, family);
        o += 2;
        t.check(o, 1);
        t.uint(hf.opt_client_netmask, o, 1, d[o]!);
        o++;
        t.check(o, 1);
        t.uint(hf.opt_client_scope, o, 1, d[o]!);
        o++;
        if (addrLen > 16) {
          t.expert(p, ei.opt_bad_length, o - 6, 2);
          addrLen = 16;
        }
        t.check(o, addrLen);
        const addr = new Uint8Array(16);
        addr.set(d.subarray(o, o + addrLen));
        if (family === 1) ipv4Value(t, hf.opt_client_addr4, addr);
        else if (family === 2) ipv6Value(t, hf.opt_client_addr6, addr);
        else bytesField(t, hf.opt_client_addr, o, optlen - 4);
        o += optlen - 4;
        rr -= optlen;
        break;
      }
      case 10: {
        t.bytes(hf.opt_cookie_client, o, 8);
        o += 8;
        rr -= 8;
        optlen -= 8;
        bytesField(t, hf.opt_cookie_server, o, optlen);
        o += optlen;
        rr -= optlen;
        break;
      }
      case 11: {
        if (optlen === 2) {
          t.check(o, 2);
          t.uint(hf.opt_edns_tcp_keepalive_timeout, o, 2, u16(d, o));
        }
        o += optlen;
        rr -= optlen;
        break;
      }
      case 12: {
        t.bytes(hf.opt_padding, o, optlen);
        o += optlen;
        rr -= optlen;
        break;
      }
      case 13: {
        if (optlen) strField(t, hf.opt_chain_fqdn, o, optlen);
        o += optlen;
        rr -= optlen;
        break;
      }
      case 15: {
        if (optlen >= 2) {
          t.check(o, 2);
          const info = u16(d, o);
          t.uint(hf.opt_ext_error_info_code, o, 2, info);
          if (t.full) t.label(`Info Code: ${extErrorName(info)} (${info})`);
          o += 2;
          rr -= 2;
          if (optlen > 2) {
            strField(t, hf.opt_ext_error_extra_text, o, optlen - 2, true);
            o += optlen - 2;
            rr -= optlen - 2;
          }
        }
        break;
      }
      default:
        o += optlen;
        rr -= optlen;
    }
    t.up();
  }
}

/** SVCB/HTTPS (RFC 9460): priority, target, then key=value parameters. */
function dissectSvcb(t: Tree, o: number, dlen: number, base: number): void {
  const d = t.d;
  const start = o;
  t.check(o, 2);
  t.uint(hf.svcb_svcpriority, o, 2, u16(d, o));
  o += 2;
  o += nameField(t, hf.svcb_targetname, o, base);
  while (dlen > o - start) {
    t.none(hf.svcb_svcparam, o, Math.max(0, t.cap - o));
    const item = t.lastItem();
    t.down();
    t.check(o, 2);
    const key = u16(d, o);
    t.uint(hf.svcb_svcparam_key, o, 2, key);
    o += 2;
    t.check(o, 2);
    const len = u16(d, o);
    t.uint(hf.svcb_svcparam_value_length, o, 2, len);
    o += 2;
    // tshark labels the item "SvcParam: key=value" once the value is read.
    const values: string[] = [];
    const full = t.full;
    let text: string | null = null;
    switch (key) {
      case 0:
        for (let i = 0; i < len; i += 2, o += 2) {
          t.check(o, 2);
          const k = u16(d, o);
          t.uint(hf.svcb_svcparam_mandatory_key, o, 2, k);
          if (full) values.push(SVCB_KEYS.get(k) ?? `key${k}`);
        }
        break;
      case 1:
        for (let i = 0; i < len;) {
          t.check(o, 1);
          const n = d[o]!;
          t.uint(hf.svcb_svcparam_alpn_length, o, 1, n);
          o++;
          strField(t, hf.svcb_svcparam_alpn, o, n);
          if (full) values.push(asciiString(d, o, n));
          o += n;
          i += 1 + n;
        }
        break;
      case 2:
        text = "no-default-alpn";
        break;
      case 3:
        t.check(o, 2);
        t.uint(hf.svcb_svcparam_port, o, 2, u16(d, o));
        if (full) values.push(String(u16(d, o)));
        o += 2;
        break;
      case 4:
        for (let i = 0; i < len; i += 4, o += 4) {
          t.ipv4(hf.svcb_svcparam_ipv4hint_ip, o);
          if (full) values.push(ipv4StringAt(d, o));
        }
        break;
      case 5:
      case 32769: {
        const f = key === 5 ? hf.svcb_svcparam_echconfig : hf.svcb_svcparam_odohconfig;
        t.bytes(f, o, len);
        if (full) {
          const b64 = Buffer.from(d.subarray(o, o + len)).toString("base64");
          t.label(`${f.name}: ${b64}`);
          values.push(b64);
        }
        o += len;
        break;
      }
      case 6:
        for (let i = 0; i < len; i += 16, o += 16) {
          t.ipv6(hf.svcb_svcparam_ipv6hint_ip, o);
          if (full) values.push(ipv6ToString(d, o));
        }
        break;
      default:
        if (len > 0) {
          t.bytes(hf.svcb_svcparam_value, o, len);
          if (full) values.push(formatText(d, o, len));
          o += len;
        }
    }
    if (item !== null) item.text = `SvcParam: ${text ?? `${SVCB_KEYS.get(key) ?? `key${key}`}=${values.join(",")}`}`;
    t.up();
  }
}

function strncmpEq(d: Uint8Array, o: number, n: number, lit: string): boolean {
  for (let i = 0; i < n; i++) {
    const a = d[o + i]!;
    const b = i < lit.length ? lit.charCodeAt(i) : 0;
    if (a !== b) return false;
    if (a === 0) return true;
  }
  return true;
}

/** CAA (RFC 8659): flags, tag, value; the value field is named after the tag. */
function dissectCaa(t: Tree, o: number, dlen: number): void {
  const d = t.d;
  t.check(o, 1);
  const flags = d[o]!;
  t.uint(hf.caa_flags, o, 1, flags);
  t.down();
  t.bool(hf.caa_flags_issuer_critical, o, 1, flags);
  t.up();
  o++;
  t.check(o, 1);
  const tagLen = d[o]!;
  t.check(o + 1, tagLen);
  const valueLen = (dlen - (tagLen + 2)) & 0xffff;
  t.check(o + 1 + tagLen, valueLen);
  const f = strncmpEq(d, o + 1, tagLen, "issue") ? hf.caa_issue : strncmpEq(d, o + 1, tagLen, "issuewild") ? hf.caa_issuewild
    : strncmpEq(d, o + 1, tagLen, "iodef") ? hf.caa_iodef : hf.caa_unknown;
  let value = "";
  if (t.wants(f) || t.wants(hf.caa_value)) {
    const raw: number[] = [];
    for (let i = 0; i < valueLen; i++) {
      const c = d[o + 1 + tagLen + i]!;
      if (c === 0) break;
      if (c < 0x80) raw.push(c);
      else raw.push(0xef, 0xbf, 0xbd);
    }
    const bytes = Uint8Array.from(raw.slice(0, valueLen));
    value = formatText(bytes, 0, bytes.length);
  }
  if (t.wants(f)) t.str(f, o, 1 + tagLen + valueLen, value);
  t.down();
  t.uint(hf.caa_tag_length, o, 1, tagLen);
  if (t.wants(hf.caa_tag)) t.str(hf.caa_tag, o + 1, tagLen, asciiString(d, o + 1, tagLen));
  if (t.wants(hf.caa_value)) t.str(hf.caa_value, o + 1 + tagLen, valueLen, value);
  t.up();
}

/** DNS Stateful Operations TLVs (RFC 8490), when a DSO message has no records. */
function dissectDso(t: Tree, o: number): number {
  const d = t.d;
  const start = o;
  t.none(hf.dso, o, Math.max(0, t.cap - o));
  t.down();
  while (t.rep - o >= 4) {
    t.check(o + 2, 2);
    const len = u16(d, o + 2);
    t.none(hf.dso_tlv, o, len + 4);
    t.down();
    t.check(o, 2);
    const type = u16(d, o);
    t.uint(hf.dso_tlv_type, o, 2, type);
    o += 2;
    t.uint(hf.dso_tlv_length, o, 2, len);
    o += 2;
    if (type === 1) {
      t.check(o, 4);
      t.uint(hf.dso_tlv_keepalive_inactivity, o, 4, u32(d, o));
      t.check(o + 4, 4);
      t.uint(hf.dso_tlv_keepalive_interval, o + 4, 4, u32(d, o + 4));
      o += 8;
    } else if (type === 2) {
      t.check(o, 4);
      t.uint(hf.dso_tlv_retrydelay_retrydelay, o, 4, u32(d, o));
      o += 4;
    } else if (len > 0) {
      t.bytes(type === 3 ? hf.dso_tlv_encpad_padding : hf.dso_tlv_data, o, len);
      o += len;
    }
    t.up();
  }
  t.up();
  return o - start;
}

// ---------------------------------------------------------------------------------------------
// Entry points and hand-offs
// ---------------------------------------------------------------------------------------------

export function dissectDns(p: Packet, t: Tree, off: number): void {
  p.protocol = "DNS";
  if (p.wantCols) p.info.clear();
  dissectMessage(p, t, off, false, Kind.DNS);
}

export function dissectMdns(p: Packet, t: Tree, off: number): void {
  p.protocol = "MDNS";
  if (p.wantCols) p.info.clear();
  dissectMessage(p, t, off, false, Kind.MDNS);
}

export function dissectLlmnr(p: Packet, t: Tree, off: number): void {
  p.protocol = "LLMNR";
  if (p.wantCols) p.info.clear();
  dissectMessage(p, t, off, false, Kind.LLMNR);
}

/**
 * DNS over TCP: each message is preceded by its 2-byte length. Every complete message in the
 * segment is decoded; one that runs past the segment is decoded as far as the bytes go (arpx does
 * not reassemble here), which ends in the Tree's bounds signal.
 */
export function dissectDnsTcp(p: Packet, t: Tree, off: number): void {
  p.protocol = "DNS";
  if (p.wantCols) p.info.clear();
  let o = off;
  const layers = p.layers.length;
  while (o < t.rep) {
    t.check(o, 2);
    const end = o + 2 + u16(t.d, o);
    // tshark's TCP item lists the size of each message found in the segment.
    if (end <= t.cap) {
      t.reopen(tcpHf.proto);
      t.num(tcpHf.pdu_size, end - o);
      t.up();
    }
    t.enter(end);
    dissectMessage(p, t, o, true, Kind.DNS);
    t.leave();
    // frame.protocols names DNS once however many messages the segment carries
    if (p.layers.length > layers + 1) p.layers.length = layers + 1;
    o = end;
  }
}

udpPorts.add(53, dissectDns);
udpPorts.add(5353, dissectMdns);
udpPorts.add(5355, dissectLlmnr);
tcpPorts.add(53, dissectDnsTcp);
tcpPorts.add(5353, dissectDnsTcp);


// ---- building ----

const F_RECDESIRED = 0x0100, F_RECAVAIL = 0x0080, F_RCODE = 0x000f;
const MAX_LABEL = 63, MAX_NAME = 255;

export interface DnsQuestionRepr {
  name: string;
  type: number;
  /** Default 1 (IN); mDNS's unicast-response bit is the top bit. */
  cls?: number;
}

export interface DnsRecordRepr {
  name: string;
  type: number;
  /** Default 1 (IN); mDNS's cache-flush bit is the top bit. */
  cls?: number;
  ttl: number;
  /** RDATA as sent (e.g. the 4 address bytes of an A record). */
  data: Uint8Array;
}

export interface DnsRepr {
  id: number;
  response: boolean;
  rcode?: number;
  questions: DnsQuestionRepr[];
  /** Answer records (none in the authority or additional sections). */
  answers?: DnsRecordRepr[];
  /** Recursion desired (default true). */
  rd?: boolean;
  /** Recursion available (default: true in a response that has rd, as a recursive resolver answers). */
  ra?: boolean;
}

/** "www.example.com" (a trailing dot, or "" / "." for the root, is fine) -> uncompressed wire labels. */
export function encodeDnsName(name: string): Uint8Array {
  const labels = name === "" || name === "." ? [] : name.replace(/\.$/, "").split(".");
  const parts = labels.map((l) => new TextEncoder().encode(l));
  const len = parts.reduce((n, l) => n + 1 + l.length, 1);
  if (len > MAX_NAME) throw new RangeError(`DNS name of ${len} bytes exceeds ${MAX_NAME}: ${name}`);
  const b = new Uint8Array(len);
  let o = 0;
  for (const l of parts) {
    if (l.length === 0 || l.length > MAX_LABEL) throw new RangeError(`DNS label of ${l.length} bytes (1..${MAX_LABEL}) in ${name}`);
    b[o++] = l.length;
    b.set(l, o);
    o += l.length;
  }
  return b;
}

/**
 * A DNS message as a build layer (the mirror of dissectDns): header, questions and answer
 * records, names uncompressed, counts and RDLENGTHs computed. Opcode 0 (query); AA, TC, AD and CD
 * clear.
 */
export function dnsLayer(r: DnsRepr): Layer {
  const answers = r.answers ?? [];
  const qnames = r.questions.map((q) => encodeDnsName(q.name));
  const anames = answers.map((a) => encodeDnsName(a.name));
  let len = HDR;
  for (const n of qnames) len += n.length + 4;
  answers.forEach((a, i) => {
    if (a.data.length > 0xffff) throw new RangeError(`DNS record data of ${a.data.length} bytes exceeds 65535`);
    len += anames[i]!.length + 10 + a.data.length;
  });
  const rd = r.rd ?? true;
  const ra = r.ra ?? (r.response && rd);
  const flags = (r.response ? F_RESPONSE : 0) | (rd ? F_RECDESIRED : 0) | (ra ? F_RECAVAIL : 0) | ((r.rcode ?? 0) & F_RCODE);
  return {
    headerLen: len,
    emit(b, off) {
      putU16(b, off + ID, r.id);
      putU16(b, off + FLAGS, flags);
      putU16(b, off + QDCOUNT, r.questions.length);
      putU16(b, off + ANCOUNT, answers.length);
      putU16(b, off + NSCOUNT, 0);
      putU16(b, off + ARCOUNT, 0);
      let o = off + HDR;
      r.questions.forEach((q, i) => {
        b.set(qnames[i]!, o);
        o += qnames[i]!.length;
        putU16(b, o, q.type);
        putU16(b, o + 2, q.cls ?? 1);
        o += 4;
      });
      answers.forEach((a, i) => {
        b.set(anames[i]!, o);
        o += anames[i]!.length;
        putU16(b, o, a.type);
        putU16(b, o + 2, a.cls ?? 1);
        putU32(b, o + 4, a.ttl);
        putU16(b, o + 8, a.data.length);
        b.set(a.data, o + 10);
        o += 10 + a.data.length;
      });
    },
  };
}
