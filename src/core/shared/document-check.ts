/**
 * Checking a results document read back from disk (a merge of shards, a
 * report from another run's artifact) against its published JSON Schema
 * (`schemas/*.schema.json`, draft-07, generated from the TypeScript types),
 * so a document of another kind, of another version or damaged in transit
 * is refused with a clear error instead of being rendered half-wrong.
 */
import { readFileSync } from 'node:fs'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { InputError } from './errors.js'

/** One kind of results document and the schema it is published under. */
export interface DocumentKind {
  /** What people call it, e.g. `test results document (results.json)`. */
  name: string
  /** The schema file, as published in the repository, e.g. `schemas/test-results.schema.json`. */
  schemaFile: string
  /** The schema itself (imported JSON). */
  schema: object
  /** The `tool` the document says wrote it, e.g. `mace-actions test`. */
  tool: string
  /** The `schemaVersion` this version reads. */
  schemaVersion: number
}

// Errors past this many are counted, not listed: the first few say what is wrong.
const MAX_LISTED_ERRORS = 5

const compiled = new Map<object, ValidateFunction>()

/**
 * Parses `text` (read from `source`, a path or an artifact name) as a
 * document of `kind` and checks it against the kind's schema.
 * @throws InputError naming the source, what is wrong and where (JSON
 * pointers), when the text is not JSON, is another kind or version of
 * document, or does not match the schema.
 */
export function checkDocument<T>(text: string, source: string, kind: DocumentKind): T {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new InputError(
      `${source} is not a ${kind.name}: it is not JSON (${(e as Error).message}).`
    )
  }
  const header = value as { tool?: unknown; schemaVersion?: unknown } | null
  if (header === null || typeof header !== 'object' || header.tool !== kind.tool) {
    const tool = typeof header?.tool === 'string' ? `a '${header.tool}' document` : 'no tool field'
    throw new InputError(
      `${source} is not a ${kind.name}: it has ${tool}, where '${kind.tool}' was expected.`
    )
  }
  if (header.schemaVersion !== kind.schemaVersion) {
    throw new InputError(
      `${source} has schemaVersion ${JSON.stringify(header.schemaVersion)}; this version of mace-actions reads schemaVersion ${kind.schemaVersion} of the ${kind.name} (${kind.schemaFile}). Use the same version of the action for the run that wrote it and the one that reads it.`
    )
  }
  const validate = validatorFor(kind.schema)
  if (!validate(value)) {
    throw new InputError(
      `${source} is not a valid ${kind.name}: it does not match ${kind.schemaFile}: ${describeErrors(validate.errors ?? [])}`
    )
  }
  return value as T
}

/** Reads the file at `path` and checks it as `checkDocument` does. */
export function readDocument<T>(path: string, kind: DocumentKind): T {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new InputError(`Cannot read the ${kind.name} ${path}: ${(e as Error).message}`)
  }
  return checkDocument<T>(text, path, kind)
}

function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema)
  if (validate === undefined) {
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    compiled.set(schema, validate)
  }
  return validate
}

function describeErrors(errors: ErrorObject[]): string {
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map(describeError)
  const more = errors.length - listed.length
  return `${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`
}

function describeError(error: ErrorObject): string {
  const at = error.instancePath === '' ? 'the document' : error.instancePath
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
  const values = allowed === undefined ? '' : ` (${allowed.map(v => JSON.stringify(v)).join(', ')})`
  return `${at} ${error.message ?? 'is invalid'}${values}`
}
