// `trove admin …`: work directly on the catalog (no server needed; on the embedded default
// only while no server holds the data directory).
import { organizations, policies, principals } from '../../catalog/index.js';
import { BUILTIN_POLICIES } from '../../core/policy/index.js';
import { loadConfig } from '../../config.js';
import { bootstrap } from '../../core/bootstrap.js';
import { issueKey, reencryptTokens } from '../../core/keys.js';
import { reencryptTokenLookupKey } from '../../core/token-lookup-key.js';
import { openRuntime } from '../../runtime.js';
import { requireString, takeFlags } from '../args.js';
import type { Command } from '../command.js';

export const createKeyCommand: Command = {
  name: 'admin create-key',
  summary: 'issue an API key (S3 and REST credentials) for a user',
  usage: [
    'Usage: trove admin create-key --user NAME [--org ORG] [--admin] [--policy NAME] [--json] [settings]',
    '',
    'Creates the user (and the organization) if needed, makes it a member, attaches a policy',
    '(default Writer; built-ins: Admin, ReadOnly, Writer, Approver; "none" for none), issues a',
    'key and prints access_key_id and secret_access_key. --admin makes the user an administrator.',
  ].join('\n'),
  async run(argv, env) {
    const { values, rest } = takeFlags(argv, { user: 'string', org: 'string', admin: 'boolean', json: 'boolean', policy: 'string' });
    const username = requireString(values, 'user');
    const orgName = typeof values.org === 'string' ? values.org : 'default';
    const config = loadConfig(rest, env);
    const runtime = await openRuntime(config);
    try {
      const { services } = runtime;
      await bootstrap(services, config.adminBootstrap ?? null);
      const { key, token } = await services.db.withTx(async (tx) => {
        const org = await organizations.getOrganizationByName(tx, orgName).catch(() => organizations.createOrganization(tx, orgName));
        await policies.ensureBuiltinPolicies(tx, org.id, BUILTIN_POLICIES);
        const user = (await principals.findUserByName(tx, username)) ?? (await principals.createUser(tx, { username }));
        if (values.admin) await tx.query('UPDATE principals SET is_admin = true WHERE id = $1', [user.id]);
        await organizations.addMember(tx, org.id, user.id);
        const policyName = typeof values.policy === 'string' ? values.policy : 'Writer';
        if (policyName !== 'none') {
          await policies.attachPolicy(tx, await policies.findPolicyIdByName(tx, org.id, policyName), { type: 'user', id: user.id }, null);
        }
        return issueKey(services, user, { name: `cli ${new Date().toISOString()}` }, tx);
      });
      const out = { access_key_id: key.id, secret_access_key: token, user: username, organization: orgName };
      process.stdout.write(values.json ? `${JSON.stringify(out)}\n`
        : `access_key_id     ${out.access_key_id}\nsecret_access_key ${out.secret_access_key}\n`);
    } finally {
      await runtime.close();
    }
  },
};

export const rotateKeysCommand: Command = {
  name: 'admin rotate-keys',
  summary: 're-encrypt stored secrets under the current TROVE_ENCRYPTION_KEY',
  usage: [
    'Usage: trove admin rotate-keys [settings]',
    '',
    'Set the new key as TROVE_ENCRYPTION_KEY and the old one in TROVE_ENCRYPTION_PREVIOUS_KEYS,',
    'run this, then drop the old key from TROVE_ENCRYPTION_PREVIOUS_KEYS.',
  ].join('\n'),
  async run(argv, env) {
    const runtime = await openRuntime(loadConfig(argv, env));
    try {
      await reencryptTokenLookupKey(runtime.services.db, runtime.services.keyring);
      const changed = await reencryptTokens(runtime.services);
      process.stdout.write(`re-encrypted ${changed} key(s)\n`);
    } finally {
      await runtime.close();
    }
  },
};
