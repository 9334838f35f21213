// `trove run --repo ORG/REPO -- COMMAND …`: runs an unchanged tool inside a session. Opens a
// session over the REST API, mints its S3 credentials, runs the command with AWS_* set to
// them, then commits when it exits 0 (waiting for approval if needed, unless --no-wait) and
// rolls back otherwise. Prints the commit id.
import { spawn } from 'node:child_process';
import { UsageError, takeFlags } from '../args.js';
import type { Command } from '../command.js';

interface RunOptions {
  endpoint: string;
  token: string;
  repoPath: string;
  message: string;
  wait: boolean;
}

async function call(o: RunOptions, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${o.endpoint}/api/v1/organizations/${o.repoPath}${path}`, {
    method,
    headers: { authorization: `Bearer ${o.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (res.status >= 400 && method !== 'HEAD') throw new Error(`${method} ${path}: ${res.status} ${String(json.message ?? text)}`);
  return { status: res.status, json };
}

function runChild(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a command inside a session: everything it writes through S3 lands as one commit',
  usage: [
    'Usage: trove run --repo ORG/REPO [--message M] [--endpoint URL] [--no-wait] -- COMMAND [ARGS…]',
    '',
    'The API key comes from TROVE_API_KEY (or TILDE_API_KEY); the endpoint from --endpoint,',
    'TROVE_ENDPOINT_URL or http://127.0.0.1:9000. The command sees AWS_ACCESS_KEY_ID,',
    'AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL and AWS_REGION of the session. Exit 0 commits,',
    'anything else rolls back (and trove run exits with the command\'s code).',
  ].join('\n'),
  async run(argv, env) {
    const dashdash = argv.indexOf('--');
    if (dashdash < 0 || dashdash === argv.length - 1) throw new UsageError('give the command after --');
    const { values, rest } = takeFlags(argv.slice(0, dashdash), { repo: 'string', message: 'string', endpoint: 'string', 'no-wait': 'boolean' });
    if (rest.length) throw new UsageError(`unknown arguments: ${rest.join(' ')}`);
    const repo = typeof values.repo === 'string' ? values.repo : '';
    if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(repo)) throw new UsageError('--repo ORG/REPO is required');
    const token = env.TROVE_API_KEY ?? env.TILDE_API_KEY;
    if (!token) throw new UsageError('set TROVE_API_KEY to an API key');
    const command = argv.slice(dashdash + 1);
    const o: RunOptions = {
      endpoint: (typeof values.endpoint === 'string' ? values.endpoint : env.TROVE_ENDPOINT_URL ?? 'http://127.0.0.1:9000').replace(/\/$/, ''),
      token,
      repoPath: repo.replace('/', '/repositories/'),
      message: typeof values.message === 'string' ? values.message : `trove run ${command.join(' ')}`.slice(0, 200),
      wait: !values['no-wait'],
    };
    const sid = String((await call(o, 'POST', '/sessions')).json.session_id);
    const creds = (await call(o, 'POST', `/sessions/${sid}/s3-credentials`)).json;
    const code = await runChild(command, {
      ...env, AWS_ACCESS_KEY_ID: String(creds.access_key_id), AWS_SECRET_ACCESS_KEY: String(creds.secret_access_key),
      AWS_ENDPOINT_URL: o.endpoint, AWS_REGION: env.AWS_REGION ?? 'us-east-1', AWS_DEFAULT_REGION: env.AWS_REGION ?? 'us-east-1',
    });
    if (code !== 0) {
      await call(o, 'DELETE', `/sessions/${sid}`);
      process.stderr.write(`trove: the command exited ${code}; session ${sid} rolled back, nothing was committed\n`);
      process.exitCode = code;
      return;
    }
    const commit = await call(o, 'POST', `/sessions/${sid}`, { message: o.message });
    if (commit.status === 200) {
      process.stdout.write(`${String(commit.json.commit_id)}\n`);
      return;
    }
    process.stderr.write(`trove: session ${sid} awaits approval (${String(commit.json.api_url)})\n`);
    if (!o.wait) return;
    while ((await call(o, 'HEAD', `/sessions/${sid}/approve`)).status === 200) await new Promise((r) => setTimeout(r, 2000));
    process.stderr.write(`trove: session ${sid} was approved or rolled back\n`);
  },
};
