// The embedded catalog's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs here, so
// that its statements, a few hundred microseconds to several milliseconds of CPU each, never
// hold up the event loop that serves requests. The other side is pglite-threaded.ts; the messages
// are those of pglite-protocol.ts. Statements run one at a time, in the order they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';
import { inlineParams } from './inline-params.js';
import { openPglite, type OpenOptions } from './pglite-open.js';
import { errorFields, type Answer, type Reply, type Request } from './pglite-protocol.js';
import { StatisticsKeeper } from './statistics.js';

const port = parentPort!;
const pglite = await openPglite(workerData as OpenOptions).catch((err: unknown) => {
  port.postMessage({ fatal: errorFields(err) } satisfies Reply);
  throw err;
});
const unlisten = new Map<string, () => Promise<void>>();
const statistics = new StatisticsKeeper();

// The transaction whose BEGIN failed, if any. Its statements may already be on their way (the
// other side does not wait for BEGIN's answer), and run they would do so outside any
// transaction: each is refused instead, up to and including its end.
let unbegun: number | null = null;

async function runStatement(request: Extract<Request, { op: 'query' }>): Promise<Results[]> {
  if (request.tx !== undefined && request.tx === unbegun) {
    if (request.end) unbegun = null;
    throw new Error('the transaction did not begin');
  }
  try {
    return await pglite.exec(inlineParams(request.sql, request.params));
  } catch (err) {
    if (request.begin) unbegun = request.tx!;
    throw err;
  }
}

async function handle(request: Request): Promise<Answer> {
  switch (request.op) {
    case 'query': {
      const results = await runStatement(request);
      const last = results[results.length - 1];
      const rows = last?.rows ?? [];
      return { id: request.id, rows, rowCount: last?.affectedRows ?? rows.length, rolledBack: request.sql === 'COMMIT' && isRollback(last) };
    }
    case 'listen':
      // PGlite calls this before the statement that committed the NOTIFY resolves, so the
      // notification is posted ahead of that statement's reply.
      unlisten.set(request.channel, await pglite.listen(request.channel, (payload) => port.postMessage({ notify: request.channel, payload } satisfies Reply)));
      return { id: request.id, rows: [], rowCount: 0 };
    case 'unlisten':
      await unlisten.get(request.channel)?.();
      unlisten.delete(request.channel);
      return { id: request.id, rows: [], rowCount: 0 };
    case 'dump': {
      const dump = new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
      return { id: request.id, rows: [], rowCount: 0, dump };
    }
    case 'close':
      await pglite.close();
      return { id: request.id, rows: [], rowCount: 0 };
  }
}

/** PostgreSQL answers COMMIT of a failed transaction with the command tag ROLLBACK. */
function isRollback(result: unknown): boolean {
  return (result as { command?: string } | undefined)?.command === 'ROLLBACK';
}

// One statement at a time, in the order they arrive, except that while a transaction is open
// (from its BEGIN to its COMMIT or ROLLBACK) the statements of no or another transaction are
// held back, and run in their order once it ends: the exclusive use of the connection that
// `withTx` promises.
let previous: Promise<unknown> = Promise.resolve();
let openTx: number | null = null;
const held: Request[] = [];

function accept(request: Request): void {
  const tx = request.op === 'query' ? request.tx : undefined;
  if (openTx !== null && tx !== openTx) {
    held.push(request);
    return;
  }
  if (request.op === 'query' && request.begin) openTx = request.tx!;
  previous = previous.then(() => handle(request)).then(
    (reply) => port.postMessage(reply, reply.dump ? [reply.dump.buffer as ArrayBuffer] : []),
    (err: unknown) => port.postMessage({ id: request.id, error: errorFields(err) } satisfies Reply),
  );
  if (request.op === 'query' && request.end) openTx = null;
  if (openTx !== null) return;
  if (request.op === 'query') statistics.noteEnded();
  // Between transactions, ahead of the statements held back: analyzing is only an aid to the
  // planner, so a failure of it is nobody's error.
  if (statistics.takeDue()) previous = previous.then(() => statistics.refresh(pglite)).catch(() => undefined);
  for (const waiting of held.splice(0)) accept(waiting);
}

port.on('message', accept);

port.postMessage({ ready: true } satisfies Reply);
