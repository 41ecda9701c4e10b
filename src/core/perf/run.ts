/**
 * A perf run: a snapshot of the head, or a compare of base and head measured
 * on this machine. Wall time runs in interleaved rounds (base, head, head,
 * base, …), so drift hits both sides alike, and suspects are measured again
 * before the gate fails; instructions run once per side (instructions.ts).
 * The base lives in a detached worktree that is always removed.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { buildBench, runBench, type BenchContext } from './measure/bench-runner.js'
import { benchEnvironment, type BenchEnvironment } from './measure/bench-env.js'
import { compareResult, nothingMeasured } from './compare-result.js'
import { checkHeadBench } from './measure/bench-targets.js'
import { listCases } from './measure/case-list.js'
import { addWorktree, git, isDirty, isSameTree, mergeBase, resolveOrFetch } from './measure/git.js'
import { UNCOMMITTED } from './render/format.js'
import type { Logger } from '../shared/logger.js'
import { RunningMark } from '../shared/running-mark.js'
import {
  checkCrateDirectory,
  claimOutputDirectory,
  clearOwned,
  ensureDirectory,
  type DirectoryOwner
} from '../shared/paths.js'
import type { GungraunTarget } from './measure/gungraun-setup.js'
import {
  checkBuiltSide,
  INSTRUCTION_SUMMARY_UNIT,
  instructionSummary,
  measureSide,
  prepareInstructions
} from './measure/instructions.js'
import type { PerfCompareResult, PerfRunning, PerfSnapshotResult } from './results.js'
import {
  buildSides,
  compareInstructionSides,
  compareWalltimeSides,
  measureHeadOnly,
  type MeasuredSides
} from './measure/sides.js'
import type { PerfSettings } from './settings.js'
import { snapshotStats, toSummaryFile, writeSummaryFile } from './summary-file.js'
import { benchFeaturesLine } from './bench-features.js'

/** What the core needs from its caller. */
export interface PerfDependencies {
  logger: Logger
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  /**
   * Marked with each build and measuring run as it starts (one is made when not given): after
   * a stop, `running.current` says which side, round and filter ran, for the results document.
   */
  running?: RunningMark<Omit<PerfRunning, 'startedAt'>>
}

/** The threshold file's keys over the caller's environment, as the builds and benches get it. */
function environment(s: PerfSettings, deps: PerfDependencies): BenchEnvironment {
  return benchEnvironment(
    deps.env ?? process.env,
    s.thresholdValues,
    s.thresholdFile,
    s.workingDirectory
  )
}

function context(s: PerfSettings, deps: PerfDependencies, env: NodeJS.ProcessEnv): BenchContext {
  return {
    bench: s.bench,
    benchArgs: s.benchArgs,
    cargoArgs: s.cargoArgs,
    env,
    buildTimeoutSeconds: s.buildTimeoutSeconds,
    runTimeoutSeconds: s.runTimeoutSeconds,
    repoRoot: s.repoRoot,
    outDir: s.outDir,
    logger: deps.logger,
    ...(deps.signal ? { signal: deps.signal } : {}),
    running: deps.running ?? new RunningMark(deps.signal)
  }
}

/** What a perf run writes into its output directory, and what an earlier run (or the reference) leaves there. */
export const PERF_OUTPUT_OWNER: DirectoryOwner = {
  tool: 'mace-actions perf',
  ownFiles: [
    'compare.json',
    'snapshot.json',
    'base_summary.json',
    'head_summary.json',
    'head_snapshot.json'
  ]
}

/**
 * Before anything runs: the crate is where the settings say, the output
 * directory is ours (only what a run wrote is cleared), the snapshot file's
 * folder can be created.
 * @throws InputError naming the input when a path is wrong.
 */
