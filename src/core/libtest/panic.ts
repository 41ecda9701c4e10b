/**
 * Reading Rust panic reports (every stable format since 1.0) and the backtraces after
 * them.
 *
 * Where a message ends. Rust's default hook (std 1.95, `panicking.rs`) writes
 * `\nthread 'name' (tid) panicked at file:line:col:\n<message>\n` in one write when it
 * fits in 512 bytes, then, in a second write, `stack backtrace:` and the frames
 * (backtraces on) or, for the first panic of the process only, `note: run with
 * RUST_BACKTRACE=1 …`. Panics of one process never interleave (the hook holds a lock),
 * but other threads' stdout and other processes can write between the two writes. So:
 *
 * - when a terminator is due (backtraces on, or the process has not printed its note
 *   yet, or inside a failure block), every line up to it is the message, blank lines
 *   included; a libtest line in between, or while other tests print a line shaped like
 *   their output (below), means the message's write is over;
 * - when none is due (a later panic with backtraces off), the message ends at a libtest
 *   or cargo line or a panic header. When the test runs alone and panicked on its own
 *   thread, nothing else prints until its verdict. Otherwise a helper's message ends at a
 *   blank line; and while other tests may be printing, at a line shaped like the output
 *   printed just before the panic (digits aside: `progress 22/30` after `progress
 *   21/30`), or where the 512-byte single write must have ended. Another line a thread
 *   printed right after the message cannot be told from it and stays in the message.
 */
import type { LocationResolver } from './location.js'

// Readers of panics elsewhere (the nextest domain) resolve locations with it too.
export { LocationResolver } from './location.js'
import type { SourceLocation } from '../shared/source-location.js'
import type { PanicSummary } from './test-result.js'

/** What one panic said, bounded in size. */
export interface PanicReport {
  /** Name of the panicking thread (`<unnamed>` for unnamed spawned threads). */
  thread: string
  /** Lines of the message, at most `MAX_MESSAGE_LINES`. */
  lines: string[]
  /** True when lines were left out of `lines`. */
  truncated: boolean
  /** In-repo location: the panic site, else the first in-repo backtrace frame. */
  location?: SourceLocation
  /** Order among the panics of one command (0 first). */
  seq: number
}

/** How the lines after a header are read. */
export interface PanicContext {
  /** A `note: run with RUST_BACKTRACE` or `stack backtrace:` line will end the message. */
  terminated: boolean
  /** No other test prints meanwhile (one test thread, or a failure block). */
  alone: boolean
  /** The panicking thread is the test's own (not a helper it spawned). */
  own?: boolean
  /** Whether a line looks like output other tests were printing before the panic. */
  foreign?: (line: string) => boolean
}

/** What a non-output line means to a panic being read. */
export type Interruption = 'libtest' | 'cargo' | 'verdict-of-panicking-test'

const MAX_MESSAGE_LINES = 100
const MAX_MESSAGE_LINE_CHARS = 500
// The hook's buffer: header and message written in one piece when they fit.
const SINGLE_WRITE_BYTES = 512

// `(\d+)` is the thread id Rust 1.91+ prints; the rest is the same from 1.73 on.
const HEADER = /^thread '(.+?)'(?: \(\d+\))? panicked at (.*)$/
const MODERN_SITE = /^(.+):(\d+):(\d+):$/
// Before 1.73 the message came first, quoted: `panicked at 'msg', src/f.rs:3:5`.
const LEGACY_END = /^(.*)', (.+?):(\d+)(?::(\d+))?$/
const FRAME_AT = /^\s+at (.+?):(\d+)(?::(\d+))?$/
// Lines of an assert_eq!/assert_ne! report that follow its first line.
const ASSERT_DETAIL = /^\s*(left|right)(:| {2})/

