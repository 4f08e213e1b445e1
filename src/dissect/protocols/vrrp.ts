// Virtual Router Redundancy Protocol (IP protocol 112), as Wireshark 4.0 shows it: VRRPv2
// (RFC 3768) and VRRPv3 (RFC 5798) over IPv4 and IPv6.
//   version/type 0 | virtual router id 1 | priority 2 | address count 3 |
//   v2: auth type 4 | adver int 5 (seconds)    v3: reserved (4 bits) + max adver int (12 bits, cs) 4..6
//   checksum 6..8 | addresses 8.. (4 bytes each, 16 over IPv6) | v2 auth data (8 bytes)
// The checksum covers the whole message; v3 adds the IP pseudo-header (Wireshark's default,
// vrrp.v3_checksum_as_in_v2 off). Versions other than 3 are read as v2, as Wireshark does.
import { Base, FT, registerExperts, registerProtocol, vals } from "../fields.js";
import { ipProtos } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { checksum, putU16, type Layer } from "../build.js";
import { checksumShouldBe, hex4, onesSum } from "./icmp.js";
import { asciiString } from "./dns.js";
import { CHECKSUM_STATUS, CK_BAD, CK_GOOD, CK_UNVERIFIED, isFragmented, pseudoHeaderSum } from "./udp.js";

const VER_TYPE = 0, VRID = 1, PRIO = 2, COUNT = 3, AUTH_TYPE = 4, ADVER = 5, CKSUM = 6, ADDRS = 8;
const HDR = 8, AUTH_LEN = 8, MD5_LEN = 16;
const PROTO_VRRP = 112;
const AUTH_SIMPLE = 1, AUTH_MD5 = 254;

const TYPES = vals({ 1: "Advertisement" });
const AUTH_TYPES = vals({
  0: "No Authentication",
  1: "Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]",
  2: "IP Authentication Header [RFC 2338] / Reserved [RFC 3768]",
  254: "Cisco VRRP MD5 authentication",
});
const PRIOS = vals({
  0: "Current Master has stopped participating in VRRP",
  100: "Default priority for a backup VRRP router",
  255: "This VRRP router owns the virtual router's IP address(es)",
});

export const hf = registerProtocol("vrrp", "Virtual Router Redundancy Protocol", {
  typever: { abbrev: "vrrp.typever", name: "VRRP message version and type", type: FT.UINT8, blurb: "VRRP version and type" },
  version: { abbrev: "vrrp.version", name: "VRRP protocol version", type: FT.UINT8, mask: 0xf0, blurb: "VRRP version" },
  type: { abbrev: "vrrp.type", name: "VRRP packet type", type: FT.UINT8, mask: 0x0f, strings: TYPES, blurb: "VRRP type" },
  virt_rtr_id: { abbrev: "vrrp.virt_rtr_id", name: "Virtual Rtr ID", type: FT.UINT8, blurb: "Virtual router this packet is reporting status for" },
  prio: { abbrev: "vrrp.prio", name: "Priority", type: FT.UINT8, blurb: "Sending VRRP router's priority for the virtual router" },
  addr_count: { abbrev: "vrrp.addr_count", name: "Addr Count", type: FT.UINT8, blurb: "The number of addresses contained in this VRRP advertisement" },
  checksum: { abbrev: "vrrp.checksum", name: "Checksum", type: FT.UINT16, base: Base.HEX, blurb: "Used to detect data corruption in the VRRP message" },
  checksum_status: { abbrev: "vrrp.checksum.status", name: "Checksum Status", type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS, generated: true },
  auth_type: { abbrev: "vrrp.auth_type", name: "Auth Type", type: FT.UINT8, strings: AUTH_TYPES, blurb: "The authentication method being utilized" },
  adver_int: { abbrev: "vrrp.adver_int", name: "Adver Int", type: FT.UINT8, blurb: "Time interval (in seconds) between ADVERTISEMENTS" },
  reserved_mbz: { abbrev: "vrrp.reserved_mbz", name: "Reserved", type: FT.UINT8, mask: 0xf0, blurb: "Must be zero" },
  short_adver_int: { abbrev: "vrrp.short_adver_int", name: "Adver Int", type: FT.UINT16, mask: 0x0fff, blurb: "Time interval (in centiseconds) between ADVERTISEMENTS" },
  ip_addr: { abbrev: "vrrp.ip_addr", name: "IP Address", type: FT.IPV4, blurb: "IP address associated with the virtual router" },
  ipv6_addr: { abbrev: "vrrp.ipv6_addr", name: "IPv6 Address", type: FT.IPV6, blurb: "IPv6 address associated with the virtual router" },
  auth_string: { abbrev: "vrrp.auth_string", name: "Authentication String", type: FT.STRING },
  md5_auth_data: { abbrev: "vrrp.md5_auth_data", name: "MD5 Authentication Data", type: FT.BYTES, blurb: "MD5 digest string is contained." },
});

