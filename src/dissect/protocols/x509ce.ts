// Certificate extensions as Wireshark 4.0 shows them: the x509ce types (key identifiers, key
// usage, alternative names, basic and name constraints, CRL distribution points, policies and
// their mappings and constraints, extended key usage, Microsoft's template...), PKIX's authority
// information access, policy qualifiers and TLS feature, Netscape's extensions, OCSP's no-check
// and Certificate Transparency's SCT list, each registered for its OID as Wireshark registers it
// (so frame.protocols lists x509ce, pkix1implicit, ns_cert_exts, tls... in tshark's order).
//   GeneralName ::= CHOICE { otherName [0], rfc822Name [1] IA5String, dNSName [2] IA5String,
//     x400Address [3], directoryName [4] Name, ediPartyName [5], uniformResourceIdentifier [6]
//     IA5String, iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }   (IMPLICIT tags)
//   SignedCertificateTimestampList (RFC 6962): OCTET STRING { sct_list<1..2^16-1> of
//     SerializedSCT<1..2^16-1> { version 1 | log id 32 | timestamp 8 (ms) | extensions<0..2^16-1> |
//     signature algorithm 2 | signature<0..2^16-1> } }
import { FT, fieldByName, registerExperts, registerFields, registerProtocol, vals, type Expert, type Field, type FieldSpec } from "../fields.js";
import type { Node } from "../tree.js";
import {
  ANY, appendText, ber, bitString, boolean, choice, CON, expertItem, generalizedTime, identifier, IMPLTAG, integer, length,
  NOOWNTAG, NOTCHKTAG, nullType, octetString, oid, oidCallback, oidValue, OPTIONAL, registerOid, restrictedString, sequence,
  sequenceOf, Tag, UNI, utcTimeText, type ChoiceEntry, type SeqEntry,
} from "./ber.js";
import { attribute, directoryString, name, relativeDistinguishedName } from "./x509if.js";
import { signatureSchemeName } from "./tls-names.js";

const u32 = FT.UINT32, u64 = FT.UINT64, str = FT.STRING, none = FT.NONE, bytes = FT.BYTES, bool = FT.BOOLEAN;
const GENERAL_NAME = vals({
  0: "otherName", 1: "rfc822Name", 2: "dNSName", 3: "x400Address", 4: "directoryName", 5: "ediPartyName", 6: "uniformResourceIdentifier",
  7: "iPAddress", 8: "registeredID",
});
const DIRECTORY_STRING = vals({ 0: "teletexString", 1: "printableString", 2: "universalString", 3: "bmpString", 4: "uTF8String" });
const CRL_REASON = vals({
  0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded", 5: "cessationOfOperation",
  6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn", 10: "aaCompromise",
});
const bit = (abbrev: string, name: string, mask: number): FieldSpec => ({ abbrev, name, type: bool, mask, bitWidth: 8 });

