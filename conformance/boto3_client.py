"""boto3 against a running Trove: put/get/head/list/delete, checksums, SigV2 presigned URLs
(boto3's default for generate_presigned_url), SigV4 presigned URLs, and error answers.
Prints one JSON line of results; the tap test asserts on it."""
import json, os, sys, urllib.request
import boto3
from botocore.client import Config
from botocore.exceptions import ClientError

endpoint, key_id, secret, bucket = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key_id, aws_secret_access_key=secret,
                  region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
out = {}
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="dir/hello world.txt", Body=b"hello", ContentType="text/plain", Metadata={"k": "v"})
s3.put_object(Bucket=bucket, Key="dir/sum.bin", Body=b"x" * 1000, ChecksumAlgorithm="SHA256")
got = s3.get_object(Bucket=bucket, Key="dir/hello world.txt")
out["get"] = got["Body"].read().decode()
out["metadata"] = got["Metadata"]
head = s3.head_object(Bucket=bucket, Key="dir/sum.bin", ChecksumMode="ENABLED")
out["sha256"] = head.get("ChecksumSHA256")
out["list"] = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="dir/")["Contents"]]
out["list_v1"] = [p["Prefix"] for p in s3.list_objects(Bucket=bucket, Delimiter="/").get("CommonPrefixes", [])]
url_v2 = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello world.txt"}, ExpiresIn=60)
out["presigned_v2_is_v2"] = "AWSAccessKeyId=" in url_v2
out["presigned_v2"] = urllib.request.urlopen(url_v2).read().decode()
v4 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1",
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
out["presigned_v4"] = urllib.request.urlopen(v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/hello world.txt"}, ExpiresIn=60)).read().decode()
try:
    s3.get_object(Bucket=bucket, Key="missing")
except ClientError as e:
    out["missing"] = e.response["Error"]["Code"]
try:
    s3.put_object(Bucket=bucket, Key="bad.txt", Body=b"abc", ContentMD5="AAAAAAAAAAAAAAAAAAAAAA==")
except ClientError as e:
    out["bad_md5"] = e.response["Error"]["Code"]
s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "dir/sum.bin"}]})
out["after_delete"] = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
print(json.dumps(out))
