// The writers' output: records are encoded into one large buffer and written with synchronous
// fs writes a chunk at a time (no syscall per packet). The mirror of source.ts.
import { closeSync, openSync, writeSync } from "node:fs";
import { CaptureWriteError } from "./types.js";

const CHUNK = 1 << 20;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class ByteSink {
  buf: Uint8Array = new Uint8Array(CHUNK);
  dv: DataView = new DataView(this.buf.buffer);
  /** Next free byte in buf. */
  pos = 0;
  /** Bytes handed to the OS so far. */
  written = 0;
  private closed = false;

  private constructor(readonly name: string, private readonly fd: number, private readonly ownsFd: boolean) {}

  /** "-" is stdout (left open on close). */
  static open(path: string, displayName: string): ByteSink {
    if (path === "-") return new ByteSink(displayName, 1, false);
    try {
      return new ByteSink(displayName, openSync(path, "w"), true);
    } catch (e) {
      throw new CaptureWriteError(displayName, `cannot create: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Makes room for n bytes at buf[pos]; returns pos. The caller advances pos itself. */
  reserve(n: number): number {
    if (this.closed) throw new CaptureWriteError(this.name, "write after close");
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.buf = new Uint8Array(n);
        this.dv = new DataView(this.buf.buffer);
      }
    }
    return this.pos;
  }

  /** Copies bytes in (through the buffer). */
  put(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    this.pos = at + b.length;
  }

  flush(): void {
    if (this.pos === 0) return;
    const b = this.buf.subarray(0, this.pos);
    let off = 0;
    while (off < b.length) {
      try {
        off += writeSync(this.fd, b, off, b.length - off);
      } catch (e) {
        // stdout may be a non-blocking pipe: wait for the reader instead of failing
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
          Atomics.wait(sleepCell, 0, 0, 1);
          continue;
        }
        this.pos = 0;
        throw new CaptureWriteError(this.name, `write failed: ${(e as Error).message}`, { cause: e });
      }
    }
    this.written += b.length;
    this.pos = 0;
    if (this.buf.length > CHUNK) {
      this.buf = new Uint8Array(CHUNK);
      this.dv = new DataView(this.buf.buffer);
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      if (this.ownsFd) closeSync(this.fd);
    }
  }
}
