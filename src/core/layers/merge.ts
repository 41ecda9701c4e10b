/**
 * One verdict for a job matrix: the results documents of its shards merged
 * into one document, from which the usual renderings (summary, JUnit,
 * annotations, outputs) follow. Every shard of the matrix must be there, must
 * have finished, and must have run the same plan; a shard that is missing,
 * was cancelled or ran another plan fails the merge, named.
 */
import { InputError } from '../shared/errors.js'
import {
  LAYERS,
  type LayerResult,
  type MergedShards,
  type RunNote,
  type SelectionProblem,
  type TestRunResult
} from './results.js'

/** A shard's document and where it came from (a path, or an artifact name). */
export interface ShardDocument {
  source: string
  result: TestRunResult
}

/** How the merge names what it expected but did not get. */
export interface MergeOptions {
  /** Where the merged document and its renderings go. */
  outputDir: string
  /** Where shard `index` of `total` should have come from, e.g. its artifact's name. */
  expectedSource: (index: number, total: number) => string
}

/**
 * Merges the shards' documents into one.
 * @throws InputError when there is no document, a document is not a shard's,
 * the shards disagree on how many there are, or one shard comes twice.
 */
export function mergeShardResults(docs: ShardDocument[], options: MergeOptions): TestRunResult {
  const first = checkShards(docs)
  const total = first.result.shard!.total
  const ordered = [...docs].sort((a, b) => a.result.shard!.index - b.result.shard!.index)
  const merged: MergedShards = {
    total,
    planDigest: first.result.shard!.planDigest,
    shards: ordered.map(d => ({
      index: d.result.shard!.index,
      source: d.source,
      passed: d.result.passed,
      cancelled: d.result.cancelled
    })),
    problems: shardProblems(ordered, total, first.result.shard!.planDigest, options)
  }
  const results = ordered.map(d => d.result)
  const failures = unique([...merged.problems.map(p => p.id), ...results.flatMap(r => r.failures)])
  return {
    schemaVersion: 1,
    tool: 'mace-actions test',
    mode: first.result.mode,
    startedAt: results.map(r => r.startedAt).sort()[0] ?? first.result.startedAt,
    // The shards ran side by side: the matrix took as long as its slowest shard.
    durationMs: Math.max(...results.map(r => r.durationMs)),
    workingDirectory: first.result.workingDirectory,
    passed: failures.length === 0,
    cancelled: false,
    planSource: first.result.planSource,
    builds: results.flatMap(r => r.builds),
    selectionProblems: uniqueBy(
      results.flatMap(r => r.selectionProblems),
      p => `${p.id}\n${p.message}`
    ),
    layers: mergeLayers(ordered),
    failures,
    flaky: unique(results.flatMap(r => r.flaky)),
    notes: uniqueBy(
      results.flatMap(r => r.notes),
      (n: RunNote) => `${n.level}\n${n.message}`
    ),
    outputDir: options.outputDir,
    merged
  }
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

/** Missing, cancelled and other-plan shards, each a failure named `shard K/N`. */
function shardProblems(
  docs: ShardDocument[],
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
    } else if (doc.result.cancelled) {
      problems.push({
        id,
        message: `Shard ${index}/${total} (${doc.source}) was cancelled before it finished: its results are partial.`
      })
    }
  }
  return problems
}

/** Each layer once, in run order: the shards' cases side by side, each marked with its shard. */
function mergeLayers(docs: ShardDocument[]): LayerResult[] {
  return LAYERS.flatMap(name => {
    const parts = docs.flatMap(d =>
      d.result.layers
        .filter(l => l.name === name)
        .map(l => ({ layer: l, shard: d.result.shard!.index }))
    )
    if (parts.length === 0) return []
    const statuses = parts.map(p => p.layer.status)
    const status: LayerResult['status'] = statuses.includes('failed')
      ? 'failed'
      : statuses.every(s => s === 'skipped')
        ? 'skipped'
        : 'passed'
    return [
      {
        name,
        status,
        durationMs: Math.max(...parts.map(p => p.layer.durationMs)),
        cases: parts.flatMap(p => p.layer.cases.map(c => ({ ...c, shard: p.shard })))
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
