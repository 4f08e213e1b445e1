// `arpx capture IFACE`: live capture, like `tshark -i IFACE`. A libpcap backend (src/capture/live)
// streams pcapng with exact timestamps and libpcap's drop counters; packets are printed as
// `arpx read` prints them, saved to a file or a ring buffer of files, and/or fed to the NIC model
// for a live per-application ring view (--dashboard). Design and precision: docs/live-capture.md.
import type { Command } from "commander";
import { CaptureWriteError, CaptureFileError, type CaptureRecord, type InterfaceStats } from "../../capture/types.js";
import { formatFromPath } from "../../capture/write.js";
import { CaptureOutput, type RingOptions } from "../../capture/live/outfiles.js";
import { LiveCapture, LiveCaptureError, type BackendName, type LiveStats } from "../../capture/live/session.js";
import { TIME_FORMATS, type TimeFormat } from "../../dissect/output/columns.js";
import { errorLine, UsageError } from "../out.js";
import { addOutputOptions, compileDisplayFilter, detailProtocols, PacketPrinter } from "../packet-printer.js";
import { collect } from "../options.js";

export interface CaptureOptions {
  iface: string;
  bpf?: string | undefined;
  displayFilter?: string | undefined;
  count?: number | undefined;
  durationSec?: number | undefined;
  snaplen?: number | undefined;
  promisc: boolean;
  bufferMiB?: number | undefined;
  write?: string | undefined;
  writeFormat?: "pcap" | "pcapng" | undefined;
  ring?: RingOptions | undefined;
  quiet: boolean;
  verbose: boolean;
  detailProtocols?: ReadonlySet<string> | undefined;
  hex: boolean;
  format: "text" | "json" | "fields";
  fields: string[];
  fieldOptions: string[];
  timeFormat: TimeFormat;
  dashboard: boolean;
  backend: BackendName | "auto";
  model: ModelOptions;
}

/** The NIC model's options, as `arpx replay` takes them. */
export interface ModelOptions {
  config?: string | undefined;
  dispatch?: string | undefined;
  nicFilter?: string | undefined;
  learn?: string | undefined;
  hostMac?: string | undefined;
  hostIp?: string | undefined;
}

export default function register(program: Command, done: (code: number) => void): void {
  addOutputOptions(program
    .command("capture")
    .description("capture live from an interface through libpcap and print, save or model its packets (like tshark -i)")
    .argument("[interface]", "interface to capture on (see arpx interfaces)")
    .option("-i, --interface <iface>", "interface to capture on")
    .option("-f, --capture-filter <bpf>", "libpcap capture filter, e.g. \"arp or udp port 53\"")
    .option("-Y, --display-filter <filter>", "print (and save) only packets matching this display filter")
    .option("-c, --count <n>", "stop after capturing n packets")
    .option("-a, --autostop <cond>", "stop condition: duration:SECONDS or packets:N (repeatable)", collect, [])
    .option("-s, --snapshot-length <bytes>", "bytes kept of each packet (default: all; 0 = all)")
    .option("-p, --no-promiscuous-mode", "do not put the interface in promiscuous mode")
    .option("-B, --buffer-size <MiB>", "kernel capture buffer in MiB (default 2)")
    .option("-w, --write <file>", "save packets to this file (pcapng, or pcap for .pcap/.cap/.dmp; '-' for standard output)")
    .option("-F, --write-format <format>", "pcap or pcapng (default: from the -w file name)")
    .option("-b, --ring-buffer <opt>", "ring buffer with -w: filesize:KB, duration:SECONDS, files:N (repeatable)", collect, [])
    .option("-q, --quiet", "print no packets (the final report still goes to stderr)"))
    .option("--dashboard", "live per-application ring view from the NIC model (on a terminal), ring summary at the end")
    .option("--config <file>", "host configuration for the NIC model, as for arpx replay (docs/nic-model.md)")
    .option("--dispatch <mode>", "NIC model: mac or port (as arpx replay --dispatch)")
    .option("--nic-filter <mode>", "NIC model: promiscuous or mac (as arpx replay --filter)")
    .option("--learn <sources>", "NIC model: xarp, lamac, listen, comma-separated, or none")
    .option("--host-mac <mac>", "NIC model: the host's canonical MAC (default: the interface's)")
    .option("--host-ip <ip>", "NIC model: the host's IPv4 address (default: the interface's)")
    .option("--backend <name>", "auto, arpx-pcap (arpx's libpcap helper) or dumpcap", "auto")
    .action(async (iface: string | undefined, raw: Record<string, unknown>) => {
      done(await captureCommand(parseOptions(iface, raw)));
    });
}

