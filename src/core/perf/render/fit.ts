/**
 * Fitting a Markdown table into a size limit by dropping rows from its end and
 * saying how many went. Each place GitHub shows a perf result has its own limit
 * and unit: the job summary counts UTF-8 bytes, comments and check runs count
 * characters.
 */
import { byteLength } from '../../shared/text.js'

/** How a limit counts text. */
export type Measure = (text: string) => number

/** UTF-16 code units: never fewer than the characters GitHub counts for comments and checks. */
export const countChars: Measure = text => text.length

/** UTF-8 bytes, the unit of GitHub's 1 MiB job summary limit. */
export const countBytes: Measure = byteLength

/** A Markdown table whose rows can be cut from the end. */
export interface FittableTable {
  /** Header and delimiter rows. */
  head: string
  rows: string[]
  /** What replaces the `omitted` last rows; it must not grow when fewer are omitted. */
  note: (omitted: number) => string
}

/** The table with its first `shown` rows and, when some were left out, its note below. */
export function tableText(table: FittableTable, shown = table.rows.length): string {
  const text = [table.head, ...table.rows.slice(0, shown)].join('\n')
  const omitted = table.rows.length - shown
  return omitted > 0 ? `${text}\n\n${table.note(omitted)}` : text
}

/**
 * How many of the first rows fit in `budget` together with the head and note:
 * all of them when the whole table fits, -1 when not even the head and note do.
 */
export function rowsThatFit(table: FittableTable, budget: number, measure: Measure): number {
  if (measure(tableText(table)) <= budget) return table.rows.length
  // The note for every row omitted is the longest it can be, so reserving it is enough.
  let used = measure(table.head) + measure(`\n\n${table.note(table.rows.length)}`)
  if (used > budget) return -1
  let shown = 0
  for (const row of table.rows) {
    used += measure(row) + 1
    if (used > budget) break
    shown += 1
  }
  return shown
}

/** The text cut at a line end to at most `budget` (a last resort when even the notes overflow). */
export function clipToBudget(text: string, budget: number, measure: Measure): string {
  if (measure(text) <= budget) return text
  const lines = text.split('\n')
  let used = 0
  let kept = 0
  for (const line of lines) {
    const cost = measure(line) + (kept === 0 ? 0 : 1)
    if (used + cost > budget) break
    used += cost
    kept += 1
  }
  return lines.slice(0, kept).join('\n')
}

/** Blocks separated by blank lines, empty ones left out. */
export function paragraphs(...blocks: string[]): string {
  return blocks.filter(block => block !== '').join('\n\n')
}
