/**
 * `npm run bench:history`: what the history costs and how well it finds shifts.
 *
 * 1. A year of daily points for 100 cases appended one at a time through the
 *    real write (append, cap, shifts, page), each day committed to a git
 *    repository as the history branch would be: time and peak memory, the
 *    size on disk and of the packed repository.
 * 2. The page of that year opened from disk in headless Chromium: the load
 *    event, and every chart drawn.
 * 3. The change-point rule on synthetic series with a known truth: false
 *    shifts on pure noise (at the last point of a year, and at any day of it),
 *    and detection of a 5 % step by how many points it has lasted, at the
 *    per-process noise the wall-time gate measured here (SD 0.26 in log,
 *    docs/benchmarks.md), at 5 %, and at 2.66 % (CodSpeed's hosted runners).
 *
 *   npm run bench:history -- [--series 300] [--cases 100] [--days 365]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { findShifts, type ShiftOptions } from '../src/core/history/shifts.js'
import { updateHistory } from '../src/core/history/update.js'
import type { HistoryPoint } from '../src/core/history/point.js'
import { openFile, scrollThrough } from '../test/harness/browser.js'
import { normal, random, synthPoints } from './bench/history-series.js'

const { values } = parseArgs({
  options: {
    series: { type: 'string', default: '300' },
    cases: { type: 'string', default: '100' },
    days: { type: 'string', default: '365' }
  }
})
const SERIES = Number(values.series)
const CASES = Number(values.cases)
const DAYS = Number(values.days)
const RULE: ShiftOptions = { minPoints: 3, alpha: 0.001, shiftPct: 5 }

function bytesUnder(dir: string, skip = '.git'): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile() && !join(e.parentPath, e.name).includes(`/${skip}/`))
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0)
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`

function appendYear(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mace-bench-history-'))
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@localhost', ...args], {
      cwd: dir,
      encoding: 'utf8'
    })
  git('init', '-q', '-b', 'mace-actions-data')
  const points = synthPoints({
    cases: CASES,
    days: DAYS,
    noise: 0.03,
    seed: 11,
    steps: [{ day: 200, cases: [3, 7], pct: 10 }]
  })
  const options = { ...RULE, maxPoints: 1000, commitUrl: 'https://github.com/o/r/commit/{sha}' }
  let peak = process.memoryUsage().rss
  let gitMs = 0
  const times: number[] = []
  const t0 = Date.now()
  for (const p of points) {
    const t = performance.now()
    updateHistory(dir, { part: 'perf', bench: 'perf', metric: 'walltime' }, p, options)
    times.push(performance.now() - t)
    peak = Math.max(peak, process.memoryUsage().rss)
    const g = performance.now()
    git('add', '-A')
    git('commit', '-q', '-m', p.commit.slice(0, 12))
    gitMs += performance.now() - g
  }
  const total = Date.now() - t0 - gitMs
  git('gc', '-q', '--aggressive')
  const pack = /size-pack: (\d+)/.exec(git('count-objects', '-v'))?.[1]
  console.log(
    `\n## 1. A year of daily points, ${CASES} cases (${DAYS} appends, each: append, cap, shifts of every case, page)\n`
  )
  console.log('| figure | value |\n| --- | ---: |')
  console.log(`| appending and rendering all ${DAYS} days | ${(total / 1000).toFixed(1)} s |`)
  console.log(
    `| one append at day ${DAYS} (median of the last 7) | ${median(times.slice(-7)).toFixed(0)} ms |`
  )
  console.log(`| peak memory (RSS of this process) | ${mb(peak)} |`)
  console.log(`| history on disk (files) | ${mb(bytesUnder(dir))} |`)
  console.log(`| of which data.js (the page's data) | ${mb(statSync(join(dir, 'data.js')).size)} |`)
  console.log(
    `| files | ${readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile() && !e.parentPath.includes('.git')).length} |`
  )
  console.log(
    `| git repository, ${DAYS} commits, packed (size-pack) | ${((Number(pack) || 0) / 1024).toFixed(2)} MB |`
  )
  return dir
}

async function loadPage(dir: string): Promise<void> {
  const opened = await openFile(join(dir, 'index.html'))
  try {
    const t = Date.now()
    await scrollThrough(opened.page)
    const drawn = await opened.page.locator('.case[data-drawn="true"]').count()
    const drawMs = Date.now() - t
    console.log(`\n## 2. The page of that year in headless Chromium (from disk)\n`)
    console.log('| figure | value |\n| --- | ---: |')
    console.log(`| navigation to the load event | ${opened.loadMs} ms |`)
    console.log(
      `| scrolling through, every chart drawn | ${drawMs} ms (${drawn} of ${CASES} charts) |`
    )
    console.log(
      `| errors | ${opened.errors.length}; requests beyond the file system: ${opened.remoteRequests.length} |`
    )
  } finally {
    await opened.close()
  }
}

/** One case's series of `n` daily points: log-normal noise `sd`, a `pct` step from `at` on. */
function series(
  n: number,
  sd: number,
  next: () => number,
  at = n,
  pct = 0,
  modes = false
): HistoryPoint[] {
  return Array.from({ length: n }, (_, i) => {
    let v = 100_000 * Math.exp(sd * normal(next)) * (i >= at ? 1 + pct / 100 : 1)
    if (modes && next() < 0.1) v *= 1.35
    return {
      commit: i.toString(16).padStart(40, '0'),
      commitTime: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
      time: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
      fingerprint: { cpu: 'c', cores: 2, kernel: 'k', rustc: 'r', metric: 'walltime' },
      cases: { c: v }
    }
  })
}

