// The frame pseudo-protocol: capture metadata for every packet (number, lengths, times).
import { FT, registerProtocol, registerExperts, TFS_TRUE } from "../fields.js";
import { epochText } from "../session.js";
import type { Packet } from "../packet.js";
import type { Session } from "../session.js";
import type { Tree } from "../tree.js";
import { encapType, LINKTYPE_NAMES } from "../linktypes.js";
import { localZoneName } from "../timezone.js";

export const hf = registerProtocol("frame", "Frame", {
  section_number: { abbrev: "frame.section_number", name: "Section number", type: FT.UINT32 },
  interface_id: { abbrev: "frame.interface_id", name: "Interface id", type: FT.UINT32 },
  interface_name: { abbrev: "frame.interface_name", name: "Interface name", type: FT.STRING },
  interface_description: { abbrev: "frame.interface_description", name: "Interface description", type: FT.STRING },
  encap_type: { abbrev: "frame.encap_type", name: "Encapsulation type", type: FT.INT32 },
  time: { abbrev: "frame.time", name: "Arrival Time", type: FT.ABSOLUTE_TIME },
  offset_shift: { abbrev: "frame.offset_shift", name: "Time shift for this packet", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  time_epoch: { abbrev: "frame.time_epoch", name: "Epoch Time", type: FT.ABSOLUTE_TIME, unit: " seconds" },
  time_delta: { abbrev: "frame.time_delta", name: "Time delta from previous captured frame", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  time_delta_displayed: { abbrev: "frame.time_delta_displayed", name: "Time delta from previous displayed frame", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  time_relative: { abbrev: "frame.time_relative", name: "Time since reference or first frame", type: FT.RELATIVE_TIME, generated: true, unit: " seconds" },
  number: { abbrev: "frame.number", name: "Frame Number", type: FT.UINT32 },
  len: { abbrev: "frame.len", name: "Frame Length", type: FT.UINT32 },
  cap_len: { abbrev: "frame.cap_len", name: "Capture Length", type: FT.UINT32 },
  marked: { abbrev: "frame.marked", name: "Frame is marked", type: FT.BOOLEAN, tfs: TFS_TRUE, generated: true },
  ignored: { abbrev: "frame.ignored", name: "Frame is ignored", type: FT.BOOLEAN, tfs: TFS_TRUE, generated: true },
  protocols: { abbrev: "frame.protocols", name: "Protocols in frame", type: FT.STRING, generated: true },
  comment: { abbrev: "frame.comment", name: "Comment", type: FT.STRING },
});

export { ws, wsEi } from "../ws.js";

export const ei = registerExperts(hf.proto, {
  unknown_link: { abbrev: "frame.unknown_link_type", group: "undecoded", severity: "warn", summary: "Link type not decoded by arpx" },
});

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "Jul 30, 2000 12:31:26.310131000 CEST": Wireshark's absolute time, in the local time zone
 * (TZ, else /etc/localtime) with the zone's abbreviation, as tshark prints it.
 */
export function absoluteTimeText(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return `${epochText(sec, nsec)} (out of range)`;
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")}, ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(nsec).padStart(9, "0")} ${localZoneName(sec)}`;
}

/** What the frame item shows of the interface a record came in on (a pcapng IDB). */
export interface FrameInterface {
  name?: string | undefined;
  description?: string | undefined;
  hardware?: string | undefined;
  /** 0-based pcapng section: absent for a classic pcap file, which has no interfaces. */
  section?: number | undefined;
  idInSection?: number | undefined;
}

export function dissectFrameHeader(p: Packet, t: Tree, s: Session, iface: FrameInterface | undefined): void {
  const cap = p.data.length;
  // Only pcapng records name an interface and a section (tshark: WTAP_HAS_INTERFACE_ID).
  const inSection = iface !== undefined && iface.section !== undefined;
  const id = inSection ? (iface.idInSection ?? 0) : 0;
  // As tshark 4.0 names an interface: its name, else its description, else its hardware. (tshark
  // 4.0 looks a later section's interface up by its id in the first section; arpx takes the
  // record's own section, as the pcapng format says.)
  const name = inSection ? (iface.name ?? iface.description ?? iface.hardware ?? "unknown") : "";
  t.proto(p, hf.proto, 0, cap);
  if (t.full) {
    let label = `Frame ${p.num}: ${p.wireLen} bytes on wire (${p.wireLen * 8} bits), ${cap} bytes captured (${cap * 8} bits)`;
    if (inSection) label += ` on interface ${name}, id ${id}`;
    t.label(label);
  }
  if (p.comment !== undefined && t.wants(hf.comment)) t.str(hf.comment, 0, 0, p.comment);
  if (inSection) {
    t.num(hf.section_number, iface.section! + 1);
    t.num(hf.interface_id, id);
    if (t.full) t.label(`Interface id: ${id} (${name})`);
    t.down();
    if (t.wants(hf.interface_name)) t.str(hf.interface_name, 0, 0, name);
    if (iface.description !== undefined && t.wants(hf.interface_description)) t.str(hf.interface_description, 0, 0, iface.description);
    t.up();
  }
  if (t.wants(hf.encap_type)) {
    const encap = encapType(p.linkType);
    t.num(hf.encap_type, encap);
    t.label(`Encapsulation type: ${LINKTYPE_NAMES.get(p.linkType) ?? "Unknown"} (${encap})`);
  }
  if (!p.noTimestamp) {
    if (t.wants(hf.time)) t.str(hf.time, 0, 0, absoluteTimeText(p.tsSec, p.tsNsec));
    t.num(hf.offset_shift, 0);
    if (t.wants(hf.time_epoch)) t.str(hf.time_epoch, 0, 0, epochText(p.tsSec, p.tsNsec));
    if (Number.isNaN(s.prevSec)) t.num(hf.time_delta, 0);
    else t.relTime(hf.time_delta, p.tsSec, p.tsNsec, s.prevSec, s.prevNsec);
    if (Number.isNaN(s.prevDispSec)) t.num(hf.time_delta_displayed, 0);
    else t.relTime(hf.time_delta_displayed, p.tsSec, p.tsNsec, s.prevDispSec, s.prevDispNsec);
    t.relTime(hf.time_relative, p.tsSec, p.tsNsec, s.firstSec, s.firstNsec);
  }
  t.num(hf.number, p.num);
  t.num(hf.len, p.wireLen);
  if (t.full) t.label(`Frame Length: ${p.wireLen} bytes (${p.wireLen * 8} bits)`);
  t.num(hf.cap_len, cap);
  if (t.full) t.label(`Capture Length: ${cap} bytes (${cap * 8} bits)`);
  t.num(hf.marked, 0);
  t.num(hf.ignored, 0);
}