export const ceHf = registerProtocol("x509ce", "X.509 Certificate Extensions", {
  id: { abbrev: "x509ce.id", name: "Id", type: str, blurb: "Object identifier Id" },
  IPAddress_ipv4: { abbrev: "x509ce.IPAddress.ipv4", name: "iPAddress", type: FT.IPV4, blurb: "IPv4 address" },
  IPAddress_ipv6: { abbrev: "x509ce.IPAddress.ipv6", name: "iPAddress", type: FT.IPV6, blurb: "IPv6 address" },
  AuthorityKeyIdentifier: { abbrev: "x509ce.AuthorityKeyIdentifier_element", name: "AuthorityKeyIdentifier", type: none },
  SubjectKeyIdentifier: { abbrev: "x509ce.SubjectKeyIdentifier", name: "SubjectKeyIdentifier", type: bytes },
  KeyUsage: { abbrev: "x509ce.KeyUsage", name: "KeyUsage", type: bytes },
  KeyPurposeIDs: { abbrev: "x509ce.KeyPurposeIDs", name: "KeyPurposeIDs", type: u32 },
  PrivateKeyUsagePeriod: { abbrev: "x509ce.PrivateKeyUsagePeriod_element", name: "PrivateKeyUsagePeriod", type: none },
  CertificatePoliciesSyntax: { abbrev: "x509ce.CertificatePoliciesSyntax", name: "CertificatePoliciesSyntax", type: u32 },
  PolicyMappingsSyntax: { abbrev: "x509ce.PolicyMappingsSyntax", name: "PolicyMappingsSyntax", type: u32 },
  GeneralNames: { abbrev: "x509ce.GeneralNames", name: "GeneralNames", type: u32 },
  BasicConstraintsSyntax: { abbrev: "x509ce.BasicConstraintsSyntax_element", name: "BasicConstraintsSyntax", type: none },
  NameConstraintsSyntax: { abbrev: "x509ce.NameConstraintsSyntax_element", name: "NameConstraintsSyntax", type: none },
  PolicyConstraintsSyntax: { abbrev: "x509ce.PolicyConstraintsSyntax_element", name: "PolicyConstraintsSyntax", type: none },
  SkipCerts: { abbrev: "x509ce.SkipCerts", name: "SkipCerts", type: u64 },
  CRLDistPointsSyntax: { abbrev: "x509ce.CRLDistPointsSyntax", name: "CRLDistPointsSyntax", type: u32 },
  CertificateTemplate: { abbrev: "x509ce.CertificateTemplate_element", name: "CertificateTemplate", type: none },
  EntrustVersionInfo: { abbrev: "x509ce.EntrustVersionInfo_element", name: "EntrustVersionInfo", type: none },
  keyIdentifier: { abbrev: "x509ce.keyIdentifier", name: "keyIdentifier", type: bytes },
  authorityCertIssuer: { abbrev: "x509ce.authorityCertIssuer", name: "authorityCertIssuer", type: u32, blurb: "GeneralNames" },
  authorityCertSerialNumber: { abbrev: "x509ce.authorityCertSerialNumber", name: "authorityCertSerialNumber", type: bytes, blurb: "CertificateSerialNumber" },
  KeyPurposeId: { abbrev: "x509ce.KeyPurposeId", name: "KeyPurposeId", type: str },
  notBefore: { abbrev: "x509ce.notBefore", name: "notBefore", type: FT.ABSOLUTE_TIME },
  notAfter: { abbrev: "x509ce.notAfter", name: "notAfter", type: FT.ABSOLUTE_TIME },
  PolicyInformation: { abbrev: "x509ce.PolicyInformation_element", name: "PolicyInformation", type: none },
  policyIdentifier: { abbrev: "x509ce.policyIdentifier", name: "policyIdentifier", type: str },
  policyQualifiers: { abbrev: "x509ce.policyQualifiers", name: "policyQualifiers", type: u32 },
  PolicyQualifierInfo: { abbrev: "x509ce.PolicyQualifierInfo_element", name: "PolicyQualifierInfo", type: none },
  PolicyMappingsSyntax_item: { abbrev: "x509ce.PolicyMappingsSyntax_item_element", name: "PolicyMappingsSyntax item", type: none },
  issuerDomainPolicy: { abbrev: "x509ce.issuerDomainPolicy", name: "issuerDomainPolicy", type: str },
  subjectDomainPolicy: { abbrev: "x509ce.subjectDomainPolicy", name: "subjectDomainPolicy", type: str },
  GeneralName: { abbrev: "x509ce.GeneralName", name: "GeneralName", type: u32, strings: GENERAL_NAME },
  otherName: { abbrev: "x509ce.otherName_element", name: "otherName", type: none },
  rfc822Name: { abbrev: "x509ce.rfc822Name", name: "rfc822Name", type: str },
  dNSName: { abbrev: "x509ce.dNSName", name: "dNSName", type: str },
  directoryName: { abbrev: "x509ce.directoryName", name: "directoryName", type: u32, strings: vals({ 0: "rdnSequence" }) },
  uniformResourceIdentifier: { abbrev: "x509ce.uniformResourceIdentifier", name: "uniformResourceIdentifier", type: str },
  iPAddress: { abbrev: "x509ce.iPAddress", name: "iPAddress", type: bytes },
  registeredID: { abbrev: "x509ce.registeredID", name: "registeredID", type: str },
  type_id: { abbrev: "x509ce.type_id", name: "type-id", type: str },
  cA: { abbrev: "x509ce.cA", name: "cA", type: bool },
  pathLenConstraint: { abbrev: "x509ce.pathLenConstraint", name: "pathLenConstraint", type: u64 },
  permittedSubtrees: { abbrev: "x509ce.permittedSubtrees", name: "permittedSubtrees", type: u32 },
  excludedSubtrees: { abbrev: "x509ce.excludedSubtrees", name: "excludedSubtrees", type: u32 },
  GeneralSubtree: { abbrev: "x509ce.GeneralSubtree_element", name: "GeneralSubtree", type: none },
  base: { abbrev: "x509ce.base", name: "base", type: u32, strings: GENERAL_NAME },
  minimum: { abbrev: "x509ce.minimum", name: "minimum", type: u64 },
  maximum: { abbrev: "x509ce.maximum", name: "maximum", type: u64 },
  requireExplicitPolicy: { abbrev: "x509ce.requireExplicitPolicy", name: "requireExplicitPolicy", type: u64 },
  inhibitPolicyMapping: { abbrev: "x509ce.inhibitPolicyMapping", name: "inhibitPolicyMapping", type: u64 },
  distributionPoint: { abbrev: "x509ce.distributionPoint", name: "distributionPoint", type: u32, strings: vals({ 0: "fullName", 1: "nameRelativeToCRLIssuer" }) },
  DistributionPoint: { abbrev: "x509ce.DistributionPoint_element", name: "DistributionPoint", type: none },
  reasons: { abbrev: "x509ce.reasons", name: "reasons", type: bytes, blurb: "ReasonFlags" },
  cRLIssuer: { abbrev: "x509ce.cRLIssuer", name: "cRLIssuer", type: u32, blurb: "GeneralNames" },
  fullName: { abbrev: "x509ce.fullName", name: "fullName", type: u32, blurb: "GeneralNames" },
  nameRelativeToCRLIssuer: { abbrev: "x509ce.nameRelativeToCRLIssuer", name: "nameRelativeToCRLIssuer", type: u32, blurb: "RelativeDistinguishedName" },
  templateID: { abbrev: "x509ce.templateID", name: "templateID", type: str },
  templateMajorVersion: { abbrev: "x509ce.templateMajorVersion", name: "templateMajorVersion", type: FT.INT32 },
  templateMinorVersion: { abbrev: "x509ce.templateMinorVersion", name: "templateMinorVersion", type: FT.INT32 },
  entrustVers: { abbrev: "x509ce.entrustVers", name: "entrustVers", type: str },
  AttributesSyntax: { abbrev: "x509ce.AttributesSyntax", name: "AttributesSyntax", type: u32 },
  Attribute: { abbrev: "x509ce.Attribute_element", name: "Attribute", type: none },
  ediPartyName: { abbrev: "x509ce.ediPartyName_element", name: "ediPartyName", type: none },
  nameAssigner: { abbrev: "x509ce.nameAssigner", name: "nameAssigner", type: u32, strings: DIRECTORY_STRING },
  partyName: { abbrev: "x509ce.partyName", name: "partyName", type: u32, strings: DIRECTORY_STRING },
  CRLNumber: { abbrev: "x509ce.CRLNumber", name: "CRLNumber", type: u64 },
  OrderedListSyntax: { abbrev: "x509ce.OrderedListSyntax", name: "OrderedListSyntax", type: u32, strings: vals({ 0: "ascSerialNum", 1: "ascRevDate" }) },
  CRLReason: { abbrev: "x509ce.CRLReason", name: "CRLReason", type: u32, strings: CRL_REASON },
  HoldInstruction: { abbrev: "x509ce.HoldInstruction", name: "HoldInstruction", type: str },
  BaseCRLNumber: { abbrev: "x509ce.BaseCRLNumber", name: "BaseCRLNumber", type: u64 },
  CRLStreamIdentifier: { abbrev: "x509ce.CRLStreamIdentifier", name: "CRLStreamIdentifier", type: u64 },
  ExpiredCertsOnCRL: { abbrev: "x509ce.ExpiredCertsOnCRL", name: "ExpiredCertsOnCRL", type: FT.ABSOLUTE_TIME },
  id_ce_invalidityDate: { abbrev: "x509ce.id_ce_invalidityDate", name: "invalidityDate", type: FT.ABSOLUTE_TIME },
  id_ce_baseUpdateTime: { abbrev: "x509ce.id_ce_baseUpdateTime", name: "baseUpdateTime", type: FT.ABSOLUTE_TIME },
  entrustVersInfoFlags: { abbrev: "x509ce.entrustVersInfoFlags", name: "entrustVersInfoFlags", type: bytes },
  KeyUsage_digitalSignature: bit("x509ce.KeyUsage.digitalSignature", "digitalSignature", 0x80),
  KeyUsage_contentCommitment: bit("x509ce.KeyUsage.contentCommitment", "contentCommitment", 0x40),
  KeyUsage_keyEncipherment: bit("x509ce.KeyUsage.keyEncipherment", "keyEncipherment", 0x20),
  KeyUsage_dataEncipherment: bit("x509ce.KeyUsage.dataEncipherment", "dataEncipherment", 0x10),
  KeyUsage_keyAgreement: bit("x509ce.KeyUsage.keyAgreement", "keyAgreement", 0x08),
  KeyUsage_keyCertSign: bit("x509ce.KeyUsage.keyCertSign", "keyCertSign", 0x04),
  KeyUsage_cRLSign: bit("x509ce.KeyUsage.cRLSign", "cRLSign", 0x02),
  KeyUsage_encipherOnly: bit("x509ce.KeyUsage.encipherOnly", "encipherOnly", 0x01),
  KeyUsage_decipherOnly: bit("x509ce.KeyUsage.decipherOnly", "decipherOnly", 0x80),
  ReasonFlags_unused: bit("x509ce.ReasonFlags.unused", "unused", 0x80),
  ReasonFlags_keyCompromise: bit("x509ce.ReasonFlags.keyCompromise", "keyCompromise", 0x40),
  ReasonFlags_cACompromise: bit("x509ce.ReasonFlags.cACompromise", "cACompromise", 0x20),
  ReasonFlags_affiliationChanged: bit("x509ce.ReasonFlags.affiliationChanged", "affiliationChanged", 0x10),
  ReasonFlags_superseded: bit("x509ce.ReasonFlags.superseded", "superseded", 0x08),
  ReasonFlags_cessationOfOperation: bit("x509ce.ReasonFlags.cessationOfOperation", "cessationOfOperation", 0x04),
  ReasonFlags_certificateHold: bit("x509ce.ReasonFlags.certificateHold", "certificateHold", 0x02),
  ReasonFlags_privilegeWithdrawn: bit("x509ce.ReasonFlags.privilegeWithdrawn", "privilegeWithdrawn", 0x01),
  ReasonFlags_aACompromise: bit("x509ce.ReasonFlags.aACompromise", "aACompromise", 0x80),
  EntrustInfoFlags_keyUpdateAllowed: bit("x509ce.EntrustInfoFlags.keyUpdateAllowed", "keyUpdateAllowed", 0x80),
  EntrustInfoFlags_newExtensions: bit("x509ce.EntrustInfoFlags.newExtensions", "newExtensions", 0x40),
  EntrustInfoFlags_pKIXCertificate: bit("x509ce.EntrustInfoFlags.pKIXCertificate", "pKIXCertificate", 0x20),
  EntrustInfoFlags_enterpriseCategory: bit("x509ce.EntrustInfoFlags.enterpriseCategory", "enterpriseCategory", 0x10),
  EntrustInfoFlags_webCategory: bit("x509ce.EntrustInfoFlags.webCategory", "webCategory", 0x08),
  EntrustInfoFlags_sETCategory: bit("x509ce.EntrustInfoFlags.sETCategory", "sETCategory", 0x04),
});

