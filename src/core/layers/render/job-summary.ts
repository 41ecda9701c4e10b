/**
 * The GitHub job summary: verdict first, then a table per layer, then what
 * went wrong folded away. Built within a byte budget, because GitHub drops a
 * step summary over 1 MiB whole and leaves only an error behind.
 */
import type { CaseResult, LayerResult, RunNote, TestRunResult } from '../results.js'
import { featuresLabel } from '../../cargo/feature-flags.js'
import {
  allCases,
  caseDurationMs,
  countsText,
  failedAttempts,
  failingTests,
  lastAttempt,
  notRunCause,
  notRunTally,
  passingAttemptNumber,
  testCounts,
  type TestCounts,
  caseLabel
} from './case-facts.js'
import { escapeMarkdownText, markdownCode } from '../../shared/markdown.js'
import {
  buildBlocks,
  failureBlocks,
  flakyBlocks,
  selectionBlocks,
  type SummaryDetail
} from './summary-failures.js'
import { fitSections, joinSections, type SummarySection } from '../../shared/summary-budget.js'
import { runningLine } from './summary-running.js'
import { byteLength, formatDuration, plural } from '../../shared/text.js'

/** Options of `renderJobSummary`. */
export interface JobSummaryOptions {
  /** Most UTF-8 bytes the summary may take (default `DEFAULT_SUMMARY_BUDGET`). */
  budgetBytes?: number
}

/** Under GitHub's 1 MiB per step, with room for anything else the step appends. */
export const DEFAULT_SUMMARY_BUDGET = 1_000_000

// Tried in order until one fits: shorter outputs first, then one line per
// failure; the last is then cut item by item with "N more not shown" notes.
const DETAIL_LEVELS: readonly SummaryDetail[] = [
  { outputChars: 20_000, messageChars: 4_000, folded: true },
  { outputChars: 2_000, messageChars: 1_000, folded: true },
  { outputChars: 0, messageChars: 300, folded: false }
]

// Enough to name the failed items in the header without it growing unbounded.
const MAX_FAILURES_IN_HEADER = 50

const STATUS_WORD: Record<CaseResult['status'], string> = {
  passed: 'passed',
  flaky: 'flaky',
  failed: 'failed',
  'timed-out': 'timed out',
  error: 'error',
  cancelled: 'cancelled'
}

const STATUS_ICON: Record<CaseResult['status'], string> = {
  passed: '✅',
  flaky: '⚠️',
  failed: '❌',
  'timed-out': '⏱️',
  error: '💥',
  cancelled: '🚫'
}

const NOTE_ICON: Record<RunNote['level'], string> = { notice: 'ℹ️', warning: '⚠️' }

const LAYER_ICON: Record<LayerResult['status'], string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  incomplete: '⏸️'
}

/** The job summary Markdown of a run, at most `budgetBytes` long. */
export function renderJobSummary(result: TestRunResult, options: JobSummaryOptions = {}): string {
  const budget = (options.budgetBytes ?? DEFAULT_SUMMARY_BUDGET) - 1 // for the final newline
  for (const [index, detail] of DETAIL_LEVELS.entries()) {
    const text = joinSections(sections(result, detail, index > 0))
    if (byteLength(text) <= budget) return `${text}\n`
  }
  const compact = DETAIL_LEVELS[DETAIL_LEVELS.length - 1] as SummaryDetail
  const hint = `full results in ${markdownCode(result.outputDir)}`
  return `${fitSections(sections(result, compact, true), budget, hint)}\n`
}

