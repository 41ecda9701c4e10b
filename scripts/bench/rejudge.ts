/**
 * Re-judging a finished gate benchmark with the verdict code of this checkout:
 * the recorded per-round estimates of each noise-aware compare are judged
 * again, re-measuring replayed from the record. The first `rounds` rounds are
 * judged; a case the current code calls a suspect is judged on every round
 * the record holds for it when the record re-measured it; a case it does not
 * suspect is judged on the first rounds only. A suspect the record did not
 * re-measure cannot be replayed: it keeps its first-round verdict and is
 * counted in `unreplayed`, so the caller can say how exact the replay is.
 */
import { compareCases, gateDecision, suspects } from '../../src/core/perf/judge/verdict.js'
import type { CompareRecord } from './gate-table.js'

/** A recorded case with its rounds (ns per round, NaN for a failed round). */
interface RoundsCase {
  id: string
  baseRounds?: number[]
  headRounds?: number[]
}

/** The noise-aware gate's settings the replay needs. */
export interface ReplaySettings {
  rounds: number
  thresholdPct: number
  minBaseNs: number
  maxRegressCases: number
  minCompareCases: number
}

/** The records re-judged, and how many suspects could not be replayed. */
export interface Rejudged {
  records: CompareRecord[]
  unreplayed: number
}

/** Re-judges the records of `gate` (a noise-aware gate); other records are kept as they are. */
export function rejudge(
  records: readonly CompareRecord[],
  gate: string,
  s: ReplaySettings
): Rejudged {
  let unreplayed = 0
  const out = records.map(r => {
    if (r.gate !== gate) return r
    const cases = r.cases as (RoundsCase & CompareRecord['cases'][number])[]
    const first = (xs: number[] | undefined): number[] => (xs ?? []).slice(0, s.rounds).map(nan)
    const all = (xs: number[] | undefined): number[] => (xs ?? []).map(nan)
    const options = {
      gate: 'noise-aware' as const,
      thresholdPct: s.thresholdPct,
      minBaseNs: s.minBaseNs
    }
    const firstBase = new Map(cases.map(c => [c.id, first(c.baseRounds)]))
    const firstHead = new Map(cases.map(c => [c.id, first(c.headRounds)]))
    const suspect = new Set(suspects(compareCases(firstBase, firstHead, options)))
    const remeasured = (c: RoundsCase): boolean => (c.baseRounds?.length ?? 0) > s.rounds
    for (const c of cases) if (suspect.has(c.id) && !remeasured(c)) unreplayed++
    const pick = (c: RoundsCase, side: 'baseRounds' | 'headRounds'): number[] =>
      suspect.has(c.id) && remeasured(c) ? all(c[side]) : first(c[side])
    const comparisons = compareCases(
      new Map(cases.map(c => [c.id, pick(c, 'baseRounds')])),
      new Map(cases.map(c => [c.id, pick(c, 'headRounds')])),
      options
    )
    const decision = gateDecision(comparisons, s)
    return {
      ...r,
      passed: decision.passed,
      flagged: comparisons.filter(c => c.verdict === 'regressed').map(c => c.id),
      cases: comparisons.map(c => ({ id: c.id, verdict: c.verdict, delta_pct: c.delta_pct }))
    }
  })
  return { records: out, unreplayed }
}

/** JSON writes a failed round (NaN) as null. */
function nan(x: number | null): number {
  return x === null ? NaN : x
}
