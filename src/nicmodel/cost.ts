// Copy vs map: what delivering an application's frames costs the CPU under four schemes.
//
//   copy       the kernel receives the frame and copies it into the application's buffer with the CPU
//              kernelRx + syscall/batch + copyFixed + bytes x copyCyclesPerByte
//   dma        the same, but a DMA engine copies; the CPU only submits and reaps the descriptor
//              kernelRx + syscall/batch + dmaSubmit + bytes x dmaCyclesPerByte
//   map        the kernel maps the RX buffer's pages into the application per frame: a soft page
//              fault on first touch, then an unmap with a TLB shootdown to every other core that
//              runs the address space
//              kernelRx + syscall/batch + pages x mapUnmap(cores)
//   perennial  the proposal: RX buffers stay mapped, the NIC steers by MAC; descriptor handling only
//              perennialCycles
// Frames that reach the kernel queue (control traffic, overflow, unknown destinations) are
// delivered the traditional way, so they cost `copy` under every scheme.
//
// Every default is a published figure (docs/cost-model.md cites each); `arpx calibrate` measures
// the ones this machine can (memcpy per byte, first-touch fault, munmap with and without other
// threads) and a profile replaces them.

export interface CostParams {
  /** Clock used to turn nanoseconds into cycles. */
  clockGHz: number;
  /** Kernel per-frame receive cost up to the dispatch decision (cycles). */
  kernelRxCycles: number;
  /** One system call (ns); paid once per batch in the kernel-mediated schemes. */
  syscallNs: number;
  /** Fixed part of one memcpy call (cycles). */
  copyFixedCycles: number;
  copyCyclesPerByte: number;
  /** CPU cost to submit a copy to a DMA engine and reap its completion (cycles per frame). */
  dmaSubmitCycles: number;
  /** CPU cycles per byte of a DMA copy (the engine moves the bytes). */
  dmaCyclesPerByte: number;
  pageSize: number;
  /** Soft fault on first touch + unmap with local TLB flush, one page, no other core (ns). */
  mapLocalNs: number;
  /** The same with one other core running the address space (ns). */
  mapRemote1Ns: number;
  /** The same with three other cores (ns). */
  mapRemote3Ns: number;
  /** Each further core beyond three (ns). */
  mapPerExtraCoreNs: number;
  /** Cores running threads of the application's address space (the shootdown reaches cores - 1). */
  cores: number;
  /** Perennially mapped rings: descriptor handling per frame (cycles). */
  perennialCycles: number;
}

/** Published defaults; docs/cost-model.md gives the source and derivation of each. */
export const DEFAULT_COST: Readonly<CostParams> = Object.freeze({
  clockGHz: 3.0,
  kernelRxCycles: 750, // Linux raw-table drop, 4.8 Mpps on one 3.6 GHz core (Høiland-Jørgensen et al., CoNEXT 2018)
  syscallNs: 300, // after the 2018 mitigations, Skylake (blog.i0.pm); ~100 ns before
  copyFixedCycles: 0,
  copyCyclesPerByte: 0.4, // memcpy from DRAM 6–11.5 GB/s ≈ 0.3–0.5 cycles/byte (Intel forum; cross-checks the tcp mmap commit)
  dmaSubmitCycles: 300, // assumption: one uncached descriptor exchange ≈ one DRAM access, ~300 cycles (Graham, C10M)
  dmaCyclesPerByte: 0,
  pageSize: 4096,
  mapLocalNs: 661, // MADV_DONTNEED then touch, one page, 1 thread (Amit, LKML 2019, Haswell)
  mapRemote1Ns: 1436, // ... 1 remote core
  mapRemote3Ns: 1571, // ... 3 remote cores
  mapPerExtraCoreNs: 67.5, // slope of Amit's last two points; other reports claim ~1500 ns per core
  cores: 4,
  perennialCycles: 60, // netmap: one 900 MHz core moves 14.88 Mpps (Rizzo, USENIX ATC 2012)
});

export type CostOverrides = Partial<CostParams>;

/** The keys a configuration or profile may set (config-schema.ts validates them). */
export const COST_KEYS = Object.keys(DEFAULT_COST) as (keyof CostParams)[];

export const SCHEMES = ["copy", "dma", "map", "perennial"] as const;
export type Scheme = (typeof SCHEMES)[number];

