// Building frames from layers, the mirror of dissection: each protocol file that can be
// generated exports a Layer factory next to its dissector (ethLayer, ipv4Layer, udpLayer...).
// Layers are written outermost first (so IP can tell UDP its addresses for the checksum), then
// finished innermost first (checksums over what is inside them). Lengths that depend on the
// payload are computed here, so scenario code never writes a length or a checksum by hand.

export interface BuildContext {
  /** Set by the network layer: 4 or 6, and its addresses (for pseudo-header checksums). */
  ipVersion: 0 | 4 | 6;
  srcAddr: Uint8Array | null;
  dstAddr: Uint8Array | null;
  /** Protocol number the network layer carries (set by the layer inside it). */
  ipProto: number;
}

export interface Layer {
  /** Bytes this layer writes before its payload. */
  readonly headerLen: number;
  /** Writes the header at `off`; `payloadLen` bytes follow it. */
  emit(b: Uint8Array, off: number, payloadLen: number, ctx: BuildContext): void;
  /** Runs after everything inside has been written: checksums. */
  finish?(b: Uint8Array, off: number, payloadLen: number, ctx: BuildContext): void;
}

/** The parts one after the other, in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

/** Raw payload bytes as the innermost layer. */
export function payloadLayer(bytes: Uint8Array): Layer {
  return {
    headerLen: bytes.length,
    emit(b, off) {
      b.set(bytes, off);
    },
  };
}

/**
 * Serializes `layers` (outermost first) into one frame. Frames shorter than `minLen` are
 * zero-padded (Ethernet's 60-byte minimum by default).
 */
export function build(layers: readonly Layer[], minLen = 60): Uint8Array {
  let total = 0;
  for (const l of layers) total += l.headerLen;
  const b = new Uint8Array(Math.max(total, minLen));
  const ctx: BuildContext = { ipVersion: 0, srcAddr: null, dstAddr: null, ipProto: 0 };
  const offs: number[] = [];
  let off = 0;
  for (const l of layers) {
    offs.push(off);
    off += l.headerLen;
  }
  for (let i = 0; i < layers.length; i++) layers[i]!.emit(b, offs[i]!, total - offs[i]! - layers[i]!.headerLen, ctx);
  for (let i = layers.length - 1; i >= 0; i--) layers[i]!.finish?.(b, offs[i]!, total - offs[i]! - layers[i]!.headerLen, ctx);
  return b;
}

/** RFC 1071 ones'-complement sum, folded, over b[off, off+len) plus an initial sum. */
export function onesSum(b: Uint8Array, off: number, len: number, initial = 0): number {
  let s = initial;
  let i = 0;
  for (; i + 1 < len; i += 2) s += (b[off + i]! << 8) | b[off + i + 1]!;
  if (i < len) s += b[off + i]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

export function checksum(b: Uint8Array, off: number, len: number, initial = 0): number {
  return ~onesSum(b, off, len, initial) & 0xffff;
}

/** "02:00:00:00:00:01" -> 48-bit number. */
export function mac(text: string): number {
  const hex = text.replace(/[:.-]/g, "");
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new Error(`not a MAC address: ${text}`);
  return parseInt(hex, 16);
}

/** "10.0.0.1" -> unsigned 32-bit number. */
export function ipv4(text: string): number {
  const p = text.split(".").map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`not an IPv4 address: ${text}`);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function putMac(b: Uint8Array, o: number, v: number): void {
  for (let i = 5; i >= 0; i--) {
    b[o + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

export function putU16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 255;
  b[o + 1] = v & 255;
}

export function putU32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 255;
  b[o + 1] = (v >>> 16) & 255;
  b[o + 2] = (v >>> 8) & 255;
  b[o + 3] = v & 255;
}
