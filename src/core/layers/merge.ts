/**
 * One verdict for a job matrix: the results documents of its shards merged
 * into one document, from which the usual renderings (summary, JUnit,
 * annotations, outputs) follow. No verdict is copied from a shard: each is
 * computed again from the tests and attempts its document records
 * (`merge-check.ts`). Every shard of the matrix must be there, must have
 * finished, must agree with its own evidence and must have run the same plan;
 * a shard that is missing, was cancelled or cut short, contradicts itself or
 * ran another plan fails the merge, named with why.
 */
import { InputError } from '../shared/errors.js'
import { recheckDocument, type CheckedDocument } from './merge-check.js'
import { cutShort, layerCut, neverRan, neverRanWords } from './merge-cut.js'
import { layersOf } from './plan-selection.js'
import type { TestMode } from './settings.js'
import {
  LAYERS,
  type LayerName,
  type LayerResult,
  type MergedShards,
  type RunNote,
  type SelectionProblem,
  type TestRunResult
} from './results.js'
import { flakyOf, layerStatusOf, runPassed } from './verdict.js'

/** A shard's document and where it came from (a path, or an artifact name). */
export interface ShardDocument {
  source: string
  /** The run attempt whose job stored it (GITHUB_RUN_ATTEMPT), when it came from an artifact. */
  attempt?: number
  result: TestRunResult
}

/** How the merge names what it expected but did not get. */
export interface MergeOptions {
  /** Where the merged document and its renderings go. */
  outputDir: string
  /** Where shard `index` of `total` should have come from, e.g. its artifact's name. */
  expectedSource: (index: number, total: number) => string
}

/** A shard's document as read, and as its evidence says. */
interface Rechecked extends ShardDocument {
  checked: CheckedDocument
}

// A shard that contradicts itself in many places is named by the first few.
const MAX_CONTRADICTIONS = 4

/**
 * Merges the shards' documents into one, every verdict recomputed.
 * @throws InputError when there is no document, a document is not a shard's,
 * the shards disagree on how many there are, or one shard comes twice.
 */
export function mergeShardResults(docs: ShardDocument[], options: MergeOptions): TestRunResult {
  const first = checkShards(docs)
  const total = first.result.shard!.total
  const ordered: Rechecked[] = [...docs]
    .sort((a, b) => a.result.shard!.index - b.result.shard!.index)
    .map(d => ({ ...d, checked: recheckDocument(d.result) }))
  const problems = shardProblems(ordered, total, first.result.shard!.planDigest, options)
  const results = ordered.map(d => d.checked.result)
  const failures = unique([...problems.map(p => p.id), ...results.flatMap(r => r.failures)])
  const selectionProblems = uniqueBy(
    results.flatMap(r => r.selectionProblems),
    p => `${p.id}\n${p.message}`
  )
  const layers = mergeLayers(ordered, total, selectionProblems)
  const merged: MergedShards = {
    total,
    planDigest: first.result.shard!.planDigest,
    shards: ordered.map(d => ({
      index: d.result.shard!.index,
      source: d.source,
      passed: d.checked.result.passed && !problems.some(p => p.id === shardId(d.result)),
      cancelled: d.result.cancelled
    })),
    problems
  }
  const done = { finished: true, cancelled: false }
  return {
    schemaVersion: 1,
    tool: 'mace-actions test',
    mode: first.result.mode,
    startedAt: results.map(r => r.startedAt).sort()[0] ?? first.result.startedAt,
    // The shards ran side by side: the matrix took as long as its slowest shard.
    durationMs: Math.max(...results.map(r => r.durationMs)),
    workingDirectory: first.result.workingDirectory,
    passed: runPassed(done, failures),
    ...done,
    planSource: first.result.planSource,
    builds: results.flatMap(r => r.builds),
    selectionProblems,
    layers,
    failures,
    flaky: unique(flakyOf({ layers })),
    notes: uniqueBy(
      results.flatMap(r => r.notes),
      (n: RunNote) => `${n.level}\n${n.message}`
    ),
    outputDir: options.outputDir,
    merged
  }
}

/** `shard K/N`, the name a shard's problem has in the failures list. */
function shardId(result: TestRunResult): string {
  return `shard ${result.shard!.index}/${result.shard!.total}`
}

