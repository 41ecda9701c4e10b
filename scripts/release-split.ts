// `npm run release:split -- --out DIR [--ref TAG]`: writes DIR/action-test,
// DIR/action-perf and DIR/action-soak, each the tree published as
// mace/action-X (scripts/release/split.ts says what is in it).
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { filesOf, splitRelease } from './release/split.js'

const { values } = parseArgs({
  options: { out: { type: 'string' }, ref: { type: 'string' } },
  strict: true
})
if (!values.out) {
  console.error('Usage: npm run release:split -- --out DIR [--ref TAG]')
  process.exit(2)
}
for (const tree of splitRelease(resolve(values.out), values.ref ? { ref: values.ref } : {})) {
  console.log(`${relative(process.cwd(), tree)}: ${filesOf(tree).join(', ')}`)
}
