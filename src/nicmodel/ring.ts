// One receive ring (an application's, or the kernel queue), simulated exactly and event by event.
//
// Descriptors: a frame of L bytes takes ceil(L / bufferSize) descriptors (multi-buffer, as AF_XDP
// multi-buffer and DPDK scattered RX do), at least one. The ring holds `size` descriptors.
//
// Release semantics (the consumer): the application is one consumer. When it is idle and frames
// are waiting, it takes up to `batch` of them (fewer if fewer are waiting) at that instant,
// processes them at `nsPerPacket` each, and when the whole batch is processed it releases that
// batch's descriptors at once; then, if frames are waiting, it takes the next batch at once,
// otherwise it goes idle until the next arrival (which it takes at its arrival instant).
// A frame occupies its descriptors from its arrival until its batch is released, so occupancy =
// descriptors of waiting frames + descriptors of the batch in hand.
//
// Time: before a frame arriving at t is offered, advance(t) completes every batch that ends at or
// before t (a release at exactly t happens before an arrival at t; "exactly" allows for double
// rounding, see tolerance()). Within a busy period the n-th frame's processing ends at
// start + n * nsPerPacket (Lindley's recursion), computed in one step. Nothing allocates per frame:
// waiting frames are a FIFO of descriptor counts and byte counts in typed-array ring buffers.
import { doubleFields } from "./doubles.js";
import type { ModelListener } from "./events.js";

export interface RingParams {
  /** Descriptors (Infinity for a shadow ring that never refuses). */
  size: number;
  bufferSize: number;
  nsPerPacket: number;
  batch: number;
}

export function descriptorsFor(bytes: number, bufferSize: number): number {
  return bytes <= bufferSize ? 1 : Math.ceil(bytes / bufferSize);
}

export class Ring {
  readonly size: number;
  readonly bufferSize: number;
  readonly nsPerPacket: number;
  readonly batch: number;

  // FIFO of frames waiting to be taken by the consumer.
  private fDesc: Uint32Array;
  private fBytes: Float64Array;
  private fMask: number;
  private fHead = 0;
  private fCount = 0;
  /** Descriptors of waiting frames (not yet taken). */
  waitDescs = 0;

  /** Descriptors in use: waiting + in the batch being processed. */
  occ = 0;
  maxOcc = 0;
  busy = false;
  batchEnd = 0;
  batchPkts = 0;
  batchDescs = 0;
  batchBytes = 0;
  /** Start of the current busy period and frames taken in it. */
  private busyStart = 0;
  private busyTaken = 0;

  // Counters (frames offered to this ring).
  accepted = 0;
  acceptedBytes = 0;
  refused = 0;
  released = 0;
  releasedBytes = 0;
  batches = 0;

  /** Event listener and this ring's queue index in the events it emits (null: silent, e.g. a shadow). */
  listener: ModelListener | null = null;
  queue = 0;

  constructor(p: RingParams) {
    this.size = p.size;
    this.bufferSize = p.bufferSize;
    this.nsPerPacket = p.nsPerPacket;
    this.batch = Math.max(1, Math.floor(p.batch));
    const cap = Number.isFinite(p.size) ? pow2AtLeast(Math.max(2, p.size)) : 1024;
    this.fDesc = new Uint32Array(cap);
    this.fBytes = new Float64Array(cap);
    this.fMask = cap - 1;
    doubleFields(this, ["nsPerPacket", "batchEnd", "batchBytes", "busyStart", "acceptedBytes", "releasedBytes"]);
  }

  /** Frames waiting to be taken (not counting the batch in hand). */
  get waiting(): number {
    return this.fCount;
  }

  /** Frames held: waiting + in the batch in hand. */
  get held(): number {
    return this.fCount + (this.busy ? this.batchPkts : 0);
  }

  /** Completes every batch ending at or before t (within rounding: see sameTime). */
  advance(t: number): void {
    const lim = t + tolerance(t);
    while (this.busy && this.batchEnd <= lim) {
      const end = this.batchEnd < t ? this.batchEnd : t;
      this.occ -= this.batchDescs;
      this.released += this.batchPkts;
      this.releasedBytes += this.batchBytes;
      const l = this.listener;
      if (l !== null) {
        l.onRelease(this.queue, end, this.batchPkts, this.batchBytes);
        l.onOccupancy(this.queue, end, this.occ);
      }
      if (this.fCount > 0) this.take(end);
      else this.busy = false;
    }
  }

