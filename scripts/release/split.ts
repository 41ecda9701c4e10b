// The three actions as the repositories
// they are published to (mace/action-test, mace/action-perf, mace/action-soak).
// Each DIR/action-X is self-contained: action.yml at its root running
// dist/index.js (its bundle, copied from dist/X/), the action's README with
// links into this repository made absolute, LICENSE and CHANGELOG.md. What the
// runner resolves for `uses: mace/action-X@v1` is exactly this tree.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { join, posix, relative, resolve } from 'node:path'
import { parseDocument } from 'yaml'

const ROOT = resolve(import.meta.dirname, '../..')

/** Each published action: its folder here and the bundle it runs. */
export const PUBLISHED = [
  { action: 'action-test', bundle: 'dist/test' },
  { action: 'action-perf', bundle: 'dist/perf' },
  { action: 'action-soak', bundle: 'dist/soak' }
] as const

/** The `runs` keys that name a script of the action. */
const RUN_KEYS = ['pre', 'main', 'post'] as const

/** This repository's web address (package.json `repository`), for links out of a published README. */
export function sourceUrl(root = ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    repository?: string | { url?: string }
  }
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
  if (!url) throw new Error('package.json has no repository: the published READMEs link to it')
  return url.replace(/^git\+/, '').replace(/\.git$/, '')
}

/**
 * action.yml with each `runs.pre/main/post` that points into `bundle` (as
 * `../dist/X/…`) pointing at the copy in the tree (`dist/…`); every other
 * line as it was. Throws on a script outside the bundle, which would not be
 * there.
 */
export function publishedActionYml(text: string, action: string, bundle: string): string {
  const doc = parseDocument(text)
  let published = text
  for (const key of RUN_KEYS) {
    const script = doc.getIn(['runs', key])
    if (typeof script !== 'string') continue
    const inBundle = posix.relative(bundle, posix.normalize(posix.join(action, script)))
    if (inBundle.startsWith('..')) {
      throw new Error(`${action}/action.yml runs.${key} '${script}' is not in ${bundle}/`)
    }
    const line = new RegExp(`^(\\s+${key}:\\s*)(['"]?)${escapeRegExp(script)}\\2[ \\t]*$`, 'm')
    published = published.replace(line, `$1dist/${inBundle}`)
    if (parseDocument(published).getIn(['runs', key]) !== `dist/${inBundle}`) {
      throw new Error(`${action}/action.yml: could not rewrite runs.${key} '${script}'`)
    }
  }
  return published
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The README with relative links into this repository made absolute (anchors and web links kept). */
export function publishedReadme(text: string, action: string, url: string, ref: string): string {
  return text.replace(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g, (_all, target: string) => {
    const [path, anchor] = target.split('#') as [string, string | undefined]
    const inRepo = posix.normalize(posix.join(action, path))
    const kind = path.endsWith('/') ? 'tree' : 'blob'
    return `](${url}/${kind}/${ref}/${inRepo}${anchor ? `#${anchor}` : ''})`
  })
}

/** Writes `out/action-X` for each action; returns the tree paths. */
export function splitRelease(out: string, options: { root?: string; ref?: string } = {}): string[] {
  const root = options.root ?? ROOT
  const url = sourceUrl(root)
  const ref = options.ref ?? 'main'
  const trees: string[] = []
  for (const { action, bundle } of PUBLISHED) {
    const tree = join(out, action)
    const bundleDir = join(root, bundle)
    if (!existsSync(join(bundleDir, 'index.js'))) {
      throw new Error(`${bundle}/index.js is missing: run 'npm run package' first`)
    }
    rmSync(tree, { recursive: true, force: true })
    mkdirSync(tree, { recursive: true })
    cpSync(bundleDir, join(tree, 'dist'), { recursive: true })
    const yml = publishedActionYml(
      readFileSync(join(root, action, 'action.yml'), 'utf8'),
      action,
      bundle
    )
    writeFileSync(join(tree, 'action.yml'), yml)
    const readme = readFileSync(join(root, action, 'README.md'), 'utf8')
    writeFileSync(join(tree, 'README.md'), publishedReadme(readme, action, url, ref))
    for (const file of ['LICENSE', 'CHANGELOG.md']) cpSync(join(root, file), join(tree, file))
    checkSelfContained(tree)
    trees.push(tree)
  }
  return trees
}

/** Every script action.yml runs is a file inside the tree. */
function checkSelfContained(tree: string): void {
  const doc = parseDocument(readFileSync(join(tree, 'action.yml'), 'utf8'))
  for (const key of RUN_KEYS) {
    const script = doc.getIn(['runs', key])
    if (typeof script !== 'string') continue
    const path = resolve(tree, script)
    if (relative(tree, path).startsWith('..') || !existsSync(path)) {
      throw new Error(`${tree}: runs.${key} '${script}' is not a file of the tree`)
    }
  }
}

/** Files of a tree, relative, sorted (for the log). */
export function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap(e =>
      e.isDirectory() ? filesOf(join(dir, e.name), base) : [relative(base, join(dir, e.name))]
    )
    .sort()
}
