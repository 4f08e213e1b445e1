// Reassembly of IPv4 and IPv6 fragments, as Wireshark 4.0 does by default (ip.defragment,
// ipv6.defragment) in its one pass (reassemble.c, fragment_add_check):
//  - fragments are kept by (source, destination, identification) until the datagram's bytes are
//    all there, contiguously from 0 to the end the tail fragment (no More Fragments) gave;
//  - the datagram is then decoded in the fragment that completed it, as a data source of its own
//    ("Reassembled IPv4"), with the list of its fragments; the others show as fragments only;
//  - overlapping fragments keep the bytes that came first in offset order (the earlier arrival on
//    equal offsets); an overlap is flagged, and a conflict when the bytes differ; a second tail
//    that gives another length, and bytes past the end, are flagged as errors;
//  - a completed datagram leaves the table: a fragment that comes after it starts a new one.
//
// Memory: Wireshark keeps every fragment of a capture. Here at most MAX_PENDING datagrams and
// MAX_HELD bytes wait at once; past that the oldest pending datagram is dropped (its later
// fragments then never complete it).
import { FT, registerFields, type Field } from "../fields.js";
import { bytesPreview } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

const OVERLAP = 1, CONFLICT = 2, MULTIPLE_TAILS = 4, TOO_LONG = 8;
const ERRORS = CONFLICT | MULTIPLE_TAILS | TOO_LONG;

const MAX_PENDING = 4096;
const MAX_HELD = 8 << 20;

interface Fragment {
  frame: number;
  offset: number;
  len: number;
  bytes: Uint8Array;
  flags: number;
}

/** A datagram being (or just) put together. */
export interface Datagram {
  /** Fragments in offset order (equal offsets in arrival order). */
  frags: Fragment[];
  /** Length the tail fragment gave, or -1 before one came. */
  datalen: number;
  flags: number;
  held: number;
  /** The reassembled bytes, once complete. */
  data: Uint8Array;
}

const NO_BYTES = new Uint8Array(0);

export class FragmentTable {
  private readonly pending = new Map<string, Datagram>();
  private held = 0;

  /**
   * Adds the fragment `d[off, off+len)` at byte `offset` of datagram `key`. Returns the datagram
   * when this fragment completes it (it then leaves the table), else null.
   */
  add(key: string, frame: number, d: Uint8Array, off: number, len: number, offset: number, more: boolean): Datagram | null {
    let dg = this.pending.get(key);
    if (dg === undefined) {
      dg = { frags: [], datalen: -1, flags: 0, held: 0, data: NO_BYTES };
      this.pending.set(key, dg);
    }
    const frag: Fragment = { frame, offset, len, bytes: d.slice(off, off + len), flags: 0 };
    if (!more) {
      if (dg.datalen < 0) dg.datalen = offset + len;
      else if (dg.datalen !== offset + len) {
        frag.flags |= MULTIPLE_TAILS;
        dg.flags |= MULTIPLE_TAILS;
      }
    }
    link(dg.frags, frag);
    dg.held += len;
    this.held += len;
    if (dg.datalen < 0 || contiguous(dg.frags) < dg.datalen) {
      this.bound(dg);
      return null;
    }
    this.pending.delete(key);
    this.held -= dg.held;
    defragment(dg);
    return dg;
  }

  /** Pending datagrams and bytes held (for tests). */
  get size(): number {
    return this.pending.size;
  }

  get heldBytes(): number {
    return this.held;
  }

  private bound(keep: Datagram): void {
    for (const [k, dg] of this.pending) {
      if (this.pending.size <= MAX_PENDING && this.held <= MAX_HELD) return;
      if (dg === keep && this.pending.size === 1) return;
      this.pending.delete(k);
      this.held -= dg.held;
    }
  }
}

/** Inserts after the fragments whose offset is not greater (Wireshark's LINK_FRAG). */
function link(frags: Fragment[], f: Fragment): void {
  let i = frags.length;
  while (i > 0 && frags[i - 1]!.offset > f.offset) i--;
  frags.splice(i, 0, f);
}

/** How many bytes from 0 on are covered without a gap. */
function contiguous(frags: Fragment[]): number {
  let max = 0;
  for (const f of frags) if (f.offset <= max && f.offset + f.len > max) max = f.offset + f.len;
  return max;
}

