// `trove session open|commit|rollback`: sessions with session-bound S3 credentials, so an
// unchanged tool can write a whole batch as one commit. Works directly on the catalog.
import { organizations, principals, repositories } from '../../catalog/index.js';
import { ADMIN_USER } from '../../core/bootstrap.js';
import { callerOf } from '../../core/caller.js';
import { commitOwnSession, mintSessionCredentials, openSession, rollbackSession } from '../../core/sessions.js';
import { loadConfig } from '../../config.js';
import { openRuntime, type Runtime } from '../../runtime.js';
import { requireString, takeFlags, UsageError } from '../args.js';
import type { Command } from '../command.js';

const SESSION_FLAGS = { repo: 'string', user: 'string', message: 'string', json: 'boolean' } as const;

/** `org/repo` or `repo` (in `default`), and the acting user (default: the admin). */
async function context(runtime: Runtime, repoArg: string, username: string) {
  const [orgName, repoName] = repoArg.includes('/') ? repoArg.split('/', 2) as [string, string] : ['default', repoArg];
  const { db } = runtime.services;
  const org = await organizations.getOrganizationByName(db, orgName);
  const repo = await repositories.getRepositoryByName(db, org.id, repoName);
  const user = await principals.findUserByName(db, username);
  if (!user) throw new UsageError(`no user ${username}`);
  return { repo, caller: callerOf(user, null) };
}

async function withRuntime<T>(argv: string[], env: NodeJS.ProcessEnv, fn: (runtime: Runtime, values: Record<string, string | boolean | undefined>) => Promise<T>): Promise<T> {
  const { values, rest } = takeFlags(argv, SESSION_FLAGS);
  const runtime = await openRuntime(loadConfig(rest, env));
  try {
    return await fn(runtime, values);
  } finally {
    await runtime.close();
  }
}

function sessionIdArg(argv: string[]): string {
  const sessionId = argv[0];
  if (!sessionId || sessionId.startsWith('--')) throw new UsageError('the session id comes first');
  return sessionId;
}

const userOf = (values: Record<string, unknown>) => (typeof values.user === 'string' ? values.user : ADMIN_USER);

export const sessionCommands: Command[] = [
  {
    name: 'session open',
    summary: 'open a session and print its id and session-bound S3 credentials',
    usage: 'Usage: trove session open --repo [ORG/]REPO [--user NAME] [--json] [settings]',
    run: (argv, env) => withRuntime(argv, env, async (runtime, values) => {
      const { repo, caller } = await context(runtime, requireString(values, 'repo'), userOf(values));
      const session = await openSession(runtime.services, caller, repo);
      const creds = await mintSessionCredentials(runtime.services, caller, session);
      const out = { session_id: session.id, access_key_id: creds.accessKeyId, secret_access_key: creds.secretAccessKey, expires_at: creds.expiresAt.toISOString(), bucket: repo.name };
      process.stdout.write(values.json ? `${JSON.stringify(out)}\n` : Object.entries(out).map(([k, v]) => `${k.padEnd(18)}${v}`).join('\n') + '\n');
    }),
  },
  {
    name: 'session commit',
    summary: 'commit a session (prints the commit id, or says it awaits approval)',
    usage: 'Usage: trove session commit SESSION_ID --repo [ORG/]REPO [--message M] [--user NAME] [settings]',
    run: (argv, env) => withRuntime(argv.slice(1), env, async (runtime, values) => {
      const sessionId = sessionIdArg(argv);
      const { repo, caller } = await context(runtime, requireString(values, 'repo'), userOf(values));
      const message = typeof values.message === 'string' ? values.message : `Session ${sessionId}`;
      const outcome = await commitOwnSession(runtime.services, caller, repo, sessionId, message);
      process.stdout.write(outcome.kind === 'committed' ? `${outcome.commit.id}\n` : 'awaiting approval\n');
    }),
  },
  {
    name: 'session rollback',
    summary: 'roll a session back (its credentials stop working)',
    usage: 'Usage: trove session rollback SESSION_ID --repo [ORG/]REPO [--user NAME] [settings]',
    run: (argv, env) => withRuntime(argv.slice(1), env, async (runtime, values) => {
      const sessionId = sessionIdArg(argv);
      const { repo, caller } = await context(runtime, requireString(values, 'repo'), userOf(values));
      await rollbackSession(runtime.services, caller, repo, sessionId);
      process.stdout.write('rolled back\n');
    }),
  },
];

