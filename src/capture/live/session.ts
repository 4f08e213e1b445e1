// A live capture: a backend process captures with libpcap and streams pcapng to us, which we read
// with our own pcapng reader (stream.ts). Two backends:
//
//   arpx-pcap  our helper (native/arpx-pcap.c, built on first use: helper.ts). Nanosecond
//              timestamps, libpcap's counters every `statsMs` as ISBs (live drop figures), kernel
//              drops (isb_osdrop) and interface drops (isb_ifdrop) kept apart.
//   dumpcap    Wireshark's capture program, when the helper cannot be built. Nanosecond
//              timestamps too; counters only at the end (from its final report on stderr).
//
// Why not the `cap` binding: it hands JavaScript each packet's bytes and length only, no
// timestamp, no wire length and no pcap_stats() (see docs/live-capture.md); its per-packet
// callback into JavaScript is also what limits capture rates. `cap` still lists the interfaces.
//
// Stopping: stop() sends SIGTERM; the backend reads what the kernel already holds, writes its
// last statistics and exits, and the reader sees the end of the stream. Nothing read before the
// stop is lost. The backend shares our process group, so a terminal's Ctrl-C reaches it as well.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSource, type ByteSource } from "../source.js";
import { HelperExit, helperBinary } from "./helper.js";
import { interfaceNames, listInterfaces } from "./interfaces.js";
import { openStream, readHeaders, streamSource, type StreamReader } from "./stream.js";

export type BackendName = "arpx-pcap" | "dumpcap";

export interface LiveOptions {
  iface: string;
  /** Bytes kept of each packet (default: the whole packet, 262144). */
  snaplen?: number | undefined;
  /** Promiscuous mode (default true; -p turns it off). */
  promisc?: boolean | undefined;
  /** libpcap capture filter (BPF). */
  bpf?: string | undefined;
  /** Kernel capture buffer in KiB (default: libpcap's, 2 MiB). */
  bufferKiB?: number | undefined;
  /** The backend stops after this many packets. */
  count?: number | undefined;
  /** Statistics interval of the helper (ms). */
  statsMs?: number | undefined;
  backend?: BackendName | "auto" | undefined;
}

/** libpcap's counters as the backend last reported them (null: not reported). */
export interface LiveStats {
  /** Packets that passed the capture filter (Linux counts the dropped ones in). */
  received: number | null;
  /** Dropped by the kernel or the backend: no room in the capture buffer. */
  droppedKernel: number | null;
  /** Dropped by the interface or its driver before the capture saw them. */
  droppedInterface: number | null;
  /** Handed to arpx by the backend. */
  delivered: number | null;
  startSec?: number | undefined;
  startNsec?: number | undefined;
  endSec?: number | undefined;
  endNsec?: number | undefined;
  /** The backend's final figures (it has stopped). */
  final: boolean;
}

export type LiveErrorKind = "permission" | "no-device" | "filter" | "down" | "missing" | "backend";

/** Why a capture could not start (or failed): one line for the user, exit status 2. */
export class LiveCaptureError extends Error {
  override name = "LiveCaptureError";
  constructor(readonly kind: LiveErrorKind, message: string) {
    super(message);
  }
}

export const INSTALL_HINT =
  "install libpcap's development files and a C compiler for arpx's libpcap helper (apt-get install libpcap-dev gcc), or Wireshark's dumpcap (apt-get install tshark)";

function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

interface Chosen {
  backend: BackendName;
  bin: string;
}

function choose(want: BackendName | "auto"): Chosen {
  if (want === "dumpcap") {
    if (!onPath("dumpcap")) throw new LiveCaptureError("missing", "dumpcap is not installed: apt-get install tshark (it provides dumpcap), or use --backend arpx-pcap");
    return { backend: "dumpcap", bin: "dumpcap" };
  }
  const h = helperBinary();
  if ("path" in h) return { backend: "arpx-pcap", bin: h.path };
  if (want === "arpx-pcap") throw new LiveCaptureError("missing", `cannot build the libpcap helper: ${h.message}`);
  if (onPath("dumpcap")) return { backend: "dumpcap", bin: "dumpcap" };
  throw new LiveCaptureError("missing", `libpcap is not usable: ${h.message}; ${INSTALL_HINT}`);
}

