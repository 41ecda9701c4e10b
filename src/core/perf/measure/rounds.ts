/**
 * The measuring half of a perf compare, on sides already built: interleaved
 * rounds (base, head, then head, base, …) so drift hits both sides alike,
 * suspects measured again, and the verdict. The noise-aware gate's rounds
 * share the budget of one Criterion run (round-budget.ts) unless told not to;
 * what each round really cost is measured, and when the bench sets its own
 * budget the rounds are planned to fit a time budget (measuring-cost.ts).
 * A cancelled compare stops between runs and keeps what it measured.
 */
import { exactFilter, runBench, type BenchContext, type BenchSide } from './bench-runner.js'
import {
  checkBudget,
  estimateRoundMs,
  requestedBudget,
  roundsBudget,
  type BudgetCheck,
  type RoundsBudget,
  type RunRecord
} from './measuring-cost.js'
import type { CaseComparison, CriterionCase, MeasuringCost } from '../results.js'
import type { PerfSettings } from '../settings.js'
import { compareCases, gateDecision, suspects, type GateDecision } from '../judge/verdict.js'
import { roundBenchArgs } from './round-budget.js'
import { formatDuration } from '../../shared/text.js'
import { stepProgress } from '../../shared/progress.js'

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
  | 'timeBudget'
  | 'allInconclusive'
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
  /** What the measuring cost and how the rounds were planned. */
  cost: MeasuringCost
  /** The budget check of the first round (what Criterion ran against what was asked). */
  check: BudgetCheck
  /** True when a cancel stopped the rounds: what was measured until then is kept. */
  cancelled: boolean
}

/** Criterion arguments of each run: a k-th of the budget per round when the budget is split. */
export function runBenchArgs(
  s: Pick<RoundSettings, 'gate' | 'splitBudget' | 'benchArgs' | 'rounds'>
): string[] {
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
  const runner = new RoundRunner({ ...ctx, benchArgs }, baseSide, headSide, s.compareFilters)
  const started = Date.now()
  ctx.logger.info(`perf: ${stepProgress('round', 1, s.rounds, 0)}`)
  await runner.round()
  const check = checkBudget(requestedBudget(benchArgs), runner.runsOf(1))
  const plans = s.rounds > 1 || s.remeasureRounds > 0
  const firstRoundMs = runner.roundMs[0] ?? 0
  // One round and no re-measuring (the threshold gate) leaves nothing to plan.
  const budget = plans ? roundsBudget(s.timeBudget, check, firstRoundMs) : undefined
  const cut: string[] = []
  let roundsRun = 1
  for (let r = 2; r <= s.rounds && !runner.cancelled; r++) {
    const next = mean(runner.roundMs)
    if (!fits(budget, runner.spentMs, next)) {
      cut.push(`${s.rounds - r + 1} of ${s.rounds} rounds left out to fit ${budgetText(budget!)}`)
      break
    }
    ctx.logger.info(`perf: ${stepProgress('round', r, s.rounds, Date.now() - started)}`)
    await runner.round()
    roundsRun++
  }
  let comparisons = compare(s, runner.base, runner.head)
  const suspect = runner.cancelled ? [] : suspects(comparisons)
  let ran = 0
  if (s.remeasureRounds > 0 && suspect.length > 0) {
    ctx.logger.info(`Measuring ${suspect.length} suspect case(s) again: ${suspect.join(', ')}`)
    const again = Date.now()
    const firstEstimate = estimateRoundMs(runner.runsOf(1), suspect)
    for (let r = 1; r <= s.remeasureRounds && !runner.cancelled; r++) {
      const next = ran === 0 ? firstEstimate : (runner.roundMs.at(-1) ?? firstEstimate)
      if (!fits(budget, runner.spentMs, next)) {
        const left = s.remeasureRounds - r + 1
        cut.push(
          `${left} of ${s.remeasureRounds} re-measuring rounds left out to fit ${budgetText(budget!)}`
        )
        break
      }
      const at = stepProgress('re-measuring round', r, s.remeasureRounds, Date.now() - again)
      ctx.logger.info(`perf: ${at}`)
      await runner.round(exactFilter(suspect))
      ran++
    }
    if (ran > 0) {
      comparisons = compare(s, runner.base, runner.head).map(c =>
        suspect.includes(c.id) ? { ...c, remeasured: true } : c
      )
    }
  }
  const cost = {
    ...measuringCost(runner, check, budget, s, cut),
    ...(check.honoured || budget !== undefined ? {} : { referenceMs: firstRoundMs }),
    roundsRun,
    remeasureRoundsRun: ran
  }
  return {
    base: runner.base,
    head: runner.head,
    comparisons,
    decision: gateDecision(comparisons, s),
    rounds: runner.rounds,
    benchArgs,
    cost,
    check,
    cancelled: runner.cancelled
  }
}

