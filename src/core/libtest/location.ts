/**
 * Where a path printed by rustc, libtest or a backtrace points inside the
 * repository (panic sites, backtrace frames, libtest notes).
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import type { SourceLocation } from '../shared/source-location.js'

/**
 * Maps paths printed by rustc, libtest and backtraces to repository-relative locations.
 * Panic sites are relative to the workspace root (where cargo ran rustc), backtrace frames
 * to the package directory (`./tests/x.rs`), and dependencies are absolute paths outside
 * the repository, which are dropped.
 */
export class LocationResolver {
  private readonly repoRoot: string
  private readonly cwd: string
  private readonly fileExists: (file: string) => boolean

  constructor(repoRoot: string, cwd: string, fileExists: (file: string) => boolean = existsSync) {
    this.repoRoot = path.resolve(repoRoot)
    this.cwd = path.resolve(this.repoRoot, cwd)
    this.fileExists = fileExists
  }

  /** The location inside the repository, or undefined when the file is outside it. */
  resolve(file: string, line: number, column?: number): SourceLocation | undefined {
    const absolute = this.absolute(file.replace(/\\/g, '/'))
    const relative = path.relative(this.repoRoot, absolute)
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined
    const location: SourceLocation = { file: relative.split(path.sep).join('/'), line }
    if (column !== undefined) location.column = column
    return location
  }

  private absolute(file: string): string {
    if (path.isAbsolute(file)) return path.normalize(file)
    const bases = this.bases()
    const existing = bases.find(base => this.fileExists(path.join(base, file)))
    if (existing !== undefined) return path.join(existing, file)
    // Without the file on disk, a path that runs through cwd from an ancestor is the
    // workspace-relative form cargo prints when it ran inside a member package.
    const through = bases.find(base => {
      const down = path.relative(base, this.cwd).split(path.sep).join('/')
      return down !== '' && path.normalize(file).split(path.sep).join('/').startsWith(`${down}/`)
    })
    return path.join(through ?? this.cwd, file)
  }

  /** cwd, then each parent up to the repository root. */
  private bases(): string[] {
    const bases = [this.cwd]
    let current = this.cwd
    while (current !== this.repoRoot && current.startsWith(this.repoRoot + path.sep)) {
      current = path.dirname(current)
      bases.push(current)
    }
    return bases
  }
}
