/**
 * Per-case regression thresholds: `glob=pct` entries matched against the full
 * Criterion case id, e.g. `Get/*=10` for `Get/K16-V16`.
 */
import picomatch from 'picomatch'
import { InputError } from '../../shared/errors.js'

/** A threshold (%) for the cases whose id matches `pattern`. */
export interface CaseThreshold {
  pattern: string
  thresholdPct: number
}

/*
 * Ids are matched like paths: `*` stays within one `/`-separated part and
 * `**` spans any number of parts. `dot` because ids are not files, so a part
 * such as `.5` is not hidden; `windows: false` so `\` never acts as `/`.
 * `strictBrackets` makes an unbalanced `[`, `{` or `(` an error instead of a
 * literal character, so a typo cannot become a glob that matches nothing.
 */
const MATCH_OPTIONS = { dot: true, windows: false, strictBrackets: true }

const EXAMPLE = "e.g. 'Get/*=10' or 'Scan/**=15'"

/** What a glob may hold, for every error about one. */
export const GLOB_SYNTAX =
  'A glob matches the whole case id: * within a /-separated part, ** as a whole part for any ' +
  'number of parts, ? one character, [abc] or [a-z] one of a set, {a,b} either; a leading ! ' +
  'matches every id the rest does not; \\ before a character matches it literally'

/**
 * Reads `glob=pct` entries, one per line or comma-separated (commas inside
 * `{a,b}` belong to the glob). Throws an InputError naming `describe` and the
 * bad entry.
 */
export function parseCaseThresholds(text: string, describe: string): CaseThreshold[] {
  return splitEntries(text).map(entry => parseEntry(entry, describe))
}

/**
 * The threshold for a case: the last entry whose pattern matches the id, else
 * `globalPct`. Last wins so a list reads general first, exceptions after:
 * `Get/**=10` then `Get/K16/*=25` gives `Get/K16/1` 25 and `Get/K32/1` 10.
 * `Get/*` matches `Get/K16` but not `Get/K16/1`; `Get/**` matches both.
 */
export function thresholdFor(
  id: string,
  globalPct: number,
  list: readonly CaseThreshold[]
): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const entry = list[i]!
    if (picomatch.isMatch(id, entry.pattern, MATCH_OPTIONS)) return entry.thresholdPct
  }
  return globalPct
}

function splitEntries(text: string): string[] {
  const entries: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (ch === '{') depth++
    if (ch === '}') depth = Math.max(0, depth - 1)
    if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
      entries.push(current)
      current = ''
      depth = 0
    } else {
      current += ch
    }
  }
  entries.push(current)
  return entries.map(e => e.trim()).filter(e => e !== '')
}

function parseEntry(entry: string, describe: string): CaseThreshold {
  // The percent never holds '=', so the last one separates it from the glob.
  const eq = entry.lastIndexOf('=')
  const pattern = entry.slice(0, Math.max(0, eq)).trim()
  const pctText = entry
    .slice(eq + 1)
    .trim()
    .replace(/\s*%$/, '')
  const bad = (why: string): InputError =>
    new InputError(
      `Invalid ${describe}: entry '${entry}' ${why}. Expected glob=percent, one per line or comma-separated, ${EXAMPLE}.`
    )
  if (eq < 0) throw bad("has no '='")
  if (pattern === '') throw bad('has no glob before the =')
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(pctText)) throw bad('needs a percent of 0 or more after the =')
  const wrong = globProblem(pattern)
  if (wrong !== undefined) {
    throw new InputError(
      `Invalid ${describe}: the glob '${pattern}' of entry '${entry}' ${wrong}. ${GLOB_SYNTAX}; ${EXAMPLE}.`
    )
  }
  return { pattern, thresholdPct: Number(pctText) }
}

/** Why a glob would not mean what it says, or undefined when it is fine. */
function globProblem(pattern: string): string | undefined {
  try {
    picomatch(pattern, MATCH_OPTIONS)
  } catch (error) {
    // picomatch names the bracket: `Missing closing: "]" - use "\\]" to match literal characters`.
    return `does not compile (${(error as Error).message})`
  }
  const body = pattern.replace(/^!/, '')
  if (/(^|[^\\])(\\\\)*\\$/.test(body)) return 'ends in a \\ that escapes nothing'
  if (body.startsWith('/')) return 'starts with /, which no case id does'
  // picomatch reads `**` inside a part (`Get**`, `**x`) as `*`, which never crosses a `/`.
  if (body.split('/').some(part => part.includes('**') && part !== '**')) {
    return 'has ** inside a part, where it means * (within the part): write Get/** to span parts'
  }
  return undefined
}

/**
 * The patterns that matched none of `ids` (the compared cases), in the order given: each is
 * a threshold that applied to nothing, most likely a typo or a renamed case.
 */
export function unmatchedPatterns(
  list: readonly CaseThreshold[],
  ids: readonly string[]
): string[] {
  const seen = new Set<string>()
  return list
    .map(entry => entry.pattern)
    .filter(pattern => {
      if (seen.has(pattern)) return false
      seen.add(pattern)
      const matches = picomatch(pattern, MATCH_OPTIONS)
      return !ids.some(id => matches(id))
    })
}
