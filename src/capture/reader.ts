// The chunk buffer every reader shares. The format parsers (pcap.ts, pcapng.ts) read records
// synchronously from buf[pos, end); when a record is incomplete they note how many bytes they
// need and return null, and fill() brings the next chunk, with the unread tail moved in front of
// it. The buffer grows only for one oversized block (up to MAX_BLOCK) and shrinks back afterwards,
// so memory stays constant whatever the file size.
//
// Read-ahead (regular files): two buffers. While the consumer parses one, the next chunk is
// already being read into the other, behind HEAD bytes of room; fill() waits for that read, puts
// the unread tail (an incomplete record, normally a few bytes) just before the new bytes, swaps
// the buffers and starts the following read. So file reads overlap parsing, and nothing moves but
// the tail. A tail longer than HEAD (a huge record in progress) takes the plain path: one growing
// buffer. Streams (stdin, gunzip, a live capture's pipe) are read directly, one chunk per fill():
// a read left pending on a pipe could wait forever.
import { CaptureFileError, type CaptureRecord } from "./types.js";
import { SourceError, type ByteSource } from "./source.js";

/** Size of one read. */
export const CHUNK = 1 << 20;
/** Room in front of each read-ahead chunk for the previous chunk's unread tail. */
const HEAD = 1 << 18;
/** Size of a read-ahead buffer (open.ts sniffs into one, so it is the first). */
export const AHEAD_SIZE = HEAD + CHUNK;
/** Largest block or record we accept; a longer one is a lie (or not worth holding in memory). */
export const MAX_BLOCK = 256 * 1024 * 1024;

/** What open.ts has read while sniffing the magic: handed over so no byte is read twice. */
export interface Primed {
  buf: Uint8Array;
  end: number;
  eof: boolean;
}

export abstract class BufferedReader {
  protected buf: Uint8Array;
  protected dv: DataView;
  /** Next unread byte in buf. */
  protected pos = 0;
  /** End of valid bytes in buf. */
  protected end: number;
  /** File offset of buf[0]. */
  protected base = 0;
  protected eof: boolean;
  /** Bytes from pos the parser needs before it can go on (set when next() returns null). */
  protected need = 0;
  /**
   * After nextRaw() returned a record: its captured bytes are bytes[rawAt, rawAt + rawLen) (see
   * nextRaw()).
   */
  rawAt = 0;
  rawLen = 0;
  private err: CaptureFileError | null = null;
  private closed = false;
  /** Read-ahead: the buffer being filled (at HEAD) while buf is parsed; null for streams. */
  private spare: Uint8Array | null = null;
  /** The read in flight into spare: bytes read, or -1 after a failure (in readFailure). */
  private pending: Promise<number> | null = null;
  /** File offset the pending read started at. */
  private pendingOff = 0;
  private readFailure: unknown = null;

  constructor(readonly path: string, readonly name: string, private readonly src: ByteSource, primed: Primed) {
    this.buf = primed.buf;
    this.end = primed.end;
    this.eof = primed.eof;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    if (src.readAhead === true) {
      this.spare = new Uint8Array(AHEAD_SIZE);
      if (!this.eof) this.readAhead();
    }
  }

  /** Byte offset of the next unread block or record. */
  get offset(): number {
    return this.base + this.pos;
  }

  /**
   * Like next(), without the per-record `data` view (for hot loops that read bytes in place): the
   * record's captured bytes are `bytes[rawAt, rawAt + rawLen)`; `data` is left as it was. Valid,
   * like next()'s record, until the next next()/nextRaw()/fill().
   */
  abstract nextRaw(): CaptureRecord | null;

  /** Synchronous; null means call fill() (or the input has ended). Throws CaptureFileError. */
  next(): CaptureRecord | null {
    const r = this.nextRaw();
    if (r !== null) r.data = this.buf.subarray(this.rawAt, this.rawAt + this.rawLen);
    return r;
  }

  /** The buffer nextRaw()'s offsets refer to (changes only in fill()). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Describes the incomplete bytes at pos when the input ends there. */
  protected abstract truncated(): string;

  /** Throws (and remembers, so later calls throw the same) a CaptureFileError at file offset `off`. */
  protected fail(off: number, detail: string): never {
    const e = new CaptureFileError(this.name, off, detail);
    this.err = e;
    throw e;
  }

