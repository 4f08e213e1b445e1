// Where dissectors put what they decode. Like Wireshark's proto_tree_add_item, a dissector always
// makes the same calls; the Tree decides what they cost:
//  - summary mode records nothing (columns only),
//  - field mode records values only for the fields a filter or `-e` asked for,
//  - full mode also builds the node tree for `-V` and JSON.
// Every add checks its bytes against the current bounds: past the captured end the packet is
// "short" (snaplen), past the length the packet claims it is malformed. Both unwind to the engine.
import { FT, type Expert, type Field, fieldCount } from "./fields.js";
import { etherAt, ipv4At, type Val } from "./format.js";
import type { Packet } from "./packet.js";
import { relTimeValue } from "./session.js";
import { GROUP_CODE, SEVERITY_CODE, ws } from "./ws.js";

export interface Node {
  f: Field | null;
  off: number;
  len: number;
  v: Val | undefined;
  /** Raw container value for bitmask fields (drives the "..1. ...." pattern). */
  raw: number;
  text: string | null;
  kids: Node[] | null;
  /** Set on an item of a visible field that this packet adds hidden (Wireshark's PROTO_ITEM_SET_HIDDEN). */
  hidden?: boolean;
  /**
   * Of a text item (no field): whether Wireshark marks it generated, which is what puts its label
   * in brackets (-T json keys it without them). Unset: a label in brackets is taken as generated;
   * false (line()): the brackets are the item's own text.
   */
  generated?: boolean;
}

/** Thrown (as a preallocated value, no stack capture) when a read passes the captured bytes. */
export const SHORT = { kind: "short" as const };
/** Thrown when a read passes the length the packet claims for itself. */
export const MALFORMED = { kind: "malformed" as const };
export type BoundsSignal = typeof SHORT | typeof MALFORMED;

export function isBoundsSignal(e: unknown): e is BoundsSignal {
  return e === SHORT || e === MALFORMED;
}

export interface TreeMark {
  readonly cur: Node;
  readonly depth: number;
  readonly stackLen: number;
  readonly boundsDepth: number;
  readonly cap: number;
  readonly rep: number;
  readonly curProto: string;
}

export enum TreeMode {
  SUMMARY,
  FIELDS,
  FULL,
}

export class Tree {
  readonly full: boolean;
  readonly want: Uint8Array;
  private readonly values: (Val[] | undefined)[] = [];
  private readonly touched: number[] = [];

  root: Node = { f: null, off: 0, len: 0, v: undefined, raw: 0, text: null, kids: [] };
  private cur: Node = this.root;
  private last: Node | null = null;
  private readonly stack: Node[] = [];

  d: Uint8Array = new Uint8Array(0);
  /** End of captured bytes available to the current layer. */
  cap = 0;
  /** End of the bytes the current layer claims to have. */
  rep = 0;
  private readonly boundsStack: number[] = [];
  private boundsDepth = 0;
  /** Name of the innermost protocol entered, for "[Malformed Packet: X]". */
  curProto = "";
  /** Items opened and not yet closed (protocols and subtrees), kept in every mode. */
  private depth = 0;

  /**
   * Whether tshark would build a protocol tree in this run: a detail view, or any field asked for
   * (-T fields, -Y). A few dissectors differ there (what counts as short or malformed).
   */
  readonly buildsTree: boolean;

  constructor(mode: TreeMode, wanted: Iterable<Field> = []) {
    this.full = mode === TreeMode.FULL;
    this.want = new Uint8Array(fieldCount());
    if (this.full) this.want.fill(1);
    else if (mode === TreeMode.FIELDS) for (const f of wanted) this.want[f.id] = 1;
    this.buildsTree = this.full || this.want.indexOf(1) >= 0;
  }

  wants(f: Field): boolean {
    return this.want[f.id] === 1;
  }

  /** Increases by one per packet: lets a protocol keep per-packet budgets without a hook. */
  serial = 0;

  /** This packet's data sources besides the frame ("Reassembled TCP"...), in order, for -x. */
  readonly sources: { name: string; data: Uint8Array }[] = [];

