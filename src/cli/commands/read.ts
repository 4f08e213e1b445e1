// `arpx read`: read a capture file and print its packets, as `tshark -r` does.
import type { Command } from "commander";
import { openCapture } from "../../capture/open.js";
import { createWriter, formatFromPath, type CaptureWriter } from "../../capture/write.js";
import { CaptureFileError, CaptureWriteError, type CaptureRecord, type InterfaceInfo } from "../../capture/types.js";
import { TIME_FORMATS, type TimeFormat } from "../../dissect/output/columns.js";
import { errorLine, UsageError } from "../out.js";
import { addOutputOptions, compileDisplayFilter, detailProtocols, digitsFor, PacketPrinter } from "../packet-printer.js";
import { parseStatSpecs, STAT_SPECS, StatsCollector } from "../stats-report.js";
import { collect } from "../options.js";

export interface ReadOptions {
  file: string;
  count?: number | undefined;
  filter?: string | undefined;
  verbose: boolean;
  detailProtocols?: ReadonlySet<string> | undefined;
  hex: boolean;
  format: "text" | "json" | "fields";
  fields: string[];
  fieldOptions: string[];
  timeFormat: TimeFormat;
  quiet: boolean;
  write?: string | undefined;
  writeFormat?: "pcap" | "pcapng" | undefined;
  /** -z statistics, printed after the packets (they count every packet read, as tshark's do). */
  stats?: string[] | undefined;
}

export default function register(program: Command, done: (code: number) => void): void {
  addOutputOptions(program
    .command("read")
    .description("read a capture file (pcap, pcapng, gzip-compressed or '-' for stdin) and print its packets")
    .argument("[file]", "capture file (or use -r)")
    .option("-r, --read-file <file>", "capture file to read ('-' for standard input)")
    .option("-c, --count <n>", "stop after reading n packets")
    .option("-Y, --display-filter <filter>", "show only packets matching this display filter"))
    .option("-q, --quiet", "print no packets (with -w: only save)")
    .option("-w, --write <file>", "save the packets that pass the filter ('-' for standard output)")
    .option("-F, --write-format <format>", "pcap or pcapng (default: from the -w file name)")
    .option("-z, --stat <spec>", `statistics after the packets: ${STAT_SPECS} (repeatable)`, collect, [])
    .action(async (file: string | undefined, o: Record<string, unknown>) => {
      const path = (o.readFile as string | undefined) ?? file;
      if (!path) throw new UsageError("no capture file given (arpx read -r FILE)");
      const format = String(o.outputFormat);
      if (format !== "text" && format !== "json" && format !== "fields") throw new UsageError(`invalid -T format "${format}" (text, json or fields)`);
      const tf = String(o.timeFormat) as TimeFormat;
      if (!TIME_FORMATS.includes(tf)) throw new UsageError(`invalid -t format "${tf}" (${TIME_FORMATS.join(", ")})`);
      let count: number | undefined;
      if (o.count !== undefined) {
        count = Number(o.count);
        if (!Number.isInteger(count) || count < 0) throw new UsageError(`invalid -c count "${String(o.count)}"`);
      }
      const wf = o.writeFormat as string | undefined;
      if (wf !== undefined && wf !== "pcap" && wf !== "pcapng") throw new UsageError(`invalid -F format "${wf}" (pcap or pcapng)`);
      done(
        await readCommand({
          file: path,
          count,
          filter: o.displayFilter as string | undefined,
          verbose: Boolean(o.verbose) || o.detailProtocols !== undefined,
          detailProtocols: detailProtocols(o.detailProtocols),
          hex: Boolean(o.hex),
          format,
          fields: o.field as string[],
          fieldOptions: o.fieldOption as string[],
          timeFormat: tf,
          quiet: Boolean(o.quiet),
          write: o.write as string | undefined,
          writeFormat: wf,
          stats: o.stat as string[],
        }),
      );
    });
}

export async function readCommand(o: ReadOptions): Promise<number> {
  const filter = compileDisplayFilter(o.filter);
  if (filter === null) return 2;
  const stats = o.stats?.length ? new StatsCollector(parseStatSpecs(o.stats)) : undefined;
  const printer = new PacketPrinter(stats ? { ...o, extraFields: stats.fields } : o, filter);
  const out = printer.out;
  stats?.attach(printer.engine);

  let reader;
  try {
    reader = await openCapture(o.file);
  } catch (e) {
    if (e instanceof CaptureFileError || (e as NodeJS.ErrnoException).code) {
      errorLine((e as Error).message);
      return 2;
    }
    throw e;
  }

  let writer: CaptureWriter | undefined;
  printer.begin();

  const handle = (r: CaptureRecord): void => {
    const shown = printer.handle(r, reader.interfaces);
    stats?.add(printer.engine.packet, printer.engine.tree);
    if (!shown) return;
    if (o.write !== undefined) {
      writer ??= createWriter(o.write, writerOptions(o, reader.interfaces));
      writer.writePacket(r);
    }
  };

  let status = 0;
  try {
    outer: for (;;) {
      let r: CaptureRecord | null;
      while ((r = reader.next()) !== null) {
        handle(r);
        if (out.closed || (o.count !== undefined && printer.read >= o.count)) break outer;
      }
      if (!(await reader.fill())) break;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError) && !(e instanceof CaptureWriteError)) throw e;
    out.flush();
    errorLine(e.message);
    status = 2;
  }
  printer.end();
  if (stats) {
    stats.print(out, "Filter: <none>", !o.quiet && printer.shown > 0);
    out.flush();
  }
  await reader.close();
  if (writer) {
    try {
      await writer.close();
    } catch (e) {
      if (!(e instanceof CaptureWriteError)) throw e;
      errorLine(e.message);
      status = 2;
    }
  }
  else if (o.write !== undefined) {
    // Nothing passed: still leave a valid, empty capture file behind.
    const w = createWriter(o.write, writerOptions(o, reader.interfaces));
    await w.close();
  }
  return status;
}

/** Saved files keep the source's timestamp precision (nanosecond pcap when the source had it). */
function writerOptions(o: ReadOptions, interfaces: InterfaceInfo[]) {
  return {
    format: o.writeFormat ?? formatFromPath(o.write!),
    interfaces,
    nanosecond: interfaces.some((i) => digitsFor(i.tsResol) > 6),
  };
}
