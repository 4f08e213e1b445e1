// X.509 certificates (x509.ts, x509if.ts, x509ce.ts over ber.ts) in TLS 1.2 Certificate messages
// and the RPKI Router Key's SubjectPublicKeyInfo. Certificates built here byte by byte (every
// extension and attribute arpx decodes, odd encodings, a chain), others made by openssl (RSA with
// SANs, key usages, policies, AIA and CRL distribution points from a config file; P-256, Ed25519,
// RSA-PSS), and the recorded captures/tls-basics.pcapng are read by arpx and by tshark, which must
// print the same summary lines, -V trees, -T json layers and fields. Cut and bit-flipped
// certificates never throw anything but the Tree's signals, and a summary run decodes nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/dissect/engine.js";
import { allFields, fieldByName } from "../../../src/dissect/fields.js";
import { treeText } from "../../../src/dissect/output/tree-text.js";
import { packetJson } from "../../../src/dissect/output/json.js";
import { Tree, TreeMode } from "../../../src/dissect/tree.js";
import { x509Active } from "../../../src/dissect/protocols/x509.js";
import { oidResolved } from "../../../src/dissect/protocols/x509-names.js";
import { HAVE_TSHARK, OWN_CAPTURES, runArpx, runTshark, skipReason } from "../../helpers.js";
import { fieldLines, summaries, writePcap } from "./tshark-compare.js";
import { A4, ACK, B4, eth, ip4, PSH, tcp, u16, u32 } from "./transport-build.js";

// ---- DER, built by hand ----

function derLen(n: number): number[] {
  if (n < 128) return [n];
  const b: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) b.unshift(x & 255);
  return [0x80 | b.length, ...b];
}
const tlv = (tag: number, content: number[]): number[] => [tag, ...derLen(content.length), ...content];
const seq = (...xs: number[][]) => tlv(0x30, xs.flat());
const set = (...xs: number[][]) => tlv(0x31, xs.flat());
const ascii = (s: string) => [...Buffer.from(s, "latin1")];
const utf8 = (s: string) => tlv(0x0c, [...Buffer.from(s, "utf8")]);
const printable = (s: string) => tlv(0x13, ascii(s));
const ia5 = (s: string) => tlv(0x16, ascii(s));
const bmp = (s: string) => tlv(0x1e, [...s].flatMap((c) => u16(c.charCodeAt(0))));
const octets = (b: number[]) => tlv(4, b);
const bits = (b: number[], pad = 0) => tlv(3, [pad, ...b]);
const bool = (v: boolean) => [1, 1, v ? 0xff : 0];
const nul = () => [5, 0];
const utc = (s: string) => tlv(0x17, ascii(s));
const gen = (s: string) => tlv(0x18, ascii(s));
const ctx = (n: number, content: number[], constructed = true) => tlv((constructed ? 0xa0 : 0x80) | n, content);
function int(v: number | number[]): number[] {
  if (Array.isArray(v)) return tlv(2, v);
  const b: number[] = [];
  let x = v;
  do {
    b.unshift(x & 255);
    x = Math.floor(x / 256);
  } while (x);
  if (b[0]! & 0x80) b.unshift(0);
  return tlv(2, b);
}
function oid(s: string): number[] {
  const a = s.split(".").map(Number);
  const arc = (v: number) => {
    const b = [v & 127];
    for (let x = Math.floor(v / 128); x; x = Math.floor(x / 128)) b.unshift(0x80 | (x & 127));
    return b;
  };
  return tlv(6, [...arc(a[0]! * 40 + a[1]!), ...a.slice(2).flatMap(arc)]);
}
const alg = (o: string, params: number[] = []) => seq(oid(o), params);
const rdn = (...avas: [string, number[]][]) => set(...avas.map(([o, v]) => seq(oid(o), v)));
const name = (...rdns: number[][]) => seq(...rdns);
const ext = (o: string, value: number[], critical = false) => seq(oid(o), critical ? bool(true) : [], octets(value));
const gn = {
  dns: (s: string) => tlv(0x82, ascii(s)), uri: (s: string) => tlv(0x86, ascii(s)), email: (s: string) => tlv(0x81, ascii(s)),
  ip: (b: number[]) => tlv(0x87, b), rid: (o: string) => [0x88, ...oid(o).slice(1)], dir: (n: number[]) => ctx(4, n),
};
const RSA_KEY = seq(alg("1.2.840.113549.1.1.1", nul()), bits(seq(int([0, 0xc3, ...Array(63).fill(0x5a)]), int(65537))));
const EC_KEY = seq(alg("1.2.840.10045.2.1", oid("1.2.840.10045.3.1.7")), bits([4, ...Array.from({ length: 64 }, (_, i) => i)]));

