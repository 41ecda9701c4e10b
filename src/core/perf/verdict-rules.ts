/**
 * The rules that turn a case's estimate into its verdict, as data: the verdict
 * code walks them in order and the first that holds decides; the renderers
 * print the same objects (`when`), so the explanation a reader sees is the rule
 * the code applied, never separate prose.
 *
 * Noise-aware (the default): `unchanged` is an equivalence test (the whole
 * interval within ±threshold); `regressed` needs the change to be real (the
 * whole interval above 0) and its estimate beyond the threshold. Why this
 * rule and not "the whole interval above the threshold": docs/benchmarks.md.
 */
import type { CaseVerdict, GateKind, Interval } from './results.js'

/** What a rule reads: a case's Δ (%), its interval (%) when it has one, and its threshold (%). */
export interface Evidence {
  deltaPct: number
  ci?: Interval
  thresholdPct: number
}

/** One rule: the verdict, its condition in words, and the same condition as code. */
export interface VerdictRule {
  verdict: CaseVerdict
  /** Reads after "a case is <verdict> when …". */
  when: string
  holds: (e: Evidence) => boolean
}

/** Fewer paired rounds than this give no interval: the noise-aware gate then calls nothing. */
export const MIN_PAIRED_ROUNDS = 3

/** The noise-aware gate's rules, in the order they are tried. */
export const NOISE_AWARE_RULES: readonly VerdictRule[] = [
  {
    verdict: 'inconclusive',
    when: `it has no interval (fewer than ${MIN_PAIRED_ROUNDS} paired rounds), whatever its Δ`,
    holds: e => e.ci === undefined
  },
  {
    verdict: 'regressed',
    when: 'its Δ is above its threshold and its whole interval lies above 0',
    holds: e => e.deltaPct > e.thresholdPct && e.ci!.low > 0
  },
  {
    verdict: 'improved',
    when: 'its Δ is below minus its threshold and its whole interval lies below 0',
    holds: e => e.deltaPct < -e.thresholdPct && e.ci!.high < 0
  },
  {
    verdict: 'unchanged',
    when: 'its whole interval lies within ± its threshold',
    holds: e => e.ci!.low >= -e.thresholdPct && e.ci!.high <= e.thresholdPct
  },
  {
    verdict: 'inconclusive',
    when: 'its interval reaches past ± its threshold without showing a change beyond it',
    holds: () => true
  }
]

/** The reference rule (`gate: threshold`, perf_gate.sh): Δ alone against the threshold. */
export const THRESHOLD_RULES: readonly VerdictRule[] = [
  {
    verdict: 'regressed',
    when: 'its Δ is above its threshold',
    holds: e => e.deltaPct > e.thresholdPct
  },
  {
    verdict: 'improved',
    when: 'its Δ is below minus its threshold',
    holds: e => e.deltaPct < -e.thresholdPct
  },
  { verdict: 'unchanged', when: 'its Δ is within ± its threshold', holds: () => true }
]

/** The rules of a gate. */
export function rulesOf(gate: GateKind): readonly VerdictRule[] {
  return gate === 'threshold' ? THRESHOLD_RULES : NOISE_AWARE_RULES
}

/** The first rule that holds for `e` (the last rule of each table always holds). */
export function firstRule(rules: readonly VerdictRule[], e: Evidence): VerdictRule {
  const rule = rules.find(r => r.holds(e))
  if (!rule) throw new Error('no verdict rule holds: the last rule of a table must always hold')
  return rule
}

/**
 * The rules in one sentence, verdict by verdict in the table's order, conditions of the same
 * verdict joined by "or": `a case is regressed when …; improved when …; inconclusive when … or …`.
 */
export function rulesSentence(rules: readonly VerdictRule[]): string {
  const byVerdict = new Map<CaseVerdict, string[]>()
  for (const r of rules) byVerdict.set(r.verdict, [...(byVerdict.get(r.verdict) ?? []), r.when])
  const parts = [...byVerdict].map(([verdict, whens]) => `${verdict} when ${whens.join(', or ')}`)
  return `a case is ${parts.join('; ')}`
}
