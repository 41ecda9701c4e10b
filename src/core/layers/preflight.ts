/**
 * Before any command of a test run: the crate directory and the output
 * directory are checked on disk, and the default features settle on what the
 * crate declares. Nothing runs when a path is wrong; nothing the user wrote in
 * the output directory is ever cleared.
 */
import { statSync } from 'node:fs'
import { readCargoWorkspace } from '../cargo/metadata.js'
import { InputError } from '../shared/errors.js'
import { checkCrateDirectory, claimOutputDirectory, type DirectoryOwner } from '../shared/paths.js'
import type { RunNote } from './results.js'
import { REFERENCE_FEATURES, type TestSettings } from './settings.js'

/** What a test run writes into its output directory, and what an earlier run leaves there. */
export const TEST_OUTPUT_OWNER: DirectoryOwner = {
  tool: 'mace-actions test',
  ownFiles: ['results.json']
}

/** The settings a run uses once the crate is known, and what the user should be told. */
export interface Preflight {
  settings: TestSettings
  notes: RunNote[]
}

/**
 * Checks the paths of `s` and settles its default features.
 * @throws InputError naming the input when the working directory is not a
 * crate, the nextest archive is not a `.tar.zst` file, or the output
 * directory cannot be created, written, or is not ours.
 */
export async function preflight(s: TestSettings, env: NodeJS.ProcessEnv): Promise<Preflight> {
  checkCrateDirectory(s.workingDirectory, s.origins.workingDirectory)
  if (s.archiveFile !== undefined) {
    checkArchiveFile(s.archiveFile, s.origins.archiveFile ?? 'archive-file')
  }
  claimOutputDirectory(s.outputDir, s.origins.outputDir, TEST_OUTPUT_OWNER)
  if (!s.featuresFromDefault) return { settings: s, notes: [] }
  let declared: boolean
  try {
    const workspace = await readCargoWorkspace(s.workingDirectory, env)
    declared = workspace.packages.some(p => p.features.includes(REFERENCE_FEATURES))
  } catch {
    // A Cargo.toml cargo cannot read fails the build next, with cargo's own diagnostics.
    return { settings: s, notes: [] }
  }
  if (declared) return { settings: s, notes: [] }
  return {
    settings: { ...s, features: '' },
    notes: [
      {
        level: 'notice',
        message: `The crate declares no '${REFERENCE_FEATURES}' feature (the reference default), so the tests run with no extra features. Set 'features' to choose them.`
      }
    ]
  }
}

/**
 * A nextest archive must be there, and be what cargo-nextest reads: a
 * `.tar.zst` file (`cargo nextest archive --archive-file NAME.tar.zst`).
 * @throws InputError naming `from`, the path and what is accepted.
 */
function checkArchiveFile(path: string, from: string): void {
  const expected =
    "Expected a cargo-nextest archive: a .tar.zst file written by 'cargo nextest archive --archive-file', e.g. one an earlier job uploaded and this job downloaded"
  let isFile: boolean
  try {
    isFile = statSync(path).isFile()
  } catch {
    throw new InputError(`Invalid ${from}: '${path}' does not exist. ${expected}.`)
  }
  if (!isFile) throw new InputError(`Invalid ${from}: '${path}' is not a file. ${expected}.`)
  if (!path.endsWith('.tar.zst')) {
    throw new InputError(
      `Invalid ${from}: '${path}' does not end in .tar.zst, the only archive format cargo-nextest reads. ${expected}.`
    )
  }
}