interface CertSpec {
  version?: number | null;
  serial?: number[];
  sigAlg?: number[];
  issuer?: number[];
  subject?: number[];
  validity?: number[];
  spki?: number[];
  extra?: number[];
  extensions?: number[][] | null;
  outerSig?: number[];
}

function cert(c: CertSpec = {}): number[] {
  const sigAlg = c.sigAlg ?? alg("1.2.840.113549.1.1.11", nul());
  const issuer = c.issuer ?? name(rdn(["2.5.4.3", utf8("Test CA")]));
  const tbs = seq(
    c.version === null ? [] : ctx(0, int(c.version ?? 2)), int(c.serial ?? [0x01, 0x23]), sigAlg, issuer,
    c.validity ?? seq(utc("250101000000Z"), utc("350101000000Z")), c.subject ?? issuer, c.spki ?? EC_KEY, c.extra ?? [],
    c.extensions ? ctx(3, seq(...c.extensions)) : [],
  );
  return seq(tbs, c.outerSig ?? sigAlg, bits([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]));
}

/** The SCT list extension's value: `n` SCTs signed with ECDSA P-256 SHA-256 (RFC 6962). */
function sctList(n: number): number[] {
  const scts = Array.from({ length: n }, (_, k) => {
    const sig = seq(int([0, 0x80 + k, ...Array(31).fill(0xaa)]), int(Array(32).fill(0x0b)));
    const body = [0, ...Array.from({ length: 32 }, (_, i) => (i * 7 + k) & 0xff), 0, 0, 1, 0x7a, 0x1b, 0x2c, 0x3d, 0x4e + k, ...u16(0), 4, 3, ...u16(sig.length), ...sig];
    return [...u16(body.length), ...body];
  }).flat();
  return octets([...u16(scts.length), ...scts]);
}

