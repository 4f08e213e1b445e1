// Names of TLS registry values (IANA's TLS parameters), as tshark 4.0 prints them. The large tables
// were derived by building Client Hellos that list every value of a registry (all 65536 cipher
// suites, groups, signature schemes and extension types; every byte value of the small ones),
// reading them with `tshark -V` and keeping the values it names: they are not copied from
// Wireshark's source. Unknown values are shown by the tree as "Unknown (N)".
import { vals, type ValueStrings } from "../fields.js";

/** Cipher suites (tls.handshake.ciphersuite). */
export const CIPHER_SUITES: ValueStrings = vals({
  0x0000: "TLS_NULL_WITH_NULL_NULL", 0x0001: "TLS_RSA_WITH_NULL_MD5", 0x0002: "TLS_RSA_WITH_NULL_SHA",
  0x0003: "TLS_RSA_EXPORT_WITH_RC4_40_MD5", 0x0004: "TLS_RSA_WITH_RC4_128_MD5", 0x0005: "TLS_RSA_WITH_RC4_128_SHA",
  0x0006: "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", 0x0007: "TLS_RSA_WITH_IDEA_CBC_SHA", 0x0008: "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
  0x0009: "TLS_RSA_WITH_DES_CBC_SHA", 0x000a: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0x000b: "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA",
  0x000c: "TLS_DH_DSS_WITH_DES_CBC_SHA", 0x000d: "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA",
  0x000e: "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x000f: "TLS_DH_RSA_WITH_DES_CBC_SHA",
  0x0010: "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", 0x0011: "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",
  0x0012: "TLS_DHE_DSS_WITH_DES_CBC_SHA", 0x0013: "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
  0x0014: "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x0015: "TLS_DHE_RSA_WITH_DES_CBC_SHA",
  0x0016: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", 0x0017: "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5",
  0x0018: "TLS_DH_anon_WITH_RC4_128_MD5", 0x0019: "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", 0x001a: "TLS_DH_anon_WITH_DES_CBC_SHA",
  0x001b: "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", 0x001c: "SSL_FORTEZZA_KEA_WITH_NULL_SHA",
  0x001d: "SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA", 0x001e: "TLS_KRB5_WITH_DES_CBC_SHA", 0x001f: "TLS_KRB5_WITH_3DES_EDE_CBC_SHA",
  0x0020: "TLS_KRB5_WITH_RC4_128_SHA", 0x0021: "TLS_KRB5_WITH_IDEA_CBC_SHA", 0x0022: "TLS_KRB5_WITH_DES_CBC_MD5",
  0x0023: "TLS_KRB5_WITH_3DES_EDE_CBC_MD5", 0x0024: "TLS_KRB5_WITH_RC4_128_MD5", 0x0025: "TLS_KRB5_WITH_IDEA_CBC_MD5",
  0x0026: "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", 0x0027: "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA",
  0x0028: "TLS_KRB5_EXPORT_WITH_RC4_40_SHA", 0x0029: "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5",
  0x002a: "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5", 0x002b: "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", 0x002c: "TLS_PSK_WITH_NULL_SHA",
  0x002d: "TLS_DHE_PSK_WITH_NULL_SHA", 0x002e: "TLS_RSA_PSK_WITH_NULL_SHA", 0x002f: "TLS_RSA_WITH_AES_128_CBC_SHA",
  0x0030: "TLS_DH_DSS_WITH_AES_128_CBC_SHA", 0x0031: "TLS_DH_RSA_WITH_AES_128_CBC_SHA",
  0x0032: "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", 0x0033: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
  0x0034: "TLS_DH_anon_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA", 0x0036: "TLS_DH_DSS_WITH_AES_256_CBC_SHA",
  0x0037: "TLS_DH_RSA_WITH_AES_256_CBC_SHA", 0x0038: "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
  0x0039: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", 0x003a: "TLS_DH_anon_WITH_AES_256_CBC_SHA", 0x003b: "TLS_RSA_WITH_NULL_SHA256",
  0x003c: "TLS_RSA_WITH_AES_128_CBC_SHA256", 0x003d: "TLS_RSA_WITH_AES_256_CBC_SHA256",
  0x003e: "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", 0x003f: "TLS_DH_RSA_WITH_AES_128_CBC_SHA256",
  0x0040: "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", 0x0041: "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
  0x0042: "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA", 0x0043: "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA",
  0x0044: "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", 0x0045: "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
  0x0046: "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", 0x0060: "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5",
  0x0061: "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5", 0x0062: "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA",
  0x0063: "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", 0x0064: "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA",
  0x0065: "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", 0x0066: "TLS_DHE_DSS_WITH_RC4_128_SHA",
  0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", 0x0068: "TLS_DH_DSS_WITH_AES_256_CBC_SHA256",
  0x0069: "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", 0x006a: "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
  0x006b: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", 0x006c: "TLS_DH_anon_WITH_AES_128_CBC_SHA256",
  0x006d: "TLS_DH_anon_WITH_AES_256_CBC_SHA256", 0x0080: "TLS_GOSTR341094_WITH_28147_CNT_IMIT",
  0x0081: "TLS_GOSTR341001_WITH_28147_CNT_IMIT", 0x0082: "TLS_GOSTR341094_WITH_NULL_GOSTR3411",
  0x0083: "TLS_GOSTR341001_WITH_NULL_GOSTR3411", 0x0084: "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
  0x0085: "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA", 0x0086: "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA",
  0x0087: "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", 0x0088: "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
  0x0089: "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", 0x008a: "TLS_PSK_WITH_RC4_128_SHA", 0x008b: "TLS_PSK_WITH_3DES_EDE_CBC_SHA",
  0x008c: "TLS_PSK_WITH_AES_128_CBC_SHA", 0x008d: "TLS_PSK_WITH_AES_256_CBC_SHA", 0x008e: "TLS_DHE_PSK_WITH_RC4_128_SHA",
  0x008f: "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", 0x0090: "TLS_DHE_PSK_WITH_AES_128_CBC_SHA",
  0x0091: "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", 0x0092: "TLS_RSA_PSK_WITH_RC4_128_SHA", 0x0093: "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA",
  0x0094: "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", 0x0095: "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", 0x0096: "TLS_RSA_WITH_SEED_CBC_SHA",
  0x0097: "TLS_DH_DSS_WITH_SEED_CBC_SHA", 0x0098: "TLS_DH_RSA_WITH_SEED_CBC_SHA", 0x0099: "TLS_DHE_DSS_WITH_SEED_CBC_SHA",
  0x009a: "TLS_DHE_RSA_WITH_SEED_CBC_SHA", 0x009b: "TLS_DH_anon_WITH_SEED_CBC_SHA", 0x009c: "TLS_RSA_WITH_AES_128_GCM_SHA256",
  0x009d: "TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009e: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  0x009f: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", 0x00a0: "TLS_DH_RSA_WITH_AES_128_GCM_SHA256",
  0x00a1: "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", 0x00a2: "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
  0x00a3: "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", 0x00a4: "TLS_DH_DSS_WITH_AES_128_GCM_SHA256",
  0x00a5: "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", 0x00a6: "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
  0x00a7: "TLS_DH_anon_WITH_AES_256_GCM_SHA384", 0x00a8: "TLS_PSK_WITH_AES_128_GCM_SHA256",
  0x00a9: "TLS_PSK_WITH_AES_256_GCM_SHA384", 0x00aa: "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",
  0x00ab: "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", 0x00ac: "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",
  0x00ad: "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", 0x00ae: "TLS_PSK_WITH_AES_128_CBC_SHA256",
  0x00af: "TLS_PSK_WITH_AES_256_CBC_SHA384", 0x00b0: "TLS_PSK_WITH_NULL_SHA256", 0x00b1: "TLS_PSK_WITH_NULL_SHA384",
  0x00b2: "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", 0x00b3: "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384",
  0x00b4: "TLS_DHE_PSK_WITH_NULL_SHA256", 0x00b5: "TLS_DHE_PSK_WITH_NULL_SHA384", 0x00b6: "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256",
  0x00b7: "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", 0x00b8: "TLS_RSA_PSK_WITH_NULL_SHA256", 0x00b9: "TLS_RSA_PSK_WITH_NULL_SHA384",
  0x00ba: "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0x00bb: "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256",
  0x00bc: "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0x00bd: "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256",
  0x00be: "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0x00bf: "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256",
  0x00c0: "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", 0x00c1: "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256",
  0x00c2: "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256", 0x00c3: "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256",
  0x00c4: "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", 0x00c5: "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256",
  0x00c6: "TLS_SM4_GCM_SM3", 0x00c7: "TLS_SM4_CCM_SM3", 0x00ff: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", 0x0a0a: "Reserved (GREASE)",
  0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384", 0x1303: "TLS_CHACHA20_POLY1305_SHA256",
  0x1304: "TLS_AES_128_CCM_SHA256", 0x1305: "TLS_AES_128_CCM_8_SHA256", 0x1a1a: "Reserved (GREASE)", 0x2a2a: "Reserved (GREASE)",
  0x3a3a: "Reserved (GREASE)", 0x4a4a: "Reserved (GREASE)", 0x5600: "TLS_FALLBACK_SCSV", 0x5a5a: "Reserved (GREASE)",
  0x6a6a: "Reserved (GREASE)", 0x7a7a: "Reserved (GREASE)", 0x8a8a: "Reserved (GREASE)", 0x9a9a: "Reserved (GREASE)",
  0xaaaa: "Reserved (GREASE)", 0xbaba: "Reserved (GREASE)", 0xc001: "TLS_ECDH_ECDSA_WITH_NULL_SHA",
  0xc002: "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", 0xc003: "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA",
  0xc004: "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", 0xc005: "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",
  0xc006: "TLS_ECDHE_ECDSA_WITH_NULL_SHA", 0xc007: "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
  0xc008: "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", 0xc009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  0xc00a: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00b: "TLS_ECDH_RSA_WITH_NULL_SHA", 0xc00c: "TLS_ECDH_RSA_WITH_RC4_128_SHA",
  0xc00d: "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", 0xc00e: "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",
  0xc00f: "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", 0xc010: "TLS_ECDHE_RSA_WITH_NULL_SHA", 0xc011: "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
  0xc012: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", 0xc013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  0xc014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc015: "TLS_ECDH_anon_WITH_NULL_SHA", 0xc016: "TLS_ECDH_anon_WITH_RC4_128_SHA",
  0xc017: "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", 0xc018: "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
  0xc019: "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", 0xc01a: "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA",
  0xc01b: "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", 0xc01c: "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA",
  0xc01d: "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", 0xc01e: "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA",
  0xc01f: "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", 0xc020: "TLS_SRP_SHA_WITH_AES_256_CBC_SHA",
  0xc021: "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", 0xc022: "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA",
  0xc023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xc024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
  0xc025: "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", 0xc026: "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",
  0xc027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xc028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
  0xc029: "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", 0xc02a: "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",
  0xc02b: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02c: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  0xc02d: "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02e: "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",
  0xc02f: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  0xc031: "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", 0xc032: "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",
  0xc033: "TLS_ECDHE_PSK_WITH_RC4_128_SHA", 0xc034: "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA",
  0xc035: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", 0xc036: "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",
  0xc037: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", 0xc038: "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384",
  0xc039: "TLS_ECDHE_PSK_WITH_NULL_SHA", 0xc03a: "TLS_ECDHE_PSK_WITH_NULL_SHA256", 0xc03b: "TLS_ECDHE_PSK_WITH_NULL_SHA384",
  0xc03c: "TLS_RSA_WITH_ARIA_128_CBC_SHA256", 0xc03d: "TLS_RSA_WITH_ARIA_256_CBC_SHA384",
  0xc03e: "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256", 0xc03f: "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384",
  0xc040: "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256", 0xc041: "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384",
  0xc042: "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256", 0xc043: "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384",
  0xc044: "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256", 0xc045: "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384",
  0xc046: "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256", 0xc047: "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384",
  0xc048: "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256", 0xc049: "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384",
  0xc04a: "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256", 0xc04b: "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384",
  0xc04c: "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256", 0xc04d: "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384",
  0xc04e: "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256", 0xc04f: "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384",
  0xc050: "TLS_RSA_WITH_ARIA_128_GCM_SHA256", 0xc051: "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
  0xc052: "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", 0xc053: "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",
  0xc054: "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256", 0xc055: "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384",
  0xc056: "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", 0xc057: "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384",
  0xc058: "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256", 0xc059: "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384",
  0xc05a: "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256", 0xc05b: "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384",
  0xc05c: "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", 0xc05d: "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
  0xc05e: "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256", 0xc05f: "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384",
  0xc060: "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", 0xc061: "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
  0xc062: "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256", 0xc063: "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384",
  0xc064: "TLS_PSK_WITH_ARIA_128_CBC_SHA256", 0xc065: "TLS_PSK_WITH_ARIA_256_CBC_SHA384",
  0xc066: "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256", 0xc067: "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384",
  0xc068: "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256", 0xc069: "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384",
  0xc06a: "TLS_PSK_WITH_ARIA_128_GCM_SHA256", 0xc06b: "TLS_PSK_WITH_ARIA_256_GCM_SHA384",
  0xc06c: "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", 0xc06d: "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384",
  0xc06e: "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", 0xc06f: "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384",
  0xc070: "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256", 0xc071: "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384",
  0xc072: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", 0xc073: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
  0xc074: "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", 0xc075: "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
  0xc076: "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0xc077: "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
  0xc078: "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0xc079: "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384",
  0xc07a: "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc07b: "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc07c: "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc07d: "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc07e: "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc07f: "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc080: "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256", 0xc081: "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384",
  0xc082: "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256", 0xc083: "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384",
  0xc084: "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256", 0xc085: "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384",
  0xc086: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc087: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc088: "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc089: "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc08a: "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc08b: "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc08c: "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256", 0xc08d: "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  0xc08e: "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256", 0xc08f: "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384",
  0xc090: "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256", 0xc091: "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384",
  0xc092: "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256", 0xc093: "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384",
  0xc094: "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xc095: "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384",
  0xc096: "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xc097: "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
  0xc098: "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xc099: "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384",
  0xc09a: "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xc09b: "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
  0xc09c: "TLS_RSA_WITH_AES_128_CCM", 0xc09d: "TLS_RSA_WITH_AES_256_CCM", 0xc09e: "TLS_DHE_RSA_WITH_AES_128_CCM",
  0xc09f: "TLS_DHE_RSA_WITH_AES_256_CCM", 0xc0a0: "TLS_RSA_WITH_AES_128_CCM_8", 0xc0a1: "TLS_RSA_WITH_AES_256_CCM_8",
  0xc0a2: "TLS_DHE_RSA_WITH_AES_128_CCM_8", 0xc0a3: "TLS_DHE_RSA_WITH_AES_256_CCM_8", 0xc0a4: "TLS_PSK_WITH_AES_128_CCM",
  0xc0a5: "TLS_PSK_WITH_AES_256_CCM", 0xc0a6: "TLS_DHE_PSK_WITH_AES_128_CCM", 0xc0a7: "TLS_DHE_PSK_WITH_AES_256_CCM",
  0xc0a8: "TLS_PSK_WITH_AES_128_CCM_8", 0xc0a9: "TLS_PSK_WITH_AES_256_CCM_8", 0xc0aa: "TLS_PSK_DHE_WITH_AES_128_CCM_8",
  0xc0ab: "TLS_PSK_DHE_WITH_AES_256_CCM_8", 0xc0ac: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
  0xc0ad: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", 0xc0ae: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
  0xc0af: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", 0xc0b0: "TLS_ECCPWD_WITH_AES_128_GCM_SHA256",
  0xc0b1: "TLS_ECCPWD_WITH_AES_256_GCM_SHA384", 0xc0b2: "TLS_ECCPWD_WITH_AES_128_CCM_SHA256",
  0xc0b3: "TLS_ECCPWD_WITH_AES_256_CCM_SHA384", 0xc0b4: "TLS_SHA256_SHA256", 0xc0b5: "TLS_SHA384_SHA384",
  0xc0ff: "TLS_ECJPAKE_WITH_AES_128_CCM_8", 0xc100: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
  0xc101: "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC", 0xc102: "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",
  0xc103: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", 0xc104: "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L",
  0xc105: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S", 0xc106: "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S",
  0xcaca: "Reserved (GREASE)", 0xcc13: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  0xcc14: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcc15: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  0xcca8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  0xccaa: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xccab: "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256",
  0xccac: "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", 0xccad: "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
  0xccae: "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", 0xd001: "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",
  0xd002: "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", 0xd003: "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256",
  0xd005: "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", 0xdada: "Reserved (GREASE)", 0xe001: "ECDHE_SM1_SM3", 0xe003: "ECC_SM1_SM3",
  0xe005: "IBSDH_SM1_SM3", 0xe007: "IBC_SM1_SM3", 0xe009: "RSA_SM1_SM3", 0xe00a: "RSA_SM1_SHA1", 0xe011: "ECDHE_SM4_CBC_SM3",
  0xe013: "ECC_SM4_CBC_SM3", 0xe015: "IBSDH_SM4_CBC_SM3", 0xe017: "IBC_SM4_CBC_SM3", 0xe019: "RSA_SM4_CBC_SM3",
  0xe01a: "RSA_SM4_CBC_SHA1", 0xe01c: "RSA_SM4_CBC_SHA256", 0xe051: "ECDHE_SM4_GCM_SM3", 0xe053: "ECC_SM4_GCM_SM3",
  0xe055: "IBSDH_SM4_GCM_SM3", 0xe057: "IBC_SM4_GCM_SM3", 0xe059: "RSA_SM4_GCM_SM3", 0xe05a: "RSA_SM4_GCM_SHA256",
  0xe410: "TLS_RSA_WITH_ESTREAM_SALSA20_SHA1", 0xe411: "TLS_RSA_WITH_SALSA20_SHA1",
  0xe412: "TLS_ECDHE_RSA_WITH_ESTREAM_SALSA20_SHA1", 0xe413: "TLS_ECDHE_RSA_WITH_SALSA20_SHA1",
  0xe414: "TLS_ECDHE_ECDSA_WITH_ESTREAM_SALSA20_SHA1", 0xe415: "TLS_ECDHE_ECDSA_WITH_SALSA20_SHA1",
  0xe416: "TLS_PSK_WITH_ESTREAM_SALSA20_SHA1", 0xe417: "TLS_PSK_WITH_SALSA20_SHA1",
  0xe418: "TLS_ECDHE_PSK_WITH_ESTREAM_SALSA20_SHA1", 0xe419: "TLS_ECDHE_PSK_WITH_SALSA20_SHA1",
  0xe41a: "TLS_RSA_PSK_WITH_ESTREAM_SALSA20_SHA1", 0xe41b: "TLS_RSA_PSK_WITH_SALSA20_SHA1",
  0xe41c: "TLS_DHE_PSK_WITH_ESTREAM_SALSA20_SHA1", 0xe41d: "TLS_DHE_PSK_WITH_SALSA20_SHA1",
  0xe41e: "TLS_DHE_RSA_WITH_ESTREAM_SALSA20_SHA1", 0xe41f: "TLS_DHE_RSA_WITH_SALSA20_SHA1", 0xeaea: "Reserved (GREASE)",
  0xfafa: "Reserved (GREASE)", 0xfefe: "SSL_RSA_FIPS_WITH_DES_CBC_SHA", 0xfeff: "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA",
  0xffe0: "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA", 0xffe1: "SSL_RSA_FIPS_WITH_DES_CBC_SHA",
});
/** Extension types (tls.handshake.extension.type). */
export const EXTENSION_TYPES: ValueStrings = vals({
  0x0000: "server_name", 0x0001: "max_fragment_length", 0x0002: "client_certificate_url", 0x0003: "trusted_ca_keys",
  0x0004: "truncated_hmac", 0x0005: "status_request", 0x0006: "user_mapping", 0x0007: "client_authz", 0x0008: "server_authz",
  0x0009: "cert_type", 0x000a: "supported_groups", 0x000b: "ec_point_formats", 0x000c: "srp", 0x000d: "signature_algorithms",
  0x000e: "use_srtp", 0x000f: "heartbeat", 0x0010: "application_layer_protocol_negotiation", 0x0011: "status_request_v2",
  0x0012: "signed_certificate_timestamp", 0x0013: "client_certificate_type", 0x0014: "server_certificate_type", 0x0015: "padding",
  0x0016: "encrypt_then_mac", 0x0017: "extended_master_secret", 0x0018: "token_binding", 0x0019: "cached_info",
  0x001b: "compress_certificate", 0x001c: "record_size_limit", 0x0022: "delegated_credentials", 0x0023: "session_ticket",
  0x0028: "Reserved (key_share)", 0x0029: "pre_shared_key", 0x002a: "early_data", 0x002b: "supported_versions", 0x002c: "cookie",
  0x002d: "psk_key_exchange_modes", 0x002e: "Reserved (ticket_early_data_info)", 0x002f: "certificate_authorities",
  0x0030: "oid_filters", 0x0031: "post_handshake_auth", 0x0032: "signature_algorithms_cert", 0x0033: "key_share",
  0x0034: "transparency_info", 0x0035: "connection_id (deprecated)", 0x0036: "connection_id", 0x0037: "external_id_hash",
  0x0038: "external_session_id", 0x0039: "quic_transport_parameters", 0x003a: "ticket_request", 0x003b: "dnssec_chain",
  0x0a0a: "Reserved (GREASE)", 0x1a1a: "Reserved (GREASE)", 0x2a2a: "Reserved (GREASE)", 0x3374: "next_protocol_negotiation",
  0x3a3a: "Reserved (GREASE)", 0x4469: "application_settings", 0x4a4a: "Reserved (GREASE)", 0x5a5a: "Reserved (GREASE)",
  0x6a6a: "Reserved (GREASE)", 0x754f: "channel_id_old", 0x7550: "channel_id", 0x7a7a: "Reserved (GREASE)",
  0x8a8a: "Reserved (GREASE)", 0x9a9a: "Reserved (GREASE)", 0xaaaa: "Reserved (GREASE)", 0xbaba: "Reserved (GREASE)",
  0xcaca: "Reserved (GREASE)", 0xdada: "Reserved (GREASE)", 0xeaea: "Reserved (GREASE)", 0xfafa: "Reserved (GREASE)",
  0xff01: "renegotiation_info", 0xffa5: "quic_transport_parameters (drafts version)", 0xffce: "encrypted_server_name",
});
/** Supported groups (tls.handshake.extensions_supported_group, key_share and Server Key Exchange curves). */
export const GROUPS: ValueStrings = vals({
  0x0001: "sect163k1", 0x0002: "sect163r1", 0x0003: "sect163r2", 0x0004: "sect193r1", 0x0005: "sect193r2", 0x0006: "sect233k1",
  0x0007: "sect233r1", 0x0008: "sect239k1", 0x0009: "sect283k1", 0x000a: "sect283r1", 0x000b: "sect409k1", 0x000c: "sect409r1",
  0x000d: "sect571k1", 0x000e: "sect571r1", 0x000f: "secp160k1", 0x0010: "secp160r1", 0x0011: "secp160r2", 0x0012: "secp192k1",
  0x0013: "secp192r1", 0x0014: "secp224k1", 0x0015: "secp224r1", 0x0016: "secp256k1", 0x0017: "secp256r1", 0x0018: "secp384r1",
  0x0019: "secp521r1", 0x001a: "brainpoolP256r1", 0x001b: "brainpoolP384r1", 0x001c: "brainpoolP512r1", 0x001d: "x25519",
  0x001e: "x448", 0x0029: "curveSM2", 0x0100: "ffdhe2048", 0x0101: "ffdhe3072", 0x0102: "ffdhe4096", 0x0103: "ffdhe6144",
  0x0104: "ffdhe8192", 0x0200: "frodo640aes", 0x0201: "frodo640shake", 0x0202: "frodo976aes", 0x0203: "frodo976shake",
  0x0204: "frodo1344aes", 0x0205: "frodo1344shake", 0x0214: "ntru_hps2048509", 0x0215: "ntru_hps2048677",
  0x0216: "ntru_hps4096821", 0x0217: "ntru_hrss701", 0x0218: "lightsaber", 0x0219: "saber", 0x021a: "firesaber",
  0x021b: "sidhp434", 0x021c: "sidhp503", 0x021d: "sidhp610", 0x021e: "sidhp751", 0x021f: "sikep434", 0x0220: "sikep503",
  0x0221: "sikep610", 0x0222: "sikep751", 0x022c: "hqc128", 0x022d: "hqc192", 0x022e: "hqc256", 0x022f: "ntrulpr653",
  0x0230: "ntrulpr761", 0x0231: "ntrulpr857", 0x0232: "sntrup653", 0x0233: "sntrup761", 0x0234: "sntrup857", 0x0238: "bikel1",
  0x023a: "kyber512", 0x023b: "bikel3", 0x023c: "kyber768", 0x023d: "kyber1024", 0x023e: "kyber90s512", 0x023f: "kyber90s768",
  0x0240: "kyber90s1024", 0x0241: "ntrulpr1277", 0x0242: "sntrup1277", 0x0245: "ntru_hps40961229", 0x0246: "ntru_hrss1373",
  0x0a0a: "Reserved (GREASE)", 0x1a1a: "Reserved (GREASE)", 0x2a2a: "Reserved (GREASE)", 0x2f00: "p256_frodo640aes",
  0x2f01: "p256_frodo640shake", 0x2f02: "p384_frodo976aes", 0x2f03: "p384_frodo976shake", 0x2f04: "p521_frodo1344aes",
  0x2f05: "p521_frodo1344shake", 0x2f14: "p256_ntru_hps2048509", 0x2f15: "p384_ntru_hps2048677", 0x2f16: "p521_ntru_hps4096821",
  0x2f17: "p384_ntru_hrss701", 0x2f18: "p256_lightsaber", 0x2f19: "p384_saber", 0x2f1a: "p521_firesaber", 0x2f1b: "p256_sidhp434",
  0x2f1c: "p256_sidhp503", 0x2f1d: "p384_sidhp610", 0x2f1e: "p521_sidhp751", 0x2f1f: "p256_sikep434", 0x2f20: "p256_sikep503",
  0x2f21: "p384_sikep610", 0x2f22: "p521_sikep751", 0x2f2c: "p256_hqc128", 0x2f2d: "p384_hqc192", 0x2f2e: "p521_hqc256",
  0x2f2f: "p256_ntrulpr653", 0x2f31: "p384_ntrulpr857", 0x2f32: "p256_sntrup653", 0x2f34: "p384_sntrup857", 0x2f38: "p256_bikel1",
  0x2f3a: "p256_kyber512", 0x2f3b: "p384_bikel3", 0x2f3c: "p384_kyber768", 0x2f3d: "p521_kyber1024", 0x2f3e: "p256_kyber90s512",
  0x2f3f: "p384_kyber90s768", 0x2f40: "p521_kyber90s1024", 0x2f41: "p521_ntrulpr1277", 0x2f42: "p521_sntrup1277",
  0x2f43: "p256_ntrulpr761", 0x2f44: "p256_sntrup761", 0x2f45: "p521_ntru_hps40961229", 0x2f46: "p521_ntru_hrss1373",
  0x3a3a: "Reserved (GREASE)", 0x4a4a: "Reserved (GREASE)", 0x5a5a: "Reserved (GREASE)", 0x6a6a: "Reserved (GREASE)",
  0x7a7a: "Reserved (GREASE)", 0x8a8a: "Reserved (GREASE)", 0x9a9a: "Reserved (GREASE)", 0xaaaa: "Reserved (GREASE)",
  0xbaba: "Reserved (GREASE)", 0xcaca: "Reserved (GREASE)", 0xdada: "Reserved (GREASE)", 0xeaea: "Reserved (GREASE)",
  0xfafa: "Reserved (GREASE)", 0xff01: "arbitrary_explicit_prime_curves", 0xff02: "arbitrary_explicit_char2_curves",
});
/** Signature schemes with a name of their own; others are shown as "<hash> <signature>". */
export const SIGNATURE_SCHEMES: ValueStrings = vals({
  0x0201: "rsa_pkcs1_sha1", 0x0203: "ecdsa_sha1", 0x0401: "rsa_pkcs1_sha256", 0x0403: "ecdsa_secp256r1_sha256",
  0x0501: "rsa_pkcs1_sha384", 0x0503: "ecdsa_secp384r1_sha384", 0x0601: "rsa_pkcs1_sha512", 0x0603: "ecdsa_secp521r1_sha512",
  0x0708: "sm2sig_sm3", 0x0804: "rsa_pss_rsae_sha256", 0x0805: "rsa_pss_rsae_sha384", 0x0806: "rsa_pss_rsae_sha512",
  0x0807: "ed25519", 0x0808: "ed448", 0x0809: "rsa_pss_pss_sha256", 0x080a: "rsa_pss_pss_sha384", 0x080b: "rsa_pss_pss_sha512",
  0xfe0b: "falcon512", 0xfe0c: "p256_falcon512", 0xfe0d: "rsa3072_falcon512", 0xfe0e: "falcon1024", 0xfe0f: "p521_falcon1024",
  0xfe1b: "picnic3l1", 0xfe1c: "p256_picnic3l1", 0xfe1d: "rsa3072_picnic3l1", 0xfe27: "rainbowIclassic",
  0xfe28: "p256_rainbowIclassic", 0xfe29: "rsa3072_rainbowIclassic", 0xfe3c: "rainbowVclassic", 0xfe3d: "p521_rainbowVclassic",
  0xfe42: "sphincsharaka128frobust", 0xfe43: "p256_sphincsharaka128frobust", 0xfe44: "rsa3072_sphincsharaka128frobust",
  0xfe5e: "sphincssha256128frobust", 0xfe5f: "p256_sphincssha256128frobust", 0xfe60: "rsa3072_sphincssha256128frobust",
  0xfe7a: "sphincsshake256128frobust", 0xfe7b: "p256_sphincsshake256128frobust", 0xfe7c: "rsa3072_sphincsshake256128frobust",
  0xfe96: "picnicl1full", 0xfe97: "p256_picnicl1full", 0xfe98: "rsa3072_picnicl1full", 0xfea0: "dilithium2",
  0xfea1: "p256_dilithium2", 0xfea2: "rsa3072_dilithium2", 0xfea3: "dilithium3", 0xfea4: "p384_dilithium3", 0xfea5: "dilithium5",
  0xfea6: "p521_dilithium5", 0xfea7: "dilithium2_aes", 0xfea8: "p256_dilithium2_aes", 0xfea9: "rsa3072_dilithium2_aes",
  0xfeaa: "dilithium3_aes", 0xfeab: "p384_dilithium3_aes", 0xfeac: "dilithium5_aes", 0xfead: "p521_dilithium5_aes",
});
/** Signature Hash Algorithm Hash (tls.handshake.sig_hash_hash). */
export const SIG_HASHES: ValueStrings = vals({
  0x0: "None", 0x1: "MD5", 0x2: "SHA1", 0x3: "SHA224", 0x4: "SHA256", 0x5: "SHA384", 0x6: "SHA512", 0x7: "SM3",
});
/** Signature Hash Algorithm Signature (tls.handshake.sig_hash_sig). */
export const SIG_SIGNATURES: ValueStrings = vals({
  0x0: "Anonymous", 0x1: "RSA", 0x2: "DSA", 0x3: "ECDSA", 0x4: "SM2",
});
/** Compression methods (tls.handshake.comp_method): 64-192 reserved, 193-255 private use. */
export const COMPRESSION_METHODS: ValueStrings = (() => {
  const m = new Map<number, string>([[0, "null"], [1, "DEFLATE"]]);
  for (let v = 64; v <= 192; v++) m.set(v, "Reserved - to be assigned by IANA");
  for (let v = 193; v <= 255; v++) m.set(v, "Private use range");
  return m;
})();
/** EC point formats (tls.handshake.extensions_ec_point_format). */
export const EC_POINT_FORMATS = vals({ 0: "uncompressed", 1: "ansiX962_compressed_prime", 2: "ansiX962_compressed_char2" });
/** PSK key exchange modes (tls.extension.psk_ke_mode). */
export const PSK_KE_MODES = vals({ 0: "PSK-only key establishment (psk_ke)", 1: "PSK with (EC)DHE key establishment (psk_dhe_ke)" });
/** Certificate compression algorithms (tls.compress_certificate.algorithm). */
export const CERT_COMPRESSION = vals({ 1: "zlib", 2: "brotli", 3: "zstd" });
/** Server name types (tls.handshake.extensions_server_name_type). */
export const SERVER_NAME_TYPES = vals({ 0: "host_name" });
/** Certificate status types (tls.handshake.extensions_status_request_type). */
export const STATUS_TYPES = vals({ 1: "OCSP", 2: "OCSP Multi" });
/** Maximum fragment lengths (tls.handshake.max_fragment_length). */
export const MAX_FRAGMENT_LENGTHS = vals({ 1: "512", 2: "1024", 3: "2048", 4: "4096" });
/** Heartbeat modes (tls.handshake.extension.heartbeat.mode). */
export const HEARTBEAT_MODES = vals({ 1: "Peer allowed to send requests", 2: "Peer not allowed to send requests" });
/** ECParameters curve types (tls.handshake.server_curve_type). */
export const CURVE_TYPES = vals({ 1: "explicit_prime", 2: "explicit_char2", 3: "named_curve" });
/** Client certificate types of a Certificate Request (tls.handshake.cert_type). */
export const CERT_TYPES = vals({
  1: "RSA Sign", 2: "DSS Sign", 3: "RSA Fixed DH", 4: "DSS Fixed DH", 21: "GOST R 34.10-94", 22: "GOST R 34.10-2001",
  64: "ECDSA Sign", 65: "RSA Fixed ECDH", 66: "ECDSA Fixed ECDH", 80: "IBC Params",
});

/** A GREASE value (RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa), left out of JA3. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** The label of a signature scheme: its name, or "<hash> <signature>" from its two bytes. */
export function signatureSchemeName(v: number): string {
  return SIGNATURE_SCHEMES.get(v) ?? `${SIG_HASHES.get(v >> 8) ?? "Unknown"} ${SIG_SIGNATURES.get(v & 255) ?? "Unknown"}`;
}

/** The key exchange a cipher suite uses, for the Server/Client Key Exchange bodies. */
export const enum Kex { UNKNOWN, RSA, DHE, ECDHE }

export function kexOf(suite: number): Kex {
  const name = CIPHER_SUITES.get(suite);
  if (name === undefined) return Kex.UNKNOWN;
  if (/^TLS_ECDHE?_/.test(name)) return name.includes("_PSK_") ? Kex.UNKNOWN : Kex.ECDHE;
  if (/^TLS_(DHE|DH)_/.test(name)) return name.includes("_PSK_") ? Kex.UNKNOWN : Kex.DHE;
  if (name.startsWith("TLS_RSA_WITH") || name.startsWith("TLS_RSA_EXPORT")) return Kex.RSA;
  return Kex.UNKNOWN;
}
