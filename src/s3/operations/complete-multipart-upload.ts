// CompleteMultipartUpload: names the object over its parts (no byte copied) and commits it (or
// stages it in a session), with If-None-Match / If-Match checked atomically.
import type { ChecksumAlgorithm } from '../../blobstore/checksums.js';
import { assembleUpload } from '../../core/multipart.js';
import { applyChanges } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { conditionsFromHeaders } from '../protocol/conditional.js';
import { quoteEtag, unquoteEtag } from '../protocol/etag.js';
import { S3Error } from '../s3-error.js';
import { buildXml, parseXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { readBody } from './body.js';
import { writeCondition } from './write-helpers.js';
import { openUpload } from './upload-helpers.js';

interface CompleteRequest { CompleteMultipartUpload?: { Part?: Array<{ PartNumber?: string; ETag?: string }> } }

export async function completeMultipartUpload(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const upload = await openUpload(ctx, resolved);
  const doc = parseXml(await readBody(ctx, 4 * 1024 * 1024), { arrays: ['CompleteMultipartUpload.Part'] }) as unknown as CompleteRequest;
  const requested = (doc.CompleteMultipartUpload?.Part ?? []).map((p) => ({ partNumber: Number(p.PartNumber), etag: unquoteEtag(p.ETag ?? '') }));
  if (requested.length === 0) throw new S3Error('MalformedXML', 'You must specify at least one part');
  const { object, complete } = await assembleUpload(ctx.services, upload, requested);
  const algorithm = upload.checksumAlgorithm as ChecksumAlgorithm | null;
  const checksums = object.checksums;
  const commit = await applyChanges(ctx.services, resolved.target, ctx.caller!.actor, [{ path: ctx.key!, object }], `Put ${ctx.key}`, {
    conditions: { [ctx.key!]: writeCondition(conditionsFromHeaders(ctx.headers)) },
    inTx: complete,
  });
  return {
    headers: commit ? { 'x-amz-version-id': `v${commit.seq}` } : {},
    body: buildXml('CompleteMultipartUploadResult', {
      Location: `/${ctx.bucket}/${ctx.key}`, Bucket: ctx.bucket, Key: ctx.key, ETag: quoteEtag(object.etag),
      ...(algorithm && checksums[algorithm] ? { [`Checksum${algorithm}`]: checksums[algorithm], ChecksumType: upload.checksumType } : {}),
    }),
  };
}
