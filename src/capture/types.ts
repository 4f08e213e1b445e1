// What capture readers produce and writers consume. `capture` moves bytes and timestamps; it
// never parses protocols.
//
// Layout of src/capture:
//   types.ts           these shapes and the two error classes
//   source.ts          byte sources (file, stdin) read in large chunks; sink.ts the mirror for output
//   gzip.ts            transparent gunzip, and clear errors for other compressions
//   reader.ts          the chunk buffer every reader shares: fill(), growth, truncation errors
//   timestamps.ts      exact tick <-> (seconds, nanoseconds) conversions, both directions
//   pcap.ts            classic pcap: header and record parse + emit side by side
//   pcapng.ts          pcapng blocks: parse + emit side by side
//   pcapng-options.ts  the option tables both directions share
//   open.ts            openCapture(): format detection by magic
//   write.ts           createWriter(), formatFromPath()

/**
 * One captured frame. `data` is a view into the reader's chunk buffer and the record object itself
 * is reused by the reader: both stay valid only until the reader's next next()/fill() call. Copy
 * what you keep (`{ ...r, data: r.data.slice() }`).
 */
export interface CaptureRecord {
  data: Uint8Array;
  /** Length on the wire; normally >= data.length (a lying file may say less; passed through as tshark does). */
  wireLen: number;
  /** Whole seconds since the epoch (may be negative or beyond 2^32 in odd files). */
  tsSec: number;
  /**
   * Nanoseconds within the second, normally 0..999999999. A classic pcap whose fraction field is
   * out of range passes it through as Wireshark does (as a signed 32-bit value, e.g. 1000000000 or
   * -2147483648), so the time prints as tshark prints it; writers normalise such values.
   */
  tsNsec: number;
  /** pcap LINKTYPE_* of the interface the frame arrived on. */
  linkType: number;
  /**
   * Index into the reader's `interfaces` (file-wide: pcapng sections append to the same list).
   * tshark's frame.interface_id is the section-local id: `interfaces[ifIndex].idInSection`.
   */
  ifIndex: number;
  /** The record's (first) comment: pcapng opt_comment. */
  comment?: string | undefined;
  /** Further opt_comments when a block has several (rare); writers write them after `comment`. */
  moreComments?: string[] | undefined;
  /** pcapng Simple Packet Blocks carry no time: tsSec/tsNsec are 0 and tshark prints no frame.time_*. */
  noTimestamp?: boolean | undefined;
  /** pcapng epb_flags (direction, reception type, FCS length, errors) when the block has them. */
  packetFlags?: number | undefined;
}

export interface InterfaceInfo {
  linkType: number;
  snapLen: number;
  name?: string | undefined;
  description?: string | undefined;
  /** Timestamp resolution as written in the file: decimal digits (6, 9) or binary (2^-n). */
  tsResol?: { base: 10 | 2; exp: number } | undefined;
  /** pcapng if_tsoffset, seconds already added to every record's tsSec. */
  tsOffset?: number | undefined;
  /** FCS bytes at the end of each frame (pcapng if_fcslen, pcap link-type FCS bits). */
  fcsLen?: number | undefined;
  /** pcapng if_filter when it is a filter string. */
  filter?: string | undefined;
  os?: string | undefined;
  hardware?: string | undefined;
  /** if_speed in bits/s. */
  speed?: number | bigint | undefined;
  comments?: string[] | undefined;
  /** pcapng section this interface belongs to (0-based; tshark's frame.section_number is this + 1). */
  section?: number | undefined;
  /** Interface id within its section (tshark's frame.interface_id). */
  idInSection?: number | undefined;
}

/** One pcapng Section Header Block (a pcap file reports a single pseudo-section). */
export interface SectionInfo {
  byteOrder: "le" | "be";
  /** "1.0" for pcapng, "2.4" for pcap. */
  version: string;
  /** Byte offset of the section header in the (decompressed) file. */
  offset: number;
  comments: string[];
  hardware?: string | undefined;
  os?: string | undefined;
  userAppl?: string | undefined;
}

/** pcapng Interface Statistics Block contents (also what writers accept). Counters are u64. */
export interface InterfaceStats {
  ifRecv?: number | bigint | undefined;
  ifDrop?: number | bigint | undefined;
  osDrop?: number | bigint | undefined;
  filterAccept?: number | bigint | undefined;
  usrDeliv?: number | bigint | undefined;
  startSec?: number | undefined;
  startNsec?: number | undefined;
  endSec?: number | undefined;
  endNsec?: number | undefined;
  comments?: string[] | undefined;
}

/** One pcapng Name Resolution Block record. */
export interface NameRecord {
  kind: "ipv4" | "ipv6" | "eui48" | "eui64";
  addr: Uint8Array;
  names: string[];
}

/**
 * A streaming capture reader. Consumer loop:
 *   for (;;) { let r; while ((r = reader.next()) !== null) handle(r); if (!(await reader.fill())) break; }
 * Memory stays constant whatever the file size; promises are per chunk, never per record.
 */
export interface CaptureReader {
  readonly format: "pcap" | "pcapng";
  readonly path: string;
  /** Grows as pcapng IDBs arrive (all sections in one list); a pcap file has one entry. */
  readonly interfaces: InterfaceInfo[];
  /** SHB comments of every section, in order. */
  readonly sectionComments: string[];
  /** The first section's header (pcapng), or the pcap file header's facts. */
  readonly section: SectionInfo;
  readonly sections: SectionInfo[];
  /** Name Resolution Block records seen so far. */
  readonly names: NameRecord[];
  /** Byte offset (in the decompressed file) of the next unread block or record. */
  readonly offset: number;
  /** Synchronous; null means call fill() (or the input has ended). Throws CaptureFileError. */
  next(): CaptureRecord | null;
  /** Reads more input; false at end of input. Throws CaptureFileError on a truncated file. */
  fill(): Promise<boolean>;
  close(): Promise<void>;
  /** From pcapng Interface Statistics Blocks, keyed by ifIndex; a later ISB updates the fields it carries. */
  readonly stats: { interfaceStats: Map<number, InterfaceStats> };
}

/** A capture file problem: the message names the file and byte offset of the damage. */
export class CaptureFileError extends Error {
  /** offset < 0: the problem has no position (the file cannot be opened); the message omits it. */
  constructor(readonly file: string, readonly offset: number, readonly detail: string, options?: { cause?: unknown }) {
    super(offset >= 0 ? `${file}: ${detail} (at byte offset ${offset})` : `${file}: ${detail}`, options);
    this.name = "CaptureFileError";
  }
}

/** A record or option a writer cannot represent in the chosen format, or an output error. */
export class CaptureWriteError extends Error {
  constructor(readonly file: string, readonly detail: string, options?: { cause?: unknown }) {
    super(`${file}: ${detail}`, options);
    this.name = "CaptureWriteError";
  }
}
