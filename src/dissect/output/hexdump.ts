// `-x`: offset, sixteen hex bytes, and their ASCII, as tshark prints the frame bytes.
import { hex2 } from "../format.js";

export function hexDump(d: Uint8Array): string {
  let out = "";
  for (let o = 0; o < d.length; o += 16) {
    let hex = "";
    let asc = "";
    for (let i = 0; i < 16; i++) {
      if (o + i < d.length) {
        const b = d[o + i]!;
        hex += hex2(b) + " ";
        asc += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
      } else hex += "   ";
    }
    out += `${o.toString(16).padStart(4, "0")}  ${hex}  ${asc}\n`;
  }
  return out;
}

/**
 * The -x dump of a packet: its bytes, or, when it has more data sources (reassembled bytes),
 * each one under a "Name (N bytes):" line, the frame first, as tshark prints them.
 */
export function packetHex(frame: Uint8Array, sources: readonly { name: string; data: Uint8Array }[]): string {
  if (sources.length === 0) return hexDump(frame);
  let out = `Frame (${frame.length} bytes):\n` + hexDump(frame);
  for (const s of sources) out += `${s.name} (${s.data.length} bytes):\n` + hexDump(s.data);
  return out;
}
