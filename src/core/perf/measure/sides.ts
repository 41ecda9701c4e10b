/**
 * Both sides of a compare: the head and the base worktree built one after the
 * other (sharing the compiled dependencies when asked to, each side's binary
 * copied out before the other builds),
 * or, when base and head are the same tree, the head built once and measured
 * as both; then measured by the run's metric, with the reference's summary
 * files written for each side.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildBench,
  cargoWorkspace,
  runBench,
  type BenchContext,
  type BenchSide
} from './bench-runner.js'
import type { GungraunTarget } from './gungraun-setup.js'
import {
  checkBuiltSide,
  compareInstructionCases,
  INSTRUCTION_SUMMARY_UNIT,
  instructionSummary,
  measureInstructions,
  measureSide
} from './instructions.js'
import type { CaseComparison, CriterionCase, MeasuringCost, PairingFacts } from '../results.js'
import { measureRounds, type Measurements } from './rounds.js'
import type { PerfSettings } from '../settings.js'
import { claimTargetDir } from './shared-target.js'
import { benchTargets, checkHeadBench } from './bench-targets.js'
import { listCases } from './case-list.js'
import { toSummaryFile, writeSummaryFile } from '../summary-file.js'
import { compareCases, gateDecision, type GateDecision } from '../judge/verdict.js'

/** What a compare measured and decided, whatever the metric. */
export interface MeasuredSides {
  comparisons: CaseComparison[]
  decision: GateDecision
  rounds: number
  cost: MeasuringCost
  /** Wall time: how the rounds paired the sides. */
  pairing?: PairingFacts
  /** The base has no bench target of this name (the change adds it): only the head was measured. */
  baseHasNoBench?: boolean
  /** True when a cancel stopped the measuring: what was measured is kept. */
  cancelled: boolean
}

/** Where the base comes from: a worktree of the base commit, or the head itself (same tree). */
export type BaseSource = { dir: string; worktreePath: string } | 'same-tree'

/**
 * Builds the head, then the base in its worktree (in the shared target dir when asked to, the
 * workspace's own artifacts cleared before a side whose checkout did not build them last, so
 * identical sources build identical binaries and neither side is taken for the other; each
 * side's binary is copied out by `buildBench`), or reuses the head's
 * binary for the base when both are the same tree. A base without the bench target (the change
 * adds it) is not built: `baseSide` is then undefined.
 * @throws InputError when the head has no bench target of that name, listing those it has.
 */
export async function buildSides(
  s: PerfSettings,
  ctx: BenchContext,
  base: BaseSource
): Promise<{ baseSide?: BenchSide; headSide: BenchSide }> {
  await checkHeadBench(s.workingDirectory, ctx.env, s.bench, s.metric)
  const workspace = await cargoWorkspace(s.workingDirectory, ctx.env)
  await claimTargetDir(s.workingDirectory, ctx.env, workspace.targetDir, workspace.packages)
  ctx.running?.begin({ step: 'build', side: 'head' })
  const headSide = await buildBench(ctx, 'head', s.workingDirectory)
  ctx.running?.end()
  if (base === 'same-tree') {
    ctx.logger.info('perf: base and head are the same tree: built once, measured as both sides.')
    const executable = join(s.outDir, 'bin', `base-${s.bench}`)
    copyFileSync(headSide.executable, executable)
    return { baseSide: { ...headSide, name: 'base', executable }, headSide }
  }
  if (!(await benchTargets(base.dir, ctx.env)).includes(s.bench)) {
    ctx.logger.info(
      `perf: the base has no bench target '${s.bench}' (this change adds it): measuring the head alone.`
    )
    return { headSide }
  }
  const targetDir = s.shareBuild ? workspace.targetDir : join(base.worktreePath, 'target')
  if (s.shareBuild) {
    const { packages } = await cargoWorkspace(base.dir, ctx.env)
    await claimTargetDir(base.dir, ctx.env, targetDir, packages)
  }
  ctx.running?.begin({ step: 'build', side: 'base' })
  const baseSide = await buildBench(ctx, 'base', base.dir, targetDir)
  ctx.running?.end()
  return { baseSide, headSide }
}