  /** Could a frame of `descs` descriptors be accepted now (after advance(t))? */
  fits(descs: number): boolean {
    return this.occ + descs <= this.size;
  }

  /**
   * Offers a frame arriving at t (call advance(t) first). Returns false when the ring lacks
   * free descriptors (the frame is not taken).
   */
  offer(t: number, descs: number, bytes: number): boolean {
    if (this.occ + descs > this.size) {
      this.refused++;
      return false;
    }
    if (this.fCount > this.fMask) this.grow();
    const i = (this.fHead + this.fCount) & this.fMask;
    this.fDesc[i] = descs;
    this.fBytes[i] = bytes;
    this.fCount++;
    this.waitDescs += descs;
    this.occ += descs;
    if (this.occ > this.maxOcc) this.maxOcc = this.occ;
    this.accepted++;
    this.acceptedBytes += bytes;
    if (this.listener !== null) this.listener.onOccupancy(this.queue, t, this.occ);
    if (!this.busy) this.take(t);
    return true;
  }

  private take(t: number): void {
    let k = 0, descs = 0, bytes = 0;
    const B = this.batch;
    while (k < B && this.fCount > 0) {
      const h = this.fHead;
      descs += this.fDesc[h]!;
      bytes += this.fBytes[h]!;
      this.fHead = (h + 1) & this.fMask;
      this.fCount--;
      k++;
    }
    this.waitDescs -= descs;
    this.batchPkts = k;
    this.batchDescs = descs;
    this.batchBytes = bytes;
    if (!this.busy) {
      this.busyStart = t;
      this.busyTaken = 0;
    }
    this.busyTaken += k;
    // Lindley: within a busy period the n-th frame's slot ends at start + n * p, computed in one
    // step so that rounding does not accumulate over long busy periods
    this.batchEnd = this.busyStart + this.busyTaken * this.nsPerPacket;
    this.busy = true;
    this.batches++;
  }

  private grow(): void {
    const cap = (this.fMask + 1) * 2;
    const d = new Uint32Array(cap);
    const b = new Float64Array(cap);
    for (let i = 0; i < this.fCount; i++) {
      const j = (this.fHead + i) & this.fMask;
      d[i] = this.fDesc[j]!;
      b[i] = this.fBytes[j]!;
    }
    this.fDesc = d;
    this.fBytes = b;
    this.fMask = cap - 1;
    this.fHead = 0;
  }

  /**
   * A silent copy with an infinite size, in the same state: the "shadow" ring that shows what
   * this ring would have held had it never refused a frame.
   */
  shadow(): Ring {
    const s = new Ring({ size: Infinity, bufferSize: this.bufferSize, nsPerPacket: this.nsPerPacket, batch: this.batch });
    while (s.fMask + 1 < this.fCount) s.grow();
    for (let i = 0; i < this.fCount; i++) {
      const j = (this.fHead + i) & this.fMask;
      s.fDesc[i] = this.fDesc[j]!;
      s.fBytes[i] = this.fBytes[j]!;
    }
    s.fCount = this.fCount;
    s.waitDescs = this.waitDescs;
    s.occ = this.occ;
    s.maxOcc = this.maxOcc;
    s.busy = this.busy;
    s.batchEnd = this.batchEnd;
    s.batchPkts = this.batchPkts;
    s.batchDescs = this.batchDescs;
    s.batchBytes = this.batchBytes;
    s.busyStart = this.busyStart;
    s.busyTaken = this.busyTaken;
    return s;
  }
}

/**
 * Times closer than a few units of double rounding (about 4 ulps of t, at least 2^-30 ns) count
 * as equal, so a release computed to fall exactly on an arrival is not lost to rounding.
 */
export function tolerance(t: number): number {
  const a = t < 0 ? -t : t;
  const r = a * 8.881784197001252e-16; // 2^-50
  return r > 9.313225746154785e-10 ? r : 9.313225746154785e-10; // 2^-30
}

function pow2AtLeast(n: number): number {
  let c = 1;
  while (c < n) c *= 2;
  return c;
}
