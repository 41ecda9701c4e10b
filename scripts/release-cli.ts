// `npm run release:cli -- --out DIR`: assembles the npm package @mace-actions/cli in DIR
// (then `npm pack DIR` or `npm publish DIR`).
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { cliPackage } from './release/cli-package.js'

const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true })
if (!values.out) {
  console.error('Usage: npm run release:cli -- --out DIR')
  process.exit(2)
}
const manifest = cliPackage(resolve(values.out))
console.log(`${String(manifest.name)}@${String(manifest.version)} in ${values.out}`)