function checkShards(docs: ShardDocument[]): ShardDocument {
  const first = docs[0]
  if (first === undefined) {
    throw new InputError('No shard results to merge. Expected the results.json of every shard.')
  }
  for (const doc of docs) {
    if (doc.result.shard === undefined) {
      throw new InputError(
        `${doc.source} is not a shard's results (it has no shard): run each job of the matrix with 'shard: K/N', then merge.`
      )
    }
  }
  const totals = new Set(docs.map(d => d.result.shard!.total))
  if (totals.size > 1) {
    const said = docs.map(d => `${d.source}: ${d.result.shard!.index}/${d.result.shard!.total}`)
    throw new InputError(`The shards disagree on how many there are (${said.join('; ')}).`)
  }
  const seen = new Map<number, string>()
  for (const doc of docs) {
    const index = doc.result.shard!.index
    const earlier = seen.get(index)
    if (earlier !== undefined) {
      throw new InputError(
        `Shard ${index}/${first.result.shard!.total} comes twice: ${earlier} and ${doc.source}.`
      )
    }
    seen.set(index, doc.source)
  }
  return first
}

/** Missing, other-plan, cancelled, unfinished and self-contradicting shards, each named `shard K/N`. */
function shardProblems(
  docs: Rechecked[],
  total: number,
  digest: string,
  options: MergeOptions
): SelectionProblem[] {
  const problems: SelectionProblem[] = []
  const present = new Map(docs.map(d => [d.result.shard!.index, d]))
  for (let index = 1; index <= total; index++) {
    const id = `shard ${index}/${total}`
    const doc = present.get(index)
    if (doc === undefined) {
      problems.push({
        id,
        message: `No results from shard ${index}/${total} (expected ${options.expectedSource(index, total)}): its job failed or was cancelled before it wrote them, or did not run.`
      })
    } else if (doc.result.shard!.planDigest !== digest) {
      problems.push({
        id,
        message: `Shard ${index}/${total} (${doc.source}) ran another plan than shard ${docs[0]!.result.shard!.index}/${total} (plan ${doc.result.shard!.planDigest}, not ${digest}): every shard must run the same inputs on the same commit.`
      })
    } else {
      const message = untrusted(doc, `Shard ${index}/${total} (${doc.source})`)
      if (message !== undefined) problems.push({ id, message })
    }
  }
  return problems
}

/** Why a shard's document cannot stand as its verdict (cancelled, cut short, self-contradicting). */
function untrusted(doc: Rechecked, name: string): string | undefined {
  const { unfinished, contradictions } = doc.checked
  const said: string[] = []
  if (doc.result.cancelled)
    said.push(`${name} was cancelled before it finished: its results are partial.`)
  else if (unfinished !== undefined) said.push(`${name} did not finish: ${unfinished}.`)
  if (cutShort(doc.result)) said.push(neverRanWords(doc.result))
  if (contradictions.length > 0) {
    const shown = contradictions.slice(0, MAX_CONTRADICTIONS).join('; ')
    const more = contradictions.length - MAX_CONTRADICTIONS
    said.push(
      `${name} contradicts its own evidence, so it was edited or damaged: ${shown}${more > 0 ? `; and ${more} more` : ''}. Its verdicts were recomputed from its tests and attempts.`
    )
  }
  return said.length > 0 ? said.join(' ') : undefined
}

/**
 * Each layer once, in run order: the shards' cases side by side, each marked
 * with its shard, then the cases a cut shard never ran; the layer's status
 * computed from them, incomplete (never passed) when a shard's part of it did
 * not end. A layer of the mode no shard reached is there too, when one was cut.
 */
function mergeLayers(
  docs: Rechecked[],
  total: number,
  problems: SelectionProblem[]
): LayerResult[] {
  const results = docs.map(d => d.checked.result)
  const anyCut = results.length < total || results.some(cutShort)
  const mode = docs[0]!.result.mode
  const ofMode = (name: LayerName): boolean =>
    anyCut && (layersOf(mode as TestMode) as string[]).includes(name)
  return LAYERS.flatMap(name => {
    const parts = docs.flatMap(d =>
      d.checked.result.layers
        .filter(l => l.name === name)
        .map(l => ({ layer: l, shard: d.result.shard!.index }))
    )
    const unrun = results.flatMap(neverRan).filter(c => c.layer === name)
    if (parts.length === 0 && unrun.length === 0 && !ofMode(name)) return []
    const cases = [
      ...parts.flatMap(p => p.layer.cases.map(c => ({ ...c, shard: p.shard }))),
      ...unrun
    ]
    const cut = layerCut(name, results, total)
    return [
      {
        name,
        status: layerStatusOf(cases, name, problems, cut),
        durationMs: Math.max(0, ...parts.map(p => p.layer.durationMs)),
        cases
      }
    ]
  })
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>()
  return items.filter(item => {
    const k = key(item)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
