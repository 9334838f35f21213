// Groups through REST (API-CONTRACT §2.7): create, list across pages, get with members and
// attachments, rename, delete; nested membership (a cycle is refused) carrying policies;
// effective groups and policies naming their sources; and the errors.
import t from 'tap';
import { organizations, principals } from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, isError, memberWith, O, unique } from './fixtures.js';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

forEachBackend(t, 'groups: create, list, get, rename, delete', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const made = [];
  for (const n of ['b', 'c', 'a']) {
    const res = await app.inject({ method: 'POST', url: `${O}/groups`, headers: auth, payload: { name: `grp-${n}-${s}`, description: n } });
    t.equal(res.statusCode, 201, res.body);
    made.push(res.json());
  }
  t.match(made[0], { name: `grp-b-${s}`, description: 'b', created_by_type: 'user' });
  isError(t, await app.inject({ method: 'POST', url: `${O}/groups`, headers: auth, payload: { name: `grp-a-${s}` } }), 409, 'CONFLICT', 'a taken name');
  isError(t, await app.inject({ method: 'POST', url: `${O}/groups`, headers: auth, payload: { name: '' } }), 400, 'BAD_REQUEST', 'an empty name');
  const { results, pages } = await allPages<{ name: string }>(t, app, `${O}/groups`, auth, 1);
  t.same(results.map((g) => g.name).filter((n) => n.endsWith(s)), [`grp-a-${s}`, `grp-b-${s}`, `grp-c-${s}`], 'by name');
  t.ok(pages >= 3);

  const G = `${O}/groups/${made[0].id}`;
  let res = await app.inject({ method: 'PUT', url: G, headers: auth, payload: { description: 'renamed soon' } });
  t.match(res.json(), { name: `grp-b-${s}`, description: 'renamed soon' }, 'only the given keys change');
  res = await app.inject({ method: 'PUT', url: G, headers: auth, payload: { name: `grp-b2-${s}` } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().name, `grp-b2-${s}`);
  t.equal((await app.inject({ method: 'GET', url: G, headers: auth })).json().group.name, `grp-b2-${s}`);
  isError(t, await app.inject({ method: 'PUT', url: G, headers: auth, payload: { name: `grp-a-${s}` } }), 409, 'CONFLICT', 'renaming onto a taken name');
  isError(t, await app.inject({ method: 'PUT', url: G, headers: auth, payload: { name: 5 } }), 400, 'BAD_REQUEST', 'a name that is no string');
  isError(t, await app.inject({ method: 'PUT', url: `${O}/groups/${NO_SUCH}`, headers: auth, payload: { name: 'x' } }), 404, 'NOT_FOUND', 'renaming an unknown group');
  isError(t, await app.inject({ method: 'GET', url: `${O}/groups/${NO_SUCH}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown group');
  isError(t, await app.inject({ method: 'GET', url: `${O}/groups/not-a-uuid`, headers: auth }), 400, 'BAD_REQUEST', 'a group id that is no uuid');

  const plain = await memberWith(env, `plain-${s}`, 'ListRepositories()\n');
  isError(t, await app.inject({ method: 'GET', url: `${O}/groups`, headers: plain.auth }), 403, 'FORBIDDEN', 'listing without ManageGroups');
  isError(t, await app.inject({ method: 'POST', url: `${O}/groups`, headers: plain.auth, payload: { name: `x-${s}` } }), 403, 'FORBIDDEN', 'creating without ManageGroups');
  isError(t, await app.inject({ method: 'GET', url: G, headers: plain.auth }), 403, 'FORBIDDEN', 'reading without ManageGroups');

  t.equal((await app.inject({ method: 'DELETE', url: G, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'DELETE', url: G, headers: auth }), 404, 'NOT_FOUND', 'deleting it again');
});

forEachBackend(t, 'nested groups carry policies; cycles are refused', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const group = async (name: string) => (await app.inject({ method: 'POST', url: `${O}/groups`, headers: auth, payload: { name } })).json();
  const outer = await group(`outer-${s}`);
  const inner = await group(`inner-${s}`);
  const { user, auth: userAuth } = await memberWith(env, `grp-${s}`, null);

  const member = (g: string, type: string, id: string) => app.inject({ method: 'POST', url: `${O}/groups/${g}/members`, headers: auth, payload: { subject_type: type, subject_id: id } });
  t.equal((await member(inner.id, 'user', user.id)).statusCode, 201);
  isError(t, await member(inner.id, 'user', user.id), 409, 'CONFLICT', 'already a member');
  t.equal((await member(outer.id, 'group', inner.id)).statusCode, 201);
  isError(t, await member(inner.id, 'group', outer.id), 400, 'BAD_REQUEST', 'a cycle');
  isError(t, await member(inner.id, 'group', inner.id), 400, 'BAD_REQUEST', 'a group in itself');
  isError(t, await member(inner.id, 'role', user.id), 400, 'BAD_REQUEST', 'a subject of the wrong type');
  isError(t, await member(inner.id, 'user', NO_SUCH), 400, 'BAD_REQUEST', 'an unknown subject');
  isError(t, await member(inner.id, 'robot', user.id), 400, 'BAD_REQUEST', 'an unknown subject type');
  isError(t, await member(NO_SUCH, 'user', user.id), 404, 'NOT_FOUND', 'an unknown group');

  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth }), 403, 'FORBIDDEN', 'no grant yet');
  const policies = (await allPages<{ id: string; name: string }>(t, app, `${O}/policies`, auth, 1000)).results;
  const reader = policies.find((p) => p.name === 'ReadOnly')!;
  await app.inject({ method: 'POST', url: `${O}/policies/${reader.id}/attachments`, headers: auth, payload: { principal_type: 'group', principal_id: outer.id } });
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 200, 'a policy on the outer group reaches the user');

  const groups = (await app.inject({ method: 'GET', url: `${O}/effective-groups?principal_type=user&principal_id=${user.id}`, headers: auth })).json().results;
  t.same(groups.map((g: { group_name: string; source: string; source_name: string }) => [g.group_name, g.source, g.source_name]),
    [[`inner-${s}`, 'direct', ''], [`outer-${s}`, 'group', `inner-${s}`]]);
  const effective = (await app.inject({ method: 'GET', url: `${O}/effective-policies?user_id=${user.id}`, headers: auth })).json().results;
  t.same(effective.map((p: { policy_name: string; source: string; source_name: string }) => [p.policy_name, p.source, p.source_name]), [['ReadOnly', 'group', `outer-${s}`]]);
  isError(t, await app.inject({ method: 'GET', url: `${O}/effective-groups`, headers: auth }), 400, 'BAD_REQUEST', 'effective groups of nobody');
  isError(t, await app.inject({ method: 'GET', url: `${O}/effective-policies?principal_type=user`, headers: auth }), 400, 'BAD_REQUEST', 'effective policies without an id');
  isError(t, await app.inject({ method: 'GET', url: `${O}/effective-policies?principal_type=user&principal_id=x`, headers: auth }), 400, 'BAD_REQUEST', 'an id that is no uuid');

  // An agent's effective policy is its inline one only.
  const org = await organizations.getOrganizationByName(db, 'default');
  const agent = await principals.createOrgPrincipal(db, { type: 'agent', orgId: org.id, name: `agent-${s}`, inlinePolicy: 'GetObject()\n' });
  t.same((await app.inject({ method: 'GET', url: `${O}/effective-policies?principal_type=agent&principal_id=${agent.id}`, headers: auth })).json().results.map((p: { source: string }) => p.source), ['inline']);

  const got = (await app.inject({ method: 'GET', url: `${O}/groups/${outer.id}`, headers: auth })).json();
  t.match(got.members, [{ subject_type: 'group', subject_id: inner.id, username: `inner-${s}` }]);
  t.equal(got.attachments[0].policy_name, 'ReadOnly');
  isError(t, await app.inject({ method: 'DELETE', url: `${O}/groups/${inner.id}/members?subject_type=user`, headers: auth }), 400, 'BAD_REQUEST', 'removing without subject_id');
  t.equal((await app.inject({ method: 'DELETE', url: `${O}/groups/${inner.id}/members?subject_type=user&subject_id=${user.id}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'DELETE', url: `${O}/groups/${inner.id}/members?subject_type=user&subject_id=${user.id}`, headers: auth }), 404, 'NOT_FOUND', 'removing a non-member');
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth }), 403, 'FORBIDDEN', 'out of the group, out of the grant');
});
