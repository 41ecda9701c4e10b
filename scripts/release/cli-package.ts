// The npm package of the CLI, @mace-actions/cli: the self-contained bundle
// dist/cli/index.js (no dependencies: ncc bundled them), its licenses file,
// the package's README (packaging/cli/README.md), LICENSE and CHANGELOG.md.
// The root package.json stays the private development package.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import { sourceUrl } from './split.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** The package name on npm: the `@mace-actions` scope is ours. */
export const CLI_PACKAGE = '@mace-actions/cli'

/** Writes the package into `out` (replaced); returns its package.json. */
export function cliPackage(out: string, root = ROOT): Record<string, unknown> {
  const bundle = join(root, 'dist', 'cli', 'index.js')
  if (!existsSync(bundle))
    throw new Error("dist/cli/index.js is missing: run 'npm run package' first")
  const dev = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >
  const url = sourceUrl(root)
  const manifest = {
    name: CLI_PACKAGE,
    version: dev.version,
    description:
      'The mace validation actions on the command line: layered cargo test, a Criterion perf gate and a soak for Rust crates.',
    keywords: ['rust', 'cargo', 'test', 'criterion', 'benchmark', 'soak', 'ci'],
    license: dev.license,
    repository: dev.repository,
    homepage: `${url}#the-cli`,
    bugs: `${url}/issues`,
    type: 'module',
    bin: { 'mace-actions': 'index.js' },
    files: ['index.js', 'licenses.txt', 'README.md', 'LICENSE', 'CHANGELOG.md'],
    engines: dev.engines,
    publishConfig: { access: 'public' }
  }
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  cpSync(bundle, join(out, 'index.js'))
  chmodSync(join(out, 'index.js'), 0o755)
  cpSync(join(root, 'dist', 'cli', 'licenses.txt'), join(out, 'licenses.txt'))
  cpSync(join(root, 'packaging', 'cli', 'README.md'), join(out, 'README.md'))
  for (const file of ['LICENSE', 'CHANGELOG.md']) cpSync(join(root, file), join(out, file))
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
