/**
 * The soak as people read it: the job summary and the tracking issue's body
 * (Markdown: verdict first, then failures by cycle, the drift verdict, a
 * Mermaid chart of p50/p95 per perf cycle with the same figures as a table
 * beside it, then the cycles folded away), and the console report.
 */
import type { SeriesDrift } from '../drift.js'
import type { SoakCycle, SoakFailure, SoakResult, SoakStep } from '../results.js'
import { codeBlock, details, escapeMarkdownText, markdownCode } from '../../shared/markdown.js'
import { formatCount, formatNs } from '../../shared/units.js'
import { formatDuration, plural } from '../../shared/text.js'
import { runningBlock } from './running.js'

/** Points a chart line gets at most; longer soaks show every k-th perf cycle (and the last). */
export const MAX_CHART_POINTS = 60

/** Failures listed at most; the rest are counted. */
export const MAX_FAILURE_ROWS = 100

/** Drift rows shown at most (p50 and p95 always; then the cases, largest change first). */
export const MAX_DRIFT_ROWS = 12

/** How much of the soak a rendering holds. */
export interface SoakSummaryOptions {
  /** Include the per-cycle table (the job summary does; the issue body may not fit it). */
  cyclesTable?: boolean
  /** A link to the run, shown under the verdict. */
  runUrl?: string
}

/** The verdict in one line: `FAIL: 2 failures in cycles 3, 7` etc. */
export function soakVerdict(r: SoakResult): string {
  const parts: string[] = []
  if (r.stopReason === 'running') parts.push('still running')
  if (r.cancelled) parts.push('cancelled, partial results')
  parts.push(...r.reasons)
  if (r.failures.length > 0) {
    parts.push(`${plural(r.failures.length, 'failure')} in ${placesOf(r.failures)}`)
  }
  if (r.flaky.length > 0) {
    parts.push(
      `${plural(r.flaky.length, 'flaky case')} (passed on a retry) in ${placesOf(r.flaky)}`
    )
  }
  if (r.drift.verdict === 'drifted') {
    const drifted = r.drift.series.filter(s => s.drifted)
    const named = drifted
      .slice(0, 2)
      .map(s => `${s.series} ${signed(s.changePct)}`)
      .join(', ')
    const more = drifted.length > 2 ? ` and ${drifted.length - 2} more` : ''
    parts.push(
      `drift${r.settings.driftAction === 'fail' ? '' : ' (warning)'}: ${named}${more} over the soak`
    )
  }
  const head = r.stopReason === 'running' ? 'RUNNING' : r.passed ? 'PASS' : 'FAIL'
  return parts.length > 0 ? `${head}: ${parts.join('; ')}` : head
}

/** Where the items happened: `cycles 3, 7 and the post-check`. */
function placesOf(items: SoakFailure[]): string {
  const where = [...new Set(items.map(f => (f.cycle === 0 ? 'post-check' : f.cycle)))]
  const cycles = where.filter(w => w !== 'post-check')
  return [
    ...(cycles.length > 0
      ? [`${cycles.length === 1 ? 'cycle' : 'cycles'} ${shortList(cycles.map(String), 10)}`]
      : []),
    ...(where.includes('post-check') ? ['the post-check'] : [])
  ].join(' and ')
}

/** The job summary (and, without the cycles table, the tracking issue's body). */
export function renderSoakSummary(r: SoakResult, options: SoakSummaryOptions = {}): string {
  const icon = r.stopReason === 'running' ? '⏳' : r.passed ? '✅' : '❌'
  const blocks: string[] = [
    `## ${icon} soak: ${escapeMarkdownText(soakVerdict(r))}`,
    ...(options.runUrl ? [`Run: ${options.runUrl}`] : []),
    runningBlock(r),
    buildErrorBlock(r),
    ...r.notes.map(n => `> ⚠️ ${escapeMarkdownText(n)}`),
    factsTable(r),
    failuresBlock(r),
    flakyBlock(r),
    driftBlock(r),
    historyBlock(r),
    trendBlock(r),
    ...(options.cyclesTable === false ? [] : [cyclesBlock(r)])
  ].filter(b => b !== '')
  return `${blocks.join('\n\n')}\n`
}

