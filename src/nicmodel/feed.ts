// From capture records to model frames: timestamps to model time, classification, direction.
// Kept apart from the CLI so tests (and other commands) can drive the model with records.
import type { CaptureRecord } from "../capture/types.js";
import { classify, Classified } from "./classify.js";
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
  }

  feed(r: CaptureRecord): void {
    const d = r.data;
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
    classify(c, d, d.length, r.linkType);
    const bytes = r.wireLen > d.length ? r.wireLen : d.length;
    const outbound = r.packetFlags !== undefined && (r.packetFlags & 3) === 2;
    this.model.frame(c, t, bytes, outbound, d);
  }
}