function defragment(dg: Datagram): void {
  const size = dg.datalen;
  const data = new Uint8Array(size);
  let pos = 0;
  for (const f of dg.frags) {
    if (f.len === 0) continue;
    if (f.offset >= size) {
      f.flags |= TOO_LONG;
      dg.flags |= TOO_LONG;
      continue;
    }
    let fl = f.len;
    if (f.offset + fl > size) {
      f.flags |= TOO_LONG;
      dg.flags |= TOO_LONG;
      fl = size - f.offset;
    }
    const overlap = pos - f.offset;
    if (overlap > 0) {
      f.flags |= OVERLAP;
      dg.flags |= OVERLAP;
      const n = Math.min(f.len, overlap);
      for (let i = 0; i < n; i++) {
        if (data[f.offset + i] !== f.bytes[i]) {
          f.flags |= CONFLICT;
          dg.flags |= CONFLICT;
          break;
        }
      }
    }
    if (f.offset + fl > pos) {
      data.set(f.bytes.subarray(overlap, fl), pos);
      pos = f.offset + fl;
    }
    f.bytes = NO_BYTES;
  }
  dg.data = data;
}

export function registerFragmentFields(proto: Field, ns: "ip" | "ipv6", v: "IPv4" | "IPv6") {
  return registerFields(proto, {
    // Wireshark registers ip.fragments as bytes (the reassembled datagram), ipv6.fragments as a label.
    fragments: { abbrev: `${ns}.fragments`, name: `${v} Fragments`, type: ns === "ip" ? FT.BYTES : FT.NONE },
    fragment: { abbrev: `${ns}.fragment`, name: `${v} Fragment`, type: FT.FRAMENUM },
    overlap: { abbrev: `${ns}.fragment.overlap`, name: "Fragment overlap", type: FT.BOOLEAN, generated: true },
    conflict: { abbrev: `${ns}.fragment.overlap.conflict`, name: "Conflicting data in fragment overlap", type: FT.BOOLEAN, generated: true },
    multiple_tails: { abbrev: `${ns}.fragment.multipletails`, name: "Multiple tail fragments found", type: FT.BOOLEAN, generated: true },
    too_long: { abbrev: `${ns}.fragment.toolongfragment`, name: "Fragment too long", type: FT.BOOLEAN, generated: true },
    error: { abbrev: `${ns}.fragment.error`, name: "Defragmentation error", type: FT.FRAMENUM },
    count: { abbrev: `${ns}.fragment.count`, name: "Fragment count", type: FT.UINT32, generated: true },
    reassembled_in: { abbrev: ns === "ip" ? "ip.reassembled_in" : "ipv6.reassembled.in", name: `Reassembled ${v} in frame`, type: FT.FRAMENUM, generated: true },
    length: { abbrev: `${ns}.reassembled.length`, name: `Reassembled ${v} length`, type: FT.UINT32, generated: true },
    data: { abbrev: `${ns}.reassembled.data`, name: `Reassembled ${v} data`, type: FT.BYTES, generated: true },
  });
}
export type FragmentFields = ReturnType<typeof registerFragmentFields>;

/**
 * "[3 IPv4 Fragments (3008 bytes): #10(1480), #11(1480), #12(48)]" and its items, where the tree
 * stands (inside the IP item). Offsets are into the reassembled bytes.
 */
export function showFragments(p: Packet, t: Tree, f: FragmentFields, dg: Datagram, v: "IPv4" | "IPv6"): void {
  const data = dg.data;
  const size = data.length;
  const n = dg.frags.length;
  t.source(data, () => {
    if (f.fragments.type === FT.BYTES) t.bytes(f.fragments, 0, size);
    else t.none(f.fragments, 0, size);
    if (t.full) {
      const parts = dg.frags.map((fr) => `#${fr.frame}(${fr.len})`).join(", ");
      t.label(`[${n} ${n === 1 ? f.fragment.name : f.fragments.name} (${size} byte${size === 1 ? "" : "s"}): ${parts}]`);
    }
    t.down();
    for (const fr of dg.frags) {
      t.num(fr.flags & ERRORS ? f.error : f.fragment, fr.frame);
      if (t.full) {
        const end = fr.offset + fr.len - 1;
        t.label(fr.len === 0 ? `[Frame: ${fr.frame} (no data)]` : `[Frame: ${fr.frame}, payload: ${fr.offset}-${end} (${fr.len} byte${fr.len === 1 ? "" : "s"})]`);
      }
      if (fr.flags !== 0) {
        t.down();
        if (fr.flags & OVERLAP) t.num(f.overlap, 1);
        if (fr.flags & CONFLICT) t.num(f.conflict, 1);
        if (fr.flags & MULTIPLE_TAILS) t.num(f.multiple_tails, 1);
        if (fr.flags & TOO_LONG) t.num(f.too_long, 1);
        t.up();
      }
    }
    t.num(f.count, n);
    t.num(f.length, size);
    t.bytes(f.data, 0, size);
    if (t.full) t.label(`[${f.data.name}: ${bytesPreview(data)}]`);
    t.up();
  }, `Reassembled ${v}`);
  if (dg.flags & ERRORS && p.wantCols) p.info.set(`[Illegal ${v} fragments]`);
}
