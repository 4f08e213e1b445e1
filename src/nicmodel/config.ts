// The host configuration: a JSON or YAML file, validated with zod (errors name the bad key), and
// the defaults that let `arpx replay FILE` run with no file at all. docs/nic-model.md documents
// every key.
import { readFileSync } from "node:fs";
import type { CostOverrides } from "./cost.js";
import { parseIpv4, parseIpv6, parseMac } from "./classify.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** What a configuration file may say (config-schema.ts holds the zod schema that checks it). */
export interface ConfigInput {
  host?: { mac?: string | undefined; ip?: string | undefined; ipv6?: string | undefined } | undefined;
  nic?: { filter?: "promiscuous" | "mac" | undefined; dispatch?: "mac" | "port" | undefined; learn?: Learn[] | undefined; skipOwnTx?: boolean | undefined } | undefined;
  defaults?: QueueInput | undefined;
  kernel?: (Omit<QueueInput, "ring"> & { size?: number | undefined }) | undefined;
  apps?: AppInput[] | undefined;
  cost?: CostOverrides | undefined;
}

export interface QueueInput {
  ring?: number | undefined;
  bufferSize?: number | undefined;
  rate?: number | string | undefined;
  nsPerPacket?: number | undefined;
  batch?: number | undefined;
}

export interface AppInput extends QueueInput {
  name: string;
  ip?: string | undefined;
  proto?: "tcp" | "udp" | "sctp" | "dccp" | "udplite" | number | undefined;
  port?: number | undefined;
  ports?: number[] | undefined;
  endpoints?: string[] | undefined;
  mac?: string | undefined;
}

// ---- resolved configuration (what the model uses) ----

export type IpMatch = { kind: "any" } | { kind: 4; v: number } | { kind: 6; b: Uint8Array };

export interface Endpoint {
  ip: IpMatch;
  proto: number;
  port: number;
}

export interface QueueParams {
  size: number;
  bufferSize: number;
  nsPerPacket: number;
  batch: number;
}

export interface AppConfig extends QueueParams {
  name: string;
  /** MAC, or null for "auto" (taken from the capture's XARP announcements, else generated). */
  mac: number | null;
  endpoints: Endpoint[];
}

export type Learn = "xarp" | "lamac" | "listen";

export interface ModelConfig {
  /** Canonical MAC (null: unknown; frames with no MAC are still "to the host"). */
  hostMac: number | null;
  hostIp: number | null;
  dispatch: "mac" | "port";
  filter: "promiscuous" | "mac";
  learn: Set<Learn>;
  /** Frames whose source MAC is one of the host's are its own transmissions, not received traffic. */
  skipOwnTx: boolean;
  appDefaults: QueueParams;
  kernel: QueueParams;
  apps: AppConfig[];
  cost: CostOverrides;
}

/** Defaults for learned applications and the kernel queue; docs/nic-model.md explains each. */
export const DEFAULT_APP: Readonly<QueueParams> = Object.freeze({ size: 2048, bufferSize: 2048, nsPerPacket: 1000, batch: 32 });
export const DEFAULT_KERNEL: Readonly<QueueParams> = Object.freeze({ size: 1024, bufferSize: 2048, nsPerPacket: 1000, batch: 64 });

export const PROTO_NUMBERS: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, dccp: 33, udplite: 136 };
export const PROTO_TEXT: Record<number, string> = { 6: "tcp", 17: "udp", 132: "sctp", 33: "dccp", 136: "udplite" };

export function parseRate(r: number | string): number {
  if (typeof r === "number") return r;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)/.exec(r)!;
  const mult = { "": 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 }[m[2]!] ?? 1;
  return Number(m[1]) * mult;
}

function nsOf(key: string, q: { rate?: number | string | undefined; nsPerPacket?: number | undefined }, dflt: number): number {
  if (q.rate !== undefined && q.nsPerPacket !== undefined) throw new ConfigError(`${key}: give either rate or nsPerPacket, not both`);
  if (q.nsPerPacket !== undefined) return q.nsPerPacket;
  if (q.rate !== undefined) {
    const r = parseRate(q.rate);
    if (!(r > 0)) throw new ConfigError(`${key}.rate: must be above 0 packets/s`);
    return 1e9 / r;
  }
  return dflt;
}

