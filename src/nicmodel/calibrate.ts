// `arpx calibrate`: measures what this machine can tell about the copy-vs-map cost model and turns
// it into a profile (profile.ts) that `arpx replay --profile` applies.
//
// The native helper (native/calib.c) is compiled with the system C compiler on first use into a
// cache directory ($ARPX_CACHE_DIR, else $XDG_CACHE_HOME/arpx, else ~/.cache/arpx), named by a
// hash of its source and the compiler's version so an edit or a new compiler rebuilds it. Without
// a compiler, calibrate still measures memcpy from JavaScript (TypedArray.set, which is memcpy plus
// a call overhead) and says what it could not measure.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { cpus, homedir, release, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_COST, type CostOverrides } from "./cost.js";
import { PROFILE_VERSION, type Profile } from "./profile.js";

export const HELPER_SOURCE = fileURLToPath(new URL("../../src/nicmodel/native/calib.c", import.meta.url));

export interface NativeResult {
  pageSize: number;
  cpus: number;
  pages: number;
  memcpy: { bytes: number; ns: number }[];
  syscallNs: number;
  pageFaultAnonNs: number;
  pageFaultSharedNs: number;
  munmapNs: Record<string, number>;
  madviseTouchNs: Record<string, number>;
  mapTouchUnmapNs: Record<string, number>;
}

export function cacheDir(): string {
  if (process.env.ARPX_CACHE_DIR) return process.env.ARPX_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "arpx");
}

function findCompiler(): string | null {
  const cands = [process.env.CC, "cc", "gcc", "clang"].filter((c): c is string => !!c);
  for (const c of cands) {
    const r = spawnSync(c, ["--version"], { encoding: "utf8" });
    if (r.status === 0) return c;
  }
  return null;
}

/** Builds (or finds) the helper binary; returns its path, or an error message for the user. */
export function buildHelper(): { path: string } | { error: string } {
  if (!existsSync(HELPER_SOURCE)) return { error: `the helper source ${HELPER_SOURCE} is missing` };
  const cc = findCompiler();
  if (cc === null) return { error: "no C compiler found (tried $CC, cc, gcc, clang): install one (e.g. apt-get install gcc) to measure page faults and munmap; memcpy is measured from JavaScript instead" };
  const src = readFileSync(HELPER_SOURCE);
  const ver = spawnSync(cc, ["--version"], { encoding: "utf8" }).stdout ?? "";
  const hash = createHash("sha256").update(src).update(ver).update(process.arch).digest("hex").slice(0, 16);
  const dir = cacheDir();
  const bin = join(dir, `calib-${hash}`);
  if (existsSync(bin)) return { path: bin };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return { error: `cannot create the cache directory ${dir}: ${(e as Error).message}` };
  }
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = spawnSync(cc, ["-O2", "-pthread", "-o", tmp, HELPER_SOURCE], { encoding: "utf8" });
  if (r.status !== 0) return { error: `compiling ${HELPER_SOURCE} with ${cc} failed:\n${(r.stderr || r.error?.message || "").trim()}` };
  renameSync(tmp, bin);
  return { path: bin };
}

export function runHelper(bin: string, quick: boolean): NativeResult {
  const out = execFileSync(bin, quick ? ["--quick"] : [], { encoding: "utf8", maxBuffer: 1 << 20, timeout: 300_000 });
  return JSON.parse(out) as NativeResult;
}

/** memcpy timing from JavaScript (TypedArray.prototype.set): a fallback, call overhead included. */
export function jsMemcpy(quick: boolean): { bytes: number; ns: number }[] {
  const sizes = [64, 128, 256, 512, 1024, 1500, 2048, 4096, 9000, 16384, 65536, 1 << 20, 64 << 20];
  const out: { bytes: number; ns: number }[] = [];
  for (const size of sizes) {
    const src = new Uint8Array(size).fill(1);
    const dst = new Uint8Array(size);
    const budget = size >= 64 << 20 ? (quick ? 128e6 : 512e6) : quick ? 32e6 : 256e6;
    const iters = Math.max(3, Math.floor(budget / size));
    for (let i = 0; i < iters / 4; i++) dst.set(src);
    const samples: number[] = [];
    for (let r = 0; r < (quick ? 3 : 5); r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) {
        dst.set(src);
        src[i % size]! ^= 1;
      }
      samples.push(Number(process.hrtime.bigint() - t0) / iters);
    }
    samples.sort((a, b) => a - b);
    out.push({ bytes: size, ns: samples[samples.length >> 1]! });
  }
  return out;
}