export const SCHEME_TITLES: Record<Scheme, string> = {
  copy: "kernel copy (CPU)",
  dma: "kernel copy (DMA engine)",
  map: "map/unmap per packet",
  perennial: "perennial mapping",
};

/** Fault + unmap + shootdown for one page with `cores` cores on the address space (ns), piecewise linear through the published points. */
export function mapUnmapNs(p: CostParams, cores = p.cores): number {
  const remote = Math.max(0, cores - 1);
  if (remote <= 1) return p.mapLocalNs + remote * (p.mapRemote1Ns - p.mapLocalNs);
  if (remote <= 3) return p.mapRemote1Ns + ((remote - 1) * (p.mapRemote3Ns - p.mapRemote1Ns)) / 2;
  return p.mapRemote3Ns + (remote - 3) * p.mapPerExtraCoreNs;
}

/** What a queue delivered, as the cost model needs it. */
export interface Delivered {
  packets: number;
  bytes: number;
  /** Sum over frames of ceil(bytes / pageSize). */
  pages: number;
  /** Batches the consumer took (a system call each in the kernel-mediated schemes). */
  batches: number;
}

export interface SchemeCost {
  scheme: Scheme;
  cycles: number;
  cyclesPerPacket: number | null;
  /** CPU-seconds per second of (replayed) traffic. */
  cpuSecondsPerSecond: number | null;
  /** Packets per second one core sustains at this cost per packet. */
  packetsPerSecondPerCore: number | null;
}

export function schemeCycles(p: CostParams, s: Scheme, d: Delivered): number {
  const sys = p.syscallNs * p.clockGHz * d.batches;
  switch (s) {
    case "copy":
      return d.packets * (p.kernelRxCycles + p.copyFixedCycles) + sys + d.bytes * p.copyCyclesPerByte;
    case "dma":
      return d.packets * (p.kernelRxCycles + p.dmaSubmitCycles) + sys + d.bytes * p.dmaCyclesPerByte;
    case "map":
      return d.packets * p.kernelRxCycles + sys + d.pages * mapUnmapNs(p) * p.clockGHz;
    case "perennial":
      return d.packets * p.perennialCycles;
  }
}

export function schemeCost(p: CostParams, s: Scheme, d: Delivered, durationSec: number, extraCycles = 0): SchemeCost {
  const cycles = schemeCycles(p, s, d) + extraCycles;
  const cpp = d.packets > 0 ? cycles / d.packets : null;
  return {
    scheme: s,
    cycles,
    cyclesPerPacket: cpp,
    cpuSecondsPerSecond: durationSec > 0 ? cycles / (p.clockGHz * 1e9) / durationSec : null,
    packetsPerSecondPerCore: cpp !== null && cpp > 0 ? (p.clockGHz * 1e9) / cpp : null,
  };
}

/**
 * Smallest frame size (bytes) at which copying with the CPU costs more than mapping and unmapping
 * the frame's pages; Infinity when copying is cheaper at every size. The parts both schemes share
 * (kernel receive, system calls) cancel out.
 */
export function copyMapCrossover(p: CostParams): number {
  const map = mapUnmapNs(p) * p.clockGHz; // cycles per page
  const fixed = p.copyFixedCycles;
  const cpb = p.copyCyclesPerByte;
  const P = p.pageSize;
  if (cpb <= 0) return fixed > map ? 1 : Infinity;
  for (let k = 1; k <= 1 << 20; k++) {
    // frames of (k-1)P+1 .. kP bytes map k pages: copy > map  <=>  L > (k*map - fixed) / cpb
    const lo = Math.max((k - 1) * P + 1, Math.floor((k * map - fixed) / cpb) + 1, 1);
    if (lo <= k * P) return lo;
    if (cpb * P <= map) return Infinity; // each further page costs more to map than to copy
  }
  return Infinity;
}

export function resolveCost(...layers: (CostOverrides | undefined)[]): CostParams {
  const p: CostParams = { ...DEFAULT_COST };
  for (const l of layers) {
    if (!l) continue;
    for (const [k, v] of Object.entries(l)) if (v !== undefined) (p as unknown as Record<string, number>)[k] = v as number;
  }
  return p;
}
