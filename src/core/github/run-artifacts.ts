/**
 * Artifacts of the current workflow run, downloaded by a later job of the
 * same run (a merge job that `needs:` a matrix): listed and downloaded
 * through @actions/artifact with the job's runtime token. The listing holds
 * every attempt's artifacts: a re-run job's uploads sit beside the first
 * attempt's (artifacts are immutable, so they carry different names).
 */
import { join } from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { errorMessage, InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'

/** One artifact of this run, as the artifact service lists it. */
export interface RunArtifact {
  id: number
  name: string
  /** Bytes of the zip. */
  size: number
}

/** One downloaded artifact: its name and the directory it was unpacked into. */
export interface DownloadedArtifact {
  name: string
  directory: string
}

/**
 * Every artifact of this run, of every attempt.
 * @throws InputError when there is no artifact service (outside Actions);
 * Error, saying so, when the listing fails after the client's retries.
 */
export async function listRunArtifacts(
  env: NodeJS.ProcessEnv = process.env
): Promise<RunArtifact[]> {
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    throw new InputError(
      "mode 'merge' downloads the shards' artifacts of this workflow run, but there is no artifact service here (ACTIONS_RUNTIME_TOKEN is not set). Run it in a job that needs the matrix, or merge locally: mace-actions test merge RESULTS.json…"
    )
  }
  try {
    const { artifacts } = await new DefaultArtifactClient().listArtifacts({ latest: true })
    return artifacts.map(a => ({ id: a.id, name: a.name, size: a.size }))
  } catch (error) {
    throw new Error(`Could not list this run's artifacts: ${errorMessage(error)}`)
  }
}

/**
 * Downloads each artifact into `<dir>/<name>`.
 * @throws Error naming the artifact when a download fails after the client's retries.
 */
export async function downloadRunArtifacts(
  artifacts: readonly RunArtifact[],
  dir: string,
  logger: Logger
): Promise<DownloadedArtifact[]> {
  const client = new DefaultArtifactClient()
  const downloaded: DownloadedArtifact[] = []
  for (const artifact of artifacts) {
    const directory = join(dir, artifact.name)
    try {
      await client.downloadArtifact(artifact.id, { path: directory })
    } catch (error) {
      throw new Error(
        `Could not download artifact '${artifact.name}' (id ${artifact.id}): ${errorMessage(error)}`
      )
    }
    logger.info(`Downloaded artifact '${artifact.name}' (id ${artifact.id}) to ${directory}`)
    downloaded.push({ name: artifact.name, directory })
  }
  return downloaded
}