/** "10.0.0.2:8080/udp", "*:53/udp", "[fd00::2]:443/tcp", "8080/tcp" (any address). */
export function parseEndpoint(s: string): Endpoint | null {
  const m = /^\s*(?:(\*|\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d{1,5})\/([a-z]+|\d{1,3})\s*$/.exec(s);
  if (!m) return null;
  const port = Number(m[2]);
  if (port > 65535) return null;
  const proto = /^\d+$/.test(m[3]!) ? Number(m[3]) : PROTO_NUMBERS[m[3]!];
  if (proto === undefined || proto > 255) return null;
  const ip = ipMatch(m[1] ?? "*");
  if (ip === null) return null;
  return { ip, proto, port };
}

export function ipMatch(s: string): IpMatch | null {
  if (s === "*" || s === "0.0.0.0" || s === "::" || s === "[::]") return { kind: "any" };
  const v4 = parseIpv4(s);
  if (v4 !== null) return { kind: 4, v: v4 };
  const v6 = parseIpv6(s);
  if (v6 !== null) return { kind: 6, b: v6 };
  return null;
}

export function endpointText(e: Endpoint): string {
  const p = PROTO_TEXT[e.proto] ?? String(e.proto);
  if (e.ip.kind === "any") return `*:${e.port}/${p}`;
  if (e.ip.kind === 4) return `${e.ip.v >>> 24}.${(e.ip.v >>> 16) & 255}.${(e.ip.v >>> 8) & 255}.${e.ip.v & 255}:${e.port}/${p}`;
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(((e.ip.b[2 * i]! << 8) | e.ip.b[2 * i + 1]!).toString(16));
  return `[${g.join(":").replace(/(^|:)0(:0)+(:|$)/, "::")}]:${e.port}/${p}`;
}

/**
 * Reads and validates a JSON (.json) or YAML (anything else) configuration file. zod and the YAML
 * parser are loaded only here, so a replay without a file does not pay for them.
 */
export async function loadConfigFile(path: string): Promise<ConfigInput> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`${path}: cannot read: ${(e as Error).message}`);
  }
  const json = /\.json$/i.test(path);
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid ${json ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`);
  }
  const { validateConfig } = await import("./config-schema.js");
  return validateConfig(raw ?? {}, path);
}

export interface ResolveOptions {
  dispatch?: "mac" | "port" | undefined;
  filter?: "promiscuous" | "mac" | undefined;
  learn?: Learn[] | undefined;
  hostMac?: number | undefined;
  hostIp?: number | undefined;
}

/**
 * Turns validated input (or null: no file) into the model's configuration. Command-line options
 * win over the file. The host MAC/IP may stay null here: the caller guesses them from the capture.
 */
export function resolveConfig(input: ConfigInput | null, opts: ResolveOptions = {}): ModelConfig {
  const c = input ?? {};
  const dispatch = opts.dispatch ?? c.nic?.dispatch ?? "mac";
  const d = c.defaults ?? {};
  const appDefaults: QueueParams = {
    size: d.ring ?? DEFAULT_APP.size,
    bufferSize: d.bufferSize ?? DEFAULT_APP.bufferSize,
    nsPerPacket: nsOf("defaults", d, DEFAULT_APP.nsPerPacket),
    batch: d.batch ?? DEFAULT_APP.batch,
  };
  const k = c.kernel ?? {};
  const kernel: QueueParams = {
    size: k.size ?? DEFAULT_KERNEL.size,
    bufferSize: k.bufferSize ?? DEFAULT_KERNEL.bufferSize,
    nsPerPacket: nsOf("kernel", k, DEFAULT_KERNEL.nsPerPacket),
    batch: k.batch ?? DEFAULT_KERNEL.batch,
  };
  const names = new Set<string>();
  const apps: AppConfig[] = (c.apps ?? []).map((a, i) => {
    const key = `apps[${i}]`;
    if (names.has(a.name)) throw new ConfigError(`${key}.name: "${a.name}" is used by another application`);
    names.add(a.name);
    const endpoints: Endpoint[] = [];
    for (const e of a.endpoints ?? []) endpoints.push(parseEndpoint(e)!);
    const ports = [...(a.port !== undefined ? [a.port] : []), ...(a.ports ?? [])];
    if (ports.length > 0) {
      if (a.proto === undefined) throw new ConfigError(`${key}.proto: needed with port/ports (tcp, udp, sctp, dccp or a number)`);
      const proto = typeof a.proto === "number" ? a.proto : PROTO_NUMBERS[a.proto]!;
      const ip = ipMatch(a.ip ?? "*")!;
      for (const p of ports) endpoints.push({ ip, proto, port: p });
    } else if (a.proto !== undefined) {
      throw new ConfigError(`${key}.port: needed with proto`);
    }
    const mac = a.mac === undefined || a.mac === "auto" ? null : parseMac(a.mac)!;
    if (mac !== null && Math.floor(mac / 0x10000000000) & 1) throw new ConfigError(`${key}.mac: ${a.mac} is a multicast address`);
    if (mac === null && endpoints.length === 0) throw new ConfigError(`${key}: give a mac, or endpoints (port and proto) so its MAC can be learned`);
    return {
      name: a.name,
      mac,
      endpoints,
      size: a.ring ?? appDefaults.size,
      bufferSize: a.bufferSize ?? appDefaults.bufferSize,
      nsPerPacket: nsOf(key, a, appDefaults.nsPerPacket),
      batch: a.batch ?? appDefaults.batch,
    };
  });
  const seenMacs = new Map<number, string>();
  for (const a of apps) {
    if (a.mac === null) continue;
    const other = seenMacs.get(a.mac);
    if (other !== undefined) throw new ConfigError(`apps: "${a.name}" and "${other}" have the same MAC`);
    seenMacs.set(a.mac, a.name);
  }
  const hostMacCfg = c.host?.mac !== undefined && c.host.mac !== "auto" ? parseMac(c.host.mac) : null;
  const hostMac = opts.hostMac ?? hostMacCfg;
  if (hostMac !== null && seenMacs.has(hostMac)) throw new ConfigError(`host.mac: also the MAC of application "${seenMacs.get(hostMac)}"`);
  const learnDefault: Learn[] = input === null ? (dispatch === "mac" ? ["xarp", "lamac"] : ["xarp"]) : ["xarp"];
  return {
    hostMac,
    hostIp: opts.hostIp ?? (c.host?.ip !== undefined ? parseIpv4(c.host.ip) : null),
    dispatch,
    filter: opts.filter ?? c.nic?.filter ?? "promiscuous",
    learn: new Set(opts.learn ?? c.nic?.learn ?? learnDefault),
    skipOwnTx: c.nic?.skipOwnTx ?? true,
    appDefaults,
    kernel,
    apps,
    cost: c.cost ?? {},
  };
}
