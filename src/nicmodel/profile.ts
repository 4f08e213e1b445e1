// Calibration profiles: what `arpx calibrate` measured on a machine, and the cost parameters
// derived from it, which `arpx replay --profile FILE` applies over the published defaults.
// (Imported lazily by replay: it loads zod.)
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CostOverrides } from "./cost.js";
import { ConfigError } from "./config.js";
import { costParamsSchema, formatIssues } from "./config-schema.js";

export const PROFILE_VERSION = 1;

const measurement = z.object({ bytes: z.number(), nsPerCopy: z.number(), nsPerByte: z.number(), cyclesPerByte: z.number().nullable() });

export const profileSchema = z.object({
  arpxCalibration: z.literal(PROFILE_VERSION),
  created: z.string(),
  machine: z.record(z.string(), z.unknown()),
  clockGHz: z.number().positive().nullable(),
  clockSource: z.string(),
  memcpy: z.array(measurement),
  memcpyTool: z.string(),
  /** Least-squares fit of ns per copy = fixed + perByte * bytes over the cache-resident sizes. */
  memcpyFit: z.object({ fixedNs: z.number(), nsPerByte: z.number(), sizes: z.array(z.number()) }).nullable(),
  /** Native helper results (null without a C compiler). */
  native: z
    .object({
      syscallNs: z.number(),
      pageFaultAnonNs: z.number(),
      pageFaultSharedNs: z.number(),
      munmapNs: z.record(z.string(), z.number()),
      madviseTouchNs: z.record(z.string(), z.number()),
      mapTouchUnmapNs: z.record(z.string(), z.number()),
      pages: z.number(),
      remoteThreads: z.array(z.number()),
    })
    .nullable(),
  nativeNote: z.string().nullable(),
  /** What replay applies (over the published defaults). */
  cost: costParamsSchema,
});

export type Profile = z.infer<typeof profileSchema>;

export function loadProfile(path: string): { profile: Profile; cost: CostOverrides } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError(`${path}: cannot read the calibration profile: ${(e as Error).message.split("\n")[0]}`);
  }
  const r = profileSchema.safeParse(raw);
  if (!r.success) throw new ConfigError(formatIssues(r.error.issues).split("\n").map((l) => `${path}: ${l}`).join("\n") + `\n${path}: not an arpx calibration profile (make one with arpx calibrate)`);
  return { profile: r.data, cost: r.data.cost };
}
