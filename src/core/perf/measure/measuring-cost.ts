/**
 * What a compare's measuring costs, measured rather than assumed. Each run's
 * cases are checked against the budget the flags asked Criterion for, from
 * what Criterion wrote (sample.json: samples and the time they took). A bench
 * that sets its budget per group in code (mace-kv's shape: Criterion prefers
 * that to `--measurement-time` and `--sample-size`) makes every round cost a
 * full run, so split-budget cannot keep a compare near the reference's cost;
 * the rounds are then planned to fit a time budget: a factor of the
 * reference's measuring time (one plain run per side, which round 1 then was)
 * or a stated duration.
 */
import type { CaseBudget, CriterionCase, Interval } from '../results.js'
import { criterionBudget } from './round-budget.js'
import type { TimeBudget } from '../settings.js'
import { formatDuration } from '../../shared/text.js'

/** One bench process of a compare: its side, round, wall time (ms) and cases. */
export interface RunRecord {
  side: 'base' | 'head'
  round: number
  wallMs: number
  cases: CriterionCase[]
}

/** What Criterion ran against what the flags asked for. */
export interface BudgetCheck {
  requested: CaseBudget
  /** Fewest and most samples and measured seconds per case; undefined without sample files. */
  observed?: { cases: number; samples: Interval; measuredSeconds: Interval }
  honoured: boolean
  /** Cases whose samples or time departed from the request (up to five). */
  departedCases: string[]
}

/** The time budget the rounds are planned to fit, when one applies. */
export interface RoundsBudget {
  budgetMs: number
  from: string
  /** One plain run per side (ms), when it was measured. */
  referenceMs?: number
}

/** A case measured for more than this many times the time asked departed from the budget. */
export const STRETCH_FACTOR = 2

const MAX_NAMED = 5

/** The per-case budget the bench arguments ask for (Criterion's defaults where they say nothing). */
export function requestedBudget(benchArgs: readonly string[]): CaseBudget {
  const { warmUpSeconds, measurementSeconds, sampleSize } = criterionBudget(benchArgs)
  return { warmUpSeconds, measurementSeconds, sampleSize }
}

/**
 * Checks the runs' cases against `requested`. The budget is honoured when every case took the
 * samples asked for (Criterion takes exactly its sample size, so another count is a size set
 * in code) and the runs' measuring time stayed within `STRETCH_FACTOR` times the time asked
 * (Criterion stretches a case whose samples do not fit; a time set in code departs further).
 */
export function checkBudget(requested: CaseBudget, runs: readonly RunRecord[]): BudgetCheck {
  const cases = runs.flatMap(r => r.cases).filter(c => c.sampleCount > 0)
  if (cases.length === 0) return { requested, honoured: true, departedCases: [] }
  const seconds = cases.map(c => (c.measuredNs ?? 0) / 1e9)
  const departs = (c: CriterionCase, s: number): boolean =>
    c.sampleCount !== requested.sampleSize || s > STRETCH_FACTOR * requested.measurementSeconds
  const departed = [...new Set(cases.filter((c, i) => departs(c, seconds[i]!)).map(c => c.id))]
  const total = seconds.reduce((a, b) => a + b, 0)
  const honoured =
    cases.every(c => c.sampleCount === requested.sampleSize) &&
    total <= STRETCH_FACTOR * requested.measurementSeconds * cases.length
  const counts = cases.map(c => c.sampleCount)
  return {
    requested,
    observed: {
      cases: new Set(cases.map(c => c.id)).size,
      samples: { low: Math.min(...counts), high: Math.max(...counts) },
      measuredSeconds: { low: Math.min(...seconds), high: Math.max(...seconds) }
    },
    honoured,
    departedCases: departed.slice(0, MAX_NAMED)
  }
}

/**
 * The reference's measuring time (one plain run per side, ms) estimated from round 1's runs. A
 * bench process costs `processMs` to start (a listing process's wall time; 0 when unknown), then
 * per case Criterion's warm-up and measurement (`perCaseMs` asked per case, a wall-clock time
 * Criterion keeps however busy the machine) and the case's own set-up and analysis. The
 * reference starts two processes, runs every case's set-up and analysis once per side as round
 * 1 did, and measures for `scale` times round 1's Criterion time (the rounds a split budget was
 * divided into; 1 when the bench sets its own budget, whose time is then all in the rest).
 */
export function referenceEstimate(
  round1: readonly RunRecord[],
  processMs: number,
  scale: number,
  perCaseMs = 0
): number {
  const total = round1.reduce((ms, r) => ms + r.wallMs, 0)
  const criterion = scale > 1 ? round1.reduce((ms, r) => ms + r.cases.length * perCaseMs, 0) : 0
  const rest = Math.max(0, total - round1.length * processMs - criterion)
  return 2 * processMs + criterion * scale + rest
}

/**
 * The reference's measuring time (ms) from a duet round 1 that ran the full budget (the bench
 * sets it in code, or split-budget is off). Each pair ran a case of both sides at once, on CPUs
 * of their own, for as long as its slower side, so the round lasted about one side's run of
 * the reference; the reference runs two such, one side after the other. A side's run starts one
 * process, where the round started one per pair: the other `pairs - 1` starts (`processMs`
 * each, the bench's own set-up included) are not the reference's. Adding up the per-case
 * processes instead came out 4–15 % below the reference rule's measured time (a process running
 * every case costs more than its cases in processes of their own: docs/benchmarks.md).
 */
