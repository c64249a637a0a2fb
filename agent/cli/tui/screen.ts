// A screen buffer that redraws without flicker: each frame is a list of lines (text with SGR
// colour codes), compared with the previous frame, and only the changed lines are written — all
// of them in one write, so the terminal never shows half a frame.

export class Screen {
  private previous: string[] = [];
  private cleared = false;

  constructor(private readonly write: (chunk: string) => void) {}

  /** Forget what is on the terminal (after a resize): the next frame is drawn whole. */
  invalidate(): void {
    this.previous = [];
    this.cleared = false;
  }

  /** Draws `lines` (one per terminal row, already fitted to the width); returns the bytes written. */
  draw(lines: readonly string[]): number {
    let out = this.cleared ? '' : '\x1b[0m\x1b[2J';
    this.cleared = true;
    for (let row = 0; row < lines.length; row++) {
      const line = lines[row]!;
      if (this.previous[row] === line) continue;
      // Cleared first (with colours reset, so none leaks), then written whole: lines are the full
      // width, and with auto-wrap off an erase after the last column would erase that column.
      out += `\x1b[${row + 1};1H\x1b[0m\x1b[2K${line}\x1b[0m`;
    }
    // Rows the new frame no longer uses (the terminal shrank, or a shorter frame).
    for (let row = lines.length; row < this.previous.length; row++) out += `\x1b[${row + 1};1H\x1b[K`;
    this.previous = [...lines];
    if (out) this.write(out);
    return out.length;
  }
}
