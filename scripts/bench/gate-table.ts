/** The gate benchmark's cells: counts per (noise, head, gate) and the table printed from them. */

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
  rounds: number
  /** Cases the gate called regressed. */
  flagged: string[]
  cases: unknown[]
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
}

/** Counts per cell, in the order the cells first appear. */
export function summarise(records: readonly CompareRecord[], slowed: readonly string[]): Cell[] {
  const cells = new Map<string, Cell>()
  for (const r of records) {
    const key = `${r.noise}|${r.variant}|${r.gate}`
    const cell = cells.get(key) ?? {
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
      totalWallS: 0
    }
    const expected = r.slowPct > 0 ? slowed : []
    const others = r.flagged.filter(id => !expected.includes(id))
    const caught = expected.every(id => r.flagged.includes(id))
    cell.runs++
    if (!r.passed) cell.failedRuns++
    if (r.slowPct > 0 && caught) cell.caughtRuns++
    cell.slowedFlagged += expected.filter(id => r.flagged.includes(id)).length
    cell.slowedTotal += expected.length
    if (caught && others.length === 0) cell.exactRuns++
    if (others.length > 0) cell.otherFlaggedRuns++
    cell.flaggedPerRun += r.flagged.length
    cell.totalWallS += r.wallMs / 1000
    cells.set(key, cell)
  }
  return [...cells.values()].map(c => ({
    ...c,
    flaggedPerRun: round(c.flaggedPerRun / c.runs, 2),
    totalWallS: round(c.totalWallS, 1)
  }))
}

/** A plain-text table: one row per noise × head × gate. */
export function renderTable(cells: readonly Cell[]): string {
  const header = [
    'noise',
    'head',
    'gate',
    'runs',
    'gate failed',
    'all slowed caught',
    'slowed cases caught',
    'exactly slowed',
    'other flagged',
    'flagged/run',
    'wall s',
    'wall vs ref'
  ]
  const refWall = new Map(
    cells.filter(c => c.gate === 'reference').map(c => [`${c.noise}|${c.variant}`, c.totalWallS])
  )
  const rows = [...cells]
    .sort((a, b) => order(a) - order(b))
    .map(c => {
      const ref = refWall.get(`${c.noise}|${c.variant}`)
      return [
        c.noise,
        c.slowPct > 0 ? `A/B +${c.slowPct}%` : 'A/A',
        c.gate,
        String(c.runs),
        rate(c.failedRuns, c.runs),
        c.slowPct > 0 ? rate(c.caughtRuns, c.runs) : '-',
        c.slowPct > 0 ? rate(c.slowedFlagged, c.slowedTotal) : '-',
        rate(c.exactRuns, c.runs),
        rate(c.otherFlaggedRuns, c.runs),
        c.flaggedPerRun.toFixed(2),
        c.totalWallS.toFixed(0),
        ref ? `${(c.totalWallS / ref).toFixed(2)}×` : '-'
      ]
    })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cols: string[]): string =>
    `| ${cols.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function order(c: Cell): number {
  return (c.noise === 'quiet' ? 0 : 1000) + c.slowPct * 10 + (c.gate === 'reference' ? 0 : 1)
}

function rate(n: number, of: number): string {
  return `${n}/${of} (${Math.round((n / of) * 100)}%)`
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
