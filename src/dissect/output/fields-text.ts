// `-T fields -e F ... -E opt=value`: one line per packet with the chosen fields.
import { FT, type Field, fieldByName } from "../fields.js";
import { bytesToHex, fieldValueText, type Val } from "../format.js";
import type { Node, Tree } from "../tree.js";
import { nodeText } from "./tree-text.js";

export interface FieldsOptions {
  separator: string;
  aggregator: string;
  occurrence: "f" | "l" | "a" | number;
  quote: "" | '"' | "'";
  header: boolean;
}

export const DEFAULT_FIELDS_OPTIONS: FieldsOptions = { separator: "\t", aggregator: ",", occurrence: "a", quote: "", header: false };

function unescape(v: string): string {
  if (v === "/t") return "\t";
  if (v === "/s") return " ";
  if (v === "/n") return "\n";
  return v;
}

/** Applies one `-E name=value`; returns an error message or null. */
export function applyFieldsOption(o: FieldsOptions, spec: string): string | null {
  const eq = spec.indexOf("=");
  if (eq < 0) return `invalid -E option "${spec}" (expected name=value)`;
  const name = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  switch (name) {
    case "separator": o.separator = unescape(value); return null;
    case "aggregator": o.aggregator = unescape(value); return null;
    case "header": o.header = value === "y"; return null;
    case "quote": o.quote = value === "d" ? '"' : value === "s" ? "'" : ""; return null;
    case "occurrence": {
      if (value === "f" || value === "l" || value === "a") o.occurrence = value;
      else if (/^-?\d+$/.test(value)) o.occurrence = Number(value);
      else return `invalid occurrence "${value}" (f, l, a or a number)`;
      return null;
    }
    case "bom": return null;
    default: return `unknown -E option "${name}"`;
  }
}

/**
 * A summary column asked for as `_ws.col.TITLE` (tshark's default titles: No., Time, Source,
 * Destination, Protocol, Length, Info); an unknown title prints nothing, as in tshark.
 */
export interface ColumnItem {
  readonly column: string;
}

export type FieldsItem = Field | ColumnItem;

const COLUMN_PREFIX = "_ws.col.";

function isColumn(item: FieldsItem): item is ColumnItem {
  return (item as ColumnItem).column !== undefined;
}

/** Resolves `-e` names; unknown names are reported the way tshark does. */
export function resolveFields(names: readonly string[]): { items: FieldsItem[]; fields: Field[]; unknown: string[] } {
  const items: FieldsItem[] = [];
  const fields: Field[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const f = fieldByName(n);
    if (f) {
      items.push(f);
      fields.push(f);
    } else if (n.startsWith(COLUMN_PREFIX) && n.length > COLUMN_PREFIX.length) items.push({ column: n.slice(COLUMN_PREFIX.length) });
    else unknown.push(n);
  }
  return { items, fields, unknown };
}

export function fieldsHeader(items: readonly FieldsItem[], o: FieldsOptions): string {
  // tshark does not quote the names.
  return items.map((f) => (isColumn(f) ? COLUMN_PREFIX + f.column : f.abbrev)).join(o.separator);
}

/** One -T fields line; `column(title)` gives a summary column's text. */
export function fieldsLine(t: Tree, items: readonly FieldsItem[], o: FieldsOptions, column: (title: string) => string): string {
  let line = "";
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let s = "";
    if (isColumn(item)) {
      s = column(item.column);
      if (s !== "") s = o.quote + s + o.quote;
    } else s = fieldText(t, item, o);
    line += (i ? o.separator : "") + s;
  }
  return line;
}

function fieldText(t: Tree, f: Field, o: FieldsOptions): string {
  // A protocol prints as its item's label ("Internet Protocol Version 4, Src: ..."), which only
  // a full tree has (the caller asks for one: needsFullTree).
  let vals: readonly unknown[] = t.get(f);
  if (f.type === FT.PROTOCOL) {
    // Undecoded data, and protocol items a dissector adds inside its own (IPv4's options), print
    // their bytes in hex, as tshark does.
    if (f.abbrev === "data" || f.proto !== null) vals = vals.map((v) => (v instanceof Uint8Array ? bytesToHex(v) : ""));
    else if (t.full) vals = protocolLabels(t.root, f, []);
  }
  if (vals.length === 0) return "";
  const text = (v: unknown) => (f.type === FT.PROTOCOL ? (v as string) : fieldValueText(f, v as Val));
  let s = "";
  const occ = o.occurrence;
  if (occ === "a") {
    for (let j = 0; j < vals.length; j++) s += (j ? o.aggregator : "") + text(vals[j]);
  } else if (occ === "f") s = text(vals[0]);
  else if (occ === "l") s = text(vals[vals.length - 1]);
  else {
    const idx = occ > 0 ? occ - 1 : vals.length + occ;
    const v = vals[idx];
    if (v !== undefined) s = text(v);
  }
  return o.quote + s + o.quote;
}

/**
 * What tshark prints for a protocol: the label its dissector gave the item, else (the item shows
 * just the protocol's name) the protocol's abbreviation.
 */
function protocolLabels(n: Node, f: Field, out: string[]): string[] {
  for (const k of n.kids ?? []) {
    if (k.f === f) out.push(k.text !== null && k.text !== f.name ? nodeText(k) : f.abbrev);
    if (k.kids) protocolLabels(k, f, out);
  }
  return out;
}

/** Whether printing these fields needs the full tree (a protocol's label). */
export function needsFullTree(items: readonly FieldsItem[]): boolean {
  return items.some((f) => !isColumn(f) && f.type === FT.PROTOCOL);
}
