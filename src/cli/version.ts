/** The version of mace-actions, from package.json (bundled in, so the published CLI knows it). */
import pkg from '../../package.json' with { type: 'json' }

/** e.g. `0.1.0`. */
export const VERSION: string = pkg.version
