/**
 * Artifacts of the current workflow run, downloaded by a later job of the
 * same run (a merge job that `needs:` a matrix): listed and downloaded
 * through @actions/artifact with the job's runtime token.
 */
import { join } from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { InputError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'

/** One downloaded artifact: its name and the directory it was unpacked into. */
export interface DownloadedArtifact {
  name: string
  directory: string
}

/**
 * Downloads every artifact of this run whose name `matches`, each into
 * `<dir>/<name>`.
 * @throws InputError when there is no artifact service (outside Actions);
 * Error when a listing or a download fails.
 */
export async function downloadRunArtifacts(
  matches: (name: string) => boolean,
  dir: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env
): Promise<DownloadedArtifact[]> {
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    throw new InputError(
      "mode 'merge' downloads the shards' artifacts of this workflow run, but there is no artifact service here (ACTIONS_RUNTIME_TOKEN is not set). Run it in a job that needs the matrix, or merge locally: mace-actions test merge RESULTS.json…"
    )
  }
  const client = new DefaultArtifactClient()
  const { artifacts } = await client.listArtifacts({ latest: true })
  const wanted = artifacts.filter(a => matches(a.name)).sort((a, b) => a.name.localeCompare(b.name))
  const downloaded: DownloadedArtifact[] = []
  for (const artifact of wanted) {
    const directory = join(dir, artifact.name)
    await client.downloadArtifact(artifact.id, { path: directory })
    logger.info(`Downloaded artifact '${artifact.name}' (id ${artifact.id}) to ${directory}`)
    downloaded.push({ name: artifact.name, directory })
  }
  return downloaded
}
