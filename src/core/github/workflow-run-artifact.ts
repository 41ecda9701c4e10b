/**
 * One artifact of another workflow run (the run a `workflow_run` workflow reports on), found by
 * name and downloaded through the REST API: `GET /repos/{owner}/{repo}/actions/runs/{run_id}/
 * artifacts?name=`, then `GET .../actions/artifacts/{id}/zip`, whose 302 leads to the blob. The
 * pull request's code wrote what is inside, so it is data with bounded size: the zip is refused
 * over its cap before the download and stopped at it during, its digest is checked against the
 * one the API lists, and only the entries asked for are unpacked, capped while they stream
 * (artifact-unzip.ts).
 */
import { createHash } from 'node:crypto'
import { createWriteStream, mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { HttpClient } from '@actions/http-client'
import { errorMessage, InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { unpackCapped, type UnzipLimits } from './artifact-unzip.js'
import type { GitHubClient, RepoRef } from './client.js'
import { describeRequestFailure } from './request-failure.js'
import { requestPolicyFromEnv } from './request-policy.js'

/** A downloaded artifact: its id and name, and the directory its wanted entries went to. */
export interface FetchedArtifact {
  id: number
  name: string
  directory: string
}

/** What to fetch, from where, with what, and how much of it to take. */
export interface FetchArtifactRequest {
  octokit: GitHubClient
  repo: RepoRef
  runId: number
  /** The artifact's name, as the measuring step uploaded it. */
  name: string
  /** Names the setting the name came from, for errors, e.g. `input 'artifact-name'`. */
  nameFrom: string
  /** Where the directory is created (RUNNER_TEMP in a job). */
  parentDir: string
  /** Refused above this many bytes (the zip, as listed and as downloaded). */
  maxBytes: number
  /** Paths inside the zip to unpack; every other entry is only counted. */
  wanted: readonly string[]
  /** Caps on the zip's entry count and on the bytes the wanted entries unpack to. */
  unzip: UnzipLimits
  logger: Logger
  /** The client's bounds (request-policy.ts) come from here too. */
  env?: NodeJS.ProcessEnv
}

/**
 * Finds the run's newest unexpired artifact named `name`, downloads it and unpacks the wanted
 * entries into a fresh directory.
 * @throws InputError when the run has no such artifact (naming the setting); Error when GitHub
 * could not list or serve it (saying what GitHub answered), when it is over a cap, or when its
 * digest is not the one listed.
 */
export async function fetchRunArtifact(req: FetchArtifactRequest): Promise<FetchedArtifact> {
  const artifact = await findArtifact(req)
  const label = `The artifact '${req.name}' of run ${req.runId}`
  if (artifact.size_in_bytes > req.maxBytes) {
    throw new Error(
      `${label} is ${artifact.size_in_bytes} bytes, over the ${req.maxBytes} this step reads: not downloaded.`
    )
  }
  const directory = mkdtempSync(join(req.parentDir, 'mace-run-artifact-'))
  const zipPath = join(directory, 'artifact.zip')
  try {
    const digest = await downloadZip(await blobUrl(req, artifact.id), zipPath, req)
    if (artifact.digest && artifact.digest !== `sha256:${digest}`) {
      throw new Error(
        `${label} downloaded with another digest than the API lists (${artifact.digest}): refused.`
      )
    }
    await unpackCapped(zipPath, directory, req.wanted, req.unzip).catch((error: unknown) => {
      throw new Error(`${label} is refused: ${errorMessage(error)}.`)
    })
  } finally {
    await rm(zipPath, { force: true })
  }
  req.logger.info(
    `Downloaded artifact '${req.name}' (id ${artifact.id}, ${artifact.size_in_bytes} bytes) of run ${req.runId}; unpacked ${req.wanted.join(', ')} to ${directory}`
  )
  return { id: artifact.id, name: artifact.name, directory }
}

interface ListedArtifact {
  id: number
  name: string
  size_in_bytes: number
  expired: boolean
  digest?: string | null
}

async function findArtifact(req: FetchArtifactRequest): Promise<ListedArtifact> {
  let listed: ListedArtifact[]
  try {
    listed = await req.octokit.paginate(req.octokit.rest.actions.listWorkflowRunArtifacts, {
      ...req.repo,
      run_id: req.runId,
      name: req.name,
      per_page: 100
    })
  } catch (error) {
    throw new Error(
      `Could not list the artifacts of run ${req.runId}: ${describeRequestFailure(error).message}.`
    )
  }
  // The newest one: a re-run's upload of the same name is listed beside the first attempt's.
  const newest = listed
    .filter(a => a.name === req.name && !a.expired)
    .sort((a, b) => b.id - a.id)[0]
  if (!newest) {
    throw new InputError(
      `Run ${req.runId} has no artifact named '${req.name}' (${req.nameFrom}). Expected the artifact-name its measuring step uploads; an expired artifact, or a run that stopped before its upload, has none.`
    )
  }
  return newest
}

/** Where the API redirects a download to: a short-lived signed URL of the blob store. */
async function blobUrl(req: FetchArtifactRequest, id: number): Promise<string> {
  try {
    const response = await req.octokit.rest.actions.downloadArtifact({
      ...req.repo,
      artifact_id: id,
      archive_format: 'zip',
      request: { redirect: 'manual' }
    })
    const location = (response.headers as Record<string, string | undefined>).location
    if (!location) throw new Error(`GitHub answered ${response.status} without a location`)
    return location
  } catch (error) {
    throw new Error(
      `Could not download the artifact '${req.name}' of run ${req.runId}: ${describeRequestFailure(error).message}.`
    )
  }
}

/** Streams the blob into `path`, stopping at the cap; the zip's sha256 in hex. */
async function downloadZip(url: string, path: string, req: FetchArtifactRequest): Promise<string> {
  const policy = requestPolicyFromEnv(req.env ?? process.env)
  // @actions/http-client: the runner's proxy settings, GET retried on 502/503/504, and a socket
  // that says nothing for the timeout is cut.
  const client = new HttpClient('mace-actions', [], {
    allowRetries: true,
    maxRetries: policy.retries,
    socketTimeout: policy.timeoutMs
  })
  try {
    const response = await client.get(url)
    const status = response.message.statusCode
    if (status !== 200) {
      response.message.resume()
      throw new Error(`the blob store answered ${status} ${response.message.statusMessage ?? ''}`)
    }
    const hash = createHash('sha256')
    const cap = new ZipCap(req.maxBytes, hash)
    await pipeline(response.message, cap, createWriteStream(path))
    return hash.digest('hex')
  } catch (error) {
    throw new Error(
      `Could not download the artifact '${req.name}' of run ${req.runId}: ${errorMessage(error)}.`
    )
  } finally {
    client.dispose()
  }
}

/** Counts and hashes the zip as it streams; fails before passing the chunk that crosses `cap`. */
class ZipCap extends Transform {
  private bytes = 0

  constructor(
    private readonly cap: number,
    private readonly hash: ReturnType<typeof createHash>
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.cap) {
      done(new Error(`it is over the ${this.cap} bytes this step reads: stopped there`))
      return
    }
    this.hash.update(chunk)
    done(null, chunk)
  }
}
