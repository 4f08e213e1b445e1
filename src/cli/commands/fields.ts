// `arpx fields`: every registered protocol and field, in the layout of `tshark -G fields`.
import type { Command } from "commander";
import { allFields, BASE_NAMES, FT, FT_NAMES } from "../../dissect/fields.js";
import "../../dissect/engine.js";
import { Out } from "../out.js";

export default function register(program: Command, done: (code: number) => void): void {
  program
    .command("fields")
    .description("list every protocol and field (P/F rows: name, filter name, type, protocol, base, mask, description)")
    .argument("[prefix]", "only fields whose filter name starts with this (e.g. tcp or xarp.)")
    .action((prefix: string | undefined) => {
      const out = new Out();
      for (const f of allFields()) {
        if (prefix && !f.abbrev.startsWith(prefix)) continue;
        if (f.type === FT.PROTOCOL && f.proto === null) out.line(`P\t${f.name}\t${f.abbrev}`);
        else {
          const mask = "0x" + f.mask.toString(16);
          out.line(`F\t${f.name}\t${f.abbrev}\t${FT_NAMES[f.type]}\t${f.proto?.abbrev ?? ""}\t${BASE_NAMES[f.base]}\t${mask}\t${f.blurb}`);
        }
      }
      out.flush();
      done(0);
    });
}
