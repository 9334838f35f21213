import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { DataDirLockedError, ensureDataDir, LOCK_DIR_NAME, lockDataDir } from '../src/datadir.js';

// Run from source (through the TypeScript loader) or compiled (build/test), the children load
// the same form of datadir as this file does.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const MODULE_URL = pathToFileURL(join(import.meta.dirname, `../src/datadir.${FROM_SOURCE ? 'ts' : 'js'}`)).href;

// A child process that takes the lock (after "go" on stdin when asked to wait), says
// "locked" or "busy <message>", and then stays alive until killed; 'idle' lets it run out
// of work while holding the lock, 'release' releases it right after a refused second try.
const CHILD_SCRIPT = `
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { lockDataDir } from ${JSON.stringify(MODULE_URL)};
const [dir, mode] = process.argv.slice(2);
if (mode === 'wait') await new Promise((r) => process.stdin.once('data', r));
try {
  const lock = await lockDataDir(dir);
  console.log('locked');
  if (mode === 'release') {
    await lockDataDir(dir).catch(() => console.log('second attempt refused'));
    // A prober that has connected but not read yet must not hold up release().
    process.chdir(dir + '/trove.lock'); // a relative address: fixture paths exceed sun_path
    const peer = net.connect(readdirSync('.')[0]).pause();
    await new Promise((r) => peer.once('connect', r));
    await lock.release();
    console.log('released');
    peer.destroy();
  } else if (mode !== 'idle') setInterval(() => {}, 1000);
} catch (err) {
  console.log('busy ' + err.message);
  process.exit(3);
}
`;

interface Locker {
  child: ChildProcess;
  nextLine(): Promise<string>;
}

const LOCKER = join(t.testdir({ 'locker.mjs': CHILD_SCRIPT }), 'locker.mjs');

async function startLocker(t: Test, dir: string, mode: 'hold' | 'wait' | 'idle' | 'release'): Promise<Locker> {
  const child = spawn(process.execPath, [...(FROM_SOURCE ? ['--import', 'tsx'] : []), LOCKER, dir, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, nextLine: async () => String((await lines.next()).value) };
}

t.test('ensureDataDir creates nested directories with mode 0700', async (t) => {
  const dir = join(t.testdir(), 'a', 'b', 'data');
  await ensureDataDir(dir);
  t.equal((await stat(dir)).mode & 0o777, 0o700);
  await ensureDataDir(dir);
  t.ok((await stat(dir)).isDirectory(), 'a second call is harmless');
});

t.test('a second lock in the same process fails clearly, and works after release', async (t) => {
  const dir = t.testdir();
  const lock = await lockDataDir(dir);
  t.equal(lock.dir, dir);
  const err = await lockDataDir(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof DataDirLockedError);
  t.match((err as Error).message, `data directory ${dir} is in use by process ${process.pid} (this process)`);
  t.equal((err as DataDirLockedError).pid, process.pid);
  await lock.release();
  await lock.release(); // idempotent
  t.same(await readdir(join(dir, LOCK_DIR_NAME)), [], 'release removes its socket');
  const again = await lockDataDir(dir);
  await again.release();
});

t.test('simultaneous attempts in one process: exactly one wins', async (t) => {
  // Many rounds: a protocol that let two candidates ignore each other fails ~1 round in 7.
  const base = t.testdir();
  for (let round = 0; round < 30; round++) {
    const dir = join(base, String(round));
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => lockDataDir(dir)));
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    t.equal(won.length, 1, `round ${round}`);
    for (const r of results) if (r.status === 'rejected') t.ok(r.reason instanceof DataDirLockedError, String(r.reason));
    for (const lock of won) await lock.release();
  }
});

t.test('release() settles even when nothing else keeps the process alive', async (t) => {
  const locker = await startLocker(t, t.testdir(), 'release');
  t.equal(await locker.nextLine(), 'locked');
  t.equal(await locker.nextLine(), 'second attempt refused');
  const timeout = new Promise((r) => setTimeout(() => r('timed out'), 5000).unref());
  t.equal(await Promise.race([locker.nextLine(), timeout]), 'released');
  const [code] = await once(locker.child, 'exit');
  t.equal(code, 0);
});

t.test('the lock is a filesystem socket only and never keeps a process alive', async (t) => {
  const dir = t.testdir();
  const locker = await startLocker(t, dir, 'idle');
  t.equal(await locker.nextLine(), 'locked');
  const [code] = await once(locker.child, 'exit');
  t.equal(code, 0, 'the child exited by itself while holding the lock');
  const entries = await readdir(join(dir, LOCK_DIR_NAME));
  t.equal(entries.length, 1);
  t.ok((await stat(join(dir, LOCK_DIR_NAME, entries[0]!))).isSocket());
  const lock = await lockDataDir(dir); // the entry it left behind is dead: taken at once
  t.same(await readdir(join(dir, LOCK_DIR_NAME)).then((e) => e.length), 1, 'the dead entry was cleaned up');
  await lock.release();
});

t.test('a live child blocks us; after kill -9 we take the lock at once', async (t) => {
  const dir = t.testdir();
  const locker = await startLocker(t, dir, 'hold');
  t.equal(await locker.nextLine(), 'locked');
  await t.rejects(lockDataDir(dir), {
    name: 'DataDirLockedError',
    pid: locker.child.pid,
    message: `data directory ${dir} is in use by process ${locker.child.pid}`,
  });
  locker.child.kill('SIGKILL');
  await once(locker.child, 'exit');
  const started = Date.now();
  const lock = await lockDataDir(dir);
  // A live-but-silent holder is given PROBE_TIMEOUT_MS (2 s) to answer; a dead one is not waited for.
  t.ok(Date.now() - started < 2000, 'no waiting for the probe timeout');
  const second = await startLocker(t, dir, 'hold');
  t.match(await second.nextLine(), `busy data directory ${dir} is in use by process ${process.pid}`);
  await lock.release();
});

t.test('processes racing to start: exactly one gets the lock', async (t) => {
  const dir = t.testdir();
  for (let round = 0; round < 3; round++) {
    const lockers = await Promise.all(Array.from({ length: 5 }, () => startLocker(t, dir, 'wait')));
    await new Promise((r) => setTimeout(r, 1500)); // let every child finish loading
    for (const l of lockers) l.child.stdin!.write('go\n');
    const answers = await Promise.all(lockers.map((l) => l.nextLine()));
    t.equal(answers.filter((a) => a === 'locked').length, 1, `round ${round}: ${answers.join(' | ')}`);
    t.ok(answers.filter((a) => a !== 'locked').every((a) => a.startsWith(`busy data directory ${dir} is in use by process`)));
    for (const l of lockers) l.child.kill('SIGKILL');
    await Promise.all(lockers.map((l) => (l.child.exitCode === null && l.child.signalCode === null ? once(l.child, 'exit') : null)));
  }
});

t.test('a data directory path longer than a unix socket address still locks', async (t) => {
  const deep = join(t.testdir(), 'x'.repeat(100), 'y'.repeat(100));
  await mkdir(deep, { recursive: true });
  const lock = await lockDataDir(deep);
  await t.rejects(lockDataDir(deep), { name: 'DataDirLockedError', pid: process.pid });
  const entries = await readdir(join(deep, LOCK_DIR_NAME));
  t.equal(entries.length, 1);
  t.ok((await stat(join(deep, LOCK_DIR_NAME, entries[0]!))).isSocket(), 'the socket lives in the data directory');
  await lock.release();
  t.same(await readdir(join(deep, LOCK_DIR_NAME)), []);
});
