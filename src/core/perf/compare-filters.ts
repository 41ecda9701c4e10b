/**
 * Compare filters (`compare-filters`, MACE_PERF_COMPARE_FILTERS), each
 * non-empty, trimmed filter its own run. Written one per line (a YAML block
 * `|`; commas are then part of a filter, so a case id holding one is written
 * as it is), or on one line as the reference's comma-separated list, where
 * `\,` is a comma inside a filter (`Put/K16\, V16`). What a filter selects:
 * - a plain filter is a Criterion regex (Rust regex syntax, matched anywhere
 *   in a case id, as `cargo bench -- FILTER` does), and it also selects the
 *   ids that contain it as written, so an id copied from the report works
 *   even when it holds `(`, `)`, `+` or `.` (`Get/K16 (threaded)/1`, where
 *   `(threaded)` as a regex is a group);
 * - `=ID` selects exactly the case ID, as written (the whole id, no regex).
 */
import { InputError } from '../shared/errors.js'
import { escapeRustRegex, hasRegexSyntax, rustRegexError } from './rust-regex.js'

/** How the filters are written, for messages. */
export const FILTER_SYNTAX =
  "a filter is a Criterion regex (Rust regex syntax, matched anywhere in a case id) that also selects the ids containing it as written; '=ID' selects exactly the case ID; filters go one per line, or comma-separated on one line with '\\,' for a comma inside a filter"

/**
 * The filters of a `compare-filters` value: one per line when it has several lines (commas kept),
 * else split at bare commas with `\,` kept as a comma; each trimmed, empty ones dropped.
 */
export function splitCompareFilters(list: string): string[] {
  const lines = list.split(/\r?\n/)
  const filters = lines.filter(l => l.trim() !== '').length > 1 ? lines : splitAtCommas(list)
  return filters.map(f => f.trim()).filter(f => f !== '')
}

/** `list` split at bare commas; `\,` is a comma of the filter, `\\` a regex's escaped backslash. */
function splitAtCommas(list: string): string[] {
  const filters: string[] = []
  let current = ''
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!
    if (c === '\\' && (list[i + 1] === ',' || list[i + 1] === '\\')) {
      current += list[i + 1] === ',' ? ',' : '\\\\'
      i++
    } else if (c === ',') {
      filters.push(current)
      current = ''
    } else {
      current += c
    }
  }
  filters.push(current)
  return filters
}

/** The case id of an `=ID` filter, or undefined for a plain filter. */
export function exactId(filter: string): string | undefined {
  return filter.startsWith('=') ? filter.slice(1).trim() : undefined
}

/**
 * The Criterion filter (a Rust regex) that selects what `filter` selects: `^ID$` escaped for an
 * `=ID` filter; for a plain one its regex, or that regex and the filter as written.
 */
export function criterionFilter(filter: string): string {
  const id = exactId(filter)
  if (id !== undefined) return `^${escapeRustRegex(id)}$`
  if (!hasRegexSyntax(filter)) return filter
  return `(?:${filter})|${escapeRustRegex(filter)}`
}

/**
 * Checks every filter before anything runs: an `=` without an id, and (wall time, where a filter
 * is a Criterion regex) a plain filter that Rust's regex crate would refuse.
 * @throws InputError naming the setting, the filter, why, and how to write an id as it is.
 */
export function checkCompareFilters(
  filters: readonly string[],
  from: string,
  regex: boolean
): void {
  for (const filter of filters) {
    const id = exactId(filter)
    if (id === '') {
      throw new InputError(
        `Invalid ${from}: '${filter}' names no case. Write '=ID' with the whole case id after the =, e.g. '=Get/K16/1'.`
      )
    }
    if (id !== undefined || !regex) continue
    const error = rustRegexError(filter)
    if (!error) continue
    throw new InputError(
      `Invalid ${from}: '${filter}' is not a Criterion regex (Rust regex syntax): ${error.reason} ` +
        `(at character ${error.index + 1}). Criterion would stop on it. To select a case by its id as written, write '=${filter}'; ` +
        `${FILTER_SYNTAX}.`
    )
  }
}

/**
 * Why the listed cases of both sides show that `filter` selects none, with the cases that exist
 * (at most `shown`, the rest counted).
 */
export function noMatchMessage(
  from: string,
  filter: string,
  bench: string,
  cases: readonly string[],
  shown = 40
): string {
  const list = cases.slice(0, shown).join(', ')
  const more = cases.length > shown ? `, and ${cases.length - shown} more` : ''
  const exists =
    cases.length === 0
      ? `bench '${bench}' lists no case at all`
      : `the cases of bench '${bench}' are: ${list}${more}`
  return (
    `Invalid ${from}: '${filter}' matches no case on the base or the head, so nothing would be measured for it. ` +
    `${FILTER_SYNTAX[0]!.toUpperCase()}${FILTER_SYNTAX.slice(1)}. ${exists[0]!.toUpperCase()}${exists.slice(1)}.`
  )
}