/** The console report: the verdict last, so it is what a terminal shows. */
export function renderSoakConsole(r: SoakResult): string {
  const lines = [`soak: ${r.cycles.length} cycles in ${formatDuration(r.durationMs)}`]
  for (const c of r.cycles) lines.push(`  ${cycleLine(c, valueFormat(r))}`)
  if (r.postCheck) lines.push(`  post-check: ${stepWord(r.postCheck)}`)
  if (r.failures.length > 0) {
    lines.push('failures:')
    for (const f of r.failures) {
      lines.push(`  ${f.cycle === 0 ? 'post-check' : `cycle ${f.cycle}`}: ${f.id}`)
    }
  }
  if (r.flaky.length > 0) {
    lines.push('flaky (passed on a retry):')
    for (const f of r.flaky) {
      lines.push(`  ${f.cycle === 0 ? 'post-check' : `cycle ${f.cycle}`}: ${f.id}`)
    }
  }
  lines.push(`drift: ${r.drift.verdict}: ${r.drift.message}`)
  if (r.history) lines.push(`history: ${r.history.message}`)
  lines.push(`csv: ${r.csvPath}`)
  lines.push(`result: ${soakVerdict(r)}`)
  return `${lines.join('\n')}\n`
}

/** A build that failed the same way twice: the error, first, since nothing else could run. */
function buildErrorBlock(r: SoakResult): string {
  if (r.stopReason !== 'build-failed') return ''
  const error = r.cycles.flatMap(c => c.steps).find(s => s.buildError !== undefined)?.buildError
  if (error === undefined) return ''
  return `### The build fails, so nothing can be soaked\n\n${codeBlock(error)}`
}

function factsTable(r: SoakResult): string {
  const perfCycles = r.perfSamples.length
  const stop: Record<string, string> = {
    running: 'running',
    duration: `duration ${formatDuration(r.settings.durationSecs * 1000)} reached`,
    'max-cycles': `max cycles (${r.settings.maxCycles}) reached`,
    deadline: `deadline ${formatDuration((r.settings.deadlineSecs ?? 0) * 1000)} reached`,
    cancelled: 'cancelled',
    'fail-fast': 'fail-fast: stopped at the first failure',
    'build-failed': 'the build failed again with the same error',
    'disk-full': 'the metrics dir filled up'
  }
  const post = r.postCheck ? stepWord(r.postCheck) : 'not run'
  return [
    '| cycles | ran for | stopped | failures | flaky | perf cycles | drift | post-check |',
    '| ---: | ---: | --- | ---: | ---: | ---: | --- | --- |',
    `| ${r.cycles.length} | ${formatDuration(r.durationMs)} | ${stop[r.stopReason]} | ${r.failures.length} | ${r.flaky.length} | ${perfCycles} | ${r.drift.verdict} | ${post} |`
  ].join('\n')
}

function failuresBlock(r: SoakResult): string {
  if (r.failures.length === 0) return ''
  return `### Failures by cycle\n\n${itemsTable(r, r.failures, 'failed', 'detail', 'failures')}`
}

/** Cases that failed, then passed on a retry, by cycle: not failures, but flakiness to look at. */
function flakyBlock(r: SoakResult): string {
  if (r.flaky.length === 0) return ''
  const why =
    "Each failed, then passed on a retry: the soak passes them, the attempts are in the step's results."
  return `### Flaky cases by cycle\n\n${why}\n\n${itemsTable(r, r.flaky, 'flaky', 'results', 'flaky cases')}`
}

