"""The S3 calls s3fs (fsspec, which pandas uses for s3:// paths) makes, replayed with boto3 through
session credentials: s3fs itself is not installed here, so this is its call sequence, not
s3fs. info() is HEAD key, then HEAD key/ and LIST key/ with delimiter '/' and max-keys 1;
open('rb') is HEAD (size, ETag), then ranged GETs carrying If-Match: <ETag> so that a file
changed mid-read fails instead of mixing versions; writes are put_object, or multipart in
5 MiB parts past the block size. Prints one JSON object of what was observed.

usage: s3fs_pattern.py ENDPOINT ACCESS_KEY SECRET BUCKET CA_FILE|""
"""
import json, sys
import boto3
from botocore.client import Config
from botocore.exceptions import ClientError

endpoint, key_id, secret, bucket, ca_file = sys.argv[1:6]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1",
                  verify=ca_file or None, config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
MiB = 1 << 20


def code(fn):
    try:
        fn()
        return None
    except ClientError as e:
        return e.response["Error"]["Code"]


def info(path):
    """s3fs._info: a file, a directory (marker or children), or FileNotFoundError."""
    try:
        head = s3.head_object(Bucket=bucket, Key=path)
        return {"type": "file", "size": head["ContentLength"]}
    except ClientError as e:
        if e.response["Error"]["Code"] != "404":
            raise
    try:
        s3.head_object(Bucket=bucket, Key=path + "/")
        return {"type": "directory", "marker": True}
    except ClientError as e:
        if e.response["Error"]["Code"] != "404":
            raise
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=path + "/", Delimiter="/", MaxKeys=1)
    if listed.get("KeyCount", 0):
        return {"type": "directory", "marker": False}
    return {"type": "missing"}


def ls(path):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=path + "/", Delimiter="/"):
        out += [p["Prefix"] for p in page.get("CommonPrefixes", [])] + [o["Key"] for o in page.get("Contents", [])]
    return sorted(out)


def read_blocks(path, block):
    """open(path, 'rb').read() with a block size: HEAD once, then ranged GETs with If-Match."""
    head = s3.head_object(Bucket=bucket, Key=path)
    size, etag, data, statuses = head["ContentLength"], head["ETag"], b"", set()
    for start in range(0, size, block):
        got = s3.get_object(Bucket=bucket, Key=path, Range=f"bytes={start}-{min(start + block, size) - 1}", IfMatch=etag)
        statuses.add(got["ResponseMetadata"]["HTTPStatusCode"])
        data += got["Body"].read()
    return data, etag, sorted(statuses)


csv = "".join(f"{i},value {i}\n" for i in range(2000)).encode()
out = {"before": info("data"), "csv_size": len(csv)}
s3.put_object(Bucket=bucket, Key="data/table.csv", Body=csv)  # pandas.to_csv: one write on close
s3.put_object(Bucket=bucket, Key="data/empty-dir/", Body=b"")  # fs.mkdir inside a bucket: a marker
# A write past the block size: multipart in 5 MiB parts, the last one short.
big = bytes(range(256)) * (12 * MiB // 256 + 3)
mpu = s3.create_multipart_upload(Bucket=bucket, Key="data/big.parquet")
parts = []
for n, start in enumerate(range(0, len(big), 5 * MiB), 1):
    part = s3.upload_part(Bucket=bucket, Key="data/big.parquet", UploadId=mpu["UploadId"], PartNumber=n, Body=big[start:start + 5 * MiB])
    parts.append({"PartNumber": n, "ETag": part["ETag"]})
s3.complete_multipart_upload(Bucket=bucket, Key="data/big.parquet", UploadId=mpu["UploadId"], MultipartUpload={"Parts": parts})

out["info"] = {p: info(p) for p in ["data", "data/table.csv", "data/empty-dir", "data/nothing"]}
out["head_dir_key"] = code(lambda: s3.head_object(Bucket=bucket, Key="data/"))
out["ls"] = ls("data")
data, etag, statuses = read_blocks("data/big.parquet", 4 * MiB)
out["read_big"] = {"equal": data == big, "statuses": statuses, "parts_etag": etag.endswith('-3"')}
csv_back, csv_etag, _ = read_blocks("data/table.csv", 10_000)
out["read_csv_equal"] = csv_back == csv
# Another writer replaces the file mid-read: the next ranged read with the old ETag must fail.
s3.put_object(Bucket=bucket, Key="data/table.csv", Body=csv + b"2000,appended\n")
out["stale_if_match"] = code(lambda: s3.get_object(Bucket=bucket, Key="data/table.csv", Range="bytes=0-99", IfMatch=csv_etag))
out["fresh_read"] = s3.get_object(Bucket=bucket, Key="data/table.csv", Range="bytes=-14")["Body"].read().decode()
s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "data/empty-dir/"}]})  # fs.rm of the marker
out["after_rm"] = info("data/empty-dir")
print(json.dumps(out))
