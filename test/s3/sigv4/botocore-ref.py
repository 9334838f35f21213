# Reference signatures from botocore (boto3's signer), for sigv2.test.ts: reads cases as JSON
# on stdin, prints presigned URLs (SigV2, boto3's default, and SigV4) and SigV2-signed headers.
import json
import sys
from urllib.parse import quote

import boto3
from botocore.auth import HmacV1Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

cases = json.load(sys.stdin)
ak, sk = cases['accessKeyId'], cases['secret']


def client(signature_version=None):
    config = Config(s3={'addressing_style': 'path'}, **({'signature_version': signature_version} if signature_version else {}))
    return boto3.client('s3', endpoint_url='http://127.0.0.1:9000', region_name='us-east-1',
                        aws_access_key_id=ak, aws_secret_access_key=sk, config=config)


v2, v4 = client(), client('s3v4')
out = {'v2Presigned': [], 'v4Presigned': [], 'v2Header': []}
for op, params in cases['presign']:
    out['v2Presigned'].append(v2.generate_presigned_url(op, Params=params, ExpiresIn=300))
    out['v4Presigned'].append(v4.generate_presigned_url(op, Params=params, ExpiresIn=300))
for method, key, query, headers in cases['header']:
    url = 'http://127.0.0.1:9000/bucket/' + quote(key, safe='/~') + (('?' + query) if query else '')
    request = AWSRequest(method=method, url=url, headers=headers)
    HmacV1Auth(Credentials(ak, sk)).add_auth(request)
    out['v2Header'].append({'method': method, 'url': url, 'headers': dict(request.headers.items())})
print(json.dumps(out))
