/**
 * Annotations for a test run: errors at the failing `file:line`, warnings for
 * flaky cases. GitHub keeps 10 per level per step and silently drops the rest,
 * so the plan ranks them, keeps the first 10 of each level and says how many
 * were left out.
 */
import { posix } from 'node:path'
import type { AttemptEvidence, SourceLocation, TestOutcome, TestRunResult } from '../results.js'
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
import {
  type Annotation,
  type AnnotationPlan,
  MAX_ANNOTATIONS_PER_LEVEL
} from '../../shared/annotations.js'
import { cleanText, firstLine, formatLocation, truncate } from '../../shared/text.js'

// Checks API limits: a title of 255 characters; messages are kept far below
// the 64 KB limit because an annotation is read at a glance.
const MAX_TITLE = 255
const MAX_MESSAGE = 4_000

// Lower rank is shown first when there are more than the cap.
const RANK = { build: 0, selection: 1, failed: 2, stopped: 3, flaky: 4 } as const

/** Where an annotation sits, when the model knows a repository-relative place. */
type Placement = Pick<Annotation, 'file' | 'startLine' | 'startColumn'>

interface Candidate {
  rank: number
  annotation: Annotation
}

/**
 * Ranked, capped annotations for a run: build errors, selection problems,
 * failed tests, timed-out or crashed tests, then flaky cases as warnings.
 * Locations are used only when repository-relative; an absolute path is made
 * relative to `repoRoot` when inside it, and dropped otherwise.
 */
export function planAnnotations(result: TestRunResult, repoRoot?: string): AnnotationPlan {
  const place = (location: SourceLocation | undefined): Placement => placement(location, repoRoot)
  const candidates = [
    ...buildCandidates(result, place),
    ...selectionCandidates(result),
    ...failureCandidates(result, place),
    ...flakyCandidates(result, place)
  ]
  // Array.prototype.sort is stable, so equal ranks keep run order.
  const ranked = candidates.sort((a, b) => a.rank - b.rank).map(c => c.annotation)
  const errors = ranked.filter(a => a.level === 'error')
  const warnings = ranked.filter(a => a.level === 'warning')
  const droppedErrors = Math.max(0, errors.length - MAX_ANNOTATIONS_PER_LEVEL)
  const droppedWarnings = Math.max(0, warnings.length - MAX_ANNOTATIONS_PER_LEVEL)
  const plan: AnnotationPlan = {
    annotations: [
      ...errors.slice(0, MAX_ANNOTATIONS_PER_LEVEL),
      ...warnings.slice(0, MAX_ANNOTATIONS_PER_LEVEL)
    ],
    notAnnotated: droppedErrors + droppedWarnings
  }
  const notice = capNotice(droppedErrors, droppedWarnings)
  if (notice !== undefined) plan.notice = notice
  return plan
}

type Place = (location: SourceLocation | undefined) => Placement

function buildCandidates(result: TestRunResult, place: Place): Candidate[] {
  return result.builds
    .filter(build => !build.passed)
    .flatMap(build => {
      const title = `build failed (features ${build.features || 'none'})`
      const errors = build.diagnostics.filter(d => d.level === 'error')
      if (errors.length === 0) {
        const message = `cargo test --no-run: ${describeEnding(build.command)}; see ${build.command.logPath}`
        return [candidate(RANK.build, 'error', title, message)]
      }
      return errors.map(error =>
        candidate(
          RANK.build,
          'error',
          title,
          error.rendered ?? error.message,
          place(error.location)
        )
      )
    })
}

function selectionCandidates(result: TestRunResult): Candidate[] {
  return [
    ...(result.merged?.problems ?? []).map(problem =>
      candidate(RANK.selection, 'error', `${problem.id} failed the merge`, problem.message)
    ),
    ...result.selectionProblems.map(problem =>
      candidate(RANK.selection, 'error', `selection problem: ${problem.id}`, problem.message)
    )
  ]
}

function failureCandidates(result: TestRunResult, place: Place): Candidate[] {
  const buildFailed = result.builds.some(b => !b.passed)
  const selectionIds = new Set(result.selectionProblems.map(p => p.id))
  return allCases(result)
    .filter(testCase => isFailingStatus(testCase.status))
    .flatMap(testCase => {
      const attempt = testCase.attempts[testCase.attempts.length - 1]
      if (attempt === undefined) {
        // A case that never ran is already explained by its build or selection error.
        if (buildFailed || selectionIds.has(testCase.id)) return []
        return [
          candidate(
            RANK.failed,
            'error',
            `${caseLabel(testCase)} did not run`,
            'The case never ran.'
          )
        ]
      }
      const tests = failingTests(attempt)
      const candidates = tests.map(test => {
        const rank = test.outcome === 'failed' ? RANK.failed : RANK.stopped
        const title = `${caseLabel(testCase)}: ${test.name} ${outcomeWord(test.outcome)}`
        const said = test.message ?? `${title}; see ${attempt.command.logPath}`
        const message = test.outcome === 'failed' ? said : withEvidence(said, attempt.evidence)
        return candidate(rank, 'error', title, message, place(test.location))
      })
      // A crash no test could be named for is annotated beside the tests that failed.
      if (tests.length === 0 || attempt.error !== undefined) {
        const rank = testCase.status === 'failed' ? RANK.failed : RANK.stopped
        const ending = `${describeEnding(attempt.command)}; see ${attempt.command.logPath}`
        const title = `${caseLabel(testCase)} ${testCase.status}`
        const message = withEvidence(
          attempt.error ?? `The command ended: ${ending}`,
          attempt.evidence
        )
        candidates.push(candidate(rank, 'error', title, message))
      }
      return candidates
    })
}

