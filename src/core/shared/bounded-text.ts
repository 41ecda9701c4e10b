/**
 * Text built line by line that keeps only its head and tail, so a test printing hundreds
 * of megabytes costs a fixed amount of memory.
 */

// Room kept for the "lines left out" marker, so the whole text stays within budget.
const MARKER_BYTES = 80

/** Head and tail of a stream of lines, within a byte budget. */
export class BoundedText {
  private readonly head: string[] = []
  private tail: string[] = []
  private tailStart = 0
  private headBytes = 0
  private tailBytes = 0
  private omittedBytes = 0
  private omittedLines = 0
  private readonly half: number

  /** `maxBytes` bounds the text kept (UTF-8 bytes, newlines included), split between head and tail. */
  constructor(maxBytes: number) {
    this.half = Math.max(16, Math.floor((maxBytes - MARKER_BYTES) / 2))
  }

  /** Appends one line (without its newline). */
  push(text: string): void {
    const line = this.clip(text)
    const bytes = Buffer.byteLength(line) + 1
    if (this.omittedLines === 0 && this.tailStart === this.tail.length) {
      if (this.headBytes + bytes <= this.half) {
        this.head.push(line)
        this.headBytes += bytes
        return
      }
    }
    this.tail.push(line)
    this.tailBytes += bytes
    while (this.tailBytes > this.half && this.tailStart < this.tail.length) {
      const dropped = this.tail[this.tailStart] ?? ''
      this.tailStart++
      const droppedBytes = Buffer.byteLength(dropped) + 1
      this.tailBytes -= droppedBytes
      this.omittedBytes += droppedBytes
      this.omittedLines++
    }
    // Reclaim the dropped prefix now and then rather than shifting on every line.
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart)
      this.tailStart = 0
    }
  }

  /** A line longer than half the budget is cut, so one huge line cannot evict all others. */
  private clip(text: string): string {
    if (Buffer.byteLength(text) < this.half) return text
    const room = this.half - 4
    let cut = text.slice(0, room)
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (Buffer.byteLength(cut) > room) cut = text.slice(0, Math.floor(room / 3))
    return `${cut}…`
  }

  /** The kept text, with a marker where lines were left out. */
  toString(): string {
    const parts = [...this.head]
    if (this.omittedLines > 0) {
      parts.push(`… ${this.omittedLines} lines (${this.omittedBytes} bytes) left out …`)
    }
    parts.push(...this.tail.slice(this.tailStart))
    return parts.join('\n')
  }
}
