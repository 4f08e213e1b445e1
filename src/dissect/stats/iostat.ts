// Frames and bytes per time interval from the first packet, as `tshark -z io,stat,SECONDS`.
import type { Packet } from "../packet.js";

export class IoStat {
  private readonly frames: number[] = [];
  private readonly bytes: number[] = [];
  private firstSec = NaN;
  private firstNsec = 0;

  constructor(readonly interval: number) {
    if (!(interval > 0)) throw new Error("interval must be positive");
  }

  add(p: Packet): void {
    if (Number.isNaN(this.firstSec)) {
      this.firstSec = p.tsSec;
      this.firstNsec = p.tsNsec;
    }
    const rel = p.tsSec - this.firstSec + (p.tsNsec - this.firstNsec) / 1e9;
    const i = Math.max(0, Math.floor(rel / this.interval + 1e-9));
    while (this.frames.length <= i) {
      this.frames.push(0);
      this.bytes.push(0);
    }
    this.frames[i]!++;
    this.bytes[i]! += p.wireLen;
  }

  rows(): { start: number; end: number; frames: number; bytes: number }[] {
    return this.frames.map((f, i) => ({ start: i * this.interval, end: (i + 1) * this.interval, frames: f, bytes: this.bytes[i]! }));
  }
}
