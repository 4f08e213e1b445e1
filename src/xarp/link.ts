// Raw Ethernet frame I/O for the live XARP tools, through libpcap's `cap` binding (an optional
// dependency, loaded here only, lazily, so nothing else ever needs it). One pcap handle with the
// BPF filter "arp" reads XARP and ARP; pcap_sendpacket injects frames.
//
// libpcap on Linux also hands us the frames we send ourselves (and the "inbound" filter qualifier
// matched nothing at all on veth with libpcap 1.10 here), so a link remembers what it sent for a
// few seconds and drops those echoes: a station must not take its own PROBE for someone else's.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface Link {
  /** The interface's own (canonical) MAC address. */
  readonly mac: number;
  readonly name: string;
  send(frame: Uint8Array): void;
  /** Calls `cb` for every ARP/XARP frame received from other stations. */
  onFrame(cb: (frame: Uint8Array) => void): void;
  /**
   * Calls `cb` when any non-ARP frame with Ethernet source `mac` arrives (a probed candidate in
   * use by someone who speaks no XARP). Returns the function that stops watching.
   */
  watchSource(mac: number, cb: () => void): () => void;
  close(): void;
}

/** Errors the command line shows as one line (exit status 2 for usage, 1 for environment). */
export class LinkError extends Error {}

interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  send(buffer: Buffer, nBytes?: number): void;
  on(event: "packet", cb: (nbytes: number, truncated: boolean) => void): void;
}

interface CapModule {
  Cap: new () => CapHandle;
}

let capModule: CapModule | null | undefined;

function loadCap(): CapModule {
  if (capModule === undefined) {
    try {
      capModule = createRequire(import.meta.url)("cap") as CapModule;
    } catch {
      capModule = null;
    }
  }
  if (capModule === null) {
    throw new LinkError("raw frame I/O needs the `cap` package (libpcap binding), which is not installed or not built: run `npm install cap` (needs libpcap-dev and a C++ compiler)");
  }
  return capModule;
}

/** The interface's MAC from sysfs; throws a LinkError when there is no such interface. */
export function interfaceMac(iface: string): number {
  let text: string;
  try {
    text = readFileSync(`/sys/class/net/${iface}/address`, "utf8").trim();
  } catch {
    throw new LinkError(`no interface "${iface}" (see \`ip link\` or \`arpx interfaces\`)`);
  }
  const hex = text.replace(/:/g, "");
  if (!/^[0-9a-f]{12}$/i.test(hex)) throw new LinkError(`interface "${iface}" has no Ethernet address (${text || "none"})`);
  return parseInt(hex, 16);
}

function explain(iface: string, e: unknown): LinkError {
  const msg = (e as Error)?.message ?? String(e);
  if (/permi|EPERM|EACCES|capabilit/i.test(msg) || (process.getuid?.() ?? 0) !== 0) {
    return new LinkError(`cannot open ${iface} for raw frames: ${msg} (run as root, or give node CAP_NET_RAW and CAP_NET_ADMIN)`);
  }
  return new LinkError(`cannot open ${iface} for raw frames: ${msg}`);
}

const ECHO_MS = 3000;

function frameKey(b: Uint8Array, n = b.length): string {
  return Buffer.from(b.buffer, b.byteOffset, n).toString("latin1");
}

/** Opens `iface` through libpcap (promiscuous, immediate mode). */
export function openPcapLink(iface: string): Link {
  const mac = interfaceMac(iface);
  const { Cap } = loadCap();
  const cap = new Cap();
  const buf = Buffer.alloc(65535);
  let linkType: string;
  try {
    linkType = cap.open(iface, "arp", 1 << 20, buf);
  } catch (e) {
    throw explain(iface, e);
  }
  if (linkType !== "ETHERNET") {
    cap.close();
    throw new LinkError(`${iface} is not an Ethernet interface (libpcap link type ${linkType})`);
  }
  const sent = new Map<string, number[]>();
  const watchers = new Set<CapHandle>();
  let closed = false;
  let cb: ((frame: Uint8Array) => void) | null = null;

  const isEcho = (f: Uint8Array): boolean => {
    const key = frameKey(f);
    const times = sent.get(key);
    if (times === undefined) return false;
    const now = Date.now();
    while (times.length > 0 && times[0]! < now - ECHO_MS) times.shift();
    if (times.length === 0) {
      sent.delete(key);
      return false;
    }
    times.shift();
    if (times.length === 0) sent.delete(key);
    return true;
  };

  cap.on("packet", (nbytes) => {
    if (closed) return;
    const f = new Uint8Array(buf.buffer, buf.byteOffset, nbytes);
    if (isEcho(f)) return;
    cb?.(f);
  });

  return {
    mac,
    name: iface,
    send(frame) {
      if (closed) return;
      const key = frameKey(frame);
      const times = sent.get(key);
      if (times) times.push(Date.now());
      else sent.set(key, [Date.now()]);
      if (sent.size > 4096) {
        const old = Date.now() - ECHO_MS;
        for (const [k, t] of sent) if (t[t.length - 1]! < old) sent.delete(k);
      }
      cap.send(Buffer.from(frame.buffer, frame.byteOffset, frame.length), frame.length);
    },
    onFrame(f) {
      cb = f;
    },
    watchSource(watched, onSeen) {
      const w = new Cap();
      const wbuf = Buffer.alloc(128);
      const hex = watched.toString(16).padStart(12, "0").match(/../g)!.join(":");
      try {
        w.open(iface, `ether src ${hex} and not arp`, 1 << 16, wbuf);
      } catch {
        return () => {}; // best effort: XARP conflicts are still seen on the main handle
      }
      watchers.add(w);
      let done = false;
      const stop = () => {
        if (done) return;
        done = true;
        watchers.delete(w);
        w.close();
      };
      w.on("packet", () => {
        if (!done && !closed) onSeen();
      });
      return stop;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const w of watchers) w.close();
      watchers.clear();
      cap.close();
    },
  };
}
