// Byte sources for the readers: read(buf, off, len) fills part of a caller's buffer with the next
// bytes and resolves to how many arrived (0 at end of input). One promise per chunk, never per
// record. A plain file is read straight into the reader's buffer; streams (stdin, gunzip) are
// copied from their chunks.
import { fstatSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

/** A source failure worth showing as is (e.g. damaged gzip data); other failures get "read error". */
export class SourceError extends Error {
  override name = "SourceError";
}

export interface ByteSource {
  read(buf: Uint8Array, off: number, len: number): Promise<number>;
  /**
   * A read always completes promptly (a regular file), so a reader may keep one in flight ahead of
   * need. Not so for pipes and terminals: a read there can wait for the writer indefinitely.
   */
  readonly readAhead?: boolean | undefined;
  close(): Promise<void>;
}

/** A regular file (or anything fs can read sequentially), read at its current position. */
export class FileSource implements ByteSource {
  constructor(readonly fh: FileHandle, readonly readAhead = false) {}

  /** Opens a path; a regular file is read ahead (see ByteSource.readAhead), a FIFO or device is not. */
  static async open(path: string): Promise<FileSource> {
    const fh = await open(path, "r");
    let regular = false;
    try {
      regular = fstatSync(fh.fd).isFile();
    } catch {
      // unknown: read it as a stream
    }
    return new FileSource(fh, regular);
  }

  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    const { bytesRead } = await this.fh.read(buf, off, len, null);
    return bytesRead;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/**
 * An async iterator of chunks (a Node stream, a gunzip pipeline). A failure of the underlying
 * stream is held back while copied bytes remain, so every good byte before it is delivered first.
 */
export class IterSource implements ByteSource {
  private chunk: Uint8Array | null = null;
  private at = 0;
  private done = false;
  private failure: unknown = null;

  constructor(private readonly it: AsyncIterator<Uint8Array | string>, private readonly onClose?: () => void) {}

  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    let n = 0;
    while (n < len) {
      if (this.chunk === null || this.at >= this.chunk.length) {
        if (this.done) break;
        if (this.failure !== null) break;
        if (n > 0) break; // hand over what we have; do not wait for more
        try {
          const r = await this.it.next();
          if (r.done) {
            this.done = true;
            break;
          }
          this.chunk = typeof r.value === "string" ? Buffer.from(r.value) : r.value;
          this.at = 0;
        } catch (e) {
          this.failure = e;
          break;
        }
        continue;
      }
      const take = Math.min(len - n, this.chunk.length - this.at);
      buf.set(this.chunk.subarray(this.at, this.at + take), off + n);
      this.at += take;
      n += take;
    }
    if (n === 0 && this.failure !== null) {
      const f = this.failure;
      this.failure = null;
      this.done = true;
      throw f;
    }
    return n;
  }

  async close(): Promise<void> {
    this.done = true;
    this.chunk = null;
    try {
      await this.it.return?.();
    } catch {
      // closing a failed stream can rethrow its error; the reader has reported it already
    }
    this.onClose?.();
  }
}

/** stdin as a source (it ends the process's interest in stdin when closed). */
export function stdinSource(): IterSource {
  const it = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  return new IterSource(it);
}