export const ei = registerExperts(hf.proto, {
  bad_checksum: { abbrev: "vrrp.checksum_bad.expert", group: "checksum", severity: "warn", summary: "Bad checksum" },
});

/** The IP pseudo-header sum (RFC 5798 5.2.8) from the addresses the IP layer recorded. */
function pseudoSum(p: Packet, len: number): number {
  const alen = p.ipVersion === 6 ? 16 : 4;
  const s = onesSum(p.ipData, p.ipDstOff, alen, onesSum(p.ipData, p.ipSrcOff, alen));
  return s + PROTO_VRRP + (len & 0xffff) + Math.floor(len / 0x10000);
}

function vrrpChecksum(p: Packet, t: Tree, off: number, v3: boolean): void {
  const d = t.d, at = off + CKSUM;
  t.check(at, 2);
  const sum = (d[at]! << 8) | d[at + 1]!;
  t.uint(hf.checksum, at, 2, sum);
  const len = t.rep - off;
  if (!isFragmented(p) && t.cap >= t.rep && (!v3 || p.ipVersion !== 0)) {
    const computed = ~onesSum(d, off, len, v3 ? pseudoSum(p, len) : 0) & 0xffff;
    if (computed === 0) {
      if (t.full) t.label(`Checksum: ${hex4(sum)} [correct]`);
      t.num(hf.checksum_status, CK_GOOD);
      if (t.full) t.label("[Checksum Status: Good]");
    } else {
      const should = checksumShouldBe(sum, computed);
      if (t.full) t.label(`Checksum: ${hex4(sum)} incorrect, should be ${hex4(should)}`);
      t.down();
      t.expert(p, ei.bad_checksum, at, 2, `Bad checksum [should be ${hex4(should)}]`);
      t.up();
      t.num(hf.checksum_status, CK_BAD);
      if (t.full) t.label("[Checksum Status: Bad]");
    }
  } else {
    if (t.full) t.label(`Checksum: ${hex4(sum)} [unverified]`);
    t.num(hf.checksum_status, CK_UNVERIFIED);
    if (t.full) t.label("[Checksum Status: Unverified]");
  }
}

export function dissectVrrp(p: Packet, t: Tree, off: number): number {
  const d = t.d;
  p.protocol = "VRRP";
  // The rest of the layer; with none of it captured, listed in frame.protocols without an item.
  t.proto(p, hf.proto, off, Math.max(0, t.rep - off));
  t.curProto = "VRRP";
  t.check(off, 1);
  const vt = d[off + VER_TYPE]!;
  const ver = vt >> 4, v3 = ver === 3;
  if (p.wantCols) p.info.set(`Announcement (v${ver})`);
  // Wireshark reads the first four bytes before it adds an item.
  t.check(off, 4);
  t.uint(hf.typever, off + VER_TYPE, 1, vt);
  if (t.full) t.label(`Version ${ver}, Packet type ${vt & 0x0f} (${TYPES.get(vt & 0x0f) ?? "Unknown"})`);
  t.down();
  t.uint(hf.version, off + VER_TYPE, 1, vt);
  t.uint(hf.type, off + VER_TYPE, 1, vt);
  t.up();
  t.uint(hf.virt_rtr_id, off + VRID, 1, d[off + VRID]!);
  const prio = d[off + PRIO]!;
  t.uint(hf.prio, off + PRIO, 1, prio);
  if (t.full) t.label(`Priority: ${prio} (${PRIOS.get(prio) ?? "Non-default backup priority"})`);
  const count = d[off + COUNT]!;
  t.uint(hf.addr_count, off + COUNT, 1, count);
  let auth = 0;
  if (v3) {
    t.uint(hf.reserved_mbz, off + AUTH_TYPE, 1, d[off + AUTH_TYPE]!);
    t.uint(hf.short_adver_int, off + AUTH_TYPE, 2, (d[off + AUTH_TYPE]! << 8) | d[off + AUTH_TYPE + 1]!);
  } else {
    auth = d[off + AUTH_TYPE]!;
    t.uint(hf.auth_type, off + AUTH_TYPE, 1, auth);
    t.uint(hf.adver_int, off + ADVER, 1, d[off + ADVER]!);
  }
  vrrpChecksum(p, t, off, v3);
  let o = off + ADDRS;
  // Each add checks its bytes, so a count larger than the message ends here (at most 255 rounds).
  if (p.ipVersion === 6) for (let i = 0; i < count; i++, o += 16) t.ipv6(hf.ipv6_addr, o);
  else for (let i = 0; i < count; i++, o += 4) t.ipv4(hf.ip_addr, o);
  if (auth === AUTH_SIMPLE) {
    // Wireshark adds the string without checking its bytes when it builds no tree (a plain
    // summary), so a cut-short password marks the packet only when a tree is built.
    if (t.buildsTree) t.check(o, AUTH_LEN);
    if (t.wants(hf.auth_string)) t.str(hf.auth_string, o, AUTH_LEN, asciiString(d, o, AUTH_LEN));
    o += AUTH_LEN;
  } else if (auth === AUTH_MD5 && t.rep - o >= MD5_LEN) {
    t.bytes(hf.md5_auth_data, t.rep - MD5_LEN, MD5_LEN);
    o = t.rep;
  }
  return o;
}

