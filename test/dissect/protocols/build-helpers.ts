// Shared pieces of the *-build tests: tiny test-only IPv4/IPv6 header layers (the real ipv4Layer
// and ipv6Layer live in ipv4.ts/ipv6.ts), a dissect-and-collect helper, pseudo-header checks and
// hex fixtures.
import { Engine } from "../../../src/dissect/engine.js";
import { fieldByName } from "../../../src/dissect/fields.js";
import { TreeMode } from "../../../src/dissect/tree.js";
import { checksum, onesSum, putU16, putU32, type Layer } from "../../../src/dissect/build.js";
import { ethLayer } from "../../../src/dissect/protocols/eth.js";

export const MAC_A = 0x020000000001, MAC_B = 0x020000000002;
export const IP_A = 0x0a000001, IP_B = 0x0a000002;
export const IP6_A = Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
export const IP6_B = Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);

export const ETH = 14, IP4 = 20, IP6 = 40;

export function eth4(): Layer {
  return ethLayer({ dst: MAC_B, src: MAC_A, type: 0x0800 });
}

export function eth6(): Layer {
  return ethLayer({ dst: MAC_B, src: MAC_A, type: 0x86dd });
}

/** A 20-byte IPv4 header (DF, TTL 64), total length and header checksum computed; sets ctx. */
export function testIpv4(src: number, dst: number, proto: number): Layer {
  return {
    headerLen: IP4,
    emit(b, off, payloadLen, ctx) {
      b[off] = 0x45;
      b[off + 1] = 0;
      putU16(b, off + 2, IP4 + payloadLen);
      putU16(b, off + 4, 0);
      putU16(b, off + 6, 0x4000);
      b[off + 8] = 64;
      b[off + 9] = proto;
      putU16(b, off + 10, 0);
      putU32(b, off + 12, src);
      putU32(b, off + 16, dst);
      ctx.ipVersion = 4;
      ctx.srcAddr = b.subarray(off + 12, off + 16);
      ctx.dstAddr = b.subarray(off + 16, off + 20);
    },
    finish(b, off) {
      putU16(b, off + 10, checksum(b, off, IP4));
    },
  };
}

/** A 40-byte IPv6 header (hop limit 255), payload length computed; sets ctx. */
export function testIpv6(src: Uint8Array, dst: Uint8Array, next: number): Layer {
  return {
    headerLen: IP6,
    emit(b, off, payloadLen, ctx) {
      putU32(b, off, 0x60000000);
      putU16(b, off + 4, payloadLen);
      b[off + 6] = next;
      b[off + 7] = 255;
      b.set(src, off + 8);
      b.set(dst, off + 24);
      ctx.ipVersion = 6;
      ctx.srcAddr = b.subarray(off + 8, off + 24);
      ctx.dstAddr = b.subarray(off + 24, off + 40);
    },
  };
}

/**
 * Does the transport checksum of the `len`-byte segment at `off` verify against the pseudo header
 * of the IPv4 (version 4 at ipOff) or IPv6 header at `ipOff`? (The sum over everything, the
 * checksum field included, is 0xffff.)
 */
export function pseudoChecksumOk(b: Uint8Array, ipOff: number, off: number, len: number, proto: number): boolean {
  const v6 = b[ipOff]! >> 4 === 6;
  const alen = v6 ? 16 : 4;
  const src = ipOff + (v6 ? 8 : 12);
  let s = onesSum(b, src, 2 * alen);
  s += proto + (len & 0xffff) + Math.floor(len / 0x10000);
  return onesSum(b, off, len, s) === 0xffff;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(s.trim().split(/\s+/).map((x) => parseInt(x, 16)));
}

export interface Dissected {
  layers: string;
  info: string;
  malformed: boolean;
  short: boolean;
  experts: string[];
  /** Raw recorded values per field name (byte arrays as number arrays). */
  v: Record<string, unknown[]>;
}

/** Dissects one Ethernet frame with a fresh engine and collects the named fields' raw values. */
export function dissect(frame: Uint8Array, names: string[], mode: TreeMode = TreeMode.FIELDS): Dissected {
  const fields = names.map((n) => {
    const f = fieldByName(n);
    if (!f) throw new Error(`no field ${n}`);
    return f;
  });
  const e = new Engine({ mode, fields });
  const p = e.dissect({ data: frame, wireLen: frame.length, tsSec: 1000, tsNsec: 0, linkType: 1, ifIndex: 0 });
  const v: Record<string, unknown[]> = {};
  fields.forEach((f, k) => {
    v[names[k]!] = e.tree.get(f).map((x) => (x instanceof Uint8Array ? Array.from(x) : x));
  });
  return {
    layers: p.layers.join(":"), info: p.info.toString(), malformed: p.malformed, short: p.short,
    experts: p.experts.map((x) => x.text), v,
  };
}
