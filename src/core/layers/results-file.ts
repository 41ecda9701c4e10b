/** The results document on disk: written after every case, so nothing measured is lost. */
import { mkdirSync } from 'node:fs'
import { writeFileAtomic } from '../shared/atomic-file.js'
import { join } from 'node:path'
import schema from '../../../schemas/test-results.schema.json' with { type: 'json' }
import { readDocument, type DocumentKind } from '../shared/document-check.js'
import type { TestRunResult } from './results.js'

/** The test results document as published: `results.json`, `schemas/test-results.schema.json`. */
export const TEST_RESULTS_DOCUMENT: DocumentKind = {
  name: 'test results document (results.json)',
  schemaFile: 'schemas/test-results.schema.json',
  schema,
  tool: 'mace-actions test',
  schemaVersion: 1
}

/** Path of the results document inside an output directory. */
export function resultsPath(outputDir: string): string {
  return join(outputDir, 'results.json')
}

/** Writes the document atomically (a reader never sees half a file). */
export function writeTestResults(result: TestRunResult): string {
  mkdirSync(result.outputDir, { recursive: true })
  const path = resultsPath(result.outputDir)
  writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`)
  return path
}

/**
 * Reads a results document written by `writeTestResults` (here or in another
 * run) and checks it against its schema.
 * @throws InputError when the file is missing, not JSON or not such a document.
 */
export function readTestResults(path: string): TestRunResult {
  return readDocument<TestRunResult>(path, TEST_RESULTS_DOCUMENT)
}
