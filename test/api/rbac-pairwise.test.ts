// One policy engine for both doors: for each principal, an S3 call and its REST twin are
// allowed or denied alike.
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ServiceException } from '@aws-sdk/client-s3';
import t from 'tap';
import { organizations, policies, principals } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

async function principalWith(env: TestApp, name: string, text: string) {
  const { services } = env;
  const org = await organizations.getOrganizationByName(services.db, 'default');
  const user = await principals.createUser(services.db, { username: name });
  await organizations.addMember(services.db, org.id, user.id);
  await services.db.query('INSERT INTO policies (id, org_id, name, policy_text) VALUES (gen_random_uuid(), $1, $2, $3)', [org.id, `p-${name}`, text]);
  await policies.attachPolicy(services.db, await policies.findPolicyIdByName(services.db, org.id, `p-${name}`), { type: 'user', id: user.id }, null);
  const { key, token } = await issueKey(services, user, { name: 'k' });
  return { accessKeyId: key.id, secret: token };
}

const outcome = (p: Promise<unknown>) => p.then(() => 'allowed', (e: S3ServiceException) => (e.name === 'AccessDenied' ? 'denied' : e.name));

forEachBackend(t, 'S3 and REST decide alike', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, admin } = env;
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  const s3For = (c: { accessKeyId: string; secret: string }) =>
    new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secret } });
  const suffix = Date.now().toString(36);
  const Bucket = `pair-${suffix}`;
  const adminS3 = s3For({ accessKeyId: admin.accessKeyId, secret: admin.secret });
  await adminS3.send(new CreateBucketCommand({ Bucket }));
  await adminS3.send(new PutObjectCommand({ Bucket, Key: 'data/a.txt', Body: 'a' }));
  const R = `/api/v1/organizations/default/repositories/${Bucket}`;

  const cases = [
    { name: 'reader', expect: ['allowed', 'allowed', 'denied', 'denied'], text: 'ListRepositories()\nGetRepository()\nListObjects()\nGetObject()\n' },
    { name: 'writer', expect: ['allowed', 'allowed', 'allowed', 'denied'], text: 'GetRepository()\nListObjects()\nGetObject()\nCreateSession()\nPutObject(path="data/*")\nDeleteObject()\nCommitSession()\n' },
    { name: 'nothing', expect: ['denied', 'denied', 'denied', 'denied'], text: '# no statements\n' },
    { name: 'denied-reader', expect: ['denied', 'allowed', 'denied', 'denied'], text: 'GetRepository()\nListObjects()\nGetObject()\ndeny GetObject(path="data/*")\n' },
  ];
  for (const c of cases) {
    const creds = await principalWith(env, `${c.name}-${suffix}`, c.text);
    const s3 = s3For(creds);
    const bearer = { authorization: `Bearer ${creds.secret}` };
    const rest = async (method: 'GET' | 'PUT' | 'DELETE', url: string) => {
      const status = (await app.inject({ method, url, headers: bearer })).statusCode;
      return status < 300 ? 'allowed' : status === 403 || status === 404 ? 'denied' : `status ${status}`;
    };
    // Writes through REST go through a session of the caller's own; open one when allowed.
    const session = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: bearer })).json().session_id ?? '00000000-0000-4000-8000-000000000000';
    const pairs: Array<[string, Promise<string>, Promise<string>]> = [
      ['GetObject', outcome(s3.send(new GetObjectCommand({ Bucket, Key: 'data/a.txt' }))), rest('GET', `${R}/object?path=data/a.txt`)],
      ['ListObjects', outcome(s3.send(new ListObjectsV2Command({ Bucket }))), rest('GET', `${R}/objects`)],
      ['PutObject', outcome(s3.send(new PutObjectCommand({ Bucket, Key: `data/${c.name}.txt`, Body: 'x' }))), rest('PUT', `${R}/object?session_id=${session}&path=data/${c.name}.txt`)],
      ['PutObject elsewhere', outcome(s3.send(new PutObjectCommand({ Bucket, Key: `other/${c.name}.txt`, Body: 'x' }))), rest('PUT', `${R}/object?session_id=${session}&path=other/${c.name}.txt`)],
    ];
    for (const [i, [action, viaS3, viaRest]] of pairs.entries()) {
      const [s3Result, restResult] = [await viaS3, await viaRest];
      t.equal(s3Result, restResult, `${c.name}: ${action} alike on both doors`);
      t.equal(s3Result, c.expect[i], `${c.name}: ${action} is ${c.expect[i]}`);
    }
    s3.destroy();
  }
  adminS3.destroy();
});