/** The first-panic note of a process whose backtraces are off. */
export const BACKTRACE_NOTE = /^note: run with `RUST_BACKTRACE=/
/** Starts a backtrace; printed after every panic when backtraces are on. */
export const BACKTRACE_START = 'stack backtrace:'
// Closes a short backtrace.
const BACKTRACE_END = /^note: Some details are omitted/

/** Where a panic or frame points, as printed. */
interface Site {
  file: string
  line: number
  column?: number
}

/** A panic header, with the message text the pre-1.73 format puts on the same line. */
export interface PanicHeader {
  thread: string
  site?: Site
  /** Pre-1.73 only: message text seen so far, and whether its closing quote is still to come. */
  legacy?: { text: string; open: boolean }
  /** Length of the header line, for the single-write budget. */
  length: number
}

/** Parses `thread 'name' [(tid)] panicked at …`, or undefined when the line is not one. */
export function parsePanicHeader(line: string): PanicHeader | undefined {
  const match = HEADER.exec(line)
  if (match === null) return undefined
  const thread = match[1] ?? ''
  const rest = match[2] ?? ''
  if (rest.startsWith("'")) {
    const end = LEGACY_END.exec(rest.slice(1))
    if (end === null) return { thread, legacy: { text: rest.slice(1), open: true }, length: 0 }
    const legacy = { text: end[1] ?? '', open: false }
    return { thread, site: siteOf(end, 2), legacy, length: 0 }
  }
  const site = MODERN_SITE.exec(rest)
  const length = line.length + 2
  return site === null ? { thread, length } : { thread, site: siteOf(site, 1), length }
}

/** True when a message line is a `join().unwrap()` of a panicked thread (`… Any { .. }`). */
export function isJoinOfPanickedThread(report: PanicReport): boolean {
  return report.lines.some(line => /: Any \{ \.\. \}$/.test(line))
}

/** The message of a panic as one text, `…` marking lines left out. */
export function panicText(panic: PanicReport): string {
  const text = panic.lines.join('\n').trim() || 'panicked with an empty message'
  return panic.truncated ? `${text}\n…` : text
}

/** A panic as reports show it, with the target whose test binary printed it. */
export function summarize(report: PanicReport, target: string | undefined): PanicSummary {
  const summary: PanicSummary = { thread: report.thread, message: panicText(report) }
  if (target !== undefined) summary.target = target
  if (report.location !== undefined) summary.location = report.location
  return summary
}

/** Follows one panic report line by line: its message, then any backtrace. */
export class PanicReader {
  private report: PanicReport | undefined
  private state: 'legacy' | 'message' | 'after' | 'backtrace' = 'after'
  private context: PanicContext = { terminated: true, alone: true }
  private blanks = 0
  private bytes = 0
  private needsFrame = false
  private seq = 0

  constructor(private readonly resolver: LocationResolver) {}

  /** The panic being read, if any. */
  get current(): PanicReport | undefined {
    return this.report
  }

  /** Starts reading the panic announced by `header`; returns its report, filled in as lines come. */
  start(header: PanicHeader, context: PanicContext): PanicReport {
    const report: PanicReport = {
      thread: header.thread,
      lines: [],
      truncated: false,
      seq: this.seq++
    }
    this.report = report
    this.context = context
    this.blanks = 0
    this.bytes = header.length
    if (header.site !== undefined) {
      const { file, line, column } = header.site
      report.location = this.resolver.resolve(file, line, column)
    }
    this.needsFrame = report.location === undefined
    this.state = 'message'
    if (header.legacy !== undefined) {
      this.add(header.legacy.text)
      this.state = header.legacy.open ? 'legacy' : 'after'
    }
    return report
  }

  /** Feeds an output line that followed the panic header; true when it was part of the report. */
  feed(line: string): boolean {
    if (this.report === undefined) return false
    if (this.state === 'legacy') this.legacyLine(line)
    else this.reportLine(line)
    return this.report !== undefined
  }

  private reportLine(line: string): void {
    if (line === BACKTRACE_START) {
      this.state = 'backtrace'
    } else if (BACKTRACE_NOTE.test(line) || BACKTRACE_END.test(line)) {
      this.state = 'after'
    } else if (this.state === 'message') {
      this.messageLine(line)
    } else if (this.state === 'backtrace') {
      this.backtraceLine(line)
    } else {
      this.stop()
    }
  }

  /** A line that is not output came (libtest's or cargo's own, or the test's verdict). */
  interrupt(kind: Interruption): void {
    if (this.report === undefined) return
    if (kind !== 'libtest') return this.stop()
    // The header and message are one write, so libtest's line came after the message.
    if (this.state === 'message' && this.report.lines.length > 0) this.state = 'after'
  }

  /** Ends the current report (a line that is not part of it came). */
  stop(): void {
    this.report = undefined
    this.state = 'after'
  }

  private messageLine(line: string): void {
    const { terminated, alone, own, foreign } = this.context
    // Up to its verdict, only the panicking test (unwinding) prints: all of it is message.
    const toVerdict = alone && own === true
    if (line.trim() === '') {
      if (!terminated && alone && !toVerdict) return this.stop()
      this.blanks += 1
      return
    }
    const report = this.report as PanicReport
    this.bytes += line.length + 1 + this.blanks
    const open = toVerdict || alone || report.lines.length === 0 || ASSERT_DETAIL.test(line)
    if (!open && foreign?.(line) === true) {
      // The message's write is over; a terminator may still be due.
      if (terminated) this.state = 'after'
      else this.stop()
      return
    }
    if (!open && !terminated && this.bytes > SINGLE_WRITE_BYTES) return this.stop()
    for (; this.blanks > 0; this.blanks--) this.add('')
    this.add(line)
  }

  /** Frames (any foreign line between them is skipped) until a blank line. */
  private backtraceLine(line: string): void {
    if (line.trim() === '') return this.stop()
    const at = FRAME_AT.exec(line)
    if (at === null || !this.needsFrame || this.report === undefined) return
    const site = siteOf(at, 1)
    const location = this.resolver.resolve(site.file, site.line, site.column)
    if (location === undefined) return
    this.report.location = location
    this.needsFrame = false
  }

  private legacyLine(line: string): void {
    const end = LEGACY_END.exec(line)
    if (end === null) return this.add(line)
    this.add(end[1] ?? '')
    this.state = 'after'
    if (this.report === undefined) return
    const site = siteOf(end, 2)
    this.report.location = this.resolver.resolve(site.file, site.line, site.column)
    this.needsFrame = this.report.location === undefined
  }

  private add(line: string): void {
    if (this.report === undefined) return
    if (this.report.lines.length >= MAX_MESSAGE_LINES) {
      this.report.truncated = true
      return
    }
    const clipped = line.length > MAX_MESSAGE_LINE_CHARS
    this.report.lines.push(clipped ? `${line.slice(0, MAX_MESSAGE_LINE_CHARS)}…` : line)
  }
}

/**
 * Shapes (digits aside) of the last output lines that were no panic's, so that a line
 * another test printed can be told from the continuation of a panic message.
 */
export class RecentOutput {
  private readonly shapes: string[] = []
  private readonly counts = new Map<string, number>()

  constructor(private readonly size = 64) {}

  /** Remembers an output line, forgetting the oldest beyond `size`. */
  add(line: string): void {
    if (line.trim() === '') return
    const shape = shapeOf(line)
    this.shapes.push(shape)
    this.counts.set(shape, (this.counts.get(shape) ?? 0) + 1)
    if (this.shapes.length <= this.size) return
    const old = this.shapes.shift() as string
    const left = (this.counts.get(old) ?? 1) - 1
    if (left === 0) this.counts.delete(old)
    else this.counts.set(old, left)
  }

  /** Whether a line of this shape was printed lately. */
  has(line: string): boolean {
    return this.counts.has(shapeOf(line))
  }
}

function shapeOf(line: string): string {
  return line.replace(/\d+/g, '#')
}

/** File, line and optional column from the groups of `match` starting at `first`. */
function siteOf(match: RegExpExecArray, first: number): Site {
  const site: Site = { file: match[first] ?? '', line: Number(match[first + 1]) }
  const column = match[first + 2]
  if (column !== undefined) site.column = Number(column)
  return site
}
