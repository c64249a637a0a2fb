// A fixed-size ring of rows of up to four numbers in one Float64Array: the baselines' per-minute points and
// the leak detector's samples. Nothing is allocated after construction.

export class Ring {
  readonly data: Float64Array;
  /** Rows held (≤ capacity). */
  n = 0;
  /** Where the next row goes. */
  private pos = 0;

  constructor(
    readonly capacity: number,
    readonly width: number,
  ) {
    this.data = new Float64Array(capacity * width);
  }

  push(a: number, b = 0, c = 0, d = 0): void {
    const at = this.pos * this.width;
    this.data[at] = a;
    if (this.width > 1) this.data[at + 1] = b;
    if (this.width > 2) this.data[at + 2] = c;
    if (this.width > 3) this.data[at + 3] = d;
    this.pos = (this.pos + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
  }

  /** Column `c` of row `i`, 0 = oldest. */
  at(i: number, c: number): number {
    const row = (this.pos - this.n + i + this.capacity) % this.capacity;
    return this.data[row * this.width + c]!;
  }

  /** Copies column `c`, oldest first, into `out`; returns how many rows. */
  column(c: number, out: Float64Array): number {
    for (let i = 0; i < this.n; i++) out[i] = this.at(i, c);
    return this.n;
  }

  clear(): void {
    this.n = 0;
    this.pos = 0;
  }

  /** Rows oldest first, flattened: the persisted form. */
  toJSON(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) for (let c = 0; c < this.width; c++) out.push(round(this.at(i, c)));
    return out;
  }

  static from(capacity: number, width: number, flat: unknown): Ring {
    const ring = new Ring(capacity, width);
    if (!Array.isArray(flat)) return ring;
    const rows = Math.floor(flat.length / width);
    for (let r = Math.max(0, rows - capacity); r < rows; r++) {
      const v = (c: number) =>
        typeof flat[r * width + c] === 'number' ? (flat[r * width + c] as number) : 0;
      ring.push(v(0), v(1), v(2), v(3));
    }
    return ring;
  }
}

/** Persisted figures keep 4 significant decimals: the file stays small, nothing measurable is lost. */
const round = (v: number) => (Number.isInteger(v) ? v : Math.round(v * 1e4) / 1e4);
