/**
 * Both sides of a compare: the head and the base worktree built (sharing the
 * compiled dependencies when asked to), then measured by the run's metric,
 * with the reference's summary files written for each side.
 */
import { join } from 'node:path'
import {
  buildBench,
  cargoWorkspace,
  cleanWorkspaceArtifacts,
  type BenchContext,
  type BenchSide
} from './bench-runner.js'
import type { GungraunTarget } from './gungraun-setup.js'
import {
  checkBuiltSide,
  INSTRUCTION_SUMMARY_UNIT,
  instructionSummary,
  measureInstructions
} from './instructions.js'
import type { CaseComparison, CriterionCase } from './results.js'
import { measureRounds, type Measurements } from './rounds.js'
import type { PerfSettings } from './settings.js'
import { toSummaryFile, writeSummaryFile } from './summary-file.js'
import type { GateDecision } from './verdict.js'

/** What a compare measured and decided, whatever the metric. */
export interface MeasuredSides {
  comparisons: CaseComparison[]
  decision: GateDecision
  rounds: number
}

/** Builds head then base, sharing the compiled dependencies when asked to. */
export async function buildSides(
  s: PerfSettings,
  ctx: BenchContext,
  baseDir: string,
  worktreePath: string
): Promise<{ baseSide: BenchSide; headSide: BenchSide }> {
  const workspace = await cargoWorkspace(s.workingDirectory, ctx.env)
  const shared = { ...ctx.env, CARGO_TARGET_DIR: workspace.targetDir }
  // The target dir may hold a base binary of an earlier shared run that cargo would take as fresh.
  await cleanWorkspaceArtifacts(s.workingDirectory, shared, workspace.packages)
  const headSide = await buildBench(ctx, 'head', s.workingDirectory)
  if (s.shareBuild) await cleanWorkspaceArtifacts(baseDir, shared, workspace.packages)
  const baseSide = await buildBench(
    ctx,
    'base',
    baseDir,
    s.shareBuild ? workspace.targetDir : join(worktreePath, 'target')
  )
  // Leave no base binary where the user's next `cargo bench` would take it as fresh.
  if (s.shareBuild) await cleanWorkspaceArtifacts(s.workingDirectory, shared, workspace.packages)
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

/** Instructions: one run per side; the summary files hold the counts, with their unit. */
export async function compareInstructionSides(
  s: PerfSettings,
  ctx: BenchContext,
  sides: { baseSide: BenchSide; headSide: BenchSide; baseDir: string },
  gungraun: GungraunTarget
): Promise<MeasuredSides> {
  await checkBuiltSide(sides.headSide, s.workingDirectory, ctx.env, s.bench, gungraun)
  await checkBuiltSide(sides.baseSide, sides.baseDir, ctx.env, s.bench, gungraun)
  const m = await measureInstructions(ctx, sides.baseSide, sides.headSide, s, gungraun.version)
  const unit = INSTRUCTION_SUMMARY_UNIT
  writeSummaryFile(join(s.outDir, 'base_summary.json'), instructionSummary(m.base), unit)
  writeSummaryFile(join(s.outDir, 'head_summary.json'), instructionSummary(m.head), unit)
  return { comparisons: m.comparisons, decision: m.decision, rounds: 1 }
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