/** Certificates built here, each a different corner of what arpx decodes. */
const CRAFTED: Record<string, number[]> = {
  "a CA with an RSA key": cert({
    spki: RSA_KEY,
    issuer: name(rdn(["2.5.4.6", printable("US")]), rdn(["2.5.4.10", utf8("Example Org, Inc.")]), rdn(["2.5.4.3", utf8("Example Root CA")])),
    extensions: [
      ext("2.5.29.19", seq(bool(true), int(3)), true), ext("2.5.29.15", bits([0x06], 1), true),
      ext("2.5.29.14", octets(Array.from({ length: 20 }, (_, i) => i))),
      ext("2.5.29.35", seq(tlv(0x80, [1, 2, 3, 4]), ctx(1, gn.dir(name(rdn(["2.5.4.3", utf8("Up")])))), tlv(0x82, [0x7f, 1]))),
    ],
  }),
  "a server with every name and usage": cert({
    subject: name(rdn(["2.5.4.6", printable("DE")]), rdn(["2.5.4.8", utf8("Bayern")]), rdn(["2.5.4.7", utf8("München")]),
      rdn(["2.5.4.3", utf8("www.example.de")], ["0.9.2342.19200300.100.1.1", utf8("uid7")]), rdn(["1.2.840.113549.1.9.1", ia5("admin@example.de")]),
      rdn(["0.9.2342.19200300.100.1.25", ia5("example")]), rdn(["2.5.4.5", printable("4711")]), rdn(["2.5.4.97", utf8("VATDE-123")]),
      rdn(["1.3.6.1.4.1.311.60.2.1.3", printable("DE")]), rdn(["2.5.4.15", printable("Private Organization")])),
    extensions: [
      ext("2.5.29.17", seq(gn.dns("www.example.de"), gn.dns("*.example.de"), gn.ip([192, 0, 2, 7]), gn.ip([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1]),
        gn.email("a@example.de"), gn.uri("https://example.de/"), gn.rid("1.3.6.1.4.1.99999.5"),
        ctx(0, [...oid("1.3.6.1.4.1.311.20.2.3"), ...ctx(0, utf8("user@example.de"))]),
        ctx(0, [...oid("1.3.6.1.5.5.7.8.5"), ...ctx(0, utf8("xmpp@example.de"))]), gn.dir(name(rdn(["2.5.4.3", printable("Dir")]))),
        tlv(0xa5, ctx(1, utf8("party"))))),
      ext("2.5.29.37", seq(...["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.9", "1.3.6.1.4.1.311.10.3.4", "1.2.3.4.99"].map(oid))),
      ext("2.5.29.15", bits([0xa6, 0x80], 7), true),
      ext("2.5.29.32", seq(seq(oid("2.23.140.1.2.2")), seq(oid("1.3.6.1.4.1.99999.1"), seq(
        seq(oid("1.3.6.1.5.5.7.2.1"), ia5("http://cps.example.de")),
        seq(oid("1.3.6.1.5.5.7.2.2"), seq(seq(tlv(0x1a, ascii("Org")), seq(int(1), int(2))), tlv(0x1a, ascii("Explicit text")))),
        seq(oid("1.3.6.1.5.5.7.2.2"), seq(bmp("just text"))))), seq(oid("2.5.29.32.0")))),
      ext("2.5.29.31", seq(seq(ctx(0, ctx(0, gn.uri("http://crl.example.de/ca.crl")))), seq(ctx(0, tlv(0xa1, seq(oid("2.5.4.3"), utf8("rel")))), tlv(0x81, [5, 0x60]), tlv(0xa2, gn.dns("crl.issuer"))))),
      ext("1.3.6.1.5.5.7.1.1", seq(seq(oid("1.3.6.1.5.5.7.48.1"), gn.uri("http://ocsp.example.de")), seq(oid("1.3.6.1.5.5.7.48.2"), gn.uri("http://ca.example.de/ca.crt")))),
      ext("1.3.6.1.4.1.11129.2.4.2", sctList(2)),
      ext("1.3.6.1.5.5.7.1.24", seq(int(5))), ext("1.3.6.1.5.5.7.48.1.5", nul()),
    ],
  }),
  "constraints, mappings, Netscape, Microsoft, Entrust and qualified statements": cert({
    extensions: [
      ext("2.5.29.30", seq(tlv(0xa0, seq(gn.dns(".example.com"))), tlv(0xa1, seq(seq(gn.ip([10, 0, 0, 0, 255, 0, 0, 0])), seq(gn.email(".bad.com"), tlv(0x80, [1]), tlv(0x81, [4]))))), true),
      ext("2.5.29.36", seq(tlv(0x80, [2]), tlv(0x81, [1]))), ext("2.5.29.54", int(4)), ext("2.5.29.33", seq(seq(oid("1.2.3.4"), oid("1.2.3.5")))),
      ext("2.5.29.18", seq(gn.dns("issuer.example"))), ext("2.5.29.46", seq(seq(ctx(0, ctx(0, gn.uri("http://delta/")))))),
      ext("2.5.29.16", seq(tlv(0x80, ascii("20200101000000Z")), tlv(0x81, ascii("20300101000000Z")))),
      ext("2.5.29.9", seq(seq(oid("2.5.4.3"), set(utf8("attribute"))))),
      ext("2.16.840.1.113730.1.1", bits([0xc0], 6)), ext("2.16.840.1.113730.1.13", ia5("a comment")),
      ext("1.3.6.1.4.1.311.21.7", seq(oid("1.3.6.1.4.1.311.21.8.1.2"), int(100), int(3))), ext("1.3.6.1.4.1.311.21.1", int(0x10001)),
      ext("1.3.6.1.4.1.311.20.2", bmp("WebServer")), ext("1.2.840.113533.7.65.0", seq(tlv(0x1b, ascii("V7.1:4.0")), bits([0x90], 4))),
      ext("1.3.6.1.5.5.7.1.3", seq(seq(oid("0.4.0.1862.1.1")), seq(oid("1.3.6.1.5.5.7.11.2"), seq(oid("0.4.0.194121.1.2"))))),
      ext("2.5.29.20", int(9)), ext("2.5.29.21", tlv(10, [1])), ext("2.5.29.24", gen("20200101000000Z")),
      ext("1.3.6.1.5.5.7.1.11", seq(seq(oid("1.3.6.1.5.5.7.48.5"), gn.uri("http://sia/")))), ext("1.2.3.4.5", utf8("unknown"), true),
    ],
  }),
  "odd encodings: v1, negative serial, unique identifiers, times, strings": cert({
    version: null, serial: [0xcf, 0xc7],
    issuer: name(rdn(["2.5.4.3", bmp("BMP name")]), rdn(["2.5.4.3", tlv(0x1c, [0, 0, 0, 0x55, 0, 0, 0xdc, 0x01])]), rdn(["2.5.4.10", tlv(0x14, [0x41, 0xdc, 0x42])]),
      rdn(["2.5.4.11", utf8("L".repeat(150))]), rdn(["2.5.4.3", utf8("a\nb\u00e9\u00e8")])),
    subject: name(),
    validity: seq(utc("2501011200+0130"), gen("20500101120000.25-0100")),
    extra: [...tlv(0x81, [0, 1, 2]), ...tlv(0x82, [4, 0xf0])],
  }),
  "extensions that do not parse": cert({
    validity: seq(gen("19991231235959Z"), utc("991231235959Z")),
    extensions: [
      seq(oid("2.5.29.14"), int(5)), ext("2.5.29.19", seq()), ext("2.5.29.35", seq()), ext("2.5.29.17", seq()), ext("2.5.29.14", octets([])),
      ext("2.5.29.15", bits([], 0)), ext("2.5.29.15", bits([0xff, 0x80, 0x01], 0)), ext("2.5.29.15", bits([0x81], 1)), ext("2.5.29.37", seq(tlv(6, []))),
      ext("2.5.29.19", seq(tlv(1, [1, 2, 3]))), ext("2.5.29.17", seq(tlv(0x82, ascii("x\u0000y")))), ext("2.5.29.32", seq(seq(int(1)))),
    ],
  }),
  "explicit curve, RSASSA-PSS, DSA and unknown algorithms": cert({
    spki: seq(alg("1.2.840.10045.2.1", seq(int(1), seq(oid("1.2.840.10045.1.1"), int([0, ...Array(32).fill(0xff)])), seq(octets(Array(32).fill(1)), octets(Array(32).fill(2)), bits(Array(20).fill(3))),
      octets([4, ...Array(64).fill(4)]), int([0, ...Array(32).fill(0xee)]), int(1))), bits([4, ...Array(64).fill(9)])),
    sigAlg: alg("1.2.840.113549.1.1.10", seq(ctx(0, alg("2.16.840.1.101.3.4.2.1")), ctx(1, alg("1.2.840.113549.1.1.8", alg("2.16.840.1.101.3.4.2.1"))), ctx(2, int(32)))),
    outerSig: alg("1.2.840.10040.4.1", seq(int([0, 0x80, 1]), int([0x7f]), int([2]))),
    extensions: [ext("1.3.6.1.4.1.11129.2.4.5", sctList(1))],
  }),
};
CRAFTED["a chain of three in one message"] = [...CRAFTED["a CA with an RSA key"]!, ...CRAFTED["a server with every name and usage"]!, ...cert({ spki: seq(alg("1.3.101.112"), bits(Array(32).fill(1))), sigAlg: alg("1.3.101.112") })];

