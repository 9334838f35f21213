// The data directory and its exclusive lock. PGlite does not lock its directory, and two
// servers on one directory would silently lose writes, so `trove serve` takes this lock
// before opening anything and holds it for the life of the process.
//
// Why this design. Node has no flock(). A pid file (O_EXCL + "is that pid alive?") is fooled
// by pid reuse. Both it and a single socket at a fixed name need a stale-file cleanup in
// which two starters can each delete what the other just created and both win; the fixed
// socket also refuses connections between bind() and listen(), so a racer can mistake a
// live newcomer for a dead one. A listening
// unix socket is a better liveness signal: the kernel refuses connections the moment its
// process dies, even by SIGKILL, and a socket that refuses once can never listen again. So:
//
//   <dir>/trove.lock/<random>.sock   one socket per process that wants the lock.
//
// 1. Listen on a private temporary name, then rename it into place: a visible name always
//    answers while its process lives, so "connection refused" proves it is dead for good,
//    and deleting dead entries is always safe (names are never reused).
// 2. Probe every other entry. Any live one (holder, or candidate still probing) = not ours:
//    withdraw. A holder ends the attempt with "in use by process PID"; candidates only mean
//    a simultaneous start, so retry after a random pause (as for a rival too slow to say
//    who it is, a few times, so that the error can name it).
// 3. Nobody else alive = we hold the lock.
// Each process probes only after its own entry is visible, so of any two, the one whose entry
// appeared second sees the first one's live entry: both can never reach step 3. The sockets are filesystem sockets only (no
// TCP); each answers with `{pid, state}` so the loser can name the holder. They work across
// containers that share the volume, not across hosts (NFS): one host per data directory.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat, symlink, unlink } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export const LOCK_DIR_NAME = 'trove.lock';
const ENTRY = /^[0-9a-f]{16}\.sock$/;
const TEMP_ENTRY = /^_[0-9a-f]{16}\.sock$/;
const TEMP_MAX_AGE_MS = 60_000;
const PROBE_TIMEOUT_MS = 2_000;
const MAX_ATTEMPTS = 20;
const MAX_SILENT_ATTEMPTS = 3;
// sun_path is 108 bytes on Linux, 104 on macOS, and Node silently truncates longer paths.
const MAX_SOCKET_PATH = 100;

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly dir: string;
  release(): Promise<void>;
}

type LockState = 'candidate' | 'holder';
type Probe = { alive: false } | { alive: true; pid: number | undefined; state: LockState | 'unknown' };

/** mkdir -p with mode 0700 (an existing directory keeps its mode). */
export async function ensureDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Takes the exclusive lock on `dir` or throws DataDirLockedError naming the holder. */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const absolute = resolve(dir);
  const lockDir = join(absolute, LOCK_DIR_NAME);
  await mkdir(lockDir, { recursive: true, mode: 0o700 });
  let silentAttempts = 0;
  for (let attempt = 1; ; attempt++) {
    const entry = await LockEntry.create(lockDir);
    const rivals = await probeRivals(lockDir, entry.name).catch(async (err: unknown) => {
      await entry.close();
      throw err;
    });
    if (rivals.length === 0) {
      entry.state = 'holder';
      return { dir: absolute, release: () => entry.close() };
    }
    await entry.close();
    const holder = rivals.find((r) => r.state === 'holder');
    // A rival that connected but did not say who it is (a holder too busy to answer within
    // the probe timeout, or a stopped process) is asked again a few times before we give up,
    // so that a slow holder is still named in the error.
    const silent = rivals.find((r) => r.state === 'unknown');
    if (silent) silentAttempts++;
    if (holder || attempt === MAX_ATTEMPTS || silentAttempts === MAX_SILENT_ATTEMPTS) throw lockedError(absolute, holder ?? silent ?? rivals[0]!);
    await sleep(5 + Math.random() * 45);
  }
}

function lockedError(dir: string, rival: Extract<Probe, { alive: true }>): DataDirLockedError {
  const who = rival.pid === undefined ? 'another process (it did not say which)' : `process ${rival.pid}`;
  const mine = rival.pid === process.pid ? ' (this process)' : '';
  const starting = rival.state === 'candidate' ? ', which is starting at the same time' : '';
  return new DataDirLockedError(
    dir,
    rival.pid,
    `data directory ${dir} is in use by ${who}${mine}${starting}; stop that server or choose another --data-dir`,
  );
}

