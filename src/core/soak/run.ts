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
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { benchTargetList } from '../perf/measure/bench-targets.js'
import { checkBenchKind, type BenchTarget } from '../perf/measure/bench-kind.js'
import { recordSoakNight, type NightInput } from '../history/soak-night.js'
import { InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { checkCrateDirectory, claimOutputDirectory, type DirectoryOwner } from '../shared/paths.js'
import { ensureCsv, existingRows } from './csv.js'
import { DiskReserve } from './disk-reserve.js'
import { cycleProgress } from './progress.js'
import type {
  SoakCycle,
  SoakFailure,
  SoakResult,
  SoakStep,
  SoakStepKind,
  SoakStopReason
} from './results.js'
import type { SoakSettings } from './settings.js'
import { SoakRecord } from './soak-record.js'
import { layerStep, perfStep, type StepContext } from './steps.js'

export { soakResultsPath } from './soak-record.js'

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

/** The loop's shared state: the step context plus the deadline and the caller's cancel. */
interface LoopContext extends StepContext {
  /** Room held back for the last save; its check says when the metrics directory is full. */
  reserve: DiskReserve
  deadline: AbortController
  cancelled: () => boolean
  cancelSignal: AbortSignal | undefined
}

/**
 * Runs the soak and returns (and writes, step by step, to
 * `<metricsDir>/soak.json`) its results.
 */
export async function runSoak(s: SoakSettings, deps: SoakDependencies): Promise<SoakResult> {
  const { logger } = deps
  checkCrateDirectory(s.test.workingDirectory, s.test.origins.workingDirectory)
  claimOutputDirectory(s.metricsDir, s.origins.metricsDir, SOAK_OUTPUT_OWNER)
  if (s.perfEvery > 0) await checkBenchTarget(s, deps.env ?? process.env)
  const csvPath = join(s.metricsDir, 'perf_cycles.csv')
  warnOnEarlierRows(csvPath, logger)
  ensureCsv(csvPath)
  const deadline = new AbortController()
  const timer =
    s.deadlineSecs !== undefined
      ? setTimeout(() => deadline.abort(), s.deadlineSecs * 1000)
      : undefined
  const stop = deps.signal ? AbortSignal.any([deps.signal, deadline.signal]) : deadline.signal
  const cancelled = (): boolean => deps.signal?.aborted ?? false
  const reserve = new DiskReserve(s.metricsDir)
  reserve.hold()
  const record = new SoakRecord(s, csvPath, cancelled, reserve, deps.onSave)
  const ctx: LoopContext = {
    s,
    record,
    reserve,
    logger,
    env: deps.env,
    stop,
    deadline,
    cancelled,
    cancelSignal: deps.signal
  }
  const { result } = record
  result.notes.push(...startNotes(s))
  for (const note of result.notes) logger.warning(note)
  let stopReason: SoakStopReason = 'duration'
  try {
    record.save()
    stopReason = await runCycles(ctx)
    result.stopReason = stopReason
    record.save()
    await postCheck(ctx)
    // A cancelled soak says nothing about the code: its night stays out of the history.
    if (s.history && !cancelled()) {
      result.history = await recordSoakNight(nightOf(s, result, deps.env), s.history, logger)
    }
  } finally {
    if (timer) clearTimeout(timer)
    if (result.stopReason === 'running') result.stopReason = cancelled() ? 'cancelled' : stopReason
    record.save()
    reserve.release()
  }
  return result
}

/** What a soak writes into its metrics directory, and what an earlier soak (or the reference) leaves there. */
export const SOAK_OUTPUT_OWNER: DirectoryOwner = {
  tool: 'mace-actions soak',
  ownFiles: ['soak.json', 'perf_cycles.csv']
}

/** Warnings about settings that may leave a soak with nothing completed. */
function startNotes(s: SoakSettings): string[] {
  const deadline = s.deadlineSecs
  if (deadline === undefined || deadline >= s.test.timeouts.stress) return []
  return [
    `The deadline (${deadline} s) is shorter than one stress case may take (stress-timeout ${s.test.timeouts.stress} s): the first cycle may not finish, and a soak with no completed cycle does not pass.`
  ]
}

function warnOnEarlierRows(csvPath: string, logger: Logger): void {
  const earlier = existingRows(csvPath)
  if (earlier > 0) {
    logger.warning(
      `${csvPath} already holds ${earlier} rows of an earlier soak; this soak's rows are appended after them, as the reference does. Remove the file, or set metrics-dir to a fresh directory, to start it afresh.`
    )
  }
}

/** Why the loop should stop before cycle `cycle + 1`, or undefined to go on. */
function stopReasonBefore(ctx: LoopContext, cycle: number): SoakStopReason | undefined {
  const { s, record } = ctx
  if (ctx.cancelled()) return 'cancelled'
  if (record.diskFull !== undefined) return 'disk-full'
  if (record.repeatedBuildError() !== undefined) return 'build-failed'
  if (ctx.deadline.signal.aborted) return 'deadline'
  if (s.maxCycles > 0 && cycle >= s.maxCycles) return 'max-cycles'
  if (Date.now() - record.started >= s.durationSecs * 1000) return 'duration'
  if (s.failFast && record.result.failures.length > 0) return 'fail-fast'
  return undefined
}

/** Runs cycles, pausing between them, until a stop reason holds; returns it. */
async function runCycles(ctx: LoopContext): Promise<SoakStopReason> {
  const { s, record } = ctx
  let cycle = 0
  for (;;) {
    const reason = stopReasonBefore(ctx, cycle)
    if (reason !== undefined) {
      ctx.logger.info(`soak: loop stopped after ${cycle} cycle(s) (${reason})`)
      return reason
    }
    if (cycle > 0) {
      try {
        await sleep(s.pauseSecs * 1000, undefined, { signal: ctx.stop })
      } catch {
        continue // stopped during the pause: the checks above say why
      }
      // The pause may have spent the rest of the duration.
      if (Date.now() - record.started >= s.durationSecs * 1000) continue
    }
    cycle++
    await runCycle(ctx, cycle)
  }
}

/** One cycle: stress, then chaos and perf on their cadence, each step saved as it ends. */
async function runCycle(ctx: LoopContext, n: number): Promise<void> {
  const { s, record, stop } = ctx
  const t0 = Date.now()
  const c: SoakCycle = {
    cycle: n,
    startedAt: new Date(t0).toISOString(),
    elapsedSecs: 0,
    durationMs: 0,
    steps: []
  }
  record.result.cycles.push(c)
  ctx.logger.info(`soak: ${cycleProgress(s, n, t0 - record.started)}`)
  const plan: Array<[SoakStepKind, () => Promise<SoakStep>]> = [
    ['stress', () => layerStep(ctx, 'stress', n, stop)]
  ]
  if (s.chaosEvery > 0 && n % s.chaosEvery === 0)
    plan.push(['chaos', () => layerStep(ctx, 'chaos', n, stop)])
  if (s.perfEvery > 0 && n % s.perfEvery === 0) plan.push(['perf', () => perfStep(ctx, n, c, t0)])
  let cut = false
  for (const [kind, next] of plan) {
    if (stop.aborted || diskIsFull(ctx, `before the ${kind} step of cycle ${n}`)) {
      cut = true
      break
    }
    record.begin({ cycle: n, step: kind })
    const step = await next()
    record.end(step)
    c.steps.push(step)
    cut ||= step.interrupted === true
    if (step.diskFull !== undefined) record.stopOnFullDisk(step.diskFull)
    c.elapsedSecs = record.elapsedSecs()
    c.durationMs = Date.now() - t0
    record.recordStep(n, step)
    // The same build error again, or a full disk: the other steps would only fail too.
    if (record.repeatedBuildError() !== undefined || record.diskFull !== undefined) break
  }
  if (cut) {
    c.interrupted =
      record.diskFull !== undefined ? 'disk-full' : ctx.cancelled() ? 'cancelled' : 'deadline'
  }
  c.elapsedSecs = record.elapsedSecs()
  c.durationMs = Date.now() - t0
  record.save()
}

/**
 * True, and the soak stopped, when the metrics directory has too little room
 * left for another step (`where` says which step it would have been).
 */
function diskIsFull(ctx: LoopContext, where: string): boolean {
  if (ctx.record.diskFull !== undefined) return true
  const full = ctx.reserve.fullMessage()
  if (full === undefined) return false
  ctx.logger.warning(`soak: ${full}: stopping ${where}`)
  ctx.record.stopOnFullDisk(`${full}: the soak stopped ${where}`)
  return true
}

/** The fast layer after the loop, unless the soak was cancelled, its disk is full or the check is off. */
async function postCheck(ctx: LoopContext): Promise<void> {
  if (!ctx.s.postCheck || ctx.cancelled()) return
  if (diskIsFull(ctx, 'before the post-check')) return
  // A build that fails the same way every time would only fail the post-check's build too.
  if (ctx.record.result.stopReason === 'build-failed') return
  ctx.logger.info('soak: post-check (fast layer)')
  // A step the deadline cut short stays the answer to "what was running", unless this is cut too.
  const cut = ctx.record.result.running
  ctx.record.begin({ cycle: 0, step: 'fast' })
  const step = await layerStep(ctx, 'fast', 0, ctx.cancelSignal)
  ctx.record.end(step)
  if (ctx.record.result.running === undefined && cut !== undefined) ctx.record.result.running = cut
  ctx.record.result.postCheck = step
  if (step.diskFull !== undefined) ctx.record.stopOnFullDisk(step.diskFull)
  ctx.record.recordStep(0, step)
}

export type { SoakFailure }

/** The night's perf cycles as the history takes them. */
function nightOf(
  s: SoakSettings,
  result: SoakResult,
  env: NodeJS.ProcessEnv | undefined
): NightInput {
  return {
    samples: result.perfSamples,
    metric: s.perf.metric,
    bench: s.perf.bench,
    workingDirectory: s.perf.workingDirectory,
    repoRoot: s.perf.repoRoot,
    env: env ?? process.env
  }
}

/**
 * A perf snapshot of a bench the crate does not have would fail every cycle
 * for the whole soak: refused before the first cycle instead.
 * @throws InputError naming the bench input and the crate's bench targets.
 */
async function checkBenchTarget(s: SoakSettings, env: NodeJS.ProcessEnv): Promise<void> {
  let benches: BenchTarget[]
  try {
    benches = await benchTargetList(s.test.workingDirectory, env)
  } catch {
    return // a Cargo.toml cargo cannot read fails the first build, with cargo's own message
  }
  const target = benches.find(b => b.name === s.perf.bench)
  if (target) return checkBenchKind(target, s.perf.metric, s.origins.bench, s.origins.metric)
  const names = [...new Set(benches.map(b => b.name))]
  const known = names.length > 0 ? `one of: ${names.join(', ')}` : 'none: the crate has no bench'
  throw new InputError(
    `Invalid ${s.origins.bench}: '${s.perf.bench}' is no bench target of the crate in ${s.test.workingDirectory}, so every perf snapshot would fail. Expected a bench target (${known}), or perf-every 0 for no perf snapshot.`
  )
}
