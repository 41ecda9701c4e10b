/**
 * Resolving the base ref with real git in a scratch repository: a ref that
 * cannot resolve is an input error naming base-ref, the value and what is
 * accepted, and a remote branch named `origin/X` fetches `refs/heads/X`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fetchTarget, isDirty, resolveOrFetch } from '../../../../src/core/perf/measure/git.js'
import { InputError } from '../../../../src/core/shared/errors.js'
import { silentLogger } from '../../../../src/core/shared/logger.js'

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
    cwd,
    encoding: 'utf8'
  }).trim()

/** A repository with one commit on `master`, and no remote. */
function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mace-git-'))
  git(dir, 'init', '-q', '-b', 'master')
  writeFileSync(join(dir, 'README'), 'x\n')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'one')
  return dir
}

describe('resolving the base ref', () => {
  it('is an input error when the ref does not resolve and there is no remote to fetch it from', async () => {
    const dir = repo()
    const result = resolveOrFetch(dir, 'origin/master', silentLogger)
    await expect(result).rejects.toThrow(InputError)
    await expect(result).rejects.toThrow(
      "Invalid base-ref (flag --base-ref, MACE_PERF_BASE_REF; default origin/master): 'origin/master'. " +
        `It does not resolve in ${dir}, and the checkout has no git remote to fetch it from. ` +
        "Expected a commit, tag or branch of this repository (e.g. 'main' or a commit sha), or a " +
        "remote branch such as 'origin/main' of a remote the checkout has"
    )
    // A local branch resolves without a remote.
    expect(await resolveOrFetch(dir, 'master', silentLogger)).toBe(git(dir, 'rev-parse', 'HEAD'))
  })

  it('fetches refs/heads/X for origin/X from a remote of another name', async () => {
    const upstream = repo()
    git(upstream, 'branch', 'release')
    const dir = mkdtempSync(join(tmpdir(), 'mace-git-'))
    git(dir, 'init', '-q', '-b', 'master')
    git(dir, 'remote', 'add', 'upstream', upstream)
    expect(fetchTarget('origin/release', ['upstream'])).toEqual({
      remote: 'upstream',
      branch: 'release'
    })
    const sha = await resolveOrFetch(dir, 'origin/release', silentLogger)
    expect(sha).toBe(git(upstream, 'rev-parse', 'release'))
    expect(git(dir, 'rev-parse', 'upstream/release')).toBe(sha)
  })

  it('names a remote and a branch as given', () => {
    expect(fetchTarget('upstream/feature/x', ['origin', 'upstream'])).toEqual({
      remote: 'upstream',
      branch: 'feature/x'
    })
    expect(fetchTarget('feature/x', ['origin'])).toEqual({ remote: 'origin', branch: 'feature/x' })
  })

  it('sees uncommitted changes: a changed tracked file or an untracked one', async () => {
    const dir = repo()
    expect(await isDirty(dir)).toBe(false)
    writeFileSync(join(dir, 'notes.txt'), 'y\n')
    expect(await isDirty(dir)).toBe(true)
    git(dir, 'add', '-A')
    git(dir, 'commit', '-q', '-m', 'two')
    expect(await isDirty(dir)).toBe(false)
    writeFileSync(join(dir, 'README'), 'changed\n')
    expect(await isDirty(dir)).toBe(true)
  })
})
