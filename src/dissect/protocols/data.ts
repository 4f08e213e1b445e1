// Bytes no dissector claimed: Wireshark's "data" protocol.
import { FT, registerProtocol } from "../fields.js";
import { setDataDissector } from "../dispatch.js";
import type { Packet } from "../packet.js";
import type { Tree } from "../tree.js";

export const hf = registerProtocol("data", "Data", {
  data: { abbrev: "data.data", name: "Data", type: FT.BYTES },
  len: { abbrev: "data.len", name: "Length", type: FT.UINT32, generated: true },
});

export function dissectData(p: Packet, t: Tree, off: number): void {
  const len = t.cap - off;
  if (len <= 0) return;
  t.proto(p, hf.proto, off, len);
  if (t.full) t.label(`Data (${len} byte${len === 1 ? "" : "s"})`);
  t.bytes(hf.data, off, len);
  t.num(hf.len, len);
  t.up();
}

setDataDissector(dissectData);
