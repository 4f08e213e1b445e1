// One frame under dissection. A single Packet object is reused for every frame of a run, so the
// per-packet path allocates nothing it does not print.
import type { Expert } from "./fields.js";
import { Session } from "./session.js";
import { Stack } from "./stack.js";
import { TextColumn } from "./column.js";

export const enum AddrKind {
  NONE,
  ETHER,
  IPV4,
  IPV6,
  TEXT,
}

/**
 * Headers dissected whole, as Wireshark's conversation taps see them: a tap is queued only once
 * its protocol's header (options included) was read without a bounds error.
 */
export const enum Tap {
  IP = 1,
  TCP = 2,
  UDP = 4,
}

export interface ExpertHit {
  expert: Expert;
  off: number;
  len: number;
  text: string;
}

export class Packet {
  /** Captured bytes of this frame only. */
  data: Uint8Array = new Uint8Array(0);
  /** Frame number, 1-based. */
  num = 0;
  /** Length on the wire (may exceed data.length when the snaplen cut the frame). */
  wireLen = 0;
  tsSec = 0;
  tsNsec = 0;
  linkType = 1;
  ifIndex = 0;
  comment: string | undefined = undefined;

  /** State shared across the frames of one read (relative times, conversations). */
  session: Session = new Session();

  /** Whether the Info column and address columns are wanted for this run. */
  wantCols = true;

  /** Protocol column (the innermost protocol that set it). */
  protocol = "";
  /** Info column (write it only when wantCols). */
  readonly info = new TextColumn();
  srcKind = AddrKind.NONE;
  /** The bytes srcOff points into: the frame's, or reassembled bytes (a header inside them). */
  srcData: Uint8Array = this.data;
  srcOff = 0;
  srcText = "";
  dstKind = AddrKind.NONE;
  dstData: Uint8Array = this.data;
  dstOff = 0;
  dstText = "";
  /** Link-layer source/destination kept aside for the NIC model and conversations. */
  dlSrcOff = -1;
  dlDstOff = -1;

  /** Layer names as in `frame.protocols` ("eth:ethertype:ip:udp:dns"). */
  readonly layers = new Stack<string>();
  /** The protocols at the top level of the detail tree (what tshark's `-z io,phs` counts). */
  readonly topLayers = new Stack<string>();
  /** The bytes are cut short by the snaplen ("[Packet size limited during capture]"). */
  short = false;
  /** The packet contradicts itself ("[Malformed Packet]"). */
  malformed = false;
  readonly experts = new Stack<ExpertHit>();

  /** Set by the network layer: 4 or 6 (0 when none), and where its addresses are. The transport
   *  layer reads them for checksums, conversations and stream indexes. */
  ipVersion = 0;
  /** The bytes ipSrcOff and ipDstOff point into (the frame's unless the header was reassembled). */
  ipData: Uint8Array = this.data;
  ipSrcOff = -1;
  ipDstOff = -1;
  /** Where the network layer's datagram ends (by its own length field), -1 when unknown. */
  l3End = -1;
  /** No timestamp was recorded for this frame (pcapng Simple Packet Block). */
  noTimestamp = false;
  /** Set by the transport layer for statistics/NIC consumers; -1 when absent. */
  ipProto = -1;
  srcPort = -1;
  dstPort = -1;
  /** Tap bits of the headers dissected whole (outside ICMP errors). */
  taps = 0;
  /**
   * Set by a TCP payload dissector that needs more bytes than it was given (Wireshark's
   * pinfo->desegment_offset / desegment_len; see tcp-reassembly.ts): where its unfinished PDU
   * starts, relative to the offset it was called with, and how many more bytes it needs.
   */
  desegmentOffset = 0;
  desegmentLen = 0;
  /** tcp.stream of the segment (-1 outside TCP): payload protocols key their conversation state on it. */
  tcpStream = -1;
  /** TCP can reassemble what the payload dissector asks for (Wireshark's pinfo->can_desegment). */
  canDesegment = false;

  reset(data: Uint8Array, wireLen: number): void {
    this.data = data;
    this.wireLen = wireLen;
    this.protocol = "";
    this.info.reset();
    this.srcKind = AddrKind.NONE;
    this.srcData = data;
    this.dstKind = AddrKind.NONE;
    this.dstData = data;
    this.dlSrcOff = -1;
    this.dlDstOff = -1;
    this.layers.clear();
    this.topLayers.clear();
    this.short = false;
    this.malformed = false;
    this.experts.clear();
    this.ipVersion = 0;
    this.ipData = data;
    this.ipSrcOff = -1;
    this.ipDstOff = -1;
    this.l3End = -1;
    this.ipProto = -1;
    this.srcPort = -1;
    this.dstPort = -1;
    this.taps = 0;
    this.desegmentLen = 0;
    this.tcpStream = -1;
  }

  /** The source address is at `off` in `data` (the bytes the dissector reads: Tree.d). */
  setSrc(kind: AddrKind, off: number, data: Uint8Array): void {
    this.srcKind = kind;
    this.srcData = data;
    this.srcOff = off;
  }

  setDst(kind: AddrKind, off: number, data: Uint8Array): void {
    this.dstKind = kind;
    this.dstData = data;
    this.dstOff = off;
  }

  setSrcText(text: string): void {
    this.srcKind = AddrKind.TEXT;
    this.srcText = text;
  }

  setDstText(text: string): void {
    this.dstKind = AddrKind.TEXT;
    this.dstText = text;
  }
}
