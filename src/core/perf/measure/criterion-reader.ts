/**
 * Reads the cases of one Criterion run from its output directory. A case is every
 * `<directory>/new/estimates.json` (as in the reference), named by the `full_id` in its
 * `benchmark.json` because directory names are sanitised and truncated. Criterion calls these
 * files private, so every file is checked and a bad one costs its case, never the run.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../../shared/logger.js'
import type { CriterionCase, Interval } from '../results.js'
import { compareCodePoints } from '../summary-file.js'

/** Criterion's output directory: `$CRITERION_HOME`, else `<targetDir>/criterion`. */
export function criterionRoot(
  targetDir: string,
  env: Record<string, string | undefined> = process.env
): string {
  const home = env.CRITERION_HOME
  return home !== undefined && home !== '' ? home : join(targetDir, 'criterion')
}

/**
 * Every case under `root`, sorted by id. A missing root gives no cases (the caller decides what
 * zero cases means); unreadable or malformed files are skipped with a warning naming them.
 * `samples` adds the per-iteration times from sample.json.
 */
export function readCriterionCases(
  root: string,
  logger: Logger,
  options: { samples?: boolean } = {}
): CriterionCase[] {
  const found = new Map<string, { found: CriterionCase; estimatesPath: string }>()
  walk(root, '', at => {
    const read = readCase(root, at, logger, options.samples === true)
    if (!read) return
    const earlier = found.get(read.found.id)
    if (earlier) {
      // When a bench is renamed or removed and the output is not cleared, a case can move to
      // another directory (clashing names are numbered `_2`, `_3` in the order Criterion meets
      // them) while the old one stays: the newer run wins.
      const newer = mtimeMs(read.estimatesPath) > mtimeMs(earlier.estimatesPath)
      const [kept, dropped] = newer ? [read, earlier] : [earlier, read]
      logger.warning(
        `Criterion case ${read.found.id} is in both ${kept.found.directory} and ` +
          `${dropped.found.directory}; using the newer ${kept.found.directory}`
      )
      found.set(read.found.id, kept)
    } else {
      found.set(read.found.id, read)
    }
  })
  return [...found.values()].map(entry => entry.found).sort((a, b) => compareCodePoints(a.id, b.id))
}

/** A directory holding `new/estimates.json`, with the file names the walk saw. */
interface CaseDirectory {
  /** Relative path with `/`. */
  directory: string
  /** Files directly in the case directory (a `benchmark.json` may sit beside `new/`). */
  files: ReadonlySet<string>
  /** `new/estimates.json`, read. */
  estimates: JsonRead
}

/**
 * Walks `relative` under `root`, handing every case directory below it to `visit`. Case
 * directories can nest (`g/f` and `g/f/1` in one group), so the walk goes on below a case;
 * baselines, `change/` and `report/` hold only files or HTML and never match. `new/` is walked
 * too when its parent is no case: a function may be called `new` (`g/new/new/estimates.json`).
 * A case's own `new/` is not listed: its files are read directly (10,000 cases are some 40,000
 * directories, and every listing or stat saved counts).
 */
