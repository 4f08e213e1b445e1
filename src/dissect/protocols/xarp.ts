// Extended ARP (XARP) dissector: resolution of IPv4 + port + transport protocol to an
// application MAC, and the probe/announce/defend/release life cycle of application MACs.
// Wire format in xarp-wire.ts; the specification is docs/extended-arp.md.
import { Base, FT, registerExperts, registerProtocol, TFS_SET, TFS_YES } from "../fields.js";
import { etherStringAt } from "../format.js";
import type { Packet } from "../packet.js";
import { AddrKind } from "../packet.js";
import type { Tree } from "../tree.js";
import { KeyTable } from "../session.js";
import {
  EP, endpointAt, endpointText, FLAG_CANONICAL, macAt, FLAGS_RESERVED, isLocalUnicast, OFF, PROTO_NAMES, XARP, XARP_OP_NAMES, XarpOp, type Endpoint,
} from "./xarp-wire.js";
import { registerArpExtension } from "./arp.js";

const OPCODES = new Map([...XARP_OP_NAMES].map(([k, v]) => [k, v[0]!.toUpperCase() + v.slice(1)]));
const TRANSPORTS = new Map([[0, "none (host address)"], ...[...PROTO_NAMES].map(([k, v]) => [k, v.toUpperCase()] as [number, string])]);

function endpointFields(side: "src" | "dst", label: string) {
  return {
    [`${side}_hw`]: { abbrev: `xarp.${side}.hw_mac`, name: `${label} hardware address`, type: FT.ETHER },
    [`${side}_ip`]: { abbrev: `xarp.${side}.ipv4`, name: `${label} IPv4 address`, type: FT.IPV4 },
    [`${side}_port`]: { abbrev: `xarp.${side}.port`, name: `${label} port`, type: FT.UINT16 },
    [`${side}_tproto`]: { abbrev: `xarp.${side}.proto`, name: `${label} transport protocol`, type: FT.UINT8, strings: TRANSPORTS },
    [`${side}_flags`]: { abbrev: `xarp.${side}.flags`, name: `${label} endpoint flags`, type: FT.UINT8, base: Base.HEX },
    [`${side}_canonical`]: { abbrev: `xarp.${side}.flags.canonical`, name: "Canonical MAC (no application)", type: FT.BOOLEAN, mask: FLAG_CANONICAL, bitWidth: 8, tfs: TFS_SET },
    [`${side}_reserved`]: { abbrev: `xarp.${side}.flags.reserved`, name: "Reserved", type: FT.UINT8, base: Base.HEX, mask: FLAGS_RESERVED, bitWidth: 8 },
  } as const;
}