function prepareOutDir(s: PerfSettings): void {
  checkCrateDirectory(s.workingDirectory, s.origins.workingDirectory)
  claimOutputDirectory(s.outDir, s.origins.outDir, PERF_OUTPUT_OWNER)
  ensureDirectory(dirname(s.output), s.origins.output)
  for (const sub of ['runs', 'logs', 'bin']) clearOwned(s.outDir, sub)
  mkdirSync(join(s.outDir, 'logs'), { recursive: true })
}

/** Measures the head once and writes the snapshot file. */
export async function runPerfSnapshot(
  s: PerfSettings,
  deps: PerfDependencies
): Promise<PerfSnapshotResult> {
  const started = Date.now()
  prepareOutDir(s)
  const bench = environment(s, deps)
  const ctx = context(s, deps, bench.env)
  const gungraun = await prepare(s, ctx)
  const headSha = await git(s.repoRoot, 'rev-parse', 'HEAD')
  const features = benchFeaturesLine(s.cargoArgs)
  if (features !== undefined) deps.logger.info(features)
  const common = {
    schemaVersion: 1,
    tool: 'mace-actions perf',
    mode: 'snapshot',
    headSha,
    benchEnv: bench.entries
  } as const
  let result: PerfSnapshotResult
  try {
    result = await measureSnapshot(s, ctx, gungraun, common, started)
  } catch (error) {
    if (!deps.signal?.aborted) throw error
    const nothing = {
      ...common,
      passed: false,
      cancelled: true,
      reasons: ['the snapshot was cancelled before it measured anything'],
      count: 0,
      p50: 0,
      p95: 0,
      ...timing(started, s)
    }
    result =
      s.metric === 'instructions'
        ? { ...nothing, metric: 'instructions', cases: [] }
        : { ...nothing, metric: 'walltime', cases: [] }
  }
  writeJson(join(s.outDir, 'snapshot.json'), result)
  return result
}

type SnapshotCommon = Pick<
  PerfSnapshotResult,
  'schemaVersion' | 'tool' | 'mode' | 'headSha' | 'benchEnv'
>

async function measureSnapshot(
  s: PerfSettings,
  ctx: BenchContext,
  gungraun: GungraunTarget | undefined,
  common: SnapshotCommon,
  started: number
): Promise<PerfSnapshotResult> {
  await checkHeadBench(s.workingDirectory, ctx.env, s.bench, s.metric)
  const head = await buildBench(ctx, 'head', s.workingDirectory)
  let result: PerfSnapshotResult
  if (gungraun) {
    await checkBuiltSide(head, s.workingDirectory, ctx.env, s.bench, gungraun)
    const cases = await measureSide(ctx, head, [], gungraun.version)
    concatLogs(s.outDir, 'head', 'snapshot.bench.log')
    const stats = snapshotStats(cases.map(c => c.instructions))
    writeSummaryFile(s.output, instructionSummary(cases), { ...stats, ...INSTRUCTION_SUMMARY_UNIT })
    result = {
      ...common,
      metric: 'instructions',
      passed: true,
      reasons: [],
      count: cases.length,
      ...stats,
      cases,
      ...timing(started, s)
    }
  } else {
    // A binary that is not Criterion is named at its listing, not after the run timeout.
    await listCases(ctx, head, [])
    const cases = await runBench(ctx, head, { round: 1, part: 0 })
    concatLogs(s.outDir, 'head', 'snapshot.bench.log')
    const stats = snapshotStats(cases.map(c => c.medianNs))
    writeSummaryFile(s.output, toSummaryFile(cases), { p50: stats.p50, p95: stats.p95 })
    const reasons =
      cases.length > 0
        ? []
        : [
            `No Criterion case was found under the bench '${s.bench}' output: zero cases is a failure.`
          ]
    result = {
      ...common,
      metric: 'walltime',
      passed: cases.length > 0,
      reasons,
      count: cases.length,
      ...stats,
      cases,
      ...timing(started, s)
    }
  }
  return result
}

/**
 * Measures base and head (interleaved rounds, or one count each) and decides the gate. A cancel
 * stops the measuring and the result keeps what was measured (failed, `cancelled`); the base
 * worktree is always removed.
 */
