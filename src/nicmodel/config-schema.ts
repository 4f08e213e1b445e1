// The zod schemas for configuration files and calibration profiles. Loaded only when a file is
// read (zod takes tens of milliseconds to load, more than a whole small replay).
import { z } from "zod";
import { parseIpv4, parseIpv6, parseMac } from "./classify.js";
import { ConfigError, parseEndpoint, type ConfigInput } from "./config.js";

const MAX_RING = 1 << 24;

const rateSchema = z.union([z.number().positive(), z.string().regex(/^\s*\d+(\.\d+)?\s*[kKmMgG]?\s*(pps)?\s*$/, 'expected packets per second, e.g. 2000000 or "2M"')]);

const queueKeys = {
  ring: z.number().int().positive().max(MAX_RING).optional(),
  bufferSize: z.number().int().positive().optional(),
  /** Release rate, packets per second. */
  rate: rateSchema.optional(),
  /** Or time per packet (ns). */
  nsPerPacket: z.number().nonnegative().optional(),
  batch: z.number().int().positive().optional(),
};

const protoSchema = z.union([z.enum(["tcp", "udp", "sctp", "dccp", "udplite"]), z.number().int().min(0).max(255)]);
const macSchema = z.string().refine((s) => s === "auto" || parseMac(s) !== null, 'expected a MAC address like 0a:5e:71:0c:9d:42, or "auto"');
const ipSchema = z.string().refine((s) => s === "*" || parseIpv4(s) !== null || parseIpv6(s) !== null, 'expected an IPv4 or IPv6 address, or "*"');
const endpointSchema = z.string().refine((s) => parseEndpoint(s) !== null, "expected an endpoint like 10.0.0.2:8080/udp, *:53/udp or [fd00::2]:443/tcp");

export const costParamsSchema = z.strictObject({
  clockGHz: z.number().positive().optional(),
  kernelRxCycles: z.number().nonnegative().optional(),
  syscallNs: z.number().nonnegative().optional(),
  copyFixedCycles: z.number().nonnegative().optional(),
  copyCyclesPerByte: z.number().nonnegative().optional(),
  dmaSubmitCycles: z.number().nonnegative().optional(),
  dmaCyclesPerByte: z.number().nonnegative().optional(),
  pageSize: z.number().int().positive().optional(),
  mapLocalNs: z.number().nonnegative().optional(),
  mapRemote1Ns: z.number().nonnegative().optional(),
  mapRemote3Ns: z.number().nonnegative().optional(),
  mapPerExtraCoreNs: z.number().nonnegative().optional(),
  cores: z.number().int().positive().optional(),
  perennialCycles: z.number().nonnegative().optional(),
});

const appSchema = z.strictObject({
  name: z.string().min(1),
  ip: ipSchema.optional(),
  proto: protoSchema.optional(),
  port: z.number().int().min(0).max(65535).optional(),
  ports: z.array(z.number().int().min(0).max(65535)).optional(),
  endpoints: z.array(endpointSchema).optional(),
  mac: macSchema.optional(),
  ...queueKeys,
});

export const configSchema = z.strictObject({
  host: z
    .strictObject({
      mac: macSchema.optional(),
      ip: z.string().refine((s) => parseIpv4(s) !== null, "expected an IPv4 address").optional(),
      ipv6: z.string().refine((s) => parseIpv6(s) !== null, "expected an IPv6 address").optional(),
    })
    .optional(),
  nic: z
    .strictObject({
      filter: z.enum(["promiscuous", "mac"]).optional(),
      dispatch: z.enum(["mac", "port"]).optional(),
      learn: z.array(z.enum(["xarp", "lamac", "listen"])).optional(),
      skipOwnTx: z.boolean().optional(),
    })
    .optional(),
  defaults: z.strictObject(queueKeys).optional(),
  kernel: z
    .strictObject({
      size: z.number().int().positive().max(MAX_RING).optional(),
      bufferSize: z.number().int().positive().optional(),
      rate: rateSchema.optional(),
      nsPerPacket: z.number().nonnegative().optional(),
      batch: z.number().int().positive().optional(),
    })
    .optional(),
  apps: z.array(appSchema).optional(),
  cost: costParamsSchema.optional(),
});

function pathText(path: readonly PropertyKey[]): string {
  let s = "";
  for (const k of path) s += typeof k === "number" ? `[${k}]` : s === "" ? String(k) : `.${String(k)}`;
  return s;
}

/** Formats zod issues as "key.path: message" lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      if (i.code === "unrecognized_keys") {
        const base = pathText(i.path);
        return i.keys.map((k) => `${base === "" ? k : `${base}.${k}`}: unknown key`).join("\n");
      }
      return `${pathText(i.path) || "(top level)"}: ${i.message}`;
    })
    .join("\n");
}

/** Validates parsed JSON/YAML; the ConfigError names every bad key, one per line. */
export function validateConfig(raw: unknown, name = "config"): ConfigInput {
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    const lines = formatIssues(r.error.issues).split("\n");
    throw new ConfigError(lines.map((l) => `${name}: ${l}`).join("\n"));
  }
  return r.data as ConfigInput;
}
