// From capture records to model frames: timestamps to model time, classification, direction.
// Kept apart from the CLI so tests (and other commands) can drive the model with records.
import type { CaptureRecord } from "../capture/types.js";
import { classifyAt, Classified } from "./classify.js";
import { doubleFields } from "./doubles.js";
import type { NicModel } from "./model.js";

export class FrameFeeder {
  readonly cls = new Classified();
  private t0Sec = 0;
  private t0Nsec = 0;
  private first = true;
  private lastT = 0;
  private readonly invSpeed: number;
  /** Capture time of the first frame (seconds since the epoch, with fraction). */
  startEpoch = 0;

  constructor(readonly model: NicModel, speed = 1) {
    this.invSpeed = 1 / speed;
    doubleFields(this, ["t0Sec", "t0Nsec", "lastT", "invSpeed", "startEpoch"]);
  }

  feed(r: CaptureRecord): void {
    const d = r.data;
    this.feedAt(r, d, 0, d.length);
  }

  /**
   * feed() for a record whose bytes are d[at, at + len) (a reader's nextRaw(): `r.data` is not
   * read). A view of the frame is made only for the few frames the model reads bytes of (XARP).
   */
  feedAt(r: CaptureRecord, d: Uint8Array, at: number, len: number): void {
    let t: number;
    if (r.noTimestamp) {
      t = this.lastT;
    } else {
      if (this.first) {
        this.first = false;
        this.t0Sec = r.tsSec;
        this.t0Nsec = r.tsNsec;
        this.startEpoch = r.tsSec + r.tsNsec / 1e9;
      }
      t = ((r.tsSec - this.t0Sec) * 1e9 + (r.tsNsec - this.t0Nsec)) * this.invSpeed;
      this.lastT = t;
    }
    const c = this.cls;
    const model = this.model;
    classifyAt(c, d, at, len, r.linkType);
    const bytes = r.wireLen > len ? r.wireLen : len;
    const outbound = r.packetFlags !== undefined && (r.packetFlags & 3) === 2;
    const frame = at === 0 && len === d.length ? d : model.readsBytes(c) ? d.subarray(at, at + len) : null;
    model.frame(c, t, bytes, outbound, frame);
  }
}
