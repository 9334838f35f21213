// The embedded catalog on a thread of its own (pglite-thread.ts), so that its statements, a few
// hundred microseconds to several milliseconds of CPU each, never hold up the event loop that
// serves requests: what a server's catalog uses. The promise of `Db` holds: one connection,
// statements in order, and `withTx` the exclusive use of it from BEGIN to COMMIT (the thread
// holds every other statement back until the transaction ends).
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { payloadFor, type CatalogEvent, type QueryResult, type SqlParam, type Transaction, transactionEnded } from '../db.js';
import type { PgliteDb } from './pglite-db.js';
import type { OpenOptions } from './pglite-open.js';
import { toError, type Answer, type Reply, type Request } from './pglite-protocol.js';

// Beside this file: pglite-thread.js when built; from source (tests), a module that loads the
// TypeScript through its loader (pglite-thread-from-source.mjs says why).
const THREAD = new URL(import.meta.url.endsWith('.ts') ? './pglite-thread-from-source.mjs' : './pglite-thread.js', import.meta.url);

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

export class ThreadedPgliteDb implements PgliteDb {
  readonly kind = 'pglite' as const;
  private nextId = 1;
  private nextTx = 1;
  private readonly pending = new Map<number, { resolve: (answer: Answer) => void; reject: (err: Error) => void }>();
  private readonly listeners = new Map<string, Set<(event: CatalogEvent) => void>>();
  private failure: Error | null = null;
  private closed = false;

  private constructor(private readonly thread: Worker) {
    thread.on('message', (reply: Reply) => this.receive(reply));
    thread.on('error', (err) => this.fail(err));
    thread.on('exit', (code) => this.fail(new Error(`the embedded catalog's thread stopped (exit code ${code})`)));
  }

  static async open(options: OpenOptions): Promise<ThreadedPgliteDb> {
    // A small young generation: the thread's short-lived objects are rows on their way out, and
    // V8's default semi-spaces would keep 30-40 MiB more resident (measured on the RSS benchmark).
    const thread = new Worker(THREAD, {
      workerData: options,
      transferList: options.image ? [options.image.buffer as ArrayBuffer] : [],
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    const [first] = (await Promise.race([once(thread, 'message'), once(thread, 'error').then(([err]) => { throw err; })])) as [Reply];
    if (!('ready' in first)) {
      await thread.terminate();
      throw 'fatal' in first ? toError(first.fatal) : new Error('the embedded catalog did not start');
    }
    thread.unref();
    return new ThreadedPgliteDb(thread);
  }

  // Statements are sent as soon as they are asked for: the thread runs them in order, so none
  // waits for this thread to read the answer of the one before it.
  query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    return this.statement({ sql, params }) as Promise<QueryResult<Row>>;
  }

  async exec(script: string): Promise<void> {
    await this.statement({ sql: script, params: [] });
  }

  async withTx<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx = this.nextTx++;
    let committing: Promise<Answer> | undefined;
    const statement = (sql: string, params: readonly SqlParam[]) => (committing ? transactionEnded() : this.statement({ sql, params, tx }));
    const commit = () => this.send({ op: 'query', sql: 'COMMIT', params: [], tx, end: true });
    const inTx: Transaction = {
      query: <Row>(sql: string, params: readonly SqlParam[] = []) => statement(sql, params) as Promise<QueryResult<Row>>,
      exec: async (script: string) => void (await statement(script, [])),
      queryAndCommit: <Row>(sql: string, params: readonly SqlParam[] = []) => {
        const result = statement(sql, params) as Promise<QueryResult<Row>>;
        committing = commit();
        void committing.catch(() => undefined); // awaited below
        return result;
      },
    };
    // BEGIN goes out with the first statements instead of a round trip ahead of them: every
    // answer waits for a turn of this thread's busy event loop. Should BEGIN fail, the thread
    // refuses the transaction's statements, so none runs outside it.
    const begun = this.statement({ sql: 'BEGIN', params: [], tx, begin: true }).then(() => null, (err: Error) => err);
    let result: T;
    try {
      result = await fn(inTx);
      const failedBegin = await begun;
      if (failedBegin) throw failedBegin;
    } catch (err) {
      if (committing) await committing.catch(() => undefined); // the COMMIT of a failed transaction rolls back
      else await this.statement({ sql: 'ROLLBACK', params: [], tx, end: true }).catch(() => undefined);
      throw (await begun) ?? err;
    }
    const committed = await (committing ?? commit());
    if (committed.rolledBack) throw new Error('the transaction was rolled back at COMMIT');
    return result;
  }

  // One process owns the data directory, so every NOTIFY is this process's own: the thread
  // posts it before the answer to the statement that committed it, and it is never 'lost'.
  async listen(channel: string, fn: (event: CatalogEvent) => void): Promise<() => Promise<void>> {
    let fns = this.listeners.get(channel);
    if (!fns) {
      this.listeners.set(channel, (fns = new Set()));
      await this.send({ op: 'listen', channel });
    }
    fns.add(fn);
    fn({ kind: 'ready' });
    return async () => {
      fns.delete(fn);
      if (fns.size > 0 || this.listeners.get(channel) !== fns) return;
      this.listeners.delete(channel);
      if (!this.closed) await this.send({ op: 'unlisten', channel });
    };
  }

  /** The whole catalog as a gzipped tarball, for `open(undefined, image)`. */
  async dump(): Promise<Blob> {
    return new Blob([(await this.send({ op: 'dump' })).dump!]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.send({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.thread.terminate();
  }

  private async statement(request: Omit<Extract<Request, { op: 'query' }>, 'id' | 'op'>): Promise<QueryResult<unknown>> {
    const { rows, rowCount } = await this.send({ op: 'query', ...request });
    return { rows, rowCount };
  }

  private send(request: Distribute<Request>): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the embedded catalog is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // The thread keeps the process alive only while an answer is awaited, as a socket would.
      if (this.pending.size === 0) this.thread.ref();
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ ...request, id } as Request);
    });
  }

  private receive(reply: Reply): void {
    if ('notify' in reply) {
      const payload = payloadFor('public', reply.payload);
      if (payload !== null) for (const fn of this.listeners.get(reply.notify) ?? []) fn({ kind: 'notify', payload });
      return;
    }
    if (!('id' in reply)) return;
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.thread.unref();
    if (reply.error) waiting?.reject(toError(reply.error));
    else waiting?.resolve(reply);
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.failure ??= err;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }
}

