/**
 * The soak loop (SPEC §1 "Soak"): cycles of the stress layer, the chaos layer
 * on its cadence and a perf snapshot on its cadence, until the duration is
 * spent; then the fast layer as a post-check. Unlike the reference, a failed
 * step is recorded for its cycle and the loop goes on (unless fail-fast), and
 * the results are on disk after every step, so a cancelled or killed job still
 * leaves a readable soak.
 *
 * Every command of cycle N sees `MACE_SOAK_CYCLE=N`.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorMessage } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { runPerfSnapshot } from '../perf/run.js'
import { appendCsvRow, existingRows } from './csv.js'
import { judgeDrift } from './drift.js'
import type { SoakCycle, SoakFailure, SoakResult, SoakStep, SoakStopReason } from './results.js'
import type { SoakSettings } from './settings.js'
import { resultsPath } from '../test/results-file.js'
import { runTestLayers } from '../test/run.js'

/** What the loop needs from its caller. */
export interface SoakDependencies {
  logger: Logger
  /** Aborted when the job is cancelled: the running command is stopped, results are kept. */
  signal?: AbortSignal
  /** Base environment (defaults to process.env). */
  env?: NodeJS.ProcessEnv
  /** Called after the results were written, with the current state (e.g. to render reports). */
  onSave?: (result: SoakResult) => void
}

/** Path of the soak's results document inside the metrics directory. */
export function soakResultsPath(metricsDir: string): string {
  return join(metricsDir, 'soak.json')
}

