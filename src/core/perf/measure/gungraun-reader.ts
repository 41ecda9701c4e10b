/**
 * Reads the cases of one gungraun run from its home directory: every
 * `summary.json` that `GUNGRAUN_SAVE_SUMMARY=json` wrote there
 * (`<home>/<package>/<bench>/<group>/<function>[.<id>]/summary.json`), in the
 * shape of gungraun's summary schema v7 (gungraun 0.20, crate
 * `gungraun-summary` 7.0.0). A case is named by its full id, `module_path`
 * then `::id` when the benchmark has one; its count is callgrind's `Ir` of the
 * run's total (all threads and subprocesses). Never the terminal text.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InstructionCase } from '../results.js'
import { compareCodePoints } from '../summary-file.js'

/** The callgrind metric that decides the verdict: instructions executed. */
export const INSTRUCTIONS_METRIC = 'Ir'

/** The summary schema this reader was written against (`"version"` in summary.json). */
export const SUMMARY_VERSION = '7'

/**
 * Every case under `home`, sorted by id. A missing home gives none (the caller
 * decides what zero cases means).
 * @throws Error naming the file when a summary is not JSON, has no callgrind `Ir`
 *   (another schema version, or callgrind not run), or repeats another's id.
 */
export function readGungraunCases(home: string): InstructionCase[] {
  const found = new Map<string, { found: InstructionCase; path: string }>()
  for (const path of summaryFiles(home)) {
    const read = readSummary(path)
    const earlier = found.get(read.id)
    if (earlier) {
      throw new Error(
        `gungraun wrote two summaries for ${read.id}: ${earlier.path} and ${path}; ` +
          'give each #[bench::…] of a function its own id'
      )
    }
    found.set(read.id, { found: read, path })
  }
  return [...found.values()].map(e => e.found).sort((a, b) => compareCodePoints(a.id, b.id))
}

/** One summary.json as a case. */
export function readSummary(path: string): InstructionCase {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(`gungraun summary ${path} could not be read: ${(error as Error).message}`)
  }
  const bad = (what: string): Error => {
    const version = isObject(data) ? JSON.stringify(data.version) : 'none'
    return new Error(
      `gungraun summary ${path} ${what} (summary version ${version}; this reads version ` +
        `${SUMMARY_VERSION}, written by gungraun 0.20)`
    )
  }
  if (!isObject(data)) throw bad('is not a JSON object')
  const modulePath = data.module_path
  if (typeof modulePath !== 'string' || modulePath === '') throw bad('has no module_path')
  const id =
    typeof data.id === 'string' && data.id !== '' ? `${modulePath}::${data.id}` : modulePath
  const metrics = callgrindTotal(data.profiles)
  if (!metrics) throw bad('has no callgrind profile with total metrics')
  const values = newValues(metrics)
  const instructions = values.get(INSTRUCTIONS_METRIC)
  if (instructions === undefined) throw bad(`has no ${INSTRUCTIONS_METRIC} (instructions) value`)
  values.delete(INSTRUCTIONS_METRIC)
  return { id, instructions, callgrind: Object.fromEntries(values) }
}

/** `profiles[tool=Callgrind].data.total.metrics`, when present. */
function callgrindTotal(profiles: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(profiles)) return undefined
  for (const profile of profiles) {
    if (!isObject(profile) || profile.tool !== 'Callgrind') continue
    const data = profile.data
    const total = isObject(data) ? data.total : undefined
    const metrics = isObject(total) ? total.metrics : undefined
    if (isObject(metrics)) return metrics
  }
  return undefined
}

/** `{name: {values: {new: n}}}` → name → n, for every metric with a finite `new` value. */
function newValues(metrics: Record<string, unknown>): Map<string, number> {
  const values = new Map<string, number>()
  for (const [name, metric] of Object.entries(metrics)) {
    const v = isObject(metric) && isObject(metric.values) ? metric.values.new : undefined
    if (typeof v === 'number' && Number.isFinite(v)) values.set(name, v)
  }
  return values
}

/** Paths of every `summary.json` under `dir`, in a stable order. */
function summaryFiles(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true })
  } catch {
    return []
  }
  return entries
    .filter(e => e.isFile() && e.name === 'summary.json')
    .map(e => join(e.parentPath, e.name))
    .sort()
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
