/**
 * Synthetic histories with a known truth, for the history's tests and
 * `npm run bench:history`: daily points of many cases, log-normal noise of a
 * chosen spread, steps at chosen points, and a runner change where asked.
 */
import { createHash } from 'node:crypto'
import type { Fingerprint, HistoryPoint } from '../../src/core/history/point.js'
import { caseValue } from '../../src/core/history/point.js'

/** A seeded generator (mulberry32): the same series every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw (Box–Muller). */
export function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
}

/** The runner of the synthetic points; `kernel` is what a runner change changes. */
export function fingerprint(
  kernel = '6.8.0-1017-azure',
  metric: Fingerprint['metric'] = 'walltime'
): Fingerprint {
  return {
    cpu: 'AMD EPYC 7763 64-Core Processor',
    cores: 4,
    kernel,
    rustc: 'rustc 1.83.0 (90b35a623 2024-11-26)',
    metric
  }
}

/** What to generate. */
export interface SeriesPlan {
  cases: number
  days: number
  /** SD of the log of a point's value (0.05 = about 5 %). */
  noise: number
  seed: number
  /** Steps: from `day` on, the cases listed are `pct` % slower. */
  steps?: { day: number; cases: number[]; pct: number }[]
  /** From this day on, the runner has another kernel. */
  runnerChangeDay?: number
  /** The first day (UTC), default 2026-01-01. */
  start?: string
  metric?: Fingerprint['metric']
}

/** The case ids of a plan: `Group/K16-V16/<n>`. */
export function caseIds(cases: number): string[] {
  return Array.from(
    { length: cases },
    (_, i) => `${['Put', 'Get', 'Scan', 'Delete', 'Open'][i % 5]}/K16-V16/${i}`
  )
}

/** A fake full sha for day `day`. */
export function sha(day: number, seed = 0): string {
  return createHash('sha1').update(`${seed}:${day}`).digest('hex')
}

/** One point per day, each measured an hour after its commit. */
export function synthPoints(plan: SeriesPlan): HistoryPoint[] {
  const next = random(plan.seed)
  const ids = caseIds(plan.cases)
  const start = Date.parse(plan.start ?? '2026-01-01T00:00:00Z')
  const base = ids.map((_, i) => 20_000 * (1 + (i % 17)))
  return Array.from({ length: plan.days }, (_, day) => {
    const commitTime = new Date(start + day * 86_400_000)
    const slow = (i: number): number =>
      (plan.steps ?? []).reduce(
        (f, s) => (day >= s.day && s.cases.includes(i) ? f * (1 + s.pct / 100) : f),
        1
      )
    const cases = Object.fromEntries(
      ids.map((id, i) => {
        const v = base[i]! * slow(i) * Math.exp(plan.noise * normal(next))
        return [id, plan.noise === 0 ? caseValue(Math.round(v)) : caseValue(v, v * 0.98, v * 1.02)]
      })
    )
    const changed = plan.runnerChangeDay !== undefined && day >= plan.runnerChangeDay
    return {
      commit: sha(day, plan.seed),
      commitTime: commitTime.toISOString(),
      time: new Date(commitTime.getTime() + 3_600_000).toISOString(),
      fingerprint: fingerprint(changed ? '6.11.0-1012-azure' : '6.8.0-1017-azure', plan.metric),
      cases
    }
  })
}
