/**
 * How a run names the cargo targets it lists, runs and reports (the `target`
 * of every test result). A run over one package names a target by its
 * selector alone, as a single crate always read: `lib`, `bin:NAME`, or an
 * integration test's name (`basic`). A run over several packages of a
 * workspace puts the package first, `PKG/lib`, `PKG/bin:NAME`, `PKG/basic`,
 * so two members' libraries, or same-named test files in two members, are
 * two targets, counted and blamed apart. (`/` is in no cargo package name.)
 *
 * Cargo prints the same `Running unittests src/lib.rs` header for every
 * member's library, so its output is read by executable: the build's JSON
 * (`compiler-artifact`: package manifest, target, executable) says which
 * binary is which target.
 */
import { basename } from 'node:path'
import { DOC_TESTS_TARGET } from '../libtest/list.js'
import type { TestExecutable } from './build.js'

/** A target id taken apart: its package (when qualified) and its selector. */
export interface TargetParts {
  package?: string
  /** `lib`, `bin:NAME`, or an integration test's name. */
  selector: string
}

/** `PKG/selector` → its parts; an unqualified id has no package. */
export function splitTargetId(id: string): TargetParts {
  const slash = id.indexOf('/')
  return slash > 0
    ? { package: id.slice(0, slash), selector: id.slice(slash + 1) }
    : { selector: id }
}

/** The target names of one run, and the executables the builds made of them. */
export class TargetIds {
  private readonly packageByDir: Map<string, string>
  private readonly featuresOf: Map<string, readonly string[]>
  private readonly byExecutable = new Map<string, string>()
  private readonly packageByLib: Map<string, string>

  /**
   * `qualified`: the run covers several packages, so ids carry the package.
   * `packages`: the workspace's members, to know a built binary's package,
   * the features each declares and whose library a `Doc-tests NAME` is.
   */
  constructor(
    readonly qualified: boolean,
    packages: readonly {
      name: string
      manifestDir: string
      features: readonly string[]
      libName?: string
    }[] = []
  ) {
    this.packageByDir = new Map(packages.map(p => [p.manifestDir, p.name]))
    this.featuresOf = new Map(packages.map(p => [p.name, p.features]))
    this.packageByLib = new Map(
      packages.flatMap(p => (p.libName === undefined ? [] : [[p.libName, p.name]]))
    )
  }

  /**
   * The features of a command over `targets`: cargo refuses a feature that no
   * package of the command declares (`-p beta --features failpoints` when only
   * alpha has it), so a command over some packages of a workspace keeps the
   * features those declare (and any `dep/feature`). Unchanged when the
   * targets name no package.
   */
  featuresFor(targets: readonly string[], features: string): string {
    const packages = targets.flatMap(t => splitTargetId(t).package ?? [])
    if (packages.length === 0 || features.trim() === '') return features
    const declared = new Set(packages.flatMap(p => this.featuresOf.get(p) ?? []))
    return features
      .split(',')
      .map(f => f.trim())
      .filter(f => f.includes('/') || declared.has(f))
      .join(',')
  }

  /** The id of `selector` in package `pkg`: `PKG/selector` when qualified, else `selector`. */
  id(pkg: string | undefined, selector: string): string {
    return this.qualified && pkg !== undefined ? `${pkg}/${selector}` : selector
  }

  /** Remembers which target each built executable is (a build of any feature set). */
  learn(built: readonly TestExecutable[]): void {
    for (const b of built) {
      this.byExecutable.set(
        basename(b.executable),
        this.id(this.packageByDir.get(b.manifestDir), b.target)
      )
    }
  }

  /**
   * The id of the target an executable (path or file name, as cargo prints it) was
   * built from; with `kind` `doc-tests`, of the doc tests of the library whose crate
   * name `path` is (`Doc-tests beta_kv` → `beta-kv/doc:lib`).
   */
  ofExecutable(path: string, kind?: 'doc-tests'): string | undefined {
    if (kind === 'doc-tests') {
      const pkg = this.packageByLib.get(path)
      return pkg === undefined ? undefined : this.id(pkg, DOC_TESTS_TARGET)
    }
    return this.byExecutable.get(basename(path.replace(/\\/g, '/')))
  }
}