function positiveInt(v: unknown, flag: string, what = "a whole number above 0"): number {
  const s = String(v);
  const n = Number(s);
  if (s.trim() === "" || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag}: expected ${what}, not "${s}"`);
  return n;
}

function positiveNumber(v: unknown, flag: string): number {
  const s = String(v);
  const n = Number(s);
  if (s.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a number of seconds above 0, not "${s}"`);
  return n;
}

export function parseOptions(ifaceArg: string | undefined, o: Record<string, unknown>): CaptureOptions {
  const iface = (o.interface as string | undefined) ?? ifaceArg;
  if (!iface) throw new UsageError("no interface given (arpx capture IFACE; arpx interfaces lists them)");
  const format = String(o.outputFormat);
  if (format !== "text" && format !== "json" && format !== "fields") throw new UsageError(`invalid -T format "${format}" (text, json or fields)`);
  const tf = String(o.timeFormat) as TimeFormat;
  if (!TIME_FORMATS.includes(tf)) throw new UsageError(`invalid -t format "${tf}" (${TIME_FORMATS.join(", ")})`);
  let count = o.count !== undefined ? positiveInt(o.count, "-c") : undefined;
  let durationSec: number | undefined;
  for (const a of o.autostop as string[]) {
    const [k, v = ""] = a.split(/:(.*)/s) as [string, string?];
    if (k === "duration") durationSec = Math.min(durationSec ?? Infinity, positiveNumber(v, "-a duration"));
    else if (k === "packets") count = Math.min(count ?? Infinity, positiveInt(v, "-a packets"));
    else throw new UsageError(`-a: unknown stop condition "${a}" (duration:SECONDS or packets:N)`);
  }
  let snaplen: number | undefined;
  if (o.snapshotLength !== undefined) {
    const s = String(o.snapshotLength);
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 262144) throw new UsageError(`-s: expected a snapshot length from 0 to 262144 bytes, not "${s}"`);
    snaplen = n === 0 ? undefined : n;
  }
  const bufferMiB = o.bufferSize !== undefined ? positiveInt(o.bufferSize, "-B", "a whole number of MiB above 0") : undefined;
  const wf = o.writeFormat as string | undefined;
  if (wf !== undefined && wf !== "pcap" && wf !== "pcapng") throw new UsageError(`invalid -F format "${wf}" (pcap or pcapng)`);
  const write = o.write as string | undefined;
  let ring: RingOptions | undefined;
  for (const b of o.ringBuffer as string[]) {
    const [k, v = ""] = b.split(/:(.*)/s) as [string, string?];
    ring ??= {};
    if (k === "filesize") ring.filesizeKB = positiveInt(v, "-b filesize", "a size in kB above 0");
    else if (k === "duration") ring.durationSec = positiveNumber(v, "-b duration");
    else if (k === "files") ring.files = positiveInt(v, "-b files");
    else throw new UsageError(`-b: unknown ring-buffer option "${b}" (filesize:KB, duration:SECONDS or files:N)`);
  }
  if (ring !== undefined) {
    if (write === undefined) throw new UsageError("-b needs -w FILE: the ring-buffer files are named after it");
    if (write === "-") throw new UsageError("-b cannot write to standard output (-w -): name a file");
    if (ring.filesizeKB === undefined && ring.durationSec === undefined) {
      throw new UsageError("ring buffer requested (-b), but no filesize:KB or duration:SECONDS says when to switch files");
    }
  }
  const backend = String(o.backend);
  if (backend !== "auto" && backend !== "arpx-pcap" && backend !== "dumpcap") throw new UsageError(`--backend: expected auto, arpx-pcap or dumpcap, not "${backend}"`);
  return {
    iface,
    bpf: o.captureFilter as string | undefined,
    displayFilter: o.displayFilter as string | undefined,
    count,
    durationSec,
    snaplen,
    promisc: o.promiscuousMode !== false,
    bufferMiB,
    write,
    writeFormat: wf,
    ring,
    quiet: Boolean(o.quiet),
    verbose: Boolean(o.verbose) || o.detailProtocols !== undefined,
    detailProtocols: detailProtocols(o.detailProtocols),
    hex: Boolean(o.hex),
    format,
    fields: o.field as string[],
    fieldOptions: o.fieldOption as string[],
    timeFormat: tf,
    dashboard: Boolean(o.dashboard),
    backend,
    model: {
      config: o.config as string | undefined,
      dispatch: o.dispatch as string | undefined,
      nicFilter: o.nicFilter as string | undefined,
      learn: o.learn as string | undefined,
      hostMac: o.hostMac as string | undefined,
      hostIp: o.hostIp as string | undefined,
    },
  };
}

