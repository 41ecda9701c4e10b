// Pushes each tree written by the release split to its own repository: one
// commit on `main` with the tree as it is, the version tag (vX.Y.Z), and the
// major tag (vX) moved to it, which is what `uses: mace/action-X@vX` resolves.
// A version already published is refused, never overwritten. The token, when
// given, goes to git as an HTTP header through the environment: it is never in
// a command line, a remote URL or an error message.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PUBLISHED } from './split.js'

/** What to publish, and where. */
export interface PublishOptions {
  /** The release split's output directory (holding action-test/, …). */
  from: string
  /** The version tag, `v1.2.3` (or `v1.2.3-rc.1`: a pre-release does not move the major tag). */
  tag: string
  /** Prefix of the repositories: `https://github.com/mace/` gives `…/mace/action-test.git`. */
  remoteBase: string
  /** A token with contents: write on the repositories (HTTPS remotes). */
  token?: string
  /** Where the tree comes from, for the commit message (e.g. `mace/mace-actions@<sha>`). */
  source?: string
  log?: (line: string) => void
}

/** The parts of a version tag. */
export interface VersionTag {
  tag: string
  version: string
  major: string
  prerelease: boolean
}

/** Reads `v1.2.3` / `v1.2.3-rc.1`; throws for anything else. */
export function versionTag(tag: string): VersionTag {
  const m = /^v((\d+)\.\d+\.\d+(-[0-9A-Za-z.-]+)?)$/.exec(tag)
  if (!m) throw new Error(`'${tag}' is not a version tag: expected vMAJOR.MINOR.PATCH, e.g. v1.2.3`)
  return { tag, version: m[1]!, major: `v${m[2]}`, prerelease: m[3] !== undefined }
}

/** Throws when the tag's version is not package.json's (a release of what was not bumped). */
export function checkPackageVersion(tag: VersionTag, root: string): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  if (pkg.version !== tag.version) {
    throw new Error(`tag ${tag.tag} is not package.json's version ${pkg.version}: bump it first`)
  }
}

/** Publishes every action of the split; returns the commit each repository's tags point at. */
export function publishRelease(o: PublishOptions): Record<string, string> {
  const tag = versionTag(o.tag)
  const log = o.log ?? ((): void => undefined)
  const commits: Record<string, string> = {}
  for (const { action } of PUBLISHED) {
    const remote = `${o.remoteBase.replace(/\/?$/, '/')}${action}.git`
    commits[action] = publishTree(resolve(o.from, action), remote, tag, o)
    log(`${action}: ${tag.tag}${tag.prerelease ? '' : ` and ${tag.major}`} → ${commits[action]}`)
  }
  return commits
}

function publishTree(tree: string, remote: string, tag: VersionTag, o: PublishOptions): string {
  const env = gitEnv(o.token)
  const work = mkdtempSync(join(tmpdir(), 'mace-publish-'))
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: work,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }).trim()
  try {
    if (git('ls-remote', '--tags', remote, `refs/tags/${tag.tag}`) !== '') {
      throw new Error(`${remote} already has ${tag.tag}: a published version is never replaced`)
    }
    // The repository's main as it is (none yet on the first release); not its HEAD, which may name no branch.
    git('clone', '--quiet', '--no-checkout', remote, '.')
    if (git('branch', '--remotes', '--list', 'origin/main') !== '') {
      git('checkout', '--quiet', '-B', 'main', 'origin/main')
    }
    // The repository holds exactly the tree: what a release dropped goes too.
    for (const entry of readdirSync(work)) {
      if (entry !== '.git') rmSync(join(work, entry), { recursive: true, force: true })
    }
    cpSync(tree, work, { recursive: true })
    git('add', '--all')
    const message = `Release ${tag.tag}${o.source ? `\n\nBuilt from ${o.source}.` : ''}`
    git('commit', '--quiet', '--allow-empty', '-m', message)
    git('tag', '--annotate', tag.tag, '-m', tag.tag)
    git('push', '--quiet', remote, 'HEAD:refs/heads/main', `refs/tags/${tag.tag}`)
    if (!tag.prerelease) {
      git('tag', '--force', tag.major, 'HEAD')
      git('push', '--quiet', '--force', remote, `refs/tags/${tag.major}`)
    }
    return git('rev-parse', 'HEAD')
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** git's environment: a commit identity, and the token as an HTTP header when given. */
function gitEnv(token: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? 'github-actions[bot]',
    GIT_AUTHOR_EMAIL:
      process.env.GIT_AUTHOR_EMAIL ?? '41898282+github-actions[bot]@users.noreply.github.com',
    GIT_TERMINAL_PROMPT: '0'
  }
  env.GIT_COMMITTER_NAME = env.GIT_AUTHOR_NAME
  env.GIT_COMMITTER_EMAIL = env.GIT_AUTHOR_EMAIL
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
    Object.assign(env, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`
    })
  }
  return env
}
