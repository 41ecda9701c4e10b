/**
 * What counting instructions needs, checked before anything is measured, each
 * failure an error that names the fix: Valgrind, a bench target whose package
 * depends on gungraun (its version read from `cargo metadata`), a
 * `gungraun-runner` of exactly that version (gungraun refuses any other), and
 * a built binary that really is a gungraun bench.
 */
import { execFile } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { InputError } from '../../shared/errors.js'

const run = promisify(execFile)

/** The bench target's package and the gungraun library it builds with. */
export interface GungraunTarget {
  packageName: string
  /** Version of the `gungraun` crate the package resolves to, e.g. `0.20.0`. */
  version: string
}

/** The command that installs the runner matching `version`. */
export function runnerInstallCommand(version: string): string {
  return `cargo install gungraun-runner --version ${version} --locked`
}

/**
 * PATH as `cargo bench` gives a bench binary: cargo's bin directory
 * (`$CARGO_HOME/bin`, where `cargo install` puts gungraun-runner) first, as the
 * rustup proxy does; the bench binary finds the runner there.
 */
export function benchPath(env: NodeJS.ProcessEnv): string {
  const cargoHome = env.CARGO_HOME ?? join(env.HOME ?? homedir(), '.cargo')
  return [join(cargoHome, 'bin'), env.PATH ?? ''].filter(p => p !== '').join(delimiter)
}

/**
 * The gungraun version of the package holding bench target `bench`, from
 * `cargo metadata` in `dir` (which resolves the lock file).
 * @throws InputError when no workspace package has that bench target or its package has no
 *   gungraun dependency.
 */
export async function gungraunTarget(
  dir: string,
  env: NodeJS.ProcessEnv,
  bench: string
): Promise<GungraunTarget> {
  const { stdout } = await run('cargo', ['metadata', '--format-version', '1'], {
    cwd: dir,
    env,
    maxBuffer: 256 * 1024 * 1024
  })
  const meta = JSON.parse(stdout) as CargoMetadata
  const members = new Set(meta.workspace_members)
  const packages = meta.packages.filter(p => members.has(p.id))
  const owner = packages.find(p =>
    p.targets.some(t => t.name === bench && t.kind.includes('bench'))
  )
  if (!owner) {
    const benches = packages.flatMap(p => p.targets.filter(t => t.kind.includes('bench')))
    throw new InputError(
      `Invalid bench '${bench}': no bench target of that name in ${dir} ` +
        `(bench targets: ${benches.map(t => t.name).join(', ') || 'none'}). ` +
        'metric instructions needs the name of a gungraun bench target.'
    )
  }
  const byId = new Map(meta.packages.map(p => [p.id, p]))
  const node = meta.resolve?.nodes.find(n => n.id === owner.id)
  const gungraun = node?.deps.map(d => byId.get(d.pkg)).find(p => p?.name === 'gungraun')
  if (!gungraun) {
    throw new InputError(
      `Invalid bench '${bench}' for metric instructions: its package ${owner.name} does not ` +
        'depend on gungraun, so it cannot be a gungraun bench. Add gungraun as a ' +
        'dev-dependency and write the bench with it (https://gungraun.github.io/gungraun/), ' +
        'or use metric walltime for a Criterion bench.'
    )
  }
  return { packageName: owner.name, version: gungraun.version }
}

/**
 * Checks that Valgrind runs (`valgrind --version`, or `$GUNGRAUN_VALGRIND_BIN`), looking where
 * gungraun-runner looks: PATH, then /usr/bin and /bin. Returns its version line.
 * @throws Error naming the install command when it does not run.
 */
export async function checkValgrind(env: NodeJS.ProcessEnv): Promise<string> {
  const configured = env.GUNGRAUN_VALGRIND_BIN?.trim()
  const valgrind = configured || 'valgrind'
  try {
    const { stdout } = await run(valgrind, ['--version'], {
      env: { ...env, PATH: [env.PATH, '/usr/bin', '/bin'].filter(Boolean).join(delimiter) }
    })
    return stdout.trim()
  } catch (error) {
    const where = configured ? `GUNGRAUN_VALGRIND_BIN=${configured}` : 'valgrind'
    throw new Error(
      `Valgrind does not run (\`${where} --version\`: ${shortReason(error)}). metric ` +
        "instructions counts instructions under Valgrind's callgrind: install it from your " +
        'distribution, e.g. `sudo apt-get install -y valgrind` on Ubuntu runners' +
        (configured ? ', or point GUNGRAUN_VALGRIND_BIN at it' : '') +
        '.'
    )
  }
}

/**
 * Checks that the gungraun-runner a bench binary will start (`$GUNGRAUN_RUNNER` when set, as
 * it is baked in at build time, else the first on `benchPath`) runs and has `version`.
 * @throws Error naming the install command when it is missing or of another version.
 */
export async function checkRunner(env: NodeJS.ProcessEnv, version: string): Promise<void> {
  const path = benchPath(env)
  const configured = env.GUNGRAUN_RUNNER?.trim()
  const runner = configured || findOnPath('gungraun-runner', path)
  const install = runnerInstallCommand(version)
  if (!runner) {
    throw new Error(
      `gungraun-runner is not installed (not on PATH nor in cargo's bin directory), and the ` +
        `crate's gungraun ${version} needs it at the same version: \`${install}\`.`
    )
  }
  let found: string
  try {
    const { stdout } = await run(runner, ['--version'], { env: { ...env, PATH: path } })
    found = /(\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1] ?? stdout.trim()
  } catch (error) {
    throw new Error(
      `gungraun-runner at ${runner} does not run (${shortReason(error)}); install the one of ` +
        `the crate's gungraun ${version}: \`${install}\`.`
    )
  }
  if (found !== version) {
    throw new Error(
      `gungraun-runner ${found} (${runner}) is not the version of the crate's gungraun ` +
        `${version}, and gungraun runs only with its own: \`${install}\`` +
        (configured ? ' (and point GUNGRAUN_RUNNER at it, or unset it)' : '') +
        '.'
    )
  }
}

/**
 * True when the binary is a gungraun bench: its `main!` starts `gungraun-runner`, whose name
 * it holds (Criterion and libtest binaries do not).
 */
export function isGungraunBinary(executable: string): boolean {
  return readFileSync(executable).includes('gungraun-runner')
}

/** The first executable `name` in the PATH-like `path`. */
export function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

function shortReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { stderr?: string }
  if (e.code === 'ENOENT') return 'not found'
  if (e.code === 'EACCES') return 'not executable'
  return (e.stderr?.trim() || e.message).split('\n')[0]!.slice(0, 300)
}

/** The parts of `cargo metadata --format-version 1` read here. */
interface CargoMetadata {
  packages: {
    id: string
    name: string
    version: string
    targets: { name: string; kind: string[] }[]
  }[]
  workspace_members: string[]
  resolve?: { nodes: { id: string; deps: { pkg: string }[] }[] }
}