/** libpcap's counters as a pcapng ISB. */
function isbOf(s: LiveStats, written: number): InterfaceStats {
  const out: InterfaceStats = {};
  if (s.received !== null) out.ifRecv = s.received;
  if (s.droppedInterface !== null) out.ifDrop = s.droppedInterface;
  if (s.droppedKernel !== null) out.osDrop = s.droppedKernel;
  out.usrDeliv = s.delivered ?? written;
  if (s.startSec !== undefined) {
    out.startSec = s.startSec;
    out.startNsec = s.startNsec;
  }
  if (s.endSec !== undefined) {
    out.endSec = s.endSec;
    out.endNsec = s.endNsec;
  }
  return out;
}

const n = (v: number | null): string => (v === null ? "unknown" : String(v));

export async function captureCommand(o: CaptureOptions): Promise<number> {
  const filter = compileDisplayFilter(o.displayFilter);
  if (filter === null) return 2;
  const dashboardTty = o.dashboard && process.stdout.isTTY === true;
  if (o.dashboard && !dashboardTty) process.stderr.write("arpx: --dashboard draws only on a terminal; the ring summary is printed at the end\n");
  // packets go to stdout unless something else owns it
  const quiet = o.quiet || o.dashboard || o.write === "-";
  const printer = new PacketPrinter({ ...o, filter: o.displayFilter, quiet }, filter);
  const out = printer.out;
  const prepared = o.dashboard ? await prepareModel(o) : null;
  if (typeof prepared === "number") return prepared;
  const live = prepared;

  let lc: LiveCapture;
  try {
    lc = await LiveCapture.start({
      iface: o.iface,
      snaplen: o.snaplen,
      promisc: o.promisc,
      bpf: o.bpf,
      bufferKiB: o.bufferMiB !== undefined ? o.bufferMiB * 1024 : undefined,
      count: o.count,
      statsMs: o.dashboard ? 250 : 1000,
      backend: o.backend,
    });
  } catch (e) {
    if (e instanceof LiveCaptureError || e instanceof CaptureFileError) {
      errorLine(e.message);
      return 2;
    }
    throw e;
  }
  const reader = lc.reader;
  for (const w of lc.warnings()) errorLine(`warning: ${w}`);
  if (!dashboardTty) process.stderr.write(`Capturing on '${o.iface}' (${lc.backend}, ${lc.digits >= 9 ? "nanosecond" : "microsecond"} timestamps)\n`);

  let output: CaptureOutput | null = null;
  let status = 0;
  try {
    if (o.write !== undefined) {
      output = new CaptureOutput(o.write, {
        format: o.writeFormat ?? (o.write === "-" ? "pcapng" : formatFromPath(o.write)),
        interfaces: reader.interfaces,
        nanosecond: lc.digits > 6,
        ring: o.ring,
        statsNow: () => isbOf(lc.stats(), output?.packetsWritten ?? 0),
      });
    }
  } catch (e) {
    if (!(e instanceof CaptureWriteError)) throw e;
    errorLine(e.message);
    lc.stop();
    await drain(lc);
    return 2;
  }

  let stopReason: string | null = null;
  const stop = (why: string): void => {
    stopReason ??= why;
    lc.stop();
  };
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    stop(sig === "SIGINT" ? "interrupted" : sig === "SIGTERM" ? "terminated" : "hung up");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  const t0 = Date.now();
  const durTimer = o.durationSec !== undefined ? setTimeout(() => stop(`duration ${o.durationSec} s`), o.durationSec * 1000) : null;

  let packets = 0;
  let bytes = 0;
  const view = live !== null && dashboardTty ? live.view(lc, () => ({ packets, bytes, written: output?.packetsWritten ?? null, output: output?.currentFile ?? null, stopped: stopReason ?? undefined, t0 })) : null;
  view?.start();
  const tick = setInterval(() => {
    try {
      output?.tick();
      output?.flush();
    } catch (e) {
      if (!(e instanceof CaptureWriteError)) throw e;
      errorLine(e.message);
      status = 2;
      stop("write error");
    }
  }, 200);

  const handle = (r: CaptureRecord): void => {
    packets++;
    bytes += r.wireLen;
    live?.feed(r);
    const shown = printer.needsDissection ? printer.handle(r, reader.interfaces) : true;
    if (shown && output !== null) output.writePacket(r);
  };

  try {
    for (;;) {
      let r: CaptureRecord | null;
      while ((r = reader.next()) !== null) {
        if (o.count !== undefined && packets >= o.count) continue; // the backend stops itself; drain
        handle(r);
        if (o.count !== undefined && packets >= o.count) stop(`${o.count} packets`);
      }
      out.flush();
      if (out.closed) stop("output closed");
      if (o.write === "-") output?.flush();
      if (!(await reader.fill())) break;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError) && !(e instanceof CaptureWriteError)) throw e;
    out.flush();
    errorLine(e.message);
    status = 2;
    stop("error");
  }
  const final = await drain(lc);
  const elapsed = (Date.now() - t0) / 1000;
  clearInterval(tick);
  if (durTimer !== null) clearTimeout(durTimer);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.off("SIGHUP", onSignal);
  void signals;
  if (final instanceof LiveCaptureError) {
    errorLine(final.message);
    status = 2;
  }
  const stats = final instanceof LiveCaptureError ? lc.stats() : final;
  if (output !== null) {
    try {
      await output.close(isbOf(stats, output.packetsWritten));
    } catch (e) {
      if (!(e instanceof CaptureWriteError)) throw e;
      errorLine(e.message);
      status = 2;
    }
  }
  printer.end();
  stopReason ??= "the backend stopped";
  view?.stop();
  if (live !== null) {
    const code = await live.finish();
    if (code !== 0) status = code;
  }
  report(o, lc, stats, { packets, shown: printer.shown, filtered: filter !== undefined, output, elapsed, why: stopReason });
  return status;
}

