"""boto3 against a running Trove, one case after another. Prints one JSON object: for each case,
what boto3 observed (or the exception it raised); boto3.test.ts asserts on it, case by case.

usage: boto3_client.py ENDPOINT ACCESS_KEY SECRET BUCKET CA_FILE|"" BIG_FILE WORK_DIR
"""
import base64, datetime, hashlib, json, os, sys, traceback, urllib.request, ssl, zlib
import boto3
from boto3.s3.transfer import TransferConfig
from botocore import UNSIGNED
from botocore.client import Config
from botocore.exceptions import ClientError

endpoint, key_id, secret, bucket, ca_file, big_file, work = sys.argv[1:8]
verify = ca_file or None
ssl_ctx = ssl.create_default_context(cafile=ca_file) if ca_file else None
KEY = "dir/hello world+ü~(1).txt"
BODY = b"hello, trove\n"


def client(signature_version=None, key=key_id, sec=secret):
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **({"signature_version": signature_version} if signature_version else {}))
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=sec,
                        region_name="us-east-1", verify=verify, config=cfg)


s3 = client()


def code(fn):
    """The S3 error code boto3 surfaces for fn(), or None if it succeeded."""
    try:
        fn()
        return None
    except ClientError as e:
        return e.response["Error"]["Code"]


def fetch(url, method="GET", data=None):
    req = urllib.request.Request(url, method=method, data=data)
    with urllib.request.urlopen(req, context=ssl_ctx) as res:
        return res.status, res.read().decode()


def b64(digest):
    return base64.b64encode(digest).decode()


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def case_buckets():
    s3.create_bucket(Bucket=bucket)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    return {"listed": bucket in names, "head": s3.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"],
            "location": s3.get_bucket_location(Bucket=bucket).get("LocationConstraint"),
            "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status")}


def case_put_get_head():
    put = s3.put_object(Bucket=bucket, Key=KEY, Body=BODY, ContentType="text/plain", Metadata={"owner": "conformance"})
    got = s3.get_object(Bucket=bucket, Key=KEY)
    head = s3.head_object(Bucket=bucket, Key=KEY)
    ranged = s3.get_object(Bucket=bucket, Key=KEY, Range="bytes=7-11")
    return {"etag": put["ETag"], "body": got["Body"].read().decode(), "metadata": got["Metadata"], "content_type": head["ContentType"],
            "length": head["ContentLength"], "range_body": ranged["Body"].read().decode(), "content_range": ranged["ContentRange"],
            "status_range": ranged["ResponseMetadata"]["HTTPStatusCode"]}


def case_list():
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"list/k{i}", Body=b"x")
    pages = [[o["Key"] for o in p.get("Contents", [])] for p in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="list/", PaginationConfig={"PageSize": 2})]
    v1 = s3.list_objects(Bucket=bucket, Delimiter="/")
    v2 = s3.list_objects_v2(Bucket=bucket, Delimiter="/", Prefix="dir/")
    after = s3.list_objects_v2(Bucket=bucket, Prefix="list/", StartAfter="list/k2")
    return {"pages": pages, "v1_prefixes": [p["Prefix"] for p in v1.get("CommonPrefixes", [])],
            "v2_keys": [o["Key"] for o in v2.get("Contents", [])], "start_after": [o["Key"] for o in after.get("Contents", [])]}


def case_copy_and_versions():
    s3.copy_object(Bucket=bucket, Key="copy/replaced.txt", CopySource={"Bucket": bucket, "Key": KEY},
                   MetadataDirective="REPLACE", Metadata={"copied": "yes"}, ContentType="text/x-copied")
    head = s3.head_object(Bucket=bucket, Key="copy/replaced.txt")
    s3.put_object(Bucket=bucket, Key="copy/replaced.txt", Body=b"second version")
    versions = s3.list_object_versions(Bucket=bucket, Prefix="copy/replaced.txt")["Versions"]
    old = [v for v in versions if not v["IsLatest"]][0]
    old_body = s3.get_object(Bucket=bucket, Key="copy/replaced.txt", VersionId=old["VersionId"])["Body"].read().decode()
    return {"metadata": head["Metadata"], "content_type": head["ContentType"], "versions": len(versions), "old_body": old_body}


