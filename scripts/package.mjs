// Bundles each entry point with @vercel/ncc into dist/<name>/index.js (committed:
// action.yml files run these bundles directly).
import { execFileSync } from 'node:child_process'
import { chmodSync, rmSync } from 'node:fs'

const entries = [
  ['test', 'src/actions/test/index.ts'],
  ['perf', 'src/actions/perf/index.ts'],
  ['soak', 'src/actions/soak/index.ts'],
  ['cli', 'src/cli/index.ts']
]
for (const [name, entry] of entries) {
  const out = `dist/${name}`
  rmSync(out, { recursive: true, force: true })
  execFileSync('npx', ['ncc', 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet'], {
    stdio: 'inherit'
  })
}
chmodSync('dist/cli/index.js', 0o755)
