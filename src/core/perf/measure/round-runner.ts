/**
 * What runs the rounds of a wall-time compare, and the sequential way to do
 * it: each round runs one side's Criterion process, then the other's (base
 * first in odd rounds, head first in even ones, so each side runs first as
 * often as second), over every case or only the cases asked for. The duet way
 * is in duet.ts. A cancel stops between processes and keeps what was measured.
 */
import { exactFilter, runBench, type BenchContext, type BenchSide } from './bench-runner.js'
import { estimateRoundMs, type RunRecord } from './measuring-cost.js'
import type { CriterionCase } from '../results.js'

/** Per-case measurements of one side: one entry per run that measured the case. */
export type Measurements = Map<string, CriterionCase[]>

/** Runs rounds of both sides and keeps every run's record and each round's wall time. */
export interface RoundRunner {
  readonly base: Measurements
  readonly head: Measurements
  readonly runs: RunRecord[]
  /** Wall time of each round (ms). */
  readonly roundMs: number[]
  /** Rounds started. */
  readonly rounds: number
  /** True once a cancel stopped a round. */
  readonly cancelled: boolean
  /** Bench processes that ran at once in round 1, and how many a round ran. */
  readonly processesPerRound: number
  /** One round over every case, or over `ids` only. */
  round(ids?: readonly string[]): Promise<void>
  /** The expected wall time (ms) of a round over `ids` only, from the rounds so far. */
  estimateMs(ids: readonly string[]): number
}

/** The sum of a runner's rounds (ms). */
export function spentMs(runner: RoundRunner): number {
  return runner.roundMs.reduce((a, b) => a + b, 0)
}

/** The records of one round. */
export function runsOf(runner: RoundRunner, round: number): RunRecord[] {
  return runner.runs.filter(r => r.round === round)
}

/** Sequential rounds: A B, then B A; every compare filter is its own process. */
export class SequentialRunner implements RoundRunner {
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

  get processesPerRound(): number {
    return 2 * Math.max(1, this.filters.length)
  }

  estimateMs(ids: readonly string[]): number {
    return estimateRoundMs(runsOf(this, 1), ids)
  }

  async round(ids?: readonly string[]): Promise<void> {
    const round = ++this.rounds
    const order = round % 2 === 1 ? [this.baseSide, this.headSide] : [this.headSide, this.baseSide]
    const only = ids === undefined ? undefined : exactFilter([...ids])
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

/** Adds a run's cases to a side's measurements. */
export function record(into: Measurements, cases: readonly CriterionCase[]): void {
  for (const c of cases) {
    const list = into.get(c.id) ?? []
    list.push(c)
    into.set(c.id, list)
  }
}
