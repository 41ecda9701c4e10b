/**
 * What a merge says of a shard cut short (killed before its last write, or
 * cancelled): which layers it left without a verdict and which of the cases
 * dealt to it never ran, so the merged document names the work no shard did
 * rather than passing over it.
 */
import { LAYERS, type CaseResult, type LayerName, type TestRunResult } from './results.js'

/** True when a shard's run was cut short: never marked finished, or cancelled. */
export function cutShort(doc: TestRunResult): boolean {
  return !doc.finished || doc.cancelled
}

/**
 * True when `layer` of the merged run has no verdict: a shard of 1..`total`
 * is missing, or a cut shard did not end its part of the layer (a case dealt
 * to it never ran; when its cases are not known, its part is missing or incomplete).
 */
export function layerCut(layer: LayerName, docs: TestRunResult[], total: number): boolean {
  if (docs.length < total) return true
  return docs.some(d => {
    if (!cutShort(d)) return false
    if (d.shard?.planned !== undefined) return neverRan(d).some(c => c.layer === layer)
    const own = d.layers.find(l => l.name === layer)
    return own === undefined || own.status === 'incomplete'
  })
}

/**
 * The cases dealt to a cut shard (`shard.planned`) that it never ran, each as
 * a `cancelled` case with no attempt, marked with its shard. A case whose
 * selection failed the guard is not among them: it is a failure of its own.
 */
export function neverRan(doc: TestRunResult): CaseResult[] {
  const planned = doc.shard?.planned
  if (!cutShort(doc) || planned === undefined) return []
  const seen = new Set([
    ...doc.layers.flatMap(l => l.cases.map(c => c.id)),
    ...doc.selectionProblems.map(p => p.id)
  ])
  return planned
    .filter(id => !seen.has(id))
    .map(id => ({
      id,
      layer: layerOf(id),
      targets: [],
      features: '',
      status: 'cancelled',
      attempts: [],
      maxAttempts: 1,
      shard: doc.shard!.index
    }))
}

/** What a cut shard's message adds: the cases it never ran, or its share when not known case by case. */
export function neverRanWords(doc: TestRunResult): string {
  const missing = neverRan(doc).map(c => c.id)
  if (doc.shard?.planned !== undefined) {
    return missing.length === 0
      ? 'Every case dealt to it had ended.'
      : `Of the cases dealt to it, these never ran to their end (listed as cancelled): ${missing.join(', ')}.`
  }
  return `Its share (${doc.shard?.share ?? 'unknown'}) is not known case by case, so what of it never ran is not listed.`
}

function layerOf(id: string): LayerName {
  const name = id.split(':')[0] as LayerName
  return LAYERS.includes(name) ? name : 'fast'
}
