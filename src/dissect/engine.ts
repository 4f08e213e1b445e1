// Runs the dissectors over one frame at a time, catching the bounds signals the Tree throws so a
// truncated or lying packet is decoded as far as its bytes allow and flagged like Wireshark does.
import type { Field } from "./fields.js";
import { linkTypes } from "./dispatch.js";
import { Packet } from "./packet.js";
import { Session } from "./session.js";
import { MALFORMED, SHORT, Tree, TreeMode } from "./tree.js";
import { dissectFrameHeader, ei as frameEi, hf as frameHf, ws, wsEi, type FrameInterface } from "./protocols/frame.js";
import { dissectData } from "./protocols/data.js";
import { linkTypeName } from "./linktypes.js";
import "./protocols/index.js";

/** What a capture reader hands over for each record. */
export interface FrameInput {
  data: Uint8Array;
  wireLen: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  ifIndex: number;
  comment?: string | undefined;
  /** pcapng Simple Packet Blocks carry no time: tshark shows no time fields for them. */
  noTimestamp?: boolean | undefined;
}

export interface EngineOptions {
  mode: TreeMode;
  /** Fields to record in FIELDS mode (ignored in FULL mode, where all are recorded). */
  fields?: Iterable<Field>;
  /** Build Info and address columns (off for pure statistics or filtering-only runs). */
  columns?: boolean;
}

export class Engine {
  readonly tree: Tree;
  readonly session = new Session();
  readonly packet = new Packet();
  /** The reader's interfaces, indexed by FrameInput.ifIndex (for the frame item). */
  interfaces: readonly FrameInterface[] = [];
  private count = 0;

  constructor(opts: EngineOptions) {
    this.tree = new Tree(opts.mode, opts.fields);
    this.packet.wantCols = opts.columns ?? true;
    this.packet.session = this.session;
  }

  dissect(f: FrameInput): Packet {
    const p = this.packet;
    const t = this.tree;
    const s = this.session;
    p.reset(f.data, f.wireLen);
    p.num = ++this.count;
    p.tsSec = f.tsSec;
    p.tsNsec = f.tsNsec;
    p.linkType = f.linkType;
    p.ifIndex = f.ifIndex;
    p.comment = f.comment;
    p.noTimestamp = f.noTimestamp === true;
    if (Number.isNaN(s.firstSec)) {
      s.firstSec = f.tsSec;
      s.firstNsec = f.tsNsec;
    }
    t.reset(p);
    dissectFrameHeader(p, t, s, this.interfaces[f.ifIndex]);
    t.up();
    p.layers.clear(); // frame.protocols starts below the frame itself
    try {
      const d = linkTypes.get(f.linkType);
      if (d) d(p, t, 0);
      else {
        p.protocol = "UNKNOWN";
        if (p.wantCols) p.info.set(`Link type ${f.linkType} (${linkTypeName(f.linkType)}) not decoded`);
        t.expert(p, frameEi.unknown_link, 0, 0, `Link type ${f.linkType} (${linkTypeName(f.linkType)}) is not decoded by arpx`);
        dissectData(p, t, 0);
      }
    } catch (e) {
      t.unwind();
      if (e === SHORT) this.flag(p, ws.short, `[Packet size limited during capture: ${t.curProto} truncated]`, "[Packet size limited during capture]");
      else if (e === MALFORMED) this.flag(p, ws.malformed, `[Malformed Packet: ${t.curProto}]`, "[Malformed Packet]");
      else this.flag(p, ws.malformed, `[Malformed Packet: ${t.curProto}: arpx dissector error: ${(e as Error)?.message ?? String(e)}]`, "[Malformed Packet]");
    }
    if (t.wants(frameHf.protocols)) t.addFrameProtocols(frameHf.protocols, p.layers.join(":"));
    s.prevSec = f.tsSec;
    s.prevNsec = f.tsNsec;
    return p;
  }

  /** Call for each frame that is shown (drives frame.time_delta_displayed). */
  displayed(p: Packet): void {
    this.session.prevDispSec = p.tsSec;
    this.session.prevDispNsec = p.tsNsec;
  }

  private flag(p: Packet, f: Field, treeText: string, infoText: string): void {
    if (f === ws.short) p.short = true;
    else p.malformed = true;
    if (p.wantCols) p.info.add(infoText);
    this.tree.proto(p, f, 0, 0);
    p.layers.pop(); // tshark never lists _ws.malformed / _ws.short in frame.protocols
    this.tree.label(treeText);
    if (f === ws.malformed) {
      this.tree.down();
      this.tree.expert(p, wsEi.malformed, 0, 0);
      this.tree.up();
    }
    this.tree.up();
  }
}
