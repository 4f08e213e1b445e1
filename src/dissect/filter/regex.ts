// `matches` takes a PCRE2 pattern, case-insensitive unless it says otherwise. JavaScript's RegExp
// covers most of PCRE; this rewrites the common differences and refuses what it cannot express:
//   leading (?imsx) / (?-i) option settings  -> RegExp flags
//   (?i:...) groups whose options are already on -> (?:...)
//   \A \z \Z  -> ^ $ $        \h \H -> [ \t] [^ \t]      \e -> \x1b      \R -> (?:\r\n|\n|\r)
//   \Q...\E literal text      \x{HHHH}                   [[:alpha:]] and the other POSIX classes
//   (?P<n>...) (?P=n)         (?#comment)                atomic groups and possessive quantifiers
//   (their backtracking limits do not change what a successful match looks like, so they become
//   plain groups and greedy quantifiers)

const POSIX: Record<string, string> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: " \\t\\n\\r\\f\\v",
  xdigit: "0-9A-Fa-f", punct: "!-\\/:-@\\[-`{-~", word: "\\w", blank: " \\t", cntrl: "\\x00-\\x1f\\x7f",
  print: " -~", graph: "!-~", ascii: "\\x00-\\x7f",
};

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

function hexEscape(cp: number): string {
  if (cp > 0xffff) throw new Error(`code point \\x{${cp.toString(16)}} is out of range`);
  return "\\u" + cp.toString(16).padStart(4, "0");
}

export interface TranslatedRegex {
  source: string;
  flags: string;
}

export function translatePcre(pattern: string): TranslatedRegex {
  const flags = new Set<string>(["i"]);
  let p = pattern;
  // Leading option settings: (?i) (?-i) (?s) (?m) (?x) (?is-m) ...
  for (;;) {
    const m = /^\(\?([imsxnU]*)(?:-([imsxnU]*))?\)/.exec(p);
    if (!m || (m[1] === "" && m[2] === undefined)) break;
    for (const f of m[1]!) flags.add(f);
    for (const f of m[2] ?? "") flags.delete(f);
    p = p.slice(m[0].length);
  }
  const extended = flags.has("x");
  let out = "";
  let i = 0;
  let inClass = false;
  const n = p.length;
  while (i < n) {
    const c = p[i]!;
    if (c === "\\") {
      const d = p[i + 1];
      if (d === undefined) throw new Error("\\ at end of pattern");
      if (d === "Q") {
        const end = p.indexOf("\\E", i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (d === "E") { i += 2; continue; }
      if (d === "x" && p[i + 2] === "{") {
        const end = p.indexOf("}", i + 3);
        const h = end < 0 ? "" : p.slice(i + 3, end);
        if (!/^[0-9a-fA-F]{1,6}$/.test(h)) throw new Error("malformed \\x{...} escape");
        out += hexEscape(parseInt(h, 16));
        i = end + 1;
        continue;
      }
      if (!inClass) {
        if (d === "A") { out += "^"; i += 2; continue; }
        if (d === "z" || d === "Z") { out += "$"; i += 2; continue; }
        if (d === "R") { out += "(?:\\r\\n|\\n|\\r)"; i += 2; continue; }
        if (d === "h") { out += "[ \\t]"; i += 2; continue; }
        if (d === "H") { out += "[^ \\t]"; i += 2; continue; }
        if (d === "G" || d === "K" || d === "X" || d === "C") throw new Error(`\\${d} is not supported`);
      } else if (d === "h") { out += " \\t"; i += 2; continue; }
      if (d === "e") { out += "\\x1b"; i += 2; continue; }
      if (d === "a") { out += "\\x07"; i += 2; continue; }
      out += c + d;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "[" && p[i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
        if (m) {
          const cls = POSIX[m[2]!];
          if (cls === undefined) throw new Error(`unknown POSIX class name [:${m[2]}:]`);
          if (m[1]) throw new Error("negated POSIX classes are not supported");
          out += cls;
          i += m[0].length;
          continue;
        }
      }
      if (c === "[") { out += "\\["; i++; continue; }
      if (c === "]") inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      i++;
      // A "]" right after "[" or "[^" is a literal in PCRE.
      if (p[i] === "^") { out += "^"; i++; }
      if (p[i] === "]") { out += "\\]"; i++; }
      continue;
    }
    if (extended && /\s/.test(c)) { i++; continue; }
    if (extended && c === "#") {
      const nl = p.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === "(" && p[i + 1] === "?") {
      const rest = p.slice(i + 2);
      let m: RegExpExecArray | null;
      if (rest.startsWith("#")) {
        const end = p.indexOf(")", i);
        if (end < 0) throw new Error("missing ) after (?# comment");
        i = end + 1;
        continue;
      }
      if (rest.startsWith("P<")) { out += "(?<"; i += 4; continue; }
      if ((m = /^P=(\w+)\)/.exec(rest))) { out += `\\k<${m[1]}>`; i += 2 + m[0].length; continue; }
      if (rest.startsWith(">")) { out += "(?:"; i += 3; continue; }
      if ((m = /^([imsxnU]*)(?:-([imsxnU]*))?([:)])/.exec(rest)) && (m[1] !== "" || m[2] !== undefined)) {
        // Option settings inside the pattern: fine only if they change nothing.
        const on = [...m[1]!].every((f) => flags.has(f));
        const off = [...(m[2] ?? "")].every((f) => !flags.has(f));
        if (!on || !off) throw new Error(`option setting (?${m[0].slice(0, -1)}) inside the pattern is not supported (put it at the start)`);
        if (m[3] === ":") out += "(?:";
        i += 2 + m[0].length;
        continue;
      }
      if (/^(\(|R\)|[+-]?\d|&|P>|\||C)/.test(rest)) throw new Error("conditionals, recursion and callouts are not supported");
    }
    // Possessive quantifiers: drop the "+".
    if (c === "+" && i > 0 && /[*+?}]/.test(p[i - 1]!) && p[i - 2] !== "\\" && out.length > 0) {
      const prev = out[out.length - 1];
      if (prev === "*" || prev === "+" || prev === "?" || prev === "}") {
        // "a++" / "a*+" / "a?+" / "a{2}+": the second "+" is possessive, unless it follows a literal "+"
        if (!(prev === "+" && out[out.length - 2] === "\\")) { i++; continue; }
      }
    }
    out += c;
    i++;
  }
  if (flags.has("U")) throw new Error("the (?U) ungreedy option is not supported");
  flags.delete("x");
  flags.delete("n");
  return { source: out, flags: [...flags].join("") };
}

/** A case-insensitive (by default) RegExp for a PCRE pattern; throws Error with a message. */
export function compilePcre(pattern: string): RegExp {
  const t = translatePcre(pattern);
  try {
    return new RegExp(t.source, t.flags);
  } catch (e) {
    throw new Error((e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ""));
  }
}
