// Per-packet output shared by `arpx read` and `arpx capture`: dissect each record with the engine
// mode the output needs, apply the display filter, and print the summary line, detail tree, hex
// dump, JSON object or -T fields line, as tshark does.
import type { CaptureRecord, InterfaceInfo } from "../capture/types.js";
import { Engine } from "../dissect/engine.js";
import type { Field } from "../dissect/fields.js";
import type { Packet } from "../dissect/packet.js";
import { compileFilter, FilterError, type CompiledFilter } from "../dissect/filter/index.js";
import { dstColumn, srcColumn, timeColumn, type TimeFormat } from "../dissect/output/columns.js";
import { applyFieldsOption, DEFAULT_FIELDS_OPTIONS, fieldsHeader, fieldsLine, needsFullTree, resolveFields, type FieldsItem } from "../dissect/output/fields-text.js";
import { packetHex } from "../dissect/output/hexdump.js";
import { packetJson } from "../dissect/output/json.js";
import { writeSummary } from "../dissect/output/summary.js";
import { treeText } from "../dissect/output/tree-text.js";
import { TreeMode } from "../dissect/tree.js";
import { Out, UsageError } from "./out.js";
import type { Command } from "commander";
import { addNameOptions, collect } from "./options.js";

/** The per-packet output options `read` and `capture` share, declared once. */
export function addOutputOptions(cmd: Command): Command {
  return addNameOptions(cmd)
    .option("-V, --verbose", "print the detail tree of each packet")
    .option("-O, --detail-protocols <list>", "detail tree showing only these protocols in full (comma-separated, e.g. ip,tcp; implies -V)")
    .option("-x, --hex", "print a hex and ASCII dump of each packet")
    .option("-T, --output-format <format>", "text, json or fields", "text")
    .option("-e, --field <field>", "field to print with -T fields (repeatable)", collect, [])
    .option("-E, --field-option <name=value>", "-T fields option: separator, aggregator, occurrence, quote, header", collect, [])
    .option("-t, --time-format <format>", "r (relative), a, ad, e (epoch), d (delta), dd (delta displayed), u, ud", "r");
}

export interface PrintOptions {
  /** Display filter text (-Y). */
  filter?: string | undefined;
  verbose: boolean;
  /** -O: protocols shown in full in the detail tree (the others by their top line). */
  detailProtocols?: ReadonlySet<string> | undefined;
  hex: boolean;
  format: "text" | "json" | "fields";
  fields: string[];
  fieldOptions: string[];
  timeFormat: TimeFormat;
  /** Print nothing per packet (the filter still applies). */
  quiet: boolean;
  /** Fields -z statistics read through their own display filters (follow, expert,FILTER). */
  extraFields?: readonly Field[] | undefined;
}

/** Digits of the time column for an interface's timestamp resolution. */
export function digitsFor(resol: { base: 10 | 2; exp: number } | undefined): number {
  if (!resol) return 6;
  const d = resol.base === 10 ? resol.exp : Math.ceil(resol.exp * Math.log10(2));
  return Math.min(9, Math.max(0, d));
}

/**
 * Compiles -Y. A bad filter is printed with a caret under the problem and gives null (the caller
 * exits 2); no filter gives undefined.
 */
export function compileDisplayFilter(text: string | undefined): CompiledFilter | undefined | null {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return compileFilter(text);
  } catch (e) {
    if (e instanceof FilterError) {
      process.stderr.write(e.caretMessage() + "\n");
      return null;
    }
    throw e;
  }
}

export class PacketPrinter {
  readonly engine: Engine;
  readonly out: Out;
  /** Records dissected / shown (passed the filter). */
  read = 0;
  shown = 0;
  private readonly items: FieldsItem[];
  /** The packet and time digits the -T fields columns (_ws.col.*) are taken from. */
  private colPacket: Packet | null = null;
  private colDigits = 6;
  private readonly columnText = (title: string): string => this.column(title);
  private readonly fopts = { ...DEFAULT_FIELDS_OPTIONS };
  private readonly printSummary: boolean;
  private jsonFirst = true;
  private readonly refs = { firstSec: NaN, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };

  /** Throws UsageError for bad -e / -E options. `filter` comes from compileDisplayFilter(). */
  constructor(private readonly o: PrintOptions, readonly filter: CompiledFilter | undefined, out: Out = new Out()) {
    for (const spec of o.fieldOptions) {
      const err = applyFieldsOption(this.fopts, spec);
      if (err) throw new UsageError(err);
    }
    const { items, fields, unknown } = resolveFields(o.fields);
    if (unknown.length) throw new UsageError(`some fields aren't valid: ${unknown.join(", ")} (see 'arpx fields')`);
    if (o.format === "fields" && items.length === 0) throw new UsageError("-T fields needs at least one -e FIELD");
    this.items = items;
    const wantsColumns = o.format === "fields" && items.length > fields.length;
    const full = o.verbose || o.format === "json" || (o.format === "fields" && needsFullTree(items));
    const wanted: Field[] = [...fields, ...(filter?.fields ?? []), ...(o.extraFields ?? [])];
    const mode = full ? TreeMode.FULL : wanted.length ? TreeMode.FIELDS : TreeMode.SUMMARY;
    this.printSummary = !o.quiet && o.format === "text" && !o.verbose && !o.hex;
    this.engine = new Engine({ mode, fields: wanted, columns: this.printSummary || o.verbose || wantsColumns });
    this.out = out;
  }

  /** Whether anything is dissected at all: with -q and no filter, records need no decoding. */
  get needsDissection(): boolean {
    return !this.o.quiet || this.filter !== undefined;
  }

  /** What comes before the first packet (the -T fields header, JSON's "["). */
  begin(): void {
    if (this.o.quiet) return;
    if (this.o.format === "fields" && this.fopts.header) this.out.line(fieldsHeader(this.items, this.fopts));
    if (this.o.format === "json") this.out.write("[\n");
  }

  /** Dissects and prints one record; true when it passed the display filter. */
  handle(r: CaptureRecord, interfaces: readonly InterfaceInfo[]): boolean {
    const o = this.o;
    const engine = this.engine;
    const s = engine.session;
    const refs = this.refs;
    this.read++;
    // Times for the summary column are taken before the engine moves its "previous" marks.
    refs.prevSec = s.prevSec;
    refs.prevNsec = s.prevNsec;
    engine.interfaces = interfaces;
    const p = engine.dissect(r);
    if (this.read === 1) {
      refs.firstSec = s.firstSec;
      refs.firstNsec = s.firstNsec;
    }
    if (this.filter && !this.filter.test(engine.tree)) return false;
    this.shown++;
    if (!o.quiet) {
      const out = this.out;
      if (this.printSummary) {
        const digits = digitsFor(interfaces[r.ifIndex]?.tsResol);
        writeSummary(out, p, o.timeFormat, refs, digits);
      } else if (o.format === "fields") {
        this.colPacket = p;
        this.colDigits = digitsFor(interfaces[r.ifIndex]?.tsResol);
        out.line(fieldsLine(engine.tree, this.items, this.fopts, this.columnText));
      } else if (o.format === "json") {
        out.write((this.jsonFirst ? "" : ",\n") + indent(packetJson(engine.tree.root, p.num, p.tsSec)));
        this.jsonFirst = false;
      } else {
        if (o.verbose) out.write(treeText(engine.tree.root, !o.hex, o.detailProtocols));
        if (o.hex) out.write((o.verbose ? "\n" : "") + packetHex(p.data, engine.tree.sources));
        out.write("\n");
      }
    }
    refs.prevDispSec = p.tsSec;
    refs.prevDispNsec = p.tsNsec;
    engine.displayed(p);
    return true;
  }

  private column(title: string): string {
    const p = this.colPacket!;
    switch (title) {
      case "No.": return String(p.num);
      case "Time": return timeColumn(this.o.timeFormat, p, this.refs, this.colDigits);
      case "Source": return srcColumn(p);
      case "Destination": return dstColumn(p);
      case "Protocol": return p.protocol;
      case "Length": return String(p.wireLen);
      case "Info": return p.info.toString();
      default: return "";
    }
  }

  /** Closes the JSON array and flushes. */
  end(): void {
    if (this.o.format === "json" && !this.o.quiet) this.out.write(this.jsonFirst ? "]\n" : "\n]\n");
    this.out.flush();
  }
}

function indent(json: string): string {
  return "  " + json.replace(/\n/g, "\n  ");
}

/** -O's comma-separated protocol list (unknown names are ignored, as tshark does). */
export function detailProtocols(list: unknown): ReadonlySet<string> | undefined {
  if (typeof list !== "string") return undefined;
  return new Set(list.split(",").map((x) => x.trim()).filter((x) => x !== ""));
}
