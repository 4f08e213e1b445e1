// The scenario generator: actors schedule frames at times on one seeded clock; frames are
// built from the dissectors' own build layers (never hand-written bytes) and written in time
// order through the project's capture writer. Everything random comes from one seed, so a
// scenario with the same parameters always writes the same file.
import { build, type Layer } from "../dissect/build.js";

/** mulberry32: small, fast, and good enough for traffic shapes (not for real MAC assignment). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ParamValue = number | string | boolean;

export interface ParamSpec {
  default: ParamValue;
  help: string;
}

export interface ScenarioDef {
  name: string;
  summary: string;
  params: Record<string, ParamSpec>;
  run(s: Scenario, p: Record<string, ParamValue>): void;
}

interface Pending {
  t: number;
  seq: number;
  make: () => Uint8Array;
}

export class Scenario {
  readonly random: () => number;
  private readonly pending: Pending[] = [];
  private seq = 0;
  /** A host configuration for `arpx replay --config` matching this scenario, if it has one. */
  hostConfig: unknown = undefined;
  /** Start of the capture, seconds since the epoch. */
  readonly epoch = 1_700_000_000;

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  /** Schedules a frame at `tNs` nanoseconds after the start; layers are built when written. */
  at(tNs: number, layers: () => Layer[]): void {
    this.pending.push({ t: Math.round(tNs), seq: this.seq++, make: () => build(layers()) });
  }

  /** A random locally administered unicast MAC (spec section 5.1). */
  randomAppMac(): number {
    const first = (Math.floor(this.random() * 256) & 0xfc) | 0x02;
    let rest = 0;
    for (let i = 0; i < 5; i++) rest = rest * 256 + Math.floor(this.random() * 256);
    return first * 0x10000000000 + rest;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  get count(): number {
    return this.pending.length;
  }

  /** Frames in time order (ties keep scheduling order). */
  *frames(): Generator<{ tsSec: number; tsNsec: number; data: Uint8Array }> {
    this.pending.sort((a, b) => a.t - b.t || a.seq - b.seq);
    for (const f of this.pending) {
      yield { tsSec: this.epoch + Math.floor(f.t / 1e9), tsNsec: f.t % 1e9, data: f.make() };
    }
  }
}

export function parseParams(def: ScenarioDef, given: Record<string, string>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, spec] of Object.entries(def.params)) out[k] = spec.default;
  for (const [k, v] of Object.entries(given)) {
    const spec = def.params[k];
    if (!spec) throw new Error(`scenario ${def.name} has no parameter "${k}" (it has: ${Object.keys(def.params).join(", ") || "none"})`);
    if (typeof spec.default === "number") {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`parameter ${k} must be a number, not "${v}"`);
      out[k] = n;
    } else if (typeof spec.default === "boolean") out[k] = v === "true" || v === "1" || v === "yes";
    else out[k] = v;
  }
  return out;
}
