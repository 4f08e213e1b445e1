// A reusable stack for per-packet lists (layer names, expert hits). Clearing a JS array with
// `length = 0` costs a runtime call and may free its storage, which the next push reallocates;
// resetting a counter costs nothing. Reads past `length` are not allowed.

export class Stack<T> {
  private items: T[] = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Truncate (never grow) to `n` items. */
  set length(n: number) {
    if (n < this.n) this.n = Math.max(0, n);
  }

  push(v: T): void {
    if (this.n < this.items.length) this.items[this.n] = v;
    else this.items.push(v);
    this.n++;
  }

  pop(): T | undefined {
    return this.n > 0 ? this.items[--this.n] : undefined;
  }

  at(i: number): T | undefined {
    return i >= 0 && i < this.n ? this.items[i] : undefined;
  }

  clear(): void {
    this.n = 0;
  }

  join(sep: string): string {
    let s = "";
    for (let i = 0; i < this.n; i++) s += (i ? sep : "") + String(this.items[i]);
    return s;
  }

  map<U>(fn: (v: T, i: number) => U): U[] {
    const out: U[] = [];
    for (let i = 0; i < this.n; i++) out.push(fn(this.items[i]!, i));
    return out;
  }

  some(fn: (v: T) => boolean): boolean {
    for (let i = 0; i < this.n; i++) if (fn(this.items[i]!)) return true;
    return false;
  }

  toArray(): T[] {
    return this.items.slice(0, this.n);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.n; i++) yield this.items[i]!;
  }
}