def case_multipart():
    cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, max_concurrency=4)
    s3.upload_file(big_file, bucket, "big.bin", Config=cfg)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    back = os.path.join(work, "boto3-big.back")
    s3.download_file(bucket, "big.bin", back, Config=cfg)
    return {"length": head["ContentLength"], "etag": head["ETag"], "sha256": sha256_of(back)}


def case_presigned():
    v2 = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": KEY}, ExpiresIn=300)
    v4c = client("s3v4")
    v4 = v4c.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": KEY}, ExpiresIn=300)
    put_url = v4c.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "presigned/put.txt"}, ExpiresIn=300)
    put_status, _ = fetch(put_url, "PUT", b"uploaded through a presigned URL")
    return {"v2_is_sigv2": "AWSAccessKeyId=" in v2 and "Signature=" in v2, "v2": fetch(v2)[1], "v4_is_sigv4": "X-Amz-Signature=" in v4,
            "v4": fetch(v4)[1], "put_status": put_status, "put_body": s3.get_object(Bucket=bucket, Key="presigned/put.txt")["Body"].read().decode()}


def case_checksums():
    data = b"checksummed " * 1000
    expected = {"CRC32": b64(zlib.crc32(data).to_bytes(4, "big")), "SHA1": b64(hashlib.sha1(data).digest()), "SHA256": b64(hashlib.sha256(data).digest())}
    out = {"expected": expected, "put": {}, "head": {}, "get": {}}
    for alg in expected:
        key = f"sum/{alg}.bin"
        out["put"][alg] = s3.put_object(Bucket=bucket, Key=key, Body=data, ChecksumAlgorithm=alg).get(f"Checksum{alg}")
        out["head"][alg] = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED").get(f"Checksum{alg}")
        got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        got["Body"].read()  # botocore validates the returned checksum while reading
        out["get"][alg] = got.get(f"Checksum{alg}")
    out["wrong_crc32"] = code(lambda: s3.put_object(Bucket=bucket, Key="sum/wrong.bin", Body=data, ChecksumCRC32="AAAAAA=="))
    out["wrong_md5"] = code(lambda: s3.put_object(Bucket=bucket, Key="sum/wrong.bin", Body=data, ContentMD5="AAAAAAAAAAAAAAAAAAAAAA=="))
    out["wrong_not_stored"] = code(lambda: s3.head_object(Bucket=bucket, Key="sum/wrong.bin"))
    return out


def case_errors():
    etag = s3.head_object(Bucket=bucket, Key=KEY)["ETag"]
    return {
        "NoSuchKey": code(lambda: s3.get_object(Bucket=bucket, Key="no/such/key")),
        "HeadNoSuchKey": code(lambda: s3.head_object(Bucket=bucket, Key="no/such/key")),
        "NoSuchBucket": code(lambda: s3.list_objects_v2(Bucket="no-such-bucket")),
        "BucketNotEmpty": code(lambda: s3.delete_bucket(Bucket=bucket)),
        "InvalidRange": code(lambda: s3.get_object(Bucket=bucket, Key=KEY, Range="bytes=1000-2000")),
        "PreconditionFailed": code(lambda: s3.get_object(Bucket=bucket, Key=KEY, IfMatch='"0000"')),
        "NotModified": code(lambda: s3.get_object(Bucket=bucket, Key=KEY, IfNoneMatch=etag)),
        "PutIfNoneMatch": code(lambda: s3.put_object(Bucket=bucket, Key=KEY, Body=b"x", IfNoneMatch="*")),
        "NoSuchUpload": code(lambda: s3.abort_multipart_upload(Bucket=bucket, Key="x", UploadId="no-such-upload")),
        "InvalidBucketName": code(lambda: s3.create_bucket(Bucket="ab")),
        "AccessDenied": code(lambda: s3.put_object(Bucket=f"{bucket}.{time_travel_ref()}", Key="x.txt", Body=b"x")),
        "SignatureDoesNotMatch": code(lambda: client(sec=secret + "x").list_objects_v2(Bucket=bucket)),
        "InvalidAccessKeyId": code(lambda: client(key="TKNOSUCHKEY000000000").list_objects_v2(Bucket=bucket)),
    }