const DISPLAY_TEXT = vals({ 0: "ia5String", 1: "visibleString", 2: "bmpString", 3: "utf8String" });

export const implicitHf = registerProtocol("pkix1implicit", "PKIX1Implitit", {
  AuthorityInfoAccessSyntax: { abbrev: "pkix1implicit.AuthorityInfoAccessSyntax", name: "AuthorityInfoAccessSyntax", type: u32 },
  UserNotice: { abbrev: "pkix1implicit.UserNotice_element", name: "UserNotice", type: none },
  AccessDescription: { abbrev: "pkix1implicit.AccessDescription_element", name: "AccessDescription", type: none },
  accessMethod: { abbrev: "pkix1implicit.accessMethod", name: "accessMethod", type: str, blurb: "OBJECT_IDENTIFIER" },
  accessLocation: { abbrev: "pkix1implicit.accessLocation", name: "accessLocation", type: u32, blurb: "GeneralName" },
  noticeRef: { abbrev: "pkix1implicit.noticeRef_element", name: "noticeRef", type: none, blurb: "NoticeReference" },
  explicitText: { abbrev: "pkix1implicit.explicitText", name: "explicitText", type: u32, strings: DISPLAY_TEXT, blurb: "DisplayText" },
  organization: { abbrev: "pkix1implicit.organization", name: "organization", type: u32, strings: DISPLAY_TEXT, blurb: "DisplayText" },
  noticeNumbers: { abbrev: "pkix1implicit.noticeNumbers", name: "noticeNumbers", type: u32 },
  noticeNumbers_item: { abbrev: "pkix1implicit.noticeNumbers_item", name: "noticeNumbers item", type: FT.INT32, blurb: "INTEGER" },
  ia5String: { abbrev: "pkix1implicit.ia5String", name: "ia5String", type: str },
  visibleString: { abbrev: "pkix1implicit.visibleString", name: "visibleString", type: str },
  bmpString: { abbrev: "pkix1implicit.bmpString", name: "bmpString", type: str },
  utf8String: { abbrev: "pkix1implicit.utf8String", name: "utf8String", type: str },
});

const FEATURES = vals({
  0: "server_name", 1: "max_fragment_length", 2: "client_certificate_url", 3: "trusted_ca_keys", 4: "truncated_hmac", 5: "status_request",
  6: "user_mapping", 7: "client_authz", 8: "server_authz", 9: "cert_type", 10: "supported_groups", 11: "ec_point_formats", 12: "srp",
  13: "signature_algorithms", 14: "use_srtp", 15: "heartbeat", 16: "application_layer_protocol_negotiation", 17: "status_request_v2",
  18: "signed_certificate_timestamp", 19: "client_certificate_type", 20: "server_certificate_type", 21: "padding", 22: "encrypt_then_mac",
  23: "extended_master_secret", 24: "token_binding", 25: "cached_info", 27: "compress_certificate", 28: "record_size_limit",
  34: "delegated_credentials", 35: "session_ticket", 40: "Reserved (key_share)", 41: "pre_shared_key", 42: "early_data",
  43: "supported_versions", 44: "cookie", 45: "psk_key_exchange_modes", 46: "Reserved (ticket_early_data_info)", 47: "certificate_authorities",
  48: "oid_filters", 49: "post_handshake_auth", 50: "signature_algorithms_cert", 51: "key_share", 52: "transparency_info",
  53: "connection_id (deprecated)", 54: "connection_id", 55: "external_id_hash", 56: "external_session_id", 57: "quic_transport_parameters",
  58: "ticket_request", 59: "dnssec_chain", 2570: "Reserved (GREASE)", 6682: "Reserved (GREASE)", 10794: "Reserved (GREASE)",
  13172: "next_protocol_negotiation", 14906: "Reserved (GREASE)", 17513: "application_settings", 19018: "Reserved (GREASE)",
  23130: "Reserved (GREASE)", 27242: "Reserved (GREASE)", 30031: "channel_id_old", 30032: "channel_id", 65281: "renegotiation_info",
  31354: "Reserved (GREASE)", 35466: "Reserved (GREASE)", 39578: "Reserved (GREASE)", 43690: "Reserved (GREASE)", 47802: "Reserved (GREASE)",
  51914: "Reserved (GREASE)", 56026: "Reserved (GREASE)", 60138: "Reserved (GREASE)", 64250: "Reserved (GREASE)",
  65445: "quic_transport_parameters (drafts version)", 65486: "encrypted_server_name",
});

