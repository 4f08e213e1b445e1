// IEEE 802.2 Logical Link Control and SNAP, as Wireshark 4.0 shows them.
//   DSAP 0 | SSAP 1 | control 2 (U frames) or 2..4 (I/S frames, little-endian) | payload
//   SNAP (DSAP = SSAP = 0xaa, UI): OUI 3 bytes | protocol id 2 bytes | payload
// Registered as llcSaps entry 0, the generic 802.2 entry point that 802.3 framing (eth.ts, vlan.ts)
// calls; other llcSaps entries, keyed by DSAP, are the protocols above LLC (stp.ts: DSAP 0x42;
// unregistered SAPs show as data). For OUI 00:00:00 the protocol id is an ethertype, dispatched
// straight to the ethertype table (frame.protocols "eth:llc:ip", no "ethertype" layer, as tshark).
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { callData, etherTypes, llcSaps } from "../dispatch.js";
import { bitPattern } from "../format.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { ETHERTYPE_NAMES } from "./ethertypes.js";

const DSAP = 0, SSAP = 1, CTRL = 2;
const SAP_SNAP = 0xaa;

export const SAP_NAMES = vals({
  0x00: "NULL LSAP", 0x01: "NULL LSAP", 0x02: "LLC Sub-Layer Management", 0x04: "SNA Path Control", 0x06: "TCP/IP", 0x08: "SNA",
  0x0c: "SNA", 0x0e: "PROWAY (IEC955) Network Management and Initialization", 0x10: "NetWare (unofficial?)",
  0x14: "ISO Network Layer (OSLAN 1)", 0x18: "Texas Instruments", 0x20: "ISO Network Layer (unofficial?)",
  0x34: "ISO Network Layer (unofficial?)", 0x42: "Spanning Tree BPDU", 0x4e: "EIA RS-511 Manufacturing Message Service",
  0x54: "ISO Network Layer (OSLAN 2)", 0x7e: "ISO 8208 (X.25 over 802.2)", 0x7f: "ISO 802.2", 0x80: "XNS", 0x82: "BACnet",
  0x86: "Nestar", 0x8e: "PROWAY (IEC955) Active Station List Maintenance", 0x98: "ARP", 0xb4: "HP JetDirect Printer",
  0xaa: "SNAP", 0xba: "Banyan Vines", 0xbc: "Banyan Vines", 0xe0: "NetWare", 0xf0: "NetBIOS", 0xf4: "IBM Net Management",
  0xf8: "HP Extended LLC", 0xfa: "Ungermann-Bass", 0xfc: "Remote Program Load", 0xfe: "ISO Network Layer", 0xff: "Global LSAP",
});
const U_CMD = vals({
  0x00: "Unnumbered Information", 0x08: "Unnumbered Poll", 0x10: "Disconnect", 0x18: "Unnumbered Acknowledge",
  0x20: "Set Normal Response Mode", 0x38: "Test", 0x01: "Set Initialization Mode", 0x21: "Frame reject", 0x31: "Configure",
  0x03: "Set Asynchronous Response Mode", 0x0b: "Set Asynchronous Balanced Mode", 0x13: "Set Asynchronous Response Mode Extended",
  0x1b: "Set Asynchronous Balanced Mode Extended", 0x23: "Reset", 0x2b: "Exchange identification",
  0x33: "Set Normal Response Mode Extended", 0x3b: "Beacon",
});
/** Short names of U-frame functions (the modifier bits, ctl & 0xec), commands then responses. */
const U_CMD_ABBREV = vals({
  0x00: "UI", 0x20: "UP", 0x40: "DISC", 0x60: "UA", 0x80: "SNRM", 0xe0: "TEST", 0x04: "SIM", 0x84: "FRMR", 0xc4: "CFGR",
  0x0c: "SARM", 0x2c: "SABM", 0x4c: "SARME", 0x6c: "SABME", 0x8c: "RESET", 0xac: "XID", 0xcc: "SNRME", 0xec: "BCN",
});
const U_RESP_ABBREV = vals({
  0x00: "UI", 0x40: "RD", 0x60: "UA", 0xe0: "TEST", 0x04: "RIM", 0x84: "FRMR", 0x0c: "DM", 0x8c: "RESET", 0xac: "XID",
});
const S_FTYPE = vals({ 0: "Receiver ready", 1: "Receiver not ready", 2: "Reject", 3: "Selective reject" });
const S_ABBREV = ["RR", "RNR", "REJ", "SREJ"] as const;
const FTYPE = vals({ 0: "Information frame", 1: "Supervisory frame", 3: "Unnumbered frame" });

