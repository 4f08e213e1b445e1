// Display filter grammar (Wireshark 4.0, plus xor from 4.2), by recursive descent:
//
//   test     := or
//   or       := xor   (("or" | "||") xor)*
//   xor      := and   (("xor" | "^^") and)*
//   and      := not   (("and" | "&&") not)*
//   not      := ("not" | "!") not | "(" test ")" | relation
//   relation := ["any" | "all"] expr [cmp expr | "in" set | "not" "in" set]
//   cmp      := == != === !== < <= > >= eq ne all_eq any_ne lt le gt ge contains matches ~
//   set      := "{" elem ("," elem)* "}"      elem := expr [".." expr]
//   expr     := sum ("&" sum)*                 sum := prod (("+" | "-") prod)*
//   prod     := unary (("*" | "/" | "%") unary)*
//   unary    := "-" unary | value ("[" ranges "]")*
//   value    := WORD | WORD "(" [expr ("," expr)*] ")" | STRING | CHAR | "{" expr "}"
//
// `not` binds tighter than `and`, `and` tighter than `xor`, `xor` tighter than `or` (Wireshark 4.0
// has no xor; its `A or B and C` is `A or (B and C)`, checked against tshark 4.0.17).
import { FilterError } from "./errors.js";
import { Tk, tokenize, type Token } from "./lexer.js";

export interface Span {
  pos: number;
  len: number;
}

/** One slice range, kept as written; resolved against each value's length at run time. */
export interface SliceRange {
  start: number;
  /** "len": [start:n]  "end": [start-end] (inclusive)  "toEnd": [start:] */
  kind: "len" | "end" | "toEnd";
  n: number;
}

export type Expr =
  | ({ k: "word"; text: string } & Span)
  | ({ k: "str"; tok: Token } & Span)
  | ({ k: "char"; value: number; text: string } & Span)
  | ({ k: "slice"; e: Expr; ranges: SliceRange[]; rpos: number; rlen: number } & Span)
  | ({ k: "call"; name: string; args: Expr[]; nlen: number } & Span)
  | ({ k: "arith"; op: string; a: Expr; b: Expr; opPos: number } & Span)
  | ({ k: "neg"; a: Expr } & Span);

export interface SetElem {
  lo: Expr;
  hi: Expr | null;
}

export type Test =
  | ({ k: "and" | "or" | "xor"; a: Test; b: Test } & Span)
  | ({ k: "not"; a: Test } & Span)
  | ({ k: "rel"; op: string; opText: string; opPos: number; quant: "any" | "all" | null; l: Expr; r: Expr } & Span)
  | ({ k: "in"; negated: boolean; quant: "any" | "all" | null; l: Expr; set: SetElem[]; opPos: number; opLen: number } & Span)
  | ({ k: "exists"; e: Expr } & Span)
  | { k: "true"; pos: 0; len: 0 };

const CMP_OPS = new Set(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "contains", "matches"]);