export function duetReferenceEstimate(roundMs: number, pairs: number, processMs: number): number {
  return 2 * Math.max(0, roundMs - Math.max(0, pairs - 1) * processMs)
}

/**
 * What a compare pays that the reference does not, left out of what the time budget is charged
 * (ms): the listing of both sides, and in a duet round one process start (a listing process's
 * wall time) per pair beyond the one a side's plain run has. Charging them to the budget left
 * knob_bench (3 cases, each process measuring a full budget set in code) 2 of the 3 paired
 * rounds an interval needs under the default 1.5 ×, which buys exactly 3 duet rounds.
 */
export class OwnCosts {
  private ownMs: number

  /** @param processMs one bench process's start (ms); 0 for sequential rounds. */
  constructor(
    listMs: number,
    private readonly processMs: number
  ) {
    this.ownMs = listMs
  }

  /** The own cost (ms) of a round over `pairs` pairs. */
  roundMs(pairs: number): number {
    return Math.max(0, pairs - 1) * this.processMs
  }

  /** Adds a round over `pairs` pairs that has run. */
  ran(pairs: number): void {
    this.ownMs += this.roundMs(pairs)
  }

  /** `spentMs` (listing and rounds so far) less the own costs in it. */
  charged(spentMs: number): number {
    return Math.max(0, spentMs - this.ownMs)
  }
}

/**
 * True when a round over `pairs` pairs estimated at `nextMs` fits the budget after `spentMs`,
 * the compare's own costs left out of both (all ms).
 */
export function fitsBudget(
  budget: RoundsBudget | undefined,
  spentMs: number,
  next: { ms: number; pairs: number },
  own: OwnCosts
): boolean {
  if (budget === undefined) return true
  const nextCharged = Math.max(0, next.ms - own.roundMs(next.pairs))
  return own.charged(spentMs) + nextCharged <= budget.budgetMs
}

/**
 * How many of the first `wanted` rounds the budget holds on round 1's estimate (`round1Ms` over
 * `pairs` pairs, own costs left out): rounds the plan commits to, so that a later round that runs
 * a few % longer (a busy runner) does not cut the rounds an interval needs (all ms).
 */
export function committedRounds(
  budget: RoundsBudget | undefined,
  round1: { ms: number; pairs: number },
  own: OwnCosts,
  wanted: number
): number {
  if (budget === undefined) return wanted
  const charged = Math.max(1, round1.ms - own.roundMs(round1.pairs))
  return Math.min(wanted, Math.floor(budget.budgetMs / charged + 1e-9))
}

/**
 * The smallest time-budget factor, in tenths, under which measuring that is charged `neededMs`
 * fits, against the reference's `referenceMs` (both ms).
 */
export function factorFor(neededMs: number, referenceMs: number): number {
  return Math.ceil((neededMs / referenceMs) * 10 - 1e-9) / 10
}

/**
 * The budget the rounds must fit: a stated duration, or a factor of the reference's measuring
 * time `referenceMs` (estimated from round 1). Every round after the first must fit it, the
 * planned ones and the extra ones for undecided cases.
 */
export function roundsBudget(budget: TimeBudget, referenceMs: number): RoundsBudget {
  if (budget.kind === 'seconds') {
    return { budgetMs: budget.seconds * 1000, from: budget.from, referenceMs }
  }
  const given = budget.from === 'default' ? 'the default' : budget.from
  return {
    budgetMs: budget.factor * referenceMs,
    from: `${budget.factor} × the reference's measuring time (${given}), estimated from round 1`,
    referenceMs
  }
}

/**
 * The expected wall time (ms) of a round measuring only `ids`: each case's share of the first
 * round's processes, in proportion to the time Criterion spent measuring it (equal shares
 * without sample files).
 */
export function estimateRoundMs(firstRound: readonly RunRecord[], ids: readonly string[]): number {
  const wanted = new Set(ids)
  let ms = 0
  for (const run of firstRound) {
    const weights = run.cases.map(c => c.measuredNs ?? 0)
    const total = weights.reduce((a, b) => a + b, 0)
    run.cases.forEach((c, i) => {
      if (!wanted.has(c.id)) return
      ms += total > 0 ? (run.wallMs * weights[i]!) / total : run.wallMs / run.cases.length
    })
  }
  return ms
}

/**
 * What `rounds` paired rounds (the fewest that give a case an interval) over `pairs` pairs would
 * cost at `roundMs` each, and the time-budget that would allow them, for a compare that ran fewer.
 */
export function intervalShortfall(
  budget: RoundsBudget,
  rounds: number,
  next: { ms: number; pairs: number },
  own: OwnCosts
): string {
  const charged = rounds * Math.max(0, next.ms - own.roundMs(next.pairs))
  const reference = budget.referenceMs
  const allow =
    reference === undefined || reference <= 0
      ? `a time-budget of ${formatDuration(Math.ceil(charged / 1000) * 1000)}`
      : `time-budget ${factorFor(charged, reference)}x`
  const ratio =
    reference === undefined || reference <= 0
      ? ''
      : ` (${(charged / reference).toFixed(2)} × the reference's measuring time, start-ups and listing left out)`
  return (
    `${rounds} paired rounds, the fewest that give a case an interval, would take about ` +
    `${formatDuration(rounds * next.ms)}${ratio}: ${allow} would allow them`
  )
}
