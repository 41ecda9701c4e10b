/** The gate benchmark's cells: counts per (noise, head, gate) and the table printed from them. */

/** The slowed case ids of each gate (its bench's ids), or one list for every gate. */
export type SlowedCases = readonly string[] | Readonly<Record<string, readonly string[]>>

/** One case of a compare, as the JSON keeps it. */
export interface RecordedCase {
  id: string
  verdict: string
  delta_pct?: number
}

/** One compare of the benchmark, as written to the JSON. */
export interface CompareRecord {
  noise: string
  variant: string
  slowPct: number
  gate: string
  run: number
  wallMs: number
  /** One-minute load average when the compare ended (other work on the machine). */
  load1: number
  passed: boolean
  /** pass, fail or not-judged (absent in records written before it). */
  outcome?: string
  rounds: number
  /** Median of the cases' resolution (half the interval, %), when any had one. */
  resolutionPct?: number
  /** Why the extra rounds stopped. */
  stoppedBy?: string
  /** The reference's measuring time as the compare estimated it (ms). */
  referenceMs?: number
  /** Cases the gate called regressed. */
  flagged: string[]
  cases: RecordedCase[]
}

/** One cell of the table. */
export interface Cell {
  noise: string
  variant: string
  slowPct: number
  gate: string
  runs: number
  /** Runs whose gate failed. */
  failedRuns: number
  /** Runs in which every slowed case was flagged (A/B only). */
  caughtRuns: number
  /** Slowed cases flagged, summed over runs, and how many there were (A/B only). */
  slowedFlagged: number
  slowedTotal: number
  /** Runs in which exactly the slowed cases were flagged (A/A: none). */
  exactRuns: number
  /** Runs in which a case that was not slowed was flagged. */
  otherFlaggedRuns: number
  flaggedPerRun: number
  totalWallS: number
  /** A/A only: cases compared, and those called unchanged (not inconclusive, not flagged). */
  aaCases: number
  aaUnchanged: number
  /** A/B only: the median Δ (%) the gate measured on the slowed cases. */
  slowedDeltaPct?: number
  /** Runs whose outcome was not-judged (a case left inconclusive). */
  notJudgedRuns: number
  /** Median over the cell's compares of their resolution (%). */
  resolutionPct?: number
  /** Median one-minute load average at the end of the cell's compares. */
  load1?: number
}

/** The cases a gate saw slowed: one list for every gate, or a list per gate (ids differ by bench). */
export function slowedOf(slowed: SlowedCases, gate: string): readonly string[] {
  if (isList(slowed)) return slowed
  return slowed[gate] ?? []
}