function sections(
  result: TestRunResult,
  detail: SummaryDetail,
  shortened: boolean
): SummarySection[] {
  const list: SummarySection[] = [
    { head: header(result, shortened), blocks: [], joiner: '\n\n', noun: 'lines' }
  ]
  const builds = buildBlocks(result.builds, detail)
  if (builds.length > 0) list.push(paragraphs('#### ❌ Build failed', builds, 'build errors'))
  const shards = shardBlocks(result)
  if (shards.length > 0) {
    const head =
      '#### ❌ Shards\n\nEvery shard of the matrix must report, finish and run the same plan.'
    list.push(paragraphs(head, shards, 'shard problems'))
  }
  const selection = selectionBlocks(result, detail)
  if (selection.length > 0) {
    const head =
      '#### ❌ Selection problems\n\nThese selections listed no test (or not exactly one), ' +
      'so they fail instead of passing with zero tests run.'
    list.push(paragraphs(head, selection, 'selection problems'))
  }
  list.push(...result.layers.map(layerTable))
  const failures = failureBlocks(result, detail)
  if (failures.length > 0) list.push(paragraphs('#### Failures', failures, 'failures'))
  const flaky = flakyBlocks(result, detail)
  if (flaky.length > 0) {
    list.push(paragraphs('#### ⚠️ Flaky cases (passed after a retry)', flaky, 'flaky cases'))
  }
  list.push({ head: '#### Logs', blocks: logLines(result), joiner: '\n', noun: 'log paths' })
  return list
}

function header(result: TestRunResult, shortened: boolean): string {
  const cases = allCases(result)
  const mode = `**Mode** ${markdownCode(result.mode)} · **Plan** ${markdownCode(result.planSource)}`
  const lines = [
    `### ${verdict(result)}`,
    '',
    `- ${mode} · **Time** ${formatDuration(result.durationMs)} · **Layers** ${layerList(result)}`,
    ...shardLines(result),
    `- **Cases** ${cases.length}: ${caseTally(cases)}`
  ]
  const tests = cases.map(c => testCounts(lastAttempt(c)))
  const sum = (key: keyof TestCounts): number => tests.reduce((s, t) => s + t[key], 0)
  const total = { passed: sum('passed'), failed: sum('failed'), ignored: sum('ignored'), notRun: 0 }
  lines.push(`- **Tests** ${countsText(total)}`)
  const notRun = notRunLine(cases)
  if (notRun !== undefined) lines.push(notRun)
  if (result.builds.length > 0) {
    const builds = result.builds.map(
      b => `${b.passed ? '✅' : '❌'} ${markdownCode(featuresLabel(b.features, b.command.argv))}`
    )
    lines.push(`- **Build** ${builds.join(', ')}`)
  }
  if (result.failures.length > 0) lines.push(`- **Failures** ${failureList(result.failures)}`)
  if (result.cancelled) {
    lines.push('', '_The run was cancelled before it finished: these are partial results._')
  }
  const running = runningLine(result)
  if (running !== undefined) lines.push('', running)
  if (result.notes.length > 0) {
    lines.push(
      '',
      ...result.notes.map(n => `> ${NOTE_ICON[n.level]} ${escapeMarkdownText(n.message)}`)
    )
  }
  if (shortened) {
    lines.push(
      '',
      `_Shortened to fit GitHub's 1 MiB job summary limit; full results in ${markdownCode(result.outputDir)}._`
    )
  }
  return lines.join('\n')
}

/** `- **Not run** 18 tests in 8 targets: the command timed out …`, when some never ran. */
function notRunLine(cases: CaseResult[]): string | undefined {
  const attempts = cases.map(lastAttempt)
  const tally = attempts.map(notRunTally)
  const tests = tally.reduce((s, t) => s + t.tests, 0)
  if (tests === 0) return undefined
  const targets = tally.reduce((s, t) => s + t.targets, 0)
  const cause = attempts.map(notRunCause).find(c => c !== undefined)
  const why = cause === undefined ? '' : `: ${escapeMarkdownText(cause)} before they ran`
  return `- **Not run** ${plural(tests, 'test')} in ${plural(targets, 'target')}${why}`
}

function verdict(result: TestRunResult): string {
  if (result.cancelled) {
    const failed = result.failures.length === 0 ? '' : `, ${result.failures.length} failed`
    return `⏹️ cargo test: cancelled before it finished${failed}`
  }
  if (result.passed) {
    const flaky = result.flaky.length === 0 ? '' : ` (${plural(result.flaky.length, 'flaky case')})`
    return `✅ cargo test: all layers passed${flaky}`
  }
  const count = result.failures.length
  return `❌ cargo test: ${count === 0 ? 'failed' : `${count} failed`}`
}

function layerList(result: TestRunResult): string {
  return result.layers.map(layer => `${LAYER_ICON[layer.status]} ${layer.name}`).join(', ')
}

