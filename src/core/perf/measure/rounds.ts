/**
 * The measuring half of a wall-time compare, on sides already built: the
 * planned rounds (duet or sequential, round-runner.ts and duet.ts), then
 * extra rounds for the undecided cases only, until each is decided or the
 * time budget is spent, and the verdict. The noise-aware gate's planned
 * rounds share the budget of one Criterion run (round-budget.ts); what each
 * round really cost is measured, and the time budget is a factor of the
 * reference's measuring time (one plain run per side), estimated from round 1
 * (measuring-cost.ts). A cancelled compare keeps what it measured.
 */
import type { BenchContext, BenchSide } from './bench-runner.js'
import { listSides } from './case-list.js'
import { criterionFilter } from '../compare-filters.js'
import { DuetRunner } from './duet.js'
import {
  checkBudget,
  committedRounds,
  duetReferenceEstimate,
  fitsBudget,
  intervalShortfall,
  OwnCosts,
  referenceEstimate,
  requestedBudget,
  roundsBudget,
  type BudgetCheck,
  type RoundsBudget
} from './measuring-cost.js'
import { duetCpus } from './pinning.js'
import {
  runsOf,
  SequentialRunner,
  spentMs,
  type Measurements,
  type RoundRunner
} from './round-runner.js'
import type { CaseComparison, MeasuringCost, PairingFacts } from '../results.js'
import type { PerfSettings } from '../settings.js'
import {
  compareCases,
  gateDecision,
  MIN_PAIRED_ROUNDS,
  suspects,
  type GateDecision
} from '../judge/verdict.js'
import { roundBenchArgs } from './round-budget.js'
import { formatDuration } from '../../shared/text.js'
import type { Logger } from '../../shared/logger.js'
import { stepProgress } from '../../shared/progress.js'

export type { Measurements } from './round-runner.js'

/** The settings the rounds and the verdict read. */
export type RoundSettings = Pick<
  PerfSettings,
  | 'gate'
  | 'rounds'
  | 'remeasureRounds'
  | 'pairing'
  | 'splitBudget'
  | 'benchArgs'
  | 'compareFilters'
  | 'compareFiltersFrom'
  | 'regressPct'
  | 'minBaseNs'
  | 'caseThresholds'
  | 'maxRegressCases'
  | 'minCompareCases'
  | 'minCompareCasesFrom'
  | 'timeBudget'
  | 'inconclusive'
>

