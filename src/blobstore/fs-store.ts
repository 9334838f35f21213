// The embedded blob store: one file per blob under <root>/blobs/<address>. A put streams into
// <root>/tmp, fsyncs the file, renames it into place and fsyncs the directory, so a crash
// leaves either a whole blob or a stale temporary, never a partial blob.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, opendir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../errors.js';
import { assertBlobAddress, isBlobAddress, newBlobAddress } from './address.js';
import {
  resolveRange,
  validateExpectedSize,
  type BlobBody,
  type BlobListing,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type PutOptions,
  type PutResult,
} from './blob-store.js';
import { createHasher } from './checksums.js';
import { MeteringStream, sourceOf } from './metering-stream.js';

const FANOUT_DIR = /^[0-9a-f]{2}$/;
const MAX_KNOWN_DIRS = 65_536;
const READ_CHUNK_BYTES = 256 * 1024;
/** Bodies up to this size are read with one call and the file closed before they are sent. */
const SMALL_READ_BYTES = 64 * 1024;

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** Makes a directory entry (a rename, a new file or subdirectory) survive a power loss. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class FsBlobStore implements BlobStore {
  readonly kind = 'fs' as const;
  readonly blobsDir: string;
  readonly tmpDir: string;
  private readonly knownDirs = new Set<string>();

  private constructor(readonly root: string) {
    this.blobsDir = join(root, 'blobs');
    this.tmpDir = join(root, 'tmp');
  }

  /** Creates `<root>/blobs` and `<root>/tmp` if needed. */
  static async open(root: string): Promise<FsBlobStore> {
    const store = new FsBlobStore(root);
    await mkdir(store.blobsDir, { recursive: true });
    await mkdir(store.tmpDir, { recursive: true });
    return store;
  }

  newAddress(): string {
    return newBlobAddress();
  }

  async put(body: BlobBody, opts: PutOptions = {}): Promise<PutResult> {
    validateExpectedSize(opts.expectedSize);
    const hasher = opts.hasher ? opts.hasher(opts.checksums ?? []) : await createHasher(opts.checksums);
    const meter = new MeteringStream(hasher, opts.expectedSize);
    const temporary = join(this.tmpDir, `${randomUUID()}.part`);
    const address = newBlobAddress();
    try {
      await this.writeDurably(body, meter, temporary);
      await this.moveIntoPlace(temporary, address);
    } catch (err) {
      // Best effort: what stays behind is swept by deleteStaleTemporaries.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw err;
    }
    return { address, size: meter.bytesReceived, ...meter.result() };
  }

  private async writeDurably(body: BlobBody, meter: MeteringStream, path: string): Promise<void> {
    // flush: fsync before close, and the pipeline resolves only once the file is closed.
    await pipeline(sourceOf(body), meter, createWriteStream(path, { flags: 'wx', flush: true }));
  }

  private async moveIntoPlace(temporary: string, address: string): Promise<void> {
    const target = join(this.blobsDir, address);
    const dir = dirname(target);
    // Fan-out directories are never removed, so one known to exist is not made again (a
    // rename that still finds it missing makes it and tries once more).
    let firstCreated: string | undefined;
    if (!this.knownDirs.has(dir)) firstCreated = await mkdir(dir, { recursive: true });
    await rename(temporary, target).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT' || !this.knownDirs.has(dir)) throw err;
      firstCreated = await mkdir(dir, { recursive: true });
      await rename(temporary, target);
    });
    if (this.knownDirs.size >= MAX_KNOWN_DIRS) this.knownDirs.clear();
    this.knownDirs.add(dir);
    await fsyncDirectory(dir);
    // A directory made here must be durable in its parent too, or the renamed entry could
    // vanish with it (with one fan-out level: the root, once per directory in a store's life).
    if (firstCreated !== undefined) {
      for (let made = dir; made.length >= firstCreated.length; made = dirname(made)) await fsyncDirectory(dirname(made));
    }
  }

  async get(address: string, range?: ByteRange): Promise<Readable> {
    assertBlobAddress(address);
    let file: FileHandle;
    try {
      file = await open(join(this.blobsDir, address), 'r');
    } catch (err) {
      if (isMissing(err)) throw new NotFoundError('blob', `blob ${address} not found`);
      throw err;
    }
    try {
      // The open handle keeps the bytes readable even if the blob is deleted meanwhile.
      const { size } = await file.stat();
      const bounds = range ? resolveRange(range, size) : undefined;
      // Reads of up to 256 KiB at a time: a quarter of the per-chunk work of the default 64 KiB
      // on large objects, and still a bounded amount of memory per request.
      const length = bounds ? bounds.end - bounds.start + 1 : size;
      if (length <= SMALL_READ_BYTES) {
        const body = await readWhole(file, bounds?.start ?? 0, length);
        await file.close();
        return body;
      }
      return file.createReadStream({ start: bounds?.start, end: bounds?.end, highWaterMark: Math.max(1, Math.min(length, READ_CHUNK_BYTES)) });
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  async stat(address: string): Promise<BlobStat | null> {
    assertBlobAddress(address);
    try {
      const info = await stat(join(this.blobsDir, address));
      return { size: info.size, lastModified: info.mtime };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(address: string): Promise<void> {
    assertBlobAddress(address);
    try {
      await unlink(join(this.blobsDir, address));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }

  async *list(): AsyncIterable<BlobListing> {
    for await (const first of await opendir(this.blobsDir)) {
      if (!first.isDirectory() || !FANOUT_DIR.test(first.name)) continue;
      const { files, directories } = await this.entries(first.name);
      for (const name of files) yield* this.listed(`${first.name}/${name}`);
      // Stores written before the one-level layout hold a second level of directories.
      for (const second of directories) {
        for (const name of (await this.entries(`${first.name}/${second}`)).files) yield* this.listed(`${first.name}/${second}/${name}`);
      }
    }
  }

  private async *listed(address: string): AsyncIterable<BlobListing> {
    if (!isBlobAddress(address)) return;
    const info = await this.stat(address);
    if (info) yield { address, lastModified: info.lastModified };
  }

  /** One fan-out directory's files and subdirectories: 1/256 of the blobs, so small enough to hold. */
  private async entries(dir: string): Promise<{ files: string[]; directories: string[] }> {
    const files: string[] = [];
    const directories: string[] = [];
    for await (const entry of await opendir(join(this.blobsDir, dir))) {
      if (entry.isFile()) files.push(entry.name);
      else if (entry.isDirectory() && FANOUT_DIR.test(entry.name)) directories.push(entry.name);
    }
    return { files, directories };
  }

  async deleteStaleTemporaries(olderThan: Date): Promise<number> {
    let deleted = 0;
    for await (const entry of await opendir(this.tmpDir)) {
      const path = join(this.tmpDir, entry.name);
      const info = await stat(path).catch((err: unknown) => (isMissing(err) ? null : Promise.reject(err)));
      if (!info?.isFile() || info.mtime >= olderThan) continue;
      await rm(path, { force: true });
      deleted++;
    }
    return deleted;
  }

  async close(): Promise<void> {}
}

/**
 * A small body in one read, so the file can be closed at once: a file stream would read twice
 * (the bytes, then the end) and keep the descriptor open until the client took them.
 */
async function readWhole(file: FileHandle, position: number, length: number): Promise<Readable> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new Error(`blob ended after ${filled} of ${length} bytes`);
    filled += bytesRead;
  }
  return new Readable({
    read() {
      this.push(buffer);
      this.push(null);
    },
  });
}
