// The decision: may this principal perform this action on this resource? Deny wins; no
// matching allow means no permission; agents get (inline policy) ∩ (creator's policies).
import type { Action } from './actions.js';
import { compileGlob, isMatchAll, type GlobMatcher } from './glob.js';
import { formatStatement, type Statement } from './statement.js';

export type StatementList = readonly Statement[];

/** What a principal holds. The union forces callers to say which rule applies. */
export type Grants =
  /** A user, role or group: its effective policies (direct and through groups). */
  | { kind: 'principal'; policies: readonly StatementList[] }
  /** An agent: only its inline policy counts, capped by its creator's effective policies. */
  | { kind: 'agent'; inline: StatementList | null; creatorPolicies: readonly StatementList[] };

export interface AuthorizationRequest {
  action: Action;
  /** The organization's name (slug). */
  org: string;
  /** The repository's name within `org`; absent for organization-level requests. */
  repository?: string;
  /** The object path (or listing prefix) for object actions. */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  /** The grant used is marked `approval=true`: the session's commit must wait for review. */
  requiresApproval: boolean;
  /** A sentence for logs and 403 messages. */
  reason: string;
  /** The deny that refused, or the allow that granted (the agent's inline one for agents). */
  statement?: Statement;
}

export function authorize(grants: Grants, request: AuthorizationRequest): Decision {
  if (grants.kind === 'principal') return decide(grants.policies, request);
  if (!grants.inline || grants.inline.length === 0) {
    return denied(`the agent has no inline policy, so it may not ${describeRequest(request)}`);
  }
  const own = decide([grants.inline], request);
  if (!own.allowed) return { ...own, reason: `agent inline policy: ${own.reason}` };
  const creator = decide(grants.creatorPolicies, request);
  if (!creator.allowed) return { ...creator, reason: `the agent's creator: ${creator.reason}` };
  return {
    allowed: true,
    // Either side's approval mark taints: an agent inherits its creator's need for review.
    requiresApproval: own.requiresApproval || creator.requiresApproval,
    reason: `${own.reason}, within its creator's permissions`,
    ...(own.statement ? { statement: own.statement } : {}),
  };
}

/** One principal's policies: the first matching deny refuses; otherwise the best allow grants. */
function decide(policies: readonly StatementList[], request: AuthorizationRequest): Decision {
  let withoutApproval: Statement | undefined;
  let withApproval: Statement | undefined;
  for (const policy of policies) {
    for (const statement of policy) {
      if (!matches(statement, request)) continue;
      if (statement.effect === 'deny') {
        return { ...denied(`${describeStatement(statement)} denies ${describeRequest(request)}`), statement };
      }
      if (statement.approval) withApproval ??= statement;
      else withoutApproval ??= statement;
    }
  }
  // Several allows may match: the most permissive wins, so one grant without approval is enough.
  const grant = withoutApproval ?? withApproval;
  if (!grant) return denied(`no statement allows ${describeRequest(request)}`);
  const approval = grant.approval ? ' (approval required)' : '';
  return {
    allowed: true,
    requiresApproval: grant.approval,
    reason: `${describeStatement(grant)} allows ${describeRequest(request)}${approval}`,
    statement: grant,
  };
}

function denied(reason: string): Decision {
  return { allowed: false, requiresApproval: false, reason };
}

interface CompiledStatement {
  repository: GlobMatcher | null;
  /** The repository glob is all stars: it also matches organization-level requests. */
  repositoryMatchesAll: boolean;
  path: GlobMatcher | null;
}

// Keyed by statement object: loadPolicy() returns the same frozen statements for the same
// text, so each glob is compiled once per distinct policy text.
const compiled = new WeakMap<Statement, CompiledStatement>();

function compile(statement: Statement): CompiledStatement {
  let entry = compiled.get(statement);
  if (!entry) {
    const { repository, path } = statement;
    entry = {
      repository: repository === undefined ? null : compileGlob(repository),
      repositoryMatchesAll: repository === undefined || isMatchAll(repository),
      path: path === undefined ? null : compileGlob(path),
    };
    compiled.set(statement, entry);
  }
  return entry;
}

function matches(statement: Statement, request: AuthorizationRequest): boolean {
  if (statement.action !== '*' && statement.action !== request.action) return false;
  const glob = compile(statement);
  if (request.repository === undefined) {
    if (!glob.repositoryMatchesAll) return false;
  } else if (glob.repository && !glob.repository(`${request.org}/${request.repository}`)) {
    return false;
  }
  // A path-restricted statement says nothing about requests that name no path.
  if (glob.path && (request.path === undefined || !glob.path(request.path))) return false;
  return true;
}

function describeStatement(statement: Statement): string {
  const where = statement.at ? ` (line ${statement.at.line})` : '';
  return `${formatStatement(statement)}${where}`;
}

export function describeRequest(request: AuthorizationRequest): string {
  const target = request.repository === undefined ? `organization ${request.org}` : `${request.org}/${request.repository}`;
  const path = request.path === undefined ? '' : ` path ${JSON.stringify(request.path)}`;
  return `${request.action} on ${target}${path}`;
}
