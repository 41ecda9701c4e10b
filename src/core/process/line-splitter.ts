/**
 * Splits a byte stream into lines with a cap on line length, so a child that
 * prints one endless line cannot make us hold it in memory.
 */
export class LineSplitter {
  private pending: Buffer[] = []
  private pendingBytes = 0
  private overflowing = false

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = 64 * 1024
  ) {}

  /** Feeds a chunk; calls `onLine` for each complete line. */
  push(chunk: Buffer): void {
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(10, start)
      if (nl === -1) {
        this.keep(chunk.subarray(start))
        return
      }
      this.keep(chunk.subarray(start, nl))
      this.emit()
      start = nl + 1
    }
  }

  /** Emits the last line if the stream did not end with a newline. */
  end(): void {
    if (this.pendingBytes > 0 || this.overflowing) this.emit()
  }

  private keep(part: Buffer): void {
    if (part.length === 0 || this.overflowing) return
    // One byte over the cap, for the CR of a CRLF line exactly at the cap.
    const room = this.maxLineBytes + 1 - this.pendingBytes
    // A copy: the caller reuses its read buffer for the next chunk.
    if (part.length > room) {
      this.pending.push(Buffer.from(part.subarray(0, room)))
      this.pendingBytes += room
      this.overflowing = true
      return
    }
    this.pending.push(Buffer.from(part))
    this.pendingBytes += part.length
  }

  private emit(): void {
    let bytes: Buffer = Buffer.concat(this.pending)
    if (!this.overflowing && bytes.at(-1) === 13) bytes = bytes.subarray(0, -1)
    const truncated = this.overflowing || bytes.length > this.maxLineBytes
    if (truncated) bytes = utf8Prefix(bytes, this.maxLineBytes)
    this.pending = []
    this.pendingBytes = 0
    this.overflowing = false
    this.onLine(bytes.toString('utf8') + (truncated ? ' […line truncated]' : ''))
  }
}

/** At most `max` bytes of `bytes`, not ending inside a UTF-8 character. */
function utf8Prefix(bytes: Buffer, max: number): Buffer {
  const cut = bytes.subarray(0, max)
  let lead = cut.length - 1
  while (lead > 0 && lead > cut.length - 4 && (cut[lead]! & 0xc0) === 0x80) lead--
  const first = cut[lead]
  if (first === undefined || first < 0xc0) return cut
  const size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : 2
  return lead + size > cut.length ? cut.subarray(0, lead) : cut
}
