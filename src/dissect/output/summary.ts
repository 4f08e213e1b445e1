// One line per packet, in tshark's default column layout:
//   number, time, source → destination, protocol, length, info
import { dstColumn, srcColumn } from "./columns.js";
import type { Packet } from "../packet.js";

function padStart(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}
function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function summaryLine(p: Packet, time: string): string {
  const src = srcColumn(p);
  const dst = dstColumn(p);
  const arrow = src || dst ? " → " : " ";
  return `${padStart(String(p.num), 5)} ${padStart(time, 10)} ${padStart(src, 12)}${arrow}${padEnd(dst, 12)} ${p.protocol} ${p.wireLen} ${p.info}`;
}
