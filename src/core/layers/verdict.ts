/**
 * The verdicts of a test run, each computed from the evidence under it: a
 * case's status from its attempts, a layer's from its cases and the
 * selection problems, the run's failures, flaky list and `passed` from all of
 * them. The run computes them this way as it goes, and a merge computes them
 * again from the documents it reads, so neither ever copies a verdict.
 */
import {
  isFailingStatus,
  type Attempt,
  type BuildResult,
  type CaseResult,
  type CaseStatus,
  type LayerResult,
  type SelectionProblem,
  type TestRunResult
} from './results.js'

/** Test outcomes that let an attempt pass: the test passed, or was not meant to run. */
const PASSING_OUTCOMES = new Set(['passed', 'ignored'])

/**
 * Why an attempt's own evidence says it did not pass (a test that did not
 * pass, a command that failed or timed out, an error, a cancel), or undefined
 * when the evidence is a pass. Its `passed` flag is not evidence.
 */
export function attemptFailure(a: Attempt): string | undefined {
  const test = a.tests.find(t => !PASSING_OUTCOMES.has(t.outcome))
  if (test !== undefined) return `test ${test.name} ${test.outcome}`
  if (a.cancelled === true) return 'it was cancelled'
  if (a.command.timedOut) return `its command timed out after ${a.command.timeoutSeconds}s`
  if (a.command.exitCode !== 0) {
    const end = a.command.exitCode ?? a.command.signal ?? 'no exit code'
    return `its command ended with ${end}`
  }
  if (a.error !== undefined) return `it has an error (${a.error.split('\n')[0]})`
  return undefined
}

/** Why a build's own evidence says it failed (exit code, timeout, an error diagnostic), or undefined. */
export function buildFailure(b: BuildResult): string | undefined {
  if (b.command.timedOut) return `it timed out after ${b.command.timeoutSeconds}s`
  if (b.command.exitCode !== 0) return `it ended with ${b.command.exitCode ?? b.command.signal}`
  const errors = b.diagnostics.filter(d => d.level === 'error').length
  return errors > 0 ? `it has ${errors} compiler error(s)` : undefined
}

/**
 * A case's status from its attempts' `passed` flags: the last attempt
 * decides; a pass after a failed attempt is `flaky`; no attempt is `error`.
 */
export function caseStatusOf(attempts: Attempt[]): CaseStatus {
  const last = attempts[attempts.length - 1]
  if (!last) return 'error'
  if (last.passed) return attempts.length > 1 ? 'flaky' : 'passed'
  if (last.cancelled === true) return 'cancelled'
  if (last.command.timedOut || last.tests.some(t => t.outcome === 'timed-out')) return 'timed-out'
  return 'failed'
}

/** How statuses compare: two statuses of one class say the same thing about the verdict. */
export function statusClass(status: CaseStatus): 'passed' | 'flaky' | 'failing' | 'cancelled' {
  if (status === 'passed' || status === 'flaky' || status === 'cancelled') return status
  return 'failing'
}

/** True when a selection problem belongs to `layer` (`stress`, `stress:x`, `fast:group:x`). */
export function problemOfLayer(problem: SelectionProblem, layer: string): boolean {
  return problem.id === layer || problem.id.startsWith(`${layer}:`)
}

/**
 * A layer's status: failed when a case failed or one of its selections did
 * not pass the guard; incomplete when the layer was `cut` (the run cancelled
 * or stopped before it ended) or a case was cancelled; skipped when no case
 * ran; passed otherwise.
 */
export function layerStatusOf(
  cases: CaseResult[],
  name: string,
  problems: SelectionProblem[],
  cut = false
): LayerResult['status'] {
  if (cases.some(c => isFailingStatus(c.status)) || problems.some(p => problemOfLayer(p, name))) {
    return 'failed'
  }
  if (cut || cases.some(c => c.status === 'cancelled')) return 'incomplete'
  return cases.length === 0 ? 'skipped' : 'passed'
}

/** Reference names of everything that failed (builds, selections, cases), in run order, once each. */
export function failuresOf(
  r: Pick<TestRunResult, 'builds' | 'selectionProblems' | 'layers'>
): string[] {
  const out: string[] = []
  const add = (id: string): void => {
    if (!out.includes(id)) out.push(id)
  }
  r.builds.forEach((b, i) => {
    if (!b.passed) add(i === 0 ? 'build' : `build:${b.features}`)
  })
  r.selectionProblems.forEach(p => add(p.id))
  for (const layer of r.layers) {
    for (const c of layer.cases) if (isFailingStatus(c.status)) add(c.id)
  }
  return out
}

/** Ids of the cases that passed only after a retry, in run order. */
export function flakyOf(r: Pick<TestRunResult, 'layers'>): string[] {
  return r.layers.flatMap(l => l.cases.filter(c => c.status === 'flaky').map(c => c.id))
}

/**
 * A run passes only when its document is finished (its last write), it was
 * not cancelled and nothing failed: a run cut short says nothing of the tests
 * it never reached.
 */
export function runPassed(
  r: Pick<TestRunResult, 'finished' | 'cancelled'>,
  failures: string[]
): boolean {
  return r.finished && !r.cancelled && failures.length === 0
}