def time_travel_ref():
    """A commit reference for `<bucket>.<commit>`: the REST log's newest commit, by its first 12 digits."""
    req = urllib.request.Request(f"{endpoint}/api/v1/organizations/default/repositories/{bucket}/log?amount=1",
                                 headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(req, context=ssl_ctx) as res:
        return json.loads(res.read())["results"][0]["id"][:12]


def case_time_travel_read():
    ref = time_travel_ref()
    s3.put_object(Bucket=bucket, Key="tt.txt", Body=b"after")
    return {"old": code(lambda: s3.head_object(Bucket=f"{bucket}.{ref}", Key="tt.txt")),
            "listed": "tt.txt" in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]}


def case_conditionals():
    etag = s3.put_object(Bucket=bucket, Key="cond.txt", Body=b"v1")["ETag"]
    last = s3.head_object(Bucket=bucket, Key="cond.txt")["LastModified"]
    past, future = last - datetime.timedelta(days=1), last + datetime.timedelta(days=1)
    return {
        "if_modified_since_future": code(lambda: s3.get_object(Bucket=bucket, Key="cond.txt", IfModifiedSince=future)),
        "if_modified_since_past": code(lambda: s3.get_object(Bucket=bucket, Key="cond.txt", IfModifiedSince=past)),
        "if_unmodified_since_past": code(lambda: s3.get_object(Bucket=bucket, Key="cond.txt", IfUnmodifiedSince=past)),
        "put_if_match_wrong": code(lambda: s3.put_object(Bucket=bucket, Key="cond.txt", Body=b"v2", IfMatch='"00000000000000000000000000000000"')),
        "put_if_match_right": code(lambda: s3.put_object(Bucket=bucket, Key="cond.txt", Body=b"v2", IfMatch=etag)),
        "body": s3.get_object(Bucket=bucket, Key="cond.txt")["Body"].read().decode(),
    }


def case_multipart_copy_and_listing():
    # A managed copy of a large object is UploadPartCopy with copy-source ranges (S3A renames large files so too).
    cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, max_concurrency=4)
    s3.copy({"Bucket": bucket, "Key": "big.bin"}, bucket, "big-copy.bin", Config=cfg)
    head = s3.head_object(Bucket=bucket, Key="big-copy.bin")
    h = hashlib.sha256()
    for chunk in s3.get_object(Bucket=bucket, Key="big-copy.bin")["Body"].iter_chunks(1 << 20):
        h.update(chunk)
    up = s3.create_multipart_upload(Bucket=bucket, Key="pending.bin")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="pending.bin", UploadId=up, PartNumber=1, Body=b"p" * 1024)
    parts = [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="pending.bin", UploadId=up).get("Parts", [])]
    uploads = [u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]
    s3.abort_multipart_upload(Bucket=bucket, Key="pending.bin", UploadId=up)
    after = [u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]
    complete_if_none_match = None
    up2 = s3.create_multipart_upload(Bucket=bucket, Key="big.bin")["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=up2, PartNumber=1, Body=b"q" * 1024)
    complete_if_none_match = code(lambda: s3.complete_multipart_upload(Bucket=bucket, Key="big.bin", UploadId=up2, IfNoneMatch="*",
                                                                       MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}))
    s3.abort_multipart_upload(Bucket=bucket, Key="big.bin", UploadId=up2)
    s3.delete_object(Bucket=bucket, Key="big-copy.bin")
    return {"length": head["ContentLength"], "etag_parts": head["ETag"].endswith('-13"'), "sha256": h.hexdigest(), "parts": parts,
            "uploads": uploads, "after_abort": after, "complete_if_none_match": complete_if_none_match}