/** Reads the stream to its end (after a stop or an error) and returns the final counters. */
async function drain(lc: LiveCapture): Promise<LiveStats | LiveCaptureError> {
  try {
    while (await lc.reader.fill()) while (lc.reader.next() !== null);
  } catch {
    // a damaged stream: the backend's exit says more
  }
  await lc.reader.close().catch(() => {});
  try {
    return await lc.finish();
  } catch (e) {
    if (e instanceof LiveCaptureError) return e;
    throw e;
  }
}

interface Tally {
  packets: number;
  shown: number;
  filtered: boolean;
  output: CaptureOutput | null;
  elapsed: number;
  why: string;
}

/** The final report on stderr: what libpcap received and dropped, what arpx captured and wrote. */
function report(o: CaptureOptions, lc: LiveCapture, s: LiveStats, t: Tally): void {
  const lines: string[] = [];
  lines.push(`arpx: capture on ${o.iface} stopped (${t.why}) after ${t.elapsed.toFixed(3)} s`);
  let l = `arpx: received ${n(s.received)}, dropped ${n(s.droppedKernel)} by the kernel/buffer, dropped ${n(s.droppedInterface)} by the interface, captured ${t.packets}`;
  if (t.filtered) l += `, ${t.shown} matched -Y`;
  if (t.output !== null) {
    const where = t.output.isRing ? `${t.output.kept.length} ring-buffer files (${t.output.opened.length} opened)` : t.output.path === "-" ? "standard output" : t.output.path;
    l += `, written ${t.output.packetsWritten} to ${where}`;
  }
  lines.push(l);
  const drops = (s.droppedKernel ?? 0) + (s.droppedInterface ?? 0);
  if (drops > 0) lines.push(`arpx: warning: ${drops} packets were dropped before arpx saw them${lc.backend === "arpx-pcap" ? " (a larger -B buffer helps with bursts)" : ""}`);
  process.stderr.write(lines.join("\n") + "\n");
}

// ---- the NIC model behind --dashboard ----------------------------------------------------------

interface LiveModel {
  feed(r: CaptureRecord): void;
  view(lc: LiveCapture, facts: () => { packets: number; bytes: number; written: number | null; output: string | null; stopped: string | undefined; t0: number }): { start(): void; stop(): void };
  /** Ends the model run and prints the ring summary; returns an exit status. */
  finish(): Promise<number>;
}

/**
 * The NIC model and ring monitor, set up as `arpx replay` sets them up, with the host taken from
 * the captured interface (its MAC and first IPv4 address) unless the configuration or options
 * name it. Loaded only for --dashboard. Returns an exit status when the configuration is bad.
 */
