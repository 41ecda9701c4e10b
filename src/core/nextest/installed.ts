/**
 * Whether cargo-nextest can run here. `cargo nextest` without it exits 101,
 * the code of a build failure, so it is asked for its version first and a
 * missing one is an error that says how to install it, never a fallback to
 * `cargo test`.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { InputError } from '../shared/errors.js'

/** How a user installs cargo-nextest (nextest's documented ways). */
export const INSTALL_HINT =
  "install it with 'cargo install cargo-nextest --locked', or the prebuilt binary (curl -LsSf https://get.nexte.st/latest/linux | tar zxf - -C ${CARGO_HOME:-~/.cargo}/bin), or in a workflow 'taiki-e/install-action@nextest'"

/**
 * The installed cargo-nextest version, e.g. `0.9.143`.
 * @param from how the user asked for nextest, e.g. `input 'runner'`.
 * @throws InputError naming the input and the install hint when it is missing.
 */
export async function nextestVersion(
  cwd: string,
  env: NodeJS.ProcessEnv,
  from: string
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('cargo', ['nextest', '--version'], { cwd, env })
    const version = /cargo-nextest (\d+\.\d+\.\d+)/.exec(stdout)
    if (version) return version[1]!
  } catch {
    // Falls through to the error below.
  }
  throw new InputError(
    `Invalid ${from}: 'nextest', but cargo-nextest is not installed (\`cargo nextest --version\` failed): ${INSTALL_HINT}. Or use runner 'cargo'.`
  )
}