export const explicitHf = registerProtocol("pkix1explicit", "PKIX1Explicit", {
  DirectoryString: { abbrev: "pkix1explicit.DirectoryString", name: "DirectoryString", type: str },
  Features: { abbrev: "pkix1explicit.Features", name: "Features", type: u32 },
  Features_item: { abbrev: "pkix1explicit.Features_item", name: "Features item", type: FT.UINT16, strings: FEATURES },
});

export const nsHf = registerProtocol("ns_cert_exts", "NetScape Certificate Extensions", {
  BaseUrl: { abbrev: "ns_cert_exts.BaseUrl", name: "BaseUrl", type: str },
  RevocationUrl: { abbrev: "ns_cert_exts.RevocationUrl", name: "RevocationUrl", type: str },
  CaRevocationUrl: { abbrev: "ns_cert_exts.CaRevocationUrl", name: "CaRevocationUrl", type: str },
  CaPolicyUrl: { abbrev: "ns_cert_exts.CaPolicyUrl", name: "CaPolicyUrl", type: str },
  Comment: { abbrev: "ns_cert_exts.Comment", name: "Comment", type: str },
  SslServerName: { abbrev: "ns_cert_exts.SslServerName", name: "SslServerName", type: str },
  CertRenewalUrl: { abbrev: "ns_cert_exts.CertRenewalUrl", name: "CertRenewalUrl", type: str },
  CertType: { abbrev: "ns_cert_exts.CertType", name: "CertType", type: bytes },
  CertType_ssl_client: bit("ns.cert.exts.CertType.ssl.client", "ssl-client", 0x80),
  CertType_ssl_server: bit("ns.cert.exts.CertType.ssl.server", "ssl-server", 0x40),
  CertType_smime: bit("ns.cert.exts.CertType.smime", "smime", 0x20),
  CertType_object_signing: bit("ns.cert.exts.CertType.object.signing", "object-signing", 0x10),
  CertType_reserved: bit("ns.cert.exts.CertType.reserved.for.future.use", "reserved-for-future-use", 0x08),
  CertType_ssl_ca: bit("ns.cert.exts.CertType.ssl.ca", "ssl-ca", 0x04),
  CertType_smime_ca: bit("ns.cert.exts.CertType.smime.ca", "smime-ca", 0x02),
  CertType_object_signing_ca: bit("ns.cert.exts.CertType.object.signing.ca", "object-signing-ca", 0x01),
});

export const qualifiedHf = registerProtocol("pkixqualified", "PKIX Qualified", {
  QCStatements: { abbrev: "pkixqualified.QCStatements", name: "QCStatements", type: u32 },
  QCStatement: { abbrev: "pkixqualified.QCStatement_element", name: "QCStatement", type: none },
  statementId: { abbrev: "pkixqualified.statementId", name: "statementId", type: str },
  SemanticsInformation: { abbrev: "pkixqualified.SemanticsInformation_element", name: "SemanticsInformation", type: none },
  semanticsIdentifier: { abbrev: "pkixqualified.semanticsIdentifier", name: "semanticsIdentifier", type: str },
  nameRegistrationAuthorities: { abbrev: "pkixqualified.nameRegistrationAuthorities", name: "nameRegistrationAuthorities", type: u32 },
  GeneralName: { abbrev: "pkixqualified.GeneralName", name: "GeneralName", type: u32 },
  XmppAddr: { abbrev: "pkixqualified.XmppAddr", name: "XmppAddr", type: str },
  SRVName: { abbrev: "pkixqualified.SRVName", name: "SRVName", type: str },
});

export const ocspHf = registerProtocol("ocsp", "Online Certificate Status Protocol", {
  NULL: { abbrev: "ocsp.NULL_element", name: "NULL", type: none },
});

// Certificate Transparency's fields belong to TLS: registered under its protocol by tls-handshake.ts.
const SCT_SPECS = {
  scts_length: { abbrev: "tls.sct.scts_length", name: "Serialized SCT List Length", type: FT.UINT16 },
  sct_length: { abbrev: "tls.sct.sct_length", name: "Serialized SCT Length", type: FT.UINT16 },
  sct_version: { abbrev: "tls.sct.sct_version", name: "SCT Version", type: FT.UINT8 },
  sct_logid: { abbrev: "tls.sct.sct_logid", name: "Log ID", type: bytes },
  sct_timestamp: { abbrev: "tls.sct.sct_timestamp", name: "Timestamp", type: FT.ABSOLUTE_TIME },
  sct_extensions_length: { abbrev: "tls.sct.sct_extensions_length", name: "Extensions length", type: FT.UINT16 },
  sct_extensions: { abbrev: "tls.sct.sct_extensions", name: "Extensions", type: none },
  sct_signature_length: { abbrev: "tls.sct.sct_signature_length", name: "Signature Length", type: FT.UINT16 },
  sct_signature: { abbrev: "tls.sct.sct_signature", name: "Signature", type: bytes },
} satisfies Record<string, FieldSpec>;

let sctHf: Record<keyof typeof SCT_SPECS, Field> | null = null;
let sctEi: Record<"buffer_too_small" | "vector_length" | "trailing_data", Expert> | null = null;

/**
 * Registers the tls.sct.* fields, and the TLS vector experts they use, under TLS (tls-handshake.ts
 * calls this with the protocol once it is registered).
 */
