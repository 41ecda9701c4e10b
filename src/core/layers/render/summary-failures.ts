/**
 * The "what went wrong" blocks of the job summary: build errors, selection
 * problems, failing tests and flaky cases, each either folded in `<details>`
 * or, when space is short, one line.
 */
import { featuresLabel } from '../../cargo/feature-flags.js'
import type { Attempt, BuildResult, CaseResult, TestResult, TestRunResult } from '../results.js'
import {
  allCases,
  describeEnding,
  failedAttempts,
  failingTests,
  isFailingStatus,
  OUTCOME_FACTS,
  passingAttemptNumber,
  caseLabel
} from './case-facts.js'
import { evidenceLine, evidenceParts, notRunBlock, unattributedBlock } from './summary-evidence.js'
import {
  codeBlock,
  details,
  escapeHtml,
  escapeMarkdownText,
  htmlCode,
  markdownCode
} from '../../shared/markdown.js'
import {
  cleanText,
  clipMiddle,
  firstLine,
  formatLocation,
  plural,
  truncate
} from '../../shared/text.js'

/** How much of each failure to show; lowered step by step to fit the budget. */
export interface SummaryDetail {
  /** Characters of captured output per failure; 0 leaves the output out. */
  outputChars: number
  /** Characters of each panic message or compiler diagnostic. */
  messageChars: number
  /** Fold each failure into `<details>`; false gives one line per failure. */
  folded: boolean
}

/** One block per failed build, then one per compiler error in it. */
export function buildBlocks(builds: BuildResult[], detail: SummaryDetail): string[] {
  return builds
    .filter(build => !build.passed)
    .flatMap(build => {
      const errors = build.diagnostics.filter(d => d.level === 'error')
      const warnings = build.diagnostics.length - errors.length
      const lead =
        `**Features** ${markdownCode(featuresLabel(build.features, build.command.argv))} · ${escapeMarkdownText(describeEnding(build.command))}` +
        ` · ${plural(errors.length, 'error')}, ${plural(warnings, 'warning')} · log ${markdownCode(build.command.logPath)}`
      if (errors.length === 0) {
        return [`${lead}\n\nNo compiler error was captured; the log has the whole output.`]
      }
      return [
        lead,
        ...errors.map(error => {
          const at = error.location === undefined ? '' : formatLocation(error.location)
          if (!detail.folded) {
            const where = at === '' ? '' : `${markdownCode(at)}: `
            return `- ❌ ${where}${escapeMarkdownText(truncate(error.message, detail.messageChars))}`
          }
          const summary = `❌ ${at === '' ? '' : `${htmlCode(at)}: `}${escapeHtml(truncate(error.message, 200))}`
          return details(
            summary,
            codeBlock(clipMiddle(error.rendered ?? error.message, detail.messageChars))
          )
        })
      ]
    })
}

/** One line per selection that listed no test (or not exactly one). */
export function selectionBlocks(result: TestRunResult, detail: SummaryDetail): string[] {
  return result.selectionProblems.map(
    problem =>
      `- ❌ ${markdownCode(problem.id)}: ${escapeMarkdownText(truncate(problem.message, detail.messageChars))}`
  )
}

/** One block per failing test of a failing case, or per case that failed without one. */
export function failureBlocks(result: TestRunResult, detail: SummaryDetail): string[] {
  return allCases(result)
    .filter(testCase => isFailingStatus(testCase.status))
    .flatMap(testCase => {
      const attempt = testCase.attempts[testCase.attempts.length - 1]
      if (attempt === undefined) {
        return [
          `- ❌ ${markdownCode(caseLabel(testCase))} did not run: see the build and selection problems.`
        ]
      }
      const tests = failingTests(attempt)
      const blocks = tests.map(test => testFailureBlock(testCase, attempt, test, detail))
      // A crash no test could be named for is said even beside other failing tests.
      if (tests.length === 0 || attempt.error !== undefined) {
        blocks.push(caseFailureBlock(testCase, attempt, detail))
      }
      return [
        ...blocks,
        ...unattributedBlock(testCase, attempt, detail),
        ...notRunBlock(testCase, attempt, detail)
      ]
    })
}

/** One block per flaky case: which attempt passed, and what the failed ones saw. */
export function flakyBlocks(result: TestRunResult, detail: SummaryDetail): string[] {
  return allCases(result)
    .filter(testCase => testCase.status === 'flaky')
    .map(testCase => {
      const passedOn = `passed on attempt ${passingAttemptNumber(testCase) ?? '?'} of ${testCase.maxAttempts}`
      const failed = failedAttempts(testCase)
      if (!detail.folded) {
        const first = failed[0]
        const seen =
          first === undefined ? '' : `; attempt ${first.number}: ${attemptLine(first, detail)}`
        return `- ⚠️ ${markdownCode(caseLabel(testCase))} ${passedOn}${seen}`
      }
      const body = failed.map(attempt => flakyAttemptBody(attempt, detail)).join('\n\n')
      return details(`⚠️ ${htmlCode(caseLabel(testCase))} ${passedOn}`, body)
    })
}

