// createWriter(): pcap or pcapng output to a file or stdout ("-"). Records are encoded into one
// large buffer (sink.ts) and written with synchronous writes a chunk at a time; close() flushes.
//   pcap:   one link type per file (a record of another link type is a CaptureWriteError);
//           microsecond magic, or nanosecond with `nanosecond`.
//   pcapng: SHB (shb_userappl "arpx x.y", optional comment), one IDB per interface (if_tsresol 6
//           or 9), EPBs (opt_comment, epb_flags), ISBs from writeInterfaceStats(). Records read
//           from Simple Packet Blocks (no time) are written as SPBs when they fit one.
// Interfaces are written as the records need them, so a reader's growing `interfaces` list can be
// passed straight in.
import { createRequire } from "node:module";
import { emitPcapHeader, emitPcapRecord, MAX_PACKET } from "./pcap.js";
import { emitEPB, emitIDB, emitISB, emitSHB, emitSPB, fitsSPB } from "./pcapng.js";
import { ByteSink } from "./sink.js";
import { MICRO, NANO, type TickScale } from "./timestamps.js";
import { CaptureWriteError, type CaptureRecord, type InterfaceInfo, type InterfaceStats } from "./types.js";

export interface CaptureWriter {
  writePacket(rec: CaptureRecord): void;
  /** pcapng only: an Interface Statistics Block for interface `ifIndex`. */
  writeInterfaceStats?(ifIndex: number, s: InterfaceStats): void;
  /** Pushes buffered bytes to the OS now (e.g. for a live pipe). */
  flush(): void;
  close(): Promise<void>;
  readonly packetsWritten: number;
}

export interface WriterOptions {
  format: "pcap" | "pcapng";
  interfaces: InterfaceInfo[];
  /** pcapng section comment. */
  comment?: string | undefined;
  /** pcapng shb_userappl (default "arpx <version>"). */
  application?: string | undefined;
  /** Nanosecond timestamps (pcap ns magic, pcapng if_tsresol 9); default microseconds. */
  nanosecond?: boolean | undefined;
  /** Big-endian output (default little-endian); for tests and odd consumers. */
  bigEndian?: boolean | undefined;
  /** Name for error messages (default the path, "stdout" for "-"). */
  displayName?: string | undefined;
}

/** "arpx x.y.z" from package.json. */
export const APPLICATION = (() => {
  try {
    const pkg = createRequire(import.meta.url)("../../package.json") as { name?: string; version?: string };
    return `${pkg.name ?? "arpx"} ${pkg.version ?? ""}`.trim();
  } catch {
    return "arpx";
  }
})();

/** Output format by file extension: .pcap/.cap/.dmp are classic pcap, everything else pcapng. */
export function formatFromPath(path: string): "pcap" | "pcapng" {
  return /\.(pcap|cap|dmp)$/i.test(path) ? "pcap" : "pcapng";
}

export function createWriter(path: string, opts: WriterOptions): CaptureWriter {
  const sink = ByteSink.open(path, opts.displayName ?? (path === "-" ? "stdout" : path));
  try {
    return opts.format === "pcap" ? new PcapWriter(sink, opts) : new PcapngWriter(sink, opts);
  } catch (e) {
    sink.close();
    throw e;
  }
}

class PcapWriter implements CaptureWriter {
  packetsWritten = 0;
  private linkType = -1;
  private readonly le: boolean;
  private readonly ns: boolean;

  constructor(private readonly sink: ByteSink, private readonly opts: WriterOptions) {
    this.le = !opts.bigEndian;
    this.ns = opts.nanosecond ?? false;
    const first = opts.interfaces[0];
    if (first !== undefined) this.header(first);
  }

  private header(info: InterfaceInfo): void {
    this.linkType = info.linkType;
    const fcs = info.fcsLen !== undefined && info.fcsLen > 0 && info.fcsLen <= 30 ? 0x04000000 | ((info.fcsLen >>> 1) << 28) : 0;
    emitPcapHeader(this.sink, {
      le: this.le, ns: this.ns, major: 2, minor: 4,
      snapLen: info.snapLen > 0 ? info.snapLen : MAX_PACKET, network: ((info.linkType & 0x03ffffff) | fcs) >>> 0,
    });
  }

  writePacket(rec: CaptureRecord): void {
    if (this.linkType < 0) this.header(this.opts.interfaces[rec.ifIndex] ?? { linkType: rec.linkType, snapLen: 0 });
    if (rec.linkType !== this.linkType) {
      throw new CaptureWriteError(this.sink.name,
        `packet ${this.packetsWritten + 1} has link type ${rec.linkType}, but a pcap file holds one link type (${this.linkType}); write pcapng instead`);
    }
    emitPcapRecord(this.sink, rec, this.ns, this.le);
    this.packetsWritten++;
  }

  flush(): void {
    this.sink.flush();
  }

  async close(): Promise<void> {
    if (this.linkType < 0) this.header({ linkType: 1, snapLen: 0 });
    this.sink.close();
  }
}

class PcapngWriter implements CaptureWriter {
  packetsWritten = 0;
  /** Link type and snaplen of each IDB written so far. */
  private readonly linkTypes: number[] = [];
  private readonly snapLens: number[] = [];
  private readonly le: boolean;
  private readonly scale: TickScale;

  private get written(): number {
    return this.linkTypes.length;
  }

  constructor(private readonly sink: ByteSink, private readonly opts: WriterOptions) {
    this.le = !opts.bigEndian;
    this.scale = opts.nanosecond ? NANO : MICRO;
    emitSHB(sink, this.le, {
      comments: opts.comment !== undefined ? [opts.comment] : undefined,
      userAppl: opts.application ?? APPLICATION,
    });
    this.addInterfaces(opts.interfaces.length - 1, undefined);
  }

  /** IDBs for every interface up to `last`; unknown ones take the record's link type. */
  private addInterfaces(last: number, rec: CaptureRecord | undefined): void {
    while (this.written <= last) {
      const info = this.opts.interfaces[this.written] ?? { linkType: rec?.linkType ?? 1, snapLen: 0 };
      emitIDB(this.sink, this.le, info, this.scale);
      this.linkTypes.push(info.linkType);
      this.snapLens.push(info.snapLen);
    }
  }

  writePacket(rec: CaptureRecord): void {
    const idx = rec.ifIndex;
    if (!(idx >= 0 && Number.isInteger(idx))) throw new CaptureWriteError(this.sink.name, `packet ${this.packetsWritten + 1} has no valid interface index (${idx})`);
    if (idx >= this.written) this.addInterfaces(idx, rec);
    if (this.linkTypes[idx] !== rec.linkType) {
      throw new CaptureWriteError(this.sink.name,
        `packet ${this.packetsWritten + 1} has link type ${rec.linkType}, but its interface ${idx} has link type ${this.linkTypes[idx]}`);
    }
    // a record without time (read from an SPB) stays an SPB when it can
    if (rec.noTimestamp && fitsSPB(rec, this.snapLens[0]!)) emitSPB(this.sink, this.le, rec);
    else emitEPB(this.sink, this.le, rec, idx, this.scale);
    this.packetsWritten++;
  }

  writeInterfaceStats(ifIndex: number, s: InterfaceStats): void {
    if (ifIndex >= this.written) this.addInterfaces(ifIndex, undefined);
    emitISB(this.sink, this.le, ifIndex, s, this.scale);
  }

  flush(): void {
    this.sink.flush();
  }

  async close(): Promise<void> {
    this.sink.close();
  }
}
