// Every child process and temporary directory the harness makes is registered here, and all of
// them go when the run ends: normally, on an error, on Ctrl-C or SIGTERM.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last few KiB of its stdout and stderr, for error messages. */
  output: () => string;
  exited: Promise<number | string>;
  stop: () => Promise<void>;
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
const finalizers = new Set<() => Promise<void>>();
let interrupted = false;

/** Registers async clean-up (dropping a database) to run if the run is interrupted; returns its
 *  unregister function. */
export function onInterrupt(finalizer: () => Promise<void>): () => void {
  finalizers.add(finalizer);
  return () => finalizers.delete(finalizer);
}

export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `trove-bench-${name}-`));
  dirs.add(dir);
  return dir;
}

/** BENCH_KEEP_DIRS=1 leaves every temporary directory in place, for inspection or for runs one
 *  after another (see releaseDir); the run prints where they are. */
const keepDirs = process.env.BENCH_KEEP_DIRS === '1';

/**
 * Called when a server stops. Deleting thousands of files slows the creation of new ones for a
 * minute or more on ext4 without a journal, as on the machine these figures come from: a new
 * inode skips every inode freed in the last 60 s (360 s while its inode table block is dirty),
 * checking each one (`recently_deleted` in the kernel's ext4/ialloc.c). Deleted between servers,
 * one server's files would slow the next server's writes; so only large files (few inodes,
 * much space) go now, and the directory itself when the run ends.
 */
export async function releaseDir(dir: string): Promise<void> {
  if (keepDirs) {
    dirs.delete(dir);
    console.error(`  kept ${dir}`);
    return;
  }
  await removeLargeFiles(dir);
}

const LARGE_FILE_BYTES = 1024 * 1024;

async function removeLargeFiles(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const size = (await stat(path).catch(() => null))?.size ?? 0;
    if (size >= LARGE_FILE_BYTES) await rm(path, { force: true });
  }
}

export function startChild(command: string, args: string[], options: SpawnOptions = {}): Promise<Child> {
  if (interrupted) return Promise.reject(new Error('interrupted'));
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-4096));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      children.add(child);
      void exited.then(() => children.delete(child));
      const stop = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      };
      resolve({ process: child, pid: child.pid!, output: () => tail, exited, stop });
    });
  });
}

/** Flushes every dirty page to disk (sync(1)), so a measured write does not wait behind the
 *  write-back of what an earlier measurement (or another server) wrote. */
export function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/** Synchronous last resort, safe in an 'exit' handler. */
function killEverything(): void {
  for (const child of children) child.kill('SIGKILL');
  if (!keepDirs) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  else for (const dir of dirs) console.error(`  kept ${dir}`);
}

let installed = false;
export function cleanUpOnExit(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killEverything);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the servers and removing temporary directories`);
      interrupted = true;
      killEverything();
      const timeout = new Promise((r) => setTimeout(r, 10_000).unref());
      void Promise.race([Promise.allSettled([...finalizers].map((f) => f())), timeout]).finally(() => process.exit(130));
    });
  }
}