function args(c: Chosen, o: LiveOptions, fifo: string | null): string[] {
  const a = ["-i", o.iface];
  if (c.backend === "arpx-pcap") {
    if (fifo !== null) a.push("-o", fifo);
    if (o.snaplen !== undefined) a.push("-s", String(o.snaplen));
    if (o.promisc === false) a.push("-p");
    if (o.bpf !== undefined && o.bpf !== "") a.push("-f", o.bpf);
    if (o.bufferKiB !== undefined) a.push("-B", String(o.bufferKiB));
    if (o.count !== undefined) a.push("-c", String(o.count));
    a.push("-S", String(o.statsMs ?? 1000));
    return a;
  }
  a.push("-w", "-", "-n", "-q");
  if (o.snaplen !== undefined) a.push("-s", String(o.snaplen));
  if (o.promisc === false) a.push("-p");
  if (o.bpf !== undefined && o.bpf !== "") a.push("-f", o.bpf);
  if (o.bufferKiB !== undefined) a.push("-B", String(Math.max(1, Math.ceil(o.bufferKiB / 1024))));
  if (o.count !== undefined) a.push("-c", String(o.count));
  return a;
}

export class LiveCapture {
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;
  private stderr = "";
  private stopped = false;
  /** dumpcap's final counters, parsed from its report. */
  private dumpcapStats: LiveStats | null = null;

