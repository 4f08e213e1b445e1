// `arpx interfaces`: the interfaces `arpx capture` can open (like tshark -D), numbered, with their
// state, MAC address and IP addresses.
import type { Command } from "commander";
import { listInterfaces } from "../../capture/live/interfaces.js";
import { Out } from "../out.js";

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("interfaces")
    .description("list the interfaces arpx capture can open (like tshark -D)")
    .option("--json", "print the list as JSON")
    .action((o: { json?: boolean }) => {
      const list = listInterfaces();
      const out = new Out();
      if (o.json) {
        out.write(JSON.stringify(list, null, 2) + "\n");
      } else {
        list.entries.forEach((e, i) => {
          const facts: string[] = [];
          if (e.description) facts.push(e.description);
          if (e.loopback) facts.push("loopback");
          if (e.state !== null) facts.push(e.state);
          if (e.mac && e.mac !== "00:00:00:00:00:00") facts.push(e.mac);
          if (e.addresses.length) facts.push(e.addresses.join(", "));
          out.line(`${i + 1}. ${e.name}${facts.length ? ` (${facts.join("; ")})` : ""}`);
        });
        if (list.source === "sysfs") process.stderr.write("arpx: libpcap's device list is not available (neither the cap module nor the arpx-pcap helper): these are the kernel's interfaces\n");
      }
      out.flush();
      done(0);
    });
}