function testFailureBlock(
  testCase: CaseResult,
  attempt: Attempt,
  test: TestResult,
  detail: SummaryDetail
): string {
  const at = test.location === undefined ? '' : formatLocation(test.location)
  const message = test.message ?? ''
  if (!detail.folded) {
    const where = at === '' ? '' : ` at ${markdownCode(at)}`
    const first = firstLine(message)
    const said = first === '' ? '' : `: ${escapeMarkdownText(truncate(first, detail.messageChars))}`
    const facts = OUTCOME_FACTS[test.outcome]
    const evidence = test.outcome === 'failed' ? '' : evidenceLine(attempt.evidence, detail)
    return `- ${facts.icon} ${markdownCode(caseLabel(testCase))} ${markdownCode(test.name)} ${facts.word}${where}${said}${evidence}`
  }
  const where = at === '' ? '' : ` at ${htmlCode(at)}`
  const facts = OUTCOME_FACTS[test.outcome]
  const summary = `${facts.icon} ${htmlCode(caseLabel(testCase))} · ${htmlCode(test.name)} ${facts.word}${where}`
  const target = test.target === undefined ? '' : ` · target ${markdownCode(test.target)}`
  const parts = [`${attemptFacts(testCase, attempt)}${target}`]
  if (message !== '') parts.push(codeBlock(clipMiddle(message, detail.messageChars)))
  const output = test.output === undefined ? '' : cleanText(test.output)
  if (detail.outputChars > 0 && output.trim() !== '' && output !== cleanText(message)) {
    parts.push('Output:', codeBlock(clipMiddle(output, detail.outputChars)))
  }
  // A test that did not finish is explained by what the log showed last.
  if (test.outcome !== 'failed') parts.push(...evidenceParts(attempt.evidence, detail))
  return details(summary, parts.join('\n\n'))
}

function caseFailureBlock(testCase: CaseResult, attempt: Attempt, detail: SummaryDetail): string {
  const ending = describeEnding(attempt.command)
  const icon = attempt.command.timedOut ? '⏱️' : '💥'
  if (!detail.folded) {
    const error =
      attempt.error === undefined
        ? ''
        : `: ${escapeMarkdownText(truncate(firstLine(attempt.error), detail.messageChars))}`
    return `- ${icon} ${markdownCode(caseLabel(testCase))} ${escapeMarkdownText(ending)}${error}${evidenceLine(attempt.evidence, detail)}`
  }
  const parts = [attemptFacts(testCase, attempt)]
  if (attempt.error !== undefined)
    parts.push(codeBlock(clipMiddle(attempt.error, detail.messageChars)))
  else parts.push('No test was named as the cause; the log has the whole output.')
  parts.push(...evidenceParts(attempt.evidence, detail))
  return details(
    `${icon} ${htmlCode(caseLabel(testCase))} · ${escapeHtml(ending)}`,
    parts.join('\n\n')
  )
}

function flakyAttemptBody(attempt: Attempt, detail: SummaryDetail): string {
  const lines = [
    `**Attempt ${attempt.number}**: ${escapeMarkdownText(describeEnding(attempt.command))} · log ${markdownCode(attempt.command.logPath)}`
  ]
  if (attempt.error !== undefined)
    lines.push(codeBlock(clipMiddle(attempt.error, detail.messageChars)))
  for (const test of failingTests(attempt)) {
    const at =
      test.location === undefined ? '' : ` at ${markdownCode(formatLocation(test.location))}`
    lines.push(`${markdownCode(test.name)} ${OUTCOME_FACTS[test.outcome].word}${at}`)
    if (test.message !== undefined)
      lines.push(codeBlock(clipMiddle(test.message, detail.messageChars)))
  }
  return lines.join('\n\n')
}

function attemptLine(attempt: Attempt, detail: SummaryDetail): string {
  const test = failingTests(attempt)[0]
  if (test === undefined) return escapeMarkdownText(describeEnding(attempt.command))
  const at = test.location === undefined ? '' : ` at ${markdownCode(formatLocation(test.location))}`
  const first = truncate(firstLine(test.message), detail.messageChars)
  return `${markdownCode(test.name)} ${OUTCOME_FACTS[test.outcome].word}${at}${first === '' ? '' : `: ${escapeMarkdownText(first)}`}`
}

function attemptFacts(testCase: CaseResult, attempt: Attempt): string {
  const all =
    testCase.attempts.length > 1 && testCase.attempts.every(a => !a.passed) ? ' (all failed)' : ''
  return `Attempt ${attempt.number} of ${testCase.maxAttempts}${all} · ${escapeMarkdownText(describeEnding(attempt.command))} · log ${markdownCode(attempt.command.logPath)}`
}
