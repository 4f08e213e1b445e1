// Option parsing shared by the subcommands.

/** Commander accumulator for a repeatable option (`-e a -e b` -> ["a", "b"]). */
export const collect = (v: string, acc: string[]): string[] => [...acc, v];