/** Organisation names for the OUIs seen in SNAP headers: [tree label, Info text]. */
const OUIS = new Map<number, readonly [string, string]>([
  [0x000000, ["Officially Xerox, but", "Officially Xerox, but 0:0:0:0:0:0 is more common"]],
  [0x00000c, ["Cisco Systems, Inc", "Cisco Systems, Inc"]],
  [0x0000f8, ["Cisco 90-Compatible", "Cisco 90-Compatible"]],
  [0x0080c2, ["IEEE 802.1 Committee", "IEEE 802.1 Committee"]],
  [0x00e02b, ["Extreme Networks", "Extreme Networks"]],
]);
const CISCO_PIDS = vals({ 0x0102: "DRiP", 0x0104: "PAgP", 0x0105: "MLS Hello", 0x010b: "PVSTP+", 0x010c: "VLAN Bridge",
  0x0111: "UDLD", 0x2000: "CDP", 0x2001: "CGMP", 0x2003: "VTP", 0x2004: "DTP", 0x200a: "STP Uplink Fast" });

export const hf = registerProtocol("llc", "Logical-Link Control", {
  dsap: { abbrev: "llc.dsap", name: "DSAP", type: FT.UINT8, base: Base.HEX, strings: SAP_NAMES },
  dsap_sap: { abbrev: "llc.dsap.sap", name: "SAP", type: FT.UINT8, mask: 0xfe },
  dsap_ig: { abbrev: "llc.dsap.ig", name: "IG Bit", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: ["Group", "Individual"] },
  ssap: { abbrev: "llc.ssap", name: "SSAP", type: FT.UINT8, base: Base.HEX, strings: SAP_NAMES },
  ssap_sap: { abbrev: "llc.ssap.sap", name: "SAP", type: FT.UINT8, mask: 0xfe },
  ssap_cr: { abbrev: "llc.ssap.cr", name: "CR Bit", type: FT.BOOLEAN, mask: 0x01, bitWidth: 8, tfs: ["Response", "Command"] },
  control: { abbrev: "llc.control", name: "Control", type: FT.UINT16, base: Base.HEX },
  n_r: { abbrev: "llc.control.n_r", name: "N(R)", type: FT.UINT16, mask: 0xfe00 },
  n_s: { abbrev: "llc.control.n_s", name: "N(S)", type: FT.UINT16, mask: 0x00fe },
  p: { abbrev: "llc.control.p", name: "Poll", type: FT.BOOLEAN, mask: 0x10, bitWidth: 8, tfs: ["Set", "Not set"] },
  f: { abbrev: "llc.control.f", name: "Final", type: FT.BOOLEAN, mask: 0x10, bitWidth: 8, tfs: ["Set", "Not set"] },
  s_ftype: { abbrev: "llc.control.s_ftype", name: "Supervisory frame type", type: FT.UINT16, base: Base.HEX, mask: 0x000c, strings: S_FTYPE },
  u_cmd: { abbrev: "llc.control.u_modifier_cmd", name: "Command", type: FT.UINT8, base: Base.HEX, mask: 0xec, strings: U_CMD },
  u_resp: { abbrev: "llc.control.u_modifier_resp", name: "Response", type: FT.UINT8, base: Base.HEX, mask: 0xec, strings: U_CMD },
  ftype: { abbrev: "llc.control.ftype", name: "Frame type", type: FT.UINT8, base: Base.HEX, mask: 0x03, strings: FTYPE },
  type: { abbrev: "llc.type", name: "Type", type: FT.UINT16, base: Base.HEX, strings: ETHERTYPE_NAMES },
  oui: { abbrev: "llc.oui", name: "Organization Code", type: FT.UINT24 },
  pid: { abbrev: "llc.pid", name: "Protocol ID", type: FT.UINT16, base: Base.HEX },
  cisco_pid: { abbrev: "llc.cisco_pid", name: "PID", type: FT.UINT16, base: Base.HEX, strings: CISCO_PIDS },
});

const hex = (v: number, n: number) => v.toString(16).padStart(n, "0");

function sap(t: Tree, o: number, v: number, f: typeof hf.dsap, sub: typeof hf.dsap_sap, bit: typeof hf.dsap_ig): void {
  t.uint(f, o, 1, v);
  t.down();
  t.uint(sub, o, 1, v);
  if (t.full) t.label(`${bitPattern(sub, v)}SAP: ${SAP_NAMES.get(v & 0xfe) ?? "Unknown"}`);
  t.bool(bit, o, 1, v);
  t.up();
}

