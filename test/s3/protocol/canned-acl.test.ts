import t from 'tap';
import { OBJECT_CANNED_ACLS, parseCannedAcl } from '../../../src/s3/protocol/canned-acl.js';

t.test('canned ACLs', async (t) => {
  t.equal(parseCannedAcl(undefined), undefined);
  for (const acl of OBJECT_CANNED_ACLS) t.equal(parseCannedAcl(acl), acl);
  t.equal(parseCannedAcl('log-delivery-write', 'bucket'), 'log-delivery-write');
  for (const bad of ['log-delivery-write', 'Private', 'public', '']) {
    t.throws(() => parseCannedAcl(bad), { code: 'InvalidArgument', status: 400, extra: { ArgumentName: 'x-amz-acl', ArgumentValue: bad } }, bad);
  }
});
