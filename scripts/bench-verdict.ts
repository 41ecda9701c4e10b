/**
 * `npm run bench:verdict`: the noise-aware verdict of this checkout (with its
 * extra rounds for the suspects) on simulated rounds, where the truth is known
 * and thousands of compares cost seconds. Each model draws the log of each
 * round's estimate; 7 cases, 5 planned rounds, then extra rounds one at a time
 * for the cases `suspects` names, judged after each, up to `--extra` (10, the
 * default `remeasure-rounds`; the time budget is not simulated), a 5 %
 * threshold, duet pairing, two cases slowed in the A/B rows. Prints false
 * alarms (compares that flagged a case that was not slowed), the decisive
 * share (cases not slowed called unchanged), the slowed cases caught and the
 * extra rounds run. A fixed seed: the same checkout prints the same table, and
 * two checkouts see the same rounds until their procedures differ.
 */
import { parseArgs } from 'node:util'
import randn from '@stdlib/random-base-randn'
import randu from '@stdlib/random-base-randu'
import { compareCases, suspects, type CompareOptions } from '../src/core/perf/judge/verdict.js'
import type { CaseComparison } from '../src/core/perf/results.js'

const { values: flags } = parseArgs({
  options: {
    compares: { type: 'string', default: '1000' },
    extra: { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (flags.help) {
  process.stdout.write('npm run bench:verdict -- [--compares 1000] [--extra 10]\n')
  process.exit(0)
}
const COMPARES = Number(flags.compares)
const EXTRA = Number(flags.extra)
const CASES = 7
const SLOWED = 2
const OPTIONS: CompareOptions = {
  gate: 'noise-aware',
  thresholdPct: 5,
  minBaseNs: 0,
  pairing: 'duet'
}

// Seeded Mersenne Twister draws (stdlib): reproducible across machines and Node versions. The
// linear congruential generator with Box–Muller pairs used before does not give normal draws:
// 6,000 simulated A/A compares at 15 % noise flagged 4.0 % with it, 2.6 % with Math.random's
// draws, where the intervals promise 2.5 %.
const uniform = randu.factory({ seed: 12345 })
const gauss = randn.factory({ seed: 54321 })
const each = (f: () => number): number[] => Array.from({ length: CASES }, f)

/** One round: the log noise of each case's base and head process. */
type Round = () => { base: number[]; head: number[] }

/** Noise models: what a round adds to ln(estimate) of each case on each side. */
const MODELS: Record<string, { what: string; round: Round }> = {
  iid5: {
    what: 'independent, SD 5 % per process',
    round: () => ({ base: each(() => 0.05 * gauss()), head: each(() => 0.05 * gauss()) })
  },
  iid8: {
    what: 'independent, SD 8 % per process',
    round: () => ({ base: each(() => 0.08 * gauss()), head: each(() => 0.08 * gauss()) })
  },
  common: {
    what: 'a process-wide 5 % plus 2 % per case',
    round: () => {
      const [b, h] = [0.05 * gauss(), 0.05 * gauss()]
      return { base: each(() => b + 0.02 * gauss()), head: each(() => h + 0.02 * gauss()) }
    }
  },
  modes: {
    what: '1 process in 10 runs 35 % slower, plus 3 %',
    round: () => {
      const [b, h] = [uniform() < 0.1 ? 0.3 : 0, uniform() < 0.1 ? 0.3 : 0]
      return { base: each(() => b + 0.03 * gauss()), head: each(() => h + 0.03 * gauss()) }
    }
  },
  drift: {
    what: 'a 6 % drift both sides of a round share, plus 3 %',
    round: () => {
      const d = 0.06 * gauss()
      return { base: each(() => d + 0.03 * gauss()), head: each(() => d + 0.03 * gauss()) }
    }
  },
  busy: {
    what: 'independent, SD 15 % per process (a busy 2-core runner)',
    round: () => ({ base: each(() => 0.15 * gauss()), head: each(() => 0.15 * gauss()) })
  },
  tails: {
    what: "Student's t with 3 df, scale 10 % per process (heavy tails)",
    round: () => ({ base: each(() => 0.1 * studentT3()), head: each(() => 0.1 * studentT3()) })
  }
}

/** A draw of Student's t with 3 degrees of freedom. */
function studentT3(): number {
  const z = gauss()
  const chi = gauss() ** 2 + gauss() ** 2 + gauss() ** 2
  return z / Math.sqrt(chi / 3)
}

const rows: string[][] = []
for (const [name, model] of Object.entries(MODELS)) {
  for (const slowPct of [0, 5, 10]) {
    const slowed = Array.from({ length: CASES }, (_, i) => `case${i}`).slice(
      0,
      slowPct ? SLOWED : 0
    )
    let alarms = 0
    let unchanged = 0
    let others = 0
    let caught = 0
    let extraRounds = 0
    for (let n = 0; n < COMPARES; n++) {
      const base = new Map<string, number[]>()
      const head = new Map<string, number[]>()
      const round = (only?: readonly string[]): void => {
        const r = model.round()
        for (let i = 0; i < CASES; i++) {
          const id = `case${i}`
          if (only && !only.includes(id)) continue
          const slow = slowed.includes(id) ? Math.log(1 + slowPct / 100) : 0
          base.set(id, [...(base.get(id) ?? []), 1e5 * Math.exp(r.base[i]!)])
          head.set(id, [...(head.get(id) ?? []), 1e5 * Math.exp(r.head[i]! + slow)])
        }
      }
      for (let r = 0; r < 5; r++) round()
      // As rounds.ts measures until decided: one extra round at a time over the suspects, the
      // cases measured again marked so, judged after each round.
      const again = new Set<string>()
      const judge = (): CaseComparison[] =>
        compareCases(base, head, OPTIONS).map(c =>
          again.has(c.id) ? { ...c, remeasured: true } : c
        )
      let judged = judge()
      for (let extra = 0; extra < EXTRA; extra++) {
        const open = suspects(judged)
        if (open.length === 0) break
        round(open)
        for (const id of open) again.add(id)
        extraRounds++
        judged = judge()
      }
      const flagged = judged.filter(c => c.verdict === 'regressed').map(c => c.id)
      if (flagged.some(id => !slowed.includes(id))) alarms++
      caught += slowed.filter(id => flagged.includes(id)).length
      for (const c of judged.filter(c => !slowed.includes(c.id))) {
        others++
        if (c.verdict === 'unchanged') unchanged++
      }
    }
    rows.push([
      name,
      model.what,
      slowPct ? `A/B +${slowPct}%` : 'A/A',
      `${alarms}/${COMPARES} (${pct(alarms, COMPARES)})`,
      `${unchanged}/${others} (${pct(unchanged, others)})`,
      slowPct ? `${caught}/${SLOWED * COMPARES} (${pct(caught, SLOWED * COMPARES)})` : '-',
      (extraRounds / COMPARES).toFixed(1)
    ])
  }
}
const header = [
  'model',
  'noise',
  'head',
  'false alarms',
  'decisive',
  'slowed caught',
  'extra rounds / compare'
]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
const line = (cols: string[]): string =>
  `| ${cols.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
process.stdout.write(
  [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n'
)

function pct(n: number, of: number): string {
  return `${((n / of) * 100).toFixed(1)}%`
}