  reset(p: Packet): void {
    this.serial++;
    if (this.sources.length !== 0) this.sources.length = 0;
    const t = this.touched;
    if (t.length !== 0) {
      for (let i = 0; i < t.length; i++) this.values[t[i]!]!.length = 0;
      t.length = 0;
    }
    this.d = p.data;
    this.cap = p.data.length;
    this.rep = Math.max(p.wireLen, p.data.length);
    this.boundsDepth = 0;
    this.curProto = "";
    this.depth = 0;
    if (this.full) {
      this.root = { f: null, off: 0, len: 0, v: undefined, raw: 0, text: null, kids: [] };
      this.cur = this.root;
      this.stack.length = 0;
      this.last = null;
    }
  }

  /** Values recorded for a field in this packet (empty when absent or not wanted). */
  get(f: Field): readonly Val[] {
    return this.values[f.id] ?? EMPTY;
  }

  has(f: Field): boolean {
    const a = this.values[f.id];
    return a !== undefined && a.length > 0;
  }

  // ---- bounds ----

  check(off: number, len: number): void {
    if (off + len > this.cap || (off | len) < 0) this.outOfBounds(off, len);
  }

  // The add methods below are kept tiny (bounds test, want test, then a call only when something
  // is recorded) so the compiler inlines them into the dissectors: in summary mode a field costs
  // two compares, not a call.
  private outOfBounds(off: number, len: number): never {
    throw off + len > this.rep ? MALFORMED : SHORT;
  }

  /** Does [off, off+len) lie within the captured bytes of this layer? */
  avail(off: number, len: number): boolean {
    return off >= 0 && len >= 0 && off + len <= this.cap;
  }

  /** Narrow the bounds to a layer that claims to end at `end` (e.g. IP total length). */
  enter(end: number): void {
    const b = this.boundsStack;
    b[this.boundsDepth++] = this.cap;
    b[this.boundsDepth++] = this.rep;
    this.rep = Math.min(end, this.rep);
    this.cap = Math.min(this.cap, this.rep);
  }

  leave(): void {
    if (this.boundsDepth < 2) return;
    this.rep = this.boundsStack[--this.boundsDepth]!;
    this.cap = this.boundsStack[--this.boundsDepth]!;
  }

  // ---- recording ----

  private rec(f: Field, v: Val): void {
    let a = this.values[f.id];
    if (a === undefined) {
      a = [];
      this.values[f.id] = a;
    }
    if (a.length === 0) this.touched.push(f.id);
    a.push(v);
  }

  private node(f: Field | null, off: number, len: number, v: Val | undefined, raw: number): void {
    const n: Node = { f, off, len, v, raw, text: null, kids: null };
    (this.cur.kids ??= []).push(n);
    this.last = n;
  }

  /** Open a protocol: adds it to frame.protocols and makes it the parent of what follows. */
  proto(p: Packet, f: Field, off: number, len: number): void {
    p.layers.push(f.abbrev);
    if (this.depth === 0) p.topLayers.push(f.abbrev);
    this.curProto = f.name;
    // With none of its bytes captured, a protocol is listed in frame.protocols but, as in
    // Wireshark, has no item to filter on.
    if (this.want[f.id] === 1 && (off < this.cap || len === 0)) {
      const end = Math.min(off + len, this.d.length);
      const bytes = this.d.subarray(off, end);
      this.rec(f, bytes);
      if (this.full) {
        this.node(f, off, end - off, bytes, 0);
        this.enterLast();
      }
    }
    this.depth++;
  }

  /** Close the protocol (or subtree) opened last. */
  up(): void {
    if (this.depth > 0) this.depth--;
    if (this.full) this.cur = this.stack.pop() ?? this.root;
  }

  /** Make the last added item the parent of what follows. */
  down(): void {
    this.depth++;
    if (this.full) this.enterLast();
  }

  private enterLast(): void {
    if (this.last) {
      this.stack.push(this.cur);
      this.cur = this.last;
      this.last.kids ??= [];
    }
  }

