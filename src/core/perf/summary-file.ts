/**
 * The reference's summary files (`head_snapshot.json`, `base_summary.json`, `head_summary.json`):
 * `{"cases": {id: {"mean_ns", "median_ns"}}, "count": n}`. The reference writes them with Python's
 * `json.dump(indent=2, sort_keys=True)`; we write the same bytes (medians as floats such as
 * `1234.0`, non-ASCII escaped, no final newline) so tools that diff or hash them see no change.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { InputError } from '../shared/errors.js'
import type { CriterionCase, PerfSummaryFile } from './results.js'

/** Values allowed in the extra top-level fields of a summary file. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** The summary of Criterion cases, keyed by case id. */
export function toSummaryFile(cases: CriterionCase[]): PerfSummaryFile {
  const entries = [...cases].sort((a, b) => compareCodePoints(a.id, b.id))
  const summary: PerfSummaryFile = { count: entries.length, cases: {} }
  for (const entry of entries) {
    if (entry.id in summary.cases) throw new Error(`two cases with the id ${entry.id}`)
    summary.cases[entry.id] = { median_ns: entry.medianNs, mean_ns: entry.meanNs }
  }
  return summary
}

/**
 * The file's text: `count` and `cases` as the reference writes them, plus any `extra` top-level
 * fields (which may not reuse those two names), all keys sorted.
 */
export function formatSummaryFile(
  summary: PerfSummaryFile,
  extra: Record<string, JsonValue> = {}
): string {
  for (const key of ['count', 'cases']) {
    if (key in extra) throw new Error(`extra field ${key} would replace the summary's own`)
  }
  const cases: Record<string, PythonJson> = {}
  for (const [id, { median_ns, mean_ns }] of Object.entries(summary.cases)) {
    cases[id] = { median_ns: new PythonFloat(median_ns), mean_ns: new PythonFloat(mean_ns) }
  }
  return formatPythonJson({ ...extra, count: summary.count, cases }, '')
}

/** Writes a summary file atomically, creating its directory. */
export function writeSummaryFile(
  path: string,
  summary: PerfSummaryFile,
  extra?: Record<string, JsonValue>
): void {
  const text = formatSummaryFile(summary, extra)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.tmp`, text)
  renameSync(`${path}.tmp`, path)
}

/**
 * Reads and checks a summary file written by us or the reference. Extra fields are ignored; a
 * missing, unreadable or malformed file is an InputError naming it.
 */
export function readSummaryFile(path: string): PerfSummaryFile {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'not found' : `unreadable (${(error as Error).message})`
    throw new InputError(`perf summary file ${path} is ${why}; expected ${SHAPE}`)
  }
  const bad = (what: string): InputError =>
    new InputError(`perf summary file ${path}: ${what}; expected ${SHAPE}`)
  if (!isObject(data)) throw bad('not a JSON object')
  const { count, cases } = data
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw bad(`count is ${JSON.stringify(count)}, not a whole number`)
  }
  if (!isObject(cases)) throw bad('cases is not an object')
  const summary: PerfSummaryFile = { count, cases: {} }
  for (const [id, entry] of Object.entries(cases)) {
    const median = isObject(entry) ? entry.median_ns : undefined
    const mean = isObject(entry) ? entry.mean_ns : undefined
    if (!isFiniteNumber(median) || !isFiniteNumber(mean)) {
      throw bad(`case ${JSON.stringify(id)} has no numeric median_ns and mean_ns`)
    }
    summary.cases[id] = { median_ns: median, mean_ns: mean }
  }
  const found = Object.keys(summary.cases).length
  if (found !== count) throw bad(`count is ${count} but it lists ${found} cases`)
  return summary
}

/**
 * A snapshot's spread as the reference prints it: p50 is the median of the values (the mean of
 * the middle two for an even count); p95 is the sorted value at index max(0, floor(n*0.95) - 1).
 */
export function snapshotStats(mediansNs: number[]): { p50: number; p95: number } {
  if (mediansNs.length === 0) throw new Error('snapshotStats needs at least one value')
  const sorted = [...mediansNs].sort((a, b) => a - b)
  const n = sorted.length
  const middle = Math.floor(n / 2)
  const p50 = n % 2 === 1 ? at(sorted, middle) : (at(sorted, middle - 1) + at(sorted, middle)) / 2
  const p95 = at(sorted, Math.max(0, Math.floor(n * 0.95) - 1))
  return { p50, p95 }
}

/** Orders strings by code point, as Python's `sorted` does (UTF-16 order differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a)
  const right = Array.from(b)
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0)
    if (diff !== 0) return diff
  }
  return left.length - right.length
}

const SHAPE = '{"count": n, "cases": {id: {"median_ns": number, "mean_ns": number}}}'

function at(values: number[], index: number): number {
  const value = values[index]
  if (value === undefined) throw new Error(`index ${index} outside ${values.length} values`)
  return value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** A number Python holds as a float, so it prints with a decimal point (`1234.0`). */
class PythonFloat {
  constructor(readonly value: number) {}
}

type PythonJson = JsonValue | PythonFloat | PythonJson[] | { [key: string]: PythonJson }

/** `json.dumps(value, indent=2, sort_keys=True)` with Python's defaults (ensure_ascii). */
function formatPythonJson(value: PythonJson, indent: string): string {
  if (value instanceof PythonFloat) return pythonFloat(value.value)
  if (value === null) return 'null'
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : pythonFloat(value)
  }
  if (typeof value === 'string') return pythonString(value)
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const items = value.map(item => `${inner}${formatPythonJson(item, inner)}`)
    return `[\n${items.join(',\n')}\n${indent}]`
  }
  const keys = Object.keys(value).sort(compareCodePoints)
  if (keys.length === 0) return '{}'
  const items = keys.map(
    key => `${inner}${pythonString(key)}: ${formatPythonJson(value[key] ?? null, inner)}`
  )
  return `{\n${items.join(',\n')}\n${indent}}`
}

/** Python's `repr(float)`: shortest digits, fixed unless the exponent is < -4 or >= 16. */
function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} cannot be written to a summary file`)
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  // String() already gives the shortest round-trip digits; only their layout differs.
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))
  if (!match) throw new Error(`unexpected number text ${String(value)}`)
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match
  let digits = whole + fraction
  let point = whole.length + Number(exponent)
  const leading = /^0*/.exec(digits)?.[0].length ?? 0
  digits = digits.slice(leading).replace(/0+$/, '')
  point -= leading
  if (point <= -4 || point > 16) {
    const power = point - 1
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const powerText = String(Math.abs(power)).padStart(2, '0')
    return `${sign}${mantissa}e${power < 0 ? '-' : '+'}${powerText}`
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

/** A JSON string with everything outside printable ASCII escaped, as Python's ensure_ascii does. */
function pythonString(text: string): string {
  const short: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\b': '\\b',
    '\f': '\\f'
  }
  let out = '"'
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i)
    const code = text.charCodeAt(i)
    if (short[char] !== undefined) out += short[char]
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += char
  }
  return `${out}"`
}
