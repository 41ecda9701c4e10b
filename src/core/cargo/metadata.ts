/**
 * What `cargo metadata --no-deps --format-version 1` says about the crate or
 * workspace in a directory (cargo's documented, stable JSON: "cargo metadata"
 * in the Cargo book): its packages (the workspace members), where each lives,
 * the features and bench targets of each, and the default members.
 */
import { execFile } from 'node:child_process'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { DOC_TESTS_TARGET } from '../libtest/list.js'

/** One workspace package as cargo metadata lists it. */
export interface CargoPackage {
  name: string
  /** Absolute directory of its Cargo.toml. */
  manifestDir: string
  /** Names of the features it declares (the `[features]` table). */
  features: string[]
  /** Names of its bench targets (`cargo bench --bench NAME`). */
  benches: string[]
  /**
   * Its targets `cargo test` runs, as selectors: `lib`, `bin:NAME`, an integration test's
   * name, and `doc:lib` when its library has doc tests (`cargo test --doc`).
   */
  testTargets: string[]
  /** Its library's crate name (`beta_kv` for package `beta-kv`), when it has a library. */
  libName?: string
}

/** The workspace in a directory. */
export interface CargoWorkspace {
  /** Absolute target directory (honours CARGO_TARGET_DIR). */
  targetDirectory: string
  /** The workspace members (a lone crate is a workspace of one). */
  packages: CargoPackage[]
  /**
   * Names of the packages cargo selects in the workspace root when no
   * package is named (`default-members`, else every member; cargo ≥ 1.71
   * says so, older ones leave it out: then every member).
   */
  defaultMembers: string[]
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
    workspace_default_members?: string[]
    packages: {
      id: string
      name: string
      manifest_path: string
      features: Record<string, unknown>
      targets: { name: string; kind: string[]; doctest?: boolean }[]
    }[]
  }
  const defaults = new Set(meta.workspace_default_members ?? meta.packages.map(p => p.id))
  return {
    targetDirectory: meta.target_directory,
    packages: meta.packages.map(p => {
      const lib = p.targets.find(t => testSelector(t.kind, t.name)[0] === 'lib')
      return {
        name: p.name,
        manifestDir: dirname(p.manifest_path),
        features: Object.keys(p.features),
        benches: p.targets.filter(t => t.kind.includes('bench')).map(t => t.name),
        testTargets: [
          ...p.targets.flatMap(t => testSelector(t.kind, t.name)),
          // `doctest = false` in [lib], or a crate type rustdoc cannot test, has none.
          ...(lib?.doctest === true ? [DOC_TESTS_TARGET] : [])
        ],
        ...(lib !== undefined ? { libName: lib.name } : {})
      }
    }),
    defaultMembers: meta.packages.filter(p => defaults.has(p.id)).map(p => p.name)
  }
}

/** The selector of a target `cargo test` runs, or none (benches, examples, build scripts). */
function testSelector(kind: string[], name: string): string[] {
  if (kind.includes('test')) return [name]
  if (kind.includes('bin')) return [`bin:${name}`]
  const libs = ['lib', 'rlib', 'dylib', 'cdylib', 'staticlib', 'proc-macro']
  return kind.some(k => libs.includes(k)) ? ['lib'] : []
}