const NOISES: [string, number, boolean][] = [
  ['SD 0.26 (this machine, per process)', 0.26, false],
  ['SD 0.05', 0.05, false],
  ['SD 0.0266 (hosted, CodSpeed)', 0.0266, false],
  ['SD 0.03 + 1 in 10 runs 35 % slower', 0.03, true]
]

function falseShifts(): void {
  console.log(
    `\n## 3. False shifts on pure noise (${SERIES} series of ${DAYS} daily points each; shift-pct 5, 3 points each side, α 0.001)\n`
  )
  console.log(
    `| noise | series with a shift at day ${DAYS} | series with a shift on any day of the year | ms per evaluation of ${DAYS} points |`
  )
  console.log('| --- | ---: | ---: | ---: |')
  for (const [name, sd, modes] of NOISES) {
    const next = random(17)
    let atEnd = 0
    let ever = 0
    let ms = 0
    for (let s = 0; s < SERIES; s++) {
      const points = series(DAYS, sd, next, DAYS, 0, modes)
      const t = performance.now()
      if (findShifts(points, RULE).length > 0) atEnd++
      ms += performance.now() - t
      // Every day's evaluation, as each append runs it, for a fifth of the series.
      if (s % 5 === 0) {
        for (let n = 6; n <= DAYS; n++) {
          if (findShifts(points.slice(0, n), RULE).length > 0) {
            ever++
            break
          }
        }
      }
    }
    const everRuns = Math.ceil(SERIES / 5)
    console.log(
      `| ${name} | ${atEnd}/${SERIES} (${pct(atEnd, SERIES)}) | ${ever}/${everRuns} (${pct(ever, everRuns)}) | ${(ms / SERIES).toFixed(2)} |`
    )
  }
}

function detection(): void {
  const after = [3, 5, 7, 10, 20, 40, 80]
  console.log(
    `\n## 4. Detection of a 5 % step after 120 points, by points since the step (${SERIES} series each; found = a slowdown of that case named within 3 points of the step)\n`
  )
  console.log(`| noise | shift-pct | ${after.map(a => `${a} after`).join(' | ')} |`)
  console.log(`| --- | ---: | ${after.map(() => '---:').join(' | ')} |`)
  for (const [name, sd, modes] of NOISES) {
    for (const shiftPct of [5, 2.5]) {
      const cells = after.map(k => {
        const next = random(23 + k)
        let found = 0
        for (let s = 0; s < SERIES; s++) {
          const shifts = findShifts(series(120 + k, sd, next, 120, 5, modes), { ...RULE, shiftPct })
          const at = (x: { firstCommit: string }): number => Number.parseInt(x.firstCommit, 16)
          if (shifts.some(x => Math.abs(at(x) - 120) <= 3 && x.delta_pct > 0)) found++
        }
        return pct(found, SERIES)
      })
      console.log(`| ${name} | ${shiftPct} | ${cells.join(' | ')} |`)
    }
  }
}

function pct(k: number, n: number): string {
  return `${((100 * k) / n).toFixed(1)} %`
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const started = Date.now()
console.log(
  `bench:history on ${new Date().toISOString()}, load average ${(await import('node:os'))
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ')}`
)
const dir = appendYear()
await loadPage(dir)
falseShifts()
detection()
console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s in all)`)
