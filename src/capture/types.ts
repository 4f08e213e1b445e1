// What capture readers produce and writers consume. `capture` moves bytes and timestamps; it
// never parses protocols.

/** One captured frame. `data` is a view that stays valid only until the reader's next call. */
export interface CaptureRecord {
  data: Uint8Array;
  /** Length on the wire; >= data.length when the snaplen cut the frame. */
  wireLen: number;
  /** Whole seconds since the epoch (may be negative or beyond 2^32 in odd files). */
  tsSec: number;
  /** Nanoseconds within the second, 0..999999999. */
  tsNsec: number;
  /** pcap LINKTYPE_* of the interface the frame arrived on. */
  linkType: number;
  /** Interface index within the file (pcapng), 0 for pcap. */
  ifIndex: number;
  comment?: string | undefined;
}

export interface InterfaceInfo {
  linkType: number;
  snapLen: number;
  name?: string | undefined;
  description?: string | undefined;
  /** Timestamp resolution as written in the file: decimal digits (6, 9) or binary (2^-n). */
  tsResol?: { base: 10 | 2; exp: number } | undefined;
}

/** A capture file problem: the message names the file and byte offset of the damage. */
export class CaptureFileError extends Error {
  constructor(readonly file: string, readonly offset: number, readonly detail: string) {
    super(`${file}: ${detail} (at byte offset ${offset})`);
    this.name = "CaptureFileError";
  }
}
