/**
 * The steps of a soak cycle: a test layer (stress, chaos, or the fast
 * post-check) through the test core, and a perf snapshot through the perf
 * core, each turned into a `SoakStep` with its own results file.
 */
import { basename, join, relative } from 'node:path'
import { snapshotValues } from '../perf/results.js'
import { runPerfSnapshot } from '../perf/run.js'
import { isDiskFull, mentionsDiskFull } from '../shared/disk-space.js'
import { errorMessage } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { TestRunResult } from '../layers/results.js'
import { readTestResults, resultsPath } from '../layers/results-file.js'
import { runTestLayers } from '../layers/run.js'
import { appendCsvRow } from './csv.js'
import { diskFullMessage } from './disk-reserve.js'
import type { SoakCycle, SoakStep } from './results.js'
import type { SoakSettings } from './settings.js'
import type { SoakRecord } from './soak-record.js'

/** What every step of one soak shares. */
export interface StepContext {
  s: SoakSettings
  record: SoakRecord
  logger: Logger
  /** Base environment of the caller, when not process.env. */
  env: NodeJS.ProcessEnv | undefined
  /** Aborted on cancel or at the deadline. */
  stop: AbortSignal
}

/**
 * Runs one test layer for a cycle (cycle 0 is the post-check, which keeps
 * its own folder and no `MACE_SOAK_CYCLE`).
 */
export async function layerStep(
  ctx: StepContext,
  kind: 'stress' | 'chaos' | 'fast',
  cycle: number,
  signal: AbortSignal | undefined
): Promise<SoakStep> {
  const { s } = ctx
  const t0 = Date.now()
  const outputDir = cycle === 0 ? join(s.metricsDir, 'post-check') : join(cycleDir(s, cycle), kind)
  const env = cycle === 0 ? s.test.env : { ...s.test.env, MACE_SOAK_CYCLE: String(cycle) }
  const results = relative(s.metricsDir, resultsPath(outputDir))
  let r: TestRunResult
  try {
    r = await runTestLayers(
      { ...s.test, mode: kind, outputDir, env },
      { logger: ctx.logger, ...(signal ? { signal } : {}), ...(ctx.env ? { env: ctx.env } : {}) }
    )
  } catch (e) {
    if (!isDiskFull(e)) throw e
    return diskFullStep(ctx, kind, outputDir, results, t0, errorMessage(e))
  }
  const buildError = firstBuildError(r)
  // A selection that lists no test fails every cycle the same way: say why where it fails.
  const selection = r.passed ? undefined : r.selectionProblems[0]?.message
  if (selection !== undefined) {
    ctx.logger.error(
      `soak: ${cycle === 0 ? 'post-check' : `cycle ${cycle}`}: ${kind} FAILED: ${selection}`
    )
  }
  return {
    kind,
    passed: r.passed,
    ...(selection !== undefined ? { message: selection.slice(0, MAX_MESSAGE_CHARS) } : {}),
    ...(r.cancelled ? { interrupted: true } : {}),
    failures: r.failures.length > 0 || r.passed || r.cancelled ? r.failures : [kind],
    ...(r.flaky.length > 0 ? { flaky: r.flaky } : {}),
    durationMs: Date.now() - t0,
    results,
    ...(buildError !== undefined ? { buildError } : {}),
    ...(r.cancelled && r.running !== undefined ? { running: r.running } : {})
  }
}

/**
 * A test step whose run the full disk stopped: what its results document
 * said at its last write (the cases that ended before the disk filled, and
 * the one running then) is kept; the case the full disk cut is not judged.
 */
