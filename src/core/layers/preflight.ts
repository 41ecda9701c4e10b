/**
 * Before any command of a test run: the crate directory and the output
 * directory are checked on disk, the packages the run covers are found (a
 * `-p` naming no member is refused), and the default features settle on
 * what those packages declare. Nothing runs when a path is wrong; nothing
 * the user wrote in the output directory is ever cleared.
 */
import { statSync } from 'node:fs'
import { readCargoWorkspace, type CargoPackage, type CargoWorkspace } from '../cargo/metadata.js'
import { selectedPackages } from '../cargo/packages.js'
import { cargoFeatureFlags, describeFeatures } from '../cargo/feature-flags.js'
import { TargetIds } from '../cargo/target-ids.js'
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
  /** How the run names its targets: by package too when it covers several packages. */
  targetIds: TargetIds
  /** The packages the run covers, as cargo metadata describes them; absent when cargo could not say. */
  packages?: CargoPackage[]
}

/**
 * Checks the paths of `s`, finds the packages it covers and settles its default features.
 * @throws InputError naming the input when the working directory is not a
 * crate, the nextest archive is not a `.tar.zst` file, the output directory
 * cannot be created, written, or is not ours, or `cargo-args` selects a
 * package the workspace does not have.
 */
export async function preflight(s: TestSettings, env: NodeJS.ProcessEnv): Promise<Preflight> {
  checkCrateDirectory(s.workingDirectory, s.origins.workingDirectory)
  if (s.archiveFile !== undefined) {
    checkArchiveFile(s.archiveFile, s.origins.archiveFile ?? 'archive-file')
  }
  claimOutputDirectory(s.outputDir, s.origins.outputDir, TEST_OUTPUT_OWNER)
  let workspace: CargoWorkspace
  try {
    workspace = await readCargoWorkspace(s.workingDirectory, env)
  } catch {
    // A Cargo.toml cargo cannot read fails the build next, with cargo's own diagnostics.
    return { settings: s, notes: [], targetIds: new TargetIds(false) }
  }
  const names = selectedPackages(workspace, s.cargoArgs, s.workingDirectory, s.origins.cargoArgs)
  const targetIds = new TargetIds(names.length > 1, workspace.packages)
  const selected = workspace.packages.filter(p => names.includes(p.name))
  const flags = cargoFeatureFlags(s.cargoArgs)
  if (flags.all || flags.noDefault || flags.named.length > 0) {
    // Features chosen with cargo's flags: the reference default joins them only where declared.
    const keep = selected.some(p => p.features.includes(REFERENCE_FEATURES))
    const settings = s.featuresFromDefault && !keep ? { ...s, features: '' } : s
    const message = `The build uses ${describeFeatures(s.cargoArgs, settings.features, selected)}${featureOrigins(s)}.`
    return { settings, notes: [{ level: 'notice', message }], targetIds, packages: selected }
  }
  if (!s.featuresFromDefault || selected.some(p => p.features.includes(REFERENCE_FEATURES))) {
    return { settings: s, notes: [], targetIds, packages: selected }
  }
  const which =
    workspace.packages.length === 1
      ? 'The crate'
      : selected.length === 1
        ? `The package ${selected[0]!.name}`
        : `No package this run tests (${names.join(', ')})`
  return {
    settings: { ...s, features: '' },
    notes: [
      {
        level: 'notice',
        message: `${which} declares no '${REFERENCE_FEATURES}' feature (the reference default), so the tests run with no extra features. Set 'features' to choose them.`
      }
    ],
    targetIds,
    packages: selected
  }
}

/** Where the feature flags came from: ` (input 'all-features'; cargo-args)`. */
function featureOrigins(s: TestSettings): string {
  const from = [
    ...(s.allFeatures ? [s.origins.allFeatures ?? 'all-features'] : []),
    ...(s.noDefaultFeatures ? [s.origins.noDefaultFeatures ?? 'no-default-features'] : []),
    ...(s.features !== '' && !s.featuresFromDefault ? [s.origins.features ?? 'features'] : []),
    ...(s.allFeatures || s.noDefaultFeatures ? [] : [s.origins.cargoArgs])
  ]
  return ` (from ${from.join(', ')})`
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