/** The CPU clock from /proc/cpuinfo ("cpu MHz"), or null. */
export function cpuClock(): { ghz: number | null; source: string } {
  try {
    const m = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return { ghz: Math.round((Number(m[1]!) / 1000) * 1000) / 1000, source: "/proc/cpuinfo cpu MHz (the current frequency; turbo and power saving move it)" };
  } catch {
    /* not Linux */
  }
  const mhz = cpus()[0]?.speed;
  if (mhz) return { ghz: mhz / 1000, source: "os.cpus() speed" };
  return { ghz: null, source: `unknown: cycles use the default ${DEFAULT_COST.clockGHz} GHz` };
}

/** Least squares ns = fixed + perByte * bytes over the given sizes. */
export function fitCopy(m: { bytes: number; ns: number }[], maxBytes = 16384): { fixedNs: number; nsPerByte: number; sizes: number[] } | null {
  const pts = m.filter((x) => x.bytes <= maxBytes && x.ns > 0);
  if (pts.length < 2) return null;
  const n = pts.length;
  const sx = pts.reduce((a, p) => a + p.bytes, 0), sy = pts.reduce((a, p) => a + p.ns, 0);
  const sxx = pts.reduce((a, p) => a + p.bytes * p.bytes, 0), sxy = pts.reduce((a, p) => a + p.bytes * p.ns, 0);
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const a = (sy - b * sx) / n;
  return { fixedNs: a, nsPerByte: b, sizes: pts.map((p) => p.bytes) };
}

/** Turns measurements into a profile; `cost` holds only what was measured. */
export function makeProfile(native: NativeResult | null, nativeNote: string | null, js: { bytes: number; ns: number }[] | null): Profile {
  const clock = cpuClock();
  const ghz = clock.ghz ?? DEFAULT_COST.clockGHz;
  const raw = native?.memcpy ?? js ?? [];
  const memcpy = raw.map((x) => ({ bytes: x.bytes, nsPerCopy: x.ns, nsPerByte: x.ns / x.bytes, cyclesPerByte: clock.ghz !== null ? (x.ns / x.bytes) * clock.ghz : null }));
  const fit = fitCopy(raw);
  const cost: CostOverrides = {};
  if (clock.ghz !== null) cost.clockGHz = clock.ghz;
  if (fit !== null) {
    cost.copyCyclesPerByte = Math.max(0, fit.nsPerByte * ghz);
    cost.copyFixedCycles = Math.max(0, fit.fixedNs * ghz);
  }
  if (native !== null) {
    cost.syscallNs = native.syscallNs;
    const mt = native.madviseTouchNs;
    if (mt["0"] !== undefined) cost.mapLocalNs = mt["0"];
    if (mt["1"] !== undefined) cost.mapRemote1Ns = mt["1"];
    if (mt["3"] !== undefined) cost.mapRemote3Ns = mt["3"];
    else if (mt["1"] !== undefined) cost.mapRemote3Ns = mt["1"] + 2 * DEFAULT_COST.mapPerExtraCoreNs;
    if (mt["3"] !== undefined && mt["2"] !== undefined) cost.mapPerExtraCoreNs = Math.max(0, mt["3"] - mt["2"]);
    cost.pageSize = native.pageSize;
  }
  const c0 = cpus()[0];
  return {
    arpxCalibration: PROFILE_VERSION,
    created: new Date().toISOString(),
    machine: { cpu: c0?.model ?? "unknown", cpus: cpus().length, kernel: release(), arch: process.arch, memoryBytes: totalmem(), node: process.version },
    clockGHz: clock.ghz,
    clockSource: clock.source,
    memcpy,
    memcpyTool: native !== null ? "native helper (memcpy)" : "JavaScript TypedArray.set (includes call overhead)",
    memcpyFit: fit,
    native:
      native === null
        ? null
        : {
            syscallNs: native.syscallNs,
            pageFaultAnonNs: native.pageFaultAnonNs,
            pageFaultSharedNs: native.pageFaultSharedNs,
            munmapNs: native.munmapNs,
            madviseTouchNs: native.madviseTouchNs,
            mapTouchUnmapNs: native.mapTouchUnmapNs,
            pages: native.pages,
            remoteThreads: Object.keys(native.munmapNs).map(Number),
          },
    nativeNote,
    cost,
  };
}
