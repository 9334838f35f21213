// Finding the installed clients and giving each a clean environment: nothing from the machine's
// own AWS or rclone configuration may leak into a case (this machine, for one, exports
// AWS_CA_BUNDLE pointing at the system bundle, which breaks rclone and hides our CA).
import { access, constants } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import { run, versionOf } from './exec.js';
import type { Target } from './targets.js';

export interface Credentials {
  accessKeyId: string;
  secret: string;
}

/** process.env without AWS_*, RCLONE_* and the CA overrides Python's requests honours. */
export function cleanEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AWS_|RCLONE_|BOTO_)/.test(k) || k === 'REQUESTS_CA_BUNDLE') continue;
    env[k] = v;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

/** The environment an AWS SDK-based tool (aws cli, boto3) reads: credentials, region, our CA. */
export function awsEnv(target: Target, creds: Credentials = target.admin): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(target.dir),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secret,
    AWS_DEFAULT_REGION: 'us-east-1',
    ...(target.ca ? { AWS_CA_BUNDLE: target.ca.file } : {}),
  };
}

/**
 * The program a pyenv shim stands for: the shim finds it anew on every call, through a chain of
 * shell scripts that cost most of a second, and the suite calls the aws cli hundreds of times.
 */
async function unshimmed(bin: string): Promise<string> {
  if (basename(dirname(bin)) !== 'shims') return bin;
  const found = await run(join(dirname(dirname(bin)), 'bin', 'pyenv'), ['which', basename(bin)], { env: cleanEnv('/nonexistent') }).catch(() => undefined);
  const real = found?.code === 0 ? found.stdout.trim() : '';
  return real && (await executable(real)) ? real : bin;
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

export interface AwsCli {
  bin: string;
  version: string;
}

/**
 * The aws cli of the given major version: v1 is the Python one on PATH (pip's awscli), v2 is
 * Debian's `awscli` package in /usr/bin. Every `aws` on PATH and in /usr/bin is asked.
 */
export async function findAwsCli(major: 1 | 2): Promise<AwsCli | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const bin of [...new Set(dirs.filter(Boolean).map((d) => join(d, 'aws')))]) {
    if (!(await executable(bin))) continue;
    const version = await versionOf(bin, ['--version'], cleanEnv('/nonexistent'));
    if (version?.startsWith(`aws-cli/${major}.`)) return { bin: await unshimmed(bin), version };
  }
  return undefined;
}

/** Why the client cannot run here (for the skip message), or undefined when it can. */
export async function missing(what: string, cmd: string, args: string[], hint: string): Promise<string | undefined> {
  const out = await run(cmd, args, { env: cleanEnv('/nonexistent'), timeoutMs: 30_000 }).catch(() => undefined);
  return out?.code === 0 ? undefined : `${what} is not installed (${hint})`;
}

/** The S3 error code an AWS CLI or botocore message names: "An error occurred (NoSuchKey) when …". */
export function awsErrorCode(stderr: string): string | undefined {
  return /An error occurred \(([^)]+)\)/.exec(stderr)?.[1];
}