/** What the rounds measured and what the gate made of it. */
export interface MeasuredCompare {
  base: Measurements
  head: Measurements
  comparisons: CaseComparison[]
  decision: GateDecision
  /** Rounds run, extra rounds included. */
  rounds: number
  /** Criterion arguments each run got. */
  benchArgs: string[]
  /** What the measuring cost and how the rounds were planned. */
  cost: MeasuringCost
  /** The budget check of the first round (what Criterion ran against what was asked). */
  check: BudgetCheck
  /** How the rounds paired the sides. */
  pairing: PairingFacts
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

/** Measures both built sides in rounds, then the undecided cases until decided, and judges. */
export async function measureRounds(
  ctx: BenchContext,
  baseSide: BenchSide,
  headSide: BenchSide,
  s: RoundSettings
): Promise<MeasuredCompare> {
  const benchArgs = runBenchArgs(s)
  const runCtx = { ...ctx, benchArgs }
  const started = Date.now()
  const { runner, pairing, processMs, listMs } = await startRunner(runCtx, baseSide, headSide, s)
  ctx.logger.info(`perf: ${stepProgress('round', 1, s.rounds, 0)} (${pairingText(pairing)})`)
  await runner.round()
  const check = checkBudget(requestedBudget(benchArgs), runsOf(runner, 1))
  const splitRounds = s.gate === 'noise-aware' && s.splitBudget && check.honoured ? s.rounds : 1
  const asked = check.requested
  const perCaseMs = (asked.warmUpSeconds + asked.measurementSeconds) * 1000
  const round1 = runsOf(runner, 1)
  const pairs = new Set(round1.map(r => r.cases[0]?.id)).size
  const duet = s.pairing === 'duet'
  // A duet round that ran the full budget lasted about one side's run of the reference.
  const referenceMs =
    duet && splitRounds === 1
      ? duetReferenceEstimate(runner.roundMs[0]!, pairs, processMs)
      : referenceEstimate(round1, processMs, splitRounds, perCaseMs)
  const own = new OwnCosts(listMs, duet ? processMs : 0)
  own.ran(pairs)
  const budget = s.gate === 'noise-aware' ? roundsBudget(s.timeBudget, referenceMs) : undefined
  const cut: string[] = []
  const spent = (): number => spentMs(runner) + listMs
  let roundsRun = 1
  const round1Ms = { ms: runner.roundMs[0]!, pairs }
  const committed = committedRounds(budget, round1Ms, own, MIN_PAIRED_ROUNDS)
  for (let r = 2; r <= s.rounds && !runner.cancelled; r++) {
    const next = mean(runner.roundMs)
    if (r > committed && !fitsBudget(budget, spent(), { ms: next, pairs }, own)) {
      cut.push(`${s.rounds - r + 1} of ${s.rounds} rounds left out to fit ${budgetText(budget!)}`)
      if (r <= MIN_PAIRED_ROUNDS) {
        cut.push(intervalShortfall(budget!, MIN_PAIRED_ROUNDS, { ms: next, pairs }, own))
      }
      break
    }
    ctx.logger.info(`perf: ${stepProgress('round', r, s.rounds, Date.now() - started)}`)
    await runner.round()
    own.ran(pairs)
    roundsRun++
  }
  const extra = await untilDecided(runner, s, { budget, cut, spent, own }, ctx.logger)
  const comparisons = extra.comparisons
  const cost: MeasuringCost = {
    ...measuringCost(runner, check, budget, s, cut),
    measuringMs: spent(),
    referenceMs,
    roundsRun,
    remeasureRoundsRun: extra.ran,
    stoppedBy: extra.stoppedBy
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
    pairing,
    cancelled: runner.cancelled
  }
}

/**
 * The runner the pairing asks for, after listing each side's cases (a filter that selects none is
 * refused, a binary that is not Criterion named); a duet runs the listed cases.
 */
async function startRunner(
  ctx: BenchContext,
  baseSide: BenchSide,
  headSide: BenchSide,
  s: RoundSettings
): Promise<{ runner: RoundRunner; pairing: PairingFacts; processMs: number; listMs: number }> {
  const sides = { base: baseSide, head: headSide }
  const { base, head } = await listSides(ctx, sides, s.compareFilters, s.compareFiltersFrom)
  // One listing process is a bench process's fixed cost: start-up, no measuring.
  const processMs = Math.min(base.wallMs, head.wallMs)
  const listMs = base.totalMs + head.totalMs
  if (s.pairing !== 'duet') {
    const filters = s.compareFilters.map(criterionFilter)
    const runner = new SequentialRunner(ctx, baseSide, headSide, filters)
    return { runner, pairing: { mode: 'sequential' }, processMs, listMs }
  }
  const cpus = duetCpus()
  const pairing: PairingFacts =
    'cpus' in cpus ? { mode: 'duet', cpus: cpus.cpus } : { mode: 'duet', unpinned: cpus.unpinned }
  const runner = new DuetRunner(ctx, baseSide, headSide, { base: base.ids, head: head.ids }, cpus)
  return { runner, pairing, processMs, listMs }
}

/**
 * Extra rounds over the undecided cases only (suspects: inconclusive, or regressed and not yet
 * measured again), one at a time, while the time budget allows and remeasure-rounds lasts.
 */
async function untilDecided(
  runner: RoundRunner,
  s: RoundSettings,
  plan: { budget: RoundsBudget | undefined; cut: string[]; spent: () => number; own: OwnCosts },
  logger: Logger
): Promise<{ comparisons: CaseComparison[]; ran: number; stoppedBy: MeasuringCost['stoppedBy'] }> {
  const started = Date.now()
  const again = new Set<string>()
  const judge = (): CaseComparison[] =>
    compare(s, runner.base, runner.head).map(c =>
      again.has(c.id) ? { ...c, remeasured: true } : c
    )
  let comparisons = judge()
  let ran = 0
  for (;;) {
    const open = runner.cancelled ? [] : suspects(comparisons)
    if (open.length === 0)
      return { comparisons, ran, stoppedBy: s.remeasureRounds === 0 ? 'planned' : 'decided' }
    if (ran >= s.remeasureRounds) {
      return { comparisons, ran, stoppedBy: s.remeasureRounds === 0 ? 'planned' : 'max-rounds' }
    }
    const next = runner.estimateMs(open)
    const { budget } = plan
    if (!fitsBudget(budget, plan.spent(), { ms: next, pairs: open.length }, plan.own)) {
      plan.cut.push(
        `${open.length} undecided ${open.length === 1 ? 'case' : 'cases'} not measured again: ` +
          `the next round would pass ${budgetText(budget!)}`
      )
      return { comparisons, ran, stoppedBy: 'budget' }
    }
    const at = stepProgress('extra round', ran + 1, s.remeasureRounds, Date.now() - started)
    logger.info(`perf: ${at} for ${open.length} undecided case(s): ${open.join(', ')}`)
    await runner.round(open)
    plan.own.ran(open.length)
    for (const id of open) again.add(id)
    ran++
    comparisons = judge()
  }
}

function budgetText(budget: RoundsBudget): string {
  return `the time budget of ${formatDuration(budget.budgetMs)} (${budget.from})`
}

/** `duet, base and head on CPUs 0 and 1`, `duet, unpinned: …`, or `sequential`. */
export function pairingText(p: PairingFacts): string {
  if (p.mode === 'sequential') return 'sequential rounds'
  if (p.cpus)
    return `duet rounds, base and head pinned to CPUs ${p.cpus[0]} and ${p.cpus[1]}, swapped each round`
  return `duet rounds, unpinned: ${p.unpinned ?? 'no CPUs to pin to'}`
}

function measuringCost(
  runner: RoundRunner,
  check: BudgetCheck,
  budget: RoundsBudget | undefined,
  s: RoundSettings,
  cut: string[]
): MeasuringCost {
  const cost: MeasuringCost = {
    measuringMs: spentMs(runner),
    roundMs: [...runner.roundMs],
    requested: check.requested,
    budgetHonoured: check.honoured,
    plannedRounds: s.rounds,
    plannedRemeasureRounds: s.remeasureRounds
  }
  if (check.observed) cost.observed = check.observed
  if (check.departedCases.length > 0) cost.departedCases = check.departedCases
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
    caseThresholds: s.caseThresholds,
    pairing: s.pairing
  })
}

function estimates(m: Measurements): Map<string, number[]> {
  return new Map([...m].map(([id, runs]) => [id, runs.map(r => r.medianNs)]))
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length
}
