/**
 * Duet rounds (Bulej et al., "Duet Benchmarking", ICPE 2020): base and head
 * measured at the same time, so what the machine does to one it does to the
 * other. Synchronised per case: for each case a base and a head Criterion
 * process start together, each filtered to that case alone and pinned to a
 * CPU of its own where the runner allows (pinning.ts); the sides swap CPUs
 * each round, so a faster core favours neither. A case on one side only
 * (new, or missing) is measured once, alone.
 */
import { exactFilter, runBench, type BenchContext, type BenchSide } from './bench-runner.js'
import type { RunRecord } from './measuring-cost.js'
import { pinnedTo, type DuetCpus } from './pinning.js'
import { record, type Measurements, type RoundRunner } from './round-runner.js'
import type { CriterionCase } from '../results.js'
import { formatDuration } from '../../shared/text.js'

/**
 * The CPU a side runs on in a round: base on the first CPU and head on the second in odd
 * rounds, swapped in even ones, so a faster core favours neither side; none when unpinned.
 */
export function duetCpu(cpus: DuetCpus, side: 'base' | 'head', round: number): number | undefined {
  if (!('cpus' in cpus)) return undefined
  const first = side === 'base' ? 0 : 1
  return cpus.cpus[round % 2 === 1 ? first : 1 - first]
}

/**
 * The order a round starts its two processes in: base first in odd rounds, head first in even
 * ones, so the side started a moment earlier (and ending a moment earlier) is neither always
 * the base nor always the head.
 */
export function duetStartOrder(
  round: number
): readonly ['base', 'head'] | readonly ['head', 'base'] {
  return round % 2 === 1 ? (['base', 'head'] as const) : (['head', 'base'] as const)
}

/** The cases each side lists (case-list.ts), in the order the rounds measure them. */
export interface DuetCases {
  base: readonly string[]
  head: readonly string[]
}

/** Duet rounds over the cases both sides list. */
export class DuetRunner implements RoundRunner {
  readonly base: Measurements = new Map()
  readonly head: Measurements = new Map()
  readonly runs: RunRecord[] = []
  readonly roundMs: number[] = []
  rounds = 0
  cancelled = false
  /** The last wall time (ms) of each case's pair. */
  private readonly pairMs = new Map<string, number>()
  private readonly ids: string[]

  constructor(
    private readonly ctx: BenchContext,
    private readonly baseSide: BenchSide,
    private readonly headSide: BenchSide,
    private readonly cases: DuetCases,
    private readonly cpus: DuetCpus
  ) {
    this.ids = [...new Set([...cases.head, ...cases.base])]
  }

  get processesPerRound(): number {
    return this.ids.reduce(
      (n, id) =>
        n + (this.cases.base.includes(id) ? 1 : 0) + (this.cases.head.includes(id) ? 1 : 0),
      0
    )
  }

  estimateMs(ids: readonly string[]): number {
    return ids.reduce((ms, id) => ms + (this.pairMs.get(id) ?? 0), 0)
  }

  async round(only?: readonly string[]): Promise<void> {
    const round = ++this.rounds
    const t0 = Date.now()
    try {
      for (const [i, id] of this.ids.entries()) {
        if (only !== undefined && !only.includes(id)) continue
        const both = this.cases.base.includes(id) && this.cases.head.includes(id)
        // A case on one side has nothing to pair with: one measurement shows it.
        if (!both && round > 1) continue
        if (this.ctx.signal?.aborted) throw new Error('cancelled')
        await this.pair(id, i + 1, round, only !== undefined)
      }
    } catch (error) {
      if (!this.ctx.signal?.aborted) throw error
      this.cancelled = true
    } finally {
      this.roundMs.push(Date.now() - t0)
    }
  }

  /** One case's base and head processes, started together, each on its CPU of this round. */
  private async pair(id: string, part: number, round: number, extra: boolean): Promise<void> {
    const filter = exactFilter([id])
    const cpuOf = (side: BenchSide): number | undefined => duetCpu(this.cpus, side.name, round)
    const sides = duetStartOrder(round)
      .map(name => (name === 'base' ? this.baseSide : this.headSide))
      .filter(side => (side.name === 'base' ? this.cases.base : this.cases.head).includes(id))
    this.ctx.running?.begin({
      step: extra ? 're-measure' : 'round',
      side: sides.length === 2 ? 'both' : sides[0]!.name,
      round,
      filter
    })
    const started = Date.now()
    const settled = await Promise.allSettled(
      sides.map(side => this.run(side, id, part, round, filter, cpuOf(side)))
    )
    this.ctx.running?.end()
    const wallMs = Date.now() - started
    this.pairMs.set(id, wallMs)
    const failed = settled.find(s => s.status === 'rejected')
    if (failed) throw failed.reason
    const where = sides
      .map(side => {
        const cpu = cpuOf(side)
        return `${side.name}${cpu === undefined ? '' : ` on CPU ${cpu}`}`
      })
      .join(', ')
    this.ctx.logger.info(`perf: round ${round}, ${id}: ${where}, ${formatDuration(wallMs)}`)
  }

  private async run(
    side: BenchSide,
    id: string,
    part: number,
    round: number,
    filter: string,
    cpu: number | undefined
  ): Promise<CriterionCase[]> {
    const started = Date.now()
    const cases = await runBench(this.ctx, side, {
      round,
      part,
      filter,
      quiet: true,
      ...(cpu === undefined ? {} : { prefix: pinnedTo(cpu) })
    })
    // A filter is a regex: keep only the case this pair measures.
    const mine = cases.filter(c => c.id === id)
    this.runs.push({ side: side.name, round, wallMs: Date.now() - started, cases: mine })
    record(side.name === 'base' ? this.base : this.head, mine)
    return mine
  }
}