def case_odd_keys():
    # Control characters and CR must survive the XML of a listing (botocore asks for EncodingType=url and decodes).
    keys = ["ctl/tab\there.txt", "ctl/cr\rhere.txt", "ctl/ctl\x01here.txt", "ctl/amp&lt<gt>quote\"apos'.txt"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="ctl/").get("Contents", [])]
    v1 = [o["Key"] for o in s3.list_objects(Bucket=bucket, Prefix="ctl/").get("Contents", [])]
    bodies = [s3.get_object(Bucket=bucket, Key=k)["Body"].read().decode() for k in keys]
    for k in keys:  # one by one: a control character cannot be written in DeleteObjects' XML body
        s3.delete_object(Bucket=bucket, Key=k)
    return {"v2_equal": sorted(listed) == sorted(keys), "v1_equal": sorted(v1) == sorted(keys), "bodies_equal": bodies == keys}


def case_acl_and_overrides():
    s3.put_object(Bucket=bucket, Key="acl.txt", Body=b"acl", ACL="private")
    grants = s3.get_object_acl(Bucket=bucket, Key="acl.txt")["Grants"]
    url = client("s3v4").generate_presigned_url("get_object", ExpiresIn=300, Params={
        "Bucket": bucket, "Key": "acl.txt", "ResponseContentDisposition": 'attachment; filename="x.txt"', "ResponseContentType": "text/x-override"})
    req = urllib.request.Request(url)
    with urllib.request.urlopen(req, context=ssl_ctx) as res:
        disposition, ctype = res.headers.get("Content-Disposition"), res.headers.get("Content-Type")
    return {"grants": [g["Permission"] for g in grants], "disposition": disposition, "content_type": ctype}


def case_anonymous():
    # A bucket made with a public-read canned ACL is a public repository: unsigned requests read it, and nothing else.
    # (An unsigned PUT is in pending-boto3-anonymous.ts: over HTTPS its AccessDenied sometimes never reaches boto3.)
    anon = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", verify=verify,
                        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    public = f"{bucket}-public"
    s3.create_bucket(Bucket=public, ACL="public-read")
    s3.put_object(Bucket=public, Key="open.txt", Body=b"for everyone")
    out = {"get": anon.get_object(Bucket=public, Key="open.txt")["Body"].read().decode(),
           "list": [o["Key"] for o in anon.list_objects_v2(Bucket=public).get("Contents", [])],
           "private": code(lambda: anon.get_object(Bucket=bucket, Key=KEY)),
           "list_buckets": code(lambda: anon.list_buckets())}
    s3.delete_object(Bucket=public, Key="open.txt")
    s3.delete_bucket(Bucket=public)
    return out


def case_delete():
    s3.delete_object(Bucket=bucket, Key=KEY)
    gone = code(lambda: s3.head_object(Bucket=bucket, Key=KEY))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    res = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    left = s3.list_objects_v2(Bucket=bucket).get("KeyCount")
    s3.delete_bucket(Bucket=bucket)
    return {"gone": gone, "deleted": len(res.get("Deleted", [])), "asked": len(keys), "errors": res.get("Errors", []), "left": left,
            "bucket_gone": code(lambda: s3.head_bucket(Bucket=bucket))}


results = {}
for name, fn in list(globals().items()):
    if name.startswith("case_"):
        try:
            results[name[5:]] = fn()
        except Exception:
            results[name[5:]] = {"exception": traceback.format_exc()}
print(json.dumps(results))
