// Test hosts for live-capture tests: two network namespaces joined by a veth pair, created by the
// test and deleted afterwards. Nothing here touches the machine's own interfaces: both veth ends
// are created directly inside the namespaces. Frames are sent from one side with a small Python
// raw-socket sender (AF_PACKET), captured on the other with `arpx capture`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethLayer } from "../../src/dissect/protocols/eth.js";
import { xarpLayer, XarpOp } from "../../src/dissect/protocols/xarp-wire.js";
import { build } from "../../src/dissect/build.js";
import { ARPX, IS_ROOT } from "../helpers.js";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Why namespace tests cannot run here (null: they can). Probes by creating and deleting a namespace. */
export function netnsUnavailable(): string | null {
  if (!IS_ROOT) return "live-capture tests need root (ip netns, raw sockets)";
  if (!has("ip")) return "live-capture tests need iproute2's ip";
  if (!has("python3")) return "live-capture tests need python3 (raw-socket sender)";
  const probe = `axprobe${process.pid}`;
  const r = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (r.status !== 0) return `cannot create network namespaces: ${(r.stderr || "").trim()}`;
  spawnSync("ip", ["netns", "del", probe]);
  return null;
}

export const HAVE_DUMPCAP = has("dumpcap");
export const HAVE_TCPDUMP = has("tcpdump");

