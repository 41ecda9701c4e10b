/**
 * Plain-text helpers shared by every rendering: untrusted text from test
 * output is made single-line, shortened and stripped of terminal escapes here
 * before any format-specific escaping.
 */
import type { SourceLocation } from './source-location.js'

// Terminal colour and cursor sequences (CSI, OSC, and two-byte escapes): the
// panics of colourful test harnesses carry them, and no rendering wants them.
const ANSI_ESCAPE =
  // eslint-disable-next-line no-control-regex -- these sequences start with a control character
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g

// C0 and C1 controls other than tab and line breaks, which no reader displays usefully.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

/** Removes terminal escape sequences and CR line endings, and shows other controls as U+FFFD. */
export function cleanText(text: string): string {
  return text.replace(ANSI_ESCAPE, '').replace(/\r\n?/g, '\n').replace(CONTROL, '\uFFFD')
}

/** The text on one line: line breaks and runs of white space become one space. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim()
}

/** The first non-blank line of the text, on one line ('' when there is none). */
export function firstLine(text: string | undefined): string {
  if (text === undefined) return ''
  const line = cleanText(text)
    .split('\n')
    .find(l => l.trim() !== '')
  return line === undefined ? '' : oneLine(line)
}

/** Cuts the text to at most `maxChars` UTF-16 units, marking the cut with `…`. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  return `${sliceChars(text, 0, Math.max(0, maxChars - 1))}…`
}

/**
 * Keeps the head and the tail of a long text and says how much was cut between
 * them: a panic message sits near the top, and the last lines before a hang or
 * crash at the bottom, so both ends are worth more than the middle.
 */
export function clipMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const head = sliceChars(text, 0, Math.floor(maxChars / 3))
  const tail = sliceChars(text, text.length - Math.floor((maxChars * 2) / 3), text.length)
  const cut = text.length - head.length - tail.length
  return `${head}\n… ${cut} characters not shown …\n${tail}`
}

/** Size of the text in UTF-8, the unit GitHub's summary limit counts in. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Human duration: `0.4s`, `12.3s`, `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000
  if (seconds < 60) return `${seconds.toFixed(1)}s`
  const whole = Math.round(seconds)
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${pad2(whole % 60)}s`
  return `${Math.floor(whole / 3600)}h ${pad2(Math.floor((whole % 3600) / 60))}m`
}

/** `file:line[:column]`, the form editors and terminals turn into links. */
export function formatLocation(location: SourceLocation): string {
  const column = location.column === undefined ? '' : `:${location.column}`
  return `${location.file}:${location.line}${column}`
}

/** `1 test`, `2 tests`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

// Slicing through a surrogate pair would leave half a character, which UTF-8
// cannot encode and XML forbids; move the cut to the pair's edge instead.
function sliceChars(text: string, start: number, end: number): string {
  let from = start
  let to = end
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from += 1
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to -= 1
  return text.slice(from, Math.max(from, to))
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