  uint(f: Field, off: number, len: number, raw: number): void {
    if (off + len > this.cap || (off | len) < 0) this.outOfBounds(off, len);
    if (this.want[f.id] === 1) this.addUint(f, off, len, raw);
  }

  private addUint(f: Field, off: number, len: number, raw: number): void {
    const v = f.mask ? (raw & f.mask) >>> f.shift : raw;
    this.rec(f, v);
    if (this.full) this.node(f, off, len, v, raw);
  }

  bool(f: Field, off: number, len: number, raw: number): void {
    if (off + len > this.cap || (off | len) < 0) this.outOfBounds(off, len);
    if (this.want[f.id] === 1) this.addBool(f, off, len, raw);
  }

  private addBool(f: Field, off: number, len: number, raw: number): void {
    const v = (f.mask ? raw & f.mask : raw) !== 0 ? 1 : 0;
    this.rec(f, v);
    if (this.full) this.node(f, off, len, v, raw);
  }

  ether(f: Field, off: number): void {
    if (off + 6 > this.cap || off < 0) this.outOfBounds(off, 6);
    if (this.want[f.id] === 1) this.add(f, off, 6, etherAt(this.d, off));
  }

  ipv4(f: Field, off: number): void {
    if (off + 4 > this.cap || off < 0) this.outOfBounds(off, 4);
    if (this.want[f.id] === 1) this.add(f, off, 4, ipv4At(this.d, off));
  }

  ipv6(f: Field, off: number): void {
    if (off + 16 > this.cap || off < 0) this.outOfBounds(off, 16);
    if (this.want[f.id] === 1) this.add(f, off, 16, this.d.subarray(off, off + 16));
  }

  bytes(f: Field, off: number, len: number): void {
    if (off + len > this.cap || (off | len) < 0) this.outOfBounds(off, len);
    if (this.want[f.id] === 1) this.add(f, off, len, this.d.subarray(off, off + len));
  }

  /** A string value the dissector already decoded (call only when `wants(f)` to skip the work). */
  str(f: Field, off: number, len: number, s: string): void {
    if (off + len > this.cap || (off | len) < 0) this.outOfBounds(off, len);
    if (this.want[f.id] === 1) this.add(f, off, len, s);
  }

  /** Any value the dissector computed itself (joined options, padded prefixes...). */
  value(f: Field, off: number, len: number, v: Val): void {
    if (off + len > this.cap || (off | len) < 0) this.outOfBounds(off, len);
    if (this.want[f.id] === 1) this.add(f, off, len, v);
  }

  /** A number not read from the wire (times, computed lengths, stream indexes). */
  num(f: Field, v: number): void {
    if (this.want[f.id] === 1) this.add(f, 0, 0, v);
  }

  /**
   * An FT_RELATIVE_TIME value, a - b, from two timestamps in seconds and nanoseconds: exact to the
   * nanosecond at any size (session.ts relTimeValue), and computed only when the field is wanted.
   */
  relTime(f: Field, aSec: number, aNsec: number, bSec: number, bNsec: number): void {
    if (this.want[f.id] === 1) this.add(f, 0, 0, relTimeValue(aSec, aNsec, bSec, bNsec));
  }

  private add(f: Field, off: number, len: number, v: Val): void {
    this.rec(f, v);
    if (this.full) this.node(f, off, len, v, typeof v === "number" ? v : 0);
  }

  /** An FT_NONE marker item (text only in the tree, existence for filters). */
  none(f: Field, off: number, len: number, text: string | null = null): void {
    if (this.want[f.id] === 1) {
      this.rec(f, "");
      if (this.full) {
        this.node(f, off, len, undefined, 0);
        this.last!.text = text;
      }
    }
  }

  /**
   * A text-only line in the tree (no field). Build the string only when `full`. A label in
   * brackets is a generated item's ("[Timestamps]"); for text shown as it is, use line().
   */
  text(label: string, off: number, len: number): void {
    if (this.full) {
      this.node(null, off, len, undefined, 0);
      this.last!.text = label;
    }
  }

