/** The perf results document on disk: `compare.json` or `snapshot.json` in the output directory. */
import schema from '../../../schemas/perf-results.schema.json' with { type: 'json' }
import { readDocument, type DocumentKind } from '../shared/document-check.js'
import type { PerfRunResult } from './results.js'

/** The perf results document as published: `schemas/perf-results.schema.json`. */
export const PERF_RESULTS_DOCUMENT: DocumentKind = {
  name: 'perf results document (compare.json or snapshot.json)',
  schemaFile: 'schemas/perf-results.schema.json',
  schema,
  tool: 'mace-actions perf',
  schemaVersion: 1
}

/**
 * Reads a perf results document (here or from another run) and checks it
 * against its schema.
 * @throws InputError when the file is missing, not JSON or not such a document.
 */
export function readPerfResults(path: string): PerfRunResult {
  return readDocument<PerfRunResult>(path, PERF_RESULTS_DOCUMENT)
}