export function parseFilter(src: string): Test {
  const toks = tokenize(src);
  let i = 0;
  const peek = (o = 0): Token => toks[Math.min(i + o, toks.length - 1)]!;
  const next = (): Token => toks[i++]!;
  const isOp = (t: Token, op: string): boolean => t.k === Tk.OP && t.op === op;
  const unexpected = (t: Token): never => {
    if (t.k === Tk.EOF) throw new FilterError("Unexpected end of filter expression.", src, src.length, 1);
    throw new FilterError(`"${t.text}" was unexpected in this context.`, src, t.pos, t.len);
  };
  const span = (from: number, to: Span): Span => ({ pos: from, len: to.pos + to.len - from });

  if (toks.length === 1) return { k: "true", pos: 0, len: 0 };

  function orTest(): Test {
    let a = xorTest();
    while (isOp(peek(), "||")) {
      next();
      const b = xorTest();
      a = { k: "or", a, b, ...span(a.pos, b) };
    }
    return a;
  }

  function xorTest(): Test {
    let a = andTest();
    while (isOp(peek(), "^^")) {
      next();
      const b = andTest();
      a = { k: "xor", a, b, ...span(a.pos, b) };
    }
    return a;
  }

  function andTest(): Test {
    let a = notTest();
    while (isOp(peek(), "&&")) {
      next();
      const b = notTest();
      a = { k: "and", a, b, ...span(a.pos, b) };
    }
    return a;
  }

  function notTest(): Test {
    const t = peek();
    if (isOp(t, "!")) {
      next();
      const a = notTest();
      return { k: "not", a, ...span(t.pos, a) };
    }
    if (t.k === Tk.LPAREN) {
      next();
      const a = orTest();
      const close = next();
      if (close.k !== Tk.RPAREN) unexpected(close);
      return a;
    }
    return relation();
  }

  function relation(): Test {
    const first = peek();
    let quant: "any" | "all" | null = null;
    if (isOp(first, "any") || isOp(first, "all")) {
      next();
      quant = first.op as "any" | "all";
    }
    const l = expr();
    const t = peek();
    if (t.k === Tk.OP && CMP_OPS.has(t.op)) {
      next();
      const r = expr();
      return { k: "rel", op: t.op, opText: t.text, opPos: t.pos, quant, l, r, ...span(first.pos, r) };
    }
    if (isOp(t, "in") || (isOp(t, "!") && isOp(peek(1), "in"))) {
      const negated = !isOp(t, "in");
      next();
      const inTok = negated ? next() : t;
      const set: SetElem[] = [];
      const open = next();
      if (open.k !== Tk.LBRACE) unexpected(open);
      for (;;) {
        const lo = expr();
        let hi: Expr | null = null;
        if (peek().k === Tk.DOTDOT) {
          next();
          hi = expr();
        }
        set.push({ lo, hi });
        const sep = next();
        if (sep.k === Tk.RBRACE) {
          return { k: "in", negated, quant, l, set, opPos: t.pos, opLen: inTok.pos + inTok.len - t.pos, ...span(first.pos, sep) };
        }
        if (sep.k !== Tk.COMMA) unexpected(sep);
      }
    }
    if (quant !== null) unexpected(t);
    return { k: "exists", e: l, ...span(first.pos, l) };
  }

  function expr(): Expr {
    let a = sum();
    while (isOp(peek(), "&")) {
      const op = next();
      const b = sum();
      a = { k: "arith", op: "&", a, b, opPos: op.pos, ...span(a.pos, b) };
    }
    return a;
  }

  function sum(): Expr {
    let a = prod();
    while (isOp(peek(), "+") || isOp(peek(), "-")) {
      const op = next();
      const b = prod();
      a = { k: "arith", op: op.op, a, b, opPos: op.pos, ...span(a.pos, b) };
    }
    return a;
  }

  function prod(): Expr {
    let a = unary();
    while (isOp(peek(), "*") || isOp(peek(), "/") || isOp(peek(), "%")) {
      const op = next();
      const b = unary();
      a = { k: "arith", op: op.op, a, b, opPos: op.pos, ...span(a.pos, b) };
    }
    return a;
  }

  function unary(): Expr {
    const t = peek();
    if (isOp(t, "-")) {
      next();
      const a = unary();
      return { k: "neg", a, ...span(t.pos, a) };
    }
    if (isOp(t, "+")) {
      next();
      return unary();
    }
    let v = value();
    for (;;) {
      const s = peek();
      if (s.k === Tk.SLICE) {
        next();
        v = { k: "slice", e: v, ranges: parseRanges(s), rpos: s.pos + 1, rlen: s.len - 2, ...span(v.pos, s) };
        continue;
      }
      if (isOp(s, "#")) {
        throw new FilterError('The layer operator "#" is not supported by arpx.', src, s.pos, 1);
      }
      return v;
    }
  }

  function value(): Expr {
    const t = next();
    switch (t.k) {
      case Tk.WORD:
        if (peek().k === Tk.LPAREN) {
          next();
          const args: Expr[] = [];
          if (peek().k !== Tk.RPAREN) {
            for (;;) {
              args.push(expr());
              if (peek().k === Tk.COMMA) {
                next();
                continue;
              }
              break;
            }
          }
          const close = next();
          if (close.k !== Tk.RPAREN) unexpected(close);
          return { k: "call", name: t.text, args, nlen: t.len, ...span(t.pos, close) };
        }
        return { k: "word", text: t.text, pos: t.pos, len: t.len };
      case Tk.STRING:
        return { k: "str", tok: t, pos: t.pos, len: t.len };
      case Tk.CHAR:
        return { k: "char", value: t.num, text: t.text, pos: t.pos, len: t.len };
      case Tk.LBRACE: {
        const e = expr();
        const close = next();
        if (close.k !== Tk.RBRACE) unexpected(close);
        return e;
      }
      case Tk.OP:
        if (t.op === "$") throw new FilterError("Field references (${...}) are not supported by arpx.", src, t.pos, 1);
        if (t.op === "@") throw new FilterError('Raw field values ("@field") are not supported by arpx.', src, t.pos, 1);
        return unexpected(t);
      default:
        return unexpected(t);
    }
  }

  /** "[0:3]", "[1-2]", "[4]", "[:2]", "[3:]", "[-4:]", "[0,2:2,5-6]" */
  function parseRanges(t: Token): SliceRange[] {
    const out: SliceRange[] = [];
    let off = t.pos + 1;
    for (const part of t.str.split(",")) {
      const at = off + (part.length - part.trimStart().length);
      const p = part.trim();
      off += part.length + 1;
      const bad = (msg: string): never => {
        throw new FilterError(msg, src, at, Math.max(1, p.length));
      };
      let m: RegExpExecArray | null;
      if ((m = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(p))) {
        const start = m[1] === undefined ? 0 : Number(m[1]);
        if (m[2] === undefined) {
          if (m[1] === undefined) bad(`Range "${p}" isn't valid.`);
          out.push({ start, kind: "toEnd", n: 0 });
        } else {
          const n = Number(m[2]);
          if (n <= 0) bad(`Range ${p} isn't valid because length ${n} isn't positive`);
          out.push({ start, kind: "len", n });
        }
      } else if ((m = /^(-?\d+)\s*-\s*(-?\d+)$/.exec(p))) {
        const start = Number(m[1]), end = Number(m[2]);
        if ((start >= 0) === (end >= 0) && start >= end) bad(`Range ${p} isn't valid because ${start} is greater or equal than ${end}`);
        out.push({ start, kind: "end", n: end });
      } else if ((m = /^(-?\d+)$/.exec(p))) {
        out.push({ start: Number(m[1]), kind: "len", n: 1 });
      } else bad(p === "" ? "Empty slice range." : `Range "${p}" isn't valid.`);
    }
    return out;
  }

  const root = orTest();
  const end = peek();
  if (end.k !== Tk.EOF) unexpected(end);
  return root;
}