  private constructor(
    readonly backend: BackendName,
    readonly bin: string,
    readonly iface: string,
    private readonly child: ChildProcess,
    private readonly filter: string | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      child.on("close", (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
      child.on("error", (e) => {
        this.stderr += `${e.message}\n`;
      });
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (s: string) => {
      if (this.stderr.length < 1 << 16) this.stderr += s;
    });
  }

  /** The reader over the backend's stream; set once start() returns. */
  reader!: StreamReader;

  /** Starts capturing; resolves once the backend has opened the interface. Throws LiveCaptureError. */
  static async start(o: LiveOptions): Promise<LiveCapture> {
    const c = choose(o.backend ?? "auto");
    // The helper writes to a FIFO that we read straight into the reader's buffer (a Node pipe
    // stream would copy every chunk once more); dumpcap writes to its standard output.
    const fifoDir = c.backend === "arpx-pcap" ? makeFifo() : null;
    const fifo = fifoDir !== null ? join(fifoDir, "stream") : null;
    const child = spawn(c.bin, args(c, o, fifo), { stdio: ["ignore", "pipe", "pipe"] });
    const lc = new LiveCapture(c.backend, c.bin, o.iface, child, o.bpf);
    let src: ByteSource;
    if (fifo !== null) {
      child.stdout!.resume();
      try {
        src = await openFifo(fifo, lc.exited);
      } finally {
        rmSync(fifoDir!, { recursive: true, force: true });
      }
    } else {
      src = streamSource(child.stdout!);
    }
    const name = `${c.backend} on ${o.iface}`;
    const reader = await openStream(src, name).catch(async (e) => {
      lc.stop();
      await lc.exited;
      throw e;
    });
    if (reader === null || !(await readHeaders(reader))) {
      await src.close();
      await lc.exited;
      throw lc.failure();
    }
    lc.reader = reader;
    return lc;
  }

  /** Timestamp precision the backend delivers, in decimal digits (9: nanoseconds). */
  get digits(): number {
    const r = this.reader.interfaces[0]?.tsResol;
    if (!r) return 6;
    return r.base === 10 ? r.exp : Math.ceil(r.exp * Math.log10(2));
  }

  /** Asks the backend to stop (idempotent). */
  stop(): void {
    if (this.stopped || this.exitCode !== null || this.exitSignal !== null) return;
    this.stopped = true;
    try {
      this.child.kill("SIGTERM");
    } catch {
      // already gone
    }
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  /** The latest counters (from the backend's last statistics block). */
  stats(): LiveStats {
    if (this.dumpcapStats !== null) return this.dumpcapStats;
    const s = this.reader?.stats.interfaceStats.get(0);
    const n = (v: number | bigint | undefined): number | null => (v === undefined ? null : Number(v));
    if (s === undefined) return { received: null, droppedKernel: null, droppedInterface: null, delivered: null, final: false };
    const out: LiveStats = {
      received: n(s.ifRecv),
      droppedKernel: n(s.osDrop),
      droppedInterface: n(s.ifDrop),
      delivered: n(s.usrDeliv),
      startSec: s.startSec,
      startNsec: s.startNsec,
      endSec: s.endSec,
      endNsec: s.endNsec,
      final: s.endSec !== undefined,
    };
    if (this.backend === "dumpcap") {
      // dumpcap's isb_ifdrop lumps every drop together
      out.droppedKernel = out.droppedInterface;
      out.droppedInterface = null;
    }
    return out;
  }

  /**
   * After the stream ended: waits for the backend to exit and returns its final counters. Throws
   * LiveCaptureError when it failed (not when it was stopped).
   */
  async finish(): Promise<LiveStats> {
    await this.exited;
    if (this.backend === "dumpcap") this.parseDumpcapReport();
    const code = this.exitCode;
    const bySignal = this.exitSignal !== null && (this.stopped || this.exitSignal === "SIGINT" || this.exitSignal === "SIGTERM");
    if (code !== 0 && !bySignal && !(this.backend === "dumpcap" && this.stopped)) throw this.failure();
    const s = this.stats();
    s.final = true;
    return s;
  }

  /** Backend warnings worth passing on (stderr lines that are not its usual chatter). */
  warnings(): string[] {
    return this.stderr
      .split("\n")
      .filter((l) => /^arpx-pcap: warning:/.test(l))
      .map((l) => l.replace(/^arpx-pcap: warning: /, ""));
  }

  private parseDumpcapReport(): void {
    const m = /Packets received\/dropped on interface '[^']*': (\d+)\/(\d+) \(pcap:(\d+)\/dumpcap:(\d+)\/flushed:(\d+)\/ps_ifdrop:(\d+)\)/.exec(this.stderr);
    if (m === null) return;
    const isb = this.reader?.stats.interfaceStats.get(0);
    this.dumpcapStats = {
      received: Number(m[1]),
      droppedKernel: Number(m[3]) + Number(m[4]) + Number(m[5]),
      droppedInterface: Number(m[6]),
      delivered: null,
      startSec: isb?.startSec,
      startNsec: isb?.startNsec,
      endSec: isb?.endSec,
      endNsec: isb?.endNsec,
      final: true,
    };
  }

  /** The error the backend's exit status and stderr describe. */
  private failure(): LiveCaptureError {
    const err = this.stderr.trim();
    const iface = this.iface;
    const code = this.exitCode;
    const helper = this.backend === "arpx-pcap";
    const pcapMsg = helper ? (/^arpx-pcap: \w+: (.*)$/m.exec(err)?.[1] ?? err) : (/^\((.*)\)$/m.exec(err)?.[1] ?? err.split("\n").find((l) => l.startsWith("dumpcap:")) ?? err);
    if ((helper && code === HelperExit.PERMISSION) || (!helper && /permission/i.test(err))) {
      const grant = helper ? `setcap cap_net_raw,cap_net_admin+eip ${this.bin} and set ARPX_PCAP_HELPER to it` : "setcap cap_net_raw,cap_net_admin+eip $(command -v dumpcap)";
      return new LiveCaptureError("permission", `no permission to capture on ${iface}: capturing needs CAP_NET_RAW and CAP_NET_ADMIN (run as root, or grant them: ${grant}) (libpcap: ${pcapMsg})`);
    }
    if ((helper && code === HelperExit.NO_DEVICE) || (!helper && /no device named|No such device/i.test(err))) {
      return new LiveCaptureError("no-device", `no such interface "${iface}" (interfaces here: ${interfaceNames(listInterfaces())}; see arpx interfaces)`);
    }
    if ((helper && code === HelperExit.FILTER) || (!helper && /Invalid capture filter/.test(err))) {
      const why = helper ? pcapMsg : (/isn't a valid capture filter \((.*)\)/.exec(err)?.[1] ?? err.split("\n")[0]);
      return new LiveCaptureError("filter", `bad capture filter "${this.filter ?? ""}": libpcap: ${why}`);
    }
    if ((helper && code === HelperExit.DOWN) || (!helper && /not up/i.test(err))) {
      return new LiveCaptureError("down", `interface ${iface} is down: bring it up first (ip link set ${iface} up)`);
    }
    if (code === 127 || /error while loading shared libraries|ENOENT/.test(err)) {
      return new LiveCaptureError("missing", `cannot run ${this.bin}: ${err.split("\n")[0]}; ${INSTALL_HINT}`);
    }
    const how = code !== null ? `exit status ${code}` : `signal ${this.exitSignal}`;
    const first = err.split("\n").filter(Boolean).slice(-2).join(" ") || "no message";
    return new LiveCaptureError("backend", `${this.backend} failed on ${iface} (${how}): ${first}`);
  }
}

/** A private directory holding a FIFO named "stream"; null when FIFOs cannot be made here. */
function makeFifo(): string | null {
  const dir = mkdtempSync(join(tmpdir(), "arpx-capture-"));
  const r = spawnSync("mkfifo", ["-m", "600", join(dir, "stream")], { stdio: "ignore" });
  if (r.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return null;
}

/**
 * Opens the FIFO for reading. The open waits for the helper to open its end; if the helper exits
 * first (it could not start), we open the writing end ourselves and close it, so the open returns
 * and the reader sees an empty stream.
 */
async function openFifo(path: string, exited: Promise<void>): Promise<ByteSource> {
  let opened = false;
  const pending = open(path, "r").then((fh) => {
    opened = true;
    return fh;
  });
  void exited.then(() => {
    if (opened) return;
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // the open completed in between
    }
  });
  return new FileSource(await pending);
}