function run(args: string[]): void {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${(r.stderr || r.stdout || "").trim()}`);
}

/** A sender namespace and a receiver namespace joined by a veth pair (both ends up, no addresses, no IPv6). */
export class VethPair {
  readonly nsTx: string;
  readonly nsRx: string;
  readonly ifTx: string;
  readonly ifRx: string;

  constructor(tag: string) {
    const id = `${process.pid % 100000}${tag}`.slice(0, 9);
    this.nsTx = `arpxt-tx-${id}`;
    this.nsRx = `arpxt-rx-${id}`;
    this.ifTx = `axt${id}`.slice(0, 15);
    this.ifRx = `axr${id}`.slice(0, 15);
  }

  create(): void {
    this.destroy();
    run(["ip", "netns", "add", this.nsTx]);
    run(["ip", "netns", "add", this.nsRx]);
    for (const ns of [this.nsTx, this.nsRx]) {
      // nothing but our frames on the link: no IPv6 (router solicitations, DAD, MLD)
      spawnSync("ip", ["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
    }
    run(["ip", "link", "add", this.ifTx, "netns", this.nsTx, "type", "veth", "peer", "name", this.ifRx, "netns", this.nsRx]);
    run(["ip", "-n", this.nsTx, "link", "set", this.ifTx, "up"]);
    run(["ip", "-n", this.nsRx, "link", "set", this.ifRx, "up"]);
    run(["ip", "-n", this.nsRx, "link", "set", "lo", "up"]);
  }

  /** Deletes both namespaces (which deletes the veth pair); safe to call twice. */
  destroy(): void {
    spawnSync("ip", ["netns", "del", this.nsTx], { stdio: "ignore" });
    spawnSync("ip", ["netns", "del", this.nsRx], { stdio: "ignore" });
  }
}

export const SENDER_PY = `
import socket, struct, sys, time
iface, path = sys.argv[1], sys.argv[2]
pps = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
data = open(path, 'rb').read()
frames = []
o = 0
while o < len(data):
    (n,) = struct.unpack_from('>I', data, o)
    frames.append(data[o + 4:o + 4 + n])
    o += 4 + n
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
t0 = time.perf_counter()
for i, f in enumerate(frames):
    if pps > 0:
        due = t0 + i / pps
        while True:
            left = due - time.perf_counter()
            if left <= 0:
                break
            if left > 0.002:
                time.sleep(left - 0.001)
    s.send(f)
print(len(frames))
`;

const work = mkdtempSync(join(tmpdir(), "arpx-live-"));
export const WORK = work;
const senderPath = join(work, "send.py");
writeFileSync(senderPath, SENDER_PY);

/** Sends `frames` from the sender namespace (at `pps` frames/s when given). */
export function sendFrames(pair: VethPair, frames: Uint8Array[], pps = 0): Promise<void> {
  const file = join(work, `frames-${Date.now()}-${Math.random().toString(36).slice(2)}.bin`);
  const parts: Buffer[] = [];
  for (const f of frames) {
    const h = Buffer.alloc(4);
    h.writeUInt32BE(f.length);
    parts.push(h, Buffer.from(f));
  }
  writeFileSync(file, Buffer.concat(parts));
  return new Promise((resolve, reject) => {
    const p = spawn("ip", ["netns", "exec", pair.nsTx, "python3", senderPath, pair.ifTx, file, String(pps)], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`sender failed (${code}): ${err}`))));
  });
}

/** The source MAC of every test frame (the capture filter selects on it). */
export const SRC_MAC = 0x02a500000001;
export const SRC_MAC_TEXT = "02:a5:00:00:00:01";

/**
 * `n` frames of known content: IPv4/UDP frames of varied lengths (60..1514 bytes) carrying their
 * sequence number, and every seventh an extended ARP message (announce, reply or release of an
 * application MAC), as `arpx gen` scenarios produce them.
 */
export function testFrames(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3) {
      const ops = [XarpOp.ANNOUNCE, XarpOp.REPLY, XarpOp.RELEASE];
      const app = 0x02a5000a0000 + (i % 5);
      out.push(build([
        ethLayer({ dst: 0xffffffffffff, src: SRC_MAC, type: 0x0806 }),
        xarpLayer({ op: ops[i % 3]!, sha: app, spa: { ip: 0x0a630002, port: 5000 + (i % 5), proto: 17, flags: 0 }, tha: 0, tpa: { ip: 0x0a630002, port: 0, proto: 0, flags: 0 } }),
      ]));
      continue;
    }
    const len = 60 + ((i * 97) % (1514 - 60 + 1));
    const f = new Uint8Array(len);
    const dv = new DataView(f.buffer);
    f.set([0x02, 0xa5, 0x00, 0x00, 0x00, 0x02]);
    f.set([0x02, 0xa5, 0x00, 0x00, 0x00, 0x01], 6);
    dv.setUint16(12, 0x0800);
    const ipLen = len - 14;
    f.set([0x45, 0x00], 14);
    dv.setUint16(16, ipLen);
    dv.setUint16(18, i & 0xffff);
    f[22] = 64;
    f[23] = 17;
    f.set([10, 99, 0, 1, 10, 99, 0, 2], 26);
    let sum = 0;
    for (let k = 14; k < 34; k += 2) sum += dv.getUint16(k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    dv.setUint16(24, ~sum & 0xffff);
    dv.setUint16(34, 40000);
    dv.setUint16(36, 9999);
    dv.setUint16(38, ipLen - 20);
    dv.setUint32(42, i);
    for (let k = 46; k < len; k++) f[k] = (i + k) & 0xff;
    out.push(f);
  }
  return out;
}

export interface Running {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once arpx says it is capturing. */
  ready: Promise<void>;
  done: Promise<number>;
}

/** Starts `arpx capture ARGS` inside the receiver namespace. */
export function startCapture(pair: VethPair, args: string[], env: Record<string, string> = {}): Running {
  const proc = spawn("ip", ["netns", "exec", pair.nsRx, process.execPath, ARPX, "capture", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", TZ: "UTC", ...env },
  });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (d) => (out += d));
  let onReady: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  proc.stderr!.on("data", (d) => {
    err += d;
    if (err.includes("Capturing on")) onReady();
  });
  const done = new Promise<number>((resolve) => proc.on("close", (code) => {
    onReady();
    resolve(code ?? -1);
  }));
  return { proc, stdout: () => out, stderr: () => err, ready, done };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