export function registerSctFields(tls: Field): void {
  sctHf = registerFields(tls, SCT_SPECS);
  sctEi = registerExperts(tls, {
    vector_length: { abbrev: "tls.malformed.vector_length", group: "protocol", severity: "warn", summary: "Variable vector length is outside the permitted range" },
    buffer_too_small: { abbrev: "tls.malformed.buffer_too_small", group: "malformed", severity: "error", summary: "Malformed message, not enough data is available" },
    trailing_data: { abbrev: "tls.malformed.trailing_data", group: "protocol", severity: "warn", summary: "Undecoded trailing data is present" },
  });
}


// ---- GeneralName ----

/** iPAddress: an IPv4 or IPv6 address by its length; other lengths show nothing (as 4.0). */
function ipAddress(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  const t = ber.t;
  const n = t.rep - o;
  if (n === 4) {
    t.ipv4(ceHf.IPAddress_ipv4, o);
    ber.items++;
    return o + 4;
  }
  if (n === 16) {
    t.ipv6(ceHf.IPAddress_ipv6, o);
    ber.items++;
    return o + 16;
  }
  return o;
}

function otherNameType(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  return r;
}

function otherNameValue(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  return oidCallback(ber.ref, o);
}

const OTHER_NAME: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.type_id, fn: otherNameType },
  { cls: CON, tag: 0, flags: 0, f: null, fn: otherNameValue },
];

const ia5Implicit = (impl: boolean, o: number, f: Field | null) => octetString(impl, o, f);

const dirString = (impl: boolean, o: number, f: Field | null) => (void impl, directoryString(o, f));
const EDI_PARTY_NAME: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL, f: ceHf.nameAssigner, fn: dirString },
  { cls: CON, tag: 1, flags: 0, f: ceHf.partyName, fn: dirString },
];

const GENERAL_NAME_CHOICES: ChoiceEntry[] = [
  { value: 0, cls: CON, tag: 0, flags: IMPLTAG, f: ceHf.otherName, fn: (impl, o, f) => sequence(impl, o, OTHER_NAME, f) },
  { value: 1, cls: CON, tag: 1, flags: IMPLTAG, f: ceHf.rfc822Name, fn: ia5Implicit },
  { value: 2, cls: CON, tag: 2, flags: IMPLTAG, f: ceHf.dNSName, fn: ia5Implicit },
  { value: 4, cls: CON, tag: 4, flags: 0, f: ceHf.directoryName, fn: name },
  { value: 5, cls: CON, tag: 5, flags: IMPLTAG, f: ceHf.ediPartyName, fn: (impl, o, f) => sequence(impl, o, EDI_PARTY_NAME, f) },
  { value: 6, cls: CON, tag: 6, flags: IMPLTAG, f: ceHf.uniformResourceIdentifier, fn: ia5Implicit },
  { value: 7, cls: CON, tag: 7, flags: IMPLTAG, f: ceHf.iPAddress, fn: ipAddress },
  { value: 8, cls: CON, tag: 8, flags: IMPLTAG, f: ceHf.registeredID, fn: oid },
];

export function generalName(impl: boolean, o: number, f: Field | null): number {
  void impl;
  return choice(o, GENERAL_NAME_CHOICES, f);
}

const GENERAL_NAME_ITEM: SeqEntry = { cls: ANY, tag: -1, flags: NOOWNTAG, f: ceHf.GeneralName, fn: generalName };

export function generalNames(impl: boolean, o: number, f: Field | null): number {
  return sequenceOf(impl, o, false, GENERAL_NAME_ITEM, f);
}

// ---- x509ce extensions ----

const AUTHORITY_KEY_IDENTIFIER: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL | IMPLTAG, f: ceHf.keyIdentifier, fn: octetString },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: ceHf.authorityCertIssuer, fn: generalNames },
  { cls: CON, tag: 2, flags: OPTIONAL | IMPLTAG, f: ceHf.authorityCertSerialNumber, fn: integer },
];

const KEY_USAGE_BITS = [
  ceHf.KeyUsage_digitalSignature, ceHf.KeyUsage_contentCommitment, ceHf.KeyUsage_keyEncipherment, ceHf.KeyUsage_dataEncipherment,
  ceHf.KeyUsage_keyAgreement, ceHf.KeyUsage_keyCertSign, ceHf.KeyUsage_cRLSign, ceHf.KeyUsage_encipherOnly, ceHf.KeyUsage_decipherOnly,
];
const REASON_BITS = [
  ceHf.ReasonFlags_unused, ceHf.ReasonFlags_keyCompromise, ceHf.ReasonFlags_cACompromise, ceHf.ReasonFlags_affiliationChanged,
  ceHf.ReasonFlags_superseded, ceHf.ReasonFlags_cessationOfOperation, ceHf.ReasonFlags_certificateHold, ceHf.ReasonFlags_privilegeWithdrawn,
  ceHf.ReasonFlags_aACompromise,
];
const ENTRUST_BITS = [
  ceHf.EntrustInfoFlags_keyUpdateAllowed, ceHf.EntrustInfoFlags_newExtensions, ceHf.EntrustInfoFlags_pKIXCertificate,
  ceHf.EntrustInfoFlags_enterpriseCategory, ceHf.EntrustInfoFlags_webCategory, ceHf.EntrustInfoFlags_sETCategory,
];
const NS_CERT_TYPE_BITS = [
  nsHf.CertType_ssl_client, nsHf.CertType_ssl_server, nsHf.CertType_smime, nsHf.CertType_object_signing, nsHf.CertType_reserved,
  nsHf.CertType_ssl_ca, nsHf.CertType_smime_ca, nsHf.CertType_object_signing_ca,
];

const PRIVATE_KEY_USAGE_PERIOD: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL | IMPLTAG, f: ceHf.notBefore, fn: generalizedTime },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: ceHf.notAfter, fn: generalizedTime },
];

const BASIC_CONSTRAINTS: SeqEntry[] = [
  { cls: UNI, tag: Tag.BOOLEAN, flags: OPTIONAL | NOOWNTAG, f: ceHf.cA, fn: boolean },
  { cls: UNI, tag: Tag.INTEGER, flags: OPTIONAL | NOOWNTAG, f: ceHf.pathLenConstraint, fn: integer },
];

const GENERAL_SUBTREE: SeqEntry[] = [
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: ceHf.base, fn: generalName },
  { cls: CON, tag: 0, flags: OPTIONAL | IMPLTAG, f: ceHf.minimum, fn: integer },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: ceHf.maximum, fn: integer },
];
const GENERAL_SUBTREE_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ceHf.GeneralSubtree, fn: (impl, o, f) => sequence(impl, o, GENERAL_SUBTREE, f) };
const generalSubtrees = (impl: boolean, o: number, f: Field | null) => sequenceOf(impl, o, false, GENERAL_SUBTREE_ITEM, f);

