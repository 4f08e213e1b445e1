// The requesting side of port resolution (docs/extended-arp.md section 4.2): broadcast a REQUEST,
// wait REQUEST_TIMEOUT for the REPLY, retry up to REQUEST_TRIES times. Several endpoints are
// resolved at once over one Link.
import { XarpOp, type Endpoint } from "../dissect/protocols/xarp-wire.js";
import { FLAG_CANONICAL } from "../dissect/protocols/xarp-wire.js";
import type { Link } from "./link.js";
import { parseFrame, XarpFrames, type Station } from "./frames.js";

export const REQUEST_TIMEOUT = 1000;
export const REQUEST_TRIES = 3;

export type Resolution =
  | { target: Endpoint; ok: true; mac: number; canonical: boolean; tries: number; ms: number }
  | { target: Endpoint; ok: false; tries: number; ms: number };

export interface ResolveOptions {
  timeoutMs?: number;
  tries?: number;
  /** Called as each REQUEST goes out (for logging). */
  onRequest?: (target: Endpoint, n: number) => void;
}

/** Resolves every target; resolves once each has an answer or has used all its tries. */
export function resolveEndpoints(link: Link, self: Station, targets: Endpoint[], o: ResolveOptions = {}): Promise<Resolution[]> {
  const timeout = o.timeoutMs ?? REQUEST_TIMEOUT;
  const tries = o.tries ?? REQUEST_TRIES;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const results: (Resolution | null)[] = targets.map(() => null);
    const sent = targets.map(() => 0);
    const timers: (ReturnType<typeof setTimeout> | null)[] = targets.map(() => null);
    let left = targets.length;
    const finish = (i: number, r: Resolution) => {
      if (results[i] !== null) return;
      results[i] = r;
      if (timers[i] !== null) clearTimeout(timers[i]!);
      timers[i] = null;
      if (--left === 0) resolve(results as Resolution[]);
    };
    const ask = (i: number) => {
      if (results[i] !== null) return;
      if (sent[i]! >= tries) {
        finish(i, { target: targets[i]!, ok: false, tries: sent[i]!, ms: Date.now() - t0 });
        return;
      }
      sent[i]!++;
      o.onRequest?.(targets[i]!, sent[i]!);
      link.send(XarpFrames.request(self, targets[i]!));
      timers[i] = setTimeout(() => ask(i), timeout);
    };
    link.onFrame((d) => {
      const m = parseFrame(d)?.xarp;
      if (!m || m.op !== XarpOp.REPLY || m.tha !== self.mac) return;
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!;
        if (results[i] === null && m.spa.ip === t.ip && m.spa.port === t.port && m.spa.proto === t.proto) {
          finish(i, { target: t, ok: true, mac: m.sha, canonical: (m.spa.flags & FLAG_CANONICAL) !== 0, tries: sent[i]!, ms: Date.now() - t0 });
        }
      }
    });
    if (targets.length === 0) resolve([]);
    for (let i = 0; i < targets.length; i++) ask(i);
  });
}