/** A table of failures or flaky cases: cycle, step, the case, and where its details are. */
function itemsTable(
  r: SoakResult,
  items: SoakFailure[],
  what: string,
  detail: string,
  plural: string
): string {
  const shown = items.slice(0, MAX_FAILURE_ROWS)
  const rows = shown.map(
    f =>
      `| ${f.cycle === 0 ? 'post-check' : f.cycle} | ${f.step} | ${markdownCode(f.id)} | ${messageOf(r, f.cycle, f.step)} |`
  )
  const more =
    items.length > shown.length
      ? `\n\n${items.length - shown.length} more ${plural} are in soak.json.`
      : ''
  return `| cycle | step | ${what} | ${detail} |\n| ---: | --- | --- | --- |\n${rows.join('\n')}${more}`
}

/** A perf failure's reason; a layer's details are in its own results document. */
function messageOf(r: SoakResult, cycle: number, step: string): string {
  const s =
    cycle === 0
      ? r.postCheck
      : r.cycles.find(c => c.cycle === cycle)?.steps.find(x => x.kind === step)
  if (!s) return ''
  return s.message ? escapeMarkdownText(s.message.slice(0, 300)) : markdownCode(s.results)
}

function driftBlock(r: SoakResult): string {
  const d = r.drift
  const head = `### Drift: ${d.verdict}\n\n${escapeMarkdownText(d.message)} Robust (Theil–Sen) slope after a warm-up of ${plural(d.warmupCycles, 'perf cycle')}; a series drifts when its fitted change over the soak is above ${d.thresholdPct}% and its Mann–Kendall trend is significant.${d.verdict === 'drifted' ? ` Drift ${r.settings.driftAction === 'fail' ? 'fails' : 'warns, and does not fail,'} the soak (drift-action: ${r.settings.driftAction}).` : ''}`
  if (d.series.length === 0) return head
  const [p50, p95, ...cases] = d.series
  const shown = [p50!, p95!, ...cases.slice(0, MAX_DRIFT_ROWS - 2)]
  const rows = shown.map(s => driftRow(s, valueFormat(r)))
  const more =
    cases.length > MAX_DRIFT_ROWS - 2
      ? `\n\n${cases.length - (MAX_DRIFT_ROWS - 2)} more cases in soak.json.`
      : ''
  return `${head}\n\n| series | change over soak | slope per cycle | trend p | cycles | |\n| --- | ---: | ---: | ---: | ---: | --- |\n${rows.join('\n')}${more}`
}

function driftRow(s: SeriesDrift, format: (value: number) => string): string {
  const name = s.series === 'p50' || s.series === 'p95' ? `**${s.series}**` : markdownCode(s.series)
  return `| ${name} | ${signed(s.changePct)} | ${format(s.slopeNsPerCycle)} | ${s.pValue < 0.001 ? '<0.001' : s.pValue.toFixed(3)} | ${s.points} | ${s.drifted ? '🔺 drifted' : ''} |`
}

/** Tonight against the earlier nights of the same runner, from the history. */
function historyBlock(r: SoakResult): string {
  const h = r.history
  if (!h) return ''
  const format = valueFormat(r)
  const where = h.place
    ? ` Kept on ${h.place.kind === 'branch' ? 'branch' : 'directory'} ${markdownCode(h.place.location)}.`
    : ''
  const rows = h.comparisons.map(
    c =>
      `| **${c.series}** | ${format(c.tonight)} | ${format(c.earlier)} | ${signed(c.delta_pct)} |`
  )
  const table =
    rows.length > 0
      ? `\n\n| | tonight | earlier nights (median) | Δ |\n| --- | ---: | ---: | ---: |\n${rows.join('\n')}`
      : ''
  return `### Against earlier nights\n\n${escapeMarkdownText(h.message)}${where}${table}`
}

