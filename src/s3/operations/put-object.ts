// PutObject: streams the body to a new blob, verifies what the client declared, then commits
// (plain credentials) or stages (session credentials) the new version.
import { writeObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { parseCannedAcl } from '../protocol/canned-acl.js';
import { conditionsFromHeaders } from '../protocol/conditional.js';
import { quoteEtag } from '../protocol/etag.js';
import { headerValue } from '../protocol/headers.js';
import { systemMetadataFromHeaders, userMetadataFromHeaders } from '../protocol/metadata.js';
import { resolveTarget } from '../target.js';
import { hashedAlgorithms, keptChecksums, verifyDeclared } from './checksums.js';
import { writeCondition, httpHeadersOf } from './write-helpers.js';

export async function putObject(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'PutObject', { write: true });
  parseCannedAcl(headerValue(ctx.headers, 'x-amz-acl'));
  const system = systemMetadataFromHeaders(ctx.headers);
  const result = await writeObject(ctx.services, target, ctx.caller!.actor, {
    path: ctx.key!,
    body: ctx.body,
    ...(ctx.contentLength !== undefined ? { size: ctx.contentLength } : {}),
    contentType: system.contentType,
    userMetadata: userMetadataFromHeaders(ctx.headers),
    httpHeaders: httpHeadersOf(system),
    checksumAlgorithms: hashedAlgorithms(ctx),
    verify: (stored) => verifyDeclared(ctx, stored),
    keepChecksums: (computed) => keptChecksums(ctx, computed),
    condition: writeCondition(conditionsFromHeaders(ctx.headers)),
  });
  const headers: Record<string, string> = { etag: quoteEtag(result.object.etag) };
  if (result.commit) headers['x-amz-version-id'] = `v${result.commit.seq}`;
  for (const [algorithm, value] of Object.entries(result.object.checksums)) headers[`x-amz-checksum-${algorithm.toLowerCase()}`] = value;
  return { headers };
}

