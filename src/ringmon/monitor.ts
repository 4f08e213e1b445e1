// Ring monitoring: listens to the NIC model's events (src/nicmodel/events.ts) and keeps, per queue,
// what no existing tool shows: occupancy over time. Time-weighted occupancy (mean, percentiles,
// time spent full) comes from a histogram of the time spent at each occupancy level; the time
// series comes from fixed-width bins. All state is per queue, updated lazily, so events of
// different queues may arrive out of time order (the model advances rings lazily).
import { doubleFields } from "../nicmodel/doubles.js";
import { Outcome, type ModelListener, type QueueInfo } from "../nicmodel/events.js";

/** Occupancy levels kept exactly; larger rings share histogram buckets (percentiles then round up to the bucket). */
const MAX_LEVELS = 1 << 16;

export class QueueStats {
  readonly info: QueueInfo;
  /** Time (ns) spent at each occupancy level (bucket of `bucket` levels). */
  readonly hist: Float64Array;
  readonly bucket: number;
  lastT = 0;
  lastOcc = 0;
  maxOcc = 0;
  /** Integral of occupancy over time (descriptor-ns). */
  area = 0;
  /** Time with no free descriptor (occupancy >= size). */
  timeFull = 0;
  arrivals = 0;
  arrivalBytes = 0;
  accepted = 0;
  overflows = 0;
  drops = 0;
  viaOverflow = 0;
  delivered = 0;
  deliveredBytes = 0;
  firstOverflow = -1;
  firstDrop = -1;
  /** Per-bin series; see Series. */
  s: Series;

  constructor(info: QueueInfo, bins: number) {
    this.info = info;
    const levels = Math.min(info.size, 1 << 30) + 1;
    this.bucket = levels > MAX_LEVELS ? Math.ceil(levels / MAX_LEVELS) : 1;
    this.hist = new Float64Array(Math.ceil(levels / this.bucket));
    this.s = new Series(bins);
    doubleFields(this, ["lastT", "area", "timeFull", "arrivalBytes", "deliveredBytes", "firstOverflow", "firstDrop"]);
  }

  /** Time-weighted occupancy quantile (0..1) over [0, T]. */
  quantile(q: number, T: number): number {
    if (T <= 0) return 0;
    const want = q * T;
    let acc = 0;
    for (let i = 0; i < this.hist.length; i++) {
      acc += this.hist[i]!;
      if (acc >= want && acc > 0) return Math.min(this.info.size, (i + 1) * this.bucket - 1);
    }
    return this.maxOcc;
  }
}

/** Growable per-bin arrays. */
export class Series {
  arrivals: Float64Array;
  accepted: Float64Array;
  overflows: Float64Array;
  drops: Float64Array;
  delivered: Float64Array;
  /** Occupancy integral within the bin (descriptor-ns). */
  area: Float64Array;
  /** Highest occupancy during the bin. */
  max: Float64Array;

  constructor(n: number) {
    const c = Math.max(16, n);
    this.arrivals = new Float64Array(c);
    this.accepted = new Float64Array(c);
    this.overflows = new Float64Array(c);
    this.drops = new Float64Array(c);
    this.delivered = new Float64Array(c);
    this.area = new Float64Array(c);
    this.max = new Float64Array(c);
  }

  get capacity(): number {
    return this.arrivals.length;
  }

  grow(n: number): void {
    let c = this.capacity;
    while (c <= n) c *= 2;
    const g = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a);
      return b;
    };
    this.arrivals = g(this.arrivals);
    this.accepted = g(this.accepted);
    this.overflows = g(this.overflows);
    this.drops = g(this.drops);
    this.delivered = g(this.delivered);
    this.area = g(this.area);
    this.max = g(this.max);
  }

  /** Halves the resolution: bin i takes bins 2i and 2i+1. */
  merge(bins: number): void {
    const sum = (a: Float64Array): void => {
      for (let i = 0; 2 * i < bins; i++) a[i] = a[2 * i]! + (a[2 * i + 1] ?? 0);
      a.fill(0, Math.ceil(bins / 2));
    };
    sum(this.arrivals);
    sum(this.accepted);
    sum(this.overflows);
    sum(this.drops);
    sum(this.delivered);
    sum(this.area);
    const m = this.max;
    for (let i = 0; 2 * i < bins; i++) m[i] = Math.max(m[2 * i]!, m[2 * i + 1] ?? 0);
    m.fill(0, Math.ceil(bins / 2));
  }
}

export interface MonitorOptions {
  /** Fixed series interval (ns); omitted: automatic (starts at 1 µs, doubles to keep at most maxBins bins). */
  intervalNs?: number | undefined;
  /** Keep a time series at all (default true). */
  series?: boolean | undefined;
  /** Automatic interval: most bins kept (default 512). */
  maxBins?: number | undefined;
}

/** Bins a fixed interval may produce before it is widened (memory guard). */
const MAX_FIXED_BINS = 1 << 20;

