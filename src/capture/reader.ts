// The chunk buffer every reader shares. The format parsers (pcap.ts, pcapng.ts) read records
// synchronously from buf[pos, end); when a record is incomplete they note how many bytes they
// need and return null, and fill() moves the unread tail to the front and reads the next chunk.
// The buffer grows only for one oversized block (up to MAX_BLOCK) and shrinks back afterwards, so
// memory stays constant whatever the file size.
import { CaptureFileError } from "./types.js";
import { SourceError, type ByteSource } from "./source.js";

/** Size of one read. */
export const CHUNK = 1 << 20;
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
  private err: CaptureFileError | null = null;
  private closed = false;

  constructor(readonly path: string, readonly name: string, private readonly src: ByteSource, primed: Primed) {
    this.buf = primed.buf;
    this.end = primed.end;
    this.eof = primed.eof;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Byte offset of the next unread block or record. */
  get offset(): number {
    return this.base + this.pos;
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
    const left = this.end - this.pos;
    if (this.eof) {
      if (left === 0) return false;
      if (left >= this.need) return true; // the caller has not drained next() yet
      this.fail(this.base + this.pos, this.truncated());
    }
    this.makeRoom(left);
    if (this.end === this.buf.length) return true; // full of unread records
    let n: number;
    try {
      n = await this.src.read(this.buf, this.end, this.buf.length - this.end);
    } catch (e) {
      const msg = e instanceof SourceError ? e.message : `read error: ${e instanceof Error ? e.message : String(e)}`;
      const err = new CaptureFileError(this.name, this.base + this.end, msg, { cause: e });
      this.err = err;
      throw err;
    }
    if (n === 0) {
      this.eof = true;
      return this.fill();
    }
    this.end += n;
    return true;
  }

  /** Moves the unread tail to the front, growing the buffer for an oversized block or shrinking it after one. */
  private makeRoom(left: number): void {
    const want = Math.max(this.need, left);
    let size = this.buf.length;
    if (want > size) size = Math.min(MAX_BLOCK + CHUNK, Math.max(want, size * 2));
    else if (size > CHUNK && want <= CHUNK / 2) size = CHUNK;
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
    await this.src.close();
  }
}
