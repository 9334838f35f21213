// The built-in policies every organization has (read-only: `is_builtin`). Their texts use
// the same DSL as user policies, so validation and evaluation treat them alike.

export interface BuiltinPolicy {
  name: string;
  description: string;
  text: string;
}

const READ = ['ListRepositories()', 'GetRepository()', 'ListObjects()', 'GetObject()'];
const WRITE = ['CreateSession()', 'PutObject()', 'DeleteObject()', 'CommitSession()', 'RevertCommit()'];

const lines = (statements: string[]): string => statements.map((s) => `${s}\n`).join('');

export const BUILTIN_POLICIES: readonly BuiltinPolicy[] = Object.freeze([
  {
    name: 'Admin',
    description: 'Every action on the organization and all its repositories.',
    text: lines(['*()']),
  },
  {
    name: 'ReadOnly',
    description: 'List and read repositories and their objects.',
    text: lines(READ),
  },
  {
    name: 'Writer',
    description: 'ReadOnly, plus change objects through sessions, commit them and revert commits.',
    text: lines([...READ, ...WRITE]),
  },
  {
    name: 'Approver',
    description: 'ReadOnly, plus review and approve sessions that wait for approval.',
    text: lines([...READ, 'ApproveSessionChanges()']),
  },
].map((p) => Object.freeze(p)));

export function builtinPolicy(name: string): BuiltinPolicy | undefined {
  return BUILTIN_POLICIES.find((p) => p.name === name);
}
