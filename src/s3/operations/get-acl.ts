// GetBucketAcl and GetObjectAcl: the owner always has full control; ACLs are not stored.
import { getObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { S3_XMLNS } from '../xml.js';
import { escapeXml } from '../protocol/xml-escape.js';
import { resolveTarget } from '../target.js';
import { owner } from './shared.js';

export async function getAcl(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, ctx.key === null ? 'GetRepository' : 'GetObject');
  if (ctx.key !== null) await getObject(ctx.services, target, ctx.key); // NoSuchKey, as S3 answers for a missing object

  const { ID, DisplayName } = owner(ctx.caller);
  const who = `<ID>${escapeXml(ID)}</ID><DisplayName>${escapeXml(DisplayName)}</DisplayName>`;
  // Written by hand: the Grantee's xsi:type attribute is beyond buildXml.
  return {
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="${S3_XMLNS}"><Owner>${who}</Owner>` +
      `<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${who}</Grantee>` +
      '<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>',
  };
}
