// Buffered standard output: packets are printed by the hundred thousand, so lines are joined
// into large chunks before each write. A closed pipe (`arpx read ... | head`) ends the run quietly.
import { writeSync } from "node:fs";

export class Out {
  private buf = "";
  closed = false;

  constructor(private readonly fd = 1, private readonly limit = 1 << 16) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= this.limit) this.flush();
  }

  line(s: string): void {
    this.buf += s;
    this.buf += "\n";
    if (this.buf.length >= this.limit) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0 || this.closed) {
      this.buf = "";
      return;
    }
    const data = Buffer.from(this.buf, "utf8");
    this.buf = "";
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue;
        if (code === "EPIPE") {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}

/** Errors the user should see as one line, with the exit status to use. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export function errorLine(msg: string): void {
  process.stderr.write(`arpx: ${msg}\n`);
}