function isList(slowed: SlowedCases): slowed is readonly string[] {
  return Array.isArray(slowed)
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined
  const v = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

/** Counts per cell, in the order the cells first appear. */
export function summarise(records: readonly CompareRecord[], slowed: SlowedCases): Cell[] {
  const cells = new Map<string, Cell>()
  const deltas = new Map<string, number[]>()
  const resolutions = new Map<string, number[]>()
  const loads = new Map<string, number[]>()
  for (const r of records) {
    const key = `${r.noise}|${r.variant}|${r.gate}`
    const cell = cells.get(key) ?? emptyCell(r)
    const expected = r.slowPct > 0 ? slowedOf(slowed, r.gate) : []
    const others = r.flagged.filter(id => !expected.includes(id))
    const caught = expected.every(id => r.flagged.includes(id))
    cell.runs++
    if (!r.passed) cell.failedRuns++
    if (r.outcome === 'not-judged') cell.notJudgedRuns++
    if (r.resolutionPct !== undefined) {
      resolutions.set(key, [...(resolutions.get(key) ?? []), r.resolutionPct])
    }
    loads.set(key, [...(loads.get(key) ?? []), r.load1])
    if (r.slowPct > 0 && caught) cell.caughtRuns++
    cell.slowedFlagged += expected.filter(id => r.flagged.includes(id)).length
    cell.slowedTotal += expected.length
    if (caught && others.length === 0) cell.exactRuns++
    if (others.length > 0) cell.otherFlaggedRuns++
    cell.flaggedPerRun += r.flagged.length
    cell.totalWallS += r.wallMs / 1000
    const compared = r.cases.filter(c => c.delta_pct !== undefined && c.delta_pct !== null)
    if (r.slowPct === 0) {
      cell.aaCases += compared.length
      cell.aaUnchanged += compared.filter(c => c.verdict === 'unchanged').length
    }
    const slowedDeltas = deltas.get(key) ?? []
    for (const c of compared) if (expected.includes(c.id)) slowedDeltas.push(c.delta_pct!)
    deltas.set(key, slowedDeltas)
    cells.set(key, cell)
  }
  return [...cells].map(([key, c]) => {
    const slowedDeltaPct = median(deltas.get(key) ?? [])
    const resolutionPct = median(resolutions.get(key) ?? [])
    const load1 = median(loads.get(key) ?? [])
    return {
      ...c,
      ...(resolutionPct === undefined ? {} : { resolutionPct: round(resolutionPct, 1) }),
      ...(load1 === undefined ? {} : { load1: round(load1, 1) }),
      flaggedPerRun: round(c.flaggedPerRun / c.runs, 2),
      totalWallS: round(c.totalWallS, 1),
      ...(slowedDeltaPct === undefined ? {} : { slowedDeltaPct: round(slowedDeltaPct, 2) })
    }
  })
}

function emptyCell(r: CompareRecord): Cell {
  return {
    noise: r.noise,
    variant: r.variant,
    slowPct: r.slowPct,
    gate: r.gate,
    runs: 0,
    failedRuns: 0,
    caughtRuns: 0,
    slowedFlagged: 0,
    slowedTotal: 0,
    exactRuns: 0,
    otherFlaggedRuns: 0,
    flaggedPerRun: 0,
    totalWallS: 0,
    aaCases: 0,
    aaUnchanged: 0,
    notJudgedRuns: 0
  }
}

/**
 * A plain-text table: one row per noise × head × gate. _decisive_ is the share of A/A cases
 * called unchanged (not inconclusive, not flagged); _slowed Δ_ the median Δ the gate measured on
 * the slowed cases; the wall columns compare each cell with the two wall-time gates.
 */
export function renderTable(cells: readonly Cell[]): string {
  const header = [
    'noise',
    'head',
    'gate',
    'runs',
    'gate failed',
    'all slowed caught',
    'slowed cases caught',
    'slowed Δ',
    'exactly slowed',
    'other flagged',
    'decisive',
    'not judged',
    'resolves',
    'flagged/run',
    'wall s',
    's/compare',
    'wall vs ref',
    'load'
  ]
  const wallOf = (gate: string): Map<string, number> =>
    new Map(cells.filter(c => c.gate === gate).map(c => [`${c.noise}|${c.variant}`, c.totalWallS]))
  const refWall = wallOf('reference')
  const versus = (c: Cell, walls: Map<string, number>): string => {
    const other = walls.get(`${c.noise}|${c.variant}`)
    return other ? `${(c.totalWallS / other).toFixed(2)}×` : '-'
  }
  const rows = [...cells]
    .sort((a, b) => order(a) - order(b))
    .map(c => [
      c.noise,
      c.slowPct > 0 ? `A/B +${c.slowPct}%` : 'A/A',
      c.gate,
      String(c.runs),
      rate(c.failedRuns, c.runs),
      c.slowPct > 0 ? rate(c.caughtRuns, c.runs) : '-',
      c.slowPct > 0 ? rate(c.slowedFlagged, c.slowedTotal) : '-',
      c.slowedDeltaPct === undefined
        ? '-'
        : `${c.slowedDeltaPct >= 0 ? '+' : ''}${c.slowedDeltaPct.toFixed(2)}%`,
      rate(c.exactRuns, c.runs),
      rate(c.otherFlaggedRuns, c.runs),
      c.slowPct === 0 && c.aaCases > 0 ? rate(c.aaUnchanged, c.aaCases) : '-',
      rate(c.notJudgedRuns, c.runs),
      c.resolutionPct === undefined ? '-' : `±${c.resolutionPct.toFixed(1)}%`,
      c.flaggedPerRun.toFixed(2),
      c.totalWallS.toFixed(0),
      (c.totalWallS / c.runs).toFixed(1),
      versus(c, refWall),
      c.load1 === undefined ? '-' : c.load1.toFixed(1)
    ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cols: string[]): string =>
    `| ${cols.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

const GATE_ORDER = ['reference', 'default', 'duet', 'sequential', 'instructions']
const NOISE_ORDER = ['quiet', 'noisy', 'busy']

function order(c: Cell): number {
  const gate = GATE_ORDER.indexOf(c.gate)
  return NOISE_ORDER.indexOf(c.noise) * 100_000 + c.slowPct * 100 + (gate < 0 ? 99 : gate)
}

function rate(n: number, of: number): string {
  return `${n}/${of} (${Math.round((n / of) * 100)}%)`
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
