// Runs a client's command line and keeps everything it said: conformance cases assert on exit
// codes and on the S3 error codes clients print, so a failing command is a result, not a throw.
import { spawn } from 'node:child_process';

export interface Outcome {
  code: number;
  stdout: string;
  /** stdout as the bytes it was: binary output does not survive decoding as UTF-8. */
  stdoutBytes: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** A hung client must not hang the suite. */
  timeoutMs?: number;
}

export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs ?? 180_000} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 180_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(stdout);
      resolve({ code: code ?? (signal ? 128 : -1), stdout: stdoutBytes.toString(), stdoutBytes, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Like run, but a non-zero exit is an error carrying what the command printed. */
export async function must(cmd: string, args: string[], options: RunOptions = {}): Promise<Outcome> {
  const out = await run(cmd, args, options);
  if (out.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${out.code}\n${out.stderr}\n${out.stdout}`.slice(0, 4000));
  return out;
}

/** The version line a command prints, or undefined when it is not installed (or broken). */
export async function versionOf(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const out = await run(cmd, args, { env, timeoutMs: 30_000 }).catch(() => undefined);
  if (!out || out.code !== 0) return undefined;
  return (out.stdout + out.stderr).trim().split('\n')[0];
}
