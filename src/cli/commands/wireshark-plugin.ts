// `arpx wireshark-plugin [-w FILE]`: prints (or writes) a Wireshark Lua dissector for Extended ARP
// with the same xarp.* fields, Info texts and expert info as arpx.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { luaPlugin } from "../../dissect/lua-plugin.js";
import { VERSION } from "../main.js";
import { Out } from "../out.js";

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("wireshark-plugin")
    .description("print a Wireshark Lua dissector for extended ARP with arpx's xarp.* fields (tshark -X lua_script:FILE)")
    .option("-w, --write <file>", "write the plugin to this file instead of standard output")
    .action((o: { write?: string }) => {
      const text = luaPlugin(VERSION);
      if (o.write && o.write !== "-") {
        writeFileSync(o.write, text);
        process.stderr.write(`arpx wireshark-plugin: wrote ${o.write}\n`);
      } else {
        const out = new Out();
        out.write(text);
        out.flush();
      }
      done(0);
    });
}
