// The zod schema for `arpx check` policies. Loaded only when a policy is read (zod is slow to
// load). Error lines name the bad key: "policy.yaml: rules[2].max: expected a number ...".
import { z } from "zod";
import { parseIpv4, parseMac } from "../nicmodel/classify.js";
import { parseEndpoint } from "../nicmodel/config.js";
import { formatIssues } from "../nicmodel/config-schema.js";
import { ei as xarpExperts } from "../dissect/protocols/xarp.js";
import { OCCUPANCY_STATS, PolicyError, RULE_KINDS, type PolicyInput } from "./policy.js";

const XARP_EXPERTS = Object.values(xarpExperts).map((e) => e.abbrev);

const count = z.number().int().nonnegative();
const name = z.string().min(1).optional();
const macText = z.string().refine((s) => parseMac(s) !== null, "expected a MAC address like 0a:5e:71:0c:9d:42");
const endpointText = z.string().refine((s) => parseEndpoint(s) !== null, "expected an endpoint like 10.0.0.2:8080/udp or *:53/udp");
/** An application: its name, an endpoint it holds or a MAC it uses; "*" for every one. */
const appSelector = z.string().min(1).default("*");

const overflows = z
  .strictObject({ rule: z.literal("overflows"), name, app: appSelector, max: count.optional(), maxPerSecond: z.number().nonnegative().optional(), maxRatio: z.number().min(0).max(1).optional() })
  .refine((r) => r.max !== undefined || r.maxPerSecond !== undefined || r.maxRatio !== undefined, "give a bound: max (overflows), maxPerSecond or maxRatio (of arrivals)");

const occupancy = z.strictObject({
  rule: z.literal("occupancy"),
  name,
  app: appSelector,
  maxPercent: z.number().min(0).max(100),
  stat: z.enum(OCCUPANCY_STATS).default("max"),
});

const kernelDrops = z
  .strictObject({ rule: z.literal("kernel-drops"), name, max: count.optional(), maxPerSecond: z.number().nonnegative().optional() })
  .refine((r) => r.max !== undefined || r.maxPerSecond !== undefined, "give a bound: max (drops) or maxPerSecond");

const resolution = z.strictObject({ rule: z.literal("resolution"), name, withinMs: z.number().positive() });

const collisions = z.strictObject({ rule: z.literal("collisions"), name });

const spec = z.strictObject({
  rule: z.literal("spec"),
  name,
  ignore: z.array(z.string().refine((s) => XARP_EXPERTS.includes(s), `expected an XARP expert info: ${XARP_EXPERTS.join(", ")}`)).default([]),
  severity: z.enum(["warn", "error"]).default("warn"),
});

const appMacs = z.strictObject({ rule: z.literal("app-macs"), name });

const expectation = z
  .strictObject({ name: z.string().min(1).optional(), endpoint: endpointText.optional(), mac: macText.optional() })
  .refine((e) => e.name !== undefined || e.endpoint !== undefined || e.mac !== undefined, "give name, endpoint or mac");

const apps = z.strictObject({ rule: z.literal("apps"), name, expect: z.array(expectation).min(1) });

const filter = z
  .strictObject({ rule: z.literal("filter"), name, filter: z.string().trim().min(1), min: count.optional(), max: count.optional(), exactly: count.optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined || r.exactly !== undefined, "give min, max or exactly (packets matching)")
  .refine((r) => r.exactly === undefined || (r.min === undefined && r.max === undefined), "exactly cannot be combined with min or max")
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, "min is above max");

const rule = z.discriminatedUnion("rule", [overflows, occupancy, kernelDrops, resolution, collisions, spec, appMacs, apps, filter]);

const model = z.strictObject({
  config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  dispatch: z.enum(["mac", "port"]).optional(),
  filter: z.enum(["promiscuous", "mac"]).optional(),
  learn: z.array(z.enum(["xarp", "lamac", "listen"])).optional(),
  hostMac: macText.optional(),
  hostIp: z.string().refine((s) => parseIpv4(s) !== null, "expected an IPv4 address").optional(),
  speed: z.number().positive().optional(),
  guessFrames: z.number().int().positive().optional(),
});

export const policySchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  model: model.optional(),
  rules: z.array(rule).min(1, "a policy needs at least one rule"),
});

function pathText(path: readonly PropertyKey[]): string {
  let s = "";
  for (const k of path) s += typeof k === "number" ? `[${k}]` : s === "" ? String(k) : `.${String(k)}`;
  return s;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Validates parsed JSON/YAML; the PolicyError has one line per problem, naming the key. */
export function validatePolicy(raw: unknown, file: string): PolicyInput {
  const r = policySchema.safeParse(raw);
  if (r.success) return r.data as PolicyInput;
  const lines: string[] = [];
  for (const i of r.error.issues) {
    if (i.code === "invalid_union" && (i as { discriminator?: string }).discriminator === "rule") {
      const v = valueAt(raw, i.path);
      const kinds = RULE_KINDS.join(", ");
      lines.push(`${pathText(i.path)}: ${v === undefined ? "missing" : `unknown rule ${JSON.stringify(v)}`} (expected one of: ${kinds})`);
    } else if (i.code === "invalid_type" && i.path.length > 0 && valueAt(raw, i.path) === undefined) {
      lines.push(`${pathText(i.path)}: missing (expected ${i.expected === "array" ? "a list" : i.expected})`);
    } else lines.push(...formatIssues([i]).split("\n"));
  }
  throw new PolicyError(lines.map((l) => `${file}: ${l}`).join("\n"));
}
