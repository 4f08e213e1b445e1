// QUIC's variable-length integers (RFC 9000 section 16): the top two bits of the first byte give
// the length (1, 2, 4 or 8 bytes), the rest is the value, big-endian. Shared by QUIC's headers and
// frames and by TLS's quic_transport_parameters.
import type { Tree } from "../tree.js";

/** Length of the varint varint() read last. */
export let varintLen = 0;

/** The varint at `o` of the tree's data, bounds-checked; its length is left in varintLen. */
export function varint(t: Tree, o: number): number {
  t.check(o, 1);
  const d = t.d;
  const n = 1 << (d[o]! >> 6);
  t.check(o, n);
  let v = d[o]! & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + d[o + i]!;
  varintLen = n;
  return v;
}

/** A varint in `n` bytes (1, 2, 4 or 8; the smallest that holds `v` by default). */
export function encodeVarint(v: number, n = v < 64 ? 1 : v < 16384 ? 2 : v < 2 ** 30 ? 4 : 8): Uint8Array {
  const b = new Uint8Array(n);
  let x = v;
  for (let i = n - 1; i >= 0; i--) {
    b[i] = x % 256;
    x = Math.floor(x / 256);
  }
  b[0]! |= [0, 0x40, 0, 0x80, 0, 0, 0, 0xc0][n - 1]!;
  return b;
}