export async function runPerfCompare(
  s: PerfSettings,
  deps: PerfDependencies
): Promise<PerfCompareResult> {
  const started = Date.now()
  const { logger } = deps
  prepareOutDir(s)
  const bench = environment(s, deps)
  const ctx = context(s, deps, bench.env)
  const gungraun = await prepare(s, ctx)
  const headSha = await git(s.repoRoot, 'rev-parse', 'HEAD')
  let baseSha = await resolveOrFetch(s.repoRoot, s.baseRef, logger)
  if (s.baseFromEvent) {
    // Compare with where the branch left its base, not with whatever the base became since.
    const mb = await mergeBase(s.repoRoot, baseSha, headSha)
    if (mb) baseSha = mb
    else
      logger.warning(`No merge base of ${baseSha} and ${headSha} here: comparing with ${baseSha}.`)
  }
  const headDirty = await isDirty(s.repoRoot)
  const head = `${headSha.slice(0, 12)}${headDirty ? ` ${UNCOMMITTED}` : ''}`
  logger.info(
    `perf compare (${s.metric}): base ${s.baseRef} (${baseSha.slice(0, 12)}) vs head ${head}`
  )
  const features = benchFeaturesLine(s.cargoArgs)
  if (features !== undefined) logger.info(features)
  const sameTree = await isSameTree(s.repoRoot, baseSha, headSha)
  const worktree = sameTree ? undefined : await addWorktree(s.repoRoot, baseSha)
  try {
    const baseDir = worktree
      ? join(worktree.path, relative(s.repoRoot, s.workingDirectory))
      : s.workingDirectory
    let measured: MeasuredSides
    try {
      const base = worktree ? { dir: baseDir, worktreePath: worktree.path } : 'same-tree'
      const { baseSide, headSide } = await buildSides(s, ctx, base)
      measured = !baseSide
        ? await measureHeadOnly(s, ctx, headSide, gungraun)
        : gungraun
          ? await compareInstructionSides(s, ctx, { baseSide, headSide, baseDir }, gungraun)
          : await compareWalltimeSides(s, ctx, baseSide, headSide)
    } catch (error) {
      if (!deps.signal?.aborted) throw error
      measured = nothingMeasured()
    }
    const result = compareResult(s, measured, {
      baseSha,
      headSha,
      headDirty,
      sameTree,
      benchEnv: bench.entries,
      started,
      cancelled: deps.signal?.aborted === true
    })
    // A stopped compare says what it was running; a finished one has nothing running.
    if (ctx.running?.current) result.running = ctx.running.current

    writeJson(join(s.outDir, 'compare.json'), result)
    return result
  } finally {
    concatLogs(s.outDir, 'base', 'base.bench.log')
    concatLogs(s.outDir, 'head', 'head.bench.log')
    await worktree?.remove()
  }
}

/** Before anything is built: what counting instructions needs (nothing for wall time). */
async function prepare(s: PerfSettings, ctx: BenchContext): Promise<GungraunTarget | undefined> {
  if (s.metric !== 'instructions') return undefined
  return prepareInstructions(s.workingDirectory, ctx.env, s.bench)
}

function timing(
  started: number,
  s: PerfSettings
): { startedAt: string; durationMs: number; outputDir: string } {
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outputDir: s.outDir
  }
}

/** The reference's one log per side: every run's log of that side, in run order. */
function concatLogs(outDir: string, side: string, name: string): void {
  const logs = join(outDir, 'logs')
  let text = ''
  try {
    const files = readdirSorted(logs).filter(f => f.startsWith(`${side}.r`))
    for (const f of files) text += `==> ${f} <==\n${readFileSync(join(logs, f), 'utf8')}\n`
  } catch {
    return
  }
  writeFileSync(join(outDir, name), text)
}

function readdirSorted(dir: string): string[] {
  // r2 before r10: sort by the numbers in the name.
  return readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
}
