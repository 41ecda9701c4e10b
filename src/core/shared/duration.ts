/**
 * Durations as people write them in a workflow: plain seconds (the reference
 * scripts' unit, `21600`) or with units, compound or not (`90s`, `25m`,
 * `5h30m`, `1h 30m`, `1.5h`, `2 hours`). The parsing is parse-duration's; we
 * only refuse what it would read past (stray characters, words that are not
 * units, a number without a unit beside one with a unit), so a typo is an
 * error, never a silently different duration.
 */
import parse from 'parse-duration'

/** Examples shown in every duration error message. */
export const DURATION_EXAMPLES = "'90', '25m', '5h30m' or '1h 30m'"

/**
 * Seconds (rounded to whole seconds) of a duration text, or undefined when the
 * text is not a duration. Negative durations are not durations.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  if (!wellFormed(trimmed)) return undefined
  const seconds = parse(trimmed, 's')
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return undefined
  return Math.round(seconds)
}

/** Only digits, points, spaces and unit names; each number a real one; units on all or none. */
function wellFormed(text: string): boolean {
  if (text === '' || !/^[\d.\s\p{L}]+$/u.test(text)) return false
  const numbers = text.split(/[^\d.]+/).filter(n => n !== '')
  const words = text.split(/[\d.\s]+/).filter(w => w !== '')
  if (!numbers.every(n => Number.isFinite(Number(n)))) return false
  if (words.length === 0) return numbers.length === 1
  return words.length === numbers.length && words.every(isUnit)
}

/** Whether parse-duration knows the unit (case-insensitive, plural `s` allowed), as it looks it up. */
function isUnit(word: string): boolean {
  const name = word.toLowerCase()
  const table = parse.unit as Record<string, unknown>
  const value = table[name] ?? (name.endsWith('s') ? table[name.slice(0, -1)] : undefined)
  return typeof value === 'number'
}