/** A TLS 1.2 record holding a Certificate message with `certs` (DER, concatenated) one after another. */
function certificateRecord(ders: number[][]): number[] {
  const list = ders.flatMap((c) => [(c.length >> 16) & 255, (c.length >> 8) & 255, c.length & 255, ...c]);
  const hs = [11, ...u24(list.length + 3), ...u24(list.length), ...list];
  return [22, 3, 3, ...u16(hs.length), ...hs];
}
const u24 = (v: number) => [(v >> 16) & 255, (v >> 8) & 255, v & 255];

/** One frame per record, each on a connection of its own (server port 443). */
function frames(records: number[][]): Uint8Array[] {
  return records.map((r, i) => Uint8Array.from(eth(ip4(B4, A4, 6, tcp(443, 20000 + i, 1000, 5000, PSH | ACK, { data: r })))));
}

/** The DER certificates of CRAFTED one per message; the chain split into its certificates. */
function splitDer(der: number[]): number[][] {
  const out: number[][] = [];
  for (let o = 0; o < der.length; ) {
    const b = der[o + 1]!;
    const n = b < 128 ? b : der.slice(o + 2, o + 2 + (b & 127)).reduce((a, x) => a * 256 + x, 0);
    const h = b < 128 ? 2 : 2 + (b & 127);
    out.push(der.slice(o, o + h + n));
    o += h + n;
  }
  return out;
}

