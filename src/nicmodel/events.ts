// What the NIC model tells its listeners (src/ringmon listens; the model never imports ringmon).
// Queue 0 is the kernel queue, queues 1.. are the applications' rings in the order they were
// created. Times are nanoseconds since the first frame (already scaled by --speed). Events for
// one queue come in time order; events of different queues may interleave out of time order
// (rings are advanced lazily), so a listener keeps its state per queue.

export const enum Outcome {
  /** Taken by the queue the frame was steered to. */
  ACCEPTED = 0,
  /** An application ring had no free descriptor; its RX ring was full of frames not yet taken (AF_XDP rx_ring_full). */
  OVERFLOW_RING_FULL = 1,
  /** An application ring had no free descriptor because the application still held them (AF_XDP rx_fill_ring_empty_descs). */
  OVERFLOW_FILL_EMPTY = 2,
  /** The kernel queue was full: the frame is lost. */
  DROPPED = 3,
}

export interface ModelListener {
  /** Once, before any other event: the queues (index = queue number). */
  onStart(queues: readonly QueueInfo[]): void;
  /** A queue was added during the run (learned application). */
  onQueueAdded(q: QueueInfo): void;
  /**
   * A frame arrived for queue q. For an application: ACCEPTED, OVERFLOW_* (sent on to the kernel
   * queue, which reports its own arrival: `viaOverflow` true there) or DROPPED (overflowed and the
   * kernel queue was full too).
   */
  onArrival(q: number, t: number, bytes: number, descs: number, outcome: Outcome, viaOverflow: boolean): void;
  /** Queue q's occupancy (descriptors in use) changed to occ at time t. */
  onOccupancy(q: number, t: number, occ: number): void;
  /** Queue q released a batch of `packets` frames (`bytes` bytes) at time t: delivered. */
  onRelease(q: number, t: number, packets: number, bytes: number): void;
  /** The run ended at time t (the last frame's arrival); every ring was advanced to t. */
  onEnd(t: number): void;
}

export interface QueueInfo {
  index: number;
  name: string;
  kind: "kernel" | "app";
  /** Descriptors. */
  size: number;
  bufferSize: number;
  nsPerPacket: number;
  batch: number;
}