const NAME_CONSTRAINTS: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL | IMPLTAG, f: ceHf.permittedSubtrees, fn: generalSubtrees },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: ceHf.excludedSubtrees, fn: generalSubtrees },
];

const POLICY_CONSTRAINTS: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL | IMPLTAG, f: ceHf.requireExplicitPolicy, fn: integer },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: ceHf.inhibitPolicyMapping, fn: integer },
];

const DISTRIBUTION_POINT_NAME: ChoiceEntry[] = [
  { value: 0, cls: CON, tag: 0, flags: IMPLTAG, f: ceHf.fullName, fn: generalNames },
  { value: 1, cls: CON, tag: 1, flags: IMPLTAG, f: ceHf.nameRelativeToCRLIssuer, fn: relativeDistinguishedName },
];

const DISTRIBUTION_POINT: SeqEntry[] = [
  { cls: CON, tag: 0, flags: OPTIONAL, f: ceHf.distributionPoint, fn: (impl, o, f) => (void impl, choice(o, DISTRIBUTION_POINT_NAME, f)) },
  { cls: CON, tag: 1, flags: OPTIONAL | IMPLTAG, f: ceHf.reasons, fn: (impl, o, f) => bitString(impl, o, f, REASON_BITS) },
  { cls: CON, tag: 2, flags: OPTIONAL | IMPLTAG, f: ceHf.cRLIssuer, fn: generalNames },
];
const DISTRIBUTION_POINT_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ceHf.DistributionPoint, fn: (impl, o, f) => sequence(impl, o, DISTRIBUTION_POINT, f) };

function qualifierId(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  return r;
}

function qualifier(impl: boolean, o: number, f: Field | null): number {
  void impl, f;
  return oidCallback(ber.ref, o);
}

const POLICY_QUALIFIER_INFO: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.id, fn: qualifierId },
  { cls: ANY, tag: 0, flags: OPTIONAL | NOOWNTAG, f: null, fn: qualifier },
];
const POLICY_QUALIFIER_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ceHf.PolicyQualifierInfo, fn: (impl, o, f) => sequence(impl, o, POLICY_QUALIFIER_INFO, f) };

const POLICY_INFORMATION: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.policyIdentifier, fn: oid },
  { cls: UNI, tag: Tag.SEQUENCE, flags: OPTIONAL | NOOWNTAG, f: ceHf.policyQualifiers, fn: (impl, o, f) => sequenceOf(impl, o, false, POLICY_QUALIFIER_ITEM, f) },
];
const POLICY_INFORMATION_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ceHf.PolicyInformation, fn: (impl, o, f) => sequence(impl, o, POLICY_INFORMATION, f) };

const POLICY_MAPPING: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.issuerDomainPolicy, fn: oid },
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.subjectDomainPolicy, fn: oid },
];
const POLICY_MAPPING_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ceHf.PolicyMappingsSyntax_item, fn: (impl, o, f) => sequence(impl, o, POLICY_MAPPING, f) };

const KEY_PURPOSE_ITEM: SeqEntry = { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.KeyPurposeId, fn: oid };

const CERTIFICATE_TEMPLATE: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: ceHf.templateID, fn: oid },
  { cls: UNI, tag: Tag.INTEGER, flags: OPTIONAL | NOOWNTAG, f: ceHf.templateMajorVersion, fn: integer },
  { cls: UNI, tag: Tag.INTEGER, flags: OPTIONAL | NOOWNTAG, f: ceHf.templateMinorVersion, fn: integer },
];

const ENTRUST_VERSION_INFO: SeqEntry[] = [
  { cls: UNI, tag: Tag.GeneralString, flags: NOOWNTAG, f: ceHf.entrustVers, fn: (impl, o, f) => restrictedString(impl, Tag.GeneralString, o, f) },
  { cls: UNI, tag: Tag.BITSTRING, flags: NOOWNTAG, f: ceHf.entrustVersInfoFlags, fn: (impl, o, f) => bitString(impl, o, f, ENTRUST_BITS) },
];

const X = "x509ce";
const seqPdu = (table: SeqEntry[], f: Field) => (o: number) => sequence(false, o, table, f);
const seqOfPdu = (item: SeqEntry, f: Field) => (o: number) => sequenceOf(false, o, false, item, f);

registerOid("2.5.29.14", X, (o) => octetString(false, o, ceHf.SubjectKeyIdentifier));
registerOid("2.5.29.15", X, (o) => bitString(false, o, ceHf.KeyUsage, KEY_USAGE_BITS));
registerOid("2.5.29.16", X, seqPdu(PRIVATE_KEY_USAGE_PERIOD, ceHf.PrivateKeyUsagePeriod));
for (const id of ["2.5.29.17", "2.5.29.18", "2.5.29.29"]) registerOid(id, X, (o) => generalNames(false, o, ceHf.GeneralNames));
registerOid("2.5.29.19", X, seqPdu(BASIC_CONSTRAINTS, ceHf.BasicConstraintsSyntax));
registerOid("2.5.29.30", X, seqPdu(NAME_CONSTRAINTS, ceHf.NameConstraintsSyntax));
for (const id of ["2.5.29.31", "2.5.29.46"]) registerOid(id, X, seqOfPdu(DISTRIBUTION_POINT_ITEM, ceHf.CRLDistPointsSyntax));
for (const id of ["2.5.29.3", "2.5.29.32", "1.3.6.1.4.1.311.21.10"]) registerOid(id, X, seqOfPdu(POLICY_INFORMATION_ITEM, ceHf.CertificatePoliciesSyntax));
registerOid("2.5.29.33", X, seqOfPdu(POLICY_MAPPING_ITEM, ceHf.PolicyMappingsSyntax));
registerOid("2.5.29.35", X, seqPdu(AUTHORITY_KEY_IDENTIFIER, ceHf.AuthorityKeyIdentifier));
registerOid("2.5.29.36", X, seqPdu(POLICY_CONSTRAINTS, ceHf.PolicyConstraintsSyntax));
registerOid("2.5.29.37", X, seqOfPdu(KEY_PURPOSE_ITEM, ceHf.KeyPurposeIDs));
registerOid("2.5.29.54", X, (o) => integer(false, o, ceHf.SkipCerts));
const ATTRIBUTE_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: ceHf.Attribute, fn: attribute };
registerOid("2.5.29.9", X, seqOfPdu(ATTRIBUTE_ITEM, ceHf.AttributesSyntax));
// CRL and CRL entry extensions.
registerOid("2.5.29.20", X, (o) => integer(false, o, ceHf.CRLNumber));
registerOid("2.5.29.21", X, (o) => integer(false, o, ceHf.CRLReason));
registerOid("2.5.29.23", X, (o) => oid(false, o, ceHf.HoldInstruction));
registerOid("2.5.29.24", X, (o) => generalizedTime(false, o, ceHf.id_ce_invalidityDate));
registerOid("2.5.29.27", X, (o) => integer(false, o, ceHf.BaseCRLNumber));
registerOid("2.5.29.40", X, (o) => integer(false, o, ceHf.CRLStreamIdentifier));
registerOid("2.5.29.51", X, (o) => generalizedTime(false, o, ceHf.id_ce_baseUpdateTime));
registerOid("2.5.29.60", X, (o) => generalizedTime(false, o, ceHf.ExpiredCertsOnCRL));
registerOid("2.5.29.47", X, (o) => integer(false, o, ceHf.OrderedListSyntax));
registerOid("1.3.6.1.4.1.311.21.7", X, seqPdu(CERTIFICATE_TEMPLATE, ceHf.CertificateTemplate));
registerOid("1.2.840.113533.7.65.0", X, seqPdu(ENTRUST_VERSION_INFO, ceHf.EntrustVersionInfo));