async function prepareModel(o: CaptureOptions): Promise<LiveModel | number> {
  const [{ parseIpv4, parseMac }, cfgMod, { resolveCost }, { FrameFeeder }, { NicModel }, { RingMonitor }, dash, { listInterfaces }] = await Promise.all([
    import("../../nicmodel/classify.js"),
    import("../../nicmodel/config.js"),
    import("../../nicmodel/cost.js"),
    import("../../nicmodel/feed.js"),
    import("../../nicmodel/model.js"),
    import("../../ringmon/monitor.js"),
    import("../../ringmon/dashboard.js"),
    import("../../capture/live/interfaces.js"),
  ]);
  const m = o.model;
  const oneOf = <T extends string>(v: string | undefined, flag: string, allowed: readonly T[]): T | undefined => {
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag}: expected ${allowed.join(" or ")}, not "${v}"`);
    return v as T;
  };
  const dispatch = oneOf(m.dispatch, "--dispatch", ["mac", "port"] as const);
  const nicFilter = oneOf(m.nicFilter, "--nic-filter", ["promiscuous", "mac"] as const);
  let learn: ("xarp" | "lamac" | "listen")[] | undefined;
  if (m.learn !== undefined) {
    learn = [];
    if (m.learn !== "none") {
      for (const p of m.learn.split(",").map((x) => x.trim()).filter(Boolean)) {
        if (p !== "xarp" && p !== "lamac" && p !== "listen") throw new UsageError(`--learn: unknown source "${p}" (xarp, lamac, listen or none)`);
        learn.push(p);
      }
    }
  }
  let hostMac: number | undefined, hostIp: number | undefined;
  if (m.hostMac !== undefined) {
    const v = parseMac(m.hostMac);
    if (v === null) throw new UsageError(`--host-mac: "${m.hostMac}" is not a MAC address`);
    hostMac = v;
  }
  if (m.hostIp !== undefined) {
    const v = parseIpv4(m.hostIp);
    if (v === null) throw new UsageError(`--host-ip: "${m.hostIp}" is not an IPv4 address`);
    hostIp = v;
  }
  let input = null;
  let cfg;
  let fromIface = false;
  try {
    if (m.config !== undefined) input = await cfgMod.loadConfigFile(m.config);
    // the host: the configuration or options, else the interface itself
    const dev = listInterfaces().entries.find((e) => e.name === o.iface);
    if (hostMac === undefined && (input?.host?.mac === undefined || input.host.mac === "auto") && dev?.mac) {
      const v = parseMac(dev.mac);
      if (v !== null && v !== 0) {
        hostMac = v;
        fromIface = true;
      }
    }
    if (hostIp === undefined && input?.host?.ip === undefined) {
      const v4 = dev?.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
      if (v4 !== undefined) hostIp = parseIpv4(v4) ?? undefined;
    }
    cfg = cfgMod.resolveConfig(input, { dispatch, filter: nicFilter, learn, hostMac, hostIp });
  } catch (e) {
    if (e instanceof cfgMod.ConfigError) {
      for (const l of e.message.split("\n")) errorLine(l);
      return 2;
    }
    throw e;
  }
  const cost = resolveCost(cfg.cost);
  const mon = new RingMonitor({ series: false });
  const model = new NicModel(cfg, mon);
  const feeder = new FrameFeeder(model, 1);
  model.start();
  let lastPackets = 0;
  let lastT = Date.now();
  let pps = 0;
  return {
    feed: (r) => feeder.feed(r),
    view: (lc, facts) =>
      new dash.LiveView(
        (s) => process.stdout.write(s),
        () => {
          const f = facts();
          const now = Date.now();
          if (now - lastT >= 200) {
            pps = ((f.packets - lastPackets) * 1000) / (now - lastT);
            lastPackets = f.packets;
            lastT = now;
          }
          dash.syncRings(model);
          const s = lc.stats();
          return dash.renderDashboard(model, mon, {
            iface: o.iface,
            backend: lc.backend,
            liveCounters: lc.backend === "arpx-pcap",
            digits: lc.digits,
            elapsedSec: (now - f.t0) / 1000,
            packets: f.packets,
            bytes: f.bytes,
            pps,
            received: s.received,
            droppedKernel: s.droppedKernel,
            droppedInterface: s.droppedInterface,
            written: f.written,
            output: f.output,
            stopped: f.stopped,
          }, process.stdout.rows || 40, process.stdout.columns || 100);
        },
      ),
    finish: async () => {
      dash.syncRings(model);
      model.finish();
      const [{ buildReport }, { renderTables }] = await Promise.all([import("../../ringmon/report.js"), import("../../ringmon/table.js")]);
      const report = buildReport(model, mon, {
        file: o.iface, speed: 1, hostGuessed: fromIface, hostBasis: fromIface ? `the MAC of interface ${o.iface}` : null,
        startEpoch: feeder.startEpoch, cost, profile: null, includeSeries: false,
      });
      process.stdout.write(renderTables(report).replace(/^arpx replay /, "arpx capture --dashboard on "));
      if (!report.invariants.ok) {
        errorLine(`internal error: the model broke conservation: ${report.invariants.violations.join("; ")}`);
        return 3;
      }
      return 0;
    },
  };
}
