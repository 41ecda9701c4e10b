/** The soak results document on disk: `<metrics>/soak.json`. */
import schema from '../../../schemas/soak-results.schema.json' with { type: 'json' }
import { readDocument, type DocumentKind } from '../shared/document-check.js'
import type { SoakResult } from './results.js'

/** The soak results document as published: `schemas/soak-results.schema.json`. */
export const SOAK_RESULTS_DOCUMENT: DocumentKind = {
  name: 'soak results document (soak.json)',
  schemaFile: 'schemas/soak-results.schema.json',
  schema,
  tool: 'mace-actions soak',
  schemaVersion: 1
}

/**
 * Reads a soak results document (here or from another run) and checks it
 * against its schema.
 * @throws InputError when the file is missing, not JSON or not such a document.
 */
export function readSoakResults(path: string): SoakResult {
  return readDocument<SoakResult>(path, SOAK_RESULTS_DOCUMENT)
}