  /** A text item whose label is the packet's own text (a line of text data), brackets or not. */
  line(label: string, off: number, len: number): void {
    if (this.full) {
      this.node(null, off, len, undefined, 0);
      this.last!.text = label;
      this.last!.generated = false;
    }
  }

  /** Hide the item just added from the text tree; JSON and filters still see it. */
  hideLast(): void {
    if (this.full && this.last) this.last.hidden = true;
  }

  /** Replace the label of the item just added (full mode only). */
  label(text: string): void {
    if (this.full && this.last) this.last.text = text;
  }

  /**
   * Runs `fn` over `data` as a data source of its own (reassembled bytes): the offsets `fn` uses
   * are into `data`, whose bytes are all there; the packet's bytes and bounds come back after.
   * A `name` lists it among the packet's data sources (tshark -x dumps each under its name).
   */
  source(data: Uint8Array, fn: () => void, name?: string): void {
    if (name !== undefined && !this.sources.some((x) => x.data === data)) this.sources.push({ name, data });
    const d = this.d, cap = this.cap, rep = this.rep, depth = this.boundsDepth;
    this.d = data;
    this.cap = data.length;
    this.rep = data.length;
    try {
      fn();
    } finally {
      this.d = d;
      this.cap = cap;
      this.rep = rep;
      this.boundsDepth = depth;
    }
  }

  /** Runs `fn` with what it adds at the top level of the tree (the bounds stay as they are). */
  atTop(fn: () => void): void {
    const cur = this.cur, depth = this.depth, stack = this.stack.length;
    if (this.full) this.cur = this.root;
    this.depth = 0;
    try {
      fn();
    } finally {
      this.cur = cur;
      this.depth = depth;
      this.stack.length = stack;
    }
  }

  /** Top-level items so far (full mode), for moveLastTo(). */
  topCount(): number {
    return this.full ? (this.root.kids?.length ?? 0) : 0;
  }

  /** Moves the last top-level item to position `i` (items known only after what follows them). */
  moveLastTo(i: number): void {
    const kids = this.full ? this.root.kids : null;
    if (kids && i < kids.length - 1) kids.splice(i, 0, kids.pop()!);
  }

  /** Items so far under the item being filled (full mode), for moveLastChildTo(). */
  childCount(): number {
    return this.full ? (this.cur.kids?.length ?? 0) : 0;
  }

  /** Moves the last item under the current one to position `i` (bits known only after later fields). */
  moveLastChildTo(i: number): void {
    const kids = this.full ? this.cur.kids : null;
    if (kids && i < kids.length - 1) kids.splice(i, 0, kids.pop()!);
  }

  /** Where the tree and bounds stand, to come back to after a nested dissection (ICMP errors). */
  mark(): TreeMark {
    return { cur: this.cur, depth: this.depth, stackLen: this.stack.length, boundsDepth: this.boundsDepth, cap: this.cap, rep: this.rep, curProto: this.curProto };
  }

  restore(m: TreeMark): void {
    this.depth = m.depth;
    this.stack.length = m.stackLen;
    this.cur = m.cur;
    this.boundsDepth = m.boundsDepth;
    this.cap = m.cap;
    this.rep = m.rep;
    this.curProto = m.curProto;
  }

  /** Back to the top level after a bounds signal unwound the dissectors. */
  unwind(): void {
    this.depth = 0;
    if (this.full) {
      this.cur = this.root;
      this.stack.length = 0;
    }
    this.cap = this.d.length;
    this.boundsDepth = 0;
  }

  /**
   * Make the last top-level item of protocol `f` the parent again (Ethernet's padding and
   * trailer are known only after its payload was dissected). Pair with up().
   */
  reopen(f: Field): void {
    this.depth++;
    if (!this.full) return;
    const kids = this.root.kids ?? [];
    for (let i = kids.length - 1; i >= 0; i--) {
      if (kids[i]!.f === f) {
        this.stack.push(this.cur);
        this.cur = kids[i]!;
        return;
      }
    }
    this.stack.push(this.cur);
  }

