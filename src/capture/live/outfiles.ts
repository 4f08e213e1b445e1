// Where a live capture saves its packets: one file, or a ring buffer of files (-b) named as
// dumpcap/tshark name them: PREFIX_NNNNN_YYYYMMDDhhmmss.EXT (number from 1, local time the file
// was opened). A file is switched after the packet that brings it to `filesizeKB` kB (1 kB =
// 1000 bytes, as dumpcap counts) or when it has been open `durationSec` seconds; with `files` N
// only the newest N files are kept. Every pcapng file ends with an Interface Statistics Block
// carrying libpcap's counters at the moment it was closed.
import { rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createWriter, type CaptureWriter } from "../write.js";
import type { CaptureRecord, InterfaceInfo, InterfaceStats } from "../types.js";

export interface RingOptions {
  filesizeKB?: number | undefined;
  durationSec?: number | undefined;
  files?: number | undefined;
}

export interface OutputOptions {
  format: "pcap" | "pcapng";
  interfaces: InterfaceInfo[];
  nanosecond: boolean;
  ring?: RingOptions | undefined;
  /** Counters to put in each file's closing ISB (null: none known). */
  statsNow: () => InterfaceStats | null;
  /** Called with each file name as it is opened. */
  onFile?: ((path: string) => void) | undefined;
  /** Wall clock (ms), for tests. */
  now?: () => number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** PREFIX_NNNNN_YYYYMMDDhhmmss.EXT for `path` (dumpcap's ring-buffer names). */
export function ringFileName(path: string, n: number, when: Date): string {
  const base = basename(path);
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : "";
  const ts = `${when.getFullYear()}${pad(when.getMonth() + 1)}${pad(when.getDate())}${pad(when.getHours())}${pad(when.getMinutes())}${pad(when.getSeconds())}`;
  return join(dirname(path), `${stem}_${pad(n, 5)}_${ts}${ext}`);
}

export class CaptureOutput {
  /** Every file opened, in order (ring files deleted since included). */
  readonly opened: string[] = [];
  /** Files on disk now. */
  readonly kept: string[] = [];
  /** Packets written, all files together. */
  packetsWritten = 0;
  private w: CaptureWriter | null = null;
  private current = "";
  private inFile = 0;
  private bytes = 0;
  private openedAt = 0;
  private seq = 0;
  private failure: unknown = null;
  private readonly now: () => number;
  private readonly limitBytes: number;
  private readonly limitMs: number;

  constructor(readonly path: string, private readonly o: OutputOptions) {
    this.now = o.now ?? Date.now;
    this.limitBytes = o.ring?.filesizeKB !== undefined ? o.ring.filesizeKB * 1000 : Infinity;
    this.limitMs = o.ring?.durationSec !== undefined ? o.ring.durationSec * 1000 : Infinity;
    this.open();
  }

  get isRing(): boolean {
    return this.o.ring !== undefined;
  }

  private open(): void {
    const t = this.now();
    this.seq++;
    const name = this.isRing ? ringFileName(this.path, this.seq, new Date(t)) : this.path;
    this.w = createWriter(name, { format: this.o.format, interfaces: this.o.interfaces, nanosecond: this.o.nanosecond });
    this.current = name;
    this.inFile = 0;
    this.openedAt = t;
    this.opened.push(name);
    this.kept.push(name);
    // headers: their real size (one stat per file)
    if (name !== "-") {
      this.w.flush();
      try {
        this.bytes = statSync(name).size;
      } catch {
        this.bytes = 0;
      }
    }
    const max = this.o.ring?.files;
    if (max !== undefined && max > 0) {
      while (this.kept.length > max) rmSync(this.kept.shift()!, { force: true });
    }
    this.o.onFile?.(name);
  }

  writePacket(r: CaptureRecord): void {
    if (this.failure !== null) throw this.failure;
    if (this.w === null) return;
    this.w.writePacket(r);
    this.packetsWritten++;
    this.inFile++;
    const cap = r.data.length;
    this.bytes += this.o.format === "pcap" ? 16 + cap : 32 + ((cap + 3) & ~3);
    if (this.bytes >= this.limitBytes) this.rotate();
  }

  /** Time-based switching; call a few times a second. */
  tick(): void {
    if (this.w !== null && this.now() - this.openedAt >= this.limitMs) this.rotate();
  }

  /** Pushes buffered packets to the file now. */
  flush(): void {
    this.w?.flush();
  }

  private async closeCurrent(final: InterfaceStats | null): Promise<void> {
    const w = this.w;
    if (w === null) return;
    this.w = null;
    if (this.o.format === "pcapng" && w.writeInterfaceStats !== undefined) {
      const s = final ?? this.o.statsNow();
      const note = `arpx capture: ${this.inFile} packets written to this file${this.isRing ? `, ${this.packetsWritten} in all` : ""}`;
      w.writeInterfaceStats(0, { ...(s ?? {}), comments: [...(s?.comments ?? []), note] });
    }
    await w.close();
  }

  private rotate(): void {
    // the writers close synchronously (the promise is only their signature): no packet slips in
    // between; a failure to close is thrown by the next write or by close()
    this.closeCurrent(null).catch((e: unknown) => {
      this.failure ??= e;
    });
    this.open();
  }

  /** Closes the last file with the final counters. */
  async close(final: InterfaceStats | null): Promise<void> {
    await this.closeCurrent(final);
    if (this.failure !== null) throw this.failure;
  }

  get currentFile(): string {
    return this.current;
  }
}