function flakyCandidates(result: TestRunResult, place: Place): Candidate[] {
  return allCases(result)
    .filter(testCase => testCase.status === 'flaky')
    .map(testCase => {
      const failed = failedAttempts(testCase)
      const blamed = failed.flatMap(attempt =>
        failingTests(attempt).map(test => ({ attempt, test }))
      )
      // The annotation goes where the failure happened, so prefer a blamed test with a location.
      const first = blamed.find(b => b.test.location !== undefined) ?? blamed[0]
      const passedOn = `passed on attempt ${passingAttemptNumber(testCase) ?? '?'} of ${testCase.maxAttempts}`
      let seen = ''
      if (first !== undefined) {
        const { attempt, test } = first
        const at = test.location === undefined ? '' : ` at ${formatLocation(test.location)}`
        const said = firstLine(test.message)
        seen = ` Attempt ${attempt.number}: ${test.name} ${outcomeWord(test.outcome)}${at}${said === '' ? '' : `: ${said}`}`
      } else if (failed[0] !== undefined) {
        seen = ` Attempt ${failed[0].number}: ${describeEnding(failed[0].command)}.`
      }
      const message = `${caseLabel(testCase)} ${passedOn}.${seen}`
      return candidate(
        RANK.flaky,
        'warning',
        `${caseLabel(testCase)} is flaky`,
        message,
        place(first?.test.location)
      )
    })
}

function outcomeWord(outcome: TestOutcome): string {
  return OUTCOME_FACTS[outcome].word
}

/** A timeout's or crash's message, followed by what the log showed last. */
function withEvidence(message: string, evidence: AttemptEvidence | undefined): string {
  if (evidence === undefined) return message
  const parts = [message]
  const panic = evidence.lastPanic
  if (panic !== undefined) {
    const at = panic.location === undefined ? '' : ` at ${formatLocation(panic.location)}`
    parts.push(`Last panic in the log: thread '${panic.thread}'${at}:\n${panic.message}`)
  }
  if (evidence.logTail.trim() !== '') parts.push(`End of the log:\n${evidence.logTail.trimEnd()}`)
  return parts.join('\n\n')
}

function candidate(
  rank: number,
  level: Annotation['level'],
  title: string,
  message: string,
  placed: Placement = {}
): Candidate {
  const annotation: Annotation = {
    level,
    title: truncate(firstLine(title), MAX_TITLE),
    message: truncate(cleanText(message).trim(), MAX_MESSAGE)
  }
  return { rank, annotation: { ...annotation, ...placed } }
}

function placement(location: SourceLocation | undefined, repoRoot: string | undefined): Placement {
  if (location === undefined) return {}
  const file = repoRelative(location.file, repoRoot)
  if (file === undefined || !Number.isInteger(location.line) || location.line < 1) return {}
  const placed: Placement = { file, startLine: location.line }
  if (location.column !== undefined && location.column >= 1) placed.startColumn = location.column
  return placed
}

// GitHub places an annotation only on a repository-relative path; anything
// else (a registry crate, a path outside the checkout) would be attached to
// nothing, so it goes unplaced instead.
function repoRelative(file: string, repoRoot: string | undefined): string | undefined {
  const path = file.replace(/\\/g, '/')
  const absolute = posix.isAbsolute(path) || /^[A-Za-z]:\//.test(path)
  const relative = absolute
    ? repoRoot === undefined
      ? undefined
      : posix.relative(repoRoot.replace(/\\/g, '/'), path)
    : posix.normalize(path)
  if (relative === undefined || relative === '' || relative === '.') return undefined
  if (relative === '..' || relative.startsWith('../') || posix.isAbsolute(relative))
    return undefined
  return relative
}

function capNotice(droppedErrors: number, droppedWarnings: number): string | undefined {
  const parts: string[] = []
  if (droppedErrors > 0)
    parts.push(`${droppedErrors} more ${droppedErrors === 1 ? 'failure' : 'failures'}`)
  if (droppedWarnings > 0) {
    parts.push(`${droppedWarnings} more flaky ${droppedWarnings === 1 ? 'case' : 'cases'}`)
  }
  if (parts.length === 0) return undefined
  const verb = droppedErrors + droppedWarnings === 1 ? 'was' : 'were'
  return `${parts.join(' and ')} ${verb} not annotated: see the job summary`
}
