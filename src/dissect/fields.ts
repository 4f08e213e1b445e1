// The field registry: one table of every protocol and field arpx knows, named as Wireshark names
// them. Detail trees, JSON, `-T fields`, display filters and `arpx fields` all read this table.

export const enum FT {
  PROTOCOL,
  NONE,
  BOOLEAN,
  UINT8,
  UINT16,
  UINT24,
  UINT32,
  UINT64,
  INT32,
  DOUBLE,
  ETHER,
  IPV4,
  IPV6,
  BYTES,
  STRING,
  ABSOLUTE_TIME,
  RELATIVE_TIME,
  FRAMENUM,
}

export const FT_NAMES: readonly string[] = [
  "FT_PROTOCOL", "FT_NONE", "FT_BOOLEAN", "FT_UINT8", "FT_UINT16", "FT_UINT24", "FT_UINT32",
  "FT_UINT64", "FT_INT32", "FT_DOUBLE", "FT_ETHER", "FT_IPv4", "FT_IPv6", "FT_BYTES", "FT_STRING",
  "FT_ABSOLUTE_TIME", "FT_RELATIVE_TIME", "FT_FRAMENUM",
];

export const enum Base {
  NONE,
  DEC,
  HEX,
  DEC_HEX,
  HEX_DEC,
  OCT,
}

export const BASE_NAMES: readonly string[] = ["BASE_NONE", "BASE_DEC", "BASE_HEX", "BASE_DEC_HEX", "BASE_HEX_DEC", "BASE_OCT"];

/** Number -> text tables, as Wireshark's value_string. Unknown values are kept as numbers. */
export type ValueStrings = ReadonlyMap<number, string>;

export interface FieldSpec {
  /** Display filter name, e.g. "ip.ttl". */
  abbrev: string;
  /** Label in the detail tree, e.g. "Time to Live". */
  name: string;
  type: FT;
  base?: Base;
  strings?: ValueStrings;
  /** For booleans: text for set / not set. */
  tfs?: readonly [string, string];
  /** Bits of the container this field occupies; the value is (raw & mask) >> shift. */
  mask?: number;
  /** Container width in bits for bitmask rendering (defaults to the field type's width). */
  bitWidth?: number;
  /** Unit appended in the tree, e.g. " bytes". */
  unit?: string;
  /** Derived by arpx rather than read from the wire ("[...]" in the tree). */
  generated?: boolean;
  /** Filterable and exported, but not shown in the text tree (like Wireshark's hidden items). */
  hidden?: boolean;
  blurb?: string;
}

export interface Field extends Required<Pick<FieldSpec, "abbrev" | "name" | "type">> {
  readonly id: number;
  readonly base: Base;
  readonly strings: ValueStrings | undefined;
  readonly tfs: readonly [string, string] | undefined;
  readonly mask: number;
  readonly shift: number;
  readonly bitWidth: number;
  readonly unit: string;
  readonly generated: boolean;
  readonly hidden: boolean;
  readonly blurb: string;
  /** The protocol this field belongs to (the protocol's own Field for a protocol). */
  readonly proto: Field | null;
}

export type Severity = "chat" | "note" | "warn" | "error";

export interface ExpertSpec {
  abbrev: string;
  group: "checksum" | "sequence" | "protocol" | "malformed" | "undecoded" | "comment" | "reassemble" | "deprecated" | "decryption";
  severity: Severity;
  summary: string;
}

export interface Expert extends ExpertSpec {
  readonly field: Field;
}

const byName = new Map<string, Field>();
const all: Field[] = [];

function typeBits(t: FT): number {
  switch (t) {
    case FT.UINT8: return 8;
    case FT.UINT16: return 16;
    case FT.UINT24: return 24;
    case FT.UINT32: case FT.INT32: return 32;
    default: return 0;
  }
}