/** Runs the soak and returns (and writes, step by step) its results. */
export async function runSoak(s: SoakSettings, deps: SoakDependencies): Promise<SoakResult> {
  const { logger } = deps
  const started = Date.now()
  mkdirSync(s.metricsDir, { recursive: true })
  const csvPath = join(s.metricsDir, 'perf_cycles.csv')
  const earlier = existingRows(csvPath)
  if (earlier > 0) {
    logger.warning(
      `${csvPath} already holds ${earlier} rows of an earlier soak; this soak's rows are appended after them, as the reference does. Remove the file, or set metrics-dir to a fresh directory, to start it afresh.`
    )
  }
  const deadline = new AbortController()
  const timer =
    s.deadlineSecs !== undefined
      ? setTimeout(() => deadline.abort(), s.deadlineSecs * 1000)
      : undefined
  const stop = deps.signal ? AbortSignal.any([deps.signal, deadline.signal]) : deadline.signal
  const cancelled = (): boolean => deps.signal?.aborted ?? false

  const result: SoakResult = {
    schemaVersion: 1,
    tool: 'mace-actions soak',
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    stopReason: 'running',
    settings: {
      durationSecs: s.durationSecs,
      ...(s.deadlineSecs !== undefined ? { deadlineSecs: s.deadlineSecs } : {}),
      maxCycles: s.maxCycles,
      chaosEvery: s.chaosEvery,
      perfEvery: s.perfEvery,
      pauseSecs: s.pauseSecs,
      failFast: s.failFast,
      driftThresholdPct: s.driftPct,
      driftAction: s.driftAction
    },
    cycles: [],
    failures: [],
    perfSamples: [],
    drift: judgeDrift([], s.driftPct, s.driftWarmup),
    passed: false,
    cancelled: false,
    metricsDir: s.metricsDir,
    csvPath
  }
  const save = (): void => {
    result.durationMs = Date.now() - started
    result.cancelled = cancelled()
    result.drift = judgeDrift(result.perfSamples, s.driftPct, s.driftWarmup)
    result.passed =
      !result.cancelled &&
      result.failures.length === 0 &&
      !(result.drift.verdict === 'drifted' && s.driftAction === 'fail')
    const path = soakResultsPath(s.metricsDir)
    writeFileSync(`${path}.tmp`, `${JSON.stringify(result, null, 2)}\n`)
    renameSync(`${path}.tmp`, path)
    deps.onSave?.(result)
  }
  const record = (cycle: number, step: SoakStep): void => {
    if (!step.passed && !step.interrupted) {
      for (const id of step.failures) result.failures.push({ cycle, step: step.kind, id })
    }
    save()
  }

  const layer = async (
    kind: 'stress' | 'chaos' | 'fast',
    cycle: number,
    signal: AbortSignal | undefined
  ): Promise<SoakStep> => {
    const t0 = Date.now()
    const outputDir =
      cycle === 0 ? join(s.metricsDir, 'post-check') : join(cycleDir(s, cycle), kind)
    const env = cycle === 0 ? s.test.env : { ...s.test.env, MACE_SOAK_CYCLE: String(cycle) }
    const r = await runTestLayers(
      { ...s.test, mode: kind, outputDir, env },
      { logger, ...(signal ? { signal } : {}), ...(deps.env ? { env: deps.env } : {}) }
    )
    return {
      kind,
      passed: r.passed,
      ...(r.cancelled ? { interrupted: true } : {}),
      failures: r.failures.length > 0 || r.passed || r.cancelled ? r.failures : [kind],
      durationMs: Date.now() - t0,
      results: relative(s.metricsDir, resultsPath(outputDir))
    }
  }

  const perf = async (cycle: number, c: SoakCycle): Promise<SoakStep> => {
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
          logger,
          signal: stop,
          env: { ...(deps.env ?? process.env), ...s.test.env, MACE_SOAK_CYCLE: String(cycle) }
        }
      )
      if (!snapshot.passed) return step(false, ['perf'], snapshot.reasons.join(' '))
      const elapsedSecs = (Date.now() - started) / 1000
      c.perf = {
        file: basename(output),
        cases: snapshot.count,
        p50: snapshot.p50,
        p95: snapshot.p95
      }
      result.perfSamples.push({
        cycle,
        p50: snapshot.p50,
        p95: snapshot.p95,
        medians: Object.fromEntries(snapshot.cases.map(k => [k.id, k.medianNs]))
      })
      appendCsvRow(csvPath, {
        cycle,
        elapsedSecs,
        cases: snapshot.count,
        p50: snapshot.p50,
        p95: snapshot.p95
      })
      return step(true, [])
    } catch (error) {
      return step(false, ['perf'], errorMessage(error))
    }
  }

  let stopReason: SoakStopReason = 'duration'
  let cycle = 0
  try {
    save()
    for (;;) {
      if (cancelled()) stopReason = 'cancelled'
      else if (deadline.signal.aborted) stopReason = 'deadline'
      else if (s.maxCycles > 0 && cycle >= s.maxCycles) stopReason = 'max-cycles'
      else if (Date.now() - started >= s.durationSecs * 1000) stopReason = 'duration'
      else if (s.failFast && result.failures.length > 0) stopReason = 'fail-fast'
      else {
        if (cycle > 0) {
          try {
            await sleep(s.pauseSecs * 1000, undefined, { signal: stop })
          } catch {
            continue // stopped during the pause: the checks above say why
          }
          // The pause may have spent the rest of the duration.
          if (Date.now() - started >= s.durationSecs * 1000) continue
        }
        cycle++
        await runCycle(cycle)
        continue
      }
      break
    }
    logger.info(`soak: loop stopped after ${cycle} cycle(s) (${stopReason})`)
    result.stopReason = stopReason
    save()
    if (s.postCheck && !cancelled()) {
      logger.info('soak: post-check (fast layer)')
      const step = await layer('fast', 0, deps.signal)
      result.postCheck = step
      record(0, step)
    }
  } finally {
    if (timer) clearTimeout(timer)
    if (result.stopReason === 'running') result.stopReason = cancelled() ? 'cancelled' : stopReason
    save()
  }
  return result

  async function runCycle(n: number): Promise<void> {
    const t0 = Date.now()
    const c: SoakCycle = {
      cycle: n,
      startedAt: new Date(t0).toISOString(),
      elapsedSecs: 0,
      durationMs: 0,
      steps: []
    }
    result.cycles.push(c)
    logger.info(`soak: cycle ${n} (${Math.round((t0 - started) / 1000)} s elapsed)`)
    const plan: Array<() => Promise<SoakStep>> = [() => layer('stress', n, stop)]
    if (s.chaosEvery > 0 && n % s.chaosEvery === 0) plan.push(() => layer('chaos', n, stop))
    if (s.perfEvery > 0 && n % s.perfEvery === 0) plan.push(() => perf(n, c))
    let cut = false
    for (const next of plan) {
      if (stop.aborted) {
        cut = true
        break
      }
      const step = await next()
      c.steps.push(step)
      cut ||= step.interrupted === true
      c.elapsedSecs = (Date.now() - started) / 1000
      c.durationMs = Date.now() - t0
      record(n, step)
    }
    if (cut) c.interrupted = cancelled() ? 'cancelled' : 'deadline'
    c.elapsedSecs = (Date.now() - started) / 1000
    c.durationMs = Date.now() - t0
    save()
  }
}

function cycleDir(s: SoakSettings, cycle: number): string {
  return join(s.metricsDir, 'cycles', String(cycle).padStart(4, '0'))
}

export type { SoakFailure }