/** Runs rounds of both sides, keeping every run's record and each round's wall time. */
class RoundRunner {
  readonly base: Measurements = new Map()
  readonly head: Measurements = new Map()
  readonly runs: RunRecord[] = []
  readonly roundMs: number[] = []
  rounds = 0
  cancelled = false

  constructor(
    private readonly ctx: BenchContext,
    private readonly baseSide: BenchSide,
    private readonly headSide: BenchSide,
    private readonly filters: readonly string[]
  ) {}

  get spentMs(): number {
    return this.roundMs.reduce((a, b) => a + b, 0)
  }

  runsOf(round: number): RunRecord[] {
    return this.runs.filter(r => r.round === round)
  }

  /** One round: A B, then B A, so each side runs first as often as second. */
  async round(only?: string): Promise<void> {
    const round = ++this.rounds
    const order = round % 2 === 1 ? [this.baseSide, this.headSide] : [this.headSide, this.baseSide]
    const parts = only ? [only] : this.filters.length > 0 ? this.filters : [undefined]
    const t0 = Date.now()
    try {
      for (const side of order) {
        for (const [part, filter] of parts.entries()) {
          if (this.ctx.signal?.aborted) throw new Error('cancelled')
          const started = Date.now()
          this.ctx.running?.begin({
            step: only ? 're-measure' : 'round',
            side: side.name,
            round,
            ...(filter ? { filter } : {})
          })
          const cases = await runBench(this.ctx, side, {
            round,
            part,
            ...(filter ? { filter } : {})
          })
          this.ctx.running?.end()
          this.runs.push({ side: side.name, round, wallMs: Date.now() - started, cases })
          record(side.name === 'base' ? this.base : this.head, cases)
        }
      }
    } catch (error) {
      if (!this.ctx.signal?.aborted) throw error
      this.cancelled = true
    } finally {
      this.roundMs.push(Date.now() - t0)
    }
  }
}

function fits(budget: RoundsBudget | undefined, spentMs: number, nextMs: number): boolean {
  return budget === undefined || spentMs + nextMs <= budget.budgetMs
}

function budgetText(budget: RoundsBudget): string {
  return `the time budget of ${formatDuration(budget.budgetMs)} (${budget.from})`
}

function measuringCost(
  runner: RoundRunner,
  check: BudgetCheck,
  budget: RoundsBudget | undefined,
  s: RoundSettings,
  cut: string[]
): MeasuringCost {
  const cost: MeasuringCost = {
    measuringMs: runner.spentMs,
    roundMs: [...runner.roundMs],
    requested: check.requested,
    budgetHonoured: check.honoured,
    plannedRounds: s.rounds,
    plannedRemeasureRounds: s.remeasureRounds
  }
  if (check.observed) cost.observed = check.observed
  if (check.departedCases.length > 0) cost.departedCases = check.departedCases
  if (budget?.referenceMs !== undefined) cost.referenceMs = budget.referenceMs
  if (budget) {
    cost.timeBudgetMs = budget.budgetMs
    cost.timeBudgetFrom = budget.from
  }
  if (cut.length > 0) cost.cut = cut.join('; ')
  return cost
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

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length
}
