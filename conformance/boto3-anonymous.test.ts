// boto3, an unsigned PutObject to a public repository over HTTPS, 100 times: AccessDenied every
// time. The refusal is decided before the body is read; the gateway reads the small rest of the
// body before answering, so boto3, still sending its aws-chunked body, sees the 403 rather than
// a connection closed under it.
import t from 'tap';
import { cleanEnv } from './lib/clients.js';
import { must } from './lib/exec.js';
import { forEachTarget, scratch } from './lib/targets.js';

const SCRIPT = `
import sys, boto3
from botocore import UNSIGNED
from botocore.client import Config
from botocore.exceptions import ClientError
endpoint, key, secret, ca = sys.argv[1:5]
cfg = lambda **k: Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **k)
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1", verify=ca, config=cfg())
anon = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", verify=ca, config=cfg(signature_version=UNSIGNED))
s3.create_bucket(Bucket="public", ACL="public-read")
seen = {}
for _ in range(100):
    try:
        anon.put_object(Bucket="public", Key="x.txt", Body=b"x")
        got = "stored"
    except ClientError as e:
        got = e.response["Error"]["Code"]
    except Exception as e:
        got = type(e).__name__
    seen[got] = seen.get(got, 0) + 1
print(seen)
`;

t.test('boto3: unsigned PutObject to a public repository over HTTPS', async (t) => {
  const root = await scratch(t);
  await forEachTarget(t, root, [{ backend: 'pglite', scheme: 'https' }], async (t, target) => {
    const { stdout } = await must('python3', ['-c', SCRIPT, target.url, target.admin.accessKeyId, target.admin.secret, target.ca!.file], { env: cleanEnv(target.dir) });
    t.equal(stdout.trim(), "{'AccessDenied': 100}", 'AnonymousPutObject_AccessDenied every time');
  });
});
