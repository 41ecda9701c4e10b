import { stat } from 'node:fs/promises'
import { DefaultArtifactClient } from '@actions/artifact'
import { errorMessage, InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'

/** Files to upload as one artifact, stored under their paths relative to `rootDirectory`. */
export interface ArtifactUploadRequest {
  name: string
  rootDirectory: string
  /** Absolute paths under `rootDirectory`. */
  files: string[]
  /** Days to keep the artifact; the repository's own maximum still applies. */
  retentionDays?: number
  /**
   * The upload is the step's result, not an extra (a shard's results, which the merge job reads):
   * a failure is left to the caller to fail the step with, instead of a warning here.
   */
  required?: boolean
}

/** How an upload ended. `skipped` and `failed` leave the results on disk, untouched. */
export type ArtifactUploadOutcome =
  | { status: 'uploaded'; id: number; size: number; name: string }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string }

// The characters the artifact service refuses in a name (@actions/artifact's
// validateArtifactName: NTFS-unsafe characters and path separators).
const REFUSED_NAME_CHARACTERS: readonly [string, string][] = [
  ['"', 'double quote "'],
  [':', 'colon :'],
  ['<', 'less than <'],
  ['>', 'greater than >'],
  ['|', 'vertical bar |'],
  ['*', 'asterisk *'],
  ['?', 'question mark ?'],
  ['\r', 'carriage return'],
  ['\n', 'line feed'],
  ['\\', 'backslash \\'],
  ['/', 'forward slash /']
]

/**
 * Checks an artifact name before anything runs, so a name the artifact
 * service would refuse fails at once, not at upload time after hours of work.
 * An empty name means no upload and is fine.
 * @throws InputError naming the input, the name and the refused characters.
 */
export function checkArtifactName(name: string, from: string): void {
  const found = REFUSED_NAME_CHARACTERS.filter(([c]) => name.includes(c)).map(([, what]) => what)
  if (found.length === 0) return
  throw new InputError(
    `Invalid ${from}: '${name}' contains ${found.join(', ')}, which the artifact service refuses. Expected a name without " : < > | * ? \\ / or line breaks, e.g. 'mace-test-results', or an empty value for no upload.`
  )
}

// What @actions/artifact reads from process.env while it uploads.
const CLIENT_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS'
]

/**
 * Uploads the files as one artifact; @actions/artifact retries a transient failure (5xx, 429)
 * for about 20 s. Never throws: without the artifact service (outside Actions) it is skipped,
 * and any failure is an outcome (a warning unless `required`), because the results are already
 * measured and must not be lost to the upload.
 */
export async function uploadArtifact(
  request: ArtifactUploadRequest,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env
): Promise<ArtifactUploadOutcome> {
  const { name, rootDirectory } = request
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    const reason = 'Artifact service not available (ACTIONS_RUNTIME_TOKEN is not set)'
    logger.info(`${reason}: results stay in ${rootDirectory}`)
    return { status: 'skipped', reason }
  }
  try {
    const files = await existingFiles(request.files, logger)
    if (files.length === 0) {
      const reason = `no files to upload for artifact '${name}'`
      logger.info(`Artifact upload skipped: ${reason}; results stay in ${rootDirectory}`)
      return { status: 'skipped', reason }
    }
    const options =
      request.retentionDays === undefined ? {} : { retentionDays: request.retentionDays }
    const client = new DefaultArtifactClient()
    const result = await withClientEnv(env, () =>
      client.uploadArtifact(name, files, rootDirectory, options)
    )
    if (result.id === undefined) throw new Error('the service returned no artifact id')
    logger.info(`Uploaded artifact '${name}' (id ${result.id}, ${result.size ?? 0} bytes)`)
    return { status: 'uploaded', id: result.id, size: result.size ?? 0, name }
  } catch (error) {
    const reason = uploadFailure(error)
    const say = `Artifact '${name}' was not uploaded: ${reason}. Results stay in ${rootDirectory}`
    if (request.required) logger.info(say)
    else logger.warning(say)
    return { status: 'failed', reason }
  }
}

/** What went wrong, with the blob store's status when it was the one that refused. */
function uploadFailure(error: unknown): string {
  // @azure/storage-blob's RestError, thrown once its own retries of a block are spent.
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  const message = errorMessage(error)
  return typeof status === 'number'
    ? `the artifact storage answered ${status} after the client's retries: ${message}`
    : message
}

async function existingFiles(files: string[], logger: Logger): Promise<string[]> {
  const found: string[] = []
  for (const file of files) {
    const isFile = await stat(file).then(
      s => s.isFile(),
      () => false
    )
    if (isFile) found.push(file)
    else logger.warning(`Not adding ${file} to the artifact: it does not exist or is not a file`)
  }
  return found
}

// The client reads its configuration from process.env when called, so a caller's env only takes
// effect if it is in process.env for the duration of the upload; the original is put back after.
async function withClientEnv<T>(env: NodeJS.ProcessEnv, upload: () => Promise<T>): Promise<T> {
  if (env === process.env) return upload()
  const saved = CLIENT_ENV.map(key => [key, process.env[key]] as const)
  for (const key of CLIENT_ENV) setEnv(key, env[key])
  try {
    return await upload()
  } finally {
    for (const [key, value] of saved) setEnv(key, value)
  }
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key]
  else process.env[key] = value
}