function trendBlock(r: SoakResult): string {
  const samples = r.perfSamples
  if (samples.length === 0) {
    return `### Trend\n\nNo perf snapshot was taken${r.settings.perfEvery === 0 ? ' (perf-every is 0)' : ''}.`
  }
  const step = Math.ceil(samples.length / MAX_CHART_POINTS)
  const picked = samples.filter((_, i) => i % step === 0 || i === samples.length - 1)
  const max = Math.max(...picked.map(s => s.p95))
  const counts = r.settings.perfMetric === 'instructions'
  const [unit, scale] = counts
    ? max >= 1e6
      ? ['million instructions', 1e6]
      : ['instructions', 1]
    : max >= 1e9
      ? ['s', 1e9]
      : max >= 1e6
        ? ['ms', 1e6]
        : max >= 1e3
          ? ['µs', 1e3]
          : ['ns', 1]
  const what = counts ? 'instructions' : 'median_ns'
  const values = (xs: number[]): string =>
    xs.map(x => Number((x / scale).toPrecision(4))).join(', ')
  const chart = [
    '```mermaid',
    'xychart-beta',
    `  title "${what} per perf cycle: p95 (upper line) and p50 (lower line)"`,
    `  x-axis "cycle" [${picked.map(s => s.cycle).join(', ')}]`,
    `  y-axis "${unit}"`,
    `  line [${values(picked.map(s => s.p95))}]`,
    `  line [${values(picked.map(s => s.p50))}]`,
    '```'
  ].join('\n')
  const note =
    step > 1
      ? `\n\nThe chart shows one perf cycle in ${step}, and the last; the table has them all.`
      : ''
  const rows = samples.map(s => {
    const c = r.cycles.find(x => x.cycle === s.cycle)
    const format = valueFormat(r)
    return `| ${s.cycle} | ${c ? Math.round(c.elapsedSecs) : ''} | ${c?.perf?.cases ?? ''} | ${format(s.p50)} | ${format(s.p95)} |`
  })
  const table = `| cycle | elapsed s | cases | p50 | p95 |\n| ---: | ---: | ---: | ---: | ---: |\n${rows.join('\n')}`
  const shownTable =
    samples.length > 30 ? details(`p50 and p95 of all ${samples.length} perf cycles`, table) : table
  return `### Trend\n\n${chart}${note}\n\n${shownTable}`
}

function cyclesBlock(r: SoakResult): string {
  if (r.cycles.length === 0) return ''
  const rows = r.cycles.map(c => {
    const cell = (kind: SoakStep['kind']): string => {
      const s = c.steps.find(x => x.kind === kind)
      return s ? stepWord(s) : ''
    }
    return `| ${c.cycle} | ${Math.round(c.elapsedSecs)} | ${formatDuration(c.durationMs)} | ${cell('stress')} | ${cell('chaos')} | ${cell('perf')} | ${c.interrupted ?? ''} |`
  })
  const table = `| cycle | elapsed s | took | stress | chaos | perf | |\n| ---: | ---: | ---: | --- | --- | --- | --- |\n${rows.join('\n')}`
  return details(`All ${plural(r.cycles.length, 'cycle')}`, table)
}

function cycleLine(c: SoakCycle, format: (value: number) => string): string {
  const steps = c.steps.map(s => `${s.kind} ${stepWord(s)}`).join(', ')
  const perf = c.perf ? ` (p50 ${format(c.perf.p50)}, p95 ${format(c.perf.p95)})` : ''
  return `cycle ${c.cycle}: ${steps}${perf}${c.interrupted ? ` [${c.interrupted}]` : ''}`
}

/** The perf figures' format: times, or instruction counts with their unit. */
function valueFormat(r: SoakResult): (value: number) => string {
  return r.settings.perfMetric === 'instructions'
    ? value => `${formatCount(value)} instructions`
    : formatNs
}

function stepWord(s: SoakStep): string {
  const cut = s.diskFull !== undefined ? 'stopped: disk full' : 'stopped'
  if (s.interrupted) return s.failures.length > 0 ? `FAILED, then ${cut}` : cut
  if (!s.passed) return 'FAILED'
  return s.flaky !== undefined && s.flaky.length > 0 ? `ok, ${s.flaky.length} flaky` : 'ok'
}

function shortList(items: string[], max: number): string {
  return items.length > max
    ? `${items.slice(0, max).join(', ')} and ${items.length - max} more`
    : items.join(', ')
}

function signed(pct: number): string {
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`
}
