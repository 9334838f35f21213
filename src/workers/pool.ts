// The one piscina pool. Threads start on first use and stop when idle, so a process that never
// hashes a large body never starts one. Tasks may be long and asynchronous (a hash follows its
// upload for as long as the upload lasts), so each thread runs many at once and waits on its
// messages rather than spinning on Atomics.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

// Beside this file: tasks.js when built; when run from source (tests), a module that loads
// tasks.ts through the TypeScript loader (tasks-from-source.mjs says why).
const TASKS = new URL(import.meta.url.endsWith('.ts') ? './tasks-from-source.mjs' : './tasks.js', import.meta.url).href;

let pool: Piscina | null = null;

export function workerPool(): Piscina {
  pool ??= new Piscina({
    filename: TASKS,
    minThreads: 0,
    // The event loop has a core of its own; the rest are the pool's (each thread costs memory).
    maxThreads: Math.max(1, availableParallelism() - 1),
    idleTimeout: 30_000,
    concurrentTasksPerWorker: 64,
    atomics: 'disabled',
    // The tasks hash buffers handed over by the event loop and keep little of their own; a small
    // young generation (V8's default grows to 48 MiB) keeps each thread's memory near its baseline.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  return pool;
}

/** Stops the threads (shutdown, and tests that must exit). */
export async function closeWorkerPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
