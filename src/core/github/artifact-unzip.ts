/**
 * Unpacking a zip that someone else wrote (a fork's artifact) without letting it decide how much
 * is written: only the entries asked for are unpacked, the entry count is capped before any entry
 * is read (from the zip's central directory), and the bytes unpacked are counted as they stream,
 * so the write stops at the cap (a zip bomb's 1 GiB of zeros never reaches the disk). Read with
 * yauzl, which also refuses an entry that unpacks to more than the size its header declares.
 */
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl from 'yauzl'

/** How much a zip may make this process write. */
export interface UnzipLimits {
  /** Entries the zip may list (files and directories). */
  maxEntries: number
  /** Bytes the unpacked entries may hold in all. */
  maxBytes: number
}

/** An entry a capped unzip found, and where it went. */
export interface UnpackedEntry {
  name: string
  path: string
  bytes: number
}

/** The zip broke a cap: nothing past the cap was written, and what was written is removed. */
export class UnzipCapError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnzipCapError'
  }
}

/**
 * Unpacks the entries of `zipPath` named in `wanted` (paths inside the zip, `/`-separated) into
 * `dir` under their base names; every other entry is counted, not unpacked.
 * @throws UnzipCapError when the zip lists more than `maxEntries` entries, or the wanted entries
 * declare or unpack to more than `maxBytes`; Error for a zip that is not one.
 */
export async function unpackCapped(
  zipPath: string,
  dir: string,
  wanted: readonly string[],
  limits: UnzipLimits
): Promise<UnpackedEntry[]> {
  const zip = await yauzl.openPromise(zipPath, {
    lazyEntries: true,
    strictFileNames: true,
    validateEntrySizes: true
  })
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new UnzipCapError(
        `it lists ${zip.entryCount} entries, over the ${limits.maxEntries} this step reads`
      )
    }
    const unpacked: UnpackedEntry[] = []
    let budget = limits.maxBytes
    for await (const entry of entries(zip)) {
      if (!wanted.includes(entry.fileName)) continue
      if (entry.uncompressedSize > budget) {
        throw new UnzipCapError(
          `${entry.fileName} would unpack to ${entry.uncompressedSize} bytes, over the ${limits.maxBytes} this step writes`
        )
      }
      const path = join(dir, entry.fileName.split('/').at(-1)!)
      const counter = new ByteCap(budget, limits.maxBytes, entry.fileName)
      try {
        await pipeline(await zip.openReadStreamPromise(entry), counter, createWriteStream(path))
      } catch (error) {
        await rm(path, { force: true })
        // yauzl's own check: the entry holds more than its header declares.
        if (error instanceof Error && /too many bytes in the stream/.test(error.message)) {
          throw new UnzipCapError(
            `${entry.fileName} unpacked past the ${entry.uncompressedSize} bytes its header declares: stopped there`
          )
        }
        throw error
      }
      budget -= counter.bytes
      unpacked.push({ name: entry.fileName, path, bytes: counter.bytes })
    }
    return unpacked
  } finally {
    zip.close()
  }
}

/** The zip's entries, one at a time, as its central directory lists them. */
async function* entries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const next = new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      const onEntry = (entry: yauzl.Entry): void => settle(() => resolve(entry))
      const onEnd = (): void => settle(() => resolve(undefined))
      const onError = (error: Error): void => settle(() => reject(error))
      const settle = (then: () => void): void => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError)
        then()
      }
      zip.once('entry', onEntry).once('end', onEnd).once('error', onError)
    })
    zip.readEntry()
    const entry = await next
    if (entry === undefined) return
    yield entry
  }
}

/** Passes bytes on until `budget` would be passed, then fails before passing the chunk. */
class ByteCap extends Transform {
  bytes = 0

  constructor(
    private readonly budget: number,
    private readonly cap: number,
    private readonly name: string
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.bytes + chunk.length > this.budget) {
      done(
        new UnzipCapError(
          `${this.name} unpacked past the ${this.cap} bytes this step writes (its header declared less): stopped there`
        )
      )
      return
    }
    this.bytes += chunk.length
    done(null, chunk)
  }
}
