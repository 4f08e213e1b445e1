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
