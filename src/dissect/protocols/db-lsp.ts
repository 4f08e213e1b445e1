// Dropbox LAN sync Discovery Protocol (UDP port 17500): a broadcast announcing a Dropbox client,
// one JSON object per datagram ({"host_int": ..., "version": [..], "displayname": "", "port": ..,
// "namespaces": [..]}). As in Wireshark 4.0, the payload goes to the heuristic dissectors of the
// "db-lsp" list, of which JSON is the one: when the bytes pass its check they are shown as JSON
// under the protocol's item, otherwise as one "Text" string.
//
// The fields are Wireshark's db-lsp.* ones (the TCP Dropbox LAN sync Protocol registers them, and
// the discovery protocol shows db-lsp.text); arpx does not decode the TCP protocol itself.
import { Base, FT, registerProtocol, vals } from "../fields.js";
import { udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";
import { wsStringEi } from "../ws.js";
import { asciiText } from "./http-message.js";
import { dissectJsonHeur, stringLabel } from "./json.js";

export const DB_LSP_PORT = 17500;

export const hf = registerProtocol("db-lsp", "Dropbox LAN sync Protocol", {
  type: { abbrev: "db-lsp.type", name: "Type", type: FT.UINT8, base: Base.DEC_HEX, strings: vals({ 0x16: "Configuration", 0x17: "Data" }) },
  magic: { abbrev: "db-lsp.magic", name: "Magic", type: FT.UINT16, base: Base.DEC_HEX, blurb: "Magic number" },
  length: { abbrev: "db-lsp.length", name: "Length", type: FT.UINT16, base: Base.DEC_HEX, blurb: "Length in bytes" },
  op: { abbrev: "db-lsp.op", name: "OP Value", type: FT.UINT8, base: Base.DEC_HEX, strings: vals({ 0x0b: "Certificate" }) },
  value: { abbrev: "db-lsp.value", name: "Value", type: FT.BYTES },
  data: { abbrev: "db-lsp.data", name: "Data", type: FT.BYTES },
  text: { abbrev: "db-lsp.text", name: "Text", type: FT.STRING },
});

export const disc = registerProtocol("db-lsp-disc", "Dropbox LAN sync Discovery Protocol", {});

/** The text of d[a, b) as an ASCII string item holds it: up to the first NUL. */
function textValue(d: Uint8Array, a: number, b: number): string {
  let e = a;
  while (e < b && d[e] !== 0) e++;
  return asciiText(d, a, e);
}

/**
 * Wireshark's check for stray characters after a NUL in an ASCII string item: it looks at the
 * string as decoded (a byte from 0x80 on is the 3 bytes of U+FFFD), from its first NUL up to the
 * item's length in bytes, so such bytes before the NUL move the looked-at window.
 */
function strayAfterNul(d: Uint8Array, a: number, b: number): boolean {
  const len = b - a;
  let pos = 0;
  let i = a;
  while (i < b && d[i] !== 0) pos += d[i++]! < 0x80 ? 1 : 3;
  // d[i] is the NUL (decoded position `pos`); what follows it up to the length must be NULs.
  for (i++, pos++; i < b && pos < len; i++) {
    if (d[i] !== 0) return true;
    pos++;
  }
  return false;
}

export function dissectDbLspDisc(p: Packet, t: Tree, off: number): void {
  const end = t.cap;
  p.protocol = "DB-LSP-DISC";
  if (p.wantCols) p.info.set("Dropbox LAN sync Discovery Protocol");
  t.proto(p, disc.proto, off, Math.max(0, end - off));
  t.curProto = "DB-LSP-DISC";
  if (!dissectJsonHeur(p, t, off)) {
    const d = t.d;
    if (t.wants(hf.text)) {
      const v = textValue(d, off, end);
      t.str(hf.text, off, end - off, v);
      const l = t.full ? stringLabel(hf.text, v) : null;
      if (l !== null) t.label(l);
    } else t.check(off, end - off);
    if (t.buildsTree && strayAfterNul(d, off, end)) {
      t.down();
      t.expert(p, wsStringEi.trailing_stray, off, end - off);
      t.up();
    }
  }
  t.up();
}

udpPorts.add(DB_LSP_PORT, dissectDbLspDisc);