export class RingMonitor implements ModelListener {
  readonly queues: QueueStats[] = [];
  intervalNs: number;
  readonly auto: boolean;
  readonly seriesOn: boolean;
  private readonly maxBins: number;
  /** Bins in use (index of the last bin touched + 1). */
  bins = 0;
  endNs = 0;
  ended = false;
  /** Set when a fixed interval had to be widened. */
  widened = false;

  constructor(opts: MonitorOptions = {}) {
    this.auto = opts.intervalNs === undefined;
    this.intervalNs = opts.intervalNs ?? 1000;
    this.seriesOn = opts.series ?? true;
    this.maxBins = this.auto ? (opts.maxBins ?? 512) : MAX_FIXED_BINS;
    doubleFields(this, ["intervalNs", "endNs"]);
  }

  onStart(queues: readonly QueueInfo[]): void {
    for (const q of queues) this.queues[q.index] = new QueueStats(q, this.seriesOn ? 64 : 0);
  }

  onQueueAdded(q: QueueInfo): void {
    const s = new QueueStats(q, this.seriesOn ? Math.max(64, this.bins + 1) : 0);
    this.queues[q.index] = s;
  }

  /** Bin index for time t, widening the interval when needed. */
  private bin(t: number): number {
    let b = Math.floor(t / this.intervalNs);
    while (b >= this.maxBins) {
      for (const q of this.queues) q.s.merge(this.bins);
      this.bins = Math.ceil(this.bins / 2);
      this.intervalNs *= 2;
      if (!this.auto) this.widened = true;
      b = Math.floor(t / this.intervalNs);
    }
    if (b >= this.bins) {
      this.bins = b + 1;
      for (const q of this.queues) if (q.s.capacity <= b) q.s.grow(b);
    }
    return b;
  }

  /** Accounts the time from the queue's last change to t at its last occupancy. */
  private accum(s: QueueStats, t: number): void {
    const dt = t - s.lastT;
    if (dt <= 0) return;
    const occ = s.lastOcc;
    s.hist[s.bucket === 1 ? occ : Math.floor(occ / s.bucket)]! += dt;
    s.area += occ * dt;
    if (occ >= s.info.size) s.timeFull += dt;
    if (this.seriesOn) {
      const last = this.bin(t); // may widen the interval: read it after
      const I = this.intervalNs;
      let from = s.lastT;
      let b = Math.floor(from / I);
      const ser = s.s;
      while (b <= last) {
        const binEnd = (b + 1) * I;
        const to = t < binEnd ? t : binEnd;
        if (to > from || b === last) {
          ser.area[b]! += occ * (to - from);
          if (occ > ser.max[b]!) ser.max[b] = occ;
        }
        from = to;
        b++;
      }
    }
    s.lastT = t;
  }

  onOccupancy(q: number, t: number, occ: number): void {
    const s = this.queues[q]!;
    this.accum(s, t);
    s.lastOcc = occ;
    if (occ > s.maxOcc) s.maxOcc = occ;
    if (this.seriesOn) {
      const b = this.bin(t);
      if (occ > s.s.max[b]!) s.s.max[b] = occ;
    }
  }

  onArrival(q: number, t: number, bytes: number, _descs: number, outcome: Outcome, viaOverflow: boolean): void {
    const s = this.queues[q]!;
    s.arrivals++;
    s.arrivalBytes += bytes;
    if (viaOverflow) s.viaOverflow++;
    const b = this.seriesOn ? this.bin(t) : 0;
    const ser = s.s;
    if (this.seriesOn) ser.arrivals[b]! += 1;
    if (outcome === Outcome.ACCEPTED) {
      s.accepted++;
      if (this.seriesOn) ser.accepted[b]! += 1;
    } else if (outcome === Outcome.DROPPED) {
      s.drops++;
      if (s.firstDrop < 0) s.firstDrop = t;
      if (this.seriesOn) ser.drops[b]! += 1;
      if (q !== 0) {
        // an application's frame that overflowed and found the kernel queue full
        s.overflows++;
        if (s.firstOverflow < 0) s.firstOverflow = t;
        if (this.seriesOn) ser.overflows[b]! += 1;
      }
    } else {
      s.overflows++;
      if (s.firstOverflow < 0) s.firstOverflow = t;
      if (this.seriesOn) ser.overflows[b]! += 1;
    }
  }

  onRelease(q: number, t: number, packets: number, bytes: number): void {
    const s = this.queues[q]!;
    s.delivered += packets;
    s.deliveredBytes += bytes;
    if (this.seriesOn) s.s.delivered[this.bin(t)]! += packets;
  }

  onEnd(t: number): void {
    this.endNs = t;
    for (const s of this.queues) if (s !== undefined) this.accum(s, t);
    if (this.seriesOn && this.bins === 0) this.bin(t);
    this.ended = true;
  }
}