/** Wall time: interleaved rounds; the summary files hold the pooled medians (ns). */
export async function compareWalltimeSides(
  s: PerfSettings,
  ctx: BenchContext,
  baseSide: BenchSide,
  headSide: BenchSide
): Promise<MeasuredSides> {
  const measured = await measureRounds(ctx, baseSide, headSide, s)
  writeSummaryFile(join(s.outDir, 'base_summary.json'), toSummaryFile(pooled(measured.base)))
  writeSummaryFile(join(s.outDir, 'head_summary.json'), toSummaryFile(pooled(measured.head)))
  return measured
}

/**
 * The base has no bench target (the change adds it): the head measured once, every case `new`,
 * and a verdict of its own (passed, nothing to compare). The base's summary file lists no case.
 */
export async function measureHeadOnly(
  s: PerfSettings,
  ctx: BenchContext,
  headSide: BenchSide,
  gungraun?: GungraunTarget
): Promise<MeasuredSides> {
  const started = Date.now()
  ctx.running?.begin({ step: 'round', side: 'head', round: 1 })
  let comparisons: CaseComparison[]
  if (gungraun) {
    await checkBuiltSide(headSide, s.workingDirectory, ctx.env, s.bench, gungraun)
    const head = await measureSide(ctx, headSide, s.compareFilters, gungraun.version)
    comparisons = compareInstructionCases([], head, s)
    writeSummaryFile(
      join(s.outDir, 'base_summary.json'),
      instructionSummary([]),
      INSTRUCTION_SUMMARY_UNIT
    )
    writeSummaryFile(
      join(s.outDir, 'head_summary.json'),
      instructionSummary(head),
      INSTRUCTION_SUMMARY_UNIT
    )
  } else {
    await listCases(ctx, headSide, [])
    const cases = await runBench(ctx, headSide, { round: 1, part: 0 })
    const head = new Map(cases.map(c => [c.id, [c.medianNs]]))
    comparisons = compareCases(new Map(), head, {
      gate: s.gate,
      thresholdPct: s.regressPct,
      minBaseNs: s.minBaseNs,
      caseThresholds: s.caseThresholds
    })
    writeSummaryFile(join(s.outDir, 'base_summary.json'), toSummaryFile([]))
    writeSummaryFile(join(s.outDir, 'head_summary.json'), toSummaryFile(cases))
  }
  ctx.running?.end()
  const measuringMs = Date.now() - started
  const why = `measured on head only: the base has no bench target '${s.bench}'`
  comparisons = comparisons.map(c => ({ ...c, reason: why }))
  return {
    comparisons,
    decision: gateDecision(comparisons, { ...s, baseHasNoBench: true }),
    rounds: 1,
    cost: { measuringMs, roundMs: [measuringMs] },
    baseHasNoBench: true,
    cancelled: false
  }
}

/** Instructions: one run per side; the summary files hold the counts, with their unit. */
export async function compareInstructionSides(
  s: PerfSettings,
  ctx: BenchContext,
  sides: { baseSide: BenchSide; headSide: BenchSide; baseDir: string },
  gungraun: GungraunTarget
): Promise<MeasuredSides> {
  await checkBuiltSide(sides.headSide, s.workingDirectory, ctx.env, s.bench, gungraun)
  await checkBuiltSide(sides.baseSide, sides.baseDir, ctx.env, s.bench, gungraun)
  const t0 = Date.now()
  const m = await measureInstructions(ctx, sides.baseSide, sides.headSide, s, gungraun.version)
  const measuringMs = Date.now() - t0
  const unit = INSTRUCTION_SUMMARY_UNIT
  writeSummaryFile(join(s.outDir, 'base_summary.json'), instructionSummary(m.base), unit)
  writeSummaryFile(join(s.outDir, 'head_summary.json'), instructionSummary(m.head), unit)
  return {
    comparisons: m.comparisons,
    decision: m.decision,
    rounds: 1,
    cost: { measuringMs, roundMs: [measuringMs] },
    cancelled: false
  }
}

/** One case per id for the summary files: the median over runs of median and mean. */
function pooled(m: Measurements): CriterionCase[] {
  const median = (xs: number[]): number => {
    const v = [...xs].sort((a, b) => a - b)
    const mid = Math.floor(v.length / 2)
    return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
  }
  return [...m.values()].map(runs => ({
    ...runs[0]!,
    medianNs: median(runs.map(r => r.medianNs)),
    meanNs: median(runs.map(r => r.meanNs)),
    sampleCount: runs.reduce((n, r) => n + r.sampleCount, 0)
  }))
}