export const hf = registerProtocol("xarp", "Extended Address Resolution Protocol", {
  hw_type: { abbrev: "xarp.hw.type", name: "Hardware type", type: FT.UINT16, strings: new Map([[1, "Ethernet"]]) },
  proto_type: { abbrev: "xarp.proto.type", name: "Protocol type", type: FT.UINT16, base: Base.HEX, strings: new Map([[0x0800, "IPv4 transport endpoint"]]) },
  hw_size: { abbrev: "xarp.hw.size", name: "Hardware size", type: FT.UINT8 },
  proto_size: { abbrev: "xarp.proto.size", name: "Protocol size", type: FT.UINT8 },
  opcode: { abbrev: "xarp.opcode", name: "Opcode", type: FT.UINT16, strings: OPCODES },
  ...endpointFields("src", "Sender"),
  ...endpointFields("dst", "Target"),
  endpoint: { abbrev: "xarp.endpoint", name: "Endpoint", type: FT.STRING, generated: true, blurb: "The IP:port/protocol this message resolves, claims or releases" },
  app_mac: { abbrev: "xarp.app_mac", name: "Application MAC", type: FT.ETHER, generated: true, blurb: "The application MAC this message answers, probes, claims, defends or releases" },
  canonical: { abbrev: "xarp.canonical", name: "Answered with the canonical MAC", type: FT.BOOLEAN, generated: true, tfs: TFS_YES },
  response_to: { abbrev: "xarp.response_to", name: "Response to", type: FT.FRAMENUM, generated: true },
  time: { abbrev: "xarp.time", name: "Time since request", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  conflict_with: { abbrev: "xarp.conflict_with", name: "Conflicts with probe in", type: FT.FRAMENUM, generated: true },
});

const h = hf as unknown as Record<string, import("../fields.js").Field>;

export const ei = registerExperts(hf.proto, {
  not_local_unicast: { abbrev: "xarp.not_local_unicast", group: "protocol", severity: "error", summary: "Application MAC is not a locally administered unicast address" },
  defend_unprobed: { abbrev: "xarp.defend_unprobed", group: "sequence", severity: "warn", summary: "Defend for a MAC address nobody probed" },
  conflict: { abbrev: "xarp.conflict", group: "sequence", severity: "warn", summary: "Application MAC conflict" },
  reserved_flags: { abbrev: "xarp.reserved_flags", group: "protocol", severity: "warn", summary: "Reserved endpoint flag bits are set" },
  must_be_zero: { abbrev: "xarp.must_be_zero", group: "protocol", severity: "warn", summary: "Field must be zero in this message" },
  unsolicited: { abbrev: "xarp.unsolicited_reply", group: "sequence", severity: "note", summary: "Reply without a matching request in this capture" },
  unknown_op: { abbrev: "xarp.unknown_opcode", group: "protocol", severity: "warn", summary: "Unknown XARP opcode" },
  port_zero: { abbrev: "xarp.port_zero", group: "protocol", severity: "warn", summary: "Resolution of port 0 or of no transport protocol" },
});

/**
 * Entries kept at most per XARP table (probes in progress, requests waiting for a reply, announced
 * owners); beyond it the least recently written one is dropped. A drop loses only the link to a
 * message more than 65,536 newer entries back (a reply shown as unsolicited, a conflict not
 * flagged); about 60 bytes an entry.
 */
export const XARP_CAP = 65_536;

/** Per-read XARP state: numeric keys and values in KeyTables (columns below). */
export class XarpState {
  /** MAC probed (key: MAC) -> frame of the first probe, MAC of the prober. */
  readonly probes: KeyTable;
  /** Resolution requests waiting for a reply (key: IPv4, port, transport, requester MAC) -> frame, time. */
  readonly requests: KeyTable;
  /** MAC (key) -> IPv4 of the host that announced it. */
  readonly owners: KeyTable;

  constructor(capacity = XARP_CAP) {
    this.probes = new KeyTable(2, capacity, PROBE_W);
    this.requests = new KeyTable(5, capacity, REQ_W);
    this.owners = new KeyTable(2, capacity, 1);
  }
}

/** Value columns (index `slot * width + column` in the table's `vals`): probes, requests; owners hold the IPv4 alone. */
const PROBE_FRAME = 0, PROBER = 1, PROBE_W = 2;
const REQ_FRAME = 0, REQ_SEC = 1, REQ_NSEC = 2, REQ_W = 3;

const newXarpState = (): XarpState => new XarpState();

function state(p: Packet): XarpState {
  return p.session.store("xarp", newXarpState);
}

/** Writes a 48-bit MAC into key words k[at], k[at+1]. */
function putMacKey(k: Uint32Array, at: number, mac: number): void {
  k[at] = Math.floor(mac / 0x100000000);
  k[at + 1] = mac >>> 0;
}

/** Slot of `mac` in a MAC-keyed table, or -1 (the key stays set for an `insert`). */
function findMac(tbl: KeyTable, mac: number): number {
  putMacKey(tbl.key, 0, mac);
  return tbl.find();
}

/** Slot of the request for endpoint `e` made by `requester`, or -1 (the key stays set). */
function findRequest(tbl: KeyTable, e: Endpoint, requester: number): number {
  const k = tbl.key;
  k[0] = e.ip >>> 0;
  k[1] = e.port;
  k[2] = e.proto;
  putMacKey(k, 3, requester);
  return tbl.find();
}

/** The slot to write for the key of the last find that returned `s`, made the newest. */
function slotFor(tbl: KeyTable, s: number): number {
  if (s < 0) return tbl.insert();
  tbl.touch(s);
  return s;
}

function addEndpoint(t: Tree, side: "src" | "dst", o: number, hwOff: number): void {
  const d = t.d;
  t.ether(h[`${side}_hw`]!, hwOff);
  t.ipv4(h[`${side}_ip`]!, o + EP.IP);
  t.uint(h[`${side}_port`]!, o + EP.PORT, 2, (d[o + EP.PORT]! << 8) | d[o + EP.PORT + 1]!);
  t.uint(h[`${side}_tproto`]!, o + EP.PROTO, 1, d[o + EP.PROTO]!);
  const flags = d[o + EP.FLAGS]!;
  t.uint(h[`${side}_flags`]!, o + EP.FLAGS, 1, flags);
  t.down();
  t.bool(h[`${side}_canonical`]!, o + EP.FLAGS, 1, flags);
  t.uint(h[`${side}_reserved`]!, o + EP.FLAGS, 1, flags);
  t.up();
}

function isZeroEndpoint(e: Endpoint): boolean {
  return e.ip === 0 && e.port === 0 && e.proto === 0 && e.flags === 0;
}

export function dissectXarp(p: Packet, t: Tree, off: number): number {
  const d = t.d;
  p.protocol = "XARP";
  t.proto(p, hf.proto, off, XARP.LEN);
  if (t.full && t.avail(off + OFF.OP, 2)) {
    const o = (d[off + OFF.OP]! << 8) | d[off + OFF.OP + 1]!;
    t.label(`Extended Address Resolution Protocol (${XARP_OP_NAMES.get(o) ?? `opcode ${o}`})`);
  }
  t.uint(hf.hw_type, off + OFF.HTYPE, 2, (d[off]! << 8) | d[off + 1]!);
  t.uint(hf.proto_type, off + OFF.PTYPE, 2, (d[off + 2]! << 8) | d[off + 3]!);
  t.uint(hf.hw_size, off + OFF.HLEN, 1, d[off + OFF.HLEN]!);
  t.uint(hf.proto_size, off + OFF.PLEN, 1, d[off + OFF.PLEN]!);
  const op = (d[off + OFF.OP]! << 8) | d[off + OFF.OP + 1]!;
  t.uint(hf.opcode, off + OFF.OP, 2, op);
  t.check(off, XARP.LEN);
  const sha = macAt(d, off + OFF.SHA);
  const tha = macAt(d, off + OFF.THA);
  const spa = endpointAt(d, off + OFF.SPA);
  const tpa = endpointAt(d, off + OFF.TPA);
  addEndpoint(t, "src", off + OFF.SPA, off + OFF.SHA);
  addEndpoint(t, "dst", off + OFF.TPA, off + OFF.THA);
  if (((spa.flags | tpa.flags) & FLAGS_RESERVED) !== 0) t.expert(p, ei.reserved_flags, off + OFF.SPA + EP.FLAGS, 1);

  const st = state(p);
  const shaText = () => etherStringAt(d, off + OFF.SHA);
  const thaText = () => etherStringAt(d, off + OFF.THA);
  const mustBeZero = (cond: boolean, what: string, o: number, len: number) => {
    if (!cond) t.expert(p, ei.must_be_zero, o, len, `${what} must be zero in a ${XARP_OP_NAMES.get(op)}`);
  };
  const appMac = (macOff: number, mac: number, allowCanonical: boolean) => {
    t.ether(hf.app_mac, macOff);
    if (!allowCanonical && !isLocalUnicast(mac)) {
      t.expert(p, ei.not_local_unicast, macOff, 6, `Application MAC ${etherStringAt(d, macOff)} is not a locally administered unicast address`);
    }
  };

  switch (op) {
    case XarpOp.REQUEST: {
      if (p.wantCols) p.info.set(`Who has ${endpointText(tpa)}? Tell ${endpointText({ ...spa, port: 0, proto: 0 })}`);
      if (t.wants(hf.endpoint) || t.full) t.str(hf.endpoint, off + OFF.TPA, 8, endpointText(tpa));
      mustBeZero(tha === 0, "Target hardware address", off + OFF.THA, 6);
      if (tpa.port === 0 || tpa.proto === 0) t.expert(p, ei.port_zero, off + OFF.TPA + EP.PORT, 3);
      const r = slotFor(st.requests, findRequest(st.requests, tpa, sha)) * REQ_W;
      const v = st.requests.vals;
      v[r + REQ_FRAME] = p.num;
      v[r + REQ_SEC] = p.tsSec;
      v[r + REQ_NSEC] = p.tsNsec;
      break;
    }
    case XarpOp.REPLY: {
      const canonical = (spa.flags & FLAG_CANONICAL) !== 0;
      if (p.wantCols) p.info.set(`${endpointText(spa)} is at ${shaText()}${canonical ? " (canonical MAC: no application)" : ""}`);
      if (t.wants(hf.endpoint) || t.full) t.str(hf.endpoint, off + OFF.SPA, 8, endpointText(spa));
      appMac(off + OFF.SHA, sha, canonical);
      t.num(hf.canonical, canonical ? 1 : 0);
      const r = findRequest(st.requests, spa, tha);
      if (r >= 0) {
        const v = st.requests.vals, o = r * REQ_W;
        t.num(hf.response_to, v[o + REQ_FRAME]!);
        t.relTime(hf.time, p.tsSec, p.tsNsec, v[o + REQ_SEC]!, v[o + REQ_NSEC]!);
        st.requests.remove(r);
      } else t.expert(p, ei.unsolicited, off, XARP.LEN);
      break;
    }
    case XarpOp.PROBE: {
      if (p.wantCols) p.info.set(`Probe ${thaText()}? Tell ${endpointText({ ...spa, port: 0, proto: 0 })}`);
      appMac(off + OFF.THA, tha, false);
      mustBeZero(isZeroEndpoint(tpa), "Target endpoint", off + OFF.TPA, 8);
      const prior = findMac(st.probes, tha);
      const other = prior >= 0 && st.probes.vals[prior * PROBE_W + PROBER] !== sha;
      if (other) {
        const frame = st.probes.vals[prior * PROBE_W + PROBE_FRAME]!;
        t.num(hf.conflict_with, frame);
        t.expert(p, ei.conflict, off + OFF.THA, 6, `Conflict: ${thaText()} is also being probed by another host (frame ${frame})`);
      }
      if (prior < 0 || other) {
        const s = slotFor(st.probes, prior) * PROBE_W;
        st.probes.vals[s + PROBE_FRAME] = p.num;
        st.probes.vals[s + PROBER] = sha;
      }
      break;
    }
    case XarpOp.ANNOUNCE: {
      if (p.wantCols) p.info.set(`Announce ${endpointText(spa)} is at ${shaText()}`);
      if (t.wants(hf.endpoint) || t.full) t.str(hf.endpoint, off + OFF.SPA, 8, endpointText(spa));
      appMac(off + OFF.SHA, sha, false);
      const owner = findMac(st.owners, sha);
      if (owner >= 0 && st.owners.vals[owner] !== spa.ip) {
        t.expert(p, ei.conflict, off + OFF.SHA, 6, `Conflict: ${shaText()} is also announced by another host`);
      }
      const o = slotFor(st.owners, owner);
      st.owners.vals[o] = spa.ip;
      const probe = findMac(st.probes, sha);
      if (probe >= 0) st.probes.remove(probe); // the claim is complete: a later defend answers a later probe
      break;
    }
    case XarpOp.DEFEND: {
      const probe = findMac(st.probes, sha);
      if (p.wantCols) p.info.set(`Conflict: ${shaText()} is in use by ${endpointText(spa)}`);
      if (t.wants(hf.endpoint) || t.full) t.str(hf.endpoint, off + OFF.SPA, 8, endpointText(spa));
      appMac(off + OFF.SHA, sha, (spa.flags & FLAG_CANONICAL) !== 0);
      if (probe >= 0) {
        const frame = st.probes.vals[probe * PROBE_W + PROBE_FRAME]!;
        t.num(hf.conflict_with, frame);
        t.expert(p, ei.conflict, off + OFF.SHA, 6, `Conflict: ${shaText()} probed in frame ${frame} is in use by ${endpointText(spa)}`);
      } else t.expert(p, ei.defend_unprobed, off + OFF.SHA, 6);
      break;
    }
    case XarpOp.RELEASE: {
      if (p.wantCols) p.info.set(`Release ${endpointText(spa)} (was at ${shaText()})`);
      if (t.wants(hf.endpoint) || t.full) t.str(hf.endpoint, off + OFF.SPA, 8, endpointText(spa));
      appMac(off + OFF.SHA, sha, false);
      mustBeZero(tha === 0, "Target hardware address", off + OFF.THA, 6);
      const owner = findMac(st.owners, sha);
      if (owner >= 0) st.owners.remove(owner);
      const probe = findMac(st.probes, sha);
      if (probe >= 0) st.probes.remove(probe);
      break;
    }
    default:
      if (p.wantCols) p.info.set(`Unknown XARP opcode ${op}`);
      t.expert(p, ei.unknown_op, off + OFF.OP, 2);
  }
  if (p.srcKind === AddrKind.NONE) p.setSrc(AddrKind.ETHER, off + OFF.SHA, t.d);
  t.up();
  return off + XARP.LEN;
}

registerArpExtension((d, off) => d[off + 4] === XARP.HLEN && d[off + 5] === XARP.PLEN && d[off] === 0 && d[off + 1] === XARP.HTYPE && d[off + 2] === 0x08 && d[off + 3] === 0x00, dissectXarp);