function diskFullStep(
  ctx: StepContext,
  kind: 'stress' | 'chaos' | 'fast',
  outputDir: string,
  results: string,
  t0: number,
  error: string
): SoakStep {
  let last: TestRunResult | undefined
  try {
    last = readTestResults(resultsPath(outputDir))
  } catch {
    last = undefined // the disk filled before its first write: nothing ended
  }
  const diskFull = `${diskFullMessage(ctx.s.metricsDir)}: the ${kind} step stopped (${error})`
  ctx.logger.warning(diskFull)
  return {
    kind,
    passed: false,
    interrupted: true,
    failures: last?.failures ?? [],
    ...(last !== undefined && last.flaky.length > 0 ? { flaky: last.flaky } : {}),
    diskFull,
    durationMs: Date.now() - t0,
    results,
    ...(last?.running !== undefined ? { running: last.running } : {})
  }
}

// Enough of a selection problem's reason to read in a summary table; its results document has it whole.
const MAX_MESSAGE_CHARS = 2_000

// Enough of a compiler error to recognise it again and to show it first in the summary.
const MAX_BUILD_ERROR_CHARS = 2_000

/** The first error of the first failed build of a test run, as the compiler said it. */
function firstBuildError(r: TestRunResult): string | undefined {
  const build = r.builds.find(b => !b.passed)
  if (build === undefined) return undefined
  const error = build.diagnostics.find(d => d.level === 'error')
  const text =
    error?.rendered ?? error?.message ?? `cargo test --no-run failed; see ${build.command.logPath}`
  return text.trim().slice(0, MAX_BUILD_ERROR_CHARS)
}

/**
 * Takes the cycle's perf snapshot to `perf_cycle_<n>.json`, records its
 * p50/p95 on the cycle and in the perf samples, and appends the CSV row,
 * whose `elapsed_secs` is the cycle's start (`cycleStartMs`, ms since the
 * epoch) as the reference writes it. With the instruction metric the figures
 * are counts, in the same places (`median_ns_p50` and `median_ns_p95` of the
 * CSV hold the counts' p50 and p95).
 */
export async function perfStep(
  ctx: StepContext,
  cycle: number,
  c: SoakCycle,
  cycleStartMs: number
): Promise<SoakStep> {
  const { s, record, stop } = ctx
  const t0 = Date.now()
  const output = join(s.metricsDir, `perf_cycle_${cycle}.json`)
  const step = (passed: boolean, failures: string[], message?: string): SoakStep => ({
    kind: 'perf',
    passed,
    ...(stop.aborted && !passed ? { interrupted: true } : {}),
    failures: stop.aborted ? [] : failures,
    ...(message !== undefined ? { message } : {}),
    durationMs: Date.now() - t0,
    results: relative(s.metricsDir, output)
  })
  try {
    const snapshot = await runPerfSnapshot(
      { ...s.perf, output },
      {
        logger: ctx.logger,
        signal: stop,
        env: { ...(ctx.env ?? process.env), ...s.test.env, MACE_SOAK_CYCLE: String(cycle) }
      }
    )
    if (!snapshot.passed) {
      const why = snapshot.reasons.join(' ')
      if (mentionsDiskFull(why)) throw new Error(why)
      return step(false, ['perf'], why)
    }
    const elapsedSecs = (cycleStartMs - record.started) / 1000
    c.perf = { file: basename(output), cases: snapshot.count, p50: snapshot.p50, p95: snapshot.p95 }
    record.result.perfSamples.push({
      cycle,
      p50: snapshot.p50,
      p95: snapshot.p95,
      medians: snapshotValues(snapshot)
    })
    appendCsvRow(record.result.csvPath, {
      cycle,
      elapsedSecs,
      cases: snapshot.count,
      p50: snapshot.p50,
      p95: snapshot.p95
    })
    return step(true, [])
  } catch (error) {
    if (isDiskFull(error)) {
      const diskFull = `${diskFullMessage(s.metricsDir)}: the perf step stopped (${errorMessage(error)})`
      return { ...step(false, [], diskFull), interrupted: true, diskFull }
    }
    return step(false, ['perf'], errorMessage(error))
  }
}

function cycleDir(s: SoakSettings, cycle: number): string {
  return join(s.metricsDir, 'cycles', String(cycle).padStart(4, '0'))
}
