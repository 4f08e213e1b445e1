// The one error a display filter can raise at compile time: a one-line message plus where in the
// filter text it applies, so the CLI can print the filter with a caret under the bad token.

export class FilterError extends Error {
  constructor(message: string, readonly filter: string, readonly pos: number, readonly length: number) {
    super(message);
    this.name = "FilterError";
  }

  /**
   * "arpx: display filter error: <msg>" then the filter, then a caret line:
   *   ip.src == 10.0.0.300
   *             ^~~~~~~~~~
   */
  caretMessage(): string {
    // Tabs and newlines would shift the caret: show them as spaces.
    const shown = this.filter.replace(/[\t\r\n\v\f]/g, " ");
    const pos = Math.max(0, Math.min(this.pos, shown.length));
    const len = Math.max(1, Math.min(this.length, Math.max(1, shown.length - pos)));
    return `arpx: display filter error: ${this.message}\n  ${shown}\n  ${" ".repeat(pos)}^${"~".repeat(len - 1)}`;
  }
}

