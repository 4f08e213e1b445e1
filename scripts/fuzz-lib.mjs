// Deterministic mutations of real captures for `npm run fuzz`, shared by the driver and worker
// so that any iteration can be rebuilt from (seed, iteration) alone.

/** Small fast PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXTREMES = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0xffff, 0x7fff, 0x8000, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe];

/** Returns [mutation description, mutated bytes] for one iteration. */
export function mutate(sources, seed, iter) {
  const r = rng((seed * 1000003) ^ iter);
  const pick = (n) => Math.floor(r() * n);
  const src = sources[pick(sources.length)];
  let b = Buffer.from(src.bytes);
  const kinds = [];
  const rounds = 1 + pick(3);
  for (let k = 0; k < rounds; k++) {
    const kind = pick(6);
    if (b.length === 0) break;
    switch (kind) {
      case 0: { // bit flips
        const n = 1 + pick(8);
        for (let i = 0; i < n; i++) { const o = pick(b.length); b[o] ^= 1 << pick(8); }
        kinds.push(`flip${n}`);
        break;
      }
      case 1: { // truncation
        b = b.subarray(0, pick(b.length));
        kinds.push(`trunc@${b.length}`);
        break;
      }
      case 2: { // a length-like field set to an extreme, big- or little-endian, 1/2/4 bytes
        const width = [1, 2, 4][pick(3)];
        const o = pick(Math.max(1, b.length - width));
        const v = EXTREMES[pick(EXTREMES.length)];
        const le = r() < 0.5;
        for (let i = 0; i < width; i++) {
          const byte = Math.floor(v / 2 ** (8 * i)) & 0xff;
          const at = le ? o + i : o + width - 1 - i;
          if (at < b.length) b[at] = byte;
        }
        kinds.push(`len${width}${le ? "le" : "be"}=${v}@${o}`);
        break;
      }
      case 3: { // delete a range
        const o = pick(b.length), n = 1 + pick(16);
        b = Buffer.concat([b.subarray(0, o), b.subarray(Math.min(b.length, o + n))]);
        kinds.push(`del${n}@${o}`);
        break;
      }
      case 4: { // insert random bytes
        const o = pick(b.length), n = 1 + pick(16);
        const ins = Buffer.alloc(n);
        for (let i = 0; i < n; i++) ins[i] = pick(256);
        b = Buffer.concat([b.subarray(0, o), ins, b.subarray(o)]);
        kinds.push(`ins${n}@${o}`);
        break;
      }
      default: { // splice the tail of another capture
        const other = sources[pick(sources.length)].bytes;
        const o = pick(b.length), p = pick(other.length);
        b = Buffer.concat([b.subarray(0, o), other.subarray(p)]);
        kinds.push(`splice@${o}`);
      }
    }
  }
  return [`${src.name}:${kinds.join(",")}`, b];
}
