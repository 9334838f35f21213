// Runs the real `trove serve` (the compiled bin, as users run it) in a child process on a
// free loopback port, and stops it. `npm test` builds dist/ before the tests run.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TROVE_BIN = fileURLToPath(new URL('../../bin/trove.js', import.meta.url));

/**
 * The command line that runs `trove <args>` as a user would. tap preloads a process-tracking
 * module into every Node.js process a test starts (it re-adds NODE_OPTIONS to any environment
 * given to spawn); that module only serves coverage, which is off, and it doubles what each
 * `trove` command costs to start (1.2 s to 2.5 s of CPU). `env -u` drops it on the way.
 */
export function troveCommand(args: string[]): [string, string[]] {
  return ['/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, TROVE_BIN, ...args]];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
}

export function runTrove(args: string[], env: Record<string, string>, scheme = 'http'): RunningServer {
  const [command, argv] = troveCommand(args);
  const child = spawn(command, argv, {
    env: { ...process.env, TROVE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { url: `${scheme}://127.0.0.1:${env.TROVE_PORT ?? ''}`, child, output: () => output, exited };
}

/** Starts `trove serve` and waits until its health check answers 200. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000, scheme: 'http' | 'https' = 'http'): Promise<RunningServer> {
  const port = await freePort();
  const server = runTrove(['serve'], { TROVE_PORT: String(port), ...env }, scheme);
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void server.exited.then(() => (exitedEarly = true));
  while (Date.now() < deadline && !exitedEarly) {
    const ok = await healthy(`${server.url}/api/v1/healthcheck`);
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  server.child.kill('SIGKILL');
  throw new Error(`trove serve did not become healthy:\n${server.output()}`);
}

/** GET the health check; over HTTPS the test certificate is self-signed, so it is not verified. */
function healthy(url: string): Promise<boolean> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = client.get(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}
