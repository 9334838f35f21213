// Every child process and temporary directory the harness makes is registered here, and all of
// them go when the run ends: normally, on an error, on Ctrl-C or SIGTERM.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
 *  after another (see removeDir); the run prints where they are. */
const keepDirs = process.env.BENCH_KEEP_DIRS === '1';

/**
 * Removes a server's directory. Deleting thousands of files slows the creation of new ones for
 * a while on ext4 without a journal (it skips inodes freed in the last few seconds, or in the
 * last ~35 s while their inode table is not yet written back), which would penalise whichever
 * server runs next; so the disk is synced and left to settle before the run goes on.
 */
export async function removeDir(dir: string): Promise<void> {
  dirs.delete(dir);
  if (keepDirs) {
    console.error(`  kept ${dir}`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
  settleDisk();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_REMOVAL_MS));
}

const SETTLE_AFTER_REMOVAL_MS = 6_000;

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