// ---- PKIX: authority information access, policy qualifiers, TLS feature ----

const ACCESS_DESCRIPTION: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: implicitHf.accessMethod, fn: oid },
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: implicitHf.accessLocation, fn: generalName },
];
const ACCESS_DESCRIPTION_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: implicitHf.AccessDescription, fn: (impl, o, f) => sequence(impl, o, ACCESS_DESCRIPTION, f) };
registerOid("1.3.6.1.5.5.7.1.1", "pkix1implicit", (o) => sequenceOf(false, o, false, ACCESS_DESCRIPTION_ITEM, implicitHf.AuthorityInfoAccessSyntax));

const displayChoice = (value: number, tag: number, f: Field): ChoiceEntry => ({
  value, cls: UNI, tag, flags: NOOWNTAG, f, fn: (impl, o, fl) => restrictedString(impl, tag, o, fl),
});
const DISPLAY_TEXT_CHOICES: ChoiceEntry[] = [
  displayChoice(0, Tag.IA5String, implicitHf.ia5String),
  displayChoice(1, Tag.VisibleString, implicitHf.visibleString),
  displayChoice(2, Tag.BMPString, implicitHf.bmpString),
  displayChoice(3, Tag.UTF8String, implicitHf.utf8String),
];
const displayText = (impl: boolean, o: number, f: Field | null) => (void impl, choice(o, DISPLAY_TEXT_CHOICES, f));

const NOTICE_NUMBER_ITEM: SeqEntry = { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: implicitHf.noticeNumbers_item, fn: integer };
const NOTICE_REFERENCE: SeqEntry[] = [
  { cls: ANY, tag: -1, flags: NOOWNTAG | NOTCHKTAG, f: implicitHf.organization, fn: displayText },
  { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: implicitHf.noticeNumbers, fn: (impl, o, f) => sequenceOf(impl, o, false, NOTICE_NUMBER_ITEM, f) },
];
const USER_NOTICE: SeqEntry[] = [
  { cls: UNI, tag: Tag.SEQUENCE, flags: OPTIONAL | NOOWNTAG, f: implicitHf.noticeRef, fn: (impl, o, f) => sequence(impl, o, NOTICE_REFERENCE, f) },
  { cls: ANY, tag: -1, flags: OPTIONAL | NOOWNTAG | NOTCHKTAG, f: implicitHf.explicitText, fn: displayText },
];
registerOid("1.3.6.1.5.5.7.2.2", "pkix1implicit", (o) => sequence(false, o, USER_NOTICE, implicitHf.UserNotice));
registerOid("1.3.6.1.5.5.7.2.1", "pkix1explicit", (o) => octetString(false, o, explicitHf.DirectoryString));

const FEATURE_ITEM: SeqEntry = { cls: UNI, tag: Tag.INTEGER, flags: NOOWNTAG, f: explicitHf.Features_item, fn: integer };
registerOid("1.3.6.1.5.5.7.1.24", "pkix1explicit", (o) => sequenceOf(false, o, false, FEATURE_ITEM, explicitHf.Features));

// ---- PKIX qualified certificates (RFC 3739) and its other names ----

function statementId(impl: boolean, o: number, f: Field | null): number {
  const r = oid(impl, o, f);
  ber.ref = oidValue;
  return r;
}
const QC_STATEMENT: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: NOOWNTAG, f: qualifiedHf.statementId, fn: statementId },
  { cls: ANY, tag: 0, flags: OPTIONAL | NOOWNTAG, f: null, fn: (impl, o) => (void impl, oidCallback(ber.ref, o)) },
];
const QC_STATEMENT_ITEM: SeqEntry = { cls: UNI, tag: Tag.SEQUENCE, flags: NOOWNTAG, f: qualifiedHf.QCStatement, fn: (impl, o, f) => sequence(impl, o, QC_STATEMENT, f) };
registerOid("1.3.6.1.5.5.7.1.3", "pkixqualified", (o) => sequenceOf(false, o, false, QC_STATEMENT_ITEM, qualifiedHf.QCStatements));

const NRA_ITEM: SeqEntry = { cls: ANY, tag: -1, flags: NOOWNTAG, f: qualifiedHf.GeneralName, fn: generalName };
const SEMANTICS_INFORMATION: SeqEntry[] = [
  { cls: UNI, tag: Tag.OID, flags: OPTIONAL | NOOWNTAG, f: qualifiedHf.semanticsIdentifier, fn: oid },
  { cls: UNI, tag: Tag.SEQUENCE, flags: OPTIONAL | NOOWNTAG, f: qualifiedHf.nameRegistrationAuthorities, fn: (impl, o, f) => sequenceOf(impl, o, false, NRA_ITEM, f) },
];
for (const id of ["1.3.6.1.5.5.7.11.1", "1.3.6.1.5.5.7.11.2"]) registerOid(id, "pkixqualified", (o) => sequence(false, o, SEMANTICS_INFORMATION, qualifiedHf.SemanticsInformation));
registerOid("1.3.6.1.5.5.7.8.5", "pkixqualified", (o) => restrictedString(false, Tag.UTF8String, o, qualifiedHf.XmppAddr));
registerOid("1.3.6.1.5.5.7.8.7", "pkixqualified", (o) => restrictedString(false, Tag.IA5String, o, qualifiedHf.SRVName));

