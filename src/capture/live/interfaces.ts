// The interfaces a capture can open. libpcap's own list (pcap_findalldevs) comes from the `cap`
// binding when it is installed (loaded here only, lazily, so file commands never need it), else
// from the arpx-pcap helper (-L), else from /sys/class/net. Link facts libpcap does not give (MAC
// address, MTU, operational state) are read from /sys/class/net.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { helperBinary } from "./helper.js";

export interface InterfaceEntry {
  name: string;
  description: string;
  addresses: string[];
  loopback: boolean;
  /** Operational state from /sys/class/net ("up", "down", "unknown"...), null for pseudo-devices. */
  state: string | null;
  mac: string | null;
  mtu: number | null;
}

export interface InterfaceList {
  entries: InterfaceEntry[];
  /** Where the list came from. */
  source: "cap" | "arpx-pcap" | "sysfs";
}

interface CapDevice {
  name: string;
  description?: string;
  addresses?: { addr?: string }[];
  flags?: string;
}

/** The `cap` module, or null when it is not installed or could not be built. */
export function loadCap(): { Cap: { deviceList(): CapDevice[] } } | null {
  try {
    return createRequire(import.meta.url)("cap") as { Cap: { deviceList(): CapDevice[] } };
  } catch {
    return null;
  }
}

function sys(name: string, file: string): string | null {
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, "utf8").trim();
  } catch {
    return null;
  }
}

function withLink(name: string, description: string, addresses: string[], loopback: boolean): InterfaceEntry {
  const mtu = sys(name, "mtu");
  return {
    name,
    description,
    addresses,
    loopback,
    state: sys(name, "operstate"),
    mac: sys(name, "address"),
    mtu: mtu !== null && /^\d+$/.test(mtu) ? Number(mtu) : null,
  };
}

export function listInterfaces(): InterfaceList {
  const cap = loadCap();
  if (cap !== null) {
    try {
      const devs = cap.Cap.deviceList();
      return {
        source: "cap",
        entries: devs.map((d) => withLink(d.name, d.description ?? "", (d.addresses ?? []).map((a) => a.addr ?? "").filter(Boolean), d.flags === "PCAP_IF_LOOPBACK")),
      };
    } catch {
      // fall through to the helper
    }
  }
  const h = helperBinary();
  if ("path" in h) {
    const r = spawnSync(h.path, ["-L"], { encoding: "utf8" });
    if (r.status === 0) {
      const entries = r.stdout.split("\n").filter(Boolean).map((line) => {
        const [name = "", description = "", flags = "", addrs = ""] = line.split("\t");
        return withLink(name, description, addrs.split(",").filter(Boolean), flags.split(",").includes("loopback"));
      });
      return { source: "arpx-pcap", entries };
    }
  }
  let names: string[] = [];
  try {
    names = readdirSync("/sys/class/net").sort();
  } catch {
    names = [];
  }
  return { source: "sysfs", entries: names.map((n) => withLink(n, "", [], sys(n, "type") === "772")) };
}

/** One line naming the interfaces there are (for "no such interface" errors). */
export function interfaceNames(list: InterfaceList): string {
  const real = list.entries.filter((e) => e.state !== null || e.name === "any").map((e) => e.name);
  return (real.length > 0 ? real : list.entries.map((e) => e.name)).join(", ");
}
