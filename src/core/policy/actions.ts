// The action table: every API and S3 operation is authorized as exactly one of these names.
// A policy statement names an action (or `*`); the front doors map each route onto one.

export const ACTIONS = [
  'ListRepositories',
  'GetRepository',
  'CreateRepository',
  'UpdateRepository',
  'DeleteRepository',
  'ListObjects',
  'GetObject',
  'CreateSession',
  'PutObject',
  'DeleteObject',
  'CommitSession',
  'ApproveSessionChanges',
  'RevertCommit',
  'ManageConnectors',
  'ImportData',
  'ManageKeys',
  'ManagePolicies',
  'ManageGroups',
  'ManagePrincipals',
  'AdminOrganization',
] as const;

export type Action = (typeof ACTIONS)[number];

/** What a statement may name: one action, or `*` for all of them. */
export type ActionPattern = Action | '*';

/** Actions on objects: the only ones whose statements may carry a `path` glob. */
export const OBJECT_ACTIONS: readonly Action[] = ['ListObjects', 'GetObject', 'PutObject', 'DeleteObject'];

/**
 * Actions on the organization itself, never on one repository: a `repository` argument on
 * them could never match a request, so the parser refuses it as a mistake.
 */
export const ORGANIZATION_ACTIONS: readonly Action[] = [
  'ManageKeys',
  'ManagePolicies',
  'ManageGroups',
  'ManagePrincipals',
  'AdminOrganization',
];

const actionSet: ReadonlySet<string> = new Set(ACTIONS);
const objectSet: ReadonlySet<string> = new Set(OBJECT_ACTIONS);
const organizationSet: ReadonlySet<string> = new Set(ORGANIZATION_ACTIONS);

export function isAction(name: string): name is Action {
  return actionSet.has(name);
}

export function isObjectAction(action: ActionPattern): boolean {
  return objectSet.has(action);
}

export function isOrganizationAction(action: ActionPattern): boolean {
  return organizationSet.has(action);
}

/** The action a mistyped name most likely meant (`getobject`, `GetObjects` → `GetObject`), if any. */
export function suggestAction(name: string): Action | undefined {
  const lower = name.toLowerCase();
  let best: Action | undefined;
  let bestDistance = 3;
  for (const action of ACTIONS) {
    const distance = editDistance(lower, action.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [action, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
