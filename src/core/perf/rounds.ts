/**
 * The measuring half of a perf compare, on sides already built: interleaved
 * rounds (base, head, then head, base, …) so drift hits both sides alike,
 * suspects measured again, and the verdict. The noise-aware gate's rounds
 * share the budget of one Criterion run (round-budget.ts) unless told not to.
 */
import { exactFilter, runBench, type BenchContext, type BenchSide } from './bench-runner.js'
import type { CaseComparison, CriterionCase } from './results.js'
import type { PerfSettings } from './settings.js'
import { compareCases, gateDecision, suspects, type GateDecision } from './verdict.js'
import { roundBenchArgs } from './round-budget.js'
import { stepProgress } from '../shared/progress.js'

/** Per-case measurements of one side: one entry per run that measured the case. */
export type Measurements = Map<string, CriterionCase[]>

/** The settings the rounds and the verdict read. */
export type RoundSettings = Pick<
  PerfSettings,
  | 'gate'
  | 'rounds'
  | 'remeasureRounds'
  | 'splitBudget'
  | 'benchArgs'
  | 'compareFilters'
  | 'regressPct'
  | 'minBaseNs'
  | 'caseThresholds'
  | 'maxRegressCases'
  | 'minCompareCases'
>

/** What the rounds measured and what the gate made of it. */
export interface MeasuredCompare {
  base: Measurements
  head: Measurements
  comparisons: CaseComparison[]
  decision: GateDecision
  /** Rounds run, re-measuring rounds included. */
  rounds: number
  /** Criterion arguments each run got. */
  benchArgs: string[]
}

/** Criterion arguments of each run: a k-th of the budget per round when the budget is split. */
export function runBenchArgs(s: RoundSettings): string[] {
  return s.gate === 'noise-aware' && s.splitBudget
    ? roundBenchArgs(s.benchArgs, s.rounds)
    : [...s.benchArgs]
}

/** Measures both built sides in interleaved rounds, re-measures suspects, decides the gate. */
export async function measureRounds(
  ctx: BenchContext,
  baseSide: BenchSide,
  headSide: BenchSide,
  s: RoundSettings
): Promise<MeasuredCompare> {
  const benchArgs = runBenchArgs(s)
  const runCtx: BenchContext = { ...ctx, benchArgs }
  const base: Measurements = new Map()
  const head: Measurements = new Map()
  const filters = s.compareFilters.length > 0 ? s.compareFilters : [undefined]
  let rounds = 0
  const measure = async (round: number, only?: string): Promise<void> => {
    // A B, then B A: each side runs first as often as second.
    const order: BenchSide[] = round % 2 === 1 ? [baseSide, headSide] : [headSide, baseSide]
    for (const side of order) {
      const parts = only ? [only] : filters
      for (const [part, filter] of parts.entries()) {
        const cases = await runBench(runCtx, side, {
          round,
          part,
          ...(filter ? { filter } : {})
        })
        record(side.name === 'base' ? base : head, cases)
      }
    }
  }
  const started = Date.now()
  for (let r = 1; r <= s.rounds; r++) {
    ctx.logger.info(`perf: ${stepProgress('round', r, s.rounds, Date.now() - started)}`)
    await measure(++rounds)
  }
  let comparisons = compare(s, base, head)
  const suspect = suspects(comparisons)
  if (s.remeasureRounds > 0 && suspect.length > 0) {
    ctx.logger.info(`Measuring ${suspect.length} suspect case(s) again: ${suspect.join(', ')}`)
    const again = Date.now()
    for (let r = 1; r <= s.remeasureRounds; r++) {
      const at = stepProgress('re-measuring round', r, s.remeasureRounds, Date.now() - again)
      ctx.logger.info(`perf: ${at}`)
      await measure(++rounds, exactFilter(suspect))
    }
    comparisons = compare(s, base, head).map(c =>
      suspect.includes(c.id) ? { ...c, remeasured: true } : c
    )
  }
  return {
    base,
    head,
    comparisons,
    decision: gateDecision(comparisons, s),
    rounds,
    benchArgs
  }
}

function compare(s: RoundSettings, base: Measurements, head: Measurements): CaseComparison[] {
  return compareCases(estimates(base), estimates(head), {
    gate: s.gate,
    thresholdPct: s.regressPct,
    minBaseNs: s.minBaseNs,
    caseThresholds: s.caseThresholds
  })
}

function record(into: Measurements, cases: CriterionCase[]): void {
  for (const c of cases) {
    const list = into.get(c.id) ?? []
    list.push(c)
    into.set(c.id, list)
  }
}

function estimates(m: Measurements): Map<string, number[]> {
  return new Map([...m].map(([id, runs]) => [id, runs.map(r => r.medianNs)]))
}
