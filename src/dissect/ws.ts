// Wireshark's own "_ws" namespace: the packet-level problem markers and the expert info items
// (the Tree builds those; they are filterable like any field).
import { FT, registerExperts, registerProtocol, vals, type ExpertSpec } from "./fields.js";

export const ws = registerProtocol("_ws", "Wireshark", {
  malformed: { abbrev: "_ws.malformed", name: "Malformed Packet", type: FT.PROTOCOL },
  short: { abbrev: "_ws.short", name: "Packet size limited during capture", type: FT.PROTOCOL },
  expert: { abbrev: "_ws.expert", name: "Expert Info", type: FT.PROTOCOL },
  expert_message: { abbrev: "_ws.expert.message", name: "Message", type: FT.STRING, hidden: true },
  expert_severity: { abbrev: "_ws.expert.severity", name: "Severity level", type: FT.UINT32, strings: vals({ 0x200000: "Chat", 0x400000: "Note", 0x600000: "Warning", 0x800000: "Error" }), generated: true },
  expert_group: {
    abbrev: "_ws.expert.group",
    name: "Group",
    type: FT.UINT32,
    strings: vals({ 0x1000000: "Checksum", 0x2000000: "Sequence", 0x5000000: "Undecoded", 0x6000000: "Reassemble", 0x7000000: "Malformed", 0x9000000: "Protocol", 0xb000000: "Comment", 0xc000000: "Decryption", 0xe000000: "Deprecated" }),
    generated: true,
  },
});

/** The expert info Wireshark adds under every "[Malformed Packet: X]" item. */
export const wsEi = registerExperts(ws.proto, {
  malformed: { abbrev: "_ws.malformed.expert", group: "malformed", severity: "error", summary: "Malformed Packet (Exception occurred)" },
});

/**
 * Wireshark's marker for a malformed read in a packet holding an unreassembled fragment (its
 * pinfo->fragmented): "[BoundError Unreassembled Packet: X]", with its expert info.
 */
export const wsUnreassembled = registerProtocol("_ws.unreassembled", "Unreassembled Fragmented Packet", {});
export const wsUnreassembledEi = registerExperts(wsUnreassembled.proto, {
  expert: { abbrev: "_ws.unreassembled.expert", group: "reassemble", severity: "note", summary: "Unreassembled fragment (change preferences to enable reassembly)" },
});

/** Wireshark's numbers for severities and groups (as -T json prints _ws.expert.severity/group). */
export const SEVERITY_CODE: Record<ExpertSpec["severity"], number> = { chat: 0x200000, note: 0x400000, warn: 0x600000, error: 0x800000 };
export const GROUP_CODE: Record<ExpertSpec["group"], number> = {
  checksum: 0x1000000, sequence: 0x2000000, undecoded: 0x5000000, reassemble: 0x6000000, malformed: 0x7000000, protocol: 0x9000000, comment: 0xb000000, decryption: 0xc000000, deprecated: 0xe000000,
};

/** Wireshark's checks on string items. */
export const wsString = registerProtocol("_ws.string", "String", {});
export const wsStringEi = registerExperts(wsString.proto, {
  trailing_stray: { abbrev: "_ws.string.trailing_stray_characters", group: "undecoded", severity: "warn", summary: "Trailing stray characters" },
});
