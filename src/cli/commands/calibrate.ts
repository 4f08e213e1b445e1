// `arpx calibrate`: measures memcpy per byte at several sizes and, through a small native helper
// compiled on first use, first-touch page-fault, munmap and system-call costs with and without
// other threads sharing the address space; saves a profile for `arpx replay --profile FILE`.
import { writeFileSync } from "node:fs";
import Table from "cli-table3";
import type { Command } from "commander";
import { buildHelper, jsMemcpy, makeProfile, runHelper, type NativeResult } from "../../nicmodel/calibrate.js";
import { DEFAULT_COST } from "../../nicmodel/cost.js";
import { num } from "../../ringmon/format.js";
import { errorLine, Out } from "../out.js";

const STYLE = { head: [] as string[], border: [] as string[] };

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("calibrate")
    .description("measure memcpy, page-fault, munmap (with and without other threads) and system-call costs on this machine; save a profile for arpx replay --profile")
    .option("-o, --output <file>", "where to save the profile", "arpx-profile.json")
    .option("--quick", "fewer and shorter measurements (a few seconds)")
    .option("--no-native", "skip the native helper (memcpy from JavaScript only)")
    .option("--json", "print the profile as JSON instead of a table")
    .action(async (opts: { output: string; quick?: boolean; native: boolean; json?: boolean }) => {
      done(await calibrate(opts));
    });
}

async function calibrate(opts: { output: string; quick?: boolean; native: boolean; json?: boolean }): Promise<number> {
  const quick = opts.quick === true;
  let native: NativeResult | null = null;
  let note: string | null = null;
  if (opts.native) {
    const b = buildHelper();
    if ("error" in b) {
      note = b.error;
      errorLine(`calibrate: ${b.error}`);
    } else {
      if (!opts.json) process.stderr.write(`arpx: measuring with ${b.path}${quick ? " (quick)" : ""}...\n`);
      try {
        native = runHelper(b.path, quick);
      } catch (e) {
        note = `the native helper failed: ${(e as Error).message.split("\n")[0]}`;
        errorLine(`calibrate: ${note}`);
      }
    }
  } else {
    note = "native helper skipped (--no-native)";
  }
  const js = native === null ? jsMemcpy(quick) : null;
  const profile = makeProfile(native, note, js);
  try {
    writeFileSync(opts.output, JSON.stringify(profile, null, 2) + "\n");
  } catch (e) {
    errorLine(`${opts.output}: cannot write the profile: ${(e as Error).message}`);
    return 2;
  }
  const out = new Out();
  if (opts.json) {
    out.write(JSON.stringify(profile, null, 2) + "\n");
    out.flush();
    return 0;
  }
  const ghz = profile.clockGHz;
  out.line(`machine: ${String(profile.machine.cpu)}, ${String(profile.machine.cpus)} CPUs, Linux ${String(profile.machine.kernel)}; clock ${ghz ?? "unknown"} GHz (${profile.clockSource})`);
  const t1 = new Table({ head: ["memcpy size (bytes)", "ns per copy", "ns per byte", "cycles per byte", "GB/s"], style: STYLE });
  for (const m of profile.memcpy) t1.push([num(m.bytes), num(m.nsPerCopy, 1), num(m.nsPerByte, 4), m.cyclesPerByte === null ? "-" : num(m.cyclesPerByte, 3), num(m.bytes / m.nsPerCopy, 2)]);
  out.line(`memcpy (${profile.memcpyTool})`);
  out.line(t1.toString());
  if (profile.memcpyFit) out.line(`fit over ${profile.memcpyFit.sizes[0]}..${profile.memcpyFit.sizes[profile.memcpyFit.sizes.length - 1]} bytes: ${num(profile.memcpyFit.fixedNs, 1)} ns + ${num(profile.memcpyFit.nsPerByte, 4)} ns/byte (published DRAM default: ${DEFAULT_COST.copyCyclesPerByte} cycles/byte)`);
  const n = profile.native;
  if (n) {
    out.line("");
    out.line(`page faults and unmapping (${num(n.pages)} pages per run, median of runs)`);
    const t2 = new Table({ head: ["Other threads running", "munmap one page (ns)", "MADV_DONTNEED + touch (ns)", "mmap + touch + munmap (ns)", "Published (Amit 2019, ns)"], style: STYLE });
    const published: Record<string, number> = { "0": DEFAULT_COST.mapLocalNs, "1": DEFAULT_COST.mapRemote1Ns, "3": DEFAULT_COST.mapRemote3Ns };
    for (const r of n.remoteThreads) t2.push([String(r), num(n.munmapNs[String(r)], 0), num(n.madviseTouchNs[String(r)], 0), num(n.mapTouchUnmapNs[String(r)], 0), published[String(r)] !== undefined ? num(published[String(r)]) : "-"]);
    out.line(t2.toString());
    out.line(`first touch: fresh anonymous page ${num(n.pageFaultAnonNs, 0)} ns; shared page already in memory ${num(n.pageFaultSharedNs, 0)} ns (sequential touches: the kernel maps neighbours in one fault)`);
    out.line(`system call (getppid): ${num(n.syscallNs, 0)} ns (published: ~100 ns before the 2018 mitigations, ~300 ns after)`);
    if (n.remoteThreads.length < 2) out.line("only one CPU: no measurement with other threads running");
  } else if (note) {
    out.line(`not measured: ${note}`);
  }
  out.line("");
  out.line(`profile saved to ${opts.output}; it sets: ${Object.entries(profile.cost).map(([k, v]) => `${k}=${typeof v === "number" ? +v.toPrecision(4) : v}`).join(", ")}`);
  out.line(`use it: arpx replay FILE --profile ${opts.output}`);
  out.flush();
  return 0;
}