function caseTally(cases: CaseResult[]): string {
  const statuses = Object.keys(STATUS_WORD) as CaseResult['status'][]
  const parts = statuses
    .map(status => [status, cases.filter(c => c.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${STATUS_WORD[status]}`)
  return parts.length === 0 ? 'none' : parts.join(', ')
}

function failureList(failures: string[]): string {
  const shown = failures.slice(0, MAX_FAILURES_IN_HEADER).map(markdownCode).join(', ')
  const more = failures.length - MAX_FAILURES_IN_HEADER
  return more > 0 ? `${shown} and ${more} more` : shown
}

function layerTable(layer: LayerResult): SummarySection {
  const title = `#### ${LAYER_ICON[layer.status]} Layer ${layer.name}: ${layer.status} in ${formatDuration(layer.durationMs)}`
  if (layer.cases.length === 0) return paragraphs(title, ['_No cases._'], 'cases')
  // The column appears only when some selected test never ran.
  const notRun = layer.cases.some(c => testCounts(lastAttempt(c)).notRun > 0)
  const head = notRun
    ? `${title}\n\n| Case | Status | Attempts | Duration | Passed | Failed | Not run |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |`
    : `${title}\n\n| Case | Status | Attempts | Duration | Passed | Failed |\n| --- | --- | ---: | ---: | ---: | ---: |`
  const rows = layer.cases.map(c => caseRow(c, notRun))
  return { head, blocks: rows, joiner: '\n', noun: 'cases' }
}

function caseRow(testCase: CaseResult, notRunColumn: boolean): string {
  const counts = testCounts(lastAttempt(testCase))
  const passedOn = `passed on attempt ${passingAttemptNumber(testCase) ?? '?'} of ${testCase.maxAttempts}`
  const word = STATUS_WORD[testCase.status]
  const status = `${STATUS_ICON[testCase.status]} ${testCase.status === 'flaky' ? `${word} (${passedOn})` : word}`
  const attempts = `${testCase.attempts.length} / ${testCase.maxAttempts}`
  const notRun = notRunColumn ? ` ${counts.notRun} |` : ''
  return `| ${markdownCode(caseLabel(testCase))} | ${status} | ${attempts} | ${formatDuration(caseDurationMs(testCase))} | ${counts.passed} | ${counts.failed} |${notRun}`
}

function logLines(result: TestRunResult): string[] {
  const lines = [`- Results document, JUnit and all logs: ${markdownCode(result.outputDir)}`]
  for (const build of result.builds.filter(b => !b.passed)) {
    lines.push(
      `- build ${markdownCode(featuresLabel(build.features, build.command.argv))}: ${markdownCode(build.command.logPath)}`
    )
  }
  for (const testCase of allCases(result)) {
    for (const attempt of failedAttempts(testCase)) {
      const blamed = failingTests(attempt).length
      const tests = blamed === 0 ? '' : ` (${plural(blamed, 'failing test')})`
      lines.push(
        `- ${markdownCode(caseLabel(testCase))} attempt ${attempt.number}${tests}: ${markdownCode(attempt.command.logPath)}`
      )
    }
  }
  return lines
}

function paragraphs(head: string, blocks: string[], noun: string): SummarySection {
  return { head, blocks, joiner: '\n\n', noun }
}

/** Which share a shard ran, or which shards a merged document holds. */
function shardLines(result: TestRunResult): string[] {
  if (result.shard) {
    const { index, total, share } = result.shard
    return [`- **Shard** ${index} of ${total}: ${escapeMarkdownText(share)}`]
  }
  if (result.merged) {
    const { shards, total } = result.merged
    const each = shards.map(s => `${s.passed ? '✅' : s.cancelled ? '🚫' : '❌'} ${s.index}`)
    return [`- **Merged** ${shards.length} of ${total} shards: ${each.join(', ')}`]
  }
  return []
}

/** A merge's problems: missing, cancelled or other-plan shards. */
function shardBlocks(result: TestRunResult): string[] {
  return (result.merged?.problems ?? []).map(
    p => `- ❌ ${markdownCode(p.id)}: ${escapeMarkdownText(p.message)}`
  )
}
