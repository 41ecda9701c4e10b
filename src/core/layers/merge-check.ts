/**
 * What a merge believes of one shard's results document: nothing it says of
 * itself. Every verdict (each attempt's and case's, each layer's, the build's,
 * the failures and flaky lists, `passed`) is computed again from the tests and
 * commands it records; the document must be finished (its run's last write)
 * and its own claims must agree with that evidence, or the findings say where
 * they do not. A document edited by hand, or cut short by a SIGKILL, is named.
 */
import type { Attempt, BuildResult, CaseResult, LayerResult, TestRunResult } from './results.js'
import { layersOf } from './plan-selection.js'
import { TEST_MODES, type TestMode } from './settings.js'
import {
  attemptFailure,
  buildFailure,
  caseStatusOf,
  failuresOf,
  flakyOf,
  layerStatusOf,
  runPassed,
  statusClass
} from './verdict.js'

/** A document with its verdicts recomputed, and what was wrong with it. */
export interface CheckedDocument {
  /** The document with every verdict recomputed from its evidence. */
  result: TestRunResult
  /** Why it is partial (never marked finished), in words; undefined when it finished. */
  unfinished?: string
  /** Where its own verdicts contradict its evidence, in words, most telling first. */
  contradictions: string[]
}

/** Recomputes every verdict of `doc` from its evidence and says where the document disagrees. */
export function recheckDocument(doc: TestRunResult): CheckedDocument {
  const said: string[] = []
  const builds = doc.builds.map(b => recheckBuild(b, said))
  const layers = doc.layers.map((l, i) => recheckLayer(l, doc, i === doc.layers.length - 1, said))
  const evidence = { builds, selectionProblems: doc.selectionProblems, layers }
  const failures = failuresOf(evidence)
  const flaky = flakyOf(evidence)
  const passed = runPassed(doc, failures)
  const overall: string[] = []
  if (doc.passed && !passed) {
    overall.push(
      failures.length > 0
        ? `it says passed, but ${listed(failures)} failed`
        : 'it says passed, but it never finished'
    )
  }
  if (!sameItems(doc.failures, failures)) {
    overall.push(`its failures list says ${listed(doc.failures)}, its evidence ${listed(failures)}`)
  }
  if (!sameItems(doc.flaky, flaky)) {
    overall.push(`its flaky list says ${listed(doc.flaky)}, its evidence ${listed(flaky)}`)
  }
  if (failures.length === 0 && doc.finished && !doc.cancelled) overall.push(...missingLayers(doc))
  return {
    result: { ...doc, builds, layers, failures, flaky, passed },
    ...(doc.finished ? {} : { unfinished: unfinishedReason(doc) }),
    contradictions: [...overall, ...said]
  }
}

/** A build's verdict from its command and diagnostics. */
function recheckBuild(b: BuildResult, said: string[]): BuildResult {
  const why = buildFailure(b)
  if (!b.passed || why === undefined) return b
  said.push(`its build (features ${b.features || '(none)'}) says passed, but ${why}`)
  return { ...b, passed: false }
}

/**
 * A layer's verdict from its cases' verdicts, recomputed from their attempts.
 * In a run cut short (killed or cancelled), a layer that says incomplete, and
 * the `last` layer whatever it says, may have been cut: unless a case failed,
 * it is incomplete, and the cut, not an edit, explains what it says.
 */
function recheckLayer(
  l: LayerResult,
  doc: TestRunResult,
  last: boolean,
  said: string[]
): LayerResult {
  const cases = l.cases.map(c => recheckCase(c, said))
  const cutShort = !doc.finished || doc.cancelled
  const mayBeCut = cutShort && (l.status === 'incomplete' || last)
  const status = layerStatusOf(cases, l.name, doc.selectionProblems, mayBeCut)
  if (status !== l.status && !(mayBeCut && l.status !== 'failed')) {
    said.push(`layer ${l.name} says ${l.status}, its cases ${status}`)
  }
  return { ...l, status, cases }
}

/**
 * A case's verdict from its attempts' evidence. An attempt that says passed
 * while its tests or command say otherwise did not pass; a status of the same
 * class as the evidence's keeps its detail (`error`, `timed-out`).
 */
function recheckCase(c: CaseResult, said: string[]): CaseResult {
  const attempts = c.attempts.map((a): Attempt => {
    const why = attemptFailure(a)
    if (!a.passed || why === undefined) return a
    said.push(`${c.id} attempt ${a.number} says passed, but ${why}`)
    return { ...a, passed: false }
  })
  const evidence = caseStatusOf(attempts)
  const same = statusClass(evidence) === statusClass(c.status)
  if (!same) said.push(`${c.id} says ${c.status}, its attempts ${evidence}`)
  return { ...c, attempts, status: same ? c.status : evidence }
}

/** Layers of the mode that a run which failed nothing must have run, and did not. */
function missingLayers(doc: TestRunResult): string[] {
  if (!(TEST_MODES as readonly string[]).includes(doc.mode)) return []
  const present = new Set(doc.layers.map(l => l.name))
  return layersOf(doc.mode as TestMode)
    .filter(name => !present.has(name))
    .map(name => `layer ${name} of mode ${doc.mode} is missing, though nothing failed before it`)
}

/** Why an unfinished document is partial, with what its run was doing when it stopped. */
function unfinishedReason(doc: TestRunResult): string {
  const r = doc.running
  const what =
    r === undefined
      ? 'between two steps'
      : r.step === 'case'
        ? `while running case ${r.case ?? '?'}`
        : `during the ${r.step === 'build' ? 'build' : 'listing of the tests'}`
  return `its results document was never marked finished: the run was stopped ${what} (killed, e.g. by SIGKILL or the job's timeout, or out of disk) before its last write, so it is partial`
}

function sameItems(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n')
}

function listed(items: string[]): string {
  return items.length === 0 ? 'nothing' : items.join(', ')
}