// ---- Netscape, OCSP ----

const NS = "ns_cert_exts";
registerOid("2.16.840.1.113730.1.1", NS, (o) => bitString(false, o, nsHf.CertType, NS_CERT_TYPE_BITS));
const nsStrings: [string, Field][] = [
  ["2.16.840.1.113730.1.2", nsHf.BaseUrl], ["2.16.840.1.113730.1.3", nsHf.RevocationUrl], ["2.16.840.1.113730.1.4", nsHf.CaRevocationUrl],
  ["2.16.840.1.113730.1.7", nsHf.CertRenewalUrl], ["2.16.840.1.113730.1.8", nsHf.CaPolicyUrl], ["2.16.840.1.113730.1.12", nsHf.SslServerName],
  ["2.16.840.1.113730.1.13", nsHf.Comment],
];
for (const [id, f] of nsStrings) registerOid(id, NS, (o) => restrictedString(false, Tag.IA5String, o, f));

registerOid("1.3.6.1.5.5.7.48.1.5", "ocsp", (o) => nullType(false, o, ocspHf.NULL));

// ---- Certificate Transparency ----

let sigHashAlg: Field | undefined, sigHashHash: Field | undefined, sigHashSig: Field | undefined;

/**
 * tls's ssl_add_vector: the length (`width` bytes) of an opaque vector at `o` ending by `end`,
 * -1 when it cannot be read or does not fit (with tshark's expert).
 */
function vectorLength(o: number, end: number, width: number, f: Field, min: number, max: number): number {
  const t = ber.t, d = t.d, e = sctEi!;
  if (end - o < width) {
    expertItem(e.buffer_too_small, o, end - o, `No more room for vector of length ${width}`);
    return -1;
  }
  t.check(o, width);
  const n = width === 2 ? (d[o]! << 8) | d[o + 1]! : d[o]!;
  t.uint(f, o, width, n);
  ber.items++;
  const item = t.lastItem();
  if (n < min) t.expertUnder(item, ber.p, e.vector_length, o, width, `Vector length ${n} is smaller than minimum ${min}`);
  else if (n > max) t.expertUnder(item, ber.p, e.vector_length, o, width, `Vector length ${n} is larger than maximum ${max}`);
  if (end - o - width < n) {
    t.expertUnder(item, ber.p, e.buffer_too_small, o, width, `Vector length ${n} is too large, truncating it to ${end - o - width}`);
    return -1;
  }
  return n;
}

/** tls's ssl_end_vector: an expert when a vector's content did not end where its length said. */
function endVector(o: number, end: number): boolean {
  const e = sctEi!;
  if (o < end) {
    const n = end - o;
    expertItem(e.trailing_data, o, n, `${n} trailing byte${n === 1 ? " was" : "s were"} unprocessed`);
    return false;
  }
  if (o > end) {
    const n = o - end;
    expertItem(e.buffer_too_small, end, n, `Excess data (${n} byte${n === 1 ? "" : "s"}) found`);
    return false;
  }
  return true;
}

/** One SignedCertificateTimestamp in d[o, end); returns where it stopped. */
function sct(o: number, end: number, item: Node | null): number {
  const t = ber.t, d = t.d, h = sctHf!;
  t.check(o, 1);
  const version = d[o]!;
  t.uint(h.sct_version, o, 1, version);
  o++;
  if (version !== 0) return o;
  t.bytes(h.sct_logid, o, 32);
  // tshark names the logs it knows; arpx has no table of them.
  if (t.full) appendText(item, " (Unknown Log)");
  o += 32;
  t.check(o, 8);
  if (t.wants(h.sct_timestamp)) {
    let ms = 0;
    for (let i = 0; i < 8; i++) ms = ms * 256 + d[o + i]!;
    t.str(h.sct_timestamp, o, 8, utcTimeText(Math.floor(ms / 1000) * 1000, (ms % 1000) * 1000000));
  }
  o += 8;
  const exts = vectorLength(o, end, 2, h.sct_extensions_length, 0, 0xffff);
  if (exts < 0) return end;
  o += 2;
  if (exts > 0) {
    t.check(o, exts);
    t.none(h.sct_extensions, o, exts);
    o += exts;
  }
  // DigitallySigned (TLS 1.2): signature scheme 2 | signature<0..2^16-1>.
  sigHashAlg ??= fieldByName("tls.handshake.sig_hash_alg");
  sigHashHash ??= fieldByName("tls.handshake.sig_hash_hash");
  sigHashSig ??= fieldByName("tls.handshake.sig_hash_sig");
  t.check(o, 2);
  const scheme = (d[o]! << 8) | d[o + 1]!;
  if (sigHashAlg && sigHashHash && sigHashSig) {
    t.uint(sigHashAlg, o, 2, scheme);
    if (t.full) t.label(`Signature Algorithm: ${signatureSchemeName(scheme)} (0x${scheme.toString(16).padStart(4, "0")})`);
    t.down();
    t.uint(sigHashHash, o, 1, d[o]!);
    t.uint(sigHashSig, o + 1, 1, d[o + 1]!);
    t.up();
  }
  o += 2;
  const n = vectorLength(o, end, 2, h.sct_signature_length, 0, 0xffff);
  if (n < 0) return end;
  t.bytes(h.sct_signature, o + 2, n);
  return o + 2 + n;
}

/** The SCT list (RFC 6962) inside the extension's OCTET STRING, as tshark's TLS dissector shows it. */
function sctList(o: number): number {
  const t = ber.t, h = sctHf;
  if (h === null) return o;
  const end = t.cap;
  let q = length(identifier(o));
  const listLen = vectorLength(q, end, 2, h.scts_length, 1, 0xffff);
  if (listLen < 0) return end;
  q += 2;
  while (q < end) {
    t.text("Signed Certificate Timestamp", q, 2);
    const item = t.lastItem();
    t.down();
    try {
      const n = vectorLength(q, end, 2, h.sct_length, 1, 0xffff);
      if (n < 0) return end;
      q += 2;
      const next = q + n;
      if (item) item.len = 2 + n;
      const r = sct(q, next, item);
      q = endVector(r, next) ? r : next;
    } finally {
      t.up();
    }
  }
  return q;
}
registerOid("1.3.6.1.4.1.11129.2.4.2", "tls", sctList);
registerOid("1.3.6.1.4.1.11129.2.4.5", "tls", sctList);