ipProtos.add(PROTO_VRRP, (p, t, off) => {
  const end = dissectVrrp(p, t, off);
  t.up();
  return end;
});

// ---- building ----

export interface VrrpRepr {
  /** 2 (default) or 3. */
  version?: number;
  /** Packet type (1, Advertisement, by default). */
  type?: number;
  vrid: number;
  priority?: number;
  /** v2: seconds (default 1); v3: centiseconds, 12 bits (default 100). */
  adverInt?: number;
  /** v2 auth type (default 0, or 1 when authString is given). */
  authType?: number;
  /** v2 simple text password, at most 8 bytes (NUL-padded). */
  authString?: string;
  /** Addresses: 4 bytes each over IPv4, 16 over IPv6. */
  addrs: readonly Uint8Array[];
}

/**
 * A VRRP advertisement as a build layer, the mirror of dissectVrrp. The checksum is computed as
 * Wireshark verifies it: over the message for v2, with the IP pseudo-header for v3 (left 0 when
 * there is no IP layer outside).
 */
export function vrrpLayer(r: VrrpRepr): Layer {
  const ver = r.version ?? 2, v3 = ver === 3;
  const authType = r.authType ?? (r.authString !== undefined ? AUTH_SIMPLE : 0);
  let alen = 0;
  for (const a of r.addrs) alen += a.length;
  const len = HDR + alen + (v3 ? 0 : AUTH_LEN);
  return {
    headerLen: len,
    emit(b, off, _payloadLen, ctx) {
      b.fill(0, off, off + len);
      b[off + VER_TYPE] = ((ver & 0x0f) << 4) | ((r.type ?? 1) & 0x0f);
      b[off + VRID] = r.vrid;
      b[off + PRIO] = r.priority ?? 100;
      b[off + COUNT] = r.addrs.length;
      if (v3) putU16(b, off + AUTH_TYPE, (r.adverInt ?? 100) & 0x0fff);
      else {
        b[off + AUTH_TYPE] = authType;
        b[off + ADVER] = r.adverInt ?? 1;
      }
      let o = off + ADDRS;
      for (const a of r.addrs) {
        b.set(a, o);
        o += a.length;
      }
      if (!v3 && r.authString !== undefined) {
        const s = new TextEncoder().encode(r.authString);
        if (s.length > AUTH_LEN) throw new Error("vrrpLayer: auth string longer than 8 bytes");
        b.set(s, o);
      }
      ctx.ipProto = PROTO_VRRP;
    },
    finish(b, off, payloadLen, ctx) {
      const total = len + payloadLen;
      if (!v3) putU16(b, off + CKSUM, checksum(b, off, total));
      else {
        const pseudo = pseudoHeaderSum(ctx, PROTO_VRRP, total);
        if (pseudo >= 0) putU16(b, off + CKSUM, checksum(b, off, total, pseudo));
      }
    },
  };
}
