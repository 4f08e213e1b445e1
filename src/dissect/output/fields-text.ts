// `-T fields -e F ... -E opt=value`: one line per packet with the chosen fields.
import { type Field, fieldByName } from "../fields.js";
import { fieldValueText } from "../format.js";
import type { Tree } from "../tree.js";

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

/** Resolves `-e` names; unknown names are reported the way tshark does. */
export function resolveFields(names: readonly string[]): { fields: Field[]; unknown: string[] } {
  const fields: Field[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const f = fieldByName(n);
    if (f) fields.push(f);
    else unknown.push(n);
  }
  return { fields, unknown };
}

export function fieldsHeader(fields: readonly Field[], o: FieldsOptions): string {
  return fields.map((f) => o.quote + f.abbrev + o.quote).join(o.separator);
}

export function fieldsLine(t: Tree, fields: readonly Field[], o: FieldsOptions): string {
  let line = "";
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const vals = t.get(f);
    let s = "";
    if (vals.length > 0) {
      const occ = o.occurrence;
      if (occ === "a") {
        for (let j = 0; j < vals.length; j++) s += (j ? o.aggregator : "") + fieldValueText(f, vals[j]!);
      } else if (occ === "f") s = fieldValueText(f, vals[0]!);
      else if (occ === "l") s = fieldValueText(f, vals[vals.length - 1]!);
      else {
        const idx = occ > 0 ? occ - 1 : vals.length + occ;
        const v = vals[idx];
        if (v !== undefined) s = fieldValueText(f, v);
      }
      s = o.quote + s + o.quote;
    }
    line += (i ? o.separator : "") + s;
  }
  return line;
}
