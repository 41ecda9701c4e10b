/**
 * What `cargo metadata --no-deps --format-version 1` says about the crate or
 * workspace in a directory (cargo's documented, stable JSON: "cargo metadata"
 * in the Cargo book): its packages, the features and bench targets of each.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/** One workspace package as cargo metadata lists it. */
export interface CargoPackage {
  name: string
  /** Names of the features it declares (the `[features]` table). */
  features: string[]
  /** Names of its bench targets (`cargo bench --bench NAME`). */
  benches: string[]
}

/** The workspace in a directory. */
export interface CargoWorkspace {
  /** Absolute target directory (honours CARGO_TARGET_DIR). */
  targetDirectory: string
  packages: CargoPackage[]
}

/**
 * Reads the workspace in `dir` with `cargo metadata` (no dependencies, so no
 * network and well under a second on a warm machine).
 * @throws Error carrying cargo's message when cargo fails (a broken Cargo.toml).
 */
export async function readCargoWorkspace(
  dir: string,
  env: NodeJS.ProcessEnv
): Promise<CargoWorkspace> {
  let stdout: string
  try {
    ;({ stdout } = await promisify(execFile)(
      'cargo',
      ['metadata', '--format-version', '1', '--no-deps'],
      { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }
    ))
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Error(`cargo metadata failed in ${dir}: ${(err.stderr ?? err.message).trim()}`)
  }
  const meta = JSON.parse(stdout) as {
    target_directory: string
    packages: {
      name: string
      features: Record<string, unknown>
      targets: { name: string; kind: string[] }[]
    }[]
  }
  return {
    targetDirectory: meta.target_directory,
    packages: meta.packages.map(p => ({
      name: p.name,
      features: Object.keys(p.features),
      benches: p.targets.filter(t => t.kind.includes('bench')).map(t => t.name)
    }))
  }
}
