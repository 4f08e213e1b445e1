// A progress bar on stderr for long replays, only when stderr is a terminal (never in pipes,
// files or CI logs). Throttled to ten redraws a second.
import { num } from "./format.js";
export class Progress {
  private last = 0;
  private drawn = false;
  readonly enabled: boolean;

  constructor(private readonly totalBytes: number | null, enabled = process.stderr.isTTY === true) {
    this.enabled = enabled;
  }

  update(bytes: number, frames: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const width = 30;
    let line: string;
    if (this.totalBytes !== null && this.totalBytes > 0) {
      const f = Math.min(1, bytes / this.totalBytes);
      const fill = Math.round(f * width);
      line = `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${(f * 100).toFixed(0).padStart(3)}%  ${num(frames)} frames`;
    } else {
      line = `${num(frames)} frames`;
    }
    process.stderr.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) process.stderr.write("\r\x1b[K");
    this.drawn = false;
  }
}