  /** For next(): rethrows an earlier failure. */
  protected checkFailed(): void {
    if (this.err !== null) throw this.err;
  }

  /** next() could not go on: it needs `n` bytes from pos. */
  protected wait(n: number): null {
    this.need = n;
    return null;
  }

  async fill(): Promise<boolean> {
    if (this.err !== null) throw this.err;
    if (this.closed) return false;
    if (this.eof) {
      const left = this.end - this.pos;
      if (left === 0) return false;
      if (left >= this.need) return true; // the caller has not drained next() yet
      this.fail(this.base + this.pos, this.truncated());
    }
    if (this.pending !== null) return this.takeAhead();
    const left = this.end - this.pos;
    this.makeRoom(left);
    if (this.end === this.buf.length) return true; // full of unread records
    let n: number;
    try {
      n = await this.src.read(this.buf, this.end, this.buf.length - this.end);
    } catch (e) {
      this.readError(e, this.base + this.end);
    }
    if (n === 0) {
      this.eof = true;
      return this.fill();
    }
    this.end += n;
    return true;
  }

  /** Starts reading the next chunk into spare, behind HEAD bytes of room. */
  private readAhead(): void {
    this.pendingOff = this.base + this.end;
    this.pending = this.src.read(this.spare!, HEAD, CHUNK).then(
      (n) => n,
      (e: unknown) => {
        this.readFailure = e;
        return -1;
      },
    );
  }

  /** fill() with a read in flight: joins its bytes to the unread tail. */
  private async takeAhead(): Promise<boolean> {
    const n = await this.pending!;
    this.pending = null;
    if (this.closed) return false;
    if (n < 0) this.readError(this.readFailure, this.pendingOff);
    if (n === 0) {
      this.eof = true;
      return this.fill();
    }
    const spare = this.spare!;
    const left = this.end - this.pos;
    if (left <= HEAD) {
      // the common case: the tail goes in front of the new bytes, and the buffers swap
      if (left > 0) spare.set(this.buf.subarray(this.pos, this.end), HEAD - left);
      const old = this.buf;
      this.buf = spare;
      this.dv = new DataView(spare.buffer, spare.byteOffset, spare.byteLength);
      this.base = this.pendingOff - HEAD;
      this.pos = HEAD - left;
      this.end = HEAD + n;
      // a buffer grown for an oversized block (or the sniffing buffer) is replaced by a standard one
      this.spare = old.length === AHEAD_SIZE ? old : new Uint8Array(AHEAD_SIZE);
    } else {
      // an oversized record in progress: append the new bytes to it in one growing buffer
      this.makeRoom(left, left + n);
      this.buf.set(spare.subarray(HEAD, HEAD + n), this.end);
      this.end += n;
    }
    this.readAhead();
    return true;
  }

  /** A read failed: a CaptureFileError at file offset `off`, remembered. */
  private readError(e: unknown, off: number): never {
    const msg = e instanceof SourceError ? e.message : `read error: ${e instanceof Error ? e.message : String(e)}`;
    const err = new CaptureFileError(this.name, off, msg, { cause: e });
    this.err = err;
    throw err;
  }

  /**
   * Moves the unread tail to the front, growing the buffer for an oversized block (to at least
   * `min` bytes) or shrinking it after one.
   */
  private makeRoom(left: number, min = 0): void {
    const want = Math.max(this.need, left, min);
    let size = this.buf.length;
    if (want > size) size = Math.min(MAX_BLOCK + CHUNK, Math.max(want, size * 2));
    else if (size > CHUNK && want <= CHUNK / 2 && this.spare === null) size = CHUNK;
    if (size !== this.buf.length) {
      const nb = new Uint8Array(size);
      nb.set(this.buf.subarray(this.pos, this.end));
      this.buf = nb;
      this.dv = new DataView(nb.buffer, nb.byteOffset, nb.byteLength);
    } else if (this.pos > 0 && left > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.end = left;
    this.pos = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // a read in flight finishes first (a file read never waits for long)
    if (this.pending !== null) await this.pending;
    this.pending = null;
    this.spare = null;
    await this.src.close();
  }
}

