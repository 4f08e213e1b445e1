// `arpx read`: read a capture file and print its packets, as `tshark -r` does.
import type { Command } from "commander";
import { openCapture } from "../../capture/open.js";
import { createWriter, formatFromPath, type CaptureWriter } from "../../capture/write.js";
import { CaptureFileError, CaptureWriteError, type CaptureRecord, type InterfaceInfo } from "../../capture/types.js";
import { Engine } from "../../dissect/engine.js";
import type { Field } from "../../dissect/fields.js";
import { compileFilter, FilterError, type CompiledFilter } from "../../dissect/filter/index.js";
import { TIME_FORMATS, timeColumn, type TimeFormat } from "../../dissect/output/columns.js";
import { applyFieldsOption, DEFAULT_FIELDS_OPTIONS, fieldsHeader, fieldsLine, resolveFields } from "../../dissect/output/fields-text.js";
import { hexDump } from "../../dissect/output/hexdump.js";
import { packetJson } from "../../dissect/output/json.js";
import { summaryLine } from "../../dissect/output/summary.js";
import { treeText } from "../../dissect/output/tree-text.js";
import { TreeMode } from "../../dissect/tree.js";
import { errorLine, Out, UsageError } from "../out.js";

export interface ReadOptions {
  file: string;
  count?: number | undefined;
  filter?: string | undefined;
  verbose: boolean;
  hex: boolean;
  format: "text" | "json" | "fields";
  fields: string[];
  fieldOptions: string[];
  timeFormat: TimeFormat;
  quiet: boolean;
  write?: string | undefined;
  writeFormat?: "pcap" | "pcapng" | undefined;
}

const collect = (v: string, acc: string[]) => [...acc, v];

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("read")
    .description("read a capture file (pcap, pcapng, gzip-compressed or '-' for stdin) and print its packets")
    .argument("[file]", "capture file (or use -r)")
    .option("-r, --read-file <file>", "capture file to read ('-' for standard input)")
    .option("-c, --count <n>", "stop after reading n packets")
    .option("-Y, --display-filter <filter>", "show only packets matching this display filter")
    .option("-V, --verbose", "print the detail tree of each packet")
    .option("-x, --hex", "print a hex and ASCII dump of each packet")
    .option("-T, --output-format <format>", "text, json or fields", "text")
    .option("-e, --field <field>", "field to print with -T fields (repeatable)", collect, [])
    .option("-E, --field-option <name=value>", "-T fields option: separator, aggregator, occurrence, quote, header", collect, [])
    .option("-t, --time-format <format>", "r (relative), a, ad, e (epoch), d (delta), dd (delta displayed), u, ud", "r")
    .option("-n", "no name resolution (arpx never resolves names; accepted for tshark compatibility)")
    .option("-q, --quiet", "print no packets (with -w: only save)")
    .option("-w, --write <file>", "save the packets that pass the filter ('-' for standard output)")
    .option("-F, --write-format <format>", "pcap or pcapng (default: from the -w file name)")
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
          verbose: Boolean(o.verbose),
          hex: Boolean(o.hex),
          format,
          fields: o.field as string[],
          fieldOptions: o.fieldOption as string[],
          timeFormat: tf,
          quiet: Boolean(o.quiet),
          write: o.write as string | undefined,
          writeFormat: wf,
        }),
      );
    });
}

function digitsFor(resol: { base: 10 | 2; exp: number } | undefined): number {
  if (!resol) return 6;
  const d = resol.base === 10 ? resol.exp : Math.ceil(resol.exp * Math.log10(2));
  return Math.min(9, Math.max(0, d));
}

export async function readCommand(o: ReadOptions): Promise<number> {
  const fopts = { ...DEFAULT_FIELDS_OPTIONS };
  for (const spec of o.fieldOptions) {
    const err = applyFieldsOption(fopts, spec);
    if (err) throw new UsageError(err);
  }
  const { fields, unknown } = resolveFields(o.fields);
  if (unknown.length) throw new UsageError(`some fields aren't valid: ${unknown.join(", ")} (see 'arpx fields')`);
  if (o.format === "fields" && fields.length === 0) throw new UsageError("-T fields needs at least one -e FIELD");

  let filter: CompiledFilter | undefined;
  if (o.filter !== undefined && o.filter.trim() !== "") {
    try {
      filter = compileFilter(o.filter);
    } catch (e) {
      if (e instanceof FilterError) {
        process.stderr.write(e.caretMessage() + "\n");
        return 2;
      }
      throw e;
    }
  }

  const full = o.verbose || o.format === "json";
  const wanted: Field[] = [...fields, ...(filter?.fields ?? [])];
  const mode = full ? TreeMode.FULL : wanted.length ? TreeMode.FIELDS : TreeMode.SUMMARY;
  const printSummary = !o.quiet && o.format === "text" && !o.verbose && !o.hex;
  const engine = new Engine({ mode, fields: wanted, columns: printSummary || o.verbose });
  const out = new Out();

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
  let read = 0;
  let shown = 0;
  let jsonFirst = true;
  const s = engine.session;
  const refs = { firstSec: NaN, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };
  if (o.format === "fields" && fopts.header && !o.quiet) out.line(fieldsHeader(fields, fopts));
  if (o.format === "json" && !o.quiet) out.write("[\n");

  const handle = (r: CaptureRecord): void => {
    read++;
    // Times for the summary column are taken before the engine moves its "previous" marks.
    refs.prevSec = s.prevSec;
    refs.prevNsec = s.prevNsec;
    const p = engine.dissect(r);
    if (read === 1) {
      refs.firstSec = s.firstSec;
      refs.firstNsec = s.firstNsec;
    }
    if (filter && !filter.test(engine.tree)) return;
    shown++;
    if (o.write !== undefined) {
      writer ??= createWriter(o.write, writerOptions(o, reader.interfaces));
      writer.writePacket(r);
    }
    if (!o.quiet) {
      if (printSummary) {
        const digits = digitsFor(reader.interfaces[r.ifIndex]?.tsResol);
        out.line(summaryLine(p, timeColumn(o.timeFormat, p, refs, digits)));
      } else if (o.format === "fields") {
        out.line(fieldsLine(engine.tree, fields, fopts));
      } else if (o.format === "json") {
        out.write((jsonFirst ? "" : ",\n") + indent(packetJson(engine.tree.root, p.num, p.tsSec)));
        jsonFirst = false;
      } else {
        if (o.verbose) out.write(treeText(engine.tree.root));
        if (o.hex) out.write((o.verbose ? "\n" : "") + hexDump(p.data));
        out.write("\n");
      }
    }
    refs.prevDispSec = p.tsSec;
    refs.prevDispNsec = p.tsNsec;
    engine.displayed(p);
  };

  let status = 0;
  try {
    outer: for (;;) {
      let r: CaptureRecord | null;
      while ((r = reader.next()) !== null) {
        handle(r);
        if (out.closed || (o.count !== undefined && read >= o.count)) break outer;
      }
      if (!(await reader.fill())) break;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError) && !(e instanceof CaptureWriteError)) throw e;
    out.flush();
    errorLine(e.message);
    status = 2;
  }
  if (o.format === "json" && !o.quiet) out.write(jsonFirst ? "]\n" : "\n]\n");
  out.flush();
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
  void shown;
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

function indent(json: string): string {
  return "  " + json.replace(/\n/g, "\n  ");
}
