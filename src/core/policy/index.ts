// The authorization engine's public surface: import from here, not from the files.
export { ACTIONS, OBJECT_ACTIONS, ORGANIZATION_ACTIONS, isAction, isObjectAction, isOrganizationAction, suggestAction } from './actions.js';
export type { Action, ActionPattern } from './actions.js';
export { BUILTIN_POLICIES, builtinPolicy } from './builtin.js';
export type { BuiltinPolicy } from './builtin.js';
export { authorize, describeRequest } from './evaluate.js';
export type { AuthorizationRequest, Decision, Grants, StatementList } from './evaluate.js';
export { compileGlob, isMatchAll } from './glob.js';
export type { GlobMatcher } from './glob.js';
export { effectiveGroups, effectivePolicies, effectivePolicyIds, wouldCreateCycle } from './groups.js';
export type { EffectiveGroup, EffectivePolicy, EffectivePolicyInput, MembershipEdge, PolicyAttachment, PrincipalRef, PrincipalType } from './groups.js';
export { loadPolicy } from './load.js';
export { parsePolicy } from './parse.js';
export type { ParsedPolicy } from './parse.js';
export { formatPolicy, formatStatement } from './statement.js';
export type { PolicyError, SourcePosition, Statement } from './statement.js';
