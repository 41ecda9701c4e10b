/**
 * The instruction gate in the accuracy benchmark: action-perf's `metric:
 * instructions` exactly as a user gets it (only the threshold may be given),
 * on the fixture's gungraun bench, measured with the perf core's own code
 * (`measureInstructions`: one run per side, the verdict) on sides built once.
 */
import { join } from 'node:path'
import type { BenchContext, BenchSide } from '../../src/core/perf/measure/bench-runner.js'
import {
  measureInstructions,
  prepareInstructions
} from '../../src/core/perf/measure/instructions.js'
import { resolvePerfSettings, type PerfSettings } from '../../src/core/perf/settings.js'
import type { CaseComparison } from '../../src/core/perf/results.js'
import type { GateDecision } from '../../src/core/perf/judge/verdict.js'

/** The fixture's gungraun bench target. */
export const IAI_BENCH = 'iai'

/**
 * The gungraun cases the slowed heads slow, the same operations as the wall-time benchmark's
 * slowed `Put/K100-V1024/16` and `Scan/K16-V16/1000`.
 */
export const IAI_SLOWED = ['iai::store::put::k100_v1024_100', 'iai::store::scan::k16_v16_100']

/** Settings of the instruction gate: the defaults, and the threshold when one is given. */
export async function instructionSettings(
  root: string,
  thresholdPct: string | undefined
): Promise<PerfSettings> {
  const given: Record<string, string> = {
    metric: 'instructions',
    bench: IAI_BENCH,
    ...(thresholdPct === undefined ? {} : { 'regress-pct': thresholdPct })
  }
  return resolvePerfSettings({ get: n => given[n], describe: n => `--${n}` }, {}, root, root)
}

/**
 * Checks Valgrind and the runner against the fixture's gungraun, before any build, and returns
 * that gungraun's version. Throws the perf core's own error, naming the fix.
 */
export async function checkInstructionGate(root: string, env: NodeJS.ProcessEnv): Promise<string> {
  return (await prepareInstructions(join(root, 'fixture'), env, IAI_BENCH)).version
}

/** One instruction compare of two built sides. */
export async function compareInstructions(
  ctx: BenchContext,
  base: BenchSide,
  head: BenchSide,
  s: PerfSettings,
  gungraunVersion: string
): Promise<{ comparisons: CaseComparison[]; decision: GateDecision; rounds: number }> {
  const runCtx: BenchContext = { ...ctx, bench: IAI_BENCH, benchArgs: s.benchArgs }
  const m = await measureInstructions(runCtx, base, head, s, gungraunVersion)
  return { comparisons: m.comparisons, decision: m.decision, rounds: 1 }
}