function walk(root: string, relative: string, visit: (at: CaseDirectory) => void): void {
  let children
  try {
    children = readdirSync(join(root, relative), { withFileTypes: true })
  } catch {
    return
  }
  let isCase = false
  if (relative !== '' && children.some(c => c.name === 'new' && c.isDirectory())) {
    const estimates = readJson(join(root, relative, 'new', 'estimates.json'))
    if (!(!estimates.ok && estimates.missing)) {
      const files = new Set(children.filter(c => !c.isDirectory()).map(c => c.name))
      visit({ directory: relative, files, estimates })
      isCase = true
    }
  }
  for (const child of children) {
    // Symlinks are not followed, so a link back up cannot loop the walk.
    if (!child.isDirectory() || (isCase && child.name === 'new')) continue
    walk(root, relative === '' ? child.name : `${relative}/${child.name}`, visit)
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}

/** One case, or nothing (with a warning) when a file it needs is missing or malformed. */
function readCase(
  root: string,
  at: CaseDirectory,
  logger: Logger,
  withSamples: boolean
): { found: CriterionCase; estimatesPath: string } | undefined {
  const { directory } = at
  const caseDir = join(root, directory)
  const estimatesPath = join(caseDir, 'new', 'estimates.json')
  const skip = (path: string, why: string): undefined => {
    logger.warning(`skipping Criterion case ${directory}: ${path} ${why}`)
    return undefined
  }

  const estimates = at.estimates
  if (!estimates.ok) return skip(estimatesPath, estimates.error)
  if (!isObject(estimates.value)) return skip(estimatesPath, 'is not a JSON object')
  const median = estimate(estimates.value, 'median', 'Median')
  if (median === undefined) return skip(estimatesPath, 'has no median')
  const mean = estimate(estimates.value, 'mean', 'Mean')
  if (median === 'malformed' || mean === 'malformed') {
    return skip(estimatesPath, 'has a median or mean that is not a non-negative number')
  }

  // Criterion writes benchmark.json into new/ (checked for 0.5 and 0.8); one beside new/ is
  // accepted too.
  let benchmarkPath = join(caseDir, 'new', 'benchmark.json')
  let benchmark = readJson(benchmarkPath)
  if (!benchmark.ok && benchmark.missing && at.files.has('benchmark.json')) {
    benchmarkPath = join(caseDir, 'benchmark.json')
    benchmark = readJson(benchmarkPath)
  }
  let id = directory
  if (!(!benchmark.ok && benchmark.missing)) {
    if (!benchmark.ok) return skip(benchmarkPath, benchmark.error)
    const fullId = isObject(benchmark.value) ? benchmark.value.full_id : undefined
    if (typeof fullId !== 'string' || fullId === '') return skip(benchmarkPath, 'has no full_id')
    id = fullId
  }

  const found: CriterionCase = {
    id,
    directory,
    medianNs: median.point,
    meanNs: mean?.point ?? median.point,
    sampleCount: 0
  }
  if (median.ci) found.medianCi = median.ci
  if (mean?.ci) found.meanCi = mean.ci
  const samples = readSamples(join(caseDir, 'new', 'sample.json'), directory, logger)
  if (samples) {
    found.sampleCount = samples.perIterationNs.length
    found.measuredNs = samples.totalNs
    if (withSamples) found.samplesNs = samples.perIterationNs
  }
  return { found, estimatesPath }
}

interface Estimate {
  point: number
  ci?: Interval
}

/**
 * One statistic of estimates.json. Criterion before 0.3.3 wrote PascalCase keys (`Median`,
 * `Mean`, `MedianAbsDev`) around the same `{point_estimate, confidence_interval}` objects.
 */
function estimate(
  estimates: Record<string, unknown>,
  key: string,
  oldKey: string
): Estimate | 'malformed' | undefined {
  const value = estimates[key] ?? estimates[oldKey]
  if (value === undefined) return undefined
  if (!isObject(value) || !isNonNegative(value.point_estimate)) return 'malformed'
  const interval = value.confidence_interval
  if (interval === undefined) return { point: value.point_estimate }
  if (
    !isObject(interval) ||
    !isNonNegative(interval.lower_bound) ||
    !isNonNegative(interval.upper_bound)
  ) {
    return 'malformed'
  }
  return {
    point: value.point_estimate,
    ci: { low: interval.lower_bound, high: interval.upper_bound }
  }
}

/**
 * Per-iteration times (`times[i] / iters[i]`) and their total (the time measured, ns) from
 * sample.json, which is `{"sampling_mode", "iters", "times"}` in current Criterion and a bare
 * `[iters, times]` pair in old releases. A missing file leaves the case without samples; a
 * malformed one also warns.
 */
function readSamples(
  path: string,
  directory: string,
  logger: Logger
): { perIterationNs: number[]; totalNs: number } | undefined {
  const sample = readJson(path)
  if (!sample.ok && sample.missing) return undefined
  let iters: unknown
  let times: unknown
  if (sample.ok && Array.isArray(sample.value)) [iters, times] = sample.value as unknown[]
  else if (sample.ok && isObject(sample.value)) ({ iters, times } = sample.value)
  if (
    !isNumberArray(iters) ||
    !isNumberArray(times) ||
    iters.length !== times.length ||
    iters.some(n => n === 0)
  ) {
    const why = sample.ok ? 'does not hold matching iters and times' : sample.error
    logger.warning(`Criterion case ${directory}: ignoring ${path}, which ${why}`)
    return undefined
  }
  return {
    perIterationNs: times.map((time, i) => time / (iters[i] ?? Number.NaN)),
    totalNs: times.reduce((sum, time) => sum + time, 0)
  }
}

/** A JSON file's value, or why not; `missing` when the file does not exist. */
type JsonRead = { ok: true; value: unknown } | { ok: false; error: string; missing: boolean }

function readJson(path: string): JsonRead {
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) }
  } catch (error) {
    const message = (error as Error).message
    const what = error instanceof SyntaxError ? 'is not valid JSON' : 'could not be read'
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, error: `${what} (${message})`, missing }
  }
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isNonNegative)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
