// Nested groups: policies attached to a group reach members of groups nested in it; cycles
// are refused; effective groups and policies name their sources.
import t from 'tap';
import { organizations, principals } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

forEachBackend(t, 'nested groups carry policies; cycles are refused', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const O = '/api/v1/organizations/default';
  const s = Date.now().toString(36);
  const group = async (name: string) => (await app.inject({ method: 'POST', url: `${O}/groups`, headers: auth, payload: { name } })).json();
  const outer = await group(`outer-${s}`);
  const inner = await group(`inner-${s}`);
  const org = await organizations.getOrganizationByName(db, 'default');
  const user = await principals.createUser(db, { username: `grp-${s}` });
  await organizations.addMember(db, org.id, user.id);
  const userAuth = { authorization: `Bearer ${(await issueKey(env.services, user, { name: 'k' })).token}` };

  const member = (g: string, type: string, id: string) => app.inject({ method: 'POST', url: `${O}/groups/${g}/members`, headers: auth, payload: { subject_type: type, subject_id: id } });
  t.equal((await member(inner.id, 'user', user.id)).statusCode, 201);
  t.equal((await member(inner.id, 'user', user.id)).statusCode, 409, 'already a member');
  t.equal((await member(outer.id, 'group', inner.id)).statusCode, 201);
  t.equal((await member(inner.id, 'group', outer.id)).statusCode, 400, 'a cycle is refused');

  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 403);
  const reader = (await app.inject({ method: 'GET', url: `${O}/policies?amount=1000`, headers: auth })).json().results.find((p: { name: string }) => p.name === 'ReadOnly');
  await app.inject({ method: 'POST', url: `${O}/policies/${reader.id}/attachments`, headers: auth, payload: { principal_type: 'group', principal_id: outer.id } });
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 200, 'a policy on the outer group reaches the user');

  const groups = (await app.inject({ method: 'GET', url: `${O}/effective-groups?principal_type=user&principal_id=${user.id}`, headers: auth })).json().results;
  t.same(groups.map((g: { group_name: string; source: string; source_name: string }) => [g.group_name, g.source, g.source_name]),
    [[`inner-${s}`, 'direct', ''], [`outer-${s}`, 'group', `inner-${s}`]]);
  const effective = (await app.inject({ method: 'GET', url: `${O}/effective-policies?user_id=${user.id}`, headers: auth })).json().results;
  t.same(effective.map((p: { policy_name: string; source: string; source_name: string }) => [p.policy_name, p.source, p.source_name]), [['ReadOnly', 'group', `outer-${s}`]]);

  const got = (await app.inject({ method: 'GET', url: `${O}/groups/${outer.id}`, headers: auth })).json();
  t.same(got.members.map((m: { subject_id: string }) => m.subject_id), [inner.id]);
  t.equal(got.attachments[0].policy_name, 'ReadOnly');
  t.equal((await app.inject({ method: 'DELETE', url: `${O}/groups/${inner.id}/members?subject_type=user&subject_id=${user.id}`, headers: auth })).statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 403, 'out of the group, out of the grant');
});
