/**
 * Base and head in one target dir, without either taking the other's binary.
 * Cargo names a workspace package's artifacts by a hash of its id, which does
 * not hold the package's path, so the base worktree's build would land on the
 * head's file names, and cargo would then take one side's binary as fresh for
 * the other. Instead of cleaning the workspace's artifacts around every build
 * (which rebuilt the head each time, with LTO a long link), the base
 * worktree's packages get a version with build metadata (`0.1.0+mace-perf-base`):
 * their artifacts are named apart, dependencies stay shared, and a head
 * already built is fresh.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse, stringify } from 'smol-toml'
import { cleanWorkspaceArtifacts } from './bench-runner.js'

/** The build metadata the base's packages get. */
export const BASE_BUILD_METADATA = 'mace-perf-base'

/**
 * Written into a target dir once its workspace artifacts are known to be the head's: earlier
 * releases built the base under the head's names, and an interrupted one could leave them.
 */
const MARKER = '.mace-perf-base-named-apart'

interface Workspace {
  root: string
  packages: { name: string; version: string; manifest: string }[]
}

/**
 * Clears the workspace's own artifacts from `targetDir` once, the first time a compare uses it
 * (a base binary of an earlier release may sit under the head's names), then marks it.
 */
export async function claimTargetDir(
  dir: string,
  env: NodeJS.ProcessEnv,
  targetDir: string,
  packages: string[]
): Promise<void> {
  if (existsSync(join(targetDir, MARKER))) return
  await cleanWorkspaceArtifacts(dir, { ...env, CARGO_TARGET_DIR: targetDir }, packages)
  mkdirSync(targetDir, { recursive: true })
  writeFileSync(
    join(targetDir, MARKER),
    'mace-actions perf: the base worktree builds its packages as <version>+mace-perf-base here.\n'
  )
}

/**
 * Gives every package of the base worktree's workspace (rooted at or above `baseDir`) a version
 * with `+mace-perf-base`, in its manifest (or `[workspace.package]` when inherited) and in
 * Cargo.lock, so that `--locked` still holds. The worktree is ours: nothing a user wrote changes.
 */
export async function nameBaseApart(baseDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const ws = await workspace(baseDir, env)
  let inherited = false
  const renamed = new Map<string, string>()
  for (const p of ws.packages) {
    const next = withMetadata(p.version)
    renamed.set(`${p.name} ${p.version}`, next)
    inherited = editManifest(p.manifest, next) || inherited
  }
  if (inherited) editWorkspaceVersion(join(ws.root, 'Cargo.toml'))
  const lock = join(ws.root, 'Cargo.lock')
  if (existsSync(lock)) writeFileSync(lock, renameInLock(readFileSync(lock, 'utf8'), renamed))
}

/** `0.1.0` → `0.1.0+mace-perf-base`; `1.0.0+abc` → `1.0.0+abc.mace-perf-base`. */
export function withMetadata(version: string): string {
  return version.includes('+')
    ? `${version}.${BASE_BUILD_METADATA}`
    : `${version}+${BASE_BUILD_METADATA}`
}

/**
 * Cargo.lock with the workspace packages' versions changed: the `[[package]]` entries without a
 * `source` (path packages) and the `"name version"` references to them. Only those strings
 * change, so cargo finds the file as it would have written it.
 */
export function renameInLock(text: string, renamed: ReadonlyMap<string, string>): string {
  return text
    .split(/(?=^\[\[package\]\]$)/m)
    .map(block => {
      const name = /^name = "([^"]+)"$/m.exec(block)?.[1]
      const version = /^version = "([^"]+)"$/m.exec(block)?.[1]
      const next = renamed.get(`${name} ${version}`)
      let out = block
      if (next !== undefined && !/^source = /m.test(block)) {
        out = out.replace(/^version = "[^"]+"$/m, `version = "${next}"`)
      }
      for (const [key, value] of renamed) {
        const [n] = key.split(' ')
        out = out.split(`"${key}"`).join(`"${n} ${value}"`)
      }
      return out
    })
    .join('')
}

/** Sets the manifest's package version; true when it is inherited from the workspace instead. */
function editManifest(path: string, version: string): boolean {
  const doc = parse(readFileSync(path, 'utf8')) as { package?: Record<string, unknown> }
  const pkg = doc.package
  if (pkg === undefined) return false
  const current = pkg.version
  if (typeof current === 'object' && current !== null) return true
  pkg.version = version
  writeFileSync(path, stringify(doc))
  return false
}

function editWorkspaceVersion(path: string): void {
  const doc = parse(readFileSync(path, 'utf8')) as {
    workspace?: { package?: { version?: unknown } }
  }
  const version = doc.workspace?.package?.version
  if (typeof version !== 'string') return
  doc.workspace!.package!.version = withMetadata(version)
  writeFileSync(path, stringify(doc))
}

async function workspace(dir: string, env: NodeJS.ProcessEnv): Promise<Workspace> {
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['metadata', '--format-version', '1', '--no-deps', '--offline'],
    { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }
  )
  const meta = JSON.parse(stdout) as {
    workspace_root: string
    packages: { name: string; version: string; manifest_path: string }[]
  }
  return {
    root: meta.workspace_root,
    packages: meta.packages.map(p => ({
      name: p.name,
      version: p.version,
      manifest: p.manifest_path
    }))
  }
}