  /** frame.protocols is known only at the end; it still belongs under the frame item. */
  addFrameProtocols(f: Field, s: string): void {
    this.rec(f, s);
    const frame = this.full ? this.root.kids?.[0] : undefined;
    if (frame) (frame.kids ??= []).push({ f, off: 0, len: 0, v: s, raw: 0, text: null, kids: null });
  }

  expert(p: Packet, e: Expert, off: number, len: number, text: string = e.summary): void {
    this.expertUnder(null, p, e, off, len, text);
  }

  /**
   * Wireshark's proto_tree_add_expert: a text item of its own, labelled with the expert's text,
   * with the expert info under it (expert() attaches to the tree where it stands instead).
   */
  expertItem(p: Packet, e: Expert, off: number, len: number, text: string = e.summary): void {
    if (!this.full) {
      this.expertUnder(null, p, e, off, len, text);
      return;
    }
    this.node(null, off, len, undefined, 0);
    const item = this.last!;
    item.text = text;
    this.expertUnder(item, p, e, off, len, text);
  }

  /** The item added last (full mode; null otherwise), to attach an expert info to it later. */
  lastItem(): Node | null {
    return this.full ? this.last : null;
  }

  /**
   * An expert info under `item` (from lastItem()), as Wireshark's expert_add_info on an item
   * added earlier; where the tree stands when `item` is null.
   */
  expertUnder(item: Node | null, p: Packet, e: Expert, off: number, len: number, text: string = e.summary): void {
    p.experts.push({ expert: e, off, len, text });
    if (this.buildsTree) this.addExpert(item, e, off, len, text);
  }

  /** Records the expert's fields and, in full mode, builds its items (kept apart so expertUnder inlines). */
  private addExpert(item: Node | null, e: Expert, off: number, len: number, text: string): void {
    const w = this.want;
    if ((w[e.field.id]! | w[ws.expert.id]! | w[ws.expert_message.id]! | w[ws.expert_severity.id]! | w[ws.expert_group.id]! | w[ws.malformed.id]!) === 0) return;
    const sevCode = SEVERITY_CODE[e.severity];
    const grpCode = GROUP_CODE[e.group];
    if (w[ws.expert.id] === 1) this.rec(ws.expert, "");
    if (w[e.field.id] === 1) this.rec(e.field, "");
    if (w[ws.expert_message.id] === 1) this.rec(ws.expert_message, text);
    if (w[ws.expert_severity.id] === 1) this.rec(ws.expert_severity, sevCode);
    if (w[ws.expert_group.id] === 1) this.rec(ws.expert_group, grpCode);
    if (e.group === "malformed" && w[ws.malformed.id] === 1) this.rec(ws.malformed, "");
    if (!this.full) return;
    // As Wireshark's tree: "[Expert Info (Severity/Group): text]" over the expert's own item (its
    // text), the hidden message, the severity and the group.
    const sev = ws.expert_severity.strings!.get(sevCode)!;
    const grp = ws.expert_group.strings!.get(grpCode)!;
    const kid = (f: Field, v: Val | undefined, label: string | null): Node => ({ f, off, len, v, raw: 0, text: label, kids: null });
    const n: Node = {
      f: ws.expert,
      off,
      len,
      v: undefined,
      raw: 0,
      text: `[Expert Info (${sev}/${grp}): ${text}]`,
      kids: [kid(e.field, undefined, `[${text}]`), kid(ws.expert_message, text, null), kid(ws.expert_severity, sevCode, `[Severity level: ${sev}]`), kid(ws.expert_group, grpCode, `[Group: ${grp}]`)],
    };
    // A malformed-group expert also adds a hidden "_ws.malformed" item, so the filter finds it.
    const marker: Node | null = e.group === "malformed" ? { f: ws.malformed, off, len, v: undefined, raw: 0, text: ws.malformed.name, kids: null, hidden: true } : null;
    const parent = item ?? this.cur;
    (parent.kids ??= []).push(n);
    if (marker !== null) parent.kids.push(marker);
    if (item === null) this.last = n;
  }
}

const EMPTY: readonly Val[] = [];

export function isAddressType(t: FT): boolean {
  return t === FT.ETHER || t === FT.IPV4 || t === FT.IPV6;
}