/** Decodes the control field; returns its length (1 or 2) and leaves the Info summary in `ctlText`. */
function control(t: Tree, o: number, response: boolean): number {
  const d = t.d;
  t.check(o, 1);
  const b0 = d[o]!;
  if ((b0 & 3) === 3) {
    // Unnumbered: one byte.
    const mod = b0 & 0xec;
    const pf = (b0 & 0x10) !== 0;
    const fn = (response ? U_RESP_ABBREV : U_CMD_ABBREV).get(mod) ?? "Unknown";
    ctlText = `U${pf ? (response ? " F" : " P") : ""}, func=${fn}`;
    t.uint(hf.control, o, 1, b0);
    if (t.full) t.label(`Control field: ${ctlText} (0x${hex(b0, 2).toUpperCase()})`);
    t.down();
    if (pf) t.bool(response ? hf.f : hf.p, o, 1, b0);
    t.uint(response ? hf.u_resp : hf.u_cmd, o, 1, b0);
    t.uint(hf.ftype, o, 1, b0);
    t.up();
    return 1;
  }
  // Information and supervisory frames: two bytes, little-endian (802.2 extended format).
  t.check(o, 2);
  const v = b0 | (d[o + 1]! << 8);
  const nr = v >> 9;
  const pf = (v & 0x100) !== 0;
  const info = (b0 & 1) === 0;
  // tshark marks the bit P on information frames whatever the C/R bit says.
  if (info) response = false;
  const pfText = pf ? (response ? " F" : " P") : "";
  ctlText = info ? `I${pfText}, N(R)=${nr}, N(S)=${(v >> 1) & 0x7f}` : `S${pfText}, func=${S_ABBREV[(v >> 2) & 3]}, N(R)=${nr}`;
  t.uint(hf.control, o, 2, v);
  if (t.full) t.label(`Control field: ${ctlText} (0x${hex(v, 4).toUpperCase()})`);
  t.down();
  t.uint(hf.n_r, o, 2, v);
  if (info) t.uint(hf.n_s, o, 2, v);
  const pfField = response ? hf.f : hf.p;
  t.bool(pfField, o, 2, pf ? 0x10 : 0);
  if (t.full) t.label(`.... ...${pf ? 1 : 0} .... .... = ${pfField.name}: ${pf ? "Set" : "Not set"}`);
  if (!info) t.uint(hf.s_ftype, o, 2, v);
  t.uint(hf.ftype, o, 2, v & 3);
  if (t.full) {
    t.label(info ? `.... .... .... ...0 = Frame type: Information frame (0x0)` : `.... .... .... ..01 = Frame type: Supervisory frame (0x1)`);
  }
  t.up();
  return 2;
}
let ctlText = "";

export function dissectLlc(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  p.protocol = "LLC";
  if (p.wantCols) p.info.clear();
  t.proto(p, hf.proto, off, 3);
  t.curProto = "LLC";
  t.check(off, 2);
  const dsap = d[off + DSAP]!, ssap = d[off + SSAP]!;
  sap(t, off + DSAP, dsap, hf.dsap, hf.dsap_sap, hf.dsap_ig);
  sap(t, off + SSAP, ssap, hf.ssap, hf.ssap_sap, hf.ssap_cr);
  const response = (ssap & 1) === 1;
  const clen = control(t, off + CTRL, response);
  if (p.wantCols) p.info.set(ctlText);
  let o = off + CTRL + clen;
  const ui = clen === 1 && (d[off + CTRL]! & 0xef) === 0x03;
  if (dsap === SAP_SNAP && ssap === SAP_SNAP && ui) {
    t.check(o, 5);
    const oui = (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
    const pid = (d[o + 3]! << 8) | d[o + 4]!;
    const names = OUIS.get(oui);
    if (p.wantCols) {
      p.info.add(`; SNAP, OUI 0x${hex(oui, 6).toUpperCase()} (${names?.[1] ?? "Unknown"}), PID 0x${hex(pid, 4).toUpperCase()}`);
    }
    t.uint(hf.oui, o, 3, oui);
    if (t.full) t.label(`Organization Code: ${hex(oui >> 16, 2)}:${hex((oui >> 8) & 0xff, 2)}:${hex(oui & 0xff, 2)} (${names?.[0] ?? "Unknown"})`);
    if (oui === 0 || oui === 0x0000f8) {
      // RFC 1042 / 802.1H: the protocol id is an ethertype.
      t.uint(hf.type, o + 3, 2, pid);
      t.up();
      o += 5;
      const next = etherTypes.get(pid);
      if (next) next(p, t, o);
      else callData(p, t, o);
      return;
    }
    t.uint(oui === 0x00000c ? hf.cisco_pid : hf.pid, o + 3, 2, pid);
    t.up();
    callData(p, t, o + 5);
    return;
  }
  if (p.wantCols) {
    p.info.add(`; DSAP ${SAP_NAMES.get(dsap & 0xfe) ?? `0x${hex(dsap & 0xfe, 2)}`} ${dsap & 1 ? "Group" : "Individual"}, ` +
      `SSAP ${SAP_NAMES.get(ssap & 0xfe) ?? `0x${hex(ssap & 0xfe, 2)}`} ${response ? "Response" : "Command"}`);
  }
  t.up();
  const next = dsap !== 0 ? llcSaps.get(dsap) : undefined;
  if (next) next(p, t, o);
  else callData(p, t, o);
}

llcSaps.add(0, dissectLlc);
