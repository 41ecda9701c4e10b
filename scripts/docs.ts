// `npm run docs`: rewrites the generated inputs and outputs tables of each action's README.
import { updateReadmes } from './action-readme.js'

const changed = await updateReadmes(process.cwd())
console.log(changed.length > 0 ? `updated ${changed.join(', ')}` : 'action READMEs are current')
