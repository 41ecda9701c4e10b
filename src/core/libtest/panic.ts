/**
 * Reading Rust panic reports (every stable format since 1.0) and the backtraces after
 * them, and mapping the paths they print to locations inside the repository.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import type { SourceLocation } from '../shared/source-location.js'

/** What one panic said, bounded in size. */
export interface PanicReport {
  /** Name of the panicking thread (`<unnamed>` for unnamed spawned threads). */
  thread: string
  /** First lines of the message. */
  lines: string[]
  /** True when lines were left out of `lines`. */
  truncated: boolean
  /** In-repo location: the panic site, else the first in-repo backtrace frame. */
  location?: SourceLocation
}

const MAX_MESSAGE_LINES = 12
const MAX_MESSAGE_LINE_CHARS = 500

// `(\d+)` is the thread id Rust 1.91+ prints; the rest is the same from 1.73 on.
const HEADER = /^thread '(.+?)'(?: \(\d+\))? panicked at (.*)$/
const MODERN_SITE = /^(.+):(\d+):(\d+):$/
// Before 1.73 the message came first, quoted: `panicked at 'msg', src/f.rs:3:5`.
const LEGACY_END = /^(.*)', (.+?):(\d+)(?::(\d+))?$/
const FRAME_AT = /^\s+at (.+?):(\d+)(?::(\d+))?$/
const FRAME_SYMBOL = /^\s+\d+: /
// Lines of an assert_eq!/assert_ne! report that follow its first line.
const ASSERT_DETAIL = /^\s*(left|right)(:| {2})/

/**
 * Maps paths printed by rustc, libtest and backtraces to repository-relative locations.
 * Panic sites are relative to the workspace root (where cargo ran rustc), backtrace frames
 * to the package directory (`./tests/x.rs`), and dependencies are absolute paths outside
 * the repository, which are dropped.
 */
export class LocationResolver {
  private readonly repoRoot: string
  private readonly cwd: string
  private readonly fileExists: (file: string) => boolean

  constructor(repoRoot: string, cwd: string, fileExists: (file: string) => boolean = existsSync) {
    this.repoRoot = path.resolve(repoRoot)
    this.cwd = path.resolve(this.repoRoot, cwd)
    this.fileExists = fileExists
  }

  /** The location inside the repository, or undefined when the file is outside it. */
  resolve(file: string, line: number, column?: number): SourceLocation | undefined {
    const absolute = this.absolute(file.replace(/\\/g, '/'))
    const relative = path.relative(this.repoRoot, absolute)
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined
    const location: SourceLocation = { file: relative.split(path.sep).join('/'), line }
    if (column !== undefined) location.column = column
    return location
  }

  private absolute(file: string): string {
    if (path.isAbsolute(file)) return path.normalize(file)
    const bases = this.bases()
    const existing = bases.find(base => this.fileExists(path.join(base, file)))
    if (existing !== undefined) return path.join(existing, file)
    // Without the file on disk, a path that runs through cwd from an ancestor is the
    // workspace-relative form cargo prints when it ran inside a member package.
    const through = bases.find(base => {
      const down = path.relative(base, this.cwd).split(path.sep).join('/')
      return down !== '' && path.normalize(file).split(path.sep).join('/').startsWith(`${down}/`)
    })
    return path.join(through ?? this.cwd, file)
  }

  /** cwd, then each parent up to the repository root. */
  private bases(): string[] {
    const bases = [this.cwd]
    let current = this.cwd
    while (current !== this.repoRoot && current.startsWith(this.repoRoot + path.sep)) {
      current = path.dirname(current)
      bases.push(current)
    }
    return bases
  }
}

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
}

/** Parses `thread 'name' [(tid)] panicked at …`, or undefined when the line is not one. */
export function parsePanicHeader(line: string): PanicHeader | undefined {
  const match = HEADER.exec(line)
  if (match === null) return undefined
  const thread = match[1] ?? ''
  const rest = match[2] ?? ''
  if (rest.startsWith("'")) {
    const end = LEGACY_END.exec(rest.slice(1))
    if (end === null) return { thread, legacy: { text: rest.slice(1), open: true } }
    return { thread, site: siteOf(end, 2), legacy: { text: end[1] ?? '', open: false } }
  }
  const site = MODERN_SITE.exec(rest)
  return site === null ? { thread } : { thread, site: siteOf(site, 1) }
}

/**
 * Follows one panic report line by line: its message, then any backtrace. `free` says
 * whether lines after the first may be taken as message: not when other tests print
 * concurrently (live output of a multi-threaded run), where only assert details are safe.
 */
export class PanicReader {
  private report: PanicReport | undefined
  private state: 'legacy' | 'message' | 'after' | 'backtrace' = 'after'
  private free = true
  private needsFrame = false

  constructor(private readonly resolver: LocationResolver) {}

  /** Starts reading the panic announced by `header`; returns its report, filled in as lines come. */
  start(header: PanicHeader, free: boolean): PanicReport {
    const report: PanicReport = { thread: header.thread, lines: [], truncated: false }
    this.report = report
    this.free = free
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

  /** Feeds a line that followed the panic header. */
  feed(line: string): void {
    if (this.report === undefined) return
    if (this.state === 'legacy') return this.legacyLine(line)
    if (this.state === 'message') {
      const ends = line.trim() === '' || line.startsWith('note: ') || line === 'stack backtrace:'
      if (!ends) {
        const more = this.report.lines.length === 0 || this.free || ASSERT_DETAIL.test(line)
        return more ? this.add(line) : this.stop()
      }
      this.state = 'after'
    }
    if (line === 'stack backtrace:') {
      this.state = 'backtrace'
    } else if (this.state === 'backtrace' && (FRAME_AT.test(line) || FRAME_SYMBOL.test(line))) {
      this.frameLine(line)
    } else if (line.startsWith('note: ') || line.trim() === '') {
      this.state = 'after'
    } else {
      this.stop()
    }
  }

  /** Ends the current report (a line that is not part of it came). */
  stop(): void {
    this.report = undefined
    this.state = 'after'
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

  private frameLine(line: string): void {
    const at = FRAME_AT.exec(line)
    if (at === null || !this.needsFrame || this.report === undefined) return
    const site = siteOf(at, 1)
    const location = this.resolver.resolve(site.file, site.line, site.column)
    if (location === undefined) return
    this.report.location = location
    this.needsFrame = false
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

/** File, line and optional column from the groups of `match` starting at `first`. */
function siteOf(match: RegExpExecArray, first: number): Site {
  const site: Site = { file: match[first] ?? '', line: Number(match[first + 1]) }
  const column = match[first + 2]
  if (column !== undefined) site.column = Number(column)
  return site
}