function isInteger(t: FT): boolean {
  return t === FT.UINT8 || t === FT.UINT16 || t === FT.UINT24 || t === FT.UINT32 || t === FT.UINT64 || t === FT.INT32 || t === FT.FRAMENUM;
}

function lowestSetBit(mask: number): number {
  if (mask === 0) return 0;
  let s = 0;
  while (((mask / 2 ** s) & 1) === 0) s++;
  return s;
}

function make(spec: FieldSpec, proto: Field | null): Field {
  if (byName.has(spec.abbrev)) throw new Error(`field ${spec.abbrev} registered twice`);
  const mask = spec.mask ?? 0;
  const f: Field = {
    id: all.length,
    abbrev: spec.abbrev,
    name: spec.name,
    type: spec.type,
    base: spec.base ?? (isInteger(spec.type) ? Base.DEC : Base.NONE),
    strings: spec.strings,
    tfs: spec.tfs,
    mask,
    shift: lowestSetBit(mask),
    bitWidth: spec.bitWidth ?? typeBits(spec.type),
    unit: spec.unit ?? "",
    generated: spec.generated ?? false,
    hidden: spec.hidden ?? false,
    blurb: spec.blurb ?? "",
    proto,
  };
  all.push(f);
  byName.set(f.abbrev, f);
  return f;
}

/**
 * Declares a protocol and its fields. Returns the protocol's own field plus a handle per field,
 * keyed as given, so dissectors refer to fields by handle, never by string at run time.
 */
export function registerProtocol<K extends string>(
  abbrev: string,
  name: string,
  fields: Record<K, Omit<FieldSpec, "abbrev"> & { abbrev: string }>,
): { proto: Field } & Record<K, Field> {
  const proto = make({ abbrev, name, type: FT.PROTOCOL }, null);
  const out: Record<string, Field> = { proto };
  for (const key of Object.keys(fields) as K[]) {
    if (key === "proto") throw new Error(`${abbrev}: a field key may not be "proto" (it names the protocol itself)`);
    out[key] = make(fields[key], proto);
  }
  return fastProperties(out) as { proto: Field } & Record<K, Field>;
}

/** Fields added to an already registered protocol (e.g. from a second file). */
export function registerFields<K extends string>(proto: Field, fields: Record<K, FieldSpec>): Record<K, Field> {
  const out: Record<string, Field> = {};
  for (const key of Object.keys(fields) as K[]) out[key] = make(fields[key], proto);
  return fastProperties(out) as Record<K, Field>;
}

/** Expert info, registered like a field so it can be filtered on (e.g. `ip.bogus_header_length`). */
export function registerExperts<K extends string>(proto: Field, specs: Record<K, ExpertSpec>): Record<K, Expert> {
  const out: Record<string, Expert> = {};
  for (const key of Object.keys(specs) as K[]) {
    const s = specs[key];
    out[key] = { ...s, field: make({ abbrev: s.abbrev, name: s.summary, type: FT.NONE }, proto) };
  }
  return fastProperties(out) as Record<K, Expert>;
}

/**
 * V8 keeps an object built key by key (more than a dozen keyed stores) as a hash table, so every
 * `hf.ttl` in a dissector would be a dictionary lookup. A spread copy has ordinary fast properties,
 * which compiled dissectors read as constants.
 */
function fastProperties<T extends object>(o: T): T {
  return { ...o };
}

export function fieldByName(abbrev: string): Field | undefined {
  return byName.get(abbrev);
}

export function allFields(): readonly Field[] {
  return all;
}

export function fieldCount(): number {
  return all.length;
}

export function vals(entries: Record<number, string>): ValueStrings {
  const m = new Map<number, string>();
  for (const k of Object.keys(entries)) m.set(Number(k), entries[Number(k)]!);
  return m;
}

export const TFS_SET: readonly [string, string] = ["Set", "Not set"];
export const TFS_YES: readonly [string, string] = ["Yes", "No"];
export const TFS_TRUE: readonly [string, string] = ["True", "False"];
