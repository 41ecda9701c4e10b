/** The results document on disk: written after every case, so nothing measured is lost. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestRunResult } from './results.js'

/** Path of the results document inside an output directory. */
export function resultsPath(outputDir: string): string {
  return join(outputDir, 'results.json')
}

/** Writes the document atomically (a reader never sees half a file). */
export function writeTestResults(result: TestRunResult): string {
  mkdirSync(result.outputDir, { recursive: true })
  const path = resultsPath(result.outputDir)
  writeFileSync(`${path}.tmp`, `${JSON.stringify(result, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
  return path
}

/** Reads a results document written by `writeTestResults`. */
export function readTestResults(path: string): TestRunResult {
  return JSON.parse(readFileSync(path, 'utf8')) as TestRunResult
}
