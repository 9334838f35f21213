import t from 'tap';
import { ACTIONS, isAction, isObjectAction, isOrganizationAction, OBJECT_ACTIONS, ORGANIZATION_ACTIONS, suggestAction } from '../../../src/core/policy/actions.js';

t.test('the action table', async (t) => {
  t.equal(ACTIONS.length, 20);
  t.equal(new Set(ACTIONS).size, 20);
  t.same(OBJECT_ACTIONS, ['ListObjects', 'GetObject', 'PutObject', 'DeleteObject']);
  t.ok(ORGANIZATION_ACTIONS.every((a) => isAction(a) && !isObjectAction(a)));
  t.equal(isAction('GetObject'), true);
  t.equal(isAction('getobject'), false);
  t.equal(isAction('*'), false);
  t.equal(isObjectAction('*'), false);
  t.equal(isOrganizationAction('ManageKeys'), true);
  t.equal(isOrganizationAction('ListRepositories'), false);
});

t.test('suggestions for mistyped actions', async (t) => {
  t.equal(suggestAction('getobject'), 'GetObject');
  t.equal(suggestAction('PutObjects'), 'PutObject');
  t.equal(suggestAction('GetRepositry'), 'GetRepository');
  t.equal(suggestAction('Frobnicate'), undefined);
});