const X509_FIELDS = allFields()
  .filter((f) => /^(x509af|x509if|x509sat|x509ce|pkix1explicit|pkix1implicit|pkixqualified|pkcs-1|ns_cert_exts|ocsp|ber)$/.test(f.proto?.abbrev ?? "") || /^tls\.sct\./.test(f.abbrev))
  .filter((f) => f.type !== 1 /* FT.NONE */)
  .map((f) => f.abbrev);

const lines = (s: string) => s.split("\n");

/** The packets' layers of a -T json output. */
function layers(stdout: string): unknown[] {
  return (JSON.parse(stdout) as { _source: { layers: unknown } }[]).map((p) => p._source.layers);
}

/** Summaries, -V, -T json, frame.protocols and every X.509 field equal tshark's on `file`. */
function expectAllSame(file: string): void {
  const s = summaries(file);
  expect(s.ax).toEqual(s.ts);
  expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
  expect(layers(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout)).toEqual(layers(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout));
  for (let i = 0; i < X509_FIELDS.length; i += 80) {
    const v = fieldLines(file, ["frame.number", "frame.protocols", "tls.handshake.certificate", ...X509_FIELDS.slice(i, i + 80)]);
    expect(v.ax).toEqual(v.ts);
  }
}

// ---- openssl ----

const HAVE_OPENSSL = spawnSync("sh", ["-c", "command -v openssl"], { stdio: "ignore" }).status === 0;

