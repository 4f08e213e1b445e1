// Hand-built capture bytes for the tests, written independently of src/capture's emitters so a
// shared mistake cannot hide. Every builder takes the byte order.

export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function words(le: boolean, spec: [number, 2 | 4 | 8][]): Uint8Array {
  const out = new Uint8Array(spec.reduce((n, [, s]) => n + s, 0));
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const [v, s] of spec) {
    if (s === 2) dv.setUint16(o, v, le);
    else if (s === 4) dv.setUint32(o, v >>> 0, le);
    else dv.setBigInt64(o, BigInt(v), le);
    o += s;
  }
  return out;
}

const pad4 = (b: Uint8Array) => cat(b, new Uint8Array((4 - (b.length % 4)) % 4));

export function opt(le: boolean, code: number, value: Uint8Array | string): Uint8Array {
  const v = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return cat(words(le, [[code, 2], [v.length, 2]]), pad4(v));
}

export const endOpt = (le: boolean) => new Uint8Array(4);

/** A pcapng block with the given body; `len` overrides the leading length, `trail` the trailing one. */
export function block(le: boolean, type: number, body: Uint8Array, o: { len?: number; trail?: number } = {}): Uint8Array {
  const len = 12 + body.length;
  return cat(words(le, [[type, 4], [o.len ?? len, 4]]), body, words(le, [[o.trail ?? o.len ?? len, 4]]));
}

export function shb(le: boolean, opts: Uint8Array = new Uint8Array(0), version: [number, number] = [1, 0]): Uint8Array {
  return block(le, 0x0a0d0d0a, cat(words(le, [[0x1a2b3c4d, 4], [version[0], 2], [version[1], 2], [-1, 8]]), opts));
}

export function idb(le: boolean, linkType = 1, snapLen = 0, opts: Uint8Array = new Uint8Array(0)): Uint8Array {
  return block(le, 1, cat(words(le, [[linkType, 2], [0, 2], [snapLen, 4]]), opts));
}

export function epb(le: boolean, p: { ifId?: number; hi?: number; lo?: number; data: Uint8Array; wireLen?: number; capLen?: number; opts?: Uint8Array }): Uint8Array {
  const head = words(le, [[p.ifId ?? 0, 4], [p.hi ?? 0, 4], [p.lo ?? 0, 4], [p.capLen ?? p.data.length, 4], [p.wireLen ?? p.data.length, 4]]);
  return block(le, 6, cat(head, pad4(p.data), p.opts ?? new Uint8Array(0)));
}

export function spb(le: boolean, data: Uint8Array, wireLen = data.length): Uint8Array {
  return block(le, 3, cat(words(le, [[wireLen, 4]]), pad4(data)));
}

export function isb(le: boolean, ifId: number, opts: Uint8Array): Uint8Array {
  return block(le, 5, cat(words(le, [[ifId, 4], [0, 4], [0, 4]]), opts));
}

export function pcapHeader(le: boolean, p: { ns?: boolean; linkType?: number; snapLen?: number; version?: [number, number] } = {}): Uint8Array {
  const v = p.version ?? [2, 4];
  return words(le, [[p.ns ? 0xa1b23c4d : 0xa1b2c3d4, 4], [v[0], 2], [v[1], 2], [0, 4], [0, 4], [p.snapLen ?? 65535, 4], [p.linkType ?? 1, 4]]);
}

export function pcapRecord(le: boolean, sec: number, frac: number, data: Uint8Array, wireLen = data.length, capLen = data.length): Uint8Array {
  return cat(words(le, [[sec, 4], [frac, 4], [capLen, 4], [wireLen, 4]]), data);
}

/** Bytes 0, 1, 2, ... n-1 (mod 256). */
export function frame(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i + seed) & 0xff);
}
