// CopyObject: metadata-only (the copy names the source's blob), with COPY/REPLACE metadata,
// copy-source conditionals and the destination's own write conditions.
import { reads, type ObjectEntry } from '../../catalog/index.js';
import { applyChanges, getObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { checkCopySourceConditions, conditionsFromHeaders, copySourceConditionsFromHeaders } from '../protocol/conditional.js';
import { checkNotCopyOntoItself, parseCopySource, parseMetadataDirective } from '../protocol/copy-source.js';
import { quoteEtag } from '../protocol/etag.js';
import { headerValue } from '../protocol/headers.js';
import { systemMetadataFromHeaders, userMetadataFromHeaders } from '../protocol/metadata.js';
import { S3Error } from '../s3-error.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { parseVersionId } from './shared.js';
import { httpHeadersOf, writeCondition } from './write-helpers.js';

/** The source object of a copy, authorized for GetObject, with its conditionals checked. */
export async function copySourceEntry(ctx: S3Context): Promise<ObjectEntry> {
  const source = parseCopySource(headerValue(ctx.headers, 'x-amz-copy-source')!);
  const { target } = await resolveTarget({ ...ctx, bucket: source.bucket, key: source.key }, 'GetObject');
  let entry: ObjectEntry;
  if (source.versionId !== undefined && source.versionId !== 'null') {
    const seq = parseVersionId(source.versionId);
    const found = seq === null ? null : await reads.getVersion(ctx.services.db, target.repo.id, source.key, seq);
    if (!found) throw new S3Error('NoSuchVersion', undefined, { Key: source.key, VersionId: source.versionId });
    entry = found;
  } else {
    entry = await getObject(ctx.services, target, source.key);
  }
  checkCopySourceConditions(copySourceConditionsFromHeaders(ctx.headers), { etag: entry.etag, lastModified: entry.lastModified });
  return entry;
}

export async function copyObject(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'PutObject', { write: true });
  const source = await copySourceEntry(ctx);
  const directive = parseMetadataDirective(headerValue(ctx.headers, 'x-amz-metadata-directive'));
  const sourceRef = parseCopySource(headerValue(ctx.headers, 'x-amz-copy-source')!);
  checkNotCopyOntoItself(sourceRef.bucket === ctx.bucket && sourceRef.key === ctx.key, directive);
  const system = directive === 'REPLACE' ? systemMetadataFromHeaders(ctx.headers) : null;
  const object = {
    ...source,
    ...(system ? { contentType: system.contentType, httpHeaders: httpHeadersOf(system), userMetadata: userMetadataFromHeaders(ctx.headers) } : {}),
  };
  const commit = await applyChanges(ctx.services, target, ctx.caller!.actor, [{ path: ctx.key!, object }], `Copy ${sourceRef.key} to ${ctx.key}`, {
    conditions: { [ctx.key!]: writeCondition(conditionsFromHeaders(ctx.headers)) },
  });
  return {
    headers: { ...(commit ? { 'x-amz-version-id': `v${commit.seq}` } : {}), 'x-amz-copy-source-version-id': `v${source.fromSeq}` },
    body: buildXml('CopyObjectResult', { ETag: quoteEtag(source.etag), LastModified: commit?.createdAt ?? new Date() }),
  };
}
