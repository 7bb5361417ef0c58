/**
 * Keeps the first half of `cap` bytes of a stream and its last half, and counts the rest, so a flood
 * cannot grow memory. The tail matters as much as the head: a program's last lines hold the error
 * that ended it (a long traceback's final `RecursionError: …` line), so only the middle is dropped,
 * and a marker line says how much.
 */
const MARKER_BYTES = 64;

export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headKept = 0;
  /** The newest chunks past the head, trimmed from the front to at most `tailCap` bytes. */
  private tail: Buffer[] = [];
  private tailKept = 0;
  private readonly headCap: number;
  private readonly tailCap: number;
  total = 0;

  constructor(cap: number) {
    // Room for the marker line, so the text never exceeds the cap.
    const marker = Math.min(MARKER_BYTES, Math.floor(cap / 4));
    this.headCap = Math.ceil((cap - marker) / 2);
    this.tailCap = cap - marker - this.headCap;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    const room = this.headCap - this.headKept;
    if (room > 0) {
      const part = rest.length > room ? rest.subarray(0, room) : rest;
      // Copy the slice so the whole pipe chunk is not retained behind it.
      this.head.push(Buffer.from(part));
      this.headKept += part.length;
      rest = rest.subarray(part.length);
    }
    if (rest.length === 0 || this.tailCap <= 0) return;
    const kept = rest.length > this.tailCap ? rest.subarray(rest.length - this.tailCap) : rest;
    this.tail.push(Buffer.from(kept));
    this.tailKept += kept.length;
    while (this.tailKept > this.tailCap) {
      const first = this.tail[0] as Buffer;
      const over = this.tailKept - this.tailCap;
      if (first.length <= over) {
        this.tail.shift();
        this.tailKept -= first.length;
      } else {
        this.tail[0] = first.subarray(over);
        this.tailKept -= over;
      }
    }
  }

  get truncated(): boolean {
    return this.total > this.headKept + this.tailKept;
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    if (this.tailKept === 0) return head;
    let tail = Buffer.concat(this.tail).toString('utf8');
    const dropped = this.total - this.headKept - this.tailKept;
    if (dropped === 0) return head + tail;
    // The tail starts mid-line: its first, partial line is dropped with the middle.
    const nl = tail.indexOf('\n');
    if (nl >= 0) tail = tail.slice(nl + 1);
    const cut = head.endsWith('\n') ? '' : '\n';
    return `${head}${cut}[… ${dropped} bytes of output omitted …]\n${tail}`;
  }
}
