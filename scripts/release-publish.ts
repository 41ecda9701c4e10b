// `npm run release:publish -- --from DIR --tag vX.Y.Z [--remote-base URL] [--check-package-version]`:
// pushes DIR/action-X (from release:split) to <remote-base>action-X.git with
// the version tag, and moves the major tag. The token (contents: write on the
// three repositories) is read from MACE_RELEASE_TOKEN.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkPackageVersion, publishRelease, versionTag } from './release/publish.js'
import { sourceUrl } from './release/split.js'

const ROOT = resolve(import.meta.dirname, '..')
const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    tag: { type: 'string' },
    'remote-base': { type: 'string', default: 'https://github.com/mace/' },
    'check-package-version': { type: 'boolean', default: false }
  },
  strict: true
})
if (!values.from || !values.tag) {
  console.error(
    'Usage: npm run release:publish -- --from DIR --tag vX.Y.Z [--remote-base URL] [--check-package-version]'
  )
  process.exit(2)
}
if (values['check-package-version']) checkPackageVersion(versionTag(values.tag), ROOT)
const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
publishRelease({
  from: resolve(values.from),
  tag: values.tag,
  remoteBase: values['remote-base'],
  source: `${sourceUrl(ROOT)}/commit/${sha}`,
  ...(process.env.MACE_RELEASE_TOKEN ? { token: process.env.MACE_RELEASE_TOKEN } : {}),
  log: line => console.log(line)
})
