/**
 * One artifact of another workflow run (the run a `workflow_run` workflow reports on), found by
 * name and downloaded through the REST API with @actions/artifact: `GET
 * /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts?name=`, then `GET
 * .../actions/artifacts/{id}/zip`, whose 302 leads to the blob, unpacked as it streams. The
 * pull request's code wrote what is inside, so its size is capped before the download and the
 * digest the API lists is checked after it.
 */
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact'
import { InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { RepoRef } from './client.js'

/** A downloaded artifact: its id and name, and the directory it was unpacked into. */
export interface FetchedArtifact {
  id: number
  name: string
  directory: string
}

/** What to fetch, from where, with what. */
export interface FetchArtifactRequest {
  repo: RepoRef
  runId: number
  /** The artifact's name, as the measuring step uploaded it. */
  name: string
  /** Names the setting the name came from, for errors, e.g. `input 'artifact-name'`. */
  nameFrom: string
  /** Needs `actions: read` on the repository. */
  token: string
  /** Where the directory is created (RUNNER_TEMP in a job). */
  parentDir: string
  /** Refused above this many bytes (the zip, as the API lists it). */
  maxBytes: number
  logger: Logger
}

/**
 * Finds the run's newest artifact named `name` and unpacks it into a fresh directory.
 * @throws InputError when the run has no such artifact (naming the setting), Error when it is
 * larger than `maxBytes`, the download fails, or its digest is not the one listed.
 */
export async function fetchRunArtifact(req: FetchArtifactRequest): Promise<FetchedArtifact> {
  const client = new DefaultArtifactClient()
  const findBy = {
    token: req.token,
    workflowRunId: req.runId,
    repositoryOwner: req.repo.owner,
    repositoryName: req.repo.repo
  }
  const { artifact } = await client.getArtifact(req.name, { findBy }).catch((error: unknown) => {
    if (!(error instanceof ArtifactNotFoundError)) throw error
    throw new InputError(
      `Run ${req.runId} has no artifact named '${req.name}' (${req.nameFrom}). Expected the artifact-name its measuring step uploads; an expired artifact, or a run that stopped before its upload, has none.`
    )
  })
  if (artifact.size > req.maxBytes) {
    throw new Error(
      `The artifact '${req.name}' of run ${req.runId} is ${artifact.size} bytes, over the ${req.maxBytes} this step reads: not downloaded.`
    )
  }
  const directory = mkdtempSync(join(req.parentDir, 'mace-run-artifact-'))
  const out = await client.downloadArtifact(artifact.id, {
    path: directory,
    findBy,
    ...(artifact.digest ? { expectedHash: artifact.digest } : {})
  })
  if (out.digestMismatch) {
    throw new Error(
      `The artifact '${req.name}' of run ${req.runId} downloaded with another digest than the API lists (${artifact.digest}): refused.`
    )
  }
  req.logger.info(
    `Downloaded artifact '${req.name}' (id ${artifact.id}, ${artifact.size} bytes) of run ${req.runId} to ${directory}`
  )
  return { id: artifact.id, name: artifact.name, directory }
}
