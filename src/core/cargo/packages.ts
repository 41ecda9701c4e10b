/**
 * Which packages of a workspace a `cargo test` selects, as cargo itself
 * decides ("Package Selection" in the Cargo book): `-p`/`--package` SPEC
 * (a name, `name@version`, or a glob), `--workspace` (`--all`) less any
 * `--exclude`, else the package whose directory cargo runs in (or whose
 * `--manifest-path` is given), else, in a virtual workspace's root, the
 * default members. A `-p` that names no member is refused up front.
 */
import { dirname, resolve } from 'node:path'
import picomatch from 'picomatch'
import { InputError } from '../shared/errors.js'
import type { CargoWorkspace } from './metadata.js'

/** The package-selection flags found in a cargo argument list. */
interface PackageFlags {
  packages: string[]
  excludes: string[]
  workspace: boolean
  manifestPath?: string
}

/**
 * Names of the packages `cargoArgs`, run in `cwd`, make cargo test.
 * @param from how the user named the arguments, e.g. `input 'cargo-args'`.
 * @throws InputError naming `from`, the package and the members there are,
 * when a `-p` or `--exclude` names no member of the workspace.
 */
export function selectedPackages(
  workspace: CargoWorkspace,
  cargoArgs: string[],
  cwd: string,
  from: string
): string[] {
  const flags = packageFlags(cargoArgs)
  const members = workspace.packages.map(p => p.name)
  const matching =
    (flag: string) =>
    (spec: string): string[] => {
      const name = spec.replace(/^.*#/, '').replace(/[@:].*$/, '')
      const isMatch = picomatch(name)
      const found = members.filter(m => isMatch(m))
      if (found.length === 0) {
        throw new InputError(
          `Invalid ${from}: '${flag} ${spec}' names no package of the workspace in ${cwd}. Expected one of its members: ${members.join(', ')}.`
        )
      }
      return found
    }
  const excluded = new Set(flags.excludes.flatMap(matching('--exclude')))
  if (flags.packages.length > 0) return unique(flags.packages.flatMap(matching('-p')))
  if (flags.workspace) return members.filter(m => !excluded.has(m))
  const dir = flags.manifestPath ? dirname(resolve(cwd, flags.manifestPath)) : resolve(cwd)
  const here = workspace.packages.find(p => p.manifestDir === dir)
  return here !== undefined ? [here.name] : workspace.defaultMembers
}

/** Reads `-p X`, `-pX`, `--package X`, `--package=X`, `--workspace`, `--all`, `--exclude`, `--manifest-path`. */
function packageFlags(args: string[]): PackageFlags {
  const flags: PackageFlags = { packages: [], excludes: [], workspace: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const value = (long: string, short?: string): string | undefined => {
      if (arg === long || arg === short) return args[++i]
      if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1)
      if (short !== undefined && arg.startsWith(short) && arg.length > short.length) {
        return arg.slice(short.length)
      }
      return undefined
    }
    if (arg === '--workspace' || arg === '--all') flags.workspace = true
    const pkg = value('--package', '-p')
    if (pkg !== undefined) flags.packages.push(pkg)
    const exclude = value('--exclude')
    if (exclude !== undefined) flags.excludes.push(exclude)
    const manifest = value('--manifest-path')
    if (manifest !== undefined) flags.manifestPath = manifest
  }
  return flags
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}
