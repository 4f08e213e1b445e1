// Colour only where a person is looking: on a terminal, unless NO_COLOR is set or --color says
// otherwise. Pipes and files always get plain text.
import { Chalk, type ChalkInstance } from "chalk";

export type ColorWhen = "auto" | "always" | "never";

export function colorFor(when: ColorWhen = "auto", stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  if (when === "never") return new Chalk({ level: 0 });
  if (when === "always") return new Chalk({ level: 1 });
  const off = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  return new Chalk({ level: !off && stream.isTTY ? 1 : 0 });
}
