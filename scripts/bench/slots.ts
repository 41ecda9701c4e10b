/**
 * What the two slots of a duet round did, read from a finished `bench:gate` run's recorded
 * rounds (`--from FILE --slots`). A duet round starts one side first and pins it to the round's
 * first CPU (duet.ts `duetStartOrder`, `duetCpu`); the order of the rounds decides which side
 * held that slot: since 33261d7 the base in odd rounds and the head in even ones (so the gap
 * between odd and even rounds is the first slot's effect), before it the base in every round,
 * with the CPUs swapped (so the gap is the first CPU's, and the mean the first start's).
 *
 * A case's k recorded rounds are taken as rounds 1…k: extra rounds drop the decided cases, and
 * until 974a5ef never took one back (a case's verdict changed only with rounds of its own).
 * Since then the compare's MAD floor can change a decided case's verdict and bring it back, so
 * a later record's case may skip rounds and mix the parities: read those with care.
 */
import { slowedOf, type CompareRecord, type SlowedCases } from './gate-table.js'

/** One noise level's duet cases (unslowed only for `balanced*`). */
export interface SlotFigures {
  noise: string
  /** Cases with a round of each parity. */
  cases: number
  /** Mean over the cases of half the gap between odd and even rounds' mean ln(head/base) (%). */
  halfGapPct: number
  /** Cases whose odd rounds' mean ratio lies above the even rounds'. */
  oddAbove: number
  /** Unslowed cases, for the balanced figures. */
  unslowed: number
  /** Mean over the unslowed cases of the odd and even rounds' means, averaged (%). */
  balancedPct: number
  /** Unslowed cases whose balanced mean lies above zero. */
  balancedAbove: number
}

/** The recorded rounds a case carries in a bench:gate JSON (ns per round; null for a failure). */
interface RecordedRounds {
  id: string
  baseRounds?: (number | null)[]
  headRounds?: (number | null)[]
}

/**
 * Per noise level, the odd and even rounds of the `gate` compares' cases: ln(head/base) per
 * round in %, each parity's mean, their half gap and their average (a case's rounds balanced
 * over the two parities). A case needs a usable round of each parity.
 */
export function slotFigures(
  records: readonly CompareRecord[],
  slowed: SlowedCases,
  gate = 'duet'
): SlotFigures[] {
  const byNoise = new Map<string, { gaps: number[]; balanced: number[] }>()
  for (const r of records) {
    if (r.gate !== gate) continue
    const cell = byNoise.get(r.noise) ?? { gaps: [], balanced: [] }
    byNoise.set(r.noise, cell)
    for (const c of r.cases as RecordedRounds[]) {
      const odd: number[] = []
      const even: number[] = []
      const base = c.baseRounds ?? []
      const head = c.headRounds ?? []
      for (let i = 0; i < Math.min(base.length, head.length); i++) {
        const b = base[i]
        const h = head[i]
        if (!(typeof b === 'number' && typeof h === 'number' && b > 0 && h > 0)) continue
        // Round i + 1: odd rounds sit at even indexes.
        ;(i % 2 === 0 ? odd : even).push(100 * Math.log(h / b))
      }
      if (odd.length === 0 || even.length === 0) continue
      cell.gaps.push((mean(odd) - mean(even)) / 2)
      const isSlowed = r.slowPct > 0 && slowedOf(slowed, gate).includes(c.id)
      if (!isSlowed) cell.balanced.push((mean(odd) + mean(even)) / 2)
    }
  }
  return [...byNoise].map(([noise, { gaps, balanced }]) => ({
    noise,
    cases: gaps.length,
    halfGapPct: gaps.length === 0 ? NaN : mean(gaps),
    oddAbove: gaps.filter(g => g > 0).length,
    unslowed: balanced.length,
    balancedPct: balanced.length === 0 ? NaN : mean(balanced),
    balancedAbove: balanced.filter(b => b > 0).length
  }))
}

/** The figures as a Markdown table. */
export function renderSlotTable(figures: readonly SlotFigures[]): string {
  const rows = [
    [
      'noise',
      'cases',
      '(odd − even) / 2',
      'odd above even',
      'unslowed cases',
      'balanced mean',
      'balanced above 0'
    ],
    ...figures.map(f => [
      f.noise,
      String(f.cases),
      signed(f.halfGapPct),
      `${f.oddAbove}/${f.cases}`,
      String(f.unslowed),
      signed(f.balancedPct),
      `${f.balancedAbove}/${f.unslowed}`
    ])
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)))
  const line = (r: string[]): string => `| ${r.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  return [line(rows[0]!), line(widths.map(w => '-'.repeat(w))), ...rows.slice(1).map(line)].join(
    '\n'
  )
}

function signed(pct: number): string {
  return Number.isNaN(pct) ? '-' : `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}