const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
C = US
ST = California
O = Example Org, Inc.
CN = www.example.com
emailAddress = admin@example.com
[v3]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer
basicConstraints = critical, CA:TRUE, pathlen:3
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning
subjectAltName = DNS:www.example.com, DNS:example.com, IP:192.0.2.1, IP:2001:db8::1, email:a@example.com, URI:https://example.com/x
certificatePolicies = 2.23.140.1.2.1, @pol
crlDistributionPoints = URI:http://crl.example.com/ca.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com, caIssuers;URI:http://ca.example.com/ca.crt
tlsfeature = status_request
nsComment = "made by openssl"
[pol]
policyIdentifier = 1.3.6.1.4.1.99999.1
CPS.1 = "http://cps.example.com"
userNotice.1 = @notice
[notice]
explicitText = "Explicit text"
organization = "Org"
noticeNumbers = 1, 2
`;

/** Certificates and keys openssl makes (DER), in a temporary directory. */
function opensslMade(): { certs: Record<string, number[]>; spki: Record<string, number[]> } {
  const dir = mkdtempSync(join(tmpdir(), "arpx-x509-"));
  writeFileSync(join(dir, "ext.cnf"), OPENSSL_CONFIG);
  const certs: Record<string, number[]> = {}, spki: Record<string, number[]> = {};
  const make = (key: string, newkey: string[], extra: string[] = []) => {
    const k = join(dir, `${key}.key`), c = join(dir, `${key}.der`), p = join(dir, `${key}.spki`);
    const r = spawnSync("openssl", ["req", "-x509", ...newkey, "-nodes", "-keyout", k, "-outform", "DER", "-out", c, "-days", "30", "-config", join(dir, "ext.cnf"), "-extensions", "v3", ...extra], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${key}: ${r.stderr}`);
    certs[key] = [...readFileSync(c)];
    spawnSync("openssl", ["pkey", "-in", k, "-pubout", "-outform", "DER", "-out", p]);
    spki[key] = [...readFileSync(p)];
  };
  make("rsa", ["-newkey", "rsa:2048"]);
  make("p256", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]);
  make("ed25519", ["-newkey", "ed25519"]);
  make("rsa-pss", ["-newkey", "rsa:2048", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sha384"]);
  return { certs, spki };
}

/** An RPKI-Router Router Key PDU (version 1, type 9) from the cache, with `spki`. */
function routerKey(spki: number[], as: number): number[] {
  return [1, 9, 1, 0, ...u32(8 + 20 + 4 + spki.length), ...Array(20).fill(0xab), ...u32(as), ...spki];
}

const skip = skipReason(HAVE_TSHARK, "tshark is not installed: X.509 not compared with tshark");

describe.skipIf(skip)("X.509 certificates as tshark shows them", () => {
  it("certificates built here, one per Certificate message", () => {
    const records = Object.values(CRAFTED).map((der) => certificateRecord(splitDer(der)));
    expectAllSame(writePcap("x509-crafted.pcap", frames(records)));
  });

  it("the certificate of captures/tls-basics.pcapng", () => {
    const file = join(OWN_CAPTURES, "tls-basics.pcapng");
    const cert = (out: string) => out.split("\n").filter((l) => /^ {16}/.test(l) || /Certificate/.test(l));
    const ts = runTshark(["-n", "-r", file, "-V", "-Y", "tls.handshake.type == 11"]).stdout;
    expect(ts).toContain("RelativeDistinguishedName item (id-at-commonName=arpx-test.example)");
    expect(cert(runArpx(["read", "-n", "-r", file, "-V", "-Y", "tls.handshake.type == 11"]).stdout)).toEqual(cert(ts));
    const v = fieldLines(file, ["frame.protocols", "x509af.serialNumber", "x509sat.uTF8String", "x509af.utcTime", "x509ce.dNSName", "pkcs1.modulus", "pkcs1.publicExponent", "x509ce.cA", "x509af.algorithm.id"]);
    expect(v.ax).toEqual(v.ts);
  });

  it.skipIf(!HAVE_OPENSSL)("certificates openssl made, and their keys in RPKI Router Keys", () => {
    const { certs, spki } = opensslMade();
    const records = Object.values(certs).map((c) => certificateRecord([c]));
    records.push(certificateRecord(Object.values(certs)));
    expectAllSame(writePcap("x509-openssl.pcap", frames(records)));
    const rtr = Object.values(spki).map((k, i) => Uint8Array.from(eth(ip4(A4, B4, 6, tcp(323, 30000 + i, 1000, 5000, PSH | ACK, { data: routerKey(k, 64500 + i) })))));
    const file = writePcap("x509-rpki.pcap", rtr);
    expectAllSame(file);
    expect(runArpx(["read", "-n", "-r", file, "-T", "fields", "-e", "frame.protocols"]).stdout).toContain("rpkirtr:pkcs-1");
  });

  it("certificates cut inside a whole record, and lying lengths", () => {
    const der = CRAFTED["a server with every name and usage"]!;
    const cuts: number[][] = [];
    for (let n = 1; n < der.length; n += 37) cuts.push(certificateRecord([der.slice(0, n)]));
    // The outer SEQUENCE's length larger than the message, and an inner one.
    const lying = der.slice();
    lying[3] = (lying[3]! + 0x40) & 0xff;
    cuts.push(certificateRecord([lying]));
    const file = writePcap("x509-cut.pcap", frames(cuts));
    expect(lines(runArpx(["read", "-n", "-V", "-r", file]).stdout)).toEqual(lines(runTshark(["-n", "-V", "-r", file]).stdout));
    expect(layers(runArpx(["read", "-n", "-T", "json", "-r", file]).stdout)).toEqual(layers(runTshark(["-n", "-T", "json", "--no-duplicate-keys", "-r", file]).stdout));
  });
});

describe("X.509 decoding is safe and costs nothing unless asked for", () => {
  /** Dissects each frame with engines in every mode; only the Tree's signals may stop a dissector. */
  function expectSafe(list: Uint8Array[]): void {
    const engines = [
      new Engine({ mode: TreeMode.FULL }), new Engine({ mode: TreeMode.SUMMARY }),
      new Engine({ mode: TreeMode.FIELDS, fields: ["frame.protocols", "x509sat.uTF8String", "x509af.serialNumber", "tls.sct.sct_timestamp"].map((n) => fieldByName(n)!) }),
    ];
    for (const data of list) {
      for (const e of engines) {
        e.dissect({ data, wireLen: data.length, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
        if (e === engines[0]) {
          const text = treeText(e.tree.root);
          packetJson(e.tree.root, 1, 1);
          expect(text).not.toContain("arpx dissector error");
        }
      }
    }
  }

  it("every cut of every certificate built here", () => {
    for (const der of Object.values(CRAFTED)) {
      const list: Uint8Array[] = [];
      for (let n = 0; n <= der.length; n++) list.push(...frames([certificateRecord([der.slice(0, n)])]));
      // Cut by the capture too (the record incomplete).
      const whole = frames([certificateRecord([der])])[0]!;
      for (let n = whole.length - der.length; n < whole.length; n += 13) list.push(whole.slice(0, n));
      expectSafe(list);
    }
  });

  it("bit-flipped and byte-smashed certificates", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const der of Object.values(CRAFTED)) {
      const list: Uint8Array[] = [];
      for (let k = 0; k < 150; k++) {
        const m = der.slice();
        for (let j = 0; j < 1 + Math.floor(rnd() * 3); j++) m[Math.floor(rnd() * m.length)]! ^= 1 << Math.floor(rnd() * 8);
        if (k % 3 === 0) m[Math.floor(rnd() * m.length)] = [0x00, 0x80, 0x84, 0x85, 0xff, 0x1f, 0x3f][Math.floor(rnd() * 7)]!;
        list.push(...frames([certificateRecord([m])]));
      }
      expectSafe(list);
    }
  });

  it("a name nested in names hundreds deep is malformed, not a stack overflow", () => {
    let v = utf8("x");
    for (let i = 0; i < 400; i++) v = seq(set(seq(oid("2.5.4.1"), v)));
    const e = new Engine({ mode: TreeMode.FULL });
    const data = frames([certificateRecord([cert({ issuer: seq(set(seq(oid("2.5.4.1"), v))) })])])[0]!;
    const p = e.dissect({ data, wireLen: data.length, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.malformed).toBe(true);
    expect(treeText(e.tree.root)).not.toContain("arpx dissector error");
  });

  it("decodes only for a tree, frame.protocols, or a field it provides", () => {
    const want = (names: string[]) => new Tree(TreeMode.FIELDS, names.map((n) => fieldByName(n)!));
    expect(x509Active(new Tree(TreeMode.SUMMARY))).toBe(false);
    expect(x509Active(want(["ip.src", "tls.handshake.certificate"]))).toBe(false);
    expect(x509Active(new Tree(TreeMode.FULL))).toBe(true);
    expect(x509Active(want(["frame.protocols"]))).toBe(true);
    expect(x509Active(want(["x509ce.dNSName"]))).toBe(true);
    // In a summary the certificate is an item over its DER SEQUENCE, nothing more.
    const der = CRAFTED["a CA with an RSA key"]!;
    const e = new Engine({ mode: TreeMode.FIELDS, fields: [fieldByName("tls.handshake.certificate")!] });
    const data = frames([certificateRecord([der])])[0]!;
    const p = e.dissect({ data, wireLen: data.length, tsSec: 1, tsNsec: 0, linkType: 1, ifIndex: 0 });
    expect(p.layers.join(":")).toBe("eth:ethertype:ip:tcp:tls");
    expect(Array.from(e.tree.get(fieldByName("tls.handshake.certificate")!)[0] as Uint8Array)).toEqual(der);
  });
});

describe("OID names as tshark resolves them", () => {
  it("names, and the nearest named ancestor for the rest", () => {
    expect(oidResolved("2.5.4.3")).toBe("id-at-commonName");
    expect(oidResolved("1.2.840.113549.1.1.11")).toBe("sha256WithRSAEncryption");
    expect(oidResolved("2.5.4.97")).toBe("joint-iso-itu-t.5.4.97");
    expect(oidResolved("1.3.6.1.4.1.99999.1")).toBe("iso.3.6.1.4.1.99999.1");
    expect(oidResolved("1.3.6.1.5.5.7.3.17")).toBe("id-pkix.3.17");
    expect(oidResolved("2.16.840.1.113730.1.13")).toBe("ns_cert_exts.comment");
    expect(oidResolved("1.2.840.5")).toBe("ISO assigned OIDs, USA.5");
  });
});