class LockEntry {
  state: LockState = 'candidate';
  private closing: Promise<void> | undefined;

  private constructor(
    readonly name: string,
    private readonly path: string,
    private readonly server: net.Server,
    private readonly connections: Set<net.Socket>,
  ) {}

  static async create(lockDir: string): Promise<LockEntry> {
    const id = randomBytes(8).toString('hex');
    const temp = join(lockDir, `_${id}.sock`);
    const final = join(lockDir, `${id}.sock`);
    let entry: LockEntry | undefined;
    const connections = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      socket.unref();
      socket.on('error', () => {}); // a prober hanging up early is not our problem
      socket.end(`${JSON.stringify({ pid: process.pid, state: entry?.state ?? 'candidate' })}\n`);
    });
    await withSocketAddress(temp, (address) => listen(server, address));
    server.unref(); // the lock must never be what keeps the process running
    entry = new LockEntry(`${id}.sock`, final, server, connections);
    try {
      await rename(temp, final);
    } catch (err) {
      await entry.close();
      throw err;
    }
    return entry;
  }

  /** Hides the entry first, then stops answering; idempotent. */
  close(): Promise<void> {
    this.closing ??= unlinkQuietly(this.path).then(() => closeServer(this.server, this.connections));
    return this.closing;
  }
}

async function probeRivals(lockDir: string, ownName: string): Promise<Array<Extract<Probe, { alive: true }>>> {
  const rivals: Array<Extract<Probe, { alive: true }>> = [];
  for (const name of await readdir(lockDir)) {
    const path = join(lockDir, name);
    if (TEMP_ENTRY.test(name)) await removeStaleTemp(path);
    if (name === ownName || !ENTRY.test(name)) continue;
    const probe = await probeEntry(path);
    if (probe.alive) rivals.push(probe);
    else await unlinkQuietly(path);
  }
  return rivals;
}

// A temporary name lives for microseconds between listen() and rename(); one that is old
// belongs to a process killed in between.
async function removeStaleTemp(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info && Date.now() - info.mtimeMs > TEMP_MAX_AGE_MS) await unlinkQuietly(path);
}

function probeEntry(path: string): Promise<Probe> {
  return withSocketAddress(path, (address) => probeAddress(address));
}

function probeAddress(address: string): Promise<Probe> {
  return new Promise((resolvePromise) => {
    const socket = net.connect(address);
    let reply = '';
    const finish = (probe: Probe): void => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(probe);
    };
    // Connected but silent (a stopped or very busy process) still counts as alive.
    const timer = setTimeout(() => finish({ alive: true, pid: undefined, state: 'unknown' }), PROBE_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () => finish(parseReply(reply)));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? { alive: false } : { alive: true, pid: undefined, state: 'unknown' }),
    );
  });
}

function parseReply(reply: string): Probe {
  try {
    const { pid, state } = JSON.parse(reply) as { pid?: unknown; state?: unknown };
    return {
      alive: true,
      pid: Number.isSafeInteger(pid) ? (pid as number) : undefined,
      state: state === 'candidate' || state === 'holder' ? state : 'unknown',
    };
  } catch {
    return { alive: true, pid: undefined, state: 'unknown' };
  }
}

// Runs `use` with an address for `path` that fits in sun_path. A long path is reached
// through a fresh symlink to its directory in the temp dir: bind() and connect() follow it,
// so the socket itself still lives in the data directory.
async function withSocketAddress<T>(path: string, use: (address: string) => Promise<T>): Promise<T> {
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH) return use(path);
  const link = join(tmpdir(), `trove-lock-${randomBytes(6).toString('hex')}`);
  const address = join(link, basename(path));
  if (Buffer.byteLength(address) > MAX_SOCKET_PATH) throw new Error(`${path} is too long for a unix socket; use a shorter data directory path`);
  await symlink(dirname(path), link, 'dir');
  try {
    return await use(address);
  } finally {
    await unlinkQuietly(link);
  }
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

// Closing handles keep the event loop alive until closed, even unref'd ones, so this
// resolves; open connections are cut rather than waited for (they are unref'd and would
// otherwise let the process exit with the promise pending).
function closeServer(server: net.Server, connections: Set<net.Socket>): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    for (const socket of connections) socket.destroy();
  });
}

async function unlinkQuietly(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
