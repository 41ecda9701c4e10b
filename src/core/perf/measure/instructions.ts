/**
 * The instruction metric of a perf run: gungraun benchmarks run once per side
 * (per filter), their instruction counts (callgrind `Ir`) compared with the
 * threshold rule. Counts of the same binary and input do not move with load,
 * so there are no rounds and no intervals; the other callgrind metrics travel
 * along for information only, since they change between builds of the same
 * code.
 */
import type { BenchContext, BenchSide } from './bench-runner.js'
import { runGungraun } from './gungraun-run.js'
import {
  checkRunner,
  checkValgrind,
  gungraunTarget,
  isGungraunBinary,
  type GungraunTarget
} from './gungraun-setup.js'
import { InputError } from '../../shared/errors.js'
import type { CallgrindPair, CaseComparison, InstructionCase, PerfSummaryFile } from '../results.js'
import type { RoundSettings } from './rounds.js'
import { compareCodePoints } from '../summary-file.js'
import { compareCases, gateDecision, type GateDecision } from '../judge/verdict.js'

/** What the gate compared and decided. */
export interface InstructionCompare {
  base: InstructionCase[]
  head: InstructionCase[]
  comparisons: CaseComparison[]
  decision: GateDecision
}

/**
 * Checks, before anything is built, that the head's bench target can be counted: Valgrind
 * runs, its package depends on gungraun, and gungraun-runner has that version.
 */
export async function prepareInstructions(
  dir: string,
  env: NodeJS.ProcessEnv,
  bench: string
): Promise<GungraunTarget> {
  await checkValgrind(env)
  const target = await gungraunTarget(dir, env, bench)
  await checkRunner(env, target.version)
  return target
}

/**
 * Checks a built side: a gungraun bench binary, and (for the base) built with the head's
 * gungraun, since one runner runs only its own version.
 */
export async function checkBuiltSide(
  side: BenchSide,
  dir: string,
  env: NodeJS.ProcessEnv,
  bench: string,
  head: GungraunTarget
): Promise<void> {
  if (side.name === 'base') {
    const base = await gungraunTarget(dir, env, bench)
    if (base.version !== head.version) {
      throw new Error(
        `The base builds with gungraun ${base.version} and the head with ${head.version}: one ` +
          "gungraun-runner runs only its own version, and counts of different gungraun versions differ. Compare with a base that has the head's gungraun, or use metric walltime for this change."
      )
    }
  }
  if (!isGungraunBinary(side.executable)) {
    throw new InputError(
      `Invalid bench '${bench}' for metric instructions: the ${side.name} binary of that target ` +
        "is not a gungraun bench (it never starts gungraun-runner). Name the bench target whose main is gungraun's main!, or use metric walltime for a Criterion bench."
    )
  }
}

/** Runs a side once per filter (or once) and returns its cases; the first run of a case wins. */
export async function measureSide(
  ctx: BenchContext,
  side: BenchSide,
  filters: readonly string[],
  gungraunVersion: string
): Promise<InstructionCase[]> {
  const parts = filters.length > 0 ? filters : [undefined]
  const cases = new Map<string, InstructionCase>()
  for (const [part, filter] of parts.entries()) {
    const label = { round: 1, part, ...(filter === undefined ? {} : { filter }) }
    ctx.running?.begin({
      step: 'round',
      side: side.name,
      round: 1,
      rounds: 1,
      ...(filter === undefined ? {} : { filter })
    })
    for (const c of await runGungraun(ctx, side, label, gungraunVersion)) {
      if (!cases.has(c.id)) cases.set(c.id, c)
    }
    ctx.running?.end()
  }
  if (cases.size === 0) {
    const which = filters.length > 0 ? `the filters ${filters.join(', ')} match` : 'it has'
    throw new Error(
      `gungraun wrote no benchmark summary for the ${side.name} of bench '${ctx.bench}': check ` +
        `that ${which} benchmarks (\`cargo bench --bench ${ctx.bench} -- --list\`). No case ` +
        'measured is a failure, never a pass.'
    )
  }
  return [...cases.values()].sort((a, b) => compareCodePoints(a.id, b.id))
}

/** Measures base then head and decides the gate. */
export async function measureInstructions(
  ctx: BenchContext,
  baseSide: BenchSide,
  headSide: BenchSide,
  s: RoundSettings,
  gungraunVersion: string
): Promise<InstructionCompare> {
  const base = await measureSide(ctx, baseSide, s.compareFilters, gungraunVersion)
  const head = await measureSide(ctx, headSide, s.compareFilters, gungraunVersion)
  const comparisons = compareInstructionCases(base, head, s)
  return { base, head, comparisons, decision: gateDecision(comparisons, s) }
}

/**
 * Compares counts case by case: regressed when a count grows by more than its threshold
 * (strictly), improved when it shrinks by more. Sorted as every compare: largest Δ first.
 */
export function compareInstructionCases(
  base: readonly InstructionCase[],
  head: readonly InstructionCase[],
  s: Pick<RoundSettings, 'regressPct' | 'caseThresholds'>
): CaseComparison[] {
  const counts = (cases: readonly InstructionCase[]): Map<string, number[]> =>
    new Map(cases.map(c => [c.id, [c.instructions]]))
  const baseById = new Map(base.map(c => [c.id, c]))
  const headById = new Map(head.map(c => [c.id, c]))
  return compareCases(counts(base), counts(head), {
    gate: 'threshold',
    thresholdPct: s.regressPct,
    minBaseNs: 0,
    caseThresholds: s.caseThresholds
  }).map(c => asInstructions(c, baseById.get(c.id), headById.get(c.id)))
}

/** The reference's summary file shape, holding counts: median_ns and mean_ns are the count. */
export function instructionSummary(cases: readonly InstructionCase[]): PerfSummaryFile {
  const summary: PerfSummaryFile = { count: cases.length, cases: {} }
  for (const c of cases)
    summary.cases[c.id] = { median_ns: c.instructions, mean_ns: c.instructions }
  return summary
}

/** The extra top-level field of an instruction summary file, saying what its numbers are. */
export const INSTRUCTION_SUMMARY_UNIT = { unit: 'instructions' } as const

// The verdict's times become counts, with the callgrind metrics of both sides alongside.
function asInstructions(
  c: CaseComparison,
  base: InstructionCase | undefined,
  head: InstructionCase | undefined
): CaseComparison {
  const { baseNs, headNs, ...rest } = c
  const out: CaseComparison = { ...rest }
  if (baseNs !== undefined) out.baseInstructions = baseNs
  if (headNs !== undefined) out.headInstructions = headNs
  if (c.delta_pct !== undefined && (c.verdict === 'regressed' || c.verdict === 'improved')) {
    // Counts are exact: two decimals keep a change just past a 1 % threshold readable.
    const side = c.verdict === 'regressed' ? 'above the ' : 'below the -'
    out.reason = `${signedPct(c.delta_pct)} is ${side}${c.thresholdPct}% threshold`
  }
  const names = new Set([
    ...Object.keys(base?.callgrind ?? {}),
    ...Object.keys(head?.callgrind ?? {})
  ])
  if (names.size > 0) {
    const pairs: Record<string, CallgrindPair> = {}
    for (const name of [...names].sort(compareCodePoints)) {
      const pair: CallgrindPair = {}
      if (base?.callgrind[name] !== undefined) pair.base = base.callgrind[name]
      if (head?.callgrind[name] !== undefined) pair.head = head.callgrind[name]
      pairs[name] = pair
    }
    out.callgrind = pairs
  }
  return out
}

function signedPct(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`
}
