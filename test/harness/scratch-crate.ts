/**
 * Crates written from scratch for a test, in a temp dir: a crate we did not
 * write, as a new user would bring it (no failpoints feature, its own test
 * names), built by the real cargo.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * Writes a library crate `name` with the given files (paths relative to the
 * crate; `src/lib.rs` defaults to an empty library), commits it to a git repo
 * of its own and returns its directory. `features` become its `[features]`.
 */
export function scratchCrate(
  name: string,
  files: Record<string, string>,
  features: string[] = []
): string {
  const dir = mkdtempSync(join(tmpdir(), `mace-crate-${name}-`))
  const manifest = [
    '[package]',
    `name = "${name}"`,
    'version = "0.1.0"',
    'edition = "2021"',
    '',
    '[features]',
    ...features.map(f => `${f} = []`),
    '',
    '# Its own workspace: a crate in a temp dir never looks upward for another.',
    '[workspace]',
    ''
  ].join('\n')
  const all: Record<string, string> = { 'src/lib.rs': '', ...files, 'Cargo.toml': manifest }
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  writeFileSync(join(dir, '.gitignore'), 'target/\n')
  const git = (...args: string[]): void =>
    void execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-m', 'crate')
  return dir
}
