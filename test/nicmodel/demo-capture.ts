// A synthetic capture for end-to-end replay tests: host 10.0.0.2 (canonical MAC H) with two
// applications announced by XARP, traffic to both, control traffic, and the host's own replies.
import { createWriter } from "../../src/capture/write.js";
import { XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import { arpFrame, BCAST, ip4, ipv4Frame, xarpFrame } from "./frames.js";

export const H = 0x00163e112233;
export const G = 0x00163eaabbcc;
export const WEB = 0x0a5e710c9d42; // udp 8080
export const DB = 0x0a5e710c9d43; // tcp 5432

export interface DemoOptions {
  /** Frames to DB at a constant interval (ns). */
  dbFrames: number;
  dbIntervalNs: number;
  /** Frames to WEB, in bursts. */
  webBursts: number;
  webBurst: number;
  webGapNs: number;
  webBytes: number;
}

export const DEMO: DemoOptions = { dbFrames: 10000, dbIntervalNs: 1000, webBursts: 40, webBurst: 300, webGapNs: 250_000, webBytes: 3000 };

export async function writeDemo(path: string, o: DemoOptions = DEMO): Promise<void> {
  const frames: { t: number; d: Uint8Array }[] = [];
  const ep = (port: number, proto: number) => ({ ip: ip4("10.0.0.2"), port, proto, flags: 0 });
  frames.push({ t: 0, d: arpFrame(G) });
  frames.push({ t: 1000, d: xarpFrame(BCAST, WEB, { op: XarpOp.ANNOUNCE, sha: WEB, spa: ep(8080, 17), tha: WEB, tpa: ep(8080, 17) }) });
  frames.push({ t: 2000, d: xarpFrame(BCAST, DB, { op: XarpOp.ANNOUNCE, sha: DB, spa: ep(5432, 6), tha: DB, tpa: ep(5432, 6) }) });
  const t0 = 10_000;
  for (let i = 0; i < o.dbFrames; i++) frames.push({ t: t0 + i * o.dbIntervalNs, d: ipv4Frame({ dst: DB, src: G, proto: 6, sport: 40000, dport: 5432, len: 100 }) });
  for (let b = 0; b < o.webBursts; b++) for (let i = 0; i < o.webBurst; i++) frames.push({ t: t0 + 500 + b * o.webGapNs + i * 10, d: ipv4Frame({ dst: WEB, src: G, proto: 17, sport: 5000, dport: 8080, len: o.webBytes }) });
  for (let i = 0; i < 50; i++) frames.push({ t: t0 + 777 + i * 100_000, d: ipv4Frame({ dst: H, src: G, proto: 1 }) }); // pings: control
  for (let i = 0; i < 50; i++) frames.push({ t: t0 + 888 + i * 100_000, d: ipv4Frame({ dst: G, src: H, proto: 1 }) }); // the host's replies: not modelled
  frames.sort((a, b) => a.t - b.t);
  const w = createWriter(path, { format: path.endsWith(".pcap") ? "pcap" : "pcapng", interfaces: [{ linkType: 1, snapLen: 65535 }], nanosecond: true });
  const base = 1_700_000_000;
  for (const f of frames) w.writePacket({ data: f.d, wireLen: f.d.length, tsSec: base + Math.floor(f.t / 1e9), tsNsec: f.t % 1e9, linkType: 1, ifIndex: 0 });
  await w.close();
}
